"""Producing the package of an approved request, and checking it later (R42, R45, R48).

What is released is what the commander approved: the law is applied again on the day the
package is produced (``requests.check_at_fulfilment``), the scope's period is cut at the instant
of the approval, so that no read captured later is released, and a scope that selects another
number of reads than the approval counted (reads ingested late, corrections since) is refused
until a new request is approved.

A law-enforcement package holds exactly the reads the request's scope selects (after
corrections), as CSV and JSON, with each read's plate crop and full image; it is produced
through the gateway with the release's purpose and case number, and the access record names
every plate released. A package for anyone else holds counts only (R45): the reads and distinct
plates at the place in the period and the hits for the offense, never a plate or an image.

Files are staged while the transaction that records the package is open and published by one
rename after it commits; the manifest's SHA-256 and the manifest itself are kept in the database
(append-only), and ``verify_package`` names every file that differs from them."""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from alpr.data.models import (
    Agency,
    Alert,
    HotListEntry,
    LegalBasis,
    Purpose,
    ReleaseDecision,
    ReleasePackage,
    ReleaseRequest,
)
from alpr.data.models import Scope as ScopeRow
from alpr.governance import scopes
from alpr.governance.access_log import Event
from alpr.governance.errors import InvalidInput, Refusal, RefusalKind
from alpr.governance.gateway import Act, Actor, Answer, Done, Request, administered, governed
from alpr.governance.investigations.descriptions import labelled
from alpr.governance.investigations.queries import ReadRow
from alpr.governance.justification import Justification
from alpr.governance.packages import Staging, differences, staged, zipped
from alpr.governance.permissions import Permission
from alpr.governance.principal import Principal
from alpr.governance.releases.requests import NEW_REQUEST, check_at_fulfilment, counts_only
from alpr.governance.runtime import Runtime
from alpr.governance.scopes import Scope

READ_COLUMNS = (
    "read_id",
    "plate_as_read",
    "plate_corrected",
    "captured_at_utc",
    "lat",
    "lon",
    "camera",
    "confidence",
    "vehicle_colour",
    "vehicle_type",
    "image",
    "crop",
    "vehicle_crop",
)


@dataclass(frozen=True)
class Package:
    request_id: int
    folder: Path
    files: dict[str, str]  # name -> sha256
    reads: int
    counts_only: bool
    manifest_sha256: str


@dataclass(frozen=True)
class _Approved:
    request: dict[str, Any]  # what the package's request.json says
    scope: Scope  # its period ending at the latest at the approval
    approved_reads: int | None  # what the scope selected when the commander approved it
    counts_only: bool
    justification: Justification | None  # for a plate-level release: its purpose and case
    offense: str | None

    def check_count(self, reads: int) -> None:
        """Refuse a package of another number of reads than the commander approved (R42)."""
        if reads != self.approved_reads:
            raise Refusal(
                RefusalKind.RULE,
                f"The scope selects {reads} reads today, but the commander approved "
                f"{self.approved_reads}: reads were added to its period or corrected since the "
                f"approval. {NEW_REQUEST}",
            )


def package_folder(rt: Runtime, request_id: int) -> Path:
    return rt.settings.data_dir / "releases" / f"request-{request_id}"


def _approved(session: Session, rt: Runtime, request_id: int) -> _Approved:
    request = session.get(ReleaseRequest, request_id)
    if request is None:
        raise InvalidInput(f"no request {request_id}")
    decision = session.execute(
        select(ReleaseDecision).where(ReleaseDecision.request_id == request_id)
    ).scalar_one_or_none()
    if decision is None or not decision.approved:
        raise Refusal(
            RefusalKind.RULE,
            "Only an approved request is fulfilled: a commander approves it first.",
        )
    if session.execute(
        select(ReleasePackage.id).where(ReleasePackage.request_id == request_id)
    ).first():
        raise Refusal(RefusalKind.RULE, f"The package of request {request_id} was produced.")
    scope_row = session.get(ScopeRow, request.scope_id) if request.scope_id else None
    if scope_row is None:
        raise Refusal(RefusalKind.RULE, "The request names no scope; nothing can be released.")
    check_at_fulfilment(session, rt, request, approved_at=decision.decided_at)
    scope = scopes.recorded(scope_row).up_to(decision.decided_at)
    agency = session.get(Agency, request.agency_id) if request.agency_id else None
    only_counts = counts_only(request)
    summary = {
        "request": request.id,
        "agency": agency.name if agency else None,
        "requester": request.requester_name,
        "purpose": request.purpose,
        "legal_basis": request.legal_basis.value,
        "approved_at": decision.decided_at.isoformat(),
        "approval_note": decision.note,
        "beyond_bounds_reason": decision.override_reason,
        "scope": {
            "period_start": scope.start.isoformat(),
            "period_end": scope.end.isoformat(),
            "place": {"lat": scope.area.lat, "lon": scope.area.lon, "radius_m": scope.area.radius_m}
            if scope.area
            else None,
            **({} if only_counts else {"plates": scope.plates}),
            "case_number": scope.case_number,
        },
    }
    justification = (
        Justification(
            purpose=Purpose(request.purpose_code),
            case_number=scope.case_number,
            description=f"Release request {request.id} from "
            f"{agency.name if agency else request.requester_name}: {request.purpose}",
            exigent=request.legal_basis is LegalBasis.EXIGENT,
        )
        if request.purpose_code
        else None
    )
    return _Approved(
        summary,
        scope,
        decision.scope_reads,
        only_counts,
        justification,
        request.details.get("offense"),
    )


