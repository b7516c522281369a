"""Filing, approving and fulfilling requests for ALPR data (R41, R42, R45-R47). A package is
produced only for an approved request; a non-government requester only ever receives counts."""

from __future__ import annotations

import csv
import hashlib
import io
import json
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

import numpy as np
from sqlalchemy import func, select

from alpr.data.models import (
    Agency,
    AgencyKind,
    Alert,
    HotListEntry,
    LegalBasis,
    Read,
    ReleaseAttachment,
    ReleaseDecision,
    ReleaseDecisionKind,
    ReleasePackage,
    ReleaseRequest,
    ReleaseStatus,
    RequestedData,
    SharingAgreement,
)
from alpr.governance import access_log
from alpr.governance.access_log import Event, Outcome
from alpr.governance.errors import InvalidInput, Refusal, RefusalKind
from alpr.governance.gateway import authorize
from alpr.governance.investigations.geo import inside_m
from alpr.governance.permissions import Permission
from alpr.governance.principal import Principal
from alpr.governance.releases.rules import Decision, ReleaseQuery, evaluate
from alpr.governance.runtime import Runtime


@dataclass(frozen=True)
class RequestForm:
    requester_name: str
    requester_contact: str
    purpose: str
    description: str
    requested: str
    legal_basis: str
    immigration_related: bool
    agency_name: str | None = None
    requester_kind: str | None = None
    requester_state: str = "CA"
    plates: tuple[str, ...] = ()
    start: datetime | None = None
    end: datetime | None = None
    lat: float | None = None
    lon: float | None = None
    radius_m: float | None = None
    offense: str | None = None


@dataclass(frozen=True)
class Filed:
    id: int
    decision: Decision
    status: str


@dataclass(frozen=True)
class Package:
    request_id: int
    folder: Path
    files: dict[str, str]  # name -> sha256
    aggregate_only: bool


def _agreement_current(session: Any, agency_id: int, today: date) -> bool | None:
    agreements = (
        session.execute(select(SharingAgreement).where(SharingAgreement.agency_id == agency_id))
        .scalars()
        .all()
    )
    if not agreements:
        return None
    return any(
        a.starts_on <= today and (a.ends_on is None or a.ends_on >= today) for a in agreements
    )


def file_request(
    rt: Runtime,
    *,
    principal: Principal,
    form: RequestForm,
    attachments: tuple[tuple[str, str, bytes], ...] = (),
) -> Filed:
    """Record a request (R41) with the rules engine's decision and its attachments."""
    for field, value in (
        ("requester's name", form.requester_name),
        ("requester's contact", form.requester_contact),
        ("description of the information requested", form.description),
    ):
        if not value.strip():
            raise InvalidInput(f"the {field} is required (R41)")
    try:
        requested = RequestedData(form.requested)
        basis = LegalBasis(form.legal_basis)
    except ValueError as exc:
        raise InvalidInput(str(exc)) from None
    with rt.transaction() as session:
        authorize(session, rt, principal=principal, permission=Permission.FILE_RELEASES)
        policy = rt.policy(session)
        agency = None
        if form.agency_name:
            agency = session.execute(
                select(Agency).where(Agency.name == form.agency_name)
            ).scalar_one_or_none()
            if agency is None:
                raise InvalidInput(f"unknown agency {form.agency_name!r}; add it to the list first")
        kind = agency.kind if agency else AgencyKind(form.requester_kind or "non_government")
        state = agency.state if agency else form.requester_state
        today = rt.now().astimezone(rt.settings.tz).date()
        decision = evaluate(
            ReleaseQuery(
                agency_kind=kind,
                agency_state=state,
                purpose=form.purpose,
                immigration_related=form.immigration_related,
                legal_basis=basis,
                requested=requested,
                agreement_current=_agreement_current(session, agency.id, today) if agency else None,
                allow_out_of_state_exception=policy.allow_out_of_state_exception,
            )
        )
        status = (
            ReleaseStatus.ROUTED_TO_RECORDS_MANAGER
            if basis is LegalBasis.PUBLIC_RECORDS_REQUEST
            else ReleaseStatus.FILED
        )
        details = {
            "plates": list(form.plates),
            "start": form.start.isoformat() if form.start else None,
            "end": form.end.isoformat() if form.end else None,
            "lat": form.lat,
            "lon": form.lon,
            "radius_m": form.radius_m,
            "offense": form.offense,
        }
        request = ReleaseRequest(
            filed_at=rt.now(),
            filed_by_id=principal.user_id,
            agency_id=agency.id if agency else None,
            requester_kind=kind,
            requester_state=state,
            requester_name=form.requester_name.strip(),
            requester_contact=form.requester_contact.strip(),
            purpose=form.purpose.strip(),
            description=form.description.strip(),
            details=details,
            requested=requested,
            legal_basis=basis,
            immigration_related=form.immigration_related,
            rules_decision=decision.decision,
            rules_reasons=decision.reasons,
            rules_requirements=decision.requirements,
            status=status,
        )
        session.add(request)
        session.flush()
        folder = rt.settings.data_dir / "attachments" / f"request-{request.id}"
        for kind_name, filename, data in attachments:
            digest = hashlib.sha256(data).hexdigest()
            folder.mkdir(parents=True, exist_ok=True)
            (folder / f"{digest}-{Path(filename).name}").write_bytes(data)
            session.add(
                ReleaseAttachment(
                    request_id=request.id,
                    kind=kind_name,
                    filename=Path(filename).name,
                    sha256=digest,
                    size_bytes=len(data),
                    uploaded_at=rt.now(),
                )
            )
        access_log.append(
            session,
            at=rt.now(),
            event=Event.RELEASE,
            outcome=Outcome.SUCCESS,
            principal=principal,
            detail=f"request {request.id} filed for {form.requester_name}: "
            f"{decision.decision.value} ({', '.join(decision.requirements)})",
        )
        return Filed(request.id, decision, status.value)


