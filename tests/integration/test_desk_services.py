"""The services behind the Administrator's and command staff's desks, on both databases: a
hot-list import previewed before it retires anything (R14), one rule for a camera in service
on the Cameras page, the cameras deployed on the public page (R52), and the usage statistics per
camera, unit, list,
disposition, day and purpose (R24, R52), each day and each period the agency's calendar days
across a change of daylight saving."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import func, select, update

from alpr.data.models import AccessRecord, Camera, CameraStatus, HotListEntry, Purpose
from alpr.governance import access_log, alerts, hotlists
from alpr.governance.access_log import Event, Outcome
from alpr.governance.cameras import Silence, list_cameras, worker_silence
from alpr.governance.errors import Refusal
from alpr.governance.gateway import JustificationInput
from alpr.governance.justification import Justification
from alpr.governance.oversight import describe
from alpr.governance.oversight.usage import command_statistics, public_figures
from alpr.governance.runtime import Runtime
from alpr.recognition.health import HEARTBEAT_S, SILENT_AFTER_S, heartbeat, mark_silent_cameras_down
from alpr.recognition.ingest import Ingestor, ReadRecord
from tests.conftest import Clock, TestUser
from tests.integration.builders import World

LIST = (
    "plate,state,reason,make,model,colour,case_number,entered_date,expiry,priority\n"
    "7ABC123,CA,Stolen vehicle,Honda,Civic,Silver,SVS-1,2026-11-19,2026-12-20,high\n"
    "8XYZ999,CA,Stolen plate,,,,SVS-2,2026-11-19,,medium\n"
)
REFRESH = (
    "plate,state,reason,make,model,colour,case_number,entered_date,expiry,priority\n"
    "5DEF555,CA,Stolen vehicle,,,,SVS-5,2026-11-19,,high\n"
    "6GHI666,CA,Stolen vehicle,,,,SVS-6,2026-11-19,,high\n"
    "4JKL444,CA,Stolen plate,,,,SVS-4,2026-11-19,,medium\n"
)
WHY = JustificationInput(
    "stolen_vehicle", description="Stolen vehicle (VC 10851) alerts for beat 3, day shift 20 Nov"
)


@pytest.fixture
def svs(rt: Runtime) -> str:
    hotlists.ensure_list(rt, actor=None, name="SVS", kind="stolen_vehicle")
    return "SVS"


def _active(rt: Runtime) -> list[str]:
    with rt.transaction() as session:
        return sorted(
            session.execute(
                select(HotListEntry.pattern).where(HotListEntry.removed_at.is_(None))
            ).scalars()
        )


def test_an_import_says_what_it_retires_and_imports_before_changing_anything(
    rt: Runtime, svs: str, make_user: Callable[..., TestUser]
) -> None:
    """R14: the Administrator is told "retire 2 and import 3" first; the preview changes no
    entry, records no act, and refuses a bad file as the import would."""
    admin = make_user("ruiz", "administrator")
    hotlists.import_csv(rt, actor=admin.principal, list_name=svs, data=LIST)
    with rt.transaction() as session:
        records = session.execute(select(func.count()).select_from(AccessRecord)).scalar_one()
    preview = hotlists.preview_import(rt, actor=admin.principal, list_name=svs, data=REFRESH)
    assert (preview.retired, preview.imported) == (2, 3)
    assert _active(rt) == ["7ABC123", "8XYZ999"]
    with rt.transaction() as session:
        assert session.execute(select(func.count()).select_from(AccessRecord)).scalar_one() == (
            records
        )
    empty_reason = REFRESH.split("\n")[0] + "\n1AAA111,CA,,,,,SVS-1,2026-11-19,,high\n"
    with pytest.raises(hotlists.ImportRefused, match="line 2: reason is empty"):
        hotlists.preview_import(rt, actor=admin.principal, list_name=svs, data=empty_reason)
    assert preview.leaves_out_most  # a file of other plates only: confirmed, as the page asks
    done = hotlists.import_csv(
        rt, actor=admin.principal, list_name=svs, data=REFRESH, confirm_retire=True
    )
    assert (done.retired, done.imported) == (preview.retired, preview.imported)
    assert _active(rt) == ["4JKL444", "5DEF555", "6GHI666"]


def test_in_service_is_one_rule_and_the_public_page_counts_the_cameras_deployed(
    rt: Runtime, make_user: Callable[..., TestUser]
) -> None:
    """R52: "in service" is one rule on the Cameras page, enabled and up as it stands now: a
    camera down, one never reported, one disabled, and one up at its last report but silent
    since (the worker that would mark it down is not running) are not counted. A camera with no
    stream for the worker (its reads imported) is not watched: neither down nor in service,
    and its silence is not the worker's. The public page counts what the public asks about:
    the cameras deployed (enabled), fixed and in patrol cars, whatever their health this
    minute, and those that read plates in the last 30 days."""
    world = World(rt)
    for name in ("up-1", "up-2", "down", "unknown", "disabled", "silent"):
        world.camera(name, 37.7, -122.4, source=f"rtsp://127.0.0.1:8554/{name}")
    world.camera("imported", 37.7, -122.4)
    world.camera("Patrol car 21", None, None, mobile=True)
    now = rt.now()
    world.read("7ABC123", "imported", now - timedelta(days=2), 37.7, -122.4)
    world.read("7ABC123", "Patrol car 21", now - timedelta(days=1), 37.71, -122.41, mobile=True)
    world.read("8XYZ999", "up-1", now - timedelta(days=45), 37.7, -122.4)  # before the period
    with rt.transaction() as session:
        for name, status, enabled, heard in (
            ("up-1", CameraStatus.UP, True, now - timedelta(seconds=HEARTBEAT_S)),
            ("up-2", CameraStatus.UP, True, now),
            ("down", CameraStatus.DOWN, True, now),
            ("disabled", CameraStatus.UP, False, now),
            ("silent", CameraStatus.UP, True, now - timedelta(hours=8)),
            ("imported", CameraStatus.UP, True, now - timedelta(hours=8)),
        ):
            session.execute(
                update(Camera)
                .where(Camera.name == name)
                .values(status=status, enabled=enabled, last_heartbeat_at=heard)
            )
    officer = make_user("chen", "patrol")
    cameras = {c.name: c for c in list_cameras(rt, principal=officer.principal)}
    assert [name for name, c in cameras.items() if c.in_service] == ["up-1", "up-2"]
    assert (cameras["silent"].status, cameras["silent"].last_error) == ("down", "no heartbeat")
    assert (cameras["imported"].status, cameras["imported"].last_error) == ("unknown", None)
    public = public_figures(rt)
    assert (public.fixed_cameras, public.patrol_car_readers) == (6, 1)  # "disabled" is not
    assert public.cameras_deployed == 7
    assert public.cameras_that_read == 2  # "up-1" read only before the last 30 days
    assert worker_silence(list(cameras.values()), now=now) is None
    later = now + timedelta(seconds=SILENT_AFTER_S + 1)
    assert worker_silence(list(cameras.values()), now=later) == Silence(now)
    assert worker_silence([cameras["imported"]], now=later) is None
    assert mark_silent_cameras_down(rt.engine, now=later) == 3  # up-1, up-2, silent


def test_every_camera_counts_its_reads_of_the_last_hour_from_the_reads_stored(
    rt: Runtime, make_user: Callable[..., TestUser]
) -> None:
    """R52: the Cameras page's reads of the last hour are counted from the reads stored, so a
    camera whose reads are imported (never watched, no heartbeat) and an in-car unit have a
    number as a watched camera does; a read older than an hour, or another camera's, does not
    count, nor does what the plate-reading service last reported. Frames per second stay the
    service's measure: none for a camera it does not watch."""
    world = World(rt)
    world.camera("watched", 37.7, -122.4, source="rtsp://127.0.0.1:8554/watched")
    world.camera("imported", 37.7, -122.4)
    world.camera("Patrol car 21", None, None, mobile=True)
    world.camera("quiet", 37.7, -122.4)
    now = rt.now()
    for camera, minutes_ago in (
        ("watched", 5),
        ("imported", 1),
        ("imported", 59),
        ("imported", 61),  # an hour and a minute ago: not the last hour
        ("Patrol car 21", 30),
        ("quiet", 24 * 60),
    ):
        world.read(
            f"7ABC{minutes_ago:03d}",
            camera,
            now - timedelta(minutes=minutes_ago),
            37.7,
            -122.4,
            mobile=camera == "Patrol car 21",
        )
    with rt.transaction() as session:
        session.execute(
            update(Camera).values(
                status=CameraStatus.UP, last_heartbeat_at=now, frames_per_second=9.5
            )
        )
    cameras = {c.name: c for c in list_cameras(rt, principal=make_user("chen", "patrol").principal)}
    assert {name: c.reads_last_hour for name, c in cameras.items()} == {
        "watched": 1,
        "imported": 2,
        "Patrol car 21": 1,
        "quiet": 0,
    }
    assert cameras["watched"].frames_per_second == 9.5
    assert cameras["imported"].frames_per_second is None


