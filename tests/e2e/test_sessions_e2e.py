"""Sessions that behave like a professional web application (R01, CJIS), in Chromium: the
session held by an HttpOnly, SameSite=Strict cookie survives a reload, a new tab and a pasted
link; a deep link opened signed out lands, after the sign-in, on the page it asked for; signing
out in one tab, or the Administrator disabling the account, signs every tab out on its next
action; and the sign-in never says whether a username exists."""

from __future__ import annotations

from pathlib import Path

from playwright.sync_api import Page, expect

from alpr.governance.users import disable_user, enable_user
from tests.e2e.conftest import (
    LiveApp,
    reload,
    session_cookie,
    sign_in,
    wait_idle,
    wait_session_cookie,
)


def _signed_in_as(page: Page, full_name: str) -> None:
    sidebar = page.get_by_test_id("stSidebar")
    expect(sidebar.get_by_text(f"Signed in as {full_name}")).to_be_visible()


def test_reload_and_a_deep_link_in_a_new_tab_stay_signed_in(
    live_app: LiveApp, page: Page, artifacts: Path
) -> None:
    """R01: one sign-in (password and TOTP) holds through a reload and a new tab opened on a
    page's URL; the cookie is out of the page's scripts' reach and never sent cross-site."""
    sign_in(page, live_app, "investigator")
    cookie = session_cookie(page)
    assert cookie is not None
    assert cookie["httpOnly"] is True and cookie["sameSite"] == "Strict"
    assert cookie["path"] == "/" and cookie["secure"] is False  # plain HTTP in the test
    assert page.evaluate("document.cookie").find("alpr_session") == -1

    reload(page)
    expect(page.get_by_role("heading", name="Welcome, E2E Investigator")).to_be_visible()
    wait_idle(page)
    _signed_in_as(page, "E2E Investigator")
    expect(page.get_by_text("I acknowledge this notice")).to_have_count(0)
    page.screenshot(path=artifacts / "01_after_reload.png", full_page=True)

    tab = page.context.new_page()
    tab.goto(f"{live_app.url}/plate_history")
    expect(tab.get_by_role("heading", name="Plate history")).to_be_visible()
    wait_idle(tab)
    _signed_in_as(tab, "E2E Investigator")
    expect(tab.get_by_text("I acknowledge this notice")).to_have_count(0)
    tab.screenshot(path=artifacts / "02_new_tab_plate_history.png", full_page=True)


def test_a_deep_link_opened_signed_out_lands_on_its_page_after_sign_in(
    live_app: LiveApp, page: Page, artifacts: Path
) -> None:
    """R01: the link to Plate history shows the sign-in page first, then Plate history."""
    sign_in(page, live_app, "investigator", path="plate_history", shots=artifacts)
    expect(page.get_by_role("heading", name="Plate history")).to_be_visible()
    wait_idle(page)
    assert page.url.endswith("/plate_history")
    _signed_in_as(page, "E2E Investigator")
    page.screenshot(path=artifacts / "03_landed_on_plate_history.png", full_page=True)


def test_sign_out_in_one_tab_signs_the_other_out_on_its_next_action(
    live_app: LiveApp, page: Page, artifacts: Path
) -> None:
    """R01, CJIS: signing out ends the session on the server, so every tab holding it is
    signed out at its next action, and the cookie is cleared."""
    sign_in(page, live_app, "sergeant")
    other = page.context.new_page()
    other.goto(f"{live_app.url}/roles")
    expect(other.get_by_role("heading", name="Roles and access")).to_be_visible()
    wait_idle(other)

    page.get_by_test_id("stSidebar").get_by_role("button", name="Sign out").click()
    expect(page.get_by_role("heading", name="ALPR — sign in")).to_be_visible()
    expect(page.get_by_text("You are signed out.")).to_be_visible()
    wait_session_cookie(page, present=False)
    page.screenshot(path=artifacts / "04_signed_out_here.png", full_page=True)

    other.get_by_test_id("stSidebarNavItems").get_by_role("link", name="Home").click()
    expect(other.get_by_role("heading", name="ALPR — sign in")).to_be_visible()
    expect(other.get_by_text("You are signed out.")).to_be_visible()
    expect(other.get_by_role("heading", name="Welcome, E2E Sergeant")).to_have_count(0)
    wait_idle(other)
    other.screenshot(path=artifacts / "05_other_tab_next_action.png", full_page=True)

    other.reload()
    expect(other.get_by_text("I acknowledge this notice")).to_be_visible()
    expect(other.get_by_role("heading", name="Welcome, E2E Sergeant")).to_have_count(0)


def test_disabling_the_account_signs_its_open_tabs_out_on_their_next_action(
    live_app: LiveApp, page: Page, artifacts: Path
) -> None:
    """R01, CJIS: the Administrator's disable ends the account's sessions on the server."""
    user = sign_in(page, live_app, "command")
    tab = page.context.new_page()
    tab.goto(f"{live_app.url}/roles")
    expect(tab.get_by_role("heading", name="Roles and access")).to_be_visible()
    wait_idle(tab)
    disable_user(live_app.runtime, actor=None, username=user.username)
    try:
        for each in (page, tab):
            each.get_by_test_id("stSidebarNavItems").get_by_role("link", name="Home").click()
            expect(each.get_by_role("heading", name="ALPR — sign in")).to_be_visible()
            expect(each.get_by_text("This account was disabled")).to_be_visible()
            wait_idle(each)
        tab.screenshot(path=artifacts / "08_disabled_tab.png", full_page=True)
        tab.reload()
        expect(tab.get_by_text("I acknowledge this notice")).to_be_visible()
    finally:
        enable_user(live_app.runtime, actor=None, username=user.username)


def _refusal_for(page: Page, app: LiveApp, username: str, password: str) -> str:
    page.goto(app.url)
    page.get_by_text("I acknowledge this notice").click()
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password", exact=True).fill(password)
    page.get_by_role("button", name="Sign in").click()
    refusal = page.get_by_text("Sign-in refused.")
    refusal.wait_for()
    wait_idle(page)
    return str(page.get_by_test_id("stAlert").filter(has=refusal).inner_text())


def test_unknown_user_and_wrong_password_get_the_same_message(
    live_app: LiveApp, page: Page, artifacts: Path
) -> None:
    """R01: the answer does not say whether the username exists; it states the lockout rule."""
    unknown = _refusal_for(page, live_app, "no_such_officer", "Some-Password-123")
    page.screenshot(path=artifacts / "06_unknown_user.png", full_page=True)
    wrong = _refusal_for(page, live_app, live_app.users["command"].username, "Not-Her-Password-9")
    page.screenshot(path=artifacts / "07_wrong_password.png", full_page=True)
    assert unknown == wrong
    assert "Wrong username or password." in unknown
    assert "an account is locked until an ALPR Administrator unlocks it" in unknown
