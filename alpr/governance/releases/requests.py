"""Filing and deciding requests for ALPR data (R41, R42, R45-R47). A request names its agency
from the register, the agreement it relies on and what it covers (its scope, counted when it is
recorded); the commander decides with the law applied again on the day, the scope counted again
and, beyond the policy's bounds, a recorded reason; the law is applied once more on the day the
package is produced. Once decided, a request never changes."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from alpr.data.models import (
    Agency,
    AgencyKind,
    AgreementEnding,
    LegalBasis,
    Purpose,
    ReleaseAttachment,
    ReleaseDecision,
    ReleaseDecisionKind,
    ReleaseRequest,
    ReleaseStatus,
    RequestedData,
)
from alpr.data.models import Scope as ScopeRow
from alpr.governance import scopes
from alpr.governance.access_log import Event
from alpr.governance.errors import InvalidInput, Refusal, RefusalKind, check_ids, one_of
from alpr.governance.gateway import Act, Actor, Done, administered
from alpr.governance.permissions import Permission
from alpr.governance.principal import Principal
from alpr.governance.releases.labels import ATTACHMENT_KINDS, EXCEPTION_DOCUMENT
from alpr.governance.releases.registry import cited_agreement
from alpr.governance.releases.rules import Decision, ReleaseQuery, evaluate
from alpr.governance.runtime import Runtime
from alpr.governance.scopes import Scope, ScopeInput
from alpr.policy import Policy

MAX_ATTACHMENT_BYTES = 50 * 1024 * 1024


@dataclass(frozen=True)
class RequestForm:
    requester_name: str
    requester_contact: str
    purpose: str
    description: str
    requested: str
    legal_basis: str
    immigration_related: bool
    agency_name: str | None = None  # None: a member of the public, the media, a private party
    purpose_code: str | None = None  # the authorized purpose (R10) a plate-level release serves
    agreement_id: int | None = None
    scope: ScopeInput | None = None
    offense: str | None = None  # for counts of hits (R45)


@dataclass(frozen=True)
class Attachment:
    kind: str
    filename: str
    data: bytes


@dataclass(frozen=True)
class Filed:
    id: int
    decision: Decision
    status: str
    reads: int | None  # what the scope selects, counted when it was recorded


def attachment_folder(rt: Runtime, request_id: int) -> Path:
    return rt.settings.data_dir / "attachments" / f"request-{request_id}"


def attachment_path(rt: Runtime, request_id: int, digest: str, filename: str) -> Path:
    return attachment_folder(rt, request_id) / f"{digest}-{filename}"


def counts_only(request: ReleaseRequest) -> bool:
    """Whether the release is of counts (no plate, no image), whatever was asked (R45, R46)."""
    return (
        request.requester_kind is AgencyKind.NON_GOVERNMENT
        or request.requested is RequestedData.AGGREGATE
        or request.rules_decision is ReleaseDecisionKind.AGGREGATE_ONLY
    )


def _today(rt: Runtime) -> date:
    return rt.now().astimezone(rt.settings.tz).date()


def _query(
    session: Session,
    rt: Runtime,
    request: ReleaseRequest,
    *,
    documents: set[str],
    today: date,
) -> ReleaseQuery:
    """The request as the rules engine sees it on ``today``: the agency's name as it is in the
    register, the agreement it cites as it stands that day, and whether the document the
    exception needs is among ``documents``."""
    needed = EXCEPTION_DOCUMENT.get(request.legal_basis)
    agency = session.get(Agency, request.agency_id) if request.agency_id is not None else None
    return ReleaseQuery(
        agency_kind=request.requester_kind,
        agency_state=request.requester_state or "CA",
        purpose=request.purpose,
        immigration_related=request.immigration_related,
        legal_basis=request.legal_basis,
        requested=request.requested,
        agreement=(
            cited_agreement(
                session,
                agency_id=request.agency_id,
                today=today,
                agreement_id=request.agreement_id,
            )
            if request.agency_id is not None
            else None
        ),
        allow_out_of_state_exception=rt.policy(session).allow_out_of_state_exception,
        exception_document=needed is not None and needed in documents,
        description=request.description,
        requester_name=request.requester_name,
        agency_name=agency.name if agency else "",
        offense=request.details.get("offense") or "",
    )


def _check_scope(scope: Scope, request: ReleaseRequest) -> None:
    """Refuse a plate in the scope of a release of counts (R45, R48): counts are of a place in a
    period, and a plate among them would tell the clerk, without a case or a search's
    justification, where that plate was."""
    if counts_only(request) and scope.patterns:
        raise Refusal(
            RefusalKind.RULE,
            "Counts are of a place in a period, never of a plate: a release of counts (to the "
            "public, the media, a requester outside law enforcement, or of counts only) names "
            "no plate, as ALPR data is not open to public review. Give the place and the "
            "period only.",
        )


def _record_scope(
    session: Session, rt: Runtime, principal: Principal, given: ScopeInput, request: ReleaseRequest
) -> tuple[int, Scope, int | None]:
    """Record the request's scope, counted unless the law has refused the request (nothing is
    looked at for a request that cannot be released)."""
    scope = scopes.validated(given, area_needs_case=not counts_only(request))
    _check_scope(scope, request)
    count = request.rules_decision is not ReleaseDecisionKind.REFUSED
    reads = scopes.count_reads(session, scope) if count else None
    scope_id = scopes.record(session, scope, by=principal.user_id, at=rt.now(), reads=reads)
    return scope_id, scope, reads


def _checked(form: RequestForm, attachments: tuple[Attachment, ...]) -> None:
    for field, value in (
        ("requester's name", form.requester_name),
        ("requester's contact", form.requester_contact),
        ("description of the information requested", form.description),
    ):
        if not value.strip():
            raise InvalidInput(f"the {field} is required")
    for attachment in attachments:
        if attachment.kind not in ATTACHMENT_KINDS:
            raise InvalidInput(
                f"{attachment.kind!r} is not a kind of document; use one of: "
                + ", ".join(ATTACHMENT_KINDS)
            )
        if not attachment.data:
            raise InvalidInput(f"{attachment.filename} is empty")
        if len(attachment.data) > MAX_ATTACHMENT_BYTES:
            raise InvalidInput(f"{attachment.filename} is larger than 50 MB")


def _draft(
    session: Session,
    rt: Runtime,
    form: RequestForm,
    *,
    documents: set[str],
    kind: AgencyKind = AgencyKind.NON_GOVERNMENT,
    state: str = "CA",
) -> tuple[ReleaseRequest, Decision]:
    """The request as it would be filed, not yet added to the session, with the rules'
    decision. Without an agency from the register, the requester is of ``kind`` in ``state``
    (a member of the public, the media or a private party unless said otherwise)."""
    requested = one_of(RequestedData, form.requested, "what can be requested")
    basis = one_of(LegalBasis, form.legal_basis, "a legal basis")
    purpose_code = (
        one_of(Purpose, form.purpose_code, "an authorized purpose") if form.purpose_code else None
    )
    agency = None
    if form.agency_name:
        agency = session.execute(
            select(Agency).where(Agency.name == form.agency_name.strip())
        ).scalar_one_or_none()
        if agency is None or agency.is_home:
            raise InvalidInput(
                f"no agency named {form.agency_name!r} in the register; add it first"
            )
    elif form.agreement_id is not None:
        raise InvalidInput("an agreement is cited only for an agency in the register")
    if form.agreement_id is not None:
        check_ids([form.agreement_id], "an agreement's number")
    request = ReleaseRequest(
        filed_at=rt.now(),
        agency_id=agency.id if agency else None,
        requester_kind=agency.kind if agency else kind,
        requester_state=agency.state if agency else state,
        requester_name=form.requester_name.strip(),
        requester_contact=form.requester_contact.strip(),
        purpose=form.purpose.strip(),
        purpose_code=purpose_code.value if purpose_code else None,
        description=form.description.strip(),
        details={"offense": (form.offense or "").strip() or None},
        requested=requested,
        legal_basis=basis,
        immigration_related=form.immigration_related,
        agreement_id=form.agreement_id,
        status=(
            ReleaseStatus.ROUTED_TO_RECORDS_MANAGER
            if basis is LegalBasis.PUBLIC_RECORDS_REQUEST
            else ReleaseStatus.FILED
        ),
    )
    query = _query(session, rt, request, documents=documents, today=_today(rt))
    decision = evaluate(query)
    request.agreement_id = query.agreement.id if query.agreement else None
    request.rules_decision = decision.decision
    request.rules_reasons = decision.reasons
    request.rules_requirements = decision.requirements
    return request, decision


def evaluate_form(
    rt: Runtime, *, form: RequestForm, documents: set[str], kind: str | None, state: str
) -> Decision:
    """What the law and the agency's policy say about a request, without filing it; no ALPR
    data is touched. An agency named is looked up in the register with its agreements; else
    the requester is of ``kind`` in ``state``."""
    chosen = one_of(AgencyKind, kind, "a kind of agency") if kind else AgencyKind.NON_GOVERNMENT
    with rt.transaction() as session:
        return _draft(session, rt, form, documents=documents, kind=chosen, state=state.upper())[1]


def file_request(
    rt: Runtime,
    *,
    principal: Principal,
    form: RequestForm,
    attachments: tuple[Attachment, ...] = (),
) -> Filed:
    """Record a request (R41) with the rules engine's decision, its scope counted, and its
    attachments stored by their SHA-256."""
    _checked(form, attachments)
    agency_name = form.agency_name.strip() if form.agency_name else None

    def run(session: Session, _who: Actor) -> Done[Filed]:
        request, decision = _draft(session, rt, form, documents={a.kind for a in attachments})
        if (
            request.purpose_code is None
            and request.requested is RequestedData.PLATE_LEVEL
            and decision.decision in (ReleaseDecisionKind.ELIGIBLE, ReleaseDecisionKind.REVIEW)
        ):
            raise InvalidInput("choose the authorized purpose the plate-level release would serve")
        scope_id, scope, reads = (
            _record_scope(session, rt, principal, form.scope, request)
            if form.scope
            else (None, None, None)
        )
        request.filed_by_id = principal.user_id
        request.scope_id = scope_id
        session.add(request)
        session.flush()
        for attachment in attachments:
            name = Path(attachment.filename).name or "document"
            digest = hashlib.sha256(attachment.data).hexdigest()
            path = attachment_path(rt, request.id, digest, name)
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(attachment.data)
            session.add(
                ReleaseAttachment(
                    request_id=request.id,
                    kind=attachment.kind,
                    filename=name,
                    sha256=digest,
                    size_bytes=len(attachment.data),
                    uploaded_at=rt.now(),
                )
            )
        return Done(
            Filed(request.id, decision, request.status.value, reads),
            query={
                "release_request": request.id,
                "agency": agency_name,
                "scope": scope.as_params() if scope else None,
            },
            result_count=reads,
            plates=scope.plates if scope else (),
            detail=f"request {request.id} filed for {agency_name or request.requester_name}: "
            f"{decision.decision.value} ({', '.join(decision.requirements)})"
            + (f"; scope {scope.describe(rt.settings.tz)}" if scope else "")
            + (f": {reads} reads" if reads is not None else ""),
        )

    return administered(
        rt,
        Act(
            principal,
            Permission.FILE_RELEASES,
            Event.RELEASE,
            f"file a request from {agency_name or form.requester_name.strip()}",
        ),
        run,
    )


def _documents(session: Session, request: ReleaseRequest) -> set[str]:
    """The kinds of document attached to the request."""
    return set(
        session.execute(
            select(ReleaseAttachment.kind).where(ReleaseAttachment.request_id == request.id)
        ).scalars()
    )


def _undecided(session: Session, request_id: int) -> ReleaseRequest:
    request = session.get(ReleaseRequest, request_id)
    if request is None:
        raise InvalidInput(f"no request {request_id}")
    if session.execute(
        select(ReleaseDecision.id).where(ReleaseDecision.request_id == request_id)
    ).first():
        raise Refusal(
            RefusalKind.RULE, f"Request {request_id} has been decided; decisions are final."
        )
    return request


def set_scope(
    rt: Runtime, *, principal: Principal, request_id: int, scope: ScopeInput
) -> int | None:
    """Record what an undecided request covers (a new scope; the old one stays on file);
    returns how many reads it selects (None: not counted, the law refuses the request)."""

    def run(session: Session, _who: Actor) -> Done[int | None]:
        request = _undecided(session, request_id)
        scope_id, recorded, reads = _record_scope(session, rt, principal, scope, request)
        request.scope_id = scope_id
        return Done(
            reads,
            query={"release_request": request_id, "scope": recorded.as_params()},
            result_count=reads,
            plates=recorded.plates,
            detail=f"request {request_id} scoped: {recorded.describe(rt.settings.tz)}"
            + (f": {reads} reads" if reads is not None else ""),
        )

    return administered(
        rt,
        Act(principal, Permission.FILE_RELEASES, Event.RELEASE, f"scope request {request_id}"),
        run,
    )


def decide(
    rt: Runtime,
    *,
    principal: Principal,
    request_id: int,
    approve: bool,
    note: str,
    override_reason: str | None = None,
) -> Decision:
    """The commander's decision (R42); it cannot be edited afterwards (database trigger). An
    approval applies the law again as it stands today, needs a scope (a plate-level release
    names what it covers; counts are of a place), counts the reads the scope selects up to the
    instant of the decision (what the package will hold), and beyond the policy's bounds needs
    the commander's reason. Returns the rules' decision. A refused approval is itself in the
    access log."""
    if not note.strip():
        raise InvalidInput("record the reason for the decision")
    override = (override_reason or "").strip() or None

    def run(session: Session, _who: Actor) -> Done[Decision]:
        request = _undecided(session, request_id)
        rules = evaluate(
            _query(session, rt, request, documents=_documents(session, request), today=_today(rt))
        )
        scope_row = session.get(ScopeRow, request.scope_id) if request.scope_id else None
        scope = scopes.recorded(scope_row).up_to(rt.now()) if scope_row else None
        reads = scopes.count_reads(session, scope) if scope else None
        if approve:
            _check_approval(request, rules, scope, reads, override, rt.policy(session))
        session.add(
            ReleaseDecision(
                request_id=request_id,
                approver_id=principal.user_id,
                approved=approve,
                note=note.strip(),
                scope_reads=reads,
                override_reason=override if approve else None,
                decided_at=rt.now(),
            )
        )
        return Done(
            rules,
            query={"release_request": request_id, "override": override if approve else None},
            result_count=reads,
            plates=scope.plates if scope else (),
            detail=f"request {request_id} {'approved' if approve else 'denied'}: {note.strip()}"
            + (f" (beyond the bounds: {override})" if approve and override else ""),
        )

    return administered(
        rt,
        Act(
            principal,
            Permission.APPROVE_RELEASES,
            Event.RELEASE,
            f"{'approve' if approve else 'deny'} request {request_id}",
        ),
        run,
    )


def _check_approval(
    request: ReleaseRequest,
    rules: Decision,
    scope: Scope | None,
    reads: int | None,
    override: str | None,
    policy: Policy,
) -> None:
    if rules.decision is ReleaseDecisionKind.REFUSED:
        raise Refusal(
            RefusalKind.RULE, "The law does not allow this release: " + " ".join(rules.reasons)
        )
    if counts_only(request):
        if scope is None or scope.area is None or scope.patterns:
            raise Refusal(
                RefusalKind.RULE,
                "Counts are of a place in a period: record the request's area and "
                "period, and no plate, before approving it.",
            )
        return
    if scope is None:
        raise Refusal(
            RefusalKind.RULE,
            "A plate-level request must name what it covers (plates, or a case with its area, "
            "and a period) before it can be approved.",
        )
    if request.purpose_code is None:
        raise Refusal(
            RefusalKind.RULE,
            "The request does not say which authorized purpose the release serves.",
        )
    beyond = scopes.beyond_bounds(scope, policy, reads=reads or 0)
    if beyond and override is None:
        raise Refusal(
            RefusalKind.BOUNDS,
            f"This release goes beyond the agency's bounds ({'; '.join(beyond)}). Narrow its "
            "scope, or record your reason for releasing this much.",
        )


NEW_REQUEST = (
    "Nothing was produced: file a new request, so that the commander decides on what would be "
    "released as things stand."
)


def check_at_fulfilment(
    session: Session, rt: Runtime, request: ReleaseRequest, *, approved_at: datetime
) -> None:
    """Refuse to produce the package of an approved request when the law, applied again on the
    day (R40, R43, R44, R47), no longer allows it: the rules refuse it now (an agency whose
    name says it is outside California, the exception no longer allowed by the policy). A
    plate-level release is refused too when it rests on an agreement (legal basis MOU) not in
    force that day, or when the agreement it cites was ended by the department after the
    approval, whatever the basis, as the commander approved while it stood; counts do not
    depend on an agreement (R45)."""
    query = _query(session, rt, request, documents=_documents(session, request), today=_today(rt))
    rules = evaluate(query)
    if rules.decision is ReleaseDecisionKind.REFUSED:
        raise Refusal(
            RefusalKind.RULE,
            "The law no longer allows this release: " + " ".join(rules.reasons) + " " + NEW_REQUEST,
        )
    if counts_only(request):
        return
    agreement = query.agreement
    if request.legal_basis is LegalBasis.MOU and (agreement is None or not agreement.in_force):
        raise Refusal(
            RefusalKind.RULE,
            "The release rests on a sharing agreement, and "
            + (f"'{agreement.title}' {agreement.standing}" if agreement else "none is on file")
            + ". "
            + NEW_REQUEST,
        )
    if agreement is not None and _ended_since(session, agreement.id, approved_at, _today(rt)):
        raise Refusal(
            RefusalKind.RULE,
            f"'{agreement.title}', which the request cites, {agreement.standing}, after the "
            f"commander approved the request. {NEW_REQUEST}",
        )


def _ended_since(session: Session, agreement_id: int, since: datetime, today: date) -> bool:
    """Whether the department recorded the agreement's end after ``since``, in effect by
    ``today``."""
    return (
        session.execute(
            select(AgreementEnding.id).where(
                AgreementEnding.agreement_id == agreement_id,
                AgreementEnding.recorded_at >= since,
                AgreementEnding.ended_on <= today,
            )
        ).first()
        is not None
    )
