"""Reads recognised elsewhere (an in-car unit's export, a back-fill from a vendor's system),
imported by a named person who manages the cameras. A read can become evidence, so who put it
in the database, for which camera and from which file (by its SHA-256), is in the access log
like every other act; a person without the right is refused before anything is read."""

from __future__ import annotations

import hashlib
from dataclasses import replace
from pathlib import Path

from sqlalchemy.exc import SQLAlchemyError

from alpr.governance.access_log import Event
from alpr.governance.gateway import Act, Done, administered
from alpr.governance.permissions import Permission
from alpr.governance.principal import Principal
from alpr.governance.runtime import Runtime
from alpr.recognition.ingest import Ingestor, IngestResult
from alpr.recognition.vendor_files import parse_reads
from alpr.recognition.worker import find_camera


def import_reads(rt: Runtime, *, actor: Principal, camera: str, path: Path) -> IngestResult:
    """Store the reads of ``path`` for ``camera``; a bad row refuses the whole file
    (``FileRefused``), and a database that does not take them leaves no image behind."""
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
    return administered(
        rt,
        act,
        lambda _session, _who: Done(
            result,
            detail=f"{result.stored} reads imported for camera {camera} from {path.name} "
            f"(sha256 {digest}): {result.duplicates} already present, "
            f"{result.alerts} hot-list alerts",
            result_count=result.stored,
        ),
    )