def test_statistics_per_camera_unit_list_disposition_day_and_purpose(
    rt: Runtime, svs: str, clock: Clock, make_user: Callable[..., TestUser]
) -> None:
    """R24, R52: reads and hits per fixed camera and per in-car unit, hits per list with the
    confirmed ones, dispositions and minutes to review per day, searches per day by purpose
    in words, and uptime from the worker's health reports (silence counts as down). Each day
    is the agency's: an evening in California, already the next day in UTC, counts on its
    own date."""
    clock.now = datetime(2026, 11, 21, 1, 30, tzinfo=UTC)  # 17:30 on 20 Nov in Pacific time
    hotlists.import_csv(rt, actor=None, list_name=svs, data=LIST)
    world = World(rt)
    fixed = world.camera("Geneva Ave", 37.7, -122.4)
    unit = world.camera("Patrol car 21", None, None, mobile=True)
    with rt.transaction() as session:
        session.execute(update(Camera).values(created_at=clock.now - timedelta(hours=1)))
    ingestor = Ingestor(rt.engine, rt.images)
    for camera, plate in ((fixed, "7ABC123"), (fixed, "1AAA111"), (unit, "8XYZ999")):
        ingestor.store(
            [
                ReadRecord(
                    camera_id=camera,
                    captured_at=clock.now - timedelta(minutes=30),
                    plate=plate,
                    confidence=0.9,
                    lat=37.7,
                    lon=-122.4,
                    is_mobile=camera == unit,
                )
            ],
            now=clock.now - timedelta(minutes=30),
        )
    for beat in range(60):  # half an hour of reports in the camera's hour
        heartbeat(
            rt.engine,
            camera_id=fixed,
            now=clock.now - timedelta(seconds=HEARTBEAT_S * beat),
            status=CameraStatus.UP,
            fps=10.0,
            frames=300,
            reads=0,
            error=None,
        )
    officer = make_user("chen", "patrol")
    clock.advance(minutes=12)
    [first, _] = sorted(
        alerts.poll_alerts(rt, principal=officer.principal, justification=WHY),
        key=lambda a: a.id,
    )
    alerts.review_alert(
        rt,
        principal=officer.principal,
        alert_id=first.id,
        disposition="confirmed",
        characters_compared=True,
        clets_confirmed=True,
        clets_confirmed_by="Disp. Lee",
        clets_confirmed_at=clock.now,
        clets_reference="C123",
        note="Driver detained, vehicle recovered",
    )
    detective = make_user("rivera", "investigator")
    with rt.transaction() as session:
        for purpose in (
            Purpose.STOLEN_VEHICLE,
            Purpose.STOLEN_VEHICLE,
            Purpose.MAJOR_CRIME_CANVASS,
        ):
            access_log.append(
                session,
                at=clock.now,
                event=Event.SEARCH,
                outcome=Outcome.ALLOWED,
                principal=detective.principal,
                justification=Justification(purpose, "26-01001", None, False),
            )
    command = make_user("park", "command")
    stats = command_statistics(rt, principal=command.principal, days=7)

    cameras = {c.camera: c for c in stats.cameras}
    assert (cameras["Geneva Ave"].reads, cameras["Geneva Ave"].hits) == (2, 1)
    assert (cameras["Patrol car 21"].reads, cameras["Patrol car 21"].hits) == (1, 1)
    assert cameras["Patrol car 21"].mobile and not cameras["Geneva Ave"].mobile
    assert cameras["Geneva Ave"].health_reports == 60
    assert cameras["Geneva Ave"].uptime_percent == pytest.approx(100 * 60 * 30 / (72 * 60), abs=0.1)
    assert cameras["Patrol car 21"].uptime_percent is None  # never reported
    assert stats.hits_per_list == [("SVS", 2, 1)]
    assert stats.reads == 3 and stats.hits == 2
    day = "2026-11-20"
    assert stats.reads_per_day == [(day, 3)]
    assert stats.dispositions_per_day == [(day, "Confirmed", 1)]
    assert stats.minutes_to_review_per_day == [(day, stats.median_minutes_to_review)]
    assert stats.median_minutes_to_review is not None and stats.median_minutes_to_review > 0
    assert sorted(stats.searches_per_day) == [
        (day, "Canvass around a major crime scene", 1),
        (day, "Stolen vehicle", 2),
    ]
    [searcher] = stats.searches_by_person
    assert (searcher.name, searcher.role, searcher.searches) == ("Rivera", "Investigator", 3)
    assert searcher.purposes == [("Stolen vehicle", 2), ("Canvass around a major crime scene", 1)]


