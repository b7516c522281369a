"""The basemap under every map (R11): offline, the street lines and names the agency loaded,
on plain ground, with no tile server asked; with ``ALPR_MAP_TILES`` set, the agency's raster
tiles and their attribution instead. A results map shows the whole searched circle, and its
caption says what its colours mean."""

from __future__ import annotations

import json
import math
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any
from urllib.parse import unquote

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from alpr.config import get_deployment
from alpr.data.models import Purpose
from alpr.governance.investigations.queries import ReadRow
from alpr.governance.places import import_places
from alpr.governance.runtime import Runtime, default_runtime
from alpr.ui.dates import time_span
from alpr.ui.maps import (
    MAX_POINTS,
    RESULTS_HEIGHT,
    WORLD_METRES_PER_PIXEL,
    fit_zoom,
    results_caption,
)
from tests.conftest import TestUser
from tests.integration.test_places import county_file

TILES = "https://gis.example.gov/tiles/{z}/{x}/{y}.png"


def _picker(at: AppTest) -> dict[str, Any]:
    assert not at.exception
    return dict(json.loads(at.get("deck_gl_json_chart")[0].proto.json))


def _style(deck: dict[str, Any]) -> dict[str, Any]:
    url = str(deck["mapStyle"])
    assert url.startswith("data:application/json")
    return dict(json.loads(unquote(url.split(",", 1)[1])))


def test_offline_the_canvass_map_draws_the_loaded_streets_with_their_names(
    app_env: Runtime, make_user: Callable[..., TestUser], app_as: Callable[..., AppTest]
) -> None:
    import_places(app_env, actor=None, data=county_file(), fmt="geojson", source="county")
    at = app_as(make_user("rivera", "investigator"), "app_pages/canvass.py")
    deck = _picker(at)
    layers = {layer["id"]: layer for layer in deck["layers"]}
    assert list(layers)[:3] == ["street-casing", "streets", "street-names"]  # under the rest
    assert {d["name"] for d in layers["street-names"]["data"]} == {
        "Main Street",
        "Oak Avenue",
        "Pine Rd",
    }
    # The names are set in the dashboard's typeface, passed as text (an expression would draw
    # no name at all).
    assert layers["street-names"]["fontFamily"].endswith("sans-serif")
    style = _style(deck)
    assert style["sources"] == {} and style["layers"][0]["type"] == "background"


