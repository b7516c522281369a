"""The reader's doubt in Chromium on the demo data (R12, R13): a plate search finds the reads
of a listed plate that were misread by one character, marked as found by an alternative
reading; patrol sees their alerts as possible, with the crop beside both readings."""

from __future__ import annotations

import re
from pathlib import Path

from playwright.sync_api import Page, expect
from sqlalchemy import select

from alpr.data.models import Alert
from alpr.recognition.certainty import POSSIBLE
from tests.e2e.conftest import (
    LiveApp,
    alert_rows,
    choose_purpose,
    open_alert,
    sign_in,
    start_monitoring_alerts,
    wait_idle,
)


def _possible_alert(app: LiveApp) -> tuple[str, str]:
    """The plate as read and the listed plate of the demo's newest alert by another reading."""
    with app.runtime.transaction() as session:
        plate, alternative = session.execute(
            select(Alert.plate, Alert.alternative)
            .where(Alert.alternative.is_not(None))
            .order_by(Alert.read_captured_at.desc())
            .limit(1)
        ).one()
    return str(plate), str(alternative)


def test_plate_search_marks_reads_found_by_an_alternative_reading(
    live_app: LiveApp, page: Page, artifacts: Path
) -> None:
    _, listed = _possible_alert(live_app)
    sign_in(page, live_app, "investigator")
    page.get_by_test_id("stSidebarNavItems").get_by_role("link", name="Plate search").click()
    wait_idle(page)
    page.get_by_label("Plate or pattern").fill(listed)
    choose_purpose(page, "Stolen vehicle")
    page.get_by_role("textbox", name="Case, call or warrant number").fill("26-01234")
    page.get_by_test_id("stBaseButton-primaryFormSubmit").click()
    wait_idle(page)
    expect(page.get_by_text(re.compile(r"Search #\d+: "))).to_be_visible()
    notice = page.get_by_text(re.compile(r"\d+ reads? found by an alternative reading"))
    expect(notice).to_be_visible()
    page.get_by_test_id("stDataFrame").first.scroll_into_view_if_needed()
    page.wait_for_timeout(1500)
    page.screenshot(path=artifacts / "01_plate_search_alternative.png", full_page=True)


def test_alert_by_an_alternative_reading_shows_both_readings(
    live_app: LiveApp, page: Page, artifacts: Path
) -> None:
    read_as, listed = _possible_alert(live_app)
    sign_in(page, live_app, "patrol")
    start_monitoring_alerts(page)
    row = alert_rows(page).filter(has_text=POSSIBLE).first
    expect(row).to_be_visible(timeout=30_000)
    expect(row).to_contain_text(read_as)
    card = open_alert(page, row)
    expect(card).to_contain_text(POSSIBLE)
    expect(card.get_by_text("Plate as read")).to_be_visible()
    warning = card.get_by_text(re.compile(r"Possible — alternative reading\."))
    expect(warning).to_be_visible()
    expect(card).to_contain_text(f"matches {listed}")
    expect(card).to_contain_text(f"not {read_as} as read")
    warning.scroll_into_view_if_needed()
    page.wait_for_timeout(800)
    page.screenshot(path=artifacts / "02_possible_alert.png", full_page=True)
