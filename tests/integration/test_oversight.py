"""Oversight on both databases (R23, R51, R52): each misuse flag fires on its scenario and stays
silent on the ordinary case, an audit sample holds every flagged record, a signed-off audit
cannot change, and the breach report lists what the accounts saw."""

from __future__ import annotations

import re
import zlib
from collections.abc import Callable
from datetime import UTC, date, datetime, time, timedelta

import pytest
from sqlalchemy import select, text, update
from sqlalchemy.exc import DatabaseError

from alpr.data.models import AccessRecord, AuditSample, ColleaguePlate, Purpose, User
from alpr.governance import access_log
from alpr.governance.access_log import Event, Outcome
from alpr.governance.errors import InvalidInput, Refusal
from alpr.governance.gateway import JustificationInput
from alpr.governance.investigations.searches import canvass
from alpr.governance.justification import Justification
from alpr.governance.oversight.audits import (
    audit_detail,
    draw_audit,
    mark_sample,
    plan_needed,
    record_plan,
    sign_off,
)
from alpr.governance.oversight.misuse import misuse_flags
from alpr.governance.oversight.review import breach_report
from alpr.governance.runtime import Runtime
from tests.conftest import Clock, TestUser
from tests.integration.builders import World

DAY = datetime(2026, 11, 18, tzinfo=UTC)


def _search(
    rt: Runtime,
    user: TestUser,
    at: datetime,
    plate: str,
    *,
    case: str | None = None,
    description: str | None = None,
) -> int:
    with rt.transaction() as session:
        return access_log.append(
            session,
            at=at,
            event=Event.SEARCH,
            outcome=Outcome.ALLOWED,
            principal=user.principal,
            justification=Justification(Purpose.STOLEN_VEHICLE, case, description, False),
            query={"kind": "history", "plate": plate},
            plates=[plate],
            result_ids=[1],
        )


def _codes(rt: Runtime) -> dict[str, set[str]]:
    with rt.transaction() as session:
        flags = misuse_flags(
            session, rt.policy(session), tz=rt.settings.tz, start=DAY, end=DAY + timedelta(days=1)
        )
    found: dict[str, set[str]] = {}
    for flag in flags:
        found.setdefault(flag.code, set()).add(flag.username)
    return found


@pytest.fixture
def people(make_user: Callable[..., TestUser]) -> dict[str, TestUser]:
    return {
        "ordinary": make_user("ordinary", "investigator"),
        "stalker": make_user("stalker", "investigator"),
        "night": make_user("night", "investigator"),
        "busy": make_user("busy", "investigator"),
        "lapsed": make_user("lapsed", "investigator", trained_on=date(2025, 10, 1)),
        "sergeant": make_user("brooks", "sergeant"),
        "chief": make_user("ellis", "command"),
        "admin": make_user("okafor", "administrator"),
    }


def test_each_flag_fires_on_its_scenario_and_not_on_ordinary_work(
    rt: Runtime, people: dict[str, TestUser]
) -> None:
    with rt.transaction() as session:
        session.execute(
            update(User)
            .where(User.username == "night")
            .values(shift_start=time(7), shift_end=time(15))
        )
        session.execute(
            update(User)
            .where(User.username == "ordinary")
            .values(shift_start=time(7), shift_end=time(19))
        )
        session.add(ColleaguePlate(plate="6EXP123", note="Ofc. Doe's spouse"))
    at = DAY + timedelta(hours=17)  # 09:00 in Los Angeles
    for n in range(3):
        _search(rt, people["ordinary"], at + timedelta(minutes=n), f"7ORD00{n}", case="26-01234")
    for n in range(4):
        _search(
            rt,
            people["stalker"],
            at + timedelta(hours=n),
            "8EXP999",
            description="checking a vehicle seen near my house",
        )
    _search(rt, people["stalker"], at, "6EXP123", case="26-07777")
    _search(rt, people["night"], DAY + timedelta(hours=11), "7NGT001", case="26-01235")
    for n in range(12):
        _search(rt, people["busy"], at + timedelta(minutes=n), f"7BSY0{n:02d}", case="26-01236")
    _search(rt, people["lapsed"], at, "7LAP001", case="26-01237")
    for n in range(5):
        _search(
            rt,
            people["ordinary"],
            at + timedelta(minutes=30 + n),
            f"7DSC00{n}",
            description="routine patrol follow-up",
        )
    codes = _codes(rt)
    assert codes["repeated_plate"] == {"stalker"}
    assert codes["colleague_plate"] == {"stalker"}
    assert codes["off_shift"] == {"night"}
    assert codes["volume_outlier"] == {"busy"}
    assert codes["lapsed_training"] == {"lapsed"}
    assert codes["reused_justification"] == {"ordinary"}
    assert codes["thin_justification"] == {"stalker", "ordinary"}  # personal use; no offense
    assert "ordinary" not in codes["repeated_plate"] | codes["off_shift"] | codes["volume_outlier"]


