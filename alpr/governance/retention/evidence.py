"""Evidence export (R32): a package for a case with the reads, their images, a map, the search
that found them and its justification, a chain-of-custody record, and a manifest of SHA-256
hashes that ``alpr evidence verify`` checks."""

from __future__ import annotations

import csv
import hashlib
import io
import json
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from alpr.data.models import AccessRecord, EvidenceExport, Read, Search
from alpr.governance.access_log import Event
from alpr.governance.errors import InvalidInput
from alpr.governance.gateway import Answer, JustificationInput, Request, governed
from alpr.governance.investigations.snapshot import map_png
from alpr.governance.justification import Justification
from alpr.governance.permissions import Permission
from alpr.governance.principal import Principal
from alpr.governance.runtime import Runtime

MANIFEST = "manifest.json"


@dataclass(frozen=True)
class Exported:
    folder: Path
    files: int
    reads: int
    manifest_sha256: str


def export_evidence(
    rt: Runtime,
    *,
    principal: Principal,
    case_number: str,
    out: Path,
    medium: str,
    justification: JustificationInput | None = None,
    read_ids: list[int] | None = None,
    search_id: int | None = None,
) -> Exported:
    if not case_number.strip():
        raise InvalidInput("an evidence package needs the case number")
    if bool(read_ids) == bool(search_id):
        raise InvalidInput("export either --read-id ... or --search-id")
    if out.exists() and any(out.iterdir()):
        raise InvalidInput(f"{out} is not empty; export into a new folder")
    given: JustificationInput | Justification | None = justification
    search_record: dict[str, object] | None = None
    if search_id is not None:
        with rt.transaction() as session:
            search = session.get(Search, search_id)
            if search is None or search.user_id != principal.user_id or search.purpose is None:
                raise InvalidInput("export from one of your own justified searches")
            given = Justification(
                search.purpose, search.case_number, search.description, search.exigent
            )
            search_record = {
                "id": search.id,
                "kind": search.kind,
                "params": search.params,
                "purpose": search.purpose.value,
                "case_number": search.case_number,
                "description": search.description,
                "exigent": search.exigent,
                "run_at": search.created_at.isoformat(),
            }
            wanted = _ids_of(session, search_id)
    else:
        wanted = list(read_ids or [])

    def run(session: Session) -> Answer[Exported]:
        reads = list(
            session.execute(
                select(Read).where(Read.id.in_(wanted)).order_by(Read.captured_at)
            ).scalars()
        )
        if not reads:
            raise InvalidInput("no reads to export")
        out.mkdir(parents=True, exist_ok=True)
        (out / "images").mkdir()
        files: dict[str, str] = {}

        def write(name: str, data: bytes) -> None:
            (out / name).write_bytes(data)
            files[name] = hashlib.sha256(data).hexdigest()

        buffer = io.StringIO()
        writer = csv.writer(buffer)
        writer.writerow(
            [
                "read_id",
                "plate",
                "captured_at_utc",
                "lat",
                "lon",
                "camera_id",
                "confidence",
                "image",
                "crop",
            ]
        )
        for r in reads:
            for digest in (r.image_sha256, r.crop_sha256):
                data = rt.images.get(digest) if digest else None
                if data is not None and f"images/{digest}.jpg" not in files:
                    write(f"images/{digest}.jpg", data)
            writer.writerow(
                [
                    r.id,
                    r.plate,
                    r.captured_at.isoformat(),
                    r.lat,
                    r.lon,
                    r.camera_id,
                    r.confidence,
                    r.image_sha256 or "",
                    r.crop_sha256 or "",
                ]
            )
        write("reads.csv", buffer.getvalue().encode())
        write(
            "map.png",
            map_png([(r.lat, r.lon) for r in reads], times=[r.captured_at for r in reads]),
        )
        write("search.json", json.dumps(search_record or {"read_ids": wanted}, indent=2).encode())
        custody = {
            "case_number": case_number,
            "exported_by": principal.username,
            "agency": principal.agency_name,
            "exported_at": rt.now().isoformat(),
            "medium": medium,
            "reads": len(reads),
        }
        write("custody.json", json.dumps(custody, indent=2).encode())
        manifest = json.dumps({"files": files, "custody": custody}, indent=2, sort_keys=True)
        (out / MANIFEST).write_text(manifest)
        digest = hashlib.sha256(manifest.encode()).hexdigest()
        session.add(
            EvidenceExport(
                case_number=case_number,
                exported_by_id=principal.user_id,
                exported_at=rt.now(),
                medium=medium,
                search_id=search_id,
                read_ids=[r.id for r in reads],
                path=str(out),
                manifest_sha256=digest,
            )
        )
        return Answer(
            Exported(out, len(files), len(reads), digest),
            read_ids=[r.id for r in reads],
            plates=sorted({r.plate for r in reads}),
        )

    return governed(
        rt,
        Request(
            principal=principal,
            permission=Permission.EXPORT_EVIDENCE,
            kind="evidence_export",
            params={
                "case_number": case_number,
                "medium": medium,
                "read_ids": wanted,
                "search_id": search_id,
            },
            justification=given,
            event=Event.EXPORT,
            search_id=search_id,
            detail=f"evidence package for case {case_number} to {medium}",
        ),
        run,
    ).result


def _ids_of(session: Session, search_id: int) -> list[int]:
    ids = session.execute(
        select(AccessRecord.result_ids).where(
            AccessRecord.search_id == search_id,
            AccessRecord.event == "search",
            AccessRecord.outcome == "allowed",
        )
    ).scalar_one_or_none()
    return [int(i) for i in ids or []]


def verify_package(folder: Path) -> list[str]:
    """Every difference between the package and its manifest; empty when intact."""
    manifest_path = folder / MANIFEST
    if not manifest_path.is_file():
        return [f"{MANIFEST} is missing"]
    try:
        manifest = json.loads(manifest_path.read_text())
        listed: dict[str, str] = manifest["files"]
    except (json.JSONDecodeError, KeyError, TypeError):
        return [f"{MANIFEST} is not a valid manifest"]
    problems = []
    for name, digest in sorted(listed.items()):
        path = folder / name
        if not path.is_file():
            problems.append(f"{name} is missing")
        elif hashlib.sha256(path.read_bytes()).hexdigest() != digest:
            problems.append(f"{name} was changed")
    present = {p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file()}
    for extra in sorted(present - set(listed) - {MANIFEST}):
        problems.append(f"{extra} is not in the manifest")
    custody = folder / "custody.json"
    if custody.is_file() and json.loads(custody.read_text()) != manifest.get("custody"):
        problems.append("custody.json does not match the manifest")
    return problems