def decide(rt: Runtime, *, principal: Principal, request_id: int, approve: bool, note: str) -> None:
    """The commander's decision (R42); it cannot be edited afterwards (database trigger)."""
    if not note.strip():
        raise InvalidInput("record the reason for the decision")
    with rt.transaction() as session:
        authorize(session, rt, principal=principal, permission=Permission.APPROVE_RELEASES)
        request = session.get(ReleaseRequest, request_id)
        if request is None:
            raise InvalidInput(f"no request {request_id}")
        if session.execute(
            select(ReleaseDecision.id).where(ReleaseDecision.request_id == request_id)
        ).first():
            raise Refusal(RefusalKind.RULE, "This request has been decided; decisions are final.")
        if approve and request.rules_decision is ReleaseDecisionKind.REFUSED:
            raise Refusal(
                RefusalKind.RULE,
                "The law does not allow this release: " + " ".join(request.rules_reasons),
            )
        session.add(
            ReleaseDecision(
                request_id=request_id,
                approver_id=principal.user_id,
                approved=approve,
                note=note.strip(),
                decided_at=rt.now(),
            )
        )
        request.status = ReleaseStatus.APPROVED if approve else ReleaseStatus.DENIED
        access_log.append(
            session,
            at=rt.now(),
            event=Event.RELEASE,
            outcome=Outcome.SUCCESS,
            principal=principal,
            detail=f"request {request_id} {'approved' if approve else 'denied'}: {note.strip()}",
        )


def _write(folder: Path, name: str, data: bytes, files: dict[str, str]) -> None:
    (folder / name).write_bytes(data)
    files[name] = hashlib.sha256(data).hexdigest()