def test_personal_use_beside_a_case_number_is_flagged(
    rt: Runtime, people: dict[str, TestUser]
) -> None:
    """R22, R21: a search recorded before descriptions beside a number were read for personal
    use ("my ex" with a case number) is flagged for the sergeant; a plain one is not."""
    at = DAY + timedelta(hours=17)
    _search(rt, people["stalker"], at, "8EXP998", case="26-07777", description="my ex's new car")
    _search(rt, people["ordinary"], at, "7ORD009", case="26-01234", description="suspect vehicle")
    assert _codes(rt).get("thin_justification") == {"stalker"}


def test_audit_sample_holds_every_flag_and_signed_off_audit_is_frozen(
    rt: Runtime, people: dict[str, TestUser]
) -> None:
    at = DAY + timedelta(hours=17)
    flagged = [_search(rt, people["stalker"], at + timedelta(hours=n), "8EXP999") for n in range(3)]
    ordinary = [
        _search(rt, people["ordinary"], at, f"7ORD{n:03d}", case="26-01234") for n in range(9)
    ]
    record_plan(
        rt,
        principal=people["admin"].principal,
        frequency_days=30,
        sample_size=5,
        auditor="brooks",
        approver="ellis",
    )
    audit_id = draw_audit(
        rt,
        principal=people["sergeant"].principal,
        period_start=DAY.date(),
        period_end=DAY.date(),
        seed=1,
    )
    with rt.transaction() as session:
        samples = list(session.execute(select(AuditSample)).scalars())
    sampled = {s.access_record_id for s in samples}
    assert set(flagged) <= sampled and len(sampled & set(ordinary)) == 5
    with pytest.raises(Refusal, match="not marked"):
        sign_off(rt, principal=people["chief"].principal, audit_id=audit_id, summary="ok")
    for sample in samples:
        mark_sample(
            rt,
            principal=people["sergeant"].principal,
            sample_id=sample.id,
            appropriate=sample.drawn_because == "random",
            note="reviewed with case file",
        )
    sign_off(
        rt,
        principal=people["chief"].principal,
        audit_id=audit_id,
        summary="Stalking pattern referred to Internal Affairs",
    )
    with pytest.raises(DatabaseError, match="signed off"), rt.engine.begin() as conn:
        conn.execute(text("UPDATE audit_samples SET verdict = 'appropriate'"))
    with pytest.raises(DatabaseError, match="signed off"), rt.engine.begin() as conn:
        conn.execute(text("UPDATE audits SET summary = 'nothing found'"))


def test_breach_report_lists_records_and_plates(rt: Runtime, people: dict[str, TestUser]) -> None:
    at = DAY + timedelta(hours=17)
    _search(rt, people["stalker"], at, "8EXP999")
    _search(rt, people["ordinary"], at, "7ORD001", case="26-01234")
    report = breach_report(
        rt,
        principal=people["sergeant"].principal,
        start=DAY,
        end=DAY + timedelta(days=1),
        usernames=["stalker"],
    )
    assert report.accesses == 1 and report.plates == ["8EXP999"]
    with pytest.raises(Refusal):
        breach_report(
            rt,
            principal=people["ordinary"].principal,
            start=DAY,
            end=DAY + timedelta(days=1),
            usernames=["stalker"],
        )


