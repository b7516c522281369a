"""The plate history page (R11, R16): a page says when older reads remain, and "Older reads"
asks for the next page as a new recorded search with the same justification."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest
from streamlit.testing.v1 import AppTest

from alpr.data.models import Purpose
from alpr.governance.investigations import searches
from alpr.governance.runtime import Runtime
from tests.conftest import TestUser
from tests.integration.builders import World


def test_older_reads_come_as_the_next_page(
    app_env: Runtime,
    make_user: Callable[..., TestUser],
    app_as: Callable[..., AppTest],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(searches, "HISTORY_PAGE", 2)
    world = World(app_env)
    world.camera("north", 37.7, -122.4)
    now = app_env.now()
    for hours in (1, 2, 3):
        world.read("7ABC123", "north", now - timedelta(hours=hours), 37.7, -122.4)
    at = app_as(make_user("rivera", "investigator"), "app_pages/plate_history.py")
    at.text_input[0].set_value("7ABC123")
    at.selectbox[0].set_value(Purpose.STOLEN_VEHICLE)
    at.text_input[1].set_value("26-01234")
    at.button[0].click().run()
    assert not at.exception
    assert "2 reads" in at.success[0].value and "remain" in at.info[0].value
    [older] = [b for b in at.button if b.label == "Older reads"]
    older.click().run()
    assert not at.exception and "1 read," in at.success[0].value and not at.info
