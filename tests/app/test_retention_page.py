"""The retention page's holds (R31): a hold is released by someone other than the person who
placed it, so the page offers its placer none of their own, and a sergeant, who releases
holds, reaches the page without the purge's controls."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

from streamlit.testing.v1 import AppTest

from alpr.data.models.enums import Purpose
from alpr.governance.retention.holds import place_hold
from alpr.governance.retention.purge import purge
from alpr.governance.runtime import Runtime
from tests.conftest import TestUser, fresh_code
from tests.integration.builders import World

BY_PLATE = "A plate in a period"  # the hold form's choice


def _labelled(widgets: Any, label: str) -> Any:
    [widget] = [w for w in widgets if w.label == label]
    return widget


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


def test_a_plate_held_over_months_is_placed_with_a_sergeants_approval_on_the_form(
    app_env: Runtime, make_user: Callable[..., TestUser], app_as: Callable[..., AppTest]
) -> None:
    """R21, R31: the hold form takes a sergeant's approval, as a search's does, for a plate
    held over a longer period than a plate search may cover; without it the hold is refused
    and nothing is held."""
    world = World(app_env)
    world.camera("cam", 37.7, -122.4)
    world.read("7ABC123", "cam", app_env.now() - timedelta(days=150), 37.7, -122.4)
    world.read("7ABC123", "cam", app_env.now() - timedelta(days=1), 37.7, -122.4)
    sergeant = make_user("brooks", "sergeant")
    at = app_as(make_user("rivera", "investigator"), "app_pages/retention.py")
    assert [tab.label for tab in at.tabs] == ["Place a hold"]  # releasing is a supervisor's
    at.radio(key="hold_by").set_value(BY_PLATE).run()
    _labelled(at.text_input, "Case number").set_value("26-04711")
    _labelled(at.text_input, "Why these reads are or may become evidence").set_value(
        "Suspect car of the robbery series since July"
    )
    _labelled(at.selectbox, "Purpose").set_value(Purpose.STOLEN_PROPERTY)
    _labelled(at.text_input, "Plates (exact or partial, comma separated)").set_value("7ABC123")
    at.date_input(key="hold_period_sd").set_value(app_env.now().date() - timedelta(days=200))
    at.button[0].click().run()  # the form's submit button
    assert any("have a sergeant approve it" in e.value for e in at.error)

    _labelled(at.text_input, "Sergeant's username").set_value("brooks")
    _labelled(at.text_input, "Sergeant's password").set_value(sergeant.password)
    _labelled(at.text_input, "Sergeant's authenticator code").set_value(
        fresh_code(sergeant.totp_secret)
    )
    _labelled(at.text_input, "Why this broader search is needed").set_value(
        "A series of robberies since July by the same car"
    )
    at.button[0].click().run()
    assert not at.exception and not at.error
    assert any("2 reads will not be purged" in s.value for s in at.success)


def test_a_purge_preview_and_the_runs_say_what_they_found_in_words(
    app_env: Runtime, make_user: Callable[..., TestUser], app_as: Callable[..., AppTest]
) -> None:
    """R30: the preview says in a sentence what a purge would delete, and the recent runs fit
    the page as one sentence each (a column per category ran past its edge at 1024 pixels,
    most of them zeros), by the name of who ran them."""
    world = World(app_env)
    world.camera("cam", 37.7, -122.4)
    world.read("7ABC123", "cam", app_env.now() - timedelta(days=400), 37.7, -122.4)
    world.read("5XYZ001", "cam", app_env.now() - timedelta(days=1), 37.7, -122.4)
    purge(app_env, dry_run=True)  # the nightly job's, as a preview
    at = app_as(make_user("okafor", "administrator"), "app_pages/retention.py")
    [preview] = [b for b in at.button if b.label.startswith("Preview the next purge")]
    at = preview.click().run()
    assert not at.exception
    [said] = [i.value for i in at.info if "A purge now would delete" in i.value]
    assert said.startswith("**A purge now would delete 1 read without a hit")
    assert not at.dataframe
    [runs] = at.table
    mine, nightly = runs.value.to_dict("records")
    assert mine["Run"] == "Preview" and mine["By"] == "Okafor"
    assert mine["What it found"].startswith("Would delete 1 read without a hit")
    assert "0 " not in mine["What it found"]
    assert nightly["By"] == "The nightly purge"