def test_signed_pdf_report_verifies_and_detects_changes(
    rt: Runtime, people: dict[str, TestUser]
) -> None:
    from alpr.governance.oversight.report import signed_log_report, verify_report
    from alpr.governance.oversight.review import LogFilter

    """R23: the signed PDF holds exactly the records shown, in their order, whatever else the
    filter would find."""
    at = DAY + timedelta(hours=17)
    shown = [_search(rt, people["stalker"], at, plate) for plate in ("8EXP999", "7SHOWN1")]
    _search(rt, people["stalker"], at, "7HIDDEN")
    report = signed_log_report(
        rt,
        principal=people["sergeant"].principal,
        filters=LogFilter(DAY, DAY + timedelta(days=1)),
        record_ids=shown,
    )
    assert report.pdf.startswith(b"%PDF")
    text = b"".join(
        zlib.decompress(stream)
        for stream in re.findall(rb"stream\r?\n(.*?)\r?\nendstream", report.pdf, re.DOTALL)
        if stream.startswith(b"x")
    )
    assert b"(8EXP999" in text and b"(7SHOWN1" in text and b"7HIDDEN" not in text
    assert text.index(b"(8EXP999") < text.index(b"(7SHOWN1")
    assert verify_report(report.pdf, report.signature, report.public_key_pem)
    middle = len(report.pdf) // 2
    altered = report.pdf[:middle] + bytes([report.pdf[middle] ^ 1]) + report.pdf[middle + 1 :]
    assert not verify_report(altered, report.signature, report.public_key_pem)


def _volume(rt: Runtime, start: datetime, days: int) -> dict[str, set[datetime]]:
    """The searches flagged for volume in a period, by user."""
    with rt.transaction() as session:
        flags = misuse_flags(
            session,
            rt.policy(session),
            tz=rt.settings.tz,
            start=start,
            end=start + timedelta(days=days),
        )
        found: dict[str, set[datetime]] = {}
        for flag in flags:
            if flag.code == "volume_outlier":
                at = session.execute(
                    select(AccessRecord.at).where(AccessRecord.id == flag.record_id)
                ).scalar_one()
                found.setdefault(flag.username, set()).add(at)
    return found


def test_steady_use_is_not_flagged_and_a_burst_is(
    rt: Runtime, make_user: Callable[..., TestUser]
) -> None:
    steady = make_user("steady", "investigator")
    week = DAY - timedelta(days=6)
    for day in range(35):  # twice a day, every day, for five weeks up to the reviewed week's end
        for hour in (17, 21):  # 09:00 and 13:00 in Los Angeles
            at = week - timedelta(days=28) + timedelta(days=day, hours=hour)
            _search(rt, steady, at, f"7STD{day:03d}", case="26-01240")
    assert _volume(rt, week, 7) == {}
    burst = [DAY + timedelta(hours=18, minutes=n) for n in range(12)]
    for n, at in enumerate(burst):
        _search(rt, steady, at, f"7BRS{n:03d}", case="26-01241")
    usual = {DAY + timedelta(hours=17), DAY + timedelta(hours=21)}
    assert _volume(rt, week, 7) == {"steady": set(burst) | usual}  # the whole day is shown


def test_a_new_member_is_measured_against_the_unit(
    rt: Runtime, make_user: Callable[..., TestUser]
) -> None:
    veterans = [make_user(f"vet{n}", "investigator") for n in range(2)]
    newcomer = make_user("newcomer", "investigator")
    with rt.transaction() as session:
        session.execute(update(User).values(unit="Auto theft"))
    for day in range(1, 29):
        for vet in veterans:
            for n in range(20):
                at = DAY - timedelta(days=day) + timedelta(hours=17, minutes=n)
                _search(rt, vet, at, f"7VT{n:02d}{day:02d}", case="26-01242")
    for n in range(15):  # a busy first day, like a colleague's usual day
        _search(rt, newcomer, DAY + timedelta(hours=17, minutes=n), f"7NEW{n:03d}", case="26-01243")
    assert "newcomer" not in _volume(rt, DAY, 1)
    for n in range(15, 70):
        _search(rt, newcomer, DAY + timedelta(hours=18, minutes=n), f"7NEW{n:03d}", case="26-01243")
    assert len(_volume(rt, DAY, 1)["newcomer"]) == 70


