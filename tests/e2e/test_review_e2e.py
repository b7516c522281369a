"""The sergeant's review of the access log and a full audit, in Chromium (R20-R23): the use of
each person for the period, their searches with the misuse flags on them, a flag given a
finding, a record marked reviewed; an audit drawn, every sampled record marked, and signed off
by command staff. Screenshots under ``test-artifacts/``."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

from playwright.sync_api import Browser, Page, expect
from sqlalchemy import select

from alpr.data.models import AccessRecordReview, FlagFinding, User
from alpr.governance.gateway import JustificationInput
from alpr.governance.identity import principal_for
from alpr.governance.investigations.searches import plate_history
from alpr.governance.oversight.audits import audit_status, record_plan
from alpr.governance.principal import Principal
from tests.e2e.conftest import LiveApp, assert_whole_on_page, sign_in, wait_idle

ROW = 35  # the height of a row of Streamlit's grid, in pixels
LAPTOP = {"width": 1024, "height": 768}
WIDE = {"width": 1400, "height": 1000}  # the harness's window


def _principal(app: LiveApp, role: str) -> Principal:
    rt = app.runtime
    with rt.transaction() as session:
        user = session.execute(
            select(User).where(User.username == app.users[role].username)
        ).scalar_one()
        return principal_for(session, user, authenticated_at=rt.now(), client_addr=None)


def _open(page: Page, title: str) -> None:
    page.get_by_test_id("stSidebarNavItems").get_by_role("link", name=title).click()
    wait_idle(page)


def _click_row(page: Page, grid_index: int, row: int) -> None:
    grid = page.get_by_test_id("stDataFrame").nth(grid_index)
    grid.scroll_into_view_if_needed()
    box = grid.bounding_box()
    assert box is not None
    page.mouse.click(box["x"] + 15, box["y"] + ROW + ROW * row + ROW // 2)
    wait_idle(page)


def test_sergeant_reviews_a_person_gives_a_flag_a_finding_and_marks_reviewed(
    live_app: LiveApp, page: Page, artifacts: Path
) -> None:
    detective = _principal(live_app, "investigator")
    for _ in range(4):  # the same plate, again and again, without a case number
        plate_history(
            live_app.runtime,
            principal=detective,
            justification=JustificationInput(
                "stolen_vehicle",
                description="Vehicle theft (10851 VC) of a silver Honda at 400 Mission St "
                "5 Dec about 08:30",
            ),
            plate="8EXP999",
        )
    sign_in(page, live_app, "sergeant")
    _open(page, "Access log review")
    page.get_by_label("User").fill(live_app.users["investigator"].username)
    page.get_by_role("button", name="Review").click()
    wait_idle(page)
    expect(page.get_by_text("Select a person to review their searches.")).to_be_visible()
    page.locator("[data-testid='stDataFrame'] canvas").first.wait_for()
    page.screenshot(path=artifacts / "01_per_person.png", full_page=True)

    _click_row(page, 0, 0)
    page.get_by_role("button", name="Review the searches of E2E Investigator").click()
    wait_idle(page)
    expect(page.get_by_text("records match")).to_be_visible()
    page.screenshot(path=artifacts / "02_searches_with_flags.png", full_page=True)
    # On a laptop's screen the actions on the rows shown keep their words whole.
    page.set_viewport_size(LAPTOP)
    wait_idle(page)
    for name in (
        re.compile(r"^Mark the \d+ records? on this page reviewed$"),
        "Prepare a CSV of these rows",
        "Prepare a signed PDF of these rows",
    ):
        button = page.get_by_role("button", name=name)
        assert_whole_on_page(page, button, f"the button '{button.inner_text()}'")
    page.screenshot(path=artifacts / "02b_actions_at_1024.png", full_page=True)
    page.set_viewport_size(WIDE)
    wait_idle(page)

    _click_row(page, 0, 0)
    detail = page.locator(".st-key-record_detail")
    expect(detail.get_by_text("Justification")).to_be_visible()
    expect(detail.get_by_text("Repeated plate look-ups").first).to_be_visible()
    finding = detail.get_by_test_id("stForm").first
    finding.get_by_text("Needs follow-up").click()
    finding.get_by_label("Note").fill("Asked Det. about the Honda; waiting for the theft report")
    finding.get_by_role("button", name="Record the finding").click()
    wait_idle(page)
    expect(page.get_by_text("Needs follow-up").first).to_be_visible()
    page.get_by_role("button", name="Mark this record reviewed").click()
    wait_idle(page)
    expect(page.get_by_text("1 record marked reviewed by you.")).to_be_visible()
    page.screenshot(path=artifacts / "03_finding_and_reviewed.png", full_page=True)
    page.get_by_text("records match").scroll_into_view_if_needed()  # flag and review inline
    page.screenshot(path=artifacts / "04_table_after.png", full_page=True)

    rt = live_app.runtime
    with rt.transaction() as session:
        findings = list(session.execute(select(FlagFinding)).scalars())
        reviews = list(session.execute(select(AccessRecordReview)).scalars())
    assert [f.disposition.value for f in findings] == ["needs_follow_up"]
    assert len(reviews) == 1


def test_a_full_audit_drawn_marked_and_signed_off(
    live_app: LiveApp, page: Page, browser: Browser, artifacts: Path
) -> None:
    rt = live_app.runtime
    detective = _principal(live_app, "investigator")
    for plate in ("7ABC123", "8EXP999", "5KLM204"):  # searches of the period, to be sampled
        plate_history(
            rt,
            principal=detective,
            justification=JustificationInput("stolen_vehicle", case_number="26-01234"),
            plate=plate,
        )
    sign_in(page, live_app, "sergeant")
    _open(page, "Audits")
    expect(page.get_by_text("No audit plan is recorded yet")).to_be_visible()
    expect(page.get_by_text("ALPR Administrator (")).to_be_visible()
    page.screenshot(path=artifacts / "01_no_plan_says_who.png", full_page=True)
    record_plan(
        rt,
        principal=_principal(live_app, "administrator"),
        frequency_days=30,
        sample_size=3,
        auditor=live_app.users["sergeant"].username,
        approver=live_app.users["command"].username,
    )
    _open(page, "Audits")
    page.get_by_role("button", name="Draw sample").click()
    wait_idle(page)
    expect(page.get_by_text("drawn: its sample is listed below")).to_be_visible()
    samples = page.locator("[class*='st-key-sample_']")
    progress = page.get_by_text("sampled records marked")
    found = re.search(r"0 of (\d+)\s+sampled records", progress.inner_text())
    assert found is not None
    count = int(found.group(1))
    assert count >= 3
    expect(samples).to_have_count(count)  # they arrive one by one after the count
    page.screenshot(path=artifacts / "02_drawn.png", full_page=True)
    for n in range(count):
        sample = samples.nth(n)
        if n == 0:
            sample.get_by_text("Inappropriate").click()
            sample.get_by_label("Note").fill("No case; plate looked up four times. Referred.")
        else:
            sample.get_by_text("Appropriate", exact=True).click()
    page.get_by_role("button", name="Save verdicts").click()
    wait_idle(page)
    expect(page.get_by_text(f"{count} verdicts recorded.")).to_be_visible()
    progress = page.get_by_text(f"{count} of {count} sampled records marked")
    expect(progress).to_be_visible()
    page.get_by_role("heading", name="Audit 1:").scroll_into_view_if_needed()
    page.screenshot(path=artifacts / "03_marked.png", full_page=True)

    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    context.set_default_timeout(30_000)
    commander = context.new_page()
    try:
        sign_in(commander, live_app, "command")
        _open(commander, "Audits")
        expect(commander.get_by_text("Inappropriate").first).to_be_visible()
        commander.get_by_label("Findings").fill(
            "One search without a case referred to Internal Affairs; the rest appropriate."
        )
        commander.get_by_role("button", name="Sign off").click()
        wait_idle(commander)
        expect(commander.get_by_text("signed off; it can no longer change")).to_be_visible()
        signed = commander.get_by_text("Signed off by E2E Command: One search without a case")
        expect(signed).to_be_visible()
        commander.get_by_role("heading", name="Audit 1:").scroll_into_view_if_needed()
        commander.screenshot(path=artifacts / "04_signed_off.png", full_page=True)
    finally:
        context.close()
    (audit, *_) = audit_status(rt, principal=_principal(live_app, "command"))
    assert audit.signed_off and audit.marked == audit.samples == count
    assert date.today() >= audit.period_end
