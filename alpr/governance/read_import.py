"""Reads recognised elsewhere (an in-car unit's export, a back-fill from a vendor's system),
imported by a named person who manages the cameras. A read can become evidence, so who put it
in the database, for which camera and from which file (by its SHA-256), is in the access log
like every other act; a person without the right is refused before anything is read.

The images come from the import folder; once the reads are committed, each image the image
store keeps is removed from the import folder, so that no copy of it outside the store
outlives the read's retention or escapes a hold and the access log (R30, R31, R48). An import
that fails removes nothing."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from dataclasses import dataclass, replace
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.exc import SQLAlchemyError

from alpr.data.models import Image
from alpr.governance.access_log import Event
from alpr.governance.gateway import Act, Done, administered
from alpr.governance.permissions import Permission
from alpr.governance.principal import Principal
from alpr.governance.runtime import Runtime
from alpr.recognition.ingest import Ingestor, IngestResult
from alpr.recognition.vendor_files import parse_reads
from alpr.recognition.worker import find_camera

BATCH = 5000


@dataclass(frozen=True)
class ImportResult:
    """The reads stored, and what became of the source images in the import folder: removed
    once the image store kept them, or left there (those no stored read names: a read
    stored before with another image or none)."""

    reads: IngestResult
    sources_removed: int
    sources_left: tuple[Path, ...]


def import_reads(rt: Runtime, *, actor: Principal, camera: str, path: Path) -> ImportResult:
    """Store the reads of ``path`` for ``camera``, then remove from the import folder the
    source images the image store now keeps; a bad row refuses the whole file
    (``FileRefused``), and a database that does not take them leaves no image behind in the
    store and every source image in place."""
    act = Act(actor, Permission.MANAGE_CAMERAS, Event.SYSTEM, f"import reads for camera {camera}")
    administered(rt, replace(act, view=True), lambda _session, _who: Done(None))
    info = find_camera(rt.engine, camera)
    parsed = parse_reads(
        path,
        camera_id=info.id,
        is_mobile=info.is_mobile,
        import_dir=rt.settings.resolved_import_dir,
        now=rt.now(),
    )
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    added = [sha for sha in parsed.images if not rt.images.path_for(sha).exists()]
    for data in parsed.images.values():
        rt.images.put(data)
    try:
        result = Ingestor(rt.engine, rt.images).store(parsed.records, now=rt.now())
    except SQLAlchemyError:
        for sha in added:
            rt.images.delete(sha)
        raise
    removed, left = _clear_sources(rt, parsed.sources)
    return administered(
        rt,
        act,
        lambda _session, _who: Done(
            ImportResult(result, removed, tuple(left)),
            detail=f"{result.stored} reads imported for camera {camera} from {path.name} "
            f"(sha256 {digest}): {result.duplicates} already present, "
            f"{result.alerts} hot-list alerts; {removed} source images removed from the "
            f"import folder, {len(left)} left there",
            result_count=result.stored,
        ),
    )


def _clear_sources(rt: Runtime, sources: Mapping[Path, str]) -> tuple[int, list[Path]]:
    """Remove each source image whose bytes the image store keeps, recorded (the reads that
    name it are committed); returns how many went and the files left. A file changed since it
    was read is left."""
    digests = sorted(set(sources.values()))
    stored: set[str] = set()
    with rt.transaction() as session:
        for offset in range(0, len(digests), BATCH):
            chunk = digests[offset : offset + BATCH]
            stored.update(
                session.execute(select(Image.sha256).where(Image.sha256.in_(chunk))).scalars()
            )
    removed, left = 0, []
    for source, sha in sorted(sources.items()):
        try:
            if sha not in stored or not rt.images.path_for(sha).is_file():
                left.append(source)
                continue
            if hashlib.sha256(source.read_bytes()).hexdigest() != sha:
                left.append(source)
                continue
            source.unlink()
        except FileNotFoundError:  # another import of the same file removed it
            continue
        except OSError:
            left.append(source)
            continue
        removed += 1
    return removed, left
