"""Evidence export (R32): a package for a case with the reads, their images, a map, the search
that found them and its justification, a chain-of-custody record, and a manifest of SHA-256
hashes. Only reads the exporter's own justified searches found are exported: an export is no
way around a search's bounds. The files are staged while the export is recorded and published
once it has committed; the manifest and its SHA-256 are kept in the database (append-only), and
``verify_export`` compares a package, wherever it was copied, against them."""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from alpr.data.models import AccessRecord, EvidenceExport, Read, Search
from alpr.governance.access_log import Event
from alpr.governance.errors import InvalidInput, Refusal, RefusalKind
from alpr.governance.gateway import Answer, JustificationInput, JustifiedBy, Request, governed
from alpr.governance.investigations.descriptions import labelled
from alpr.governance.investigations.follow_up import covering_justification
from alpr.governance.investigations.snapshot import map_png
from alpr.governance.packages import MANIFEST, Staging, differences, staged
from alpr.governance.permissions import Permission
from alpr.governance.principal import Principal
from alpr.governance.runtime import Runtime


@dataclass(frozen=True)
class Exported:
    id: int
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
    given: JustificationInput | JustifiedBy | None = justification
    if search_id is not None:
        given = covering_justification(principal, search_id=search_id, read_ids=[])

    def run(session: Session, staging: Staging) -> Answer[Exported]:
        search_record: dict[str, object] | None = None
        wanted = list(read_ids or [])
        if search_id is None:
            unseen = sorted(set(wanted) - _shown_to(session, principal.user_id))
            if unseen:
                raise Refusal(
                    RefusalKind.RULE,
                    f"{_some(unseen)} {'was' if len(unseen) == 1 else 'were'} not found by any "
                    "search of yours: evidence is exported from what your own justified "
                    "searches found (--search-id, or reads they showed).",
                )
        else:
            search = session.get(Search, search_id)  # the exporter's own, as justified above
            assert search is not None and search.purpose is not None
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
        reads = list(
            session.execute(
                select(Read).where(Read.id.in_(wanted)).order_by(Read.captured_at)
            ).scalars()
        )
        if not reads:
            raise InvalidInput("no reads to export")
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
                "vehicle_colour",
                "vehicle_type",
                "vehicle_crop",
            ]
        )
        for r in reads:
            for digest in (r.image_sha256, r.crop_sha256, r.vehicle_crop_sha256):
                data = rt.images.get(digest) if digest else None
                if data is not None and f"images/{digest}.jpg" not in staging.files:
                    staging.write(f"images/{digest}.jpg", data)
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
                    *(v or "" for v in labelled(r.vehicle_colour, r.vehicle_type).values()),
                    r.vehicle_crop_sha256 or "",
                ]
            )
        staging.write("reads.csv", buffer.getvalue().encode())
        staging.write(
            "map.png",
            map_png([(r.lat, r.lon) for r in reads], times=[r.captured_at for r in reads]),
        )
        staging.write(
            "search.json", json.dumps(search_record or {"read_ids": wanted}, indent=2).encode()
        )
        custody = {
            "case_number": case_number,
            "exported_by": principal.username,
            "agency": principal.agency_name,
            "exported_at": rt.now().isoformat(),
            "medium": medium,
            "reads": len(reads),
        }
        staging.write("custody.json", json.dumps(custody, indent=2).encode())
        manifest = {"files": dict(staging.files), "custody": custody}
        digest = staging.seal(manifest)
        export = EvidenceExport(
            case_number=case_number,
            exported_by_id=principal.user_id,
            exported_at=rt.now(),
            medium=medium,
            search_id=search_id,
            read_ids=[r.id for r in reads],
            path=str(out.resolve()),
            manifest=manifest,
            manifest_sha256=digest,
        )
        session.add(export)
        session.flush()
        return Answer(
            Exported(export.id, out, len(staging.files), len(reads), digest),
            read_ids=[r.id for r in reads],
            plates=sorted({r.plate for r in reads}),
        )

    with staged(out) as staging:
        return governed(
            rt,
            Request(
                principal=principal,
                permission=Permission.EXPORT_EVIDENCE,
                kind="evidence_export",
                params={
                    "case_number": case_number,
                    "medium": medium,
                    "read_ids": list(read_ids or []),
                    "search_id": search_id,
                },
                justification=given,
                event=Event.EXPORT,
                search_id=search_id,
                detail=f"evidence package for case {case_number} to {medium}",
            ),
            lambda session: run(session, staging),
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


def _shown_to(session: Session, user_id: int) -> set[int]:
    """Every read the person's allowed searches and views showed them, as the access log
    recorded it."""
    shown: set[int] = set()
    for (ids,) in session.execute(
        select(AccessRecord.result_ids).where(
            AccessRecord.user_id == user_id,
            AccessRecord.outcome == "allowed",
            AccessRecord.result_ids.is_not(None),
        )
    ):
        shown.update(int(i) for i in ids)
    return shown


def _some(read_ids: list[int]) -> str:
    named = ", ".join(map(str, read_ids[:5]))
    more = f" and {len(read_ids) - 5} more" if len(read_ids) > 5 else ""
    return f"Read{'s' if len(read_ids) > 1 else ''} {named}{more}"


def _named_by_custody(session: Session, folder: Path) -> EvidenceExport | None:
    """The export the package's manifest names by case number and time of export."""
    try:
        custody = json.loads((folder / MANIFEST).read_text())["custody"]
        case_number, at = (
            str(custody["case_number"]),
            datetime.fromisoformat(custody["exported_at"]),
        )
    except (OSError, ValueError, KeyError, TypeError):
        return None
    return session.execute(
        select(EvidenceExport).where(
            EvidenceExport.case_number == case_number, EvidenceExport.exported_at == at
        )
    ).scalar_one_or_none()


def verify_export(rt: Runtime, folder: Path, *, export_id: int | None = None) -> list[str]:
    """Every difference between an evidence package and the export recorded when it was made;
    empty when intact. The export is the one given, else the one recorded at this folder, else
    the one the package's manifest names (a package copied elsewhere): a manifest rewritten to
    name another export still differs from that export's."""
    with rt.transaction() as session:
        if export_id is not None:
            export = session.get(EvidenceExport, export_id)
        else:
            export = session.execute(
                select(EvidenceExport).where(EvidenceExport.path == str(folder.resolve()))
            ).scalar_one_or_none() or _named_by_custody(session, folder)
        if export is None and export_id is not None:
            raise InvalidInput(f"no evidence export {export_id}")
        if export is None:
            raise InvalidInput(
                f"no evidence export is recorded for {folder}: give the export number"
            )
        return differences(folder, recorded_sha256=export.manifest_sha256, recorded=export.manifest)
