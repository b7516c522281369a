"""Exigent searches reviewed after the fact (R15): a search run as exigent, outside the listed
purposes' usual rules for a life-safety emergency, waits in the supervisor's queue until a
sergeant other than the searcher records whether the emergency justified it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session, aliased

from alpr.data.models import ExigentReview, Search, User
from alpr.governance.access_log import Event
from alpr.governance.errors import InvalidInput, Refusal, RefusalKind
from alpr.governance.gateway import Act, Actor, Done, administered
from alpr.governance.investigations.wording import query_in_words
from alpr.governance.justification import PURPOSE_LABELS
from alpr.governance.permissions import Permission
from alpr.governance.principal import Principal
from alpr.governance.runtime import Runtime


@dataclass(frozen=True)
class ExigentSearch:
    search_id: int
    at: datetime
    searched_by: str
    searched: str  # what was asked, in a sentence: "Plate history: the reads of plate 7ABC123..."
    purpose: str
    emergency: str
    case_number: str | None
    results: int
    params: dict[str, object]


_UNREVIEWED = (
    select(Search)
    .where(
        Search.exigent.is_(True),
        Search.refused_reason.is_(None),
        ~select(ExigentReview.id).where(ExigentReview.search_id == Search.id).exists(),
    )
    .order_by(Search.created_at)
)


def _queue_act(principal: Principal, summary: str) -> Act:
    return Act(principal, Permission.REVIEW_EXIGENT, Event.EXIGENT_REVIEW, summary, view=True)


def exigent_queue(rt: Runtime, *, principal: Principal) -> list[ExigentSearch]:
    """Exigent searches nobody has reviewed yet, oldest first."""

    def run(session: Session, _who: Actor) -> Done[list[ExigentSearch]]:
        searcher = aliased(User)
        rows = session.execute(
            _UNREVIEWED.add_columns(searcher.full_name).join(
                searcher, searcher.id == Search.user_id
            )
        ).all()
        return Done(
            [
                ExigentSearch(
                    search_id=search.id,
                    at=search.created_at,
                    searched_by=name,
                    searched=query_in_words(search.kind, dict(search.params), rt.settings.tz),
                    purpose=PURPOSE_LABELS[search.purpose] if search.purpose else "not stated",
                    emergency=search.description or "",
                    case_number=search.case_number,
                    results=search.result_count or 0,
                    params=dict(search.params),
                )
                for search, name in rows
            ]
        )

    return administered(rt, _queue_act(principal, "exigent searches awaiting review"), run)


def exigent_waiting(rt: Runtime, *, principal: Principal) -> int:
    """How many exigent searches wait for review (the sergeant's home page)."""

    def run(session: Session, _who: Actor) -> Done[int]:
        waiting = _UNREVIEWED.order_by(None).subquery()
        return Done(int(session.execute(select(func.count()).select_from(waiting)).scalar_one()))

    return administered(rt, _queue_act(principal, "count of exigent searches to review"), run)


def review_exigent(
    rt: Runtime, *, principal: Principal, search_id: int, justified: bool, note: str
) -> None:
    """Record whether the emergency justified the search; once per search, never by the person
    who ran it."""
    if not note.strip():
        raise InvalidInput("say what the review found: the emergency, and whether it held")

    def run(session: Session, who: Actor) -> Done[None]:
        search = session.get(Search, search_id)
        if search is None or not search.exigent or search.refused_reason is not None:
            raise InvalidInput(f"search {search_id} is not an exigent search to review")
        if search.user_id == who.user_id:
            raise Refusal(
                RefusalKind.RULE,
                "An exigent search is reviewed by a supervisor other than the person who ran it.",
            )
        if session.execute(
            select(ExigentReview.id).where(ExigentReview.search_id == search_id)
        ).first():
            raise Refusal(RefusalKind.RULE, f"Exigent search {search_id} is reviewed already.")
        session.add(
            ExigentReview(
                search_id=search_id,
                reviewer_id=principal.user_id,
                justified=justified,
                note=note.strip(),
                reviewed_at=rt.now(),
            )
        )
        finding = "justified" if justified else "NOT justified"
        return Done(None, detail=f"exigent search {search_id} {finding}: {note.strip()}")

    administered(
        rt,
        Act(
            principal,
            Permission.REVIEW_EXIGENT,
            Event.EXIGENT_REVIEW,
            f"review exigent search {search_id}",
        ),
        run,
    )
