"""Oversight in Chromium: the public page without signing in, the sergeant's access log
review and the statistics page (screenshots)."""

from __future__ import annotations

from pathlib import Path

from playwright.sync_api import Page, expect

from tests.e2e.conftest import LiveApp, sign_in, wait_idle


def _open(page: Page, title: str) -> None:
    page.get_by_test_id("stSidebarNavItems").get_by_role("link", name=title).click()
    wait_idle(page)


def test_public_page_needs_no_sign_in(live_app: LiveApp, page: Page, artifacts: Path) -> None:
    page.goto(f"{live_app.url}/transparency")
    expect(page.get_by_role("heading", name="Cameras and the last 30 days")).to_be_visible()
    expect(page.get_by_text("Who is responsible")).to_be_visible()
    wait_idle(page)
    page.screenshot(path=artifacts / "public_page.png", full_page=True)
    expect(page.get_by_role("heading", name="ALPR — sign in")).to_have_count(0)


def test_sergeant_reviews_the_log_and_statistics(
    live_app: LiveApp, page: Page, artifacts: Path
) -> None:
    sign_in(page, live_app, "sergeant")
    _open(page, "Access log review")
    page.get_by_role("button", name="Review").click()
    wait_idle(page)
    page.get_by_text("Sign-ins and other acts", exact=True).click()
    wait_idle(page)
    expect(page.get_by_text("newest first")).to_be_visible()  # at least this sign-in
    expect(page.get_by_test_id("stDataFrame").first).to_be_visible()
    page.get_by_role("button", name="Verify the hash chain now").click()
    expect(page.get_by_text("Intact:")).to_be_visible()
    page.screenshot(path=artifacts / "access_review.png", full_page=True)
    _open(page, "Statistics")
    expect(page.get_by_text("Reads per day", exact=True)).to_be_visible()
    page.screenshot(path=artifacts / "statistics.png", full_page=True)


def test_sergeant_reviews_an_exigent_search_from_home(
    live_app: LiveApp, page: Page, artifacts: Path
) -> None:
    detective = live_app.users["investigator"]
    searched = live_app.cli(
        "search",
        "history",
        "7ABC123",
        "--as",
        detective.username,
        "--purpose",
        "missing_person",
        "--description",
        "Child taken from Westlake Park at 14:10 today, grey van seen leaving",
        "--exigent",
        env={"ALPR_PASSWORD": detective.password, "ALPR_TOTP": detective.code()},
    )
    assert searched.returncode == 0, searched.stderr
    sign_in(page, live_app, "sergeant")
    expect(page.get_by_text("1 exigent search awaits your review.")).to_be_visible()
    page.screenshot(path=artifacts / "sergeant_home.png", full_page=True)
    page.get_by_role("link", name="Review exigent searches").click()
    wait_idle(page)
    expect(page.get_by_text("Child taken from Westlake Park")).to_be_visible()
    page.screenshot(path=artifacts / "exigent_waiting.png", full_page=True)
    page.get_by_text("Justified by a life-safety emergency").click()
    page.get_by_label("What the review found").fill(
        "AMBER alert issued 14:25 for the child; the search was the quickest lead"
    )
    page.get_by_role("button", name="Record the review").click()
    wait_idle(page)
    expect(page.get_by_text("No exigent search is waiting for review.")).to_be_visible()
    page.screenshot(path=artifacts / "exigent_reviewed.png", full_page=True)
