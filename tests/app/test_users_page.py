"""R01, R03: the administrator reads each account's standing in words (active, locked or
disabled; second factor; training current until when, lapsed, or none), not as a grid of
ticks."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date

from sqlalchemy import select, update
from streamlit.testing.v1 import AppTest

from alpr.data.models import User
from alpr.governance.auth import activation_codes
from alpr.governance.runtime import Runtime
from tests.conftest import TestUser


def test_accounts_are_described_in_words(
    app_env: Runtime, make_user: Callable[..., TestUser], app_as: Callable[..., AppTest]
) -> None:
    admin = make_user("okafor", "administrator")
    make_user("alvarez", "investigator")
    make_user("chen", "patrol", trained_on=None, mfa_enrolled=False)
    make_user("brooks", "sergeant", trained_on=date(2020, 1, 6))
    with app_env.transaction() as session:
        session.execute(update(User).where(User.username == "brooks").values(is_trainer=True))
    at = app_as(admin, "app_pages/users.py")
    assert not at.exception
    rows = at.table[0].value.set_index("Username")
    assert rows.loc["alvarez", "Training"] == "Current until 2027-06-01"
    assert rows.loc["alvarez", "Account"] == "Active"
    assert rows.loc["chen", "Training"] == "None on record: no ALPR data"
    assert rows.loc["chen", "Credentials"] == "Own password, second factor not enrolled yet"
    assert rows.loc["brooks", "Training"] == "Lapsed on 2021-01-05: no ALPR data"
    assert rows.loc["brooks", "Role"] == "Sergeant · designated trainer"
    assert not at.dataframe  # a table that wraps: no column runs off a laptop's screen


def test_a_job_title_is_read_beside_the_name(
    app_env: Runtime, make_user: Callable[..., TestUser], app_as: Callable[..., AppTest]
) -> None:
    """The table keeps to the columns a laptop's screen holds whole: the job title goes with
    the name, not in a seventh column past the page's edge."""
    admin = make_user("okafor", "administrator")
    make_user("alvarez", "investigator")
    with app_env.transaction() as session:
        session.execute(
            update(User).where(User.username == "alvarez").values(title="Detective, Robbery")
        )
    at = app_as(admin, "app_pages/users.py")
    rows = at.table[0].value.set_index("Username")
    assert list(rows.columns) == ["Name", "Role", "Training", "Account", "Credentials"]
    assert rows.loc["alvarez", "Name"] == "Alvarez · Detective, Robbery"


def test_command_staff_are_told_what_waits_for_them_here(
    make_user: Callable[..., TestUser], app_as: Callable[..., AppTest]
) -> None:
    at = app_as(make_user("ellis", "command"), "app_pages/users.py")
    [empty] = [c.value for c in at.caption if c.value.startswith("No account is waiting")]
    assert "waits here for a second person" in empty


def test_an_account_action_names_its_account_and_action_first(
    app_env: Runtime, make_user: Callable[..., TestUser], app_as: Callable[..., AppTest]
) -> None:
    """Nothing is chosen for the administrator: Apply without an account and an action says so
    and changes nothing (the form once opened on the administrator's own account, 'Unlock'
    selected). Choosing them in a browser is in e2e/test_desk_e2e.py."""
    admin = make_user("okafor", "administrator")
    make_user("alvarez", "investigator")
    at = app_as(admin, "app_pages/users.py")
    [user_box] = [s for s in at.selectbox if s.label == "User"]
    [action] = [r for r in at.radio if r.label == "Action"]
    assert user_box.value is None and action.value is None
    at.button[[b.label for b in at.button].index("Apply")].click().run()
    assert any("choose the account" in e.value for e in at.error)
    with app_env.transaction() as session:
        assert (
            session.execute(select(User.disabled_at).where(User.disabled_at.is_not(None))).first()
            is None
        )


def test_command_staff_activate_the_accounts_an_administrator_created(
    app_env: Runtime, make_user: Callable[..., TestUser], app_as: Callable[..., AppTest]
) -> None:
    """R01: a new account waits under 'Awaiting activation' with who created it; the
    commander, who sees nothing else of the page, activates it; the administrator who created
    it is refused."""
    admin = make_user("okafor", "administrator")
    chief = make_user("ellis", "command")
    at = app_as(admin, "app_pages/users.py")
    form = {t.label: t for t in at.text_input}
    form["Username"].input("mallory")
    form["Full name"].input("Mallory Reyes")
    form["Initial password (12+ characters)"].input("Quiet-Harbor-Lantern-71")
    at.button[[b.label for b in at.button].index("Create user")].click().run()
    assert not at.exception and not at.error
    assert any(
        s.value.startswith("Created the account of Mallory Reyes (mallory).") for s in at.success
    )
    at = app_as(admin, "app_pages/users.py")
    rows = at.table[0].value.set_index("Username")
    assert rows.loc["mallory", "Account"] == "Awaiting activation"
    [waiting] = [s for s in at.selectbox if s.label == "Account to activate"]
    waiting.select("mallory")
    at.button[[b.label for b in at.button].index("Activate")].click().run()
    assert any("You created mallory" in e.value for e in at.error)

    at = app_as(chief, "app_pages/users.py")
    assert not at.exception
    assert [s.value for s in at.subheader] == ["Awaiting activation"]
    [listed] = at.table
    assert listed.value.set_index("Username").loc["mallory", "Created by"] == "okafor"
    [waiting] = [s for s in at.selectbox if s.label == "Account to activate"]
    waiting.select("mallory")
    at.button[[b.label for b in at.button].index("Activate")].click().run()
    assert not at.error
    [shown] = [s.value for s in at.success if "Activation code" in s.value]
    assert shown.startswith("Activated Mallory Reyes (mallory): recorded in the access log.")
    code = re.search(r"\*\*([A-Z0-9]{5}-[A-Z0-9]{5})\*\*", shown)
    assert code is not None and "in person" in shown
    with app_env.transaction() as session:
        activated_by, code_hash = session.execute(
            select(User.activated_by_id, User.activation_code_hash).where(
                User.username == "mallory"
            )
        ).one()
    assert activated_by == chief.principal.user_id
    assert code_hash is not None and activation_codes.matches(code.group(1), code_hash)


