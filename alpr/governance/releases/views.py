"""Requests as the records clerk and the commander see them: by agency, with the law's decision
and the commander's in words, and each request's whole history on one page."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from alpr.data.models import (
    Agency,
    LegalBasis,
    Purpose,
    ReleaseAttachment,
    ReleaseDecision,
    ReleaseDecisionKind,
    ReleasePackage,
    ReleaseRequest,
    ReleaseStatus,
    SharingAgreement,
    User,
)
from alpr.data.models import Scope as ScopeRow
from alpr.governance import scopes
from alpr.governance.access_log import Event
from alpr.governance.errors import InvalidInput
from alpr.governance.gateway import Act, Actor, Done, administered
from alpr.governance.justification import PURPOSE_LABELS
from alpr.governance.permissions import Permission
from alpr.governance.principal import Principal
from alpr.governance.releases.labels import (
    AGENCY_KINDS,
    ATTACHMENT_KINDS,
    BASIS_DOCUMENT,
    LEGAL_BASES,
    REQUESTED,
    RULES_DECISIONS,
    STATES,
)
from alpr.governance.releases.requests import counts_only
from alpr.governance.runtime import Runtime

REFUSED_UNDECIDED = "Refused by law: nothing can be released; the commander records the denial"
STATUSES = {
    "filed": "Awaiting the commander's decision",
    "routed_to_records_manager": "With the Records Manager, awaiting the commander's decision",
    "approved": "Approved; package not yet produced",
    "denied": "Denied",
    "fulfilled": "Package produced",
}


@dataclass(frozen=True)
class DecisionView:
    approved: bool
    by: str
    at: datetime
    note: str
    reads: int | None
    override_reason: str | None


@dataclass(frozen=True)
class PackageView:
    id: int
    by: str
    at: datetime
    reads: int | None
    counts_only: bool
    manifest_sha256: str
    path: str


@dataclass(frozen=True)
class AttachmentView:
    kind: str
    filename: str
    sha256: str
    size_bytes: int


@dataclass(frozen=True)
class RequestView:
    id: int
    filed_at: datetime
    filed_by: str
    agency: str
    agency_kind: str
    agency_state: str
    requester: str
    contact: str
    purpose: str
    purpose_code: str | None
    description: str
    requested: str
    legal_basis: str
    agreement: str | None
    rules_decision: ReleaseDecisionKind
    rules_label: str
    reasons: list[str]
    scope: str | None
    covers: str | None  # the scope without its period: plates, area, case
    period: tuple[datetime, datetime] | None  # the scope's, shown apart for the commander
    scope_reads: int | None
    counts_only: bool
    # How a plate-level scope goes beyond the agency's bounds, in words (the commander then
    # records why this much is released); empty when within them or for counts.
    beyond_bounds: list[str]
    status: str
    status_label: str
    decision: DecisionView | None
    package: PackageView | None
    attachments: list[AttachmentView]
    missing_document: str | None  # the document the legal basis rests on, when not attached


def _missing_document(request: ReleaseRequest, kinds: set[str]) -> str | None:
    needed = BASIS_DOCUMENT.get(LegalBasis(request.legal_basis))
    return ATTACHMENT_KINDS[needed] if needed and needed not in kinds else None


def _names(session: Session, ids: set[int]) -> dict[int, str]:
    if not ids:
        return {}
    return {
        user_id: name
        for user_id, name in session.execute(
            select(User.id, User.full_name).where(User.id.in_(ids))
        )
    }


def _views(session: Session, rt: Runtime, requests: list[ReleaseRequest]) -> list[RequestView]:
    ids = [r.id for r in requests]
    decisions = {
        d.request_id: d
        for d in session.execute(
            select(ReleaseDecision).where(ReleaseDecision.request_id.in_(ids))
        ).scalars()
    }
    packages = {
        p.request_id: p
        for p in session.execute(
            select(ReleasePackage).where(ReleasePackage.request_id.in_(ids))
        ).scalars()
    }
    attachments: dict[int, list[AttachmentView]] = {}
    kinds: dict[int, set[str]] = {}
    for a in session.execute(
        select(ReleaseAttachment)
        .where(ReleaseAttachment.request_id.in_(ids))
        .order_by(ReleaseAttachment.id)
    ).scalars():
        attachments.setdefault(a.request_id, []).append(
            AttachmentView(ATTACHMENT_KINDS.get(a.kind, a.kind), a.filename, a.sha256, a.size_bytes)
        )
        kinds.setdefault(a.request_id, set()).add(a.kind)
    agencies = {a.id: a for a in session.execute(select(Agency)).scalars()}
    agreements = {
        a.id: a.title
        for a in session.execute(
            select(SharingAgreement).where(
                SharingAgreement.id.in_({r.agreement_id for r in requests if r.agreement_id})
            )
        ).scalars()
    }
    scope_rows = {
        s.id: s
        for s in session.execute(
            select(ScopeRow).where(ScopeRow.id.in_({r.scope_id for r in requests if r.scope_id}))
        ).scalars()
    }
    people = _names(
        session,
        {r.filed_by_id for r in requests}
        | {d.approver_id for d in decisions.values()}
        | {p.produced_by_id for p in packages.values()},
    )
    tz = rt.settings.tz
    policy = rt.policy(session)
    views = []
    for r in requests:
        decision, package = decisions.get(r.id), packages.get(r.id)
        status = (
            ReleaseStatus.FULFILLED
            if package
            else (ReleaseStatus.APPROVED if decision.approved else ReleaseStatus.DENIED)
            if decision
            else r.status
        )
        agency = agencies.get(r.agency_id) if r.agency_id else None
        scope_row = scope_rows.get(r.scope_id) if r.scope_id else None
        scope = scopes.recorded(scope_row) if scope_row else None
        views.append(
            RequestView(
                id=r.id,
                filed_at=r.filed_at,
                filed_by=people.get(r.filed_by_id, "?"),
                agency=agency.name if agency else f"{r.requester_name} (not an agency)",
                agency_kind=AGENCY_KINDS[r.requester_kind],
                agency_state=STATES.get(r.requester_state or "CA", r.requester_state or ""),
                requester=r.requester_name,
                contact=r.requester_contact,
                purpose=r.purpose,
                purpose_code=PURPOSE_LABELS[Purpose(r.purpose_code)] if r.purpose_code else None,
                description=r.description,
                requested=REQUESTED[r.requested],
                legal_basis=LEGAL_BASES[LegalBasis(r.legal_basis)],
                agreement=agreements.get(r.agreement_id) if r.agreement_id else None,
                rules_decision=r.rules_decision,
                rules_label=RULES_DECISIONS[r.rules_decision],
                reasons=list(r.rules_reasons),
                scope=scope.describe(tz) if scope else None,
                covers=scope.subject() if scope else None,
                period=(scope.start, scope.end) if scope else None,
                scope_reads=scope_row.reads_counted if scope_row else None,
                counts_only=counts_only(r),
                beyond_bounds=scopes.beyond_bounds(
                    scope, policy, reads=scope_row.reads_counted or 0
                )
                if scope is not None and scope_row is not None and not counts_only(r)
                else [],
                status=status.value,
                status_label=REFUSED_UNDECIDED
                if decision is None and r.rules_decision is ReleaseDecisionKind.REFUSED
                else STATUSES[status.value],
                decision=DecisionView(
                    decision.approved,
                    people.get(decision.approver_id, "?"),
                    decision.decided_at,
                    decision.note,
                    decision.scope_reads,
                    decision.override_reason,
                )
                if decision
                else None,
                package=PackageView(
                    package.id,
                    people.get(package.produced_by_id, "?"),
                    package.produced_at,
                    package.reads,
                    package.manifest.get("kind") == "counts",
                    package.manifest_sha256,
                    package.path,
                )
                if package
                else None,
                attachments=attachments.get(r.id, []),
                missing_document=_missing_document(r, kinds.get(r.id, set())),
            )
        )
    return views


SEE = (Permission.FILE_RELEASES, Permission.APPROVE_RELEASES)


def list_requests(rt: Runtime, *, principal: Principal) -> list[RequestView]:
    """Every request, newest first."""

    def run(session: Session, _who: Actor) -> Done[list[RequestView]]:
        requests = list(
            session.execute(select(ReleaseRequest).order_by(ReleaseRequest.id.desc())).scalars()
        )
        return Done(_views(session, rt, requests))

    return administered(
        rt, Act(principal, SEE, Event.RELEASE, "list the requests for data", view=True), run
    )


def request_view(rt: Runtime, *, principal: Principal, request_id: int) -> RequestView:
    """One request with its whole history: filing, the law's decision, scope, documents, the
    commander's decision and the package."""

    def run(session: Session, _who: Actor) -> Done[RequestView]:
        request = session.get(ReleaseRequest, request_id)
        if request is None:
            raise InvalidInput(f"no request {request_id}")
        return Done(_views(session, rt, [request])[0])

    return administered(
        rt, Act(principal, SEE, Event.RELEASE, f"open request {request_id}", view=True), run
    )
