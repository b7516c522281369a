"""The hot-list entries the department made itself (a custom list's, or a plate entered by
hand on any list), shown to the people who watch the lists with who entered each, for which
case and until when, and taken off by the person who entered it or by whoever manages the
lists. A wrong entry can lead to a stop at gunpoint, so it must be seen and taken off before it
expires (R12, R13). Looking at the entries is in the access log with the plates shown; taking
one off, with its reason. A state feed's entries are the state's: a refresh replaces them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from alpr.data.models import HotList, HotListEntry, HotListKind, User
from alpr.governance.access_log import Event
from alpr.governance.errors import InvalidInput, Refusal, RefusalKind
from alpr.governance.gateway import Act, Actor, Done, administered
from alpr.governance.permissions import Permission
from alpr.governance.principal import Principal
from alpr.governance.runtime import Runtime

MIN_REASON_CHARS = 10


@dataclass(frozen=True)
class EntryView:
    id: int
    list_name: str
    pattern: str
    reason: str
    case_number: str | None
    priority: str
    entered_by: str  # a person's name, or "the list's file"
    entered_by_id: int | None
    entered_at: datetime
    expires_at: datetime | None


def department_entries(rt: Runtime, *, principal: Principal) -> list[EntryView]:
    """The department's own active entries, newest first."""
    now = rt.now()

    def run(session: Session, _who: Actor) -> Done[list[EntryView]]:
        rows = session.execute(
            select(HotListEntry, HotList.name, User.full_name)
            .join(HotList, HotList.id == HotListEntry.hot_list_id)
            .outerjoin(User, User.id == HotListEntry.added_by_id)
            .where(
                HotListEntry.removed_at.is_(None),
                or_(HotListEntry.expires_at.is_(None), HotListEntry.expires_at > now),
                or_(HotList.kind == HotListKind.CUSTOM, HotListEntry.added_by_id.is_not(None)),
            )
            .order_by(HotListEntry.created_at.desc(), HotListEntry.id.desc())
        ).all()
        views = [
            EntryView(
                entry.id,
                list_name,
                entry.pattern,
                entry.reason,
                entry.case_number,
                entry.priority.value,
                full_name or "the list's file",
                entry.added_by_id,
                entry.created_at,
                entry.expires_at,
            )
            for entry, list_name, full_name in rows
        ]
        return Done(
            views,
            detail=f"{len(views)} hot-list entries of the department's own looked at",
            plates=sorted({v.pattern for v in views}),
            result_count=len(views),
        )

    return administered(
        rt,
        Act(
            principal,
            Permission.VIEW_HOTLISTS,
            Event.HOTLIST_CHANGE,
            "look at the department's own hot-list entries",
        ),
        run,
    )


def may_take_off(principal: Principal, *, entered_by_id: int | None) -> bool:
    """Whether the person may take an entry off: they entered it, or they manage the lists."""
    return entered_by_id == principal.user_id or principal.can(Permission.MANAGE_HOTLISTS)


def take_off(rt: Runtime, *, principal: Principal, entry_id: int, reason: str) -> None:
    """Take an entry off its list now (it raises no alert from then on); by the person who
    entered it, or by a person who manages the lists, with the reason."""
    why = " ".join(reason.split())
    if len(why) < MIN_REASON_CHARS:
        raise InvalidInput("say why the entry comes off (for example: recovered, entered in error)")

    def run(session: Session, _who: Actor) -> Done[None]:
        entry = session.get(HotListEntry, entry_id)
        if entry is None or entry.removed_at is not None:
            raise InvalidInput(f"no hot-list entry {entry_id} is on a list")
        if not may_take_off(principal, entered_by_id=entry.added_by_id):
            raise Refusal(
                RefusalKind.PERMISSION,
                "An entry is taken off by the person who entered it or by a person who manages "
                "the hot lists.",
            )
        entry.removed_at = rt.now()
        return Done(
            None,
            detail=f"hot-list entry {entry_id} ({entry.pattern}) taken off: {why}",
            plates=[entry.pattern],
        )

    administered(
        rt,
        Act(
            principal,
            (Permission.ADD_HOTLIST_ENTRY, Permission.MANAGE_HOTLISTS),
            Event.HOTLIST_CHANGE,
            f"take hot-list entry {entry_id} off",
        ),
        run,
    )
