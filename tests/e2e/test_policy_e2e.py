"""The Agency policy page and session limits in Chromium: the Administrator reads the policy in
force, records a change with its basis and sees it in the history; a value looser than the law
is refused naming the rule; the alerts page left open past a short idle limit shows the sign-in
page instead of new alerts (screenshots)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from alpr.governance.policy import set_policy
from tests.e2e.conftest import (
    LiveApp,
    assert_whole_on_page,
    sign_in,
    start_monitoring_alerts,
    wait_idle,
)


@pytest.fixture
def restore_policy(live_app: LiveApp) -> Iterator[None]:
    """The live app is shared: leave its policy as the demo set it."""
    yield
    for key, value in (("lockout_attempts", 5), ("idle_timeout_minutes", 30)):
        set_policy(live_app.runtime, actor=None, key=key, value=value, legal_basis="E2E: restored")


def _open(page: Page, title: str) -> None:
    page.get_by_test_id("stSidebarNavItems").get_by_role("link", name=title).click()
    wait_idle(page)


def _change(page: Page, setting: str, value: str, basis: str) -> None:
    page.get_by_role("tab", name="Change a value").click()
    wait_idle(page)  # the last change's rerun gives the form a fresh select box
    chooser = page.get_by_test_id("stSelectbox").first.locator("input")
    chooser.click()
    chooser.fill(setting)  # typing narrows the long list to the one setting
    page.get_by_role("option").filter(has_text=setting).first.wait_for()
    page.keyboard.press("Enter")
    wait_idle(page)
    expect(chooser).to_have_value(re.compile(re.escape(setting)))
    box = page.get_by_label("New value")
    box.fill(value)
    page.get_by_label("Legal basis").fill(basis)
    page.get_by_role("button", name="Record the change").click()
    wait_idle(page)


def test_administrator_changes_the_policy_with_its_basis(
    live_app: LiveApp, page: Page, artifacts: Path, restore_policy: None
) -> None:
    sign_in(page, live_app, "administrator")
    _open(page, "Agency policy")
    expect(page.get_by_text("Sign-in, sessions and training", exact=True)).to_be_visible()
    page.get_by_test_id("stTable").first.wait_for()  # the policy in force, wrapped
    page.screenshot(path=artifacts / "policy_in_force.png", full_page=True)

    _change(page, "Failed sign-ins before an account locks", "3", "Chief's directive 2026-14")
    expect(page.get_by_text("Failed sign-ins before an account locks: 5 → 3")).to_be_visible()

    _change(page, "Idle minutes before a session locks", "45", "Longer shifts at the desk")
    expect(page.get_by_text("Refused by policy")).to_be_visible()
    expect(page.get_by_text("idle_timeout_minutes=45 is above the maximum of 30")).to_be_visible()
    page.screenshot(path=artifacts / "policy_refused.png", full_page=True)

    # On a laptop's screen the history and the profiles read whole, nothing cut or scrolled.
    page.set_viewport_size({"width": 1024, "height": 900})
    page.get_by_role("tab", name="History").click()
    history = page.get_by_role("tabpanel", name="History").get_by_test_id("stTable")
    expect(history).to_contain_text("Chief's directive 2026-14")
    expect(history).to_be_visible()
    assert_whole_on_page(page, history, "the policy's history")
    page.screenshot(path=artifacts / "policy_history.png", full_page=True)
    page.get_by_role("tab", name="Department profiles").click()
    expect(page.get_by_text("Apply the profile")).to_be_visible()
    profile = page.get_by_role("tabpanel", name="Department profiles").get_by_test_id("stTable")
    expect(profile).to_be_visible()
    assert_whole_on_page(page, profile, "the department's profile")
    page.screenshot(path=artifacts / "policy_profiles.png", full_page=True)


def test_alerts_left_open_past_the_idle_limit_show_the_sign_in_page(
    live_app: LiveApp, page: Page, artifacts: Path, restore_policy: None
) -> None:
    set_policy(
        live_app.runtime,
        actor=None,
        key="idle_timeout_minutes",
        value=1,
        legal_basis="E2E: a short idle limit",
    )
    sign_in(page, live_app, "patrol")
    start_monitoring_alerts(page)
    expect(page.get_by_text("new alerts appear by themselves")).to_be_visible()
    page.screenshot(path=artifacts / "alerts_monitoring.png")
    # Nobody touches the screen; the alerts list keeps refreshing itself.
    expect(page.get_by_text("I acknowledge this notice")).to_be_visible(timeout=150_000)
    expect(page.get_by_text("Your session was locked after 1 idle minute.")).to_be_visible()
    expect(page.get_by_role("heading", name="Hot-list alerts")).to_have_count(0)
    page.screenshot(path=artifacts / "alerts_locked.png", full_page=True)