def fulfil(rt: Runtime, *, principal: Principal, request_id: int) -> Package:
    """Produce the package of an approved request, with a manifest of SHA-256 hashes."""
    with rt.transaction() as session:
        authorize(session, rt, principal=principal, permission=Permission.FULFIL_RELEASES)
        request = session.get(ReleaseRequest, request_id)
        if request is None:
            raise InvalidInput(f"no request {request_id}")
        if request.status is not ReleaseStatus.APPROVED:
            raise Refusal(RefusalKind.RULE, "Only an approved request is fulfilled (R42).")
        aggregate_only = (
            request.requester_kind is AgencyKind.NON_GOVERNMENT
            or (
                request.rules_decision is not ReleaseDecisionKind.ELIGIBLE
                and request.rules_decision is not ReleaseDecisionKind.REVIEW
            )
            or request.requested is RequestedData.AGGREGATE
        )
        details = request.details
        start = datetime.fromisoformat(details["start"]) if details.get("start") else None
        end = datetime.fromisoformat(details["end"]) if details.get("end") else None
        query = select(Read.id, Read.plate, Read.captured_at, Read.lat, Read.lon, Read.camera_id)
        if start:
            query = query.where(Read.captured_at >= start)
        if end:
            query = query.where(Read.captured_at <= end)
        if not aggregate_only and details.get("plates"):
            query = query.where(Read.plate.in_(details["plates"]))
        rows = session.execute(query).all()
        if details.get("lat") is not None and details.get("radius_m"):
            inside = inside_m(
                details["lat"],
                details["lon"],
                np.array([r.lat for r in rows], dtype=float),
                np.array([r.lon for r in rows], dtype=float),
                details["radius_m"],
            )
            rows = [r for r, ok in zip(rows, inside.tolist(), strict=True) if ok]
        folder = rt.settings.data_dir / "releases" / f"request-{request_id}"
        folder.mkdir(parents=True, exist_ok=True)
        files: dict[str, str] = {}
        if aggregate_only:
            hits_query = (
                select(func.count())
                .select_from(Alert)
                .join(HotListEntry, HotListEntry.id == Alert.entry_id)
            )
            if start:
                hits_query = hits_query.where(Alert.read_captured_at >= start)
            if end:
                hits_query = hits_query.where(Alert.read_captured_at <= end)
            if details.get("offense"):
                hits_query = hits_query.where(HotListEntry.reason.ilike(f"%{details['offense']}%"))
            report = {
                "request": request_id,
                "period_start": details.get("start"),
                "period_end": details.get("end"),
                "place": {
                    "lat": details.get("lat"),
                    "lon": details.get("lon"),
                    "radius_m": details.get("radius_m"),
                },
                "plates_read": len(rows),
                "distinct_plates": len({r.plate for r in rows}),
                "offense": details.get("offense"),
                "hits_for_offense": session.execute(hits_query).scalar_one(),
                "note": "Aggregate counts only; no plate numbers or images are released (R45).",
            }
            _write(folder, "aggregate_report.json", json.dumps(report, indent=2).encode(), files)
            released_ids: list[int] = []
        else:
            buffer = io.StringIO()
            writer = csv.writer(buffer)
            writer.writerow(["read_id", "plate", "captured_at_utc", "lat", "lon", "camera_id"])
            for r in rows:
                writer.writerow(
                    [r.id, r.plate, r.captured_at.isoformat(), r.lat, r.lon, r.camera_id]
                )
            _write(folder, "reads.csv", buffer.getvalue().encode(), files)
            released_ids = [r.id for r in rows]
        manifest = {
            "request": request_id,
            "produced_at": rt.now().isoformat(),
            "produced_by": principal.username,
            "files": files,
        }
        manifest_bytes = json.dumps(manifest, indent=2, sort_keys=True).encode()
        (folder / "manifest.json").write_bytes(manifest_bytes)
        session.add(
            ReleasePackage(
                request_id=request_id,
                produced_by_id=principal.user_id,
                produced_at=rt.now(),
                path=str(folder),
                manifest=manifest,
                manifest_sha256=hashlib.sha256(manifest_bytes).hexdigest(),
            )
        )
        request.status = ReleaseStatus.FULFILLED
        access_log.append(
            session,
            at=rt.now(),
            event=Event.RELEASE,
            outcome=Outcome.SUCCESS,
            principal=principal,
            result_ids=released_ids,
            result_count=len(rows),
            plates=sorted({r.plate for r in rows})[:500] if not aggregate_only else None,
            detail=f"request {request_id} fulfilled "
            f"({'aggregate counts' if aggregate_only else 'plate-level'})",
        )
        return Package(request_id, folder, files, aggregate_only)


@dataclass(frozen=True)
class RequestView:
    id: int
    filed_at: datetime
    requester: str
    kind: str
    purpose: str
    requested: str
    legal_basis: str
    decision: str
    reasons: list[str]
    requirements: list[str]
    status: str


def list_requests(rt: Runtime, *, principal: Principal) -> list[RequestView]:
    with rt.transaction() as session:
        if not (
            principal.can(Permission.FILE_RELEASES) or principal.can(Permission.APPROVE_RELEASES)
        ):
            raise Refusal(RefusalKind.PERMISSION, "Releases are handled by records and command.")
        return [
            RequestView(
                r.id,
                r.filed_at,
                r.requester_name,
                r.requester_kind.value,
                r.purpose,
                r.requested.value,
                r.legal_basis.value,
                r.rules_decision.value,
                list(r.rules_reasons),
                list(r.rules_requirements),
                r.status.value,
            )
            for r in session.execute(
                select(ReleaseRequest).order_by(ReleaseRequest.id.desc())
            ).scalars()
        ]


def agency_names(rt: Runtime) -> list[tuple[str, str, str]]:
    with rt.transaction() as session:
        return [
            (a.name, a.kind.value, a.state)
            for a in session.execute(
                select(Agency).where(Agency.is_home.is_(False)).order_by(Agency.name)
            ).scalars()
        ]
