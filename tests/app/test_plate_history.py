"""The plate history page (R11, R13, R16): a page says when older reads remain, and "Older
reads" asks for the next page as a new recorded search with the same justification; the
reads tell their story in time order, with the plate's hot-list record."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date, timedelta

import pytest
from streamlit.testing.v1 import AppTest

from alpr.data.models import Purpose
from alpr.governance import hotlists
from alpr.governance.camera_names import camera_label
from alpr.governance.investigations import searches
from alpr.governance.policy import set_policy
from alpr.governance.runtime import Runtime
from alpr.ui.dates import time_span
from alpr.ui.results import READS_PX
from alpr.ui.timeline import AXIS_LABEL
from tests.conftest import TestUser
from tests.integration.builders import World, access_details


def _ask_history(at: AppTest, plate: str = "7ABC123") -> None:
    """Ask the page for a plate's history, justified by a stolen-vehicle case."""
    at.text_input[0].set_value(plate)
    at.selectbox[0].set_value(Purpose.STOLEN_VEHICLE)
    at.text_input[1].set_value("26-01234")
    at.button[0].click().run()
    assert not at.exception


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
    _ask_history(at)
    assert "2 reads" in at.success[0].value and "remain" in at.info[0].value
    [older] = [b for b in at.button if b.label == "Older reads"]
    older.click().run()
    assert not at.exception and "1 read at" in at.success[0].value and not at.info


def test_history_tells_the_story_in_time_order_with_the_hot_list_record(
    app_env: Runtime,
    make_user: Callable[..., TestUser],
    app_as: Callable[..., AppTest],
) -> None:
    """R11, R13: the route joins the reads oldest first with numbered stops, the timeline's
    axis is dated in the agency's zone with a row per camera named by its place and its dots
    numbered as the map's stops, and the plate's hot-list entry is shown, its listing above
    the route."""
    hotlists.ensure_list(app_env, actor=None, name="SVS", kind="stolen_vehicle")
    world = World(app_env)
    places = {"north": (37.70, -122.40), "south": (37.68, -122.42), "east": (37.69, -122.38)}
    for name, (lat, lon) in places.items():
        world.camera(name, lat, lon, place=f"{name.title()} Ave & 1st St")
    now = app_env.now()
    visits = [("south", 50), ("north", 26), ("east", 3)]  # hours ago, oldest first
    for name, hours in visits:
        world.read("7ABC123", name, now - timedelta(hours=hours), *places[name])
    hotlists.add_entry(
        app_env,
        actor=None,
        list_name="SVS",
        pattern="7ABC123",
        reason="Stolen Honda Civic",
        case_number="SVS-1",
    )
    at = app_as(make_user("rivera", "investigator"), "app_pages/plate_history.py")
    _ask_history(at)
    deck = json.loads(at.get("deck_gl_json_chart")[0].proto.json)
    layers = {layer["id"]: layer for layer in deck["layers"]}
    path = layers["route"]["data"][0]["path"]
    assert path == [[places[n][1], places[n][0]] for n, _ in visits]
    assert [s["stop"] for s in layers["numbers"]["data"]] == ["1", "2", "3"]
    assert [s["camera"] for s in layers["numbers"]["data"]] == [n for n, _ in visits]
    spec = json.loads(at.get("vega_lite_chart")[0].proto.spec)
    dots, numbers = spec["layer"]
    x = dots["encoding"]["x"]
    assert x["type"] == "temporal" and x["scale"]["type"] == "utc"
    assert x["axis"]["labelExpr"] == AXIS_LABEL and "'%a %b %-d %H:%M'" in AXIS_LABEL
    assert x["title"] == "Time (Pacific time)"
    tz = app_env.settings.tz
    first = (now - timedelta(hours=50)).astimezone(tz)
    plotted = dots["data"]["values"]
    assert plotted[0]["when"] == f"{first:%a %Y-%m-%d %H:%M:%S}"
    assert [p["camera"] for p in plotted] == [f"{n.title()} Ave & 1st St ({n})" for n, _ in visits]
    # each dot numbered as the map numbers its stop
    assert [n["text"] for n in numbers["data"]["values"]] == ["1", "2", "3"]
    assert any("Hot lists · 7ABC123" in h.value for h in at.subheader)
    assert any("Stolen Honda Civic" in m.value for m in at.markdown)
    assert any("active listing" in e.value for e in at.error)
    # The answer says at how many cameras and from when to when the plate was read.
    span = time_span(now - timedelta(hours=50), now - timedelta(hours=3), tz)
    assert at.success[0].value.startswith(f"Search #1: 3 reads at 3 cameras, {span}; searched ")


