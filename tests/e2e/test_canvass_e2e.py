"""A detective's canvass in Chromium: sign in with password and TOTP, pick the shooting from
the incident list, state the justification, search, open a read with its images, export
CSV — and the access log holds the search, the view and the export."""

from __future__ import annotations

from pathlib import Path

from playwright.sync_api import Page, expect
from playwright.sync_api import TimeoutError as PlaywrightTimeout
from sqlalchemy import func, select

from alpr.data.models import AccessRecord
from tests.e2e.conftest import (
    LiveApp,
    choose_purpose,
    open_canvass_at,
    purpose_box,
    reload,
    sign_in,
    wait_idle,
)


def _last_record_id(app: LiveApp) -> int:
    with app.runtime.transaction() as session:
        return int(session.execute(select(func.max(AccessRecord.id))).scalar_one() or 0)


def _records(app: LiveApp, username: str, *, after: int) -> list[AccessRecord]:
    """The user's access records after record ``after`` (the dashboard is shared by the
    browser tests, and so are its demo accounts)."""
    with app.runtime.transaction() as session:
        return list(
            session.execute(
                select(AccessRecord)
                .where(AccessRecord.username == username, AccessRecord.id > after)
                .order_by(AccessRecord.id)
            ).scalars()
        )


def test_canvass_select_read_and_export(live_app: LiveApp, page: Page, artifacts: Path) -> None:
    before_test = _last_record_id(live_app)
    user = sign_in(page, live_app, "investigator")
    open_canvass_at(page)
    # A click on the map moves the scene: two grid steps (80 m) north of the incident.
    picker = page.get_by_test_id("stDeckGlJsonChart").first
    picker.scroll_into_view_if_needed()
    page.wait_for_timeout(1500)
    latitude = page.get_by_label("Latitude")
    before = float(latitude.input_value())
    box = picker.bounding_box()
    assert box is not None
    for attempt in range(3):  # a map still loading its tiles lets a click go by
        page.mouse.click(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2 - 21)
        # The field is re-created for the new scene; the old one goes when the rerun ends.
        try:
            page.wait_for_function(
                """before => {
                    const fields = [...document.querySelectorAll('input[aria-label="Latitude"]')];
                    return fields.length === 1 && fields[0].value !== before;
                }""",
                arg=f"{before:.6f}",
                timeout=15_000,
            )
            break
        except PlaywrightTimeout:
            if attempt == 2:
                raise
    wait_idle(page)
    assert 0.0005 < float(latitude.input_value()) - before < 0.0010
    page.screenshot(path=artifacts / "01_scene_placed.png", full_page=True)
    choose_purpose(page, "Canvass around a major crime scene")
    page.screenshot(path=artifacts / "02_justification_form.png", full_page=True)
    page.get_by_role("button", name="Search", exact=True).click()
    expect(page.get_by_text("recorded in the access log")).to_be_visible()
    wait_idle(page)
    # The results map (under the scene picker) on a laptop's screen: the reads at the camera
    # by the scene are one numbered circle, and the caption says what the number is.
    page.set_viewport_size({"width": 1280, "height": 900})
    results = page.get_by_test_id("stDeckGlJsonChart").nth(1)
    results.evaluate("map => map.scrollIntoView({block: 'center'})")
    page.wait_for_timeout(1500)
    expect(results).to_be_in_viewport(ratio=1)
    expect(
        page.get_by_text("circle with a number is the reads one camera took")
    ).to_be_in_viewport()
    page.screenshot(path=artifacts / "03_results_map.png")
    grid = page.get_by_test_id("stDataFrame").first
    grid.scroll_into_view_if_needed()
    box = grid.bounding_box()
    assert box is not None
    page.mouse.click(box["x"] + 15, box["y"] + 52)
    crop = page.get_by_text("Plate crop", exact=True)
    expect(crop).to_be_visible()
    crop.scroll_into_view_if_needed()
    page.wait_for_timeout(800)
    page.screenshot(path=artifacts / "04_read_with_images.png")
    expect(page.get_by_test_id("stImage").first).to_be_visible()
    page.get_by_role("button", name="Prepare CSV export").click()
    with page.expect_download() as download_info:
        page.get_by_role("button", name="Download CSV").click()
    path = artifacts / "canvass.csv"
    download_info.value.save_as(path)
    assert "\nread_id,plate," in path.read_text()
    page.get_by_role("button", name="Prepare PDF export").click()
    with page.expect_download() as download_info:
        page.get_by_role("button", name="Download PDF").click()
    report = artifacts / "canvass.pdf"
    download_info.value.save_as(report)
    assert report.read_bytes().startswith(b"%PDF")
    page.screenshot(path=artifacts / "05_export.png")

    records = _records(live_app, user.username, after=before_test)
    search = next(r for r in records if r.event == "search")
    assert search.outcome == "allowed" and search.purpose == "major_crime_canvass"
    assert search.case_number == "26-04711" and search.query and search.query["kind"] == "canvass"
    assert search.result_count and search.result_ids
    assert {"view_read", "export"} <= {r.event for r in records}
    assert [r.query["format"] for r in records if r.event == "export" and r.query] == ["csv", "pdf"]
    assert all(
        r.search_id == search.search_id for r in records if r.event in {"view_read", "export"}
    )


