"""A witness saw a white pickup and no plate: in Chromium, the canvass around the demo's
shooting narrowed by vehicle colour and type finds the tell-tale pickup, the results show the
vehicle crop beside the plate crop and the vehicle in words, a read opens with its vehicle crop
large, and the access log keeps the description searched for (R11)."""

from __future__ import annotations

from pathlib import Path

from playwright.sync_api import Page, expect
from sqlalchemy import select

from alpr.data.demo.scenario import SHOOTING_PLATE
from alpr.data.models import AccessRecord, Read
from alpr.vehicles import VehicleColour, VehicleType
from tests.e2e.conftest import LiveApp, open_canvass_at, sign_in, wait_idle


def _pick(page: Page, label: str, option: str) -> None:
    """Choose an option once the page's rerun has ended (a rerun replaces the select box)."""
    wait_idle(page)
    box = page.get_by_test_id("stSelectbox").filter(has_text=label)
    box.scroll_into_view_if_needed()
    page.wait_for_timeout(300)
    box.click()
    page.get_by_role("option", name=option, exact=True).click()
    wait_idle(page)


def test_canvass_by_description_shows_the_vehicle_of_each_read(
    live_app: LiveApp, page: Page, artifacts: Path
) -> None:
    user = sign_in(page, live_app, "investigator")
    open_canvass_at(page)
    _pick(page, "Purpose", "Canvass around a major crime scene")
    expect(page.get_by_text("Vehicle colour")).to_be_visible()
    expect(page.get_by_text("Vehicle type")).to_be_visible()
    _pick(page, "Vehicle colour", "white")
    _pick(page, "Vehicle type", "pickup truck")
    page.screenshot(path=artifacts / "01_description_form.png", full_page=True)
    page.get_by_role("button", name="Search", exact=True).click()
    expect(page.get_by_text("recorded in the access log")).to_be_visible()
    expect(page.get_by_text("of vehicles so described")).to_be_visible()
    wait_idle(page)
    grid = page.get_by_test_id("stDataFrame").first
    grid.scroll_into_view_if_needed()
    page.wait_for_timeout(1500)
    page.screenshot(path=artifacts / "02_results.png", full_page=True)
    grid.screenshot(path=artifacts / "03_results_table.png")
    headers = grid.locator("th[role=columnheader]")
    expect(headers.filter(has_text="Vehicle")).to_have_count(1)  # the crop
    expect(headers.filter(has_text="Colour, type")).to_have_count(1)
    expect(grid.get_by_text("white pickup truck").first).to_be_attached()
    box = grid.bounding_box()
    assert box is not None
    page.mouse.click(box["x"] + 15, box["y"] + 35 + 23)  # the first read's row
    vehicle = page.get_by_test_id("stImageCaption").get_by_text("Vehicle", exact=True)
    expect(vehicle).to_be_visible()
    vehicle.scroll_into_view_if_needed()
    page.wait_for_timeout(800)
    page.screenshot(path=artifacts / "04_read_with_vehicle_crop.png")

    with live_app.runtime.transaction() as session:
        records = list(
            session.execute(
                select(AccessRecord)
                .where(AccessRecord.username == user.username)
                .order_by(AccessRecord.id)
            ).scalars()
        )
        search = [r for r in records if r.event == "search"][-1]  # this test's search
        assert search.query and search.query["kind"] == "canvass"
        assert search.query["vehicle"] == {"colour": "white", "type": "pickup_truck"}
        assert search.result_ids
        found = list(session.execute(select(Read).where(Read.id.in_(search.result_ids))).scalars())
    assert SHOOTING_PLATE in {r.plate for r in found}
    # White pickups, and vehicles whose colour or type could not be told (either may be it).
    white_pickup = (VehicleColour.WHITE, VehicleType.PICKUP_TRUCK)
    assert all(
        (r.vehicle_colour, r.vehicle_type) == white_pickup
        or not r.vehicle_colour  # unknown (0), or never described
        or not r.vehicle_type
        for r in found
    )
    details = [
        r.detail or ""
        for r in records
        if r.event == "view_read" and r.search_id == search.search_id
    ]
    assert any(d.startswith("plate crops of") for d in details)
    assert any(d.startswith("vehicle crops of") for d in details)