def test_breach_report_lists_the_plates_a_canvass_returned(
    rt: Runtime, people: dict[str, TestUser], clock: Clock
) -> None:
    """R51: the people to notice include every plate the account's canvasses showed, not only
    the plates it typed; repeating such a canvass is not a repeated look-up of those plates."""
    world = World(rt)
    world.camera("geneva", 37.6963, -122.4607)
    at = DAY + timedelta(hours=17)
    for plate in ("7CAN001", "7CAN002"):
        world.read(plate, "geneva", at - timedelta(minutes=5), 37.6963, -122.4607)
    clock.now = at
    for case in ("26-01234", "26-01235", "26-01236"):
        canvass(
            rt,
            principal=people["stalker"].principal,
            justification=JustificationInput("major_crime_canvass", case),
            start=at - timedelta(hours=1),
            end=at,
            lat=37.6963,
            lon=-122.4607,
            radius_m=200,
        )
    report = breach_report(
        rt,
        principal=people["sergeant"].principal,
        start=DAY,
        end=DAY + timedelta(days=1),
        usernames=["stalker"],
    )
    assert report.accesses == 3 and report.plates == ["7CAN001", "7CAN002"]
    assert "repeated_plate" not in _codes(rt)


def test_an_audit_lists_its_sample_and_says_who_records_the_plan(
    rt: Runtime, people: dict[str, TestUser]
) -> None:
    """R23: without a plan, drawing says who may record it; a drawn audit lists every sampled
    record with its details to the auditor and to the one who signs off; an appropriate
    verdict needs no note, an inappropriate one does; nobody audits their own record."""
    at = DAY + timedelta(hours=17)
    flagged = [_search(rt, people["stalker"], at + timedelta(hours=n), "8EXP999") for n in range(3)]
    own = _search(rt, people["sergeant"], at, "7SGT001", case="26-01234")
    sergeant = people["sergeant"].principal
    with pytest.raises(InvalidInput, match=r"ALPR Administrator \(Okafor\)"):
        draw_audit(rt, principal=sergeant, period_start=DAY.date(), period_end=DAY.date())
    assert plan_needed(rt, principal=sergeant) == "ALPR Administrator (Okafor)"
    record_plan(
        rt,
        principal=people["admin"].principal,
        frequency_days=30,
        sample_size=5,
        auditor="brooks",
        approver="ellis",
    )
    assert plan_needed(rt, principal=sergeant) is None
    audit_id = draw_audit(rt, principal=sergeant, period_start=DAY.date(), period_end=DAY.date())
    detail = audit_detail(rt, principal=people["chief"].principal, audit_id=audit_id)
    assert (detail.plan_auditor, detail.plan_approver) == ("Brooks", "Ellis")
    by_record = {s.record_id: s for s in detail.samples}
    assert set(by_record) == {*flagged, own}
    stalked = by_record[flagged[0]]
    assert stalked.username == "stalker" and stalked.purpose == "Stolen vehicle"
    assert stalked.full_name == "Stalker"  # the auditor knows people by name
    assert detail.audit.due == DAY.date() + timedelta(days=30)  # the period's end + the plan's
    assert stalked.drawn_because.startswith("Flagged: ") and stalked.plates == "8EXP999"
    assert by_record[own].drawn_because == "Random"
    with pytest.raises(InvalidInput, match="not appropriate"):
        mark_sample(rt, principal=sergeant, sample_id=stalked.sample_id, appropriate=False, note="")
    with pytest.raises(Refusal, match="own record"):
        mark_sample(
            rt, principal=sergeant, sample_id=by_record[own].sample_id, appropriate=True, note=""
        )
    mark_sample(rt, principal=sergeant, sample_id=stalked.sample_id, appropriate=True, note="")
    marked = audit_detail(rt, principal=sergeant, audit_id=audit_id)
    assert marked.audit.marked == 1
    assert next(s for s in marked.samples if s.record_id == flagged[0]).marked_by == "Brooks"