def test_a_reset_second_factor_waits_for_command_staff_under_awaiting_activation(
    app_env: Runtime, make_user: Callable[..., TestUser], app_as: Callable[..., AppTest]
) -> None:
    """R01: the administrator resets an account's second factor on the page; the account reads
    'Awaiting activation' with who reset what and when, the administrator's own activation is
    refused, and the commander sees it under 'Awaiting activation' and activates it."""
    admin = make_user("okafor", "administrator")
    chief = make_user("ellis", "command")
    make_user("rivera", "investigator")
    at = app_as(admin, "app_pages/users.py")
    [user_box] = [s for s in at.selectbox if s.label == "User"]
    user_box.select("rivera")
    [action] = [r for r in at.radio if r.label == "Action"]
    action.set_value("Reset second factor")
    at.button[[b.label for b in at.button].index("Apply")].click().run()
    assert not at.exception and not at.error
    assert any("awaits activation by a second person" in s.value for s in at.success)

    with app_env.transaction() as session:
        reset_at = session.execute(
            select(User.credentials_issued_at).where(User.username == "rivera")
        ).scalar_one()
    assert reset_at is not None
    when = f"{reset_at.astimezone(app_env.settings.tz):%Y-%m-%d %H:%M}"
    at = app_as(admin, "app_pages/users.py")
    rows = at.table[0].value.set_index("Username")
    assert rows.loc["rivera", "Account"] == f"Awaiting activation: reset by okafor, {when}"
    [waiting] = [s for s in at.selectbox if s.label == "Account to activate"]
    waiting.select("rivera")
    at.button[[b.label for b in at.button].index("Activate")].click().run()
    assert any("You reset rivera's second factor" in e.value for e in at.error)

    at = app_as(chief, "app_pages/users.py")
    [listed] = at.table
    row = listed.value.set_index("Username").loc["rivera"]
    assert row["Credentials reset"] == f"Second factor reset by okafor, {when}"
    [waiting] = [s for s in at.selectbox if s.label == "Account to activate"]
    waiting.select("rivera")
    at.button[[b.label for b in at.button].index("Activate")].click().run()
    assert not at.error
    with app_env.transaction() as session:
        activated_by = session.execute(
            select(User.activated_by_id).where(User.username == "rivera")
        ).scalar_one()
    assert activated_by == chief.principal.user_id


def test_a_password_reset_on_the_page_is_temporary_and_waits_for_a_second_person(
    app_env: Runtime, make_user: Callable[..., TestUser], app_as: Callable[..., AppTest]
) -> None:
    """R01: the administrator gives a temporary password on the page (a weak one is refused
    and nothing changes); the account awaits a second person and reads 'temporary password'
    until its holder chooses their own."""
    admin = make_user("okafor", "administrator")
    make_user("rivera", "investigator")

    def reset(password: str) -> AppTest:
        at = app_as(admin, "app_pages/users.py")
        [user_box] = [s for s in at.selectbox if s.label == "User"]
        user_box.select("rivera")
        [action] = [r for r in at.radio if r.label == "Action"]
        action.set_value("Reset password").run()
        [given] = [t for t in at.text_input if t.label == "Temporary password"]
        given.input(password)
        return at.button[[b.label for b in at.button].index("Apply")].click().run()

    at = reset("short-1")
    assert any("at least" in e.value for e in at.error)
    with app_env.transaction() as session:
        user = session.execute(select(User).where(User.username == "rivera")).scalar_one()
        assert (user.password_temporary, user.activated_at is not None) == (False, True)

    at = reset("Handed-Over-Passphrase-4")
    assert not at.exception and not at.error
    [done] = [s.value for s in at.success if "replace it with their own at sign-in" in s.value]
    assert done.startswith("Reset password: Rivera (rivera) — recorded in the access log.")
    rows = app_as(admin, "app_pages/users.py").table[0].value.set_index("Username")
    assert rows.loc["rivera", "Credentials"] == "Temporary password, second factor enrolled"
    assert rows.loc["rivera", "Account"].startswith("Awaiting activation: reset by okafor")


def test_an_account_is_chosen_by_name_and_asked_only_what_its_action_needs(
    make_user: Callable[..., TestUser], app_as: Callable[..., AppTest]
) -> None:
    """The administrator picks the holder by name, and the form asks for a role only to change
    one, a temporary password only to reset one (both were always shown, marked 'only for')."""
    make_user("alvarez", "investigator")
    at = app_as(make_user("okafor", "administrator"), "app_pages/users.py")
    [user_box] = [s for s in at.selectbox if s.label == "User"]
    assert "Alvarez (alvarez)" in user_box.options
    labels = {w.label for w in [*at.selectbox, *at.text_input]}
    assert "New role" not in labels and "Temporary password" not in labels
    [action] = [r for r in at.radio if r.label == "Action"]
    assert "Reset second factor" in action.options and "Reset MFA" not in action.options
    action.set_value("Change role").run()
    assert "New role" in [s.label for s in at.selectbox]
    assert "Temporary password" not in [t.label for t in at.text_input]
    [action] = [r for r in at.radio if r.label == "Action"]
    action.set_value("Reset password").run()
    assert "Temporary password" in [t.label for t in at.text_input]
    assert "New role" not in [s.label for s in at.selectbox]
