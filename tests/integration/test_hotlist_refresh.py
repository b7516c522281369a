"""A hot list refreshed from a new download on both databases (R12, R13, R14, R40): the state
sends its whole list every day, and most of it is what the list held the day before. Only what
is new to the list is checked against past reads: a read that already has an alert for the
same wanted plate of the list (same plate or pattern, same state) gets no second one, keeps its
review, and is not queued again for the list's webhook; a plate new to the list raises its
retro-hits as any new entry does."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from alpr.data.models import Agency, Alert, HotListEntry, WebhookDelivery
from alpr.governance import alerts, hotlist_entries, hotlist_webhooks, hotlists
from alpr.governance.runtime import Runtime
from alpr.recognition.ingest import Ingestor, ReadRecord
from tests.conftest import Clock, TestUser
from tests.integration.builders import World

HEADER = "plate,state,reason,make,model,colour,case_number,entered_date,expiry,priority\n"
STOLEN = "7ABC123,CA,Stolen vehicle,Honda,Civic,Silver,SVS-1,2026-11-19,,high\n"
PLATE = "8XYZ999,CA,Stolen plate,,,,SVS-2,2026-11-19,,high\n"
# The same wanted plate as the state sends it a day later: its record says more, and its
# priority has changed.
STOLEN_AGAIN = (
    "7ABC123,CA,Stolen vehicle - armed suspect,Honda,Civic,Silver,SVS-1,2026-11-19,,medium\n"
)
NEW = "4NEW444,CA,Stolen vehicle,Ford,F150,Black,SVS-3,2026-11-20,,high\n"


@pytest.fixture
def svs(rt: Runtime, make_user: Callable[..., TestUser]) -> str:
    """The state's stolen-vehicle list, its alerts sent to the department's own CAD."""
    hotlists.ensure_list(rt, actor=None, name="SVS", kind="stolen_vehicle")
    hotlist_webhooks.set_webhook(
        rt,
        actor=make_user("ruiz", "administrator").principal,
        list_name="SVS",
        url="http://127.0.0.1:9/cad",
        agency_name=_home(rt),
    )
    return "SVS"


def _home(rt: Runtime) -> str:
    with rt.transaction() as session:
        return session.execute(select(Agency.name).where(Agency.is_home.is_(True))).scalar_one()


def _counts(rt: Runtime) -> tuple[int, int]:
    """How many alerts there are, and how many deliveries to the webhook are queued."""
    with rt.transaction() as session:
        return (
            session.execute(select(func.count()).select_from(Alert)).scalar_one(),
            session.execute(select(func.count()).select_from(WebhookDelivery)).scalar_one(),
        )


def _alerted(rt: Runtime) -> list[tuple[int, str, str | None]]:
    """(read, entry pattern, entry state) of each alert, oldest first."""
    with rt.transaction() as session:
        return [
            (read_id, pattern, state)
            for read_id, pattern, state in session.execute(
                select(Alert.read_id, HotListEntry.pattern, HotListEntry.state)
                .join(HotListEntry, HotListEntry.id == Alert.entry_id)
                .order_by(Alert.id)
            ).all()
        ]


def _review_as_misread(rt: Runtime, officer: TestUser, alert_id: int) -> None:
    alerts.review_alert(
        rt,
        principal=officer.principal,
        alert_id=alert_id,
        disposition="misread",
        characters_compared=True,
        clets_confirmed=False,
        note="Crop shows 7ABC128, not the listed plate",
    )


def _dispositions(rt: Runtime) -> dict[int, str]:
    with rt.transaction() as session:
        ids = list(session.execute(select(Alert.id)).scalars())
        return alerts.latest_dispositions(session, ids)


def test_a_daily_refresh_raises_no_second_alert_for_a_read_already_alerted(
    rt: Runtime, svs: str, clock: Clock, make_user: Callable[..., TestUser]
) -> None:
    """R13, R14, R40: the state's list refreshed with the same plate (its reason and priority
    changed) raises no new alert for a read it already alerted on: patrol does not see the old
    hit as new, the misread review stands, and the receiving agency is not sent it again. A
    plate new to the list, or the same characters wanted in another state, raises its
    retro-hits as any new entry does."""
    world = World(rt)
    world.camera("cam", 37.7, -122.4)
    read = world.read("7ABC123", "cam", clock.now - timedelta(days=20), 37.7, -122.4)
    new_read = world.read("4NEW444", "cam", clock.now - timedelta(days=10), 37.7, -122.4)
    first = hotlists.import_csv(rt, actor=None, list_name=svs, data=HEADER + STOLEN + PLATE)
    assert first.retro_alerts == 1 and _counts(rt) == (1, 1)
    [(alert_id,)] = _ids(rt)
    _review_as_misread(rt, make_user("chen", "patrol"), alert_id)

    for day in (1, 2):
        clock.advance(days=1)
        again = hotlists.import_csv(
            rt, actor=None, list_name=svs, data=HEADER + STOLEN_AGAIN + PLATE
        )
        assert (again.imported, again.retired, again.retro_alerts) == (2, 2, 0), day
        assert _counts(rt) == (1, 1), day
        assert _dispositions(rt) == {alert_id: "misread"}, day

    grown = hotlists.import_csv(
        rt,
        actor=None,
        list_name=svs,
        data=HEADER + STOLEN_AGAIN + PLATE + NEW + STOLEN.replace(",CA,", ",NV,"),
    )
    assert grown.retro_alerts == 2 and _counts(rt) == (3, 3)
    assert sorted(_alerted(rt)) == sorted(
        [(read, "7ABC123", "CA"), (new_read, "4NEW444", "CA"), (read, "7ABC123", "NV")]
    )
    assert _dispositions(rt) == {alert_id: "misread"}


def _ids(rt: Runtime) -> list[tuple[int]]:
    with rt.transaction() as session:
        return [(i,) for i in session.execute(select(Alert.id).order_by(Alert.id)).scalars()]


def test_a_plate_back_on_the_list_raises_no_second_alert_for_a_read_already_alerted(
    rt: Runtime, svs: str, clock: Clock, make_user: Callable[..., TestUser]
) -> None:
    """R13, R14: a plate taken off the list by hand, or left out of a download confirmed as
    partial, that the next day's download carries again is checked against past reads again;
    a read alerted for it before gets no second alert and keeps its review."""
    world = World(rt)
    world.camera("cam", 37.7, -122.4)
    world.read("7ABC123", "cam", clock.now - timedelta(days=20), 37.7, -122.4)
    full = HEADER + STOLEN + PLATE
    assert hotlists.import_csv(rt, actor=None, list_name=svs, data=full).retro_alerts == 1
    [(alert_id,)] = _ids(rt)
    _review_as_misread(rt, make_user("chen", "patrol"), alert_id)
    admin = make_user("okafor", "administrator")
    [entry] = [e for e in _active(rt) if e.pattern == "7ABC123"]
    hotlist_entries.take_off(
        rt, principal=admin.principal, entry_id=entry.id, reason="Cleared in CLETS 20 Nov"
    )
    clock.advance(days=1)
    assert hotlists.import_csv(rt, actor=None, list_name=svs, data=full).retro_alerts == 0
    clock.advance(days=1)
    partial = hotlists.import_csv(
        rt, actor=None, list_name=svs, data=HEADER + PLATE, confirm_retire=True
    )
    assert partial.retired == 2
    clock.advance(days=1)
    assert hotlists.import_csv(rt, actor=None, list_name=svs, data=full).retro_alerts == 0
    assert _counts(rt) == (1, 1) and _dispositions(rt) == {alert_id: "misread"}
    assert sorted(e.pattern for e in _active(rt)) == ["7ABC123", "8XYZ999"]


def _active(rt: Runtime) -> list[HotListEntry]:
    with rt.transaction() as session:
        return list(
            session.execute(select(HotListEntry).where(HotListEntry.removed_at.is_(None))).scalars()
        )


def test_a_read_alerted_at_ingest_is_not_alerted_again_by_a_refresh(
    rt: Runtime, svs: str, clock: Clock
) -> None:
    """R13, R14: the worker alerts a read when it stores it, against the entries it loaded
    (up to a minute old, so perhaps an entry a refresh has just replaced); a stored read is
    not matched again at ingest, and a refresh does not alert it a second time either."""
    hotlists.import_csv(rt, actor=None, list_name=svs, data=HEADER + STOLEN + PLATE)
    camera = World(rt).camera("cam", 37.7, -122.4)
    ingestor = Ingestor(rt.engine, rt.images)

    def read(minutes: int) -> int:
        return ingestor.store(
            [
                ReadRecord(
                    camera_id=camera,
                    captured_at=clock.now - timedelta(minutes=minutes),
                    plate="7ABC123",
                    confidence=0.9,
                    lat=37.7,
                    lon=-122.4,
                )
            ],
            now=clock.now,
        ).alerts

    assert read(5) == 1
    refresh = HEADER + STOLEN_AGAIN + PLATE
    assert hotlists.import_csv(rt, actor=None, list_name=svs, data=refresh).retro_alerts == 0
    # The worker's entries were loaded before the refresh: the read is alerted on the entry
    # the refresh replaced, and the next refresh does not alert it again.
    assert read(1) == 1
    assert hotlists.import_csv(rt, actor=None, list_name=svs, data=refresh).retro_alerts == 0
    ingestor.matcher = None
    assert read(0) == 1
    assert read(0) == 0  # the same read again: stored already, not alerted again
    assert hotlists.import_csv(rt, actor=None, list_name=svs, data=refresh).retro_alerts == 0
    reads = [read_id for read_id, _, _ in _alerted(rt)]
    assert len(reads) == len(set(reads)) == 3
    assert _counts(rt) == (3, 3)


def test_a_state_list_of_thousands_of_plates_is_checked_a_part_at_a_time(
    rt: Runtime, svs: str, clock: Clock
) -> None:
    """R14, R12: the state's list runs to hundreds of thousands of plates, more than either
    database takes in one statement (SQLite: an expression at most 1000 deep; Postgres: 65,535
    parameters): its plates are checked against past reads a part at a time, the first import
    alerting every read of them, the refresh the reads of its new plates only."""
    world = World(rt)
    world.camera("cam", 37.7, -122.4)
    plates = [f"5AB{i:04d}" for i in range(1200)]
    seen = [
        world.read(p, "cam", clock.now - timedelta(days=3), 37.7, -122.4) for p in plates[::599]
    ]
    rows = "".join(f"{p},CA,Stolen vehicle,,,,SVS-{p},2026-11-19,,high\n" for p in plates)
    first = hotlists.import_csv(rt, actor=None, list_name=svs, data=HEADER + rows)
    assert len(seen) == 3 and (first.imported, first.retro_alerts) == (1200, 3)
    new_read = world.read("4NEW444", "cam", clock.now - timedelta(days=1), 37.7, -122.4)
    clock.advance(days=1)
    again = hotlists.import_csv(rt, actor=None, list_name=svs, data=HEADER + rows + NEW)
    assert (again.retired, again.retro_alerts) == (1200, 1)
    assert sorted(read_id for read_id, _, _ in _alerted(rt)) == sorted([*seen, new_read])
