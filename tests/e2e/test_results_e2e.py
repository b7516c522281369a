"""Results a detective can read, in Chromium on the demo data: a plate's history as a story
(dated axis in the agency's zone, the route numbered in time order, its hot-list record
beside it)."""

from __future__ import annotations

import re
from pathlib import Path

from playwright.sync_api import Page, expect
from sqlalchemy import func, select

from alpr.data.models import AccessRecord, HotListEntry, Read
from tests.e2e.conftest import LiveApp, sign_in, wait_idle


def _listed_plate_with_most_reads(app: LiveApp) -> str:
    with app.runtime.transaction() as session:
        listed = select(HotListEntry.pattern).where(HotListEntry.is_partial.is_(False))
        return str(
            session.execute(
                select(Read.plate)
                .where(Read.plate.in_(listed))
                .group_by(Read.plate)
                .order_by(func.count().desc(), Read.plate)
                .limit(1)
            ).scalar_one()
        )


def _justify(page: Page, *, purpose: str, case: str) -> None:
    box = page.get_by_test_id("stSelectbox").first
    box.scroll_into_view_if_needed()
    box.click()
    page.get_by_role("option", name=purpose).click()
    page.get_by_role("textbox", name="Case, call or warrant number").fill(case)


def _open(page: Page, title: str) -> None:
    page.get_by_test_id("stSidebarNavItems").get_by_role("link", name=title).click()
    wait_idle(page)


def test_plate_history_tells_the_story(live_app: LiveApp, page: Page, artifacts: Path) -> None:
    """R11, R13: the history of a listed plate shows the route in time order, a dated
    timeline and the plate's hot-list entry and alerts, each view in the access log."""
    plate = _listed_plate_with_most_reads(live_app)
    user = sign_in(page, live_app, "investigator")
    _open(page, "Plate history")
    page.get_by_label("Plate", exact=True).fill(plate)
    _justify(page, purpose="Stolen vehicle", case="26-01234")
    page.get_by_role("button", name="Show history").click()
    wait_idle(page)
    expect(page.get_by_text(re.compile(r"Search #\d+: .* reads?, newest first"))).to_be_visible()
    expect(page.get_by_text(f"Hot lists · {plate}")).to_be_visible()
    expect(page.get_by_text(re.compile(r"On the hot list: \d+ active listing"))).to_be_visible()
    expect(page.get_by_text("Route in time order")).to_be_visible()
    chart = page.get_by_test_id("stVegaLiteChart").first
    chart.scroll_into_view_if_needed()
    expect(chart).to_be_visible()
    page.wait_for_timeout(1500)
    page.screenshot(path=artifacts / "01_plate_history.png", full_page=True)
    chart.screenshot(path=artifacts / "02_timeline.png")
    page.get_by_test_id("stDeckGlJsonChart").first.screenshot(path=artifacts / "03_route.png")
    with live_app.runtime.transaction() as session:
        kinds = [
            (r.query or {}).get("kind")
            for r in session.execute(
                select(AccessRecord).where(AccessRecord.username == user.username)
            ).scalars()
        ]
    assert "history" in kinds and "plate_watch" in kinds
