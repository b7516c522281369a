"""The sergeant's review of the access log on both databases (R20-R23, R51): the filters are
worked out by the database before any paging, so a filter finds a record older than the newest
5,000; misuse flags are kept on their records with the supervisor's findings; records marked
reviewed stay marked; the new records of accountability refuse UPDATE and DELETE; the breach
report lists plates, not the patterns typed."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DatabaseError
from sqlalchemy.orm import Session

from alpr.data.models import FlagDisposition, Purpose
from alpr.governance import access_log, alerts
from alpr.governance.access_log import Event, Outcome
from alpr.governance.errors import InvalidInput, Refusal
from alpr.governance.gateway import JustificationInput
from alpr.governance.justification import Justification
from alpr.governance.oversight.review import (
    LogFilter,
    LogView,
    breach_report,
    mark_reviewed,
    open_record,
    record_finding,
    records_by_id,
    review_log,
    user_summary,
)
from alpr.governance.runtime import Runtime
from tests.conftest import Clock, TestUser

DAY = datetime(2026, 11, 18, tzinfo=UTC)
WINDOW = LogFilter(DAY - timedelta(days=2), DAY + timedelta(days=1))


def _search(
    session: Session,
    user: TestUser,
    at: datetime,
    plates: list[str],
    *,
    kind: str = "history",
    case: str | None = "26-01234",
    description: str | None = None,
    exigent: bool = False,
) -> int:
    return access_log.append(
        session,
        at=at,
        event=Event.SEARCH,
        outcome=Outcome.ALLOWED,
        principal=user.principal,
        justification=Justification(Purpose.STOLEN_VEHICLE, case, description, exigent),
        query={
            "kind": kind,
            "plate": plates[0],
            "start": (at - timedelta(days=7)).isoformat(),
            "end": at.isoformat(),
        },
        plates=plates,
        result_ids=[1, 2, 3],
    )


@pytest.fixture
def people(make_user: Callable[..., TestUser]) -> dict[str, TestUser]:
    return {
        "detective": make_user("rivera", "investigator"),
        "stalker": make_user("stalker", "investigator"),
        "sergeant": make_user("brooks", "sergeant"),
        "other_sergeant": make_user("diaz", "sergeant"),
    }


def test_a_filter_finds_a_record_older_than_the_newest_5000(
    rt: Runtime, people: dict[str, TestUser]
) -> None:
    """R23: plate, kind and user filters are in the WHERE clause, not applied to the newest
    5,000 records afterwards; the pages cover every match."""
    with rt.transaction() as session:
        old = _search(session, people["stalker"], DAY - timedelta(days=1), ["7OLD001"])
        for n in range(5_000):
            _search(
                session,
                people["detective"],
                DAY + timedelta(seconds=n),
                [f"8N{n:05d}"],
                kind="plate",
            )
    sergeant = people["sergeant"].principal
    for found in (
        review_log(rt, principal=sergeant, filters=_with(plate="7old001")),
        review_log(rt, principal=sergeant, filters=_with(kind="history")),
        review_log(rt, principal=sergeant, filters=_with(username="STALKER")),
    ):
        assert (found.total, [r.id for r in found.rows]) == (1, [old])
    everything = review_log(rt, principal=sergeant, filters=WINDOW, page=101)
    assert (everything.total, everything.pages, everything.page) == (5_001, 101, 101)
    assert [r.id for r in everything.rows] == [old]
    others = review_log(rt, principal=sergeant, filters=_with(view=LogView.OTHER))
    assert all(r.event != "Search" for r in others.rows)


def _with(**changes: Any) -> LogFilter:
    return replace(WINDOW, **changes)


def test_flags_are_kept_on_their_records_with_findings_and_reviews(
    rt: Runtime, people: dict[str, TestUser]
) -> None:
    """R23: a misuse flag is shown on the record it concerns, stays from one look to the next,
    takes a finding with a note (never from the person flagged), and records marked reviewed
    stay marked; the summary per person counts searches, purposes, flags, exigent searches."""
    at = DAY + timedelta(hours=17)
    with rt.transaction() as session:
        stalked = [
            _search(
                session,
                people["stalker"],
                at + timedelta(hours=n),
                ["8EXP999"],
                case=None,
                description="checking a vehicle seen near my house",
            )
            for n in range(4)
        ]
        ordinary = _search(
            session, people["detective"], at, ["7ORD001"], exigent=True, description="child"
        )
        own = _search(
            session,
            people["sergeant"],
            at,
            ["7SGT001"],
            case=None,
            description="checking a vehicle seen near my house",
        )
    sergeant = people["sergeant"].principal
    page = review_log(rt, principal=sergeant, filters=_with(username="stalker"))
    flagged = {r.id: {f.code for f in r.flags} for r in page.rows}
    assert set(flagged) == set(stalked)
    assert all("repeated_plate" in codes for codes in flagged.values())
    flag = next(f for f in page.rows[0].flags if f.code == "repeated_plate")
    assert flag.disposition is None and flag.disposition_label == "Open"
    with pytest.raises(InvalidInput):
        record_finding(
            rt,
            principal=sergeant,
            flag_id=flag.id,
            disposition=FlagDisposition.MISUSE_REFERRED,
            note=" ",
        )
    (own_flag, *_) = (
        review_log(rt, principal=sergeant, filters=_with(username="brooks")).rows[0].flags
    )
    with pytest.raises(Refusal, match="your own record"):
        record_finding(
            rt,
            principal=sergeant,
            flag_id=own_flag.id,
            disposition=FlagDisposition.JUSTIFIED,
            note="mine",
        )
    record_finding(
        rt,
        principal=sergeant,
        flag_id=flag.id,
        disposition=FlagDisposition.MISUSE_REFERRED,
        note="Plate registered to the officer's ex-partner; referred to Internal Affairs",
    )
    again = review_log(rt, principal=sergeant, filters=_with(username="stalker"))
    kept = next(f for r in again.rows for f in r.flags if f.id == flag.id)
    assert kept.disposition is FlagDisposition.MISUSE_REFERRED
    assert kept.disposition_label == "Misuse referred" and "Internal Affairs" in kept.note
    assert kept.found_by == "Brooks"

    marked = mark_reviewed(rt, principal=sergeant, record_ids=[*stalked, own])
    assert (marked.marked, marked.already, marked.own) == (4, 0, 1)
    assert mark_reviewed(rt, principal=sergeant, record_ids=stalked).already == 4
    rows = records_by_id(rt, principal=sergeant, record_ids=[own, stalked[0]])
    assert [r.id for r in rows] == [own, stalked[0]]
    assert rows[0].reviewed_by == [] and rows[1].reviewed_by == ["Brooks"]

    detail = open_record(rt, principal=sergeant, record_id=ordinary)
    assert detail.row.purpose == "Stolen vehicle" and detail.case_number == "26-01234"
    assert ("Plate", "7ORD001") in detail.parameters
    assert detail.plates == ["7ORD001"] and detail.read_count == 3

    summary = {
        s.username: s
        for s in user_summary(rt, principal=sergeant, start=WINDOW.start, end=WINDOW.end)
    }
    assert summary["stalker"].searches == 4 and summary["stalker"].flags >= 4
    assert summary["stalker"].open_flags == summary["stalker"].flags - 1
    assert summary["rivera"].exigent == 1 and summary["rivera"].purposes == "Stolen vehicle (1)"
    (only,) = user_summary(
        rt, principal=sergeant, start=WINDOW.start, end=WINDOW.end, username="Rivera"
    )
    assert only.username == "rivera"


def test_the_summary_per_person_counts_every_access_to_data_and_every_refusal(
    rt: Runtime, clock: Clock, people: dict[str, TestUser], make_user: Callable[..., TestUser]
) -> None:
    """R23: alert monitoring refused and allowed, a read opened and an export refused count
    for the person who tried them, as the searches view lists them: a patrol officer who only
    watched alerts is not shown with nothing, and no refused attempt is missed."""
    officer = make_user("chen", "patrol").principal
    with pytest.raises(Refusal, match="does not identify an incident"):
        alerts.start_monitoring(
            rt,
            principal=officer,
            justification=JustificationInput("stolen_vehicle", description="Patrol shift"),
        )
    alerts.start_monitoring(
        rt,
        principal=officer,
        justification=JustificationInput(
            "stolen_vehicle",
            description="Stolen vehicles (10851 VC), Beat 3, day watch 20 Nov from 07:00",
        ),
    )
    detective = people["detective"]
    with rt.transaction() as session:
        _search(session, detective, clock.now, ["7ORD001"])
        for event, outcome, kind in (
            (Event.VIEW_READ, Outcome.ALLOWED, "read_detail"),
            (Event.EXPORT, Outcome.REFUSED, "export"),
        ):
            access_log.append(
                session,
                at=clock.now,
                event=event,
                outcome=outcome,
                principal=detective.principal,
                justification=Justification(Purpose.STOLEN_VEHICLE, "26-01234", None, False),
                query={"kind": kind},
            )
    sergeant = people["sergeant"].principal
    hour = LogFilter(clock.now - timedelta(hours=1), clock.now + timedelta(hours=1))
    summary = {
        s.username: s for s in user_summary(rt, principal=sergeant, start=hour.start, end=hour.end)
    }
    chen, rivera = summary["chen"], summary["rivera"]
    assert (chen.searches, chen.looks, chen.exports, chen.refused) == (0, 1, 0, 1)
    assert chen.purposes == "Stolen vehicle (1)"
    assert (rivera.searches, rivera.looks, rivera.exports, rivera.refused) == (1, 1, 0, 1)
    assert rivera.purposes == "Stolen vehicle (2)"
    for person in (chen, rivera):  # every record the searches view lists, counted once
        listed = review_log(rt, principal=sergeant, filters=replace(hour, username=person.username))
        counted = person.searches + person.looks + person.exports + person.refused
        assert listed.total == counted
        assert sum(r.outcome == "Refused" for r in listed.rows) == person.refused


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE misuse_flags SET explanation = 'edited'",
        "DELETE FROM misuse_flags",
        "UPDATE flag_findings SET note = 'edited'",
        "DELETE FROM flag_findings",
        "UPDATE access_record_reviews SET reviewer_id = reviewer_id",
        "DELETE FROM access_record_reviews",
    ],
)
def test_flags_findings_and_reviews_are_append_only(
    rt: Runtime, people: dict[str, TestUser], statement: str
) -> None:
    """R22: the flags, the findings on them and the reviews refuse UPDATE and DELETE in the
    database itself."""
    with rt.transaction() as session:
        stalked = [
            _search(
                session, people["stalker"], DAY + timedelta(hours=17 + n), ["8EXP999"], case=None
            )
            for n in range(4)
        ]
    sergeant = people["sergeant"].principal
    flag = review_log(rt, principal=sergeant, filters=WINDOW).rows[0].flags[0]
    record_finding(
        rt, principal=sergeant, flag_id=flag.id, disposition=FlagDisposition.JUSTIFIED, note="ok"
    )
    mark_reviewed(rt, principal=sergeant, record_ids=stalked)
    with pytest.raises(DatabaseError, match="append-only"), rt.engine.begin() as conn:
        conn.execute(text(statement))


def test_breach_report_lists_plates_not_patterns(rt: Runtime, people: dict[str, TestUser]) -> None:
    """R51: a pattern typed (7AB*) is not a plate of a person to notify."""
    with rt.transaction() as session:
        _search(
            session, people["stalker"], DAY + timedelta(hours=17), ["7AB*", "7ABC123"], kind="plate"
        )
    report = breach_report(
        rt,
        principal=people["sergeant"].principal,
        start=WINDOW.start,
        end=WINDOW.end,
        usernames=["Stalker "],
    )
    assert (report.accesses, report.plates, report.patterns) == (1, ["7ABC123"], ["7AB*"])
