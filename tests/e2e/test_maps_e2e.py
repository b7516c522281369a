"""The canvass map as a detective sees it in Chromium, on the demo agency with no tile server
(R11): the demo city's streets are drawn with their names under the scene, and typing the
shooting's intersection places the scene there."""

from __future__ import annotations

from pathlib import Path

from PIL import Image
from playwright.sync_api import Page

from alpr.data.demo.city import INTERSECTIONS
from tests.e2e.conftest import LiveApp, choose_purpose, open_canvass_at, sign_in, wait_idle

PAPER = (242, 239, 233)  # the offline basemap's ground
CORNER = "Mission St & Crocker Ave"


def _share(shot: Path, colour: tuple[int, int, int]) -> float:
    """The share of the screenshot's pixels within a few levels of ``colour``."""
    image = Image.open(shot).convert("RGB")
    pixels = list(image.get_flattened_data())
    near = sum(all(abs(p[i] - colour[i]) <= 4 for i in range(3)) for p in pixels)
    return near / len(pixels)


def test_the_canvass_map_has_named_streets_and_finds_an_intersection(
    live_app: LiveApp, page: Page, artifacts: Path
) -> None:
    sign_in(page, live_app, "investigator")
    open_canvass_at(page)
    picker = page.get_by_test_id("stDeckGlJsonChart").first
    picker.scroll_into_view_if_needed()
    page.wait_for_timeout(2000)
    page.screenshot(path=artifacts / "01_canvass_streets.png", full_page=True)
    shot = artifacts / "02_picker_map.png"
    picker.screenshot(path=shot)
    # Plain ground with white street lines over it, not a blank canvas.
    assert _share(shot, PAPER) > 0.05
    assert _share(shot, (255, 255, 255)) > 0.01

    page.get_by_label("Find an address or intersection").fill(CORNER)
    page.keyboard.press("Enter")
    wait_idle(page)
    page.get_by_text(f"Scene: {CORNER}").wait_for()
    wait_idle(page)
    lat, lon = next((lat, lon) for name, lat, lon, _ in INTERSECTIONS if name == CORNER)
    assert abs(float(page.get_by_label("Latitude").input_value()) - lat) < 0.00005
    assert abs(float(page.get_by_label("Longitude").input_value()) - lon) < 0.00005
    page.wait_for_timeout(1500)
    page.screenshot(path=artifacts / "03_scene_at_intersection.png", full_page=True)

    # A 1,000 m canvass: the whole circle on the results map, its caption true to the colours.
    radius = page.get_by_label("Radius (m)")
    radius.fill("1000")
    radius.press("Enter")
    wait_idle(page)
    choose_purpose(page, "Canvass around a major crime scene")
    page.get_by_role("button", name="Search", exact=True).click()
    page.get_by_text("recorded in the access log").wait_for()
    wait_idle(page)
    results = page.get_by_test_id("stDeckGlJsonChart").nth(1)
    results.scroll_into_view_if_needed()
    page.wait_for_timeout(2000)
    results.screenshot(path=artifacts / "04_results_1000m.png")
    assert page.get_by_text("black dots are cameras, the red dot the scene").is_visible()