def test_with_a_tile_source_the_maps_draw_its_tiles_and_attribution(
    app_env: Runtime,
    make_user: Callable[..., TestUser],
    app_as: Callable[..., AppTest],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import_places(app_env, actor=None, data=county_file(), fmt="geojson", source="county")
    monkeypatch.setenv("ALPR_MAP_TILES", TILES)
    monkeypatch.setenv("ALPR_MAP_ATTRIBUTION", "© County GIS")
    get_deployment.cache_clear()
    default_runtime.cache_clear()
    st.cache_resource.clear()
    deck = _picker(app_as(make_user("rivera", "investigator"), "app_pages/canvass.py"))
    assert not {"streets", "street-names"} & {layer["id"] for layer in deck["layers"]}
    source = _style(deck)["sources"]["agency"]
    assert source["tiles"] == [TILES] and source["attribution"] == "© County GIS"


@pytest.mark.parametrize("radius_m", [100, 1000, 5000])
def test_a_results_map_shows_the_whole_circle(radius_m: float) -> None:
    lat = 37.69
    metres_per_pixel = (
        WORLD_METRES_PER_PIXEL * math.cos(math.radians(lat)) / 2 ** fit_zoom(lat, radius_m)
    )
    assert 0.7 * RESULTS_HEIGHT < 2 * radius_m / metres_per_pixel < RESULTS_HEIGHT


def _reads(places: int, *, each: int = 1, mobile: bool = False) -> list[ReadRow]:
    """``each`` reads at each of ``places`` cameras (patrol-car positions when ``mobile``)."""
    t0 = datetime(2026, 12, 1, 22, tzinfo=UTC)
    blank = dict.fromkeys(
        ("crop_sha256", "image_sha256", "vehicle_colour", "vehicle_type", "vehicle_crop_sha256")
    )
    return [
        ReadRow(
            id=place * each + n,
            captured_at=t0 + timedelta(seconds=place * each + n),
            plate="7ABC123",
            camera_id=place,
            camera_name=f"DC-{place}",
            camera_place=None,
            lat=37.69 + place * 1e-3,
            lon=-122.46,
            confidence=0.9,
            is_mobile=mobile,
            **blank,
        )
        for place in range(places)
        for n in range(each)
    ]


def test_the_caption_says_what_the_map_draws() -> None:
    """R11: the caption explains what the map draws: dots, a camera's numbered circle, or the
    hexagons of a result read at too many places to draw."""
    dots = results_caption(_reads(3))
    assert "blue (earliest) to red (latest)" in dots and "circle" not in dots
    both = results_caption([*_reads(1), *_reads(3, each=2)[2:]])
    assert both.startswith("Each dot is a read, coloured from blue (earliest) to red (latest).")
    assert "A white circle with a number is the reads one camera took" in both
    assert both.endswith("black dots are cameras, the red dot the scene.")
    circles = results_caption(_reads(3, each=2))
    assert circles.startswith("Each white circle with a number") and "dot is" not in circles
    # A camera read thousands of times is still one circle, not hexagons.
    assert "hexagons" not in results_caption(_reads(1, each=MAX_POINTS + 1))
    hexagons = results_caption(_reads(MAX_POINTS + 1, mobile=True))
    assert "hexagons" in hexagons and "yellow" in hexagons and "blue" not in hexagons
    convoy = results_caption(_reads(2), scene=False, cameras=False)
    assert "black dots" not in convoy and "red dot" not in convoy
    assert convoy == "Each dot is a read, coloured from blue (earliest) to red (latest)."


def test_a_canvass_map_draws_a_cameras_reads_as_one_numbered_marker(
    app_env: Runtime, make_user: Callable[..., TestUser], app_as: Callable[..., AppTest]
) -> None:
    """R11: twelve reads at the camera by the scene are one marker labelled "12" that names
    the camera, the count and the first and last times; a camera read once keeps its dot, and
    the caption says what the numbers are."""
    from alpr.data.models import Incident
    from tests.integration.builders import World

    occurred = datetime(2026, 12, 2, 6, 40, tzinfo=UTC)  # 22:40 on 1 December in the zone
    with app_env.transaction() as session:
        session.add(
            Incident(
                case_number="26-04711",
                title="Shooting",
                kind="shooting",
                address="Mission St & Crocker Ave",
                lat=37.6959,
                lon=-122.4604,
                occurred_at=occurred,
            )
        )
    world = World(app_env)
    world.camera("DC-003", 37.6959, -122.4604, place="Mission St & Crocker Ave")
    world.camera("DC-002", 37.6975, -122.4590, place="Mission St & San Pedro Rd")
    for n in range(12):
        world.read(f"7ABC{n:03}", "DC-003", occurred + timedelta(minutes=5 * n), 37.6959, -122.4604)
    world.read("8XYZ001", "DC-002", occurred + timedelta(minutes=7), 37.6975, -122.4590)
    at = app_as(make_user("rivera", "investigator"), "app_pages/canvass.py")
    at.selectbox(key="canvass_incident").select_index(1).run()
    incident_key = at.session_state["canvass_for"]
    at.selectbox(key=f"canvass_{incident_key}_purpose").set_value(Purpose.MAJOR_CRIME_CANVASS)
    [search] = [b for b in at.button if b.label == "Search"]
    search.click().run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    chart = at.get("deck_gl_json_chart")[1].proto
    layers = {layer["id"]: layer for layer in json.loads(chart.json)["layers"] if "id" in layer}
    [marker] = layers["read-groups"]["data"]
    assert marker["tip"] == "Mission St & Crocker Ave (DC-003): 12 reads, 2026-12-01 22:40–23:35"
    assert [d["label"] for d in layers["read-counts"]["data"]] == ["12"]
    assert layers["read-groups"]["radiusUnits"] == "pixels"
    assert [d["tip"] for d in layers["reads"]["data"]] == [
        "8XYZ001 2026-12-01 22:47:00\nMission St & San Pedro Rd (DC-002)"
    ]
    assert json.loads(chart.tooltip) == {"text": "{tip}"}
    assert any("A white circle with a number is the reads" in c.value for c in at.caption)


@pytest.mark.parametrize(
    "template", ["ftp://gis.example.gov/{z}/{x}/{y}.png", "https://gis.example.gov/{z}/{x}.png"]
)
def test_a_tile_setting_that_is_not_an_xyz_template_is_refused(template: str) -> None:
    from pydantic import ValidationError

    from alpr.config import Deployment

    with pytest.raises(ValidationError, match="XYZ template"):
        Deployment(map_tiles=template)


def test_typing_an_intersection_places_the_canvass_scene_there(
    app_env: Runtime, make_user: Callable[..., TestUser], app_as: Callable[..., AppTest]
) -> None:
    """R11: the scene is found by the words a detective uses, offline."""
    import_places(app_env, actor=None, data=county_file(), fmt="geojson", source="county")
    at = app_as(make_user("rivera", "investigator"), "app_pages/canvass.py")
    at.text_input(key="canvass_address_text").set_value("oak and main").run()
    assert not at.exception
    [latitude] = [n for n in at.number_input if n.label == "Latitude"]
    [longitude] = [n for n in at.number_input if n.label == "Longitude"]
    assert (round(latitude.value, 6), round(longitude.value, 6)) == (37.7, -122.465)
    assert any("Main Street & Oak Avenue" in c.value for c in at.caption)
    deck = _picker(at)
    assert deck["initialViewState"]["latitude"] == pytest.approx(37.7)


def test_common_plates_scenes_come_from_addresses_and_are_kept_in_words(
    app_env: Runtime, make_user: Callable[..., TestUser], app_as: Callable[..., AppTest]
) -> None:
    """R11: each scene is an incident or a loaded address with its own radius and window (no
    coordinates typed), drawn on a map, and the search keeps each scene's address."""
    from sqlalchemy import select

    from alpr.data.models import Purpose, Search

    import_places(app_env, actor=None, data=county_file(), fmt="geojson", source="county")
    at = app_as(make_user("rivera", "investigator"), "app_pages/common_plates.py")
    for typed in ("oak and main", "1210 main"):
        at.radio(key="common_from").set_value("An address or intersection").run()
        at.text_input(key="common_address_text").set_value(typed).run()
        at.button(key="common_add").click().run()
        assert not at.exception
    scenes = at.dataframe[0].value
    assert list(scenes["Place"]) == ["Main Street & Oak Avenue", "1210 Main Street"]
    assert {layer["id"] for layer in _picker(at)["layers"]} >= {"scenes", "streets"}
    at.selectbox(key="common_purpose").set_value(Purpose.MAJOR_CRIME_CANVASS)
    at.text_input(key="common_case").set_value("26-03980")
    at.selectbox(key="common_vehicle_colour").set_value("silver_gray")  # the witness's van
    at.selectbox(key="common_vehicle_type").set_value("van")
    [find] = [b for b in at.button if b.label == "Find common plates"]
    find.click().run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    with app_env.transaction() as session:
        search = session.execute(select(Search).where(Search.kind == "common")).scalar_one()
    assert [s["address"] for s in search.params["scenes"]] == [
        "Main Street & Oak Avenue",
        "1210 Main Street",
    ]
    assert search.params["vehicle"] == {"colour": "silver_gray", "type": "van"}


def test_scenes_at_one_place_share_one_legible_number_on_the_map(
    app_env: Runtime, make_user: Callable[..., TestUser], app_as: Callable[..., AppTest]
) -> None:
    """R11: the same corner on two nights is two scenes and two circles, numbered once as
    "1, 2" on white (two numbers drawn over each other read as neither); each circle's tip
    names its scene."""
    import_places(app_env, actor=None, data=county_file(), fmt="geojson", source="county")
    at = app_as(make_user("rivera", "investigator"), "app_pages/common_plates.py")
    for _ in range(2):
        at.radio(key="common_from").set_value("An address or intersection").run()
        at.text_input(key="common_address_text").set_value("oak and main").run()
        at.button(key="common_add").click().run()
        assert not at.exception
    layers = {layer["id"]: layer for layer in _picker(at)["layers"]}
    assert [d["name"] for d in layers["scenes"]["data"]] == [
        "Scene 1: Main Street & Oak Avenue",
        "Scene 2: Main Street & Oak Avenue",
    ]
    assert [d["label"] for d in layers["scene-numbers"]["data"]] == ["1, 2"]
    assert layers["scene-numbers"]["background"] is True
    assert any("share one label" in c.value for c in at.caption)


def test_a_hold_on_an_area_is_placed_at_the_address_found(
    app_env: Runtime, make_user: Callable[..., TestUser], app_as: Callable[..., AppTest]
) -> None:
    """R31: the hold form's area is found by address, offline, and its centre put there."""
    import_places(app_env, actor=None, data=county_file(), fmt="geojson", source="county")
    at = app_as(make_user("okafor", "administrator"), "app_pages/retention.py")
    at.radio(key="hold_by").set_value("The case's area in a period").run()
    at.text_input(key="hold_address_text").set_value("main & pine").run()
    assert not at.exception
    [latitude] = [n for n in at.number_input if n.label == "Latitude"]
    [longitude] = [n for n in at.number_input if n.label == "Longitude"]
    assert (round(latitude.value, 6), round(longitude.value, 6)) == (37.7, -122.462)


def test_convoy_has_a_window_a_map_of_the_passes_together_and_their_reads(
    app_env: Runtime, make_user: Callable[..., TestUser], app_as: Callable[..., AppTest]
) -> None:
    """R11: the convoy search covers the window given, maps the target's passes with its
    companions and lists those reads (with the companions named) for export."""
    from datetime import UTC, datetime, timedelta

    from alpr.data.models import Purpose
    from tests.integration.builders import World

    world = World(app_env)
    world.camera("a", 37.70, -122.465)
    world.camera("b", 37.71, -122.465)
    t0 = datetime(2026, 11, 18, 6, 40, tzinfo=UTC)
    for day in range(3):
        at, cam = t0 - timedelta(days=day), "ab"[day % 2]
        world.read("TARGET1", cam, at, 37.70 + 0.01 * (day % 2), -122.465)
        world.read("BUDDY1", cam, at + timedelta(seconds=3), 37.70 + 0.01 * (day % 2), -122.465)
    world.read("TARGET1", "a", t0 - timedelta(days=40), 37.70, -122.465)  # before the window
    at = app_as(make_user("rivera", "investigator"), "app_pages/common_plates.py")
    [target] = [t for t in at.text_input if t.label == "Target plate"]
    target.set_value("TARGET1")
    at.date_input(key="convoy_window_sd").set_value((t0 - timedelta(days=10)).date())
    at.date_input(key="convoy_window_ed").set_value((t0 + timedelta(days=1)).date())
    at.selectbox(key="convoy_purpose").set_value(Purpose.MAJOR_CRIME_CANVASS)
    at.text_input(key="convoy_case").set_value("26-04711")
    [find] = [b for b in at.button if b.label == "Find travelling companions"]
    find.click().run()
    assert not at.exception, at.exception
    span = time_span(t0 - timedelta(days=2), t0, app_env.settings.tz)
    assert at.success[0].value.endswith(
        f"1 plate seen together with the target at least twice: in 3 reads at 2 cameras, {span}."
    )
    table = at.dataframe[-1].value
    assert len(table) == 3 and set(table["Seen with"]) == {"BUDDY1"}
    [deck] = [json.loads(d.proto.json) for d in at.get("deck_gl_json_chart")]
    # Every mark on the map is where a pass was read: no dot for a scene the convoy has not.
    passes = {(37.70, -122.465), (37.71, -122.465)}
    marked = {
        (round(p["lat"], 6), round(p["lon"], 6))
        for layer in deck["layers"]
        if layer["@@type"] == "ScatterplotLayer"
        for p in layer["data"]
    }
    assert marked == passes
    [legend] = [c.value for c in at.caption if c.value.startswith("The target's passes")]
    assert "red dot" not in legend
    # The view holds both places, centred between them.
    view = deck["initialViewState"]
    assert round(view["latitude"], 6) == 37.705 and view["longitude"] == pytest.approx(-122.465)


def test_a_release_request_area_is_placed_at_the_address_found(
    app_env: Runtime, make_user: Callable[..., TestUser], app_as: Callable[..., AppTest]
) -> None:
    """R45: the records clerk finds the request's area by address; the form's centre is there,
    said in words (no coordinates to type over), and the area is ticked."""
    import_places(app_env, actor=None, data=county_file(), fmt="geojson", source="county")
    at = app_as(make_user("nguyen", "records_clerk"), "app_pages/releases.py")
    at.radio(key="release_view").set_value("File a new request").run()
    at.text_input(key="file_address_text").set_value("oak main").run()
    assert not at.exception
    assert not [n for n in at.number_input if n.label.startswith("Centre")]
    assert any(m.value.startswith("**Centre** Main Street & Oak Avenue") for m in at.markdown)
    [area] = [c for c in at.checkbox if c.label == "The request covers an area"]
    assert area.value


def test_streets_drawn_follow_a_new_import_at_once(
    app_env: Runtime, make_user: Callable[..., TestUser], app_as: Callable[..., AppTest]
) -> None:
    """A map drawn before an import shows the streets imported after it on the next run."""
    user = make_user("rivera", "investigator")
    before = _picker(app_as(user, "app_pages/canvass.py"))
    assert "streets" not in {layer["id"] for layer in before["layers"]}
    import_places(app_env, actor=None, data=county_file(), fmt="geojson", source="county")
    after = _picker(app_as(user, "app_pages/canvass.py"))
    assert "streets" in {layer["id"] for layer in after["layers"]}


def test_a_scene_from_an_incident_brings_its_case_number_to_the_justification(
    app_env: Runtime, make_user: Callable[..., TestUser], app_as: Callable[..., AppTest]
) -> None:
    """R21: as on the Canvass page, the incident a scene comes from gives the search its case
    number; a number already typed is left alone."""
    from datetime import UTC, datetime

    from alpr.data.models import Incident

    with app_env.transaction() as session:
        session.add(
            Incident(
                case_number="26-04711",
                title="Shooting",
                kind="shooting",
                address="Mission St & Crocker Ave",
                lat=37.7,
                lon=-122.45,
                occurred_at=datetime(2026, 12, 1, 22, 40, tzinfo=UTC),
            )
        )
    at = app_as(make_user("rivera", "investigator"), "app_pages/common_plates.py")
    at.button(key="common_add").click().run()
    assert not at.exception
    assert at.text_input(key="common_case").value == "26-04711"
    at.session_state["common_case"] = "26-05000"  # as the form holds it once searched
    at.button(key="common_add").click().run()
    assert at.text_input(key="common_case").value == "26-05000"
