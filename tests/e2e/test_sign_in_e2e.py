"""Sign-in in a real browser (R01, CJIS): the banner, password and TOTP with enrolment by QR
code; a password an administrator gave replaced by the owner's own (browser and command line);
and the deep-link regression: a fresh session asking for a protected page by URL gets
the sign-in page, never the page."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Page, expect
from pyotp import parse_uri
from sqlalchemy import select

from alpr.data.models import User
from alpr.governance.auth.local import MfaChallenge, check_password
from alpr.governance.errors import Refusal
from alpr.governance.identity import principal_for
from alpr.governance.users import activate_user, create_user
from tests.e2e.conftest import E2EUser, LiveApp, enter_credentials, sign_in, wait_idle


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
    expect(page.get_by_test_id("stTable").first).to_be_visible()  # the accounts, wrapped
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


GIVEN = "Handed-Over-Passphrase-4"
OWN = "Only-The-Owner-Knows-7"


def _account_with_given_password(
    app: LiveApp, username: str, *, temporary: bool = True
) -> tuple[E2EUser, str | None]:
    """A new account as an administrator makes it, activated by command staff: its password is
    the administrator's (``temporary``: until its owner replaces it, with the activation code
    command staff was given, which comes second)."""
    rt = app.runtime
    with rt.transaction() as session:
        admin, chief = (
            principal_for(
                session,
                session.execute(select(User).where(User.username == name)).scalar_one(),
                authenticated_at=rt.now(),
                client_addr=None,
            )
            for name in ("admin", "commander")
        )
    made = create_user(
        rt,
        actor=admin,
        username=username,
        full_name="New Detective",
        role="investigator",
        agency_name=admin.agency_name,
        password=GIVEN,
        temporary_password=temporary,
    )
    code = activate_user(rt, actor=chief, username=username)
    return E2EUser(username, GIVEN, parse_uri(made.provisioning_uri).secret), code


def test_a_password_the_administrator_gave_is_replaced_at_the_first_sign_in(
    live_app: LiveApp, page: Page, artifacts: Path
) -> None:
    user, code = _account_with_given_password(live_app, "e2e_newcomer")
    assert code is not None
    enter_credentials(page, live_app.url, user)

    new_box = page.get_by_label(f"New password for {user.username}")
    new_box.wait_for(timeout=60_000)
    expect(page.get_by_text("set by an ALPR Administrator, who knows it")).to_be_visible()
    expect(page.get_by_text("the activation code the person who activated")).to_be_visible()
    expect(page.get_by_text("Welcome,")).to_have_count(0)
    code_box = page.get_by_label("Activation code")
    code_box.fill(code)
    new_box.fill(OWN)
    page.get_by_label("The new password again").fill(OWN + "x")
    page.get_by_role("button", name="Set my password and sign in").click()
    expect(page.get_by_text("The two passwords differ")).to_be_visible()
    new_box.fill(GIVEN)
    page.get_by_label("The new password again").fill(GIVEN)
    page.get_by_role("button", name="Set my password and sign in").click()
    expect(page.get_by_text("other than the one you were given")).to_be_visible()
    page.screenshot(path=artifacts / "own_password.png", full_page=True)
    new_box.fill(OWN)
    page.get_by_label("The new password again").fill(OWN)
    code_box.fill(code.lower())
    page.get_by_role("button", name="Set my password and sign in").click()
    page.get_by_text("Welcome,").wait_for()

    with pytest.raises(Refusal, match="Wrong username or password"):
        check_password(live_app.runtime, username=user.username, password=GIVEN)
    assert isinstance(
        check_password(live_app.runtime, username=user.username, password=OWN), MfaChallenge
    )


def test_the_command_line_sign_in_replaces_a_given_password(live_app: LiveApp) -> None:
    user, code = _account_with_given_password(live_app, "e2e_newcomer_cli")
    assert code is not None
    signing = {"ALPR_PASSWORD": GIVEN, "ALPR_TOTP": user.code()}
    refused = live_app.cli("signin", user.username, env=signing)
    assert refused.returncode == 3, refused.stderr
    assert "set by an ALPR Administrator" in refused.stderr
    assert "ALPR_NEW_PASSWORD" in refused.stderr
    signed = live_app.cli(
        "signin",
        user.username,
        env={
            "ALPR_PASSWORD": GIVEN,
            "ALPR_TOTP": user.code(),
            "ALPR_NEW_PASSWORD": OWN,
            "ALPR_ACTIVATION_CODE": code,
        },
    )
    assert signed.returncode == 0, signed.stderr
    assert "signed in as e2e_newcomer_cli (investigator)" in signed.stdout
    listed = live_app.cli("signout", user.username)
    assert listed.returncode == 0, listed.stderr
    again = live_app.cli(
        "signin", user.username, env={"ALPR_PASSWORD": OWN, "ALPR_TOTP": user.code()}
    )
    assert again.returncode == 0, again.stderr


def test_a_signed_in_person_changes_their_password_from_the_sidebar(
    live_app: LiveApp, page: Page, artifacts: Path
) -> None:
    user, _ = _account_with_given_password(live_app, "e2e_changer", temporary=False)
    enter_credentials(page, live_app.url, user)
    page.get_by_text("Welcome,").wait_for()
    wait_idle(page)

    sidebar = page.get_by_test_id("stSidebar")
    sidebar.get_by_text("Change my password").click()
    sidebar.get_by_label("Current password").fill("Not-My-Password-99")
    sidebar.get_by_label("New password", exact=True).fill(OWN)
    sidebar.get_by_label("New password again").fill(OWN)
    sidebar.get_by_role("button", name="Change password").click()
    expect(sidebar.get_by_text("That is not your current password")).to_be_visible()
    page.screenshot(path=artifacts / "wrong_current_password.png", full_page=True)
    sidebar.get_by_label("Current password").fill(GIVEN)
    sidebar.get_by_label("New password", exact=True).fill(OWN)
    sidebar.get_by_label("New password again").fill(OWN)
    sidebar.get_by_role("button", name="Change password").click()
    expect(page.get_by_role("heading", name="ALPR — sign in")).to_be_visible()
    expect(page.get_by_text("Your password was changed")).to_be_visible()

    with pytest.raises(Refusal, match="Wrong username or password"):
        check_password(live_app.runtime, username=user.username, password=GIVEN)
    assert isinstance(
        check_password(live_app.runtime, username=user.username, password=OWN), MfaChallenge
    )


def test_the_command_line_changes_ones_own_password(live_app: LiveApp) -> None:
    user, _ = _account_with_given_password(live_app, "e2e_changer_cli", temporary=False)
    signing = {"ALPR_PASSWORD": GIVEN, "ALPR_TOTP": user.code()}
    assert live_app.cli("signin", user.username, env=signing).returncode == 0
    wrong = live_app.cli(
        "users",
        "change-password",
        user.username,
        env={"ALPR_PASSWORD": "Not-My-Password-99", "ALPR_NEW_PASSWORD": OWN},
    )
    assert wrong.returncode == 3, wrong.stderr
    assert "not your current password" in wrong.stderr
    changed = live_app.cli(
        "users",
        "change-password",
        user.username,
        env={"ALPR_PASSWORD": GIVEN, "ALPR_NEW_PASSWORD": OWN},
    )
    assert changed.returncode == 0, changed.stderr
    assert "password changed for e2e_changer_cli; 1 session(s) ended" in changed.stdout
    old = live_app.cli("signin", user.username, env={**signing, "ALPR_TOTP": user.code()})
    assert old.returncode == 3 and "Wrong username or password" in old.stderr
    new = live_app.cli(
        "signin", user.username, env={"ALPR_PASSWORD": OWN, "ALPR_TOTP": user.code()}
    )
    assert new.returncode == 0, new.stderr
