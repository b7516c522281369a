"""The gateway every door to ALPR data, and every privileged act, goes through.

``governed`` checks the principal (still active), the permission, the training and the
justification (and the policy bounds, with a supervisor's approval beyond them), then runs
the query (on a read replica when the search allows it, ``alpr.governance.replicas``), writes
the search and the access record in the same transaction on the primary, and only once that
has committed returns the result. ``administered`` is its counterpart for every act that is
not a data search (accounts, training, policy, hot lists, cameras, alert reviews, holds,
audits, the log review, purge, upkeep): it authorizes the actor, runs the act and records it.
Either way a refusal is itself recorded, in its own transaction, and raised.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any, Generic, TypeVar, cast

from sqlalchemy import Table, insert
from sqlalchemy.orm import Session

from alpr.data.models import Search
from alpr.governance import access_log
from alpr.governance.access_log import Event, Outcome
from alpr.governance.actors import SYSTEM
from alpr.governance.errors import Refusal, RefusalKind
from alpr.governance.identity import require_active, standing_of
from alpr.governance.justification import Justification, justify
from alpr.governance.permissions import (
    DATA_PERMISSIONS,
    NEEDS_TRAINING,
    Permission,
    allows,
    role_definition,
)
from alpr.governance.principal import Principal
from alpr.governance.replicas import run_query
from alpr.governance.runtime import Runtime
from alpr.governance.training import status_after
from alpr.policy import Policy

T = TypeVar("T")
_SEARCHES = cast(Table, Search.__table__)
_INSERT_SEARCH = insert(_SEARCHES).returning(_SEARCHES.c.id)
# On Postgres the same round trip also takes the access-log chain lock and head.
_INSERT_SEARCH_TAKING_CHAIN = insert(_SEARCHES).returning(_SEARCHES.c.id, access_log.CHAIN_HEAD)


@dataclass(frozen=True)
class JustificationInput:
    """What the person typed; validated by the gateway, never trusted by a page."""

    purpose: str | None
    case_number: str | None = None
    description: str | None = None
    exigent: bool = False

    def as_dict(self) -> dict[str, Any]:
        return {
            "purpose": self.purpose,
            "case_number": self.case_number,
            "description": self.description,
            "exigent": self.exigent,
        }


# A justification worked out in the governed transaction itself (that of the search whose
# results a follow-up opens): a refusal to give one is then recorded like any other.
JustifiedBy = Callable[[Session], Justification]


@dataclass(frozen=True)
class Answer(Generic[T]):
    """What a query returns to the gateway: the result and the read ids it exposes (and, for
    a query that also acts, what its access record says it did)."""

    result: T
    read_ids: Sequence[int] = ()
    plates: Sequence[str] = ()
    count: int | None = None
    detail: str | None = None


@dataclass(frozen=True)
class Governed(Generic[T]):
    search_id: int | None
    access_record_id: int
    result: T


@dataclass(frozen=True)
class Request:
    """One governed access: who, what permission, what is asked, and why."""

    principal: Principal
    permission: Permission
    kind: str
    params: dict[str, Any]
    justification: JustificationInput | Justification | JustifiedBy | None
    event: Event = Event.SEARCH
    plates: Sequence[str] = ()
    bounds: Callable[[Session, Policy], Sequence[str]] | None = None
    approver: Principal | None = None
    approval_note: str | None = None
    search_id: int | None = None
    detail: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)
    # The newest capture time the query can return: given, the query may run on a replica.
    reads_until: datetime | None = None


def authorize(
    session: Session,
    rt: Runtime,
    *,
    principal: Principal,
    permission: Permission | tuple[Permission, ...],
    whose: str = "Your",
) -> Permission:
    """Re-check, against the database and in one statement, that this person may use this
    permission (or one of these) now: the account is active, the role grants it, and where the
    permission needs it the training is current. Returns the permission used. The policy read
    with it serves the rest of the transaction. ``whose`` names the person in a refusal of the
    role when it is not the one asking."""
    standing = require_active(standing_of(session, principal.user_id))
    policy = rt.adopt_policy(session, standing.policy_overrides)
    wanted = permission if isinstance(permission, tuple) else (permission,)
    granted = next((p for p in wanted if allows(standing.permissions, p)), None)
    if granted is None:
        role = role_definition(standing.role_code)
        raise Refusal(
            RefusalKind.PERMISSION,
            f"{whose} role ({role.name}) does not include "
            + " or ".join(f"'{p.value}'" for p in wanted)
            + "; ALPR data is shown on a need-to-know basis.",
        )
    if granted in NEEDS_TRAINING:
        today = rt.now().astimezone(rt.settings.tz).date()
        latest = max((d for d in standing.training_dates if d <= today), default=None)
        status = status_after(latest, today=today, validity_days=policy.training_validity_days)
        if not status.current:
            raise Refusal(RefusalKind.TRAINING, status.message)
    return granted


def _validated(
    session: Session, rt: Runtime, given: JustificationInput | Justification | JustifiedBy | None
) -> Justification:
    if isinstance(given, Justification):
        return given
    if callable(given):
        return given(session)
    given = given or JustificationInput(purpose=None)
    return justify(
        purpose=given.purpose,
        case_number=given.case_number,
        description=given.description,
        exigent=given.exigent,
        case_number_patterns=rt.policy(session).case_number_patterns,
        offenses=rt.policy(session).justification_offenses,
    )


def _check_bounds(session: Session, rt: Runtime, request: Request) -> Principal | None:
    """The policy bounds the request goes beyond, worked out in the governed transaction, and
    the supervisor's approval they need; returns the approver whose approval counted. An
    approval given for a request within the bounds is not checked, so it is not recorded."""
    violations = request.bounds(session, rt.policy(session)) if request.bounds else ()
    if not violations:
        return None
    limits = "; ".join(violations)
    if request.approver is None:
        raise Refusal(
            RefusalKind.BOUNDS,
            f"This search goes beyond the agency's bounds ({limits}). Narrow it, or have a "
            "sergeant approve it.",
        )
    if request.approver.user_id == request.principal.user_id:
        raise Refusal(RefusalKind.BOUNDS, "A search cannot be approved by the person running it.")
    authorize(
        session,
        rt,
        principal=request.approver,
        permission=Permission.APPROVE_BROAD_SEARCH,
        whose="The approver's",
    )
    if not (request.approval_note or "").strip():
        raise Refusal(RefusalKind.BOUNDS, "The supervisor's approval needs a note saying why.")
    return request.approver


def _record_refusal(rt: Runtime, request: Request, refusal: Refusal) -> None:
    raw = request.justification
    justification = raw if isinstance(raw, Justification) else None
    with rt.transaction() as session:
        search_id = None
        if request.event == Event.SEARCH:
            search = Search(
                user_id=request.principal.user_id,
                kind=request.kind,
                params=request.params,
                purpose=justification.purpose if justification else None,
                case_number=justification.case_number if justification else None,
                description=justification.description if justification else None,
                exigent=justification.exigent if justification else False,
                refused_reason=refusal.message,
                result_count=0,
                created_at=rt.now(),
            )
            session.add(search)
            session.flush()
            search_id = search.id
        query = {"kind": request.kind, **request.params}
        if request.search_id is not None:
            query["search_id"] = request.search_id  # the search whose results were asked for
        if isinstance(raw, JustificationInput):
            query["justification_given"] = raw.as_dict()
        access_log.append(
            session,
            at=rt.now(),
            event=request.event,
            outcome=Outcome.REFUSED,
            principal=request.principal,
            justification=justification,
            search_id=search_id,
            query=query,
            plates=request.plates,
            result_count=0,
            detail=f"{refusal.kind.value}: {refusal.message}",
        )


def governed(rt: Runtime, request: Request, run: Callable[[Session], Answer[T]]) -> Governed[T]:
    """Run ``run`` for ``request`` if and only if every rule allows it, and record it."""
    justification: Justification | None = None
    try:
        with rt.transaction() as session:
            authorize(session, rt, principal=request.principal, permission=request.permission)
            justification = _validated(session, rt, request.justification)
            approver = _check_bounds(session, rt, request)
            outcome = run_query(rt, session, run, reads_until=request.reads_until)
            count = outcome.count if outcome.count is not None else len(outcome.read_ids)
            search_id = request.search_id
            chain_head = None
            if request.event == Event.SEARCH:
                search = session.execute(
                    _INSERT_SEARCH_TAKING_CHAIN if rt.is_postgres else _INSERT_SEARCH,
                    {
                        "user_id": request.principal.user_id,
                        "kind": request.kind,
                        "params": request.params,
                        "purpose": justification.purpose,
                        "case_number": justification.case_number,
                        "description": justification.description,
                        "exigent": justification.exigent,
                        "approved_by_id": approver.user_id if approver else None,
                        "approval_note": request.approval_note if approver else None,
                        "result_count": count,
                        "created_at": rt.now(),
                    },
                ).one()
                search_id = search[0]
                chain_head = search[1] if rt.is_postgres else None
            query = {"kind": request.kind, **request.params}
            if approver is not None:
                query["approved_by"] = approver.username
                query["approval_note"] = request.approval_note
            record_id = access_log.append(
                session,
                at=rt.now(),
                event=request.event,
                outcome=Outcome.ALLOWED,
                principal=request.principal,
                justification=justification,
                search_id=search_id,
                query=query,
                plates=list(request.plates) + list(outcome.plates),
                result_ids=list(outcome.read_ids),
                result_count=count,
                detail=outcome.detail or request.detail,
                chain_head=chain_head,
            )
            return Governed(search_id=search_id, access_record_id=record_id, result=outcome.result)
    except Refusal as refusal:
        logged = replace(request, justification=justification or request.justification)
        _record_refusal(rt, logged, refusal)
        raise


@dataclass(frozen=True)
class Actor:
    """Who performs a privileged act: a signed-in person, or the system's own job (no
    principal: set-up, the daily maintenance)."""

    principal: Principal | None
    name: str

    @property
    def user_id(self) -> int | None:
        return self.principal.user_id if self.principal else None


@dataclass(frozen=True)
class Act:
    """One privileged act that is not a data search. ``permission``: any one of them will do.
    ``view``: a look at administrative lists, whose refusal alone is recorded. ``plates``: the
    plates the act looks up (a hot-list entry's retro-hits show where they were read), on its
    record whether it is done or refused."""

    actor: Principal | None
    permission: Permission | tuple[Permission, ...]
    event: Event
    summary: str
    view: bool = False
    plates: Sequence[str] = ()


@dataclass(frozen=True)
class Done(Generic[T]):
    """What an act returns to the gateway: its result and what the access record says."""

    result: T
    detail: str | None = None
    outcome: Outcome = Outcome.SUCCESS
    plates: Sequence[str] = ()
    result_ids: Sequence[int] | None = None
    result_count: int | None = None
    query: dict[str, Any] | None = None


def _actor(session: Session, rt: Runtime, act: Act) -> Actor:
    if act.actor is None:
        return Actor(None, SYSTEM)
    authorize(session, rt, principal=act.actor, permission=act.permission)
    return Actor(act.actor, act.actor.username)


def _record_done(session: Session, rt: Runtime, act: Act, actor: Actor, done: Done[T]) -> None:
    if act.view and done.outcome is Outcome.SUCCESS:
        return
    access_log.append(
        session,
        at=rt.now(),
        event=act.event,
        outcome=done.outcome,
        principal=actor.principal,
        username=actor.name,
        query=done.query,
        plates=list(act.plates) + list(done.plates),
        result_ids=done.result_ids,
        result_count=done.result_count,
        detail=done.detail or act.summary,
    )


def _record_refused_act(rt: Runtime, act: Act, refusal: Refusal) -> None:
    with rt.transaction() as session:
        access_log.append(
            session,
            at=rt.now(),
            event=act.event,
            outcome=Outcome.REFUSED,
            principal=act.actor,
            username=None if act.actor else SYSTEM,
            plates=act.plates,
            detail=f"{act.summary}: {refusal.kind.value}: {refusal.message}",
        )


def administered(rt: Runtime, act: Act, run: Callable[[Session, Actor], Done[T]]) -> T:
    """Authorize the actor, run the act and record it, in one transaction; a refusal (of the
    actor, or by a rule of the act itself) is recorded in its own transaction and raised."""
    try:
        with rt.transaction() as session:
            actor = _actor(session, rt, act)
            done = run(session, actor)
            _record_done(session, rt, act, actor, done)
            return done.result
    except Refusal as refusal:
        _record_refused_act(rt, act, refusal)
        raise


def check_standing(
    rt: Runtime, *, principal: Principal, permission: Permission | tuple[Permission, ...]
) -> None:
    """Refuse, recorded, unless this person may use the permission (or one of them) now, as
    every access checks it: the account active, the role granting it, the training current. A
    page asks before it shows again what it kept from an earlier run (a search's results), so
    that they are not shown to someone whose training has lapsed meanwhile."""
    wanted = permission if isinstance(permission, tuple) else (permission,)
    administered(
        rt,
        Act(
            principal,
            permission,
            Event.VIEW_READ if any(p in DATA_PERMISSIONS for p in wanted) else Event.SYSTEM,
            "open a page for " + " or ".join(f"'{p.value}'" for p in wanted),
            view=True,
        ),
        lambda _session, _actor: Done(None),
    )


def administered_job(rt: Runtime, act: Act, run: Callable[[Actor], Done[T]]) -> T:
    """``administered`` for an act that works in transactions of its own (purge, schema
    upkeep): authorized first, then run, then recorded."""
    try:
        with rt.transaction() as session:
            actor = _actor(session, rt, act)
        done = run(actor)
        with rt.transaction() as session:
            _record_done(session, rt, act, actor, done)
        return done.result
    except Refusal as refusal:
        _record_refused_act(rt, act, refusal)
        raise