def _canvass_form(page: Page) -> dict[str, str]:
    """What the canvass form says: the incident, the radius, the window and the reason."""
    boxes = page.get_by_test_id("stSelectbox")
    return {
        "incident": boxes.first.get_by_role("combobox").input_value(),
        "radius": page.get_by_label("Radius (m)").input_value(),
        "from": page.get_by_test_id("stDateInput").first.inner_text()
        + page.get_by_test_id("stTimeInput").first.inner_text(),
        "purpose": purpose_box(page).get_by_role("combobox").input_value(),
        "case": page.get_by_role("textbox", name="Case, call or warrant number").input_value(),
        "description": page.get_by_label(
            "Incident description (when there is no number yet)"
        ).input_value(),
    }


def test_the_canvass_form_comes_back_with_its_result(
    live_app: LiveApp, page: Page, artifacts: Path
) -> None:
    """R11, R21: after a refresh, and after a visit to another page, the canvass shown again
    stands beside the form that asked for it (the incident, the radius, the window and the
    justification), not beside a blank form; nothing is searched again."""
    user = sign_in(page, live_app, "investigator")
    open_canvass_at(page)
    radius = page.get_by_label("Radius (m)")
    radius.fill("750")
    radius.press("Enter")
    wait_idle(page)
    choose_purpose(page, "Canvass around a major crime scene")
    page.get_by_label("Incident description (when there is no number yet)").fill(
        "Shots fired at Mission St & Crocker Ave, vehicles leaving north"
    )
    page.get_by_role("button", name="Search", exact=True).click()
    summary = page.get_by_text("recorded in the access log")
    expect(summary).to_be_visible()
    wait_idle(page)
    asked = _canvass_form(page)
    assert "Shooting" in asked["incident"] and asked["radius"] == "750"
    assert "Canvass around a major crime scene" in asked["purpose"]
    shown = summary.inner_text()
    before = _last_record_id(live_app)

    reload(page)
    expect(page.get_by_text(shown)).to_be_visible()
    page.screenshot(path=artifacts / "01_after_refresh.png", full_page=True)
    assert _canvass_form(page) == asked

    page.get_by_test_id("stSidebarNavItems").get_by_role("link", name="Plate history").click()
    wait_idle(page)
    page.get_by_test_id("stSidebarNavItems").get_by_role("link", name="Canvass").click()
    wait_idle(page)
    expect(page.get_by_text(shown)).to_be_visible()
    assert _canvass_form(page) == asked
    assert not [r for r in _records(live_app, user.username, after=before) if r.event == "search"]
