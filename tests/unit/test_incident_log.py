"""The incident log keeps what went wrong for the administrator alone: a file only its owner
reads, and no value an error quotes — a database row, or a setting refused at start-up that may
be a database address with its password (R48, R50)."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest
from pydantic import ValidationError

from alpr.config import Deployment, get_deployment
from alpr.incident_log import record_incident


@pytest.fixture
def data_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "data"
    monkeypatch.setenv("ALPR_DATA_DIR", str(folder))
    get_deployment.cache_clear()
    return folder


def test_the_log_is_read_by_its_owner_alone(data_dir: Path) -> None:
    record_incident(RuntimeError("boom"), "`alpr audit verify`")
    assert stat.S_IMODE((data_dir / "incidents.log").stat().st_mode) == 0o600
    assert stat.S_IMODE(data_dir.stat().st_mode) == 0o700


def test_a_refused_setting_s_value_is_not_written_down(
    data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A value put in the wrong variable: the database address in the thread count.
    monkeypatch.setenv("ALPR_ONNX_THREADS", "postgresql+psycopg://alpr:Hunter2-secret@db/alpr")
    try:
        Deployment()
    except ValidationError as exc:
        reference = record_incident(exc, "`alpr db upgrade`")
    else:  # pragma: no cover - the setting must be refused for the test to mean anything
        pytest.fail("the setting was not refused")
    log = (data_dir / "incidents.log").read_text(encoding="utf-8")
    assert f"=== incident {reference} in `alpr db upgrade`" in log
    assert "ValidationError (message withheld: it quotes values)" in log
    assert "Hunter2" not in log
