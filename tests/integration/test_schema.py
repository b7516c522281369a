"""The schema on both databases: migrations are idempotent and reversible, and the
accountability tables refuse edits at the database level (R22)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest
from sqlalchemy import inspect, select, text
from sqlalchemy.exc import DatabaseError

from alpr.data import schema
from alpr.data.models import Read
from alpr.governance import access_log
from alpr.governance.access_log import Event, Outcome
from alpr.governance.cameras import add_camera
from alpr.governance.runtime import Runtime
from alpr.governance.system import upgrade_database
from alpr.recognition.ingest import Ingestor, ReadRecord


def test_upgrade_on_up_to_date_database_changes_nothing(rt: Runtime) -> None:
    tables_before = sorted(inspect(rt.engine).get_table_names())
    result = upgrade_database(rt)
    assert not result.changed
    assert result.after == schema.head_revision()
    assert sorted(inspect(rt.engine).get_table_names()) == tables_before


def test_downgrade_to_base_and_upgrade_round_trips(rt: Runtime) -> None:
    schema.downgrade(rt.engine, "base")
    leftover = set(inspect(rt.engine).get_table_names()) - {"alembic_version", "spatial_ref_sys"}
    assert leftover == set()
    result = upgrade_database(rt)
    assert result.before is None and result.after == schema.head_revision()
    assert "reads" in inspect(rt.engine).get_table_names()


def _append_one(rt: Runtime) -> int:
    with rt.transaction() as session:
        return access_log.append(
            session, at=rt.now(), event=Event.SYSTEM, outcome=Outcome.SUCCESS, detail="probe"
        )


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE access_records SET detail = 'edited' WHERE id = :id",
        "DELETE FROM access_records WHERE id = :id",
    ],
)
def test_access_log_refuses_update_and_delete(rt: Runtime, statement: str) -> None:
    record_id = _append_one(rt)
    with pytest.raises(DatabaseError, match="append-only"), rt.engine.begin() as conn:
        conn.execute(text(statement), {"id": record_id})
    with rt.engine.connect() as conn:
        detail = conn.execute(
            text("SELECT detail FROM access_records WHERE id = :id"), {"id": record_id}
        ).scalar_one()
    assert detail == "probe"


def test_times_come_back_in_utc_whatever_zone_they_were_given_in(rt: Runtime) -> None:
    camera = add_camera(rt, actor=None, name="cam", lat=37.7, lon=-122.4)
    pacific = datetime(2026, 11, 20, 8, 0, tzinfo=timezone(timedelta(hours=-8)))
    Ingestor(rt.engine, rt.images).store(
        [ReadRecord(camera, pacific, "7ABC123", 0.9, 37.7, -122.4)], now=pacific
    )
    with rt.transaction() as session:
        stored = session.execute(select(Read.captured_at)).scalar_one()
    assert stored.tzinfo is not None and stored.utcoffset() == timedelta(0)
    assert stored.hour == 16 and stored == pacific.astimezone(UTC)
