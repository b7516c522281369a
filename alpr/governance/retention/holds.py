"""Legal holds (R31): reads that are or may become evidence are kept (stored as retained,
never purged) until a supervisor or the ALPR Administrator other than the one who placed it
releases the hold, which is logged. A hold names a case number in the agency's formats and a
reason a reviewer can weigh (R21), and covers a bounded set of reads, so that no one hold
keeps the whole database from being purged: at most ``MAX_READ_IDS`` reads named one by one,
or a scope: a plate (or partial plate) in a period, or a case's area in a period, bounded as
a search is (its plates' known characters, its area's radius, its period: a plate search's
window for plates, a canvass's for an area). Evidence that spans a longer time is held with a
sergeant's approval, given and recorded as for a search beyond its bounds, or a period at a
time, each hold with its own reason and record; no approval makes a hold broader.

Placing a hold on a scope looks reads up as a search does (how many reads of a plate, or
around a place, there were in a period is itself what a search would tell): it goes through
the gateway with a justification, a purpose and the case number (R21), and its access record
names the plates and reads it found (R20)."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from alpr.data.models import Alert, LegalHold, LegalHoldRead, Read, User
from alpr.data.models import Scope as ScopeRow
from alpr.data.retained import mark_retained
from alpr.governance import scopes
from alpr.governance.access_log import Event
from alpr.governance.errors import InvalidInput, Refusal, RefusalKind, check_ids
from alpr.governance.gateway import (
    Act,
    Actor,
    Answer,
    Done,
    JustificationInput,
    Request,
    administered,
    governed,
)
from alpr.governance.investigations.bounds import (
    canvass_window_violations,
    plate_window_violations,
)
from alpr.governance.justification import case_number_problem, reason_problem
from alpr.governance.permissions import Permission
from alpr.governance.principal import Principal
from alpr.governance.runtime import Runtime
from alpr.governance.scopes import Scope, ScopeInput
from alpr.policy import Policy

REVIEW_AFTER_DAYS = 180
# Reads named one by one are those a detective picked out of search results as evidence: a
# case's scenes and suspects come to some hundreds. Beyond that what is held is a plate or an
# area in a period, a scope bounded as a search is; two holds of 10,000 numbered reads each
# once kept a whole small database from being purged.
MAX_READ_IDS = 500
CHUNK = 1000


@dataclass(frozen=True)
class HoldView:
    id: int
    case_number: str
    reason: str
    covers: str
    placed_at: datetime
    placed_by: str
    placed_by_id: int
    reads: int
    review_due_on: date | None
    released: bool
    released_at: datetime | None
    released_by: str | None
    release_note: str | None


def _held_ids(session: Session) -> set[int]:
    return set(
        session.execute(
            select(LegalHoldRead.read_id)
            .join(LegalHold, LegalHold.id == LegalHoldRead.hold_id)
            .where(LegalHold.released_at.is_(None))
        ).scalars()
    )


def place_hold(
    rt: Runtime,
    *,
    principal: Principal,
    case_number: str,
    reason: str,
    read_ids: list[int] | None = None,
    scope: ScopeInput | None = None,
    purpose: str | None = None,
    approver: Principal | None = None,
    approval_note: str | None = None,
) -> int:
    """Hold the reads named by id, or those a scope selects (a plate in a period, or the case's
    area in a period, with the ``purpose`` of the look-up); returns the hold's number. A scope
    over a longer period than a search of it needs a sergeant's approval, as the search would
    (R21); a broader one is refused whoever approves."""
    case = case_number.strip().upper()
    if not case or not reason.strip():
        raise InvalidInput("a hold needs the case number and the reason")
    if bool(read_ids) == (scope is not None):
        raise InvalidInput("hold either reads by number, or a plate or an area in a period")
    if scope is not None:
        chosen = scopes.validated(replace(scope, case_number=case))
        return _hold_scope(
            rt,
            principal=principal,
            case=case,
            reason=reason.strip(),
            scope=chosen,
            purpose=purpose,
            approval=(approver, approval_note),
        )
    check_ids(read_ids or [], "a read number")
    wanted = sorted(set(read_ids or []))

    def run(session: Session, _who: Actor) -> Done[int]:
        _check_case(case, rt.policy(session))
        _check_reason(reason)
        if len(wanted) > MAX_READ_IDS:
            raise Refusal(
                RefusalKind.BOUNDS,
                f"A legal hold names at most {MAX_READ_IDS} reads by number ({len(wanted)} "
                "given): hold a plate or the case's area in a period instead.",
            )
        rows = _named(session, wanted)
        hold_id = _hold(
            session,
            rt,
            principal=principal,
            case=case,
            reason=reason.strip(),
            rows=rows,
            criteria={"read_ids": wanted},
        )
        return Done(
            hold_id,
            query={"hold": hold_id, "read_ids": wanted},
            plates=sorted({plate for _, _, plate in rows}),
            result_ids=[r[0] for r in rows],
            detail=_placed(hold_id, case, len(rows), reason.strip()),
        )

    return administered(
        rt,
        Act(principal, Permission.PLACE_HOLDS, Event.HOLD, f"place a legal hold for {case}"),
        run,
    )


def _hold_scope(
    rt: Runtime,
    *,
    principal: Principal,
    case: str,
    reason: str,
    scope: Scope,
    purpose: str | None,
    approval: tuple[Principal | None, str | None],
) -> int:
    """Hold what the scope selects, looked up under the gateway's rules for a search: the
    justification (the purpose and the case number) checked, a period longer than a search's
    approved by a sergeant, the refusal or the hold recorded with the plates and reads it found."""

    def run(session: Session) -> Answer[int]:
        _check_reason(reason)
        rows = [(r.id, r.captured_at, r.plate) for r in scopes.select_reads(session, scope)]
        scope_id = scopes.record(session, scope, by=principal.user_id, at=rt.now(), reads=len(rows))
        hold_id = _hold(
            session,
            rt,
            principal=principal,
            case=case,
            reason=reason,
            rows=rows,
            criteria=scope.as_params(),
            scope_id=scope_id,
        )
        return Answer(
            hold_id,
            read_ids=[r[0] for r in rows],
            plates=sorted({plate for _, _, plate in rows}),
            detail=_placed(hold_id, case, len(rows), reason),
        )

    return governed(
        rt,
        Request(
            principal=principal,
            permission=Permission.PLACE_HOLDS,
            kind="legal_hold",
            params=scope.as_params(),
            justification=JustificationInput(purpose=purpose, case_number=case),
            event=Event.HOLD,
            plates=scope.plates,
            bounds=lambda _session, policy: _held_bounds(scope, policy),
            approver=approval[0],
            approval_note=approval[1],
        ),
        run,
    ).result


def _hold(
    session: Session,
    rt: Runtime,
    *,
    principal: Principal,
    case: str,
    reason: str,
    rows: list[tuple[int, datetime, str]],
    criteria: dict[str, object],
    scope_id: int | None = None,
) -> int:
    """Record the hold on ``rows`` (id, capture time, plate) and mark them retained. A look-up
    that found nothing is refused, so that it is recorded too (it told whether there were
    reads)."""
    if not rows:
        raise Refusal(RefusalKind.RULE, "No reads match: nothing is held.")
    hold = LegalHold(
        case_number=case,
        reason=reason,
        criteria=criteria,
        scope_id=scope_id,
        placed_by_id=principal.user_id,
        placed_at=rt.now(),
        review_due_on=(rt.now() + timedelta(days=REVIEW_AFTER_DAYS)).date(),
    )
    session.add(hold)
    session.flush()
    session.add_all(
        LegalHoldRead(hold_id=hold.id, read_id=read_id, read_captured_at=at)
        for read_id, at, _ in rows
    )
    mark_retained(session, reads=[(read_id, at) for read_id, at, _ in rows], retained=True)
    return hold.id


def _placed(hold_id: int, case: str, reads: int, reason: str) -> str:
    return f"legal hold {hold_id} placed for case {case} on {reads} reads: {reason}"


def _check_case(case: str, policy: Policy) -> None:
    """A hold by read numbers names its case as a search does (a hold by scope is justified
    by the gateway, which checks the same)."""
    problem = case_number_problem(case, policy.case_number_patterns)
    if problem:
        raise Refusal(RefusalKind.JUSTIFICATION, problem)


def _check_reason(reason: str) -> None:
    problem = reason_problem(reason)
    if problem:
        shown = reason if len(reason) <= 80 else reason[:77] + "..."
        raise Refusal(
            RefusalKind.JUSTIFICATION,
            f"The reason {shown!r} does not say why the reads are or may become evidence: "
            f"{problem}; e.g. 'suspect vehicle seen leaving the Geneva Ave shooting'.",
        )


def _check_breadth(scope: Scope, policy: Policy) -> None:
    """A held scope is never broader than a search may be without approval (too few known
    characters of a plate, an area wider than a canvass), approved or not: held for years, it
    would keep the reads of people who have nothing to do with the case from being purged."""
    broad = scopes.breadth_violations(scope, policy)
    if broad:
        raise Refusal(
            RefusalKind.BOUNDS,
            f"A legal hold cannot cover this much ({'; '.join(broad)}): it would keep reads of "
            "people who have nothing to do with the case from being purged. Name the plates "
            "more fully or a smaller area, or hold the reads by number.",
        )


def _held_bounds(scope: Scope, policy: Policy) -> list[str]:
    """How a held scope's period is longer than a search of it may cover without a sergeant's
    approval (a canvass's window around an area, a plate search's for plates alone), once its
    breadth is checked: the gateway asks this before the look-up."""
    _check_breadth(scope, policy)
    if scope.area is not None:
        return canvass_window_violations(policy, start=scope.start, end=scope.end)
    return plate_window_violations(policy, start=scope.start, end=scope.end)


def _named(session: Session, wanted: list[int]) -> list[tuple[int, datetime, str]]:
    """The reads numbered ``wanted``; every number must name a read."""
    rows: list[tuple[int, datetime, str]] = []
    for offset in range(0, len(wanted), CHUNK):
        rows += [
            (read_id, at, plate)
            for read_id, at, plate in session.execute(
                select(Read.id, Read.captured_at, Read.plate).where(
                    Read.id.in_(wanted[offset : offset + CHUNK])
                )
            )
        ]
    missing = sorted(set(wanted) - {r[0] for r in rows})
    if missing:
        raise InvalidInput(
            "no read numbered " + ", ".join(str(i) for i in missing[:10]) + "; nothing held"
        )
    return rows


def release_hold(rt: Runtime, *, principal: Principal, hold_id: int, note: str) -> None:
    """End a hold: its reads follow the normal retention again, unless another hold or an
    alert keeps them. Never by the person who placed it, so that no one alone takes back
    what they held as evidence."""
    if not note.strip():
        raise InvalidInput("say why the hold is released")

    def run(session: Session, _who: Actor) -> Done[None]:
        hold = session.get(LegalHold, hold_id)
        if hold is None:
            raise InvalidInput(f"no hold {hold_id}")
        if hold.released_at is not None:
            raise Refusal(RefusalKind.RULE, f"Hold {hold_id} is already released.")
        if hold.placed_by_id == principal.user_id:
            raise Refusal(
                RefusalKind.RULE,
                "A legal hold is released by someone other than the person who placed it: "
                "a sergeant or the ALPR Administrator.",
            )
        hold.released_at = rt.now()
        hold.released_by_id = principal.user_id
        hold.release_note = note.strip()
        session.flush()
        still_held = _held_ids(session)
        alerted = set(session.execute(select(Alert.read_id)).scalars())
        mark_retained(
            session,
            reads=[
                (link.read_id, link.read_captured_at)
                for link in session.execute(
                    select(LegalHoldRead).where(LegalHoldRead.hold_id == hold_id)
                ).scalars()
                if link.read_id not in still_held and link.read_id not in alerted
            ],
            retained=False,
        )
        return Done(
            None, query={"hold": hold_id}, detail=f"legal hold {hold_id} released: {note.strip()}"
        )

    administered(
        rt,
        Act(principal, Permission.RELEASE_HOLDS, Event.HOLD, f"release legal hold {hold_id}"),
        run,
    )


def _covers(session: Session, hold: LegalHold, rt: Runtime) -> str:
    if hold.scope_id is not None:
        row = session.get(ScopeRow, hold.scope_id)
        if row is not None:
            return scopes.recorded(row).describe(rt.settings.tz)
    ids = hold.criteria.get("read_ids") or []
    return f"{len(ids)} reads named by number" if ids else "reads named when it was placed"


def list_holds(rt: Runtime, *, principal: Principal) -> list[HoldView]:
    def run(session: Session, _who: Actor) -> Done[list[HoldView]]:
        counts = dict(
            session.execute(
                select(LegalHoldRead.hold_id, func.count()).group_by(LegalHoldRead.hold_id)
            ).all()
        )
        names = dict(session.execute(select(User.id, User.full_name)).all())
        holds = session.execute(select(LegalHold).order_by(LegalHold.id.desc())).scalars().all()
        return Done(
            [
                HoldView(
                    h.id,
                    h.case_number,
                    h.reason,
                    _covers(session, h, rt),
                    h.placed_at,
                    names.get(h.placed_by_id, "?"),
                    h.placed_by_id,
                    int(counts.get(h.id, 0)),
                    h.review_due_on,
                    h.released_at is not None,
                    h.released_at,
                    names.get(h.released_by_id) if h.released_by_id else None,
                    h.release_note,
                )
                for h in holds
            ]
        )

    return administered(
        rt,
        Act(
            principal,
            (Permission.MANAGE_RETENTION, Permission.PLACE_HOLDS),
            Event.HOLD,
            "list legal holds",
            view=True,
        ),
        run,
    )
