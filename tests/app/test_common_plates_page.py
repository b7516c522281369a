"""Common plates as the detective reads the answer (R11): a plate's reads say at which scene
each was taken, numbered as the scenes are; a search that finds no plate says so in words,
with what to change, instead of an empty grid and "No reads match"."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

from streamlit.testing.v1 import AppTest

from alpr.data.models import Purpose
from alpr.governance.places import import_places
from alpr.governance.runtime import Runtime
from alpr.ui.dates import time_span
from tests.conftest import TestUser
from tests.integration.builders import World
from tests.integration.test_places import county_file

OAK_AND_MAIN = (37.700, -122.465)
PINE_AND_MAIN = (37.700, -122.462)  # 260 m east: outside a 100 m scene at Oak


def _two_scenes(app_env: Runtime, at: AppTest) -> AppTest:
    """Two corners of Main Street as scenes of 100 m over the last two hours, then the search."""
    for typed in ("oak and main", "main and pine"):
        at.radio(key="common_from").set_value("An address or intersection").run()
        at.text_input(key="common_address_text").set_value(typed).run()
        at.number_input(key="common_radius").set_value(100)
        at.button(key="common_add").click().run()
        assert not at.exception
    at.selectbox(key="common_purpose").set_value(Purpose.MAJOR_CRIME_CANVASS)
    at.text_input(key="common_case").set_value("26-03980")
    [find] = [b for b in at.button if b.label == "Find common plates"]
    return find.click().run()


def test_each_read_says_at_which_scene_it_was_taken(
    app_env: Runtime, make_user: Callable[..., TestUser], app_as: Callable[..., AppTest]
) -> None:
    import_places(app_env, actor=None, data=county_file(), fmt="geojson", source="county")
    world = World(app_env)
    world.camera("oak", *OAK_AND_MAIN)
    world.camera("pine", *PINE_AND_MAIN)
    now = datetime.now(UTC)  # the page's scenes end at the real time
    world.read("5HBX207", "oak", now - timedelta(minutes=30), *OAK_AND_MAIN)
    world.read("5HBX207", "pine", now - timedelta(minutes=70), *PINE_AND_MAIN)
    at = _two_scenes(
        app_env, app_as(make_user("rivera", "investigator"), "app_pages/common_plates.py")
    )
    assert not at.exception and not at.error
    [found] = [s.value for s in at.success]
    # The answer says the reads behind it and when they were taken, first to last.
    span = time_span(now - timedelta(minutes=70), now - timedelta(minutes=30), app_env.settings.tz)
    assert found.endswith(f"1 plate read at both scenes, in 2 reads at 2 cameras, {span}.")
    assert any(h.value == "Their reads" for h in at.subheader)
    reads = at.dataframe[-1].value
    assert dict(zip(reads["Camera"], reads["Scene"], strict=True)) == {"oak": "1", "pine": "2"}


def test_no_plate_in_common_says_what_to_change(
    app_env: Runtime, make_user: Callable[..., TestUser], app_as: Callable[..., AppTest]
) -> None:
    import_places(app_env, actor=None, data=county_file(), fmt="geojson", source="county")
    world = World(app_env)
    world.camera("oak", *OAK_AND_MAIN)
    world.read("5HBX207", "oak", datetime.now(UTC) - timedelta(minutes=30), *OAK_AND_MAIN)
    at = _two_scenes(
        app_env, app_as(make_user("rivera", "investigator"), "app_pages/common_plates.py")
    )
    assert not at.exception and not at.success
    [none] = [i.value for i in at.info if "no plate was read" in i.value]
    assert "at both scenes" in none and "wider radius" in none
    assert len(at.dataframe) == 1  # the scenes' table only: no empty grid of plates or reads
    assert not [i for i in at.info if i.value == "No reads match."]
