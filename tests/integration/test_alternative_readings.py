"""The reader's other readings of a plate on both databases (R12, R13, R30): a hot-list entry
matched only by another reading scored above the policy's threshold raises an alert that is
only possible, named as such wherever it is shown; retention removes the other readings with
their reads, and the plate dictionary forgets the plates nothing names any more."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import select, text

from alpr.data import schema
from alpr.data.models import AccessRecord, Alert, Plate, Read, ReadAlternative
from alpr.governance import alerts, hotlists
from alpr.governance.errors import Refusal
from alpr.governance.gateway import JustificationInput
from alpr.governance.policy import set_policy
from alpr.governance.retention.holds import place_hold, release_hold
from alpr.governance.retention.purge import purge
from alpr.governance.runtime import Runtime
from alpr.recognition.certainty import POSSIBLE
from alpr.recognition.ingest import Ingestor, ReadRecord
from tests.conftest import Clock, TestUser
from tests.integration.builders import World

WHY = JustificationInput(
    "stolen_vehicle", description="Stolen vehicle (VC 10851) alerts for beat 3, day shift 20 Nov"
)
LISTED = (
    "plate,state,reason,make,model,colour,case_number,entered_date,expiry,priority\n"
    "7ABC123,CA,Stolen vehicle,Honda,Civic,Silver,SVS-1,2026-11-19,2026-12-20,high\n"
)


def _record(camera: int, at: datetime, readings: list[list[Any]]) -> ReadRecord:
    return ReadRecord(
        camera_id=camera,
        captured_at=at,
        plate=readings[0][0],
        confidence=readings[0][1],
        lat=37.7,
        lon=-122.4,
        alternatives=readings,
    )


def test_a_hot_list_entry_matched_by_an_alternative_reading_raises_a_possible_alert(
    rt: Runtime, clock: Clock, make_user: Callable[..., TestUser]
) -> None:
    hotlists.ensure_list(rt, actor=None, name="SVS", kind="stolen_vehicle")
    hotlists.import_csv(rt, actor=None, list_name="SVS", data=LISTED)
    camera = World(rt).camera("cam", 37.7, -122.4)
    ingestor = Ingestor(rt.engine, rt.images)
    at = clock.now
    stored = ingestor.store(
        [
            _record(camera, at, [["7ABCI23", 0.6], ["7ABC123", 0.3]]),
            _record(camera, at + timedelta(seconds=5), [["7ABCL23", 0.9], ["7ABC123", 0.05]]),
        ],
        now=at,
    )
    assert stored.alerts == 1  # the second read's alternative is below the policy's 0.15
    officer = make_user("chen", "patrol")
    [alert] = alerts.poll_alerts(rt, principal=officer.principal, justification=WHY)
    assert (alert.plate, alert.alternative, alert.alternative_score) == ("7ABCI23", "7ABC123", 0.3)
    assert alert.certainty == POSSIBLE and alert.certainty != "confirmed"
    assert alert.match_kind == "exact" and alert.entry_pattern == "7ABC123"
    with rt.transaction() as session:
        retained = session.execute(select(Read.retained).where(Read.id == alert.read_id))
        assert retained.scalar_one()
        record = session.execute(
            select(AccessRecord).where(AccessRecord.username == "chen").order_by(AccessRecord.id)
        ).scalars()
        assert any("7ABC123" in (r.plates or []) for r in record)

    with pytest.raises(Refusal, match="5%"):
        set_policy(
            rt,
            actor=None,
            key="alert_alternative_min_score",
            value=0.01,
            legal_basis="Department policy 462.4",
        )
    set_policy(
        rt,
        actor=None,
        key="alert_alternative_min_score",
        value=0.05,
        legal_basis="Department policy 462.4: patrol reviews weaker readings too",
    )
    ingestor.matcher = None
    stored = ingestor.store(
        [_record(camera, at + timedelta(seconds=9), [["7A8C123", 0.9], ["7ABC123", 0.05]])],
        now=at,
    )
    assert stored.alerts == 1
    with rt.transaction() as session:
        assert session.execute(select(Alert.plate, Alert.alternative)).all()[-1] == (
            "7A8C123",
            "7ABC123",
        )


def test_the_plate_as_read_matching_raises_no_possible_alert(rt: Runtime, clock: Clock) -> None:
    hotlists.ensure_list(rt, actor=None, name="SVS", kind="stolen_vehicle")
    hotlists.import_csv(rt, actor=None, list_name="SVS", data=LISTED)
    camera = World(rt).camera("cam", 37.7, -122.4)
    stored = Ingestor(rt.engine, rt.images).store(
        [_record(camera, clock.now, [["7ABC123", 0.6], ["7ABCI23", 0.3]])], now=clock.now
    )
    assert stored.alerts == 1
    with rt.transaction() as session:
        assert session.execute(select(Alert.alternative)).scalar_one() is None


def test_a_reading_scored_under_the_floor_stays_in_the_ledger_only(
    rt: Runtime, clock: Clock
) -> None:
    """A reading scored under 1 % is kept on the read but neither searched nor matched: the
    hot-listed plate read that unlikely raises nothing, and its plate is not in the dictionary;
    the reading scored at the floor is searched."""
    hotlists.ensure_list(rt, actor=None, name="SVS", kind="stolen_vehicle")
    hotlists.import_csv(rt, actor=None, list_name="SVS", data=LISTED)
    camera = World(rt).camera("cam", 37.7, -122.4)
    readings = [["7ABCI23", 0.98], ["7ABC128", 0.01], ["7ABC123", 0.009]]
    stored = Ingestor(rt.engine, rt.images).store(
        [_record(camera, clock.now, readings)], now=clock.now
    )
    assert stored.alerts == 0
    assert _alternatives(rt) == {("7ABCI23", "7ABC128")}
    with rt.transaction() as session:
        assert session.execute(select(Read.alternatives)).scalar_one() == readings
        plates = set(session.execute(select(Plate.plate)).scalars())
    assert "7ABC128" in plates and "7ABC123" not in plates


NOW = datetime(2026, 11, 20, 18, 0, tzinfo=UTC)


def _alternatives(rt: Runtime) -> set[tuple[str, str]]:
    with rt.transaction() as session:
        return {
            (read_plate, plate)
            for read_plate, plate in session.execute(
                select(ReadAlternative.read_plate, ReadAlternative.plate)
            )
        }


def test_purge_leaves_no_alternative_reading_behind(
    rt: Runtime, backend: str, make_user: Callable[..., TestUser]
) -> None:
    """R30: the other readings go with their reads, by partition drop (Postgres), batched
    delete, or not at all for a held read; the dictionary keeps only the plates still named."""
    camera = World(rt).camera("cam", 37.7, -122.4)
    old = NOW - timedelta(days=3 * 365)
    Ingestor(rt.engine, rt.images).store(
        [
            _record(camera, old, [["GONE111", 0.7], ["G0NE111", 0.2]]),
            _record(camera, old + timedelta(days=200), [["GONE222", 0.7], ["G0NE222", 0.2]]),
            _record(camera, old + timedelta(hours=1), [["HELD111", 0.7], ["HE1D111", 0.2]]),
            _record(camera, NOW - timedelta(days=2), [["KEPT111", 0.7], ["KEPT1II", 0.2]]),
        ],
        now=NOW,
    )
    with rt.transaction() as session:
        held = session.execute(select(Read.id).where(Read.plate == "HELD111")).scalar_one()
    place_hold(
        rt,
        principal=make_user("okafor", "administrator").principal,
        case_number="26-04711",
        reason="Evidence in a homicide trial",
        read_ids=[held],
    )
    report = purge(rt, as_of=NOW)
    assert report.counts["read_alternatives"] == 2
    assert report.methods["read_alternatives"] == (
        "partition drop + batched delete" if backend == "postgres" else "batched delete"
    )
    assert _alternatives(rt) == {("HELD111", "HE1D111"), ("KEPT111", "KEPT1II")}
    with rt.transaction() as session:
        plates = set(session.execute(select(Plate.plate)).scalars())
    assert {"HE1D111", "KEPT1II", "HELD111", "KEPT111"} <= plates
    assert not {"G0NE111", "G0NE222", "GONE111", "GONE222"} & plates


def test_upgrade_keeps_the_alternatives_of_reads_stored_before(rt: Runtime) -> None:
    """Migration 0014 copies the alternatives reads already kept, except the plate as read and
    what is not a plate, and the plate dictionary learns their plates."""
    schema.downgrade(rt.engine, "0013")
    world = World(rt)
    world.camera("cam", 37.7, -122.4)
    read_id = world.read("7ABCI23", "cam", NOW, 37.7, -122.4)
    world.read("8XYZ999", "cam", NOW, 37.7, -122.4)  # no alternatives kept
    with rt.engine.begin() as conn:
        conn.execute(
            Read.__table__.update()  # type: ignore[attr-defined]
            .where(Read.id == read_id)
            .values(alternatives=[["7ABCI23", 0.6], ["7abc 123", 0.3], ["7AB#123", 0.1]])
        )
    schema.upgrade(rt.engine)
    assert _alternatives(rt) == {("7ABCI23", "7ABC123")}
    with rt.transaction() as session:
        assert session.get(Plate, "7ABC123") is not None


def test_a_new_entry_finds_past_reads_by_their_other_readings(rt: Runtime, clock: Clock) -> None:
    """R13: a retro-hit by another reading is only possible too; a reading below the
    threshold finds nothing."""
    hotlists.ensure_list(rt, actor=None, name="SVS", kind="stolen_vehicle")
    camera = World(rt).camera("cam", 37.7, -122.4)
    earlier = clock.now - timedelta(days=1)
    Ingestor(rt.engine, rt.images).store(
        [
            _record(camera, earlier, [["7KQN482", 0.6], ["7KQM482", 0.3]]),
            _record(camera, earlier + timedelta(seconds=3), [["7KQH482", 0.9], ["7KQM482", 0.02]]),
        ],
        now=clock.now,
    )
    _, retro = hotlists.add_entry(
        rt,
        actor=None,
        list_name="SVS",
        pattern="7KQM482",
        reason="shooting",
        case_number="26-04711",
    )
    assert retro == 1
    with rt.transaction() as session:
        alert = session.execute(select(Alert)).scalar_one()
        assert (alert.plate, alert.alternative, alert.is_retro) == ("7KQN482", "7KQM482", True)


def _flags(rt: Runtime, backend: str) -> dict[str, tuple[bool, str]]:
    """Each reading's retained flag, and on Postgres the partition that holds it."""
    where = "tableoid::regclass::text" if backend == "postgres" else "''"
    with rt.engine.connect() as conn:
        return {
            plate: (bool(retained), table)
            for plate, retained, table in conn.execute(
                text(f"SELECT plate, retained, {where} FROM read_alternatives")
            )
        }


