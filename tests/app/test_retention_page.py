"""The retention page's holds (R31): a hold is released by someone other than the person who
placed it, so the page offers its placer none of their own, and a sergeant, who releases
holds, reaches the page without the purge's controls."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

from streamlit.testing.v1 import AppTest

from alpr.governance.retention.holds import place_hold
from alpr.governance.runtime import Runtime
from tests.conftest import TestUser
from tests.integration.builders import World


def test_the_release_tab_offers_only_holds_someone_else_placed(
    app_env: Runtime, make_user: Callable[..., TestUser], app_as: Callable[..., AppTest]
) -> None:
    """R31: the Administrator who placed a hold is not offered it to release; a sergeant is."""
    world = World(app_env)
    world.camera("cam", 37.7, -122.4)
    read_id = world.read("7ABC123", "cam", app_env.now() - timedelta(days=1), 37.7, -122.4)
    administrator = make_user("okafor", "administrator")
    hold = place_hold(
        app_env,
        principal=administrator.principal,
        case_number="26-04711",
        reason="Vehicle seen at the Geneva Ave shooting",
        read_ids=[read_id],
    )
    mine = app_as(administrator, "app_pages/retention.py")
    assert not mine.exception
    assert any("released by someone else" in c.value for c in mine.caption)
    assert not [s for s in mine.selectbox if s.label == "Hold"]
    theirs = app_as(make_user("brooks", "sergeant"), "app_pages/retention.py")
    assert not theirs.exception
    [offered] = [s for s in theirs.selectbox if s.label == "Hold"]
    assert offered.options == [f"#{hold} · case 26-04711 · 1 read"]
    assert not [b for b in theirs.button if b.label.startswith("Preview the next purge")]