def _record_package(
    session: Session,
    rt: Runtime,
    principal: Principal,
    request_id: int,
    staging: Staging,
    *,
    kind: str,
    reads: int,
) -> str:
    manifest = {
        "request": request_id,
        "kind": kind,
        "produced_at": rt.now().isoformat(),
        "produced_by": principal.username,
        "files": dict(staging.files),
    }
    digest = staging.seal(manifest)
    session.add(
        ReleasePackage(
            request_id=request_id,
            produced_by_id=principal.user_id,
            produced_at=rt.now(),
            path=str(staging.final),
            reads=reads,
            manifest=manifest,
            manifest_sha256=digest,
        )
    )
    return digest


def _read_files(rt: Runtime, staging: Staging, rows: list[ReadRow]) -> list[dict[str, Any]]:
    """The reads as records for the CSV and JSON, writing each image once."""
    records = []
    for r in rows:
        names = {}
        for label, digest in (
            ("image", r.image_sha256),
            ("crop", r.crop_sha256),
            ("vehicle_crop", r.vehicle_crop_sha256),
        ):
            data = rt.images.get(digest) if digest else None
            name = f"images/{digest}.jpg" if data is not None else ""
            if data is not None and name not in staging.files:
                staging.write(name, data)
            names[label] = name
        records.append(
            {
                "read_id": r.id,
                "plate_as_read": r.plate,
                "plate_corrected": r.corrected_plate or "",
                "captured_at_utc": r.captured_at.isoformat(),
                "lat": r.lat,
                "lon": r.lon,
                "camera": r.camera_name,
                "confidence": r.confidence,
                **{
                    f"vehicle_{k}": v or ""
                    for k, v in labelled(r.vehicle_colour, r.vehicle_type).items()
                },
                **names,
            }
        )
    return records


def _released(records: list[dict[str, Any]]) -> tuple[list[int], list[str]]:
    """The read numbers of a package's reads, and their plates as read and as corrected."""
    plates = {r["plate_as_read"] for r in records} | {
        r["plate_corrected"] for r in records if r["plate_corrected"]
    }
    return [r["read_id"] for r in records], sorted(plates)


def _plate_level(
    rt: Runtime, principal: Principal, request_id: int, approved: _Approved, staging: Staging
) -> Package:
    if approved.justification is None:
        raise Refusal(
            RefusalKind.RULE,
            "The request does not say which authorized purpose the release serves.",
        )

    def run(session: Session) -> Answer[Package]:
        current = _approved(session, rt, request_id)  # decided and unproduced, in the transaction
        rows = scopes.select_reads(session, current.scope)
        current.check_count(len(rows))
        records = _read_files(rt, staging, rows)
        buffer = io.StringIO()
        writer = csv.DictWriter(buffer, fieldnames=READ_COLUMNS)
        writer.writeheader()
        writer.writerows(records)
        staging.write("reads.csv", buffer.getvalue().encode())
        staging.write(
            "reads.json", json.dumps({**current.request, "reads": records}, indent=2).encode()
        )
        staging.write("request.json", json.dumps(current.request, indent=2).encode())
        digest = _record_package(
            session, rt, principal, request_id, staging, kind="plate-level", reads=len(rows)
        )
        read_ids, plates = _released(records)
        return Answer(
            Package(request_id, staging.final, dict(staging.files), len(rows), False, digest),
            read_ids=read_ids,
            plates=plates,
        )

    return governed(
        rt,
        Request(
            principal=principal,
            permission=Permission.FULFIL_RELEASES,
            kind="release",
            params={"release_request": request_id, **approved.request},
            justification=approved.justification,
            event=Event.RELEASE,
            detail=f"request {request_id} fulfilled: plate-level package",
        ),
        run,
    ).result