def test_reads_table_leads_with_time_plate_and_place_and_fits_a_laptop_screen(
    app_env: Runtime,
    make_user: Callable[..., TestUser],
    app_as: Callable[..., AppTest],
) -> None:
    """A detective reads a result by when, which plate and where, and these come first; then
    the reader's confidence in whole percent and the vehicle. The columns add up to what a
    1024-pixel screen leaves beside the sidebar, so that none is reached by scrolling sideways;
    the read's number, which only the evidence record needs, opens with the read. Each column
    is named in words and says what it holds."""
    world = World(app_env)
    world.camera("DC-001", 37.7, -122.4, place="Mission St & Geneva Ave")
    world.read(
        "7ABC123", "DC-001", app_env.now() - timedelta(hours=1), 37.7, -122.4, confidence=0.874
    )
    at = app_as(make_user("rivera", "investigator"), "app_pages/plate_history.py")
    _ask_history(at)
    table = at.dataframe[0]
    columns = list(table.value.columns)
    assert columns == ["Time", "Plate", "Plate image", "Stop", "Camera", "Confidence"]
    assert table.value["Camera"][0] == "Mission St & Geneva Ave (DC-001)"
    assert table.value["Confidence"][0] == 87  # shown as 87%, not 0.874 or 87.40%
    config = json.loads(table.proto.columns)
    assert config["Confidence"]["type_config"]["format"] == "%d%%"
    assert config["Confidence"]["label"] == "Conf."
    assert config["Time"]["help"].startswith("When the read was taken, in Pacific time")
    assert all(config[c].get("help") for c in ("Camera", "Confidence"))
    assert sum(config[c]["width"] for c in columns) <= READS_PX


def test_a_result_is_not_shown_again_once_the_training_has_lapsed(
    app_env: Runtime,
    make_user: Callable[..., TestUser],
    app_as: Callable[..., AppTest],
) -> None:
    """R03: the page keeps a search's result to show it again at its next run; once the
    detective's training no longer counts (here the policy's validity is shortened below its
    age, as the days going by would do), the open page shows why, not the reads, and the
    refusal is in the access log."""
    world = World(app_env)
    world.camera("north", 37.7, -122.4)
    world.read("7ABC123", "north", app_env.now() - timedelta(hours=1), 37.7, -122.4)
    trained = date.today() - timedelta(days=100)
    at = app_as(
        make_user("rivera", "investigator", trained_on=trained), "app_pages/plate_history.py"
    )
    _ask_history(at)
    assert at.dataframe and "1 read" in at.success[0].value
    set_policy(
        app_env,
        actor=None,
        key="training_validity_days",
        value=90,
        legal_basis="Training is renewed every 90 days",
    )
    at.run()
    assert not at.exception
    assert not at.dataframe and not at.success
    assert any("Training required" in e.value for e in at.error)
    assert access_details(app_env, "rivera")[-1][:2] == ("view_read", "refused")


def test_a_camera_is_named_by_its_place_and_its_code_once() -> None:
    assert camera_label("DC-001", "Mission St & Geneva Ave") == "Mission St & Geneva Ave (DC-001)"
    assert camera_label("Patrol car 21", "In-car, Patrol car 21") == "In-car, Patrol car 21"
    assert camera_label("DC-099", None) == "DC-099"


def test_a_plate_no_camera_read_says_so_and_where_to_look_next(
    app_env: Runtime, make_user: Callable[..., TestUser], app_as: Callable[..., AppTest]
) -> None:
    """R11: a history with no read is an answer in words (the plate, the period, and the page
    for a partial or misread plate), not an empty grid under "Reads" saying "No reads match"."""
    at = app_as(make_user("rivera", "investigator"), "app_pages/plate_history.py")
    _ask_history(at, plate="7abc 999")
    assert not at.success and not at.dataframe
    [answer] = [i.value for i in at.info]
    assert answer.startswith("Search #1: no camera read 7ABC999 from ")
    assert "use Plate search" in answer
    assert not [s for s in at.subheader if s.value == "Reads"]