def _statistics_looks(rt: Runtime) -> list[tuple[str, str, str, str, dict[str, object]]]:
    """Who looked at the statistics, as what event, with what outcome, in the review's words,
    and the period."""
    with rt.transaction() as session:
        return [
            (r.username or "", r.event, r.outcome, describe.what(r), dict(r.query or {}))
            for r in session.execute(
                select(AccessRecord)
                .where(AccessRecord.detail.like("usage statistics%"))
                .order_by(AccessRecord.id)
            ).scalars()
        ]


def test_each_look_at_the_statistics_is_recorded_with_its_period(
    rt: Runtime, make_user: Callable[..., TestUser]
) -> None:
    """R20, R48: the figures are drawn from ALPR data and the access log, so each look is
    recorded, who looked and the period, as a look at data the log review names. Fails if the
    figures are handed back unrecorded."""
    command = make_user("park", "command").principal
    command_statistics(rt, principal=command, days=7)
    command_statistics(rt, principal=command, days=90)
    looks = _statistics_looks(rt)
    assert [(u, e, o, w, q["days"]) for u, e, o, w, q in looks] == [
        ("park", "view_read", "success", "Usage statistics viewed", 7),
        ("park", "view_read", "success", "Usage statistics viewed", 90),
    ]
    # The clock's 20 Nov, 10:00 in the agency's zone: the 7 days start at midnight on 14 Nov.
    assert looks[0][4]["since"] == datetime(2026, 11, 14, tzinfo=PACIFIC).isoformat()


