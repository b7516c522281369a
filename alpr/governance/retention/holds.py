"""Legal holds (R31): reads that are or may become evidence are kept (stored as retained,
never purged) until a supervisor releases the hold, which is logged."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from alpr.data.models import Alert, LegalHold, LegalHoldRead, Read
from alpr.governance.access_log import Event
from alpr.governance.errors import InvalidInput, Refusal, RefusalKind
from alpr.governance.gateway import Act, Actor, Done, administered
from alpr.governance.permissions import Permission
from alpr.governance.principal import Principal
from alpr.governance.runtime import Runtime
from alpr.plates import PlateError, require_plate

REVIEW_AFTER_DAYS = 180


@dataclass(frozen=True)
class HoldView:
    id: int
    case_number: str
    reason: str
    placed_at: datetime
    reads: int
    review_due_on: date | None
    released: bool


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
    plate: str | None = None,
    start: datetime | None = None,
    end: datetime | None = None,
) -> int:
    if not case_number.strip() or not reason.strip():
        raise InvalidInput("a hold needs the case number and the reason")

    def run(session: Session, _who: Actor) -> Done[int]:
        query = select(Read.id, Read.captured_at)
        if read_ids:
            query = query.where(Read.id.in_(read_ids))
            criteria: dict[str, object] = {"read_ids": read_ids}
        else:
            try:
                wanted = require_plate(plate or "")
            except PlateError as exc:
                raise InvalidInput(str(exc)) from None
            if start is None or end is None or end <= start:
                raise InvalidInput("a hold by plate needs a start and an end")
            query = query.where(
                Read.plate == wanted, Read.captured_at >= start, Read.captured_at <= end
            )
            criteria = {"plate": wanted, "start": start.isoformat(), "end": end.isoformat()}
        rows = session.execute(query).all()
        if not rows:
            raise InvalidInput("no reads match; nothing to hold")
        hold = LegalHold(
            case_number=case_number.strip(),
            reason=reason.strip(),
            criteria=criteria,
            placed_by_id=principal.user_id,
            placed_at=rt.now(),
            review_due_on=(rt.now() + timedelta(days=REVIEW_AFTER_DAYS)).date(),
        )
        session.add(hold)
        session.flush()
        session.add_all(
            LegalHoldRead(hold_id=hold.id, read_id=read_id, read_captured_at=at)
            for read_id, at in rows
        )
        for read_id, at in rows:
            session.execute(
                update(Read).where(Read.id == read_id, Read.captured_at == at).values(retained=True)
            )
        return Done(
            hold.id,
            result_ids=[r[0] for r in rows],
            detail=f"legal hold {hold.id} placed for case {case_number}: {reason}",
        )

    return administered(
        rt,
        Act(principal, Permission.PLACE_HOLDS, Event.HOLD, f"place a legal hold for {case_number}"),
        run,
    )


def release_hold(rt: Runtime, *, principal: Principal, hold_id: int, note: str) -> None:
    if not note.strip():
        raise InvalidInput("say why the hold is released")

    def run(session: Session, _who: Actor) -> Done[None]:
        hold = session.get(LegalHold, hold_id)
        if hold is None:
            raise InvalidInput(f"no hold {hold_id}")
        if hold.released_at is not None:
            raise Refusal(RefusalKind.RULE, "This hold is already released.")
        hold.released_at = rt.now()
        hold.released_by_id = principal.user_id
        hold.release_note = note.strip()
        session.flush()
        still_held = _held_ids(session)
        alerted = set(session.execute(select(Alert.read_id)).scalars())
        for link in session.execute(
            select(LegalHoldRead).where(LegalHoldRead.hold_id == hold_id)
        ).scalars():
            if link.read_id not in still_held and link.read_id not in alerted:
                session.execute(
                    update(Read)
                    .where(Read.id == link.read_id, Read.captured_at == link.read_captured_at)
                    .values(retained=False)
                )
        return Done(None, detail=f"legal hold {hold_id} released: {note.strip()}")

    administered(
        rt,
        Act(principal, Permission.RELEASE_HOLDS, Event.HOLD, f"release legal hold {hold_id}"),
        run,
    )


def list_holds(rt: Runtime, *, principal: Principal) -> list[HoldView]:
    def run(session: Session, _who: Actor) -> Done[list[HoldView]]:
        holds = session.execute(select(LegalHold).order_by(LegalHold.id.desc())).scalars().all()
        return Done(
            [
                HoldView(
                    h.id,
                    h.case_number,
                    h.reason,
                    h.placed_at,
                    len(
                        list(
                            session.execute(
                                select(LegalHoldRead.read_id).where(LegalHoldRead.hold_id == h.id)
                            ).scalars()
                        )
                    ),
                    h.review_due_on,
                    h.released_at is not None,
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