def test_other_readings_follow_their_read_into_retention_and_back(
    rt: Runtime, backend: str, clock: Clock, make_user: Callable[..., TestUser]
) -> None:
    """R30, R31: a reading is retained exactly when its read is, through a hit at ingest, a
    hit found later and a legal hold placed and released; on Postgres it sits in the retained
    partition of its month, so dropping a month of ordinary readings never takes it."""
    hotlists.ensure_list(rt, actor=None, name="SVS", kind="stolen_vehicle")
    hotlists.import_csv(rt, actor=None, list_name="SVS", data=LISTED)
    camera = World(rt).camera("cam", 37.7, -122.4)
    at = clock.now - timedelta(hours=2)
    Ingestor(rt.engine, rt.images).store(
        [
            _record(camera, at, [["7ABC123", 0.8], ["7A8C123", 0.1]]),
            _record(camera, at + timedelta(seconds=5), [["5LATE77", 0.8], ["5LATE71", 0.1]]),
            _record(camera, at + timedelta(seconds=9), [["6HOLD66", 0.8], ["6H0LD66", 0.1]]),
        ],
        now=clock.now,
    )
    month = f"{at:%Y_%m}"

    def expect(retained: set[str]) -> None:
        for plate, (flag, table) in _flags(rt, backend).items():
            assert flag == (plate in retained), plate
            if backend == "postgres":
                kind = "retained" if flag else "standard"
                assert table == f"read_alternatives_{kind}_{month}", plate

    expect({"7A8C123"})
    _, retro = hotlists.add_entry(
        rt, actor=None, list_name="SVS", pattern="5LATE77", reason="robbery", case_number="R-9"
    )
    assert retro == 1
    expect({"7A8C123", "5LATE71"})
    with rt.transaction() as session:
        held = session.execute(select(Read.id).where(Read.plate == "6HOLD66")).scalar_one()
    detective = make_user("rivera", "investigator").principal
    hold = place_hold(
        rt,
        principal=detective,
        case_number="26-04711",
        reason="Evidence in the Crocker Ave burglary",
        read_ids=[held],
    )
    expect({"7A8C123", "5LATE71", "6H0LD66"})
    supervisor = make_user("okafor", "administrator").principal
    release_hold(rt, principal=supervisor, hold_id=hold, note="Case closed")
    expect({"7A8C123", "5LATE71"})