@pytest.mark.parametrize("role", ["investigator", "patrol", "records_clerk"])
def test_a_role_without_the_statistics_sees_none_and_the_attempt_is_recorded(
    rt: Runtime, make_user: Callable[..., TestUser], role: str
) -> None:
    """R04, R20: a person whose role does not include the statistics gets no figure, and the
    attempt is recorded as refused."""
    with pytest.raises(Refusal, match="does not include"):
        command_statistics(rt, principal=make_user("other", role).principal, days=30)
    [(username, event, outcome, _, _)] = _statistics_looks(rt)
    assert (username, event, outcome) == ("other", "view_read", "refused")


def _searched(rt: Runtime, user: TestUser, at: datetime, purpose: Purpose) -> None:
    with rt.transaction() as session:
        access_log.append(
            session,
            at=at,
            event=Event.SEARCH,
            outcome=Outcome.ALLOWED,
            principal=user.principal,
            justification=Justification(purpose, "26-01001", None, False),
        )


PACIFIC = ZoneInfo("America/Los_Angeles")


def test_a_day_is_the_agencys_day_across_daylight_saving_and_a_period_starts_at_its_midnight(
    rt: Runtime, clock: Clock, make_user: Callable[..., TestUser]
) -> None:
    """R24, R52: searches and reads count on the agency's calendar day, in summer time and in
    winter time alike (daylight saving ended on 1 Nov 2026); the last 7 or 30 days start at
    midnight there, not at this hour UTC's days ago."""
    assert rt.settings.tz == PACIFIC
    clock.now = datetime(2026, 12, 6, 19, 0, tzinfo=PACIFIC)
    detective = make_user("rivera", "investigator")
    world = World(rt)
    world.camera("Geneva Ave", 37.7, -122.4)
    for when, purpose in (
        (datetime(2026, 12, 6, 17, 10), Purpose.STOLEN_VEHICLE),  # 01:10 UTC on 7 Dec
        (datetime(2026, 12, 6, 0, 30), Purpose.STOLEN_VEHICLE),  # 08:30 UTC the same day
        (datetime(2026, 10, 31, 0, 30), Purpose.WANTED_VEHICLE),  # summer time, 07:30 UTC
        (datetime(2026, 11, 1, 23, 30), Purpose.MISSING_PERSON),  # winter time, 07:30 UTC
        (datetime(2026, 11, 30, 0, 30), Purpose.AMBER_ALERT),  # the first of the last 7 days
        (datetime(2026, 11, 29, 23, 30), Purpose.ACTIVE_WARRANT),  # before them
        (datetime(2026, 11, 6, 23, 30), Purpose.STOLEN_PLATE),  # before the last 30 days
    ):
        _searched(rt, detective, when.replace(tzinfo=PACIFIC), purpose)
    for when in (datetime(2026, 12, 6, 17, 10), datetime(2026, 11, 1, 23, 30)):
        world.read("7ABC123", "Geneva Ave", when.replace(tzinfo=PACIFIC), 37.7, -122.4)
    command = make_user("park", "command").principal

    season = command_statistics(rt, principal=command, days=90)
    assert sorted(season.searches_per_day) == [
        ("2026-10-31", "Wanted vehicle", 1),
        ("2026-11-01", "Missing person", 1),
        ("2026-11-06", "Stolen plate", 1),
        ("2026-11-29", "Active warrant", 1),
        ("2026-11-30", "AMBER alert", 1),
        ("2026-12-06", "Stolen vehicle", 2),
    ]
    assert season.reads_per_day == [("2026-11-01", 1), ("2026-12-06", 1)]
    week = command_statistics(rt, principal=command, days=7)
    assert sorted(week.searches_per_day) == [
        ("2026-11-30", "AMBER alert", 1),
        ("2026-12-06", "Stolen vehicle", 2),
    ]
    assert [(p.name, p.searches) for p in week.searches_by_person] == [("Rivera", 3)]
    public = public_figures(rt).searches_by_purpose
    assert "Active warrant" in public and "Stolen plate" not in public


def test_watching_alerts_starts_only_on_a_reason_that_names_an_incident(
    rt: Runtime, make_user: Callable[..., TestUser]
) -> None:
    """R21: the shift's reason is checked when watching starts, with no alert waiting, and
    recorded either way; a reason that identifies nothing is refused there rather than by the
    first poll that finds an alert."""
    officer = make_user("chen", "patrol").principal
    vague = JustificationInput(purpose="stolen_vehicle", description="Patrol shift monitoring")
    with pytest.raises(Refusal, match="does not identify an incident"):
        alerts.start_monitoring(rt, principal=officer, justification=vague)
    alerts.start_monitoring(
        rt,
        principal=officer,
        justification=JustificationInput(
            purpose="stolen_vehicle",
            description="Stolen vehicles (10851 VC), Beat 3, day watch 20 Nov from 07:00",
        ),
    )
    with rt.transaction() as session:
        outcomes = session.execute(
            select(AccessRecord.outcome)
            .where(AccessRecord.username == "chen", AccessRecord.event == Event.VIEW_READ.value)
            .order_by(AccessRecord.id)
        ).scalars()
        assert list(outcomes) == [Outcome.REFUSED.value, Outcome.ALLOWED.value]
