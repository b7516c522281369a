"""A hot-list plate in a video processed by the worker raises an alert that a patrol officer
sees on the alerts page, with the plate crop beside the hot-list record (issue acceptance);
the alerts are listed as patrol works them and reviewed only after the checks, beside a list
that keeps refreshing without disturbing the review."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from playwright.sync_api import Locator, Page, expect
from sqlalchemy import select

from alpr.data.models import Alert, AlertReview, Read
from alpr.governance.hotlists import add_entry
from tests.e2e.conftest import (
    ALERTS_REFRESH_SECONDS,
    LiveApp,
    alert_rows,
    open_alert,
    reload,
    sign_in,
    start_monitoring_alerts,
    wait_idle,
)
from tests.worker.conftest import CARS, DEV, build_video, model_dir

pytestmark = pytest.mark.models

# How many pixels of an input's placeholder lie beyond the room its box leaves for text.
PLACEHOLDER_CUT_PX = """e => {
  const style = getComputedStyle(e);
  const pen = document.createElement('canvas').getContext('2d');
  pen.font = style.font;
  const room = e.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
  return pen.measureText(e.placeholder).width - room;
}"""
# An alert row is two lines of text: the plate, reason and when; where it stands and the place.
# Three lines would make it over 60 px tall.
ROW_PX = 60


def test_worker_read_raises_alert_seen_on_alerts_page(
    live_app: LiveApp, page: Page, artifacts: Path, tmp_path: Path
) -> None:
    env = {**live_app.env, "ALPR_MODEL_DIR": str(model_dir())}
    os.environ.setdefault("ALPR_MODEL_DIR", env["ALPR_MODEL_DIR"])
    video = build_video(tmp_path / "cars.mp4", [DEV / name for name in CARS[:2]])
    steps = [
        ("cameras", "add", "E2E Geneva Ave", "--lat", "37.7094", "--lon", "-122.4372"),
        (
            "hotlist",
            "add",
            "YG9X2G",
            "--list",
            "SVS stolen vehicles (CA DOJ)",
            "--reason",
            "Stolen vehicle (E2E)",
            "--case-number",
            "26-05555",
            "--priority",
            "high",
        ),
        ("worker", "run", "--source", str(video), "--camera", "E2E Geneva Ave", "--once"),
    ]
    admin = live_app.users["administrator"]
    signed = {"ALPR_PASSWORD": admin.password, "ALPR_TOTP": admin.code()}
    for step in steps:
        privileged = step[0] != "worker"
        result = live_app.cli(*step, *(("--as", admin.username) if privileged else ()), env=signed)
        assert result.returncode == 0, result.stderr
    sign_in(page, live_app, "patrol")
    start_monitoring_alerts(page)
    page.screenshot(path=artifacts / "alerts_page.png")
    row = alert_rows(page).filter(has_text="YG9X2G").first
    expect(row).to_be_visible(timeout=30_000)
    alert = open_alert(page, row)
    crop = alert.get_by_text("Plate as read")
    expect(crop).to_be_visible()
    expect(alert.get_by_test_id("stImage").first).to_be_visible()
    expect(alert.get_by_text("Stolen vehicle (E2E)")).to_be_visible()
    crop.scroll_into_view_if_needed()
    page.wait_for_timeout(800)
    # The images come from /media, which serves them to this signed-in browser.
    drawn = alert.get_by_test_id("stImage").locator("img")
    assert drawn.count() and all(
        drawn.nth(i).evaluate("img => img.complete && img.naturalWidth > 0")
        for i in range(drawn.count())
    )
    page.screenshot(path=artifacts / "alert_with_crop.png")


def _unreviewed_in_patrol_order(app: LiveApp) -> list[str]:
    with app.runtime.transaction() as session:
        reviewed = select(AlertReview.alert_id)
        return list(
            session.execute(
                select(Alert.plate)
                .where(Alert.id.not_in(reviewed))
                .order_by(Alert.read_captured_at.desc(), Alert.id.desc())
            ).scalars()
        )


def test_alerts_unreviewed_newest_first_checks_before_outcome(
    live_app: LiveApp, page: Page, artifacts: Path
) -> None:
    """R13: one row per alert, unreviewed first and the newest sighting first; a high-priority
    alert is announced; no outcome can be chosen before the characters are compared, and
    "confirmed" not before CLETS/NCIC; a reviewed alert moves to the Reviewed filter."""
    expected = _unreviewed_in_patrol_order(live_app)
    assert len(expected) >= 2
    sign_in(page, live_app, "patrol")
    start_monitoring_alerts(page)
    rows = alert_rows(page)
    expect(rows.first).to_be_visible(timeout=30_000)
    expect(page.get_by_text(re.compile(r"high-priority alerts? not yet reviewed"))).to_be_visible()
    expect(page.locator("audio")).to_have_count(1)
    expect(page.locator("audio")).to_be_hidden()  # the tone plays; no player on screen
    # The rows arrive one by one after the caption that counts them.
    counted = page.get_by_text(re.compile(r"^\d+ alerts? · unreviewed first"))
    listed = int(counted.inner_text().split()[0])
    assert 2 <= listed <= 50
    expect(rows).to_have_count(listed)
    labels = rows.all_inner_texts()
    assert [label.split(" · ")[0].split()[-1] for label in labels] == expected[: len(labels)]
    assert all("not reviewed" in label for label in labels)
    page.screenshot(path=artifacts / "01_alerts_newest_first.png", full_page=True)
    page.set_viewport_size({"width": 1024, "height": 768})
    wait_idle(page)
    tallest = max(box["height"] for box in (row.bounding_box() for row in rows.all()) if box)
    page.screenshot(path=artifacts / "01_alerts_at_1024.png")
    assert tallest <= ROW_PX, f"an alert row is {tallest:.0f} px tall at 1024 px"
    page.set_viewport_size({"width": 1280, "height": 1000})
    wait_idle(page)
    plate = expected[0]
    review = open_alert(page, rows.first)
    expect(review.get_by_role("heading", name=plate)).to_be_visible()
    disposition = review.get_by_role("combobox")
    expect(disposition).to_be_disabled()
    # Beside the list on a 1280-pixel screen the outcome says in whole what comes first.
    expect(disposition).to_have_attribute("placeholder", "Compare the characters first")
    cut = disposition.evaluate(PLACEHOLDER_CUT_PX)
    assert cut <= 0, f"{cut:.0f} px of the outcome's 'Compare the characters first' cut off"
    page.set_viewport_size({"width": 1400, "height": 1000})
    wait_idle(page)
    review.get_by_text("I compared the plate characters").click()
    wait_idle(page)
    expect(disposition).to_be_enabled()
    # The review's images may still be loading and move the select as they arrive: the
    # select is clicked once they have loaded and it is in view.
    page.wait_for_load_state("networkidle")
    disposition.scroll_into_view_if_needed()
    disposition.click()
    options = page.get_by_role("option")
    expect(options.first).to_be_visible()
    assert not any("Confirmed" in o for o in options.all_inner_texts())
    page.get_by_role("option", name="Misread: the characters differ").click()
    wait_idle(page)
    review.get_by_label("Note").fill("Last character is a 3 on the image, the record has an 8")
    review.get_by_label("Note").press("Enter")
    wait_idle(page)
    page.screenshot(path=artifacts / "02_review_after_checks.png", full_page=True)
    review.get_by_role("button", name="Record review").click()
    wait_idle(page)
    expect(
        page.get_by_text(f"Review of the {plate} alert recorded in the access log.")
    ).to_be_visible()
    expect(review).to_have_count(0)
    expect(rows).to_have_count(len(labels) - 1)
    page.get_by_test_id("stButtonGroup").get_by_text("Reviewed", exact=True).click()
    wait_idle(page)
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text(plate)
    expect(rows.first).to_contain_text("Misread")
    page.screenshot(path=artifacts / "03_reviewed_filter.png", full_page=True)


def _refreshed(page: Page) -> None:
    """Wait until the alerts list has refreshed by itself: the time it says it was updated
    changes (nothing else touches the page meanwhile)."""
    updated = page.get_by_text(re.compile(r"· updated \d\d:\d\d:\d\d;"))
    before = updated.inner_text()
    expect(updated).not_to_have_text(before, timeout=(ALERTS_REFRESH_SECONDS + 10) * 1000)


def _listed_meanwhile(app: LiveApp) -> str:
    """The plate of the newest read that raised no alert, entered on a hot list now: the read
    becomes an alert newer than those listed, as when a plate is entered during a shift."""
    with app.runtime.transaction() as session:
        plate = session.execute(
            select(Read.plate)
            .where(Read.plate.not_in(select(Alert.plate)))
            .order_by(Read.captured_at.desc())
            .limit(1)
        ).scalar_one()
    _, raised = add_entry(
        app.runtime,
        actor=None,
        list_name="SVS stolen vehicles (CA DOJ)",
        pattern=plate,
        reason="Stolen vehicle (E2E, listed during a review)",
        case_number="26-05556",
    )
    assert raised >= 1
    return plate


def _arrived_above(rows: Locator, plate: str) -> None:
    """The list shows the new alert, above the one under review (the last row)."""
    expect(rows.filter(has_text=plate)).not_to_have_count(0)
    assert any(plate in label for label in rows.all_inner_texts()[:-1])


def test_the_lists_refresh_leaves_the_review_at_hand_alone(
    live_app: LiveApp, page: Page, artifacts: Path
) -> None:
    """R13: while the list refreshes and new alerts arrive above the one an officer reviews,
    the review beside the list stays as they left it: a note half typed stays typed and in
    focus, an open disposition stays open, and the review is recorded with both."""
    sign_in(page, live_app, "patrol")
    start_monitoring_alerts(page)
    rows = alert_rows(page)
    expect(rows.first).to_be_visible(timeout=30_000)
    review = open_alert(page, rows.last)  # the oldest: every new alert comes above it
    plate = review.get_by_role("heading").inner_text().split()[-1]
    review.get_by_text("I compared the plate characters").click()
    wait_idle(page)
    page.wait_for_load_state("networkidle")
    note = review.get_by_label("Note")
    note.click()
    note.press_sequentially("Characters match the image")
    _arrived_above(rows, _listed_meanwhile(live_app))
    expect(note).to_be_focused()
    expect(note).to_have_value("Characters match the image")
    note.press_sequentially("; vehicle is a blue sedan, the record says white")
    disposition = review.get_by_role("combobox")
    disposition.scroll_into_view_if_needed()
    disposition.click()
    option = page.get_by_role("option", name="Vehicle does not match the record")
    expect(option).to_be_visible()
    _arrived_above(rows, _listed_meanwhile(live_app))
    _refreshed(page)
    expect(option).to_be_visible()
    page.screenshot(path=artifacts / "review_through_refreshes.png")
    option.click()
    wait_idle(page)
    review.get_by_role("button", name="Record review").click()
    wait_idle(page)
    expect(
        page.get_by_text(f"Review of the {plate} alert recorded in the access log.")
    ).to_be_visible()
    with live_app.runtime.transaction() as session:
        recorded = session.execute(
            select(AlertReview.disposition, AlertReview.note, AlertReview.characters_compared)
            .join(Alert, Alert.id == AlertReview.alert_id)
            .where(Alert.plate == plate)
            .order_by(AlertReview.id.desc())
        ).first()
    assert recorded is not None
    assert recorded.disposition.value == "vehicle_mismatch"
    assert recorded.note == (
        "Characters match the image; vehicle is a blue sedan, the record says white"
    )
    assert recorded.characters_compared


def test_a_vague_reason_keeps_the_form_and_watching_outlives_a_refresh(
    live_app: LiveApp, page: Page, artifacts: Path
) -> None:
    """R21: a reason that identifies nothing is refused when watching starts, whether or not
    an alert is waiting, with the form still there to correct it; once started, a refresh of
    the page does not ask again, and the alert under review is open again."""
    sign_in(page, live_app, "patrol")
    page.get_by_test_id("stSidebarNavItems").get_by_role("link", name="Alerts").click()
    wait_idle(page)
    page.get_by_test_id("stSelectbox").first.click()
    page.get_by_role("option", name="Stolen vehicle").click()
    description = page.get_by_label("Incident description (when there is no number yet)")
    description.fill("Patrol shift monitoring, Beat 3")
    page.get_by_role("button", name="Start monitoring").click()
    wait_idle(page)
    expect(page.get_by_text("does not identify an incident")).to_be_visible()
    expect(page.get_by_role("button", name="Start monitoring")).to_be_visible()
    expect(description).to_have_value("Patrol shift monitoring, Beat 3")
    page.screenshot(path=artifacts / "alerts_vague_reason.png")
    description.fill("Stolen vehicles (10851 VC), Beat 3, day watch today from 07:00")
    page.get_by_role("button", name="Start monitoring").click()
    wait_idle(page)
    expect(page.get_by_text(re.compile(r"\d+ alerts? · unreviewed first"))).to_be_visible()
    heading = open_alert(page, alert_rows(page).first).get_by_role("heading").first.inner_text()
    reload(page)
    expect(page.get_by_text(re.compile(r"\d+ alerts? · unreviewed first"))).to_be_visible()
    expect(page.get_by_role("button", name="Start monitoring")).to_have_count(0)
    # the alert under review is open again beside the list
    review = page.locator(".st-key-alert_review")
    expect(review.get_by_role("heading").first).to_have_text(heading)


# How many pixels of a row's line lie beyond the row: its words cut short with "…".
ROW_LINE_CUT_PX = """rows => Math.max(...rows.flatMap(
  row => [...row.querySelectorAll('p')].map(p => p.scrollWidth - p.clientWidth)))"""


def test_on_a_laptops_screen_the_rows_read_whole_and_the_review_opens_above_them(
    live_app: LiveApp, page: Page, artifacts: Path
) -> None:
    """R13: on a 1024-pixel screen each alert's reason and place are read in whole, not cut to
    "Shoot…" in a list squeezed beside the review; the review of a picked alert stands above
    the list, where the officer is looking."""
    sign_in(page, live_app, "patrol")
    page.set_viewport_size({"width": 1024, "height": 768})
    start_monitoring_alerts(page)
    rows = alert_rows(page)
    expect(rows.first).to_be_visible(timeout=30_000)
    wait_idle(page)
    cut = rows.evaluate_all(ROW_LINE_CUT_PX)
    page.screenshot(path=artifacts / "alerts_list_at_1024.png")
    assert cut <= 0, f"{cut} px of an alert row's words cut off at 1024 px"
    review = open_alert(page, rows.nth(1))
    review_box, list_box = (
        review.bounding_box(),
        page.locator(".st-key-alerts_queue").bounding_box(),
    )
    assert review_box is not None and list_box is not None
    assert review_box["y"] + review_box["height"] <= list_box["y"], "the review is not above"
    page.screenshot(path=artifacts / "alerts_review_at_1024.png")


def test_the_review_shows_the_hot_list_record_once_with_its_state(
    live_app: LiveApp, page: Page
) -> None:
    """R13: the hot-list record's plate, state and vehicle are read once, large beside the
    plate as read; the record is not written out a second time under the images."""
    sign_in(page, live_app, "patrol")
    start_monitoring_alerts(page)
    rows = alert_rows(page)
    expect(rows.first).to_be_visible(timeout=30_000)
    review = open_alert(page, rows.first)
    expect(
        review.get_by_text(re.compile(r"^Hot-list record \((?:[A-Z]{2}|state \?)\)$"))
    ).to_be_visible()
    words = review.inner_text()
    assert words.count("Hot-list record") == 1, words
    assert "Vehicle " not in words, words
