"""R22: a database superuser who bypasses the append-only triggers can still not change the
log unnoticed: ``alpr audit verify`` exits non-zero and names the first bad record."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import text

from alpr.governance import access_log
from alpr.governance.access_log import Event, Outcome
from alpr.governance.runtime import Runtime

ROOT = Path(__file__).resolve().parents[2]


def _fill(rt: Runtime, count: int = 5) -> list[int]:
    ids = []
    for n in range(count):
        with rt.transaction() as session:
            record_id = access_log.append(
                session,
                at=rt.now(),
                event=Event.SEARCH,
                outcome=Outcome.ALLOWED,
                username="rivera",
                plates=[f"7ABC12{n}"],
                detail=f"search {n}",
            )
            ids.append(record_id)
    return ids


def _bypass_triggers(rt: Runtime) -> None:
    with rt.engine.begin() as conn:
        if rt.is_postgres:
            conn.execute(text("ALTER TABLE access_records DISABLE TRIGGER USER"))
        else:
            conn.execute(text("DROP TRIGGER access_records_no_update"))
            conn.execute(text("DROP TRIGGER access_records_no_delete"))


def _verify(rt: Runtime) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "ALPR_DATABASE_URL": rt.settings.resolved_database_url,
        "ALPR_DATA_DIR": str(rt.settings.data_dir),
        "PYTHONPATH": str(ROOT),
    }
    return subprocess.run(
        [sys.executable, "-m", "alpr", "audit", "verify"],
        cwd=ROOT,
        env=env,
        text=True,
        capture_output=True,
        timeout=120,
        check=False,
    )


def test_intact_log_verifies(rt: Runtime) -> None:
    _fill(rt)
    result = _verify(rt)
    assert result.returncode == 0, result.stderr
    assert "access log intact" in result.stdout and "records verified" in result.stdout


@pytest.mark.parametrize(
    ("tamper", "expected"),
    [
        (
            "UPDATE access_records SET plates = '[\"1XYZ999\"]' WHERE id = {third}",
            "{third} was altered",
        ),
        ("DELETE FROM access_records WHERE id = {third}", "record {fourth} does not follow"),
        (
            "UPDATE access_records SET detail = 'harmless', hash = hash WHERE id = {second}",
            "{second} was altered",
        ),
    ],
)
def test_tampering_is_detected_and_named(rt: Runtime, tamper: str, expected: str) -> None:
    ids = _fill(rt)
    names = {"second": ids[1], "third": ids[2], "fourth": ids[3]}
    _bypass_triggers(rt)
    with rt.engine.begin() as conn:
        conn.execute(text(tamper.format(**names)))
    result = _verify(rt)
    assert result.returncode == 1
    assert "ACCESS LOG TAMPERED" in result.stderr
    assert expected.format(**names) in result.stderr


def test_record_inserted_out_of_order_is_detected(rt: Runtime) -> None:
    ids = _fill(rt, 3)
    _bypass_triggers(rt)
    with rt.engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO access_records"
                " (at, event, outcome, username, exigent, prev_hash, hash)"
                " SELECT at, event, outcome, 'intruder', exigent, prev_hash, 'f' || substr(hash, 2)"
                " FROM access_records WHERE id = :id"
            ),
            {"id": ids[1]},
        )
    result = _verify(rt)
    assert result.returncode == 1
    assert "does not follow" in result.stderr
