"""An unexpected failure on a page shows the person one sentence and a reference, never the
error's text (a database error quotes rows), and the details are in the incident log where the
ALPR Administrator finds them by that reference, as for the ``alpr`` command (R48, R50)."""

from __future__ import annotations

import re
from collections.abc import Callable

import pytest
from streamlit.testing.v1 import AppTest

import alpr.ui.waiting_work
from alpr.governance.runtime import Runtime
from tests.conftest import TestUser


def test_a_page_that_fails_names_an_incident_and_shows_none_of_its_text(
    app_env: Runtime,
    make_user: Callable[..., TestUser],
    app_as: Callable[..., AppTest],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def broken(*_: object, **__: object) -> None:
        raise RuntimeError("row (7KQM482, 'JBXW2YLO') violates a constraint")

    monkeypatch.setattr(alpr.ui.waiting_work, "waiting_for", broken)
    at = app_as(make_user("hale", "command"))

    assert not at.exception  # Streamlit's own error box is not reached
    [error] = [e.value for e in at.error]
    assert "Something went wrong on this page" in error
    assert "7KQM482" not in error and "JBXW2YLO" not in error
    reference = re.search(r"incident \*\*([0-9-]+-[0-9a-f]{6})\*\*", error)
    assert reference is not None
    log = (app_env.settings.data_dir / "incidents.log").read_text(encoding="utf-8")
    assert f"=== incident {reference[1]} in the dashboard page 'Home'" in log
    assert "RuntimeError: row (7KQM482" in log
    assert "waiting_work.py" in log  # where it happened
