"""Sign-in in a real browser (R01, CJIS): the banner, password and TOTP with enrolment by QR
code; and the deep-link regression: a fresh session asking for a protected page by URL gets
the sign-in page, never the page."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.conftest import LiveApp, sign_in, wait_idle


@pytest.mark.parametrize("path", ["users", "training", "roles", "home", "canvass", "audit_log"])
def test_deep_link_while_signed_out_shows_sign_in(live_app: LiveApp, page: Page, path: str) -> None:
    page.goto(f"{live_app.url}/{path}")
    expect(page.get_by_role("heading", name="ALPR — sign in")).to_be_visible()
    expect(page.get_by_text("RESTRICTED SYSTEM")).to_be_visible()
    expect(page.get_by_role("heading", name="Users")).to_have_count(0)


def test_password_and_totp_sign_in_then_role_navigation(
    live_app: LiveApp, page: Page, artifacts: Path
) -> None:
    sign_in(page, live_app, "administrator", shots=artifacts)
    page.screenshot(path=artifacts / "03_home.png", full_page=True)
    sidebar = page.get_by_test_id("stSidebar")
    expect(sidebar.get_by_text("Users", exact=True)).to_be_visible()
    expect(sidebar.get_by_text("Training records")).to_be_visible()
    sidebar.get_by_text("Users", exact=True).click()
    wait_idle(page)
    expect(page.get_by_role("heading", name="Users")).to_be_visible()
    expect(page.get_by_role("heading", name="New user")).to_be_visible()
    expect(page.get_by_test_id("stDataFrame").first).to_be_visible()
    expect(page.get_by_role("heading", name="Awaiting activation")).to_be_visible()
    page.screenshot(path=artifacts / "04_users.png", full_page=True)


def test_deep_link_outside_the_role_is_not_served(
    live_app: LiveApp, page: Page, artifacts: Path
) -> None:
    sign_in(page, live_app, "patrol")
    page.goto(f"{live_app.url}/users")
    wait_idle(page)
    page.screenshot(path=artifacts / "patrol_users_deep_link.png", full_page=True)
    expect(page.get_by_role("heading", name="Users")).to_have_count(0)
    expect(page.get_by_text("e2e_administrator")).to_have_count(0)


def test_acknowledging_the_banner_is_required(live_app: LiveApp, page: Page) -> None:
    user = live_app.users["investigator"]
    page.goto(live_app.url)
    page.get_by_label("Username").fill(user.username)
    page.get_by_label("Password", exact=True).fill(user.password)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_text("Acknowledge the notice above")).to_be_visible()
    expect(page.get_by_label(f"Authenticator code for {user.username}")).to_have_count(0)