def _counts(rt: Runtime, principal: Principal, request_id: int, staging: Staging) -> Package:
    """Counts at the place in the period (the reads as a canvass finds them) and the hits for
    the offense, counted by the database; with no offense named, no hits are counted (the law
    allows the hits for a specific offense, not all of them)."""

    def run(session: Session, _who: Actor) -> Done[Package]:
        approved = _approved(session, rt, request_id)
        place_only = Scope((), approved.scope.start, approved.scope.end, None, approved.scope.area)
        rows = scopes.select_reads(session, place_only)
        approved.check_count(len(rows))
        hits = (
            session.execute(
                select(func.count())
                .select_from(Alert)
                .join(HotListEntry, HotListEntry.id == Alert.entry_id)
                .where(
                    Alert.read_captured_at >= approved.scope.start,
                    Alert.read_captured_at <= approved.scope.end,
                    HotListEntry.reason.icontains(approved.offense, autoescape=True),
                )
            ).scalar_one()
            if approved.offense
            else None
        )
        report = {
            **approved.request,
            "plates_read": len(rows),
            "distinct_plates": len({r.corrected_plate or r.plate for r in rows}),
            "offense": approved.offense,
            "hits_for_offense": hits,
            "note": (
                "Aggregate counts only: ALPR data is not open to public review, and no plate "
                "numbers or images are released to the public or the media."
            ),
        }
        staging.write("aggregate_report.json", json.dumps(report, indent=2).encode())
        digest = _record_package(
            session, rt, principal, request_id, staging, kind="counts", reads=len(rows)
        )
        return Done(
            Package(request_id, staging.final, dict(staging.files), len(rows), True, digest),
            query={"release_request": request_id, "kind": "counts"},
            result_count=len(rows),
            detail=f"request {request_id} fulfilled: counts only; manifest sha256 {digest}",
        )

    return administered(
        rt,
        Act(principal, Permission.FULFIL_RELEASES, Event.RELEASE, f"fulfil request {request_id}"),
        run,
    )


def fulfil(rt: Runtime, *, principal: Principal, request_id: int) -> Package:
    """Produce the package of an approved request."""
    approved = administered(
        rt,
        Act(
            principal,
            Permission.FULFIL_RELEASES,
            Event.RELEASE,
            f"fulfil request {request_id}",
            view=True,
        ),
        lambda session, _who: Done(_approved(session, rt, request_id)),
    )
    folder = package_folder(rt, request_id)
    folder.parent.mkdir(parents=True, exist_ok=True)
    with staged(folder) as staging:
        if approved.counts_only:
            return _counts(rt, principal, request_id, staging)
        return _plate_level(rt, principal, request_id, approved, staging)


def _recorded(session: Session, request_id: int) -> ReleasePackage:
    package = session.execute(
        select(ReleasePackage).where(ReleasePackage.request_id == request_id)
    ).scalar_one_or_none()
    if package is None:
        raise InvalidInput(f"no package was produced for request {request_id}")
    return package


def verify_package(rt: Runtime, folder: Path, *, request_id: int | None = None) -> list[str]:
    """Every difference between a release package (wherever it was copied) and the package
    recorded when it was made; empty when intact. The request is the one given, else the one
    the package's manifest names."""
    if request_id is None:
        try:
            request_id = int(json.loads((folder / "manifest.json").read_text())["request"])
        except (OSError, ValueError, KeyError, TypeError):
            raise InvalidInput(
                f"{folder} has no readable manifest naming its request: give the request number"
            ) from None
    with rt.transaction() as session:
        package = _recorded(session, request_id)
        return differences(
            folder, recorded_sha256=package.manifest_sha256, recorded=package.manifest
        )


def package_zip(rt: Runtime, *, principal: Principal, request_id: int) -> tuple[str, bytes]:
    """The package as a zip with its manifest, for handing over; refused if the package on
    disk no longer matches what was recorded. Each download is in the access log with the reads
    and plates it holds, as the package's production is."""

    def run(session: Session, _who: Actor) -> Done[tuple[str, bytes]]:
        package = _recorded(session, request_id)
        folder = Path(package.path)
        problems = differences(
            folder, recorded_sha256=package.manifest_sha256, recorded=package.manifest
        )
        if problems:
            raise Refusal(
                RefusalKind.RULE,
                f"The package of request {request_id} no longer matches what was recorded: "
                + "; ".join(problems),
            )
        listed = folder / "reads.json"  # a package of counts holds none
        read_ids, plates = (
            _released(json.loads(listed.read_text())["reads"]) if listed.is_file() else ([], [])
        )
        return Done(
            (f"release-request-{request_id}.zip", zipped(folder, f"request-{request_id}")),
            query={"release_request": request_id},
            plates=plates,
            result_ids=read_ids,
            result_count=package.reads,
            detail=f"release package of request {request_id} downloaded "
            f"(manifest sha256 {package.manifest_sha256})",
        )

    return administered(
        rt,
        Act(
            principal,
            Permission.FULFIL_RELEASES,
            Event.EXPORT,
            f"download the package of request {request_id}",
        ),
        run,
    )
