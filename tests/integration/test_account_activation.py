"""An account is activated by a second person (R01): whoever creates an account knows its
first password, and whoever resets its password or second factor knows the new password or
could enrol an authenticator, so until another ALPR Administrator or member of command staff
vouches for its holder it cannot sign in or reach anything. The person who issued its
credentials may not activate it, except the first accounts of an installation where nobody
else was ever activated."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

import pytest
from pyotp import parse_uri
from sqlalchemy import select, text

from alpr.data import schema
from alpr.data.models import AccessRecord, User
from alpr.governance.auth.local import (
    MfaChallenge,
    PasswordChange,
    check_password,
    check_totp,
    choose_password,
)
from alpr.governance.errors import InvalidInput, Refusal, RefusalKind
from alpr.governance.gateway import JustificationInput
from alpr.governance.identity import principal_for
from alpr.governance.investigations import searches
from alpr.governance.principal import Principal
from alpr.governance.runtime import Runtime
from alpr.governance.users import (
    activate_user,
    awaiting_activation,
    change_role,
    create_user,
    disable_user,
    enable_user,
    list_users,
    record_training,
    reset_mfa,
    reset_password,
)
from tests.conftest import TEST_PASSWORD, Clock, TestUser, fresh_code

WHY = JustificationInput(purpose="major_crime_canvass", case_number="26-04711")


def _create(rt: Runtime, admin: TestUser, username: str, role: str = "investigator") -> None:
    create_user(
        rt,
        actor=admin.principal,
        username=username,
        full_name=username.title(),
        role=role,
        agency_name=admin.principal.agency_name,
        password=TEST_PASSWORD,
    )


def _log(rt: Runtime, verb: str) -> list[tuple[str, str, str]]:
    with rt.transaction() as session:
        return [
            (r.outcome, r.username, r.detail or "")
            for r in session.execute(
                select(AccessRecord)
                .where(AccessRecord.event == "user_change", AccessRecord.detail.contains(verb))
                .order_by(AccessRecord.id)
            ).scalars()
        ]


def test_an_account_its_creator_trained_reaches_nothing_until_a_second_person_activates_it(
    rt: Runtime, make_user: Callable[..., TestUser]
) -> None:
    admin = make_user("okafor", "administrator")
    chief = make_user("ellis", "command")
    _create(rt, admin, "mallory")
    record_training(
        rt, actor=admin.principal, username="mallory", course="ALPR", completed_on=date(2026, 6, 1)
    )
    with pytest.raises(Refusal, match="awaits activation") as refused:
        check_password(rt, username="mallory", password=TEST_PASSWORD)
    assert refused.value.kind is RefusalKind.SIGN_IN
    with rt.transaction() as session:
        user = session.execute(select(User).where(User.username == "mallory")).scalar_one()
        held = principal_for(session, user, authenticated_at=rt.now(), client_addr="test")
    with pytest.raises(Refusal, match="awaits activation"):
        searches.plate_search(rt, principal=held, justification=WHY, pattern="7ABC123")

    with pytest.raises(Refusal, match="You created mallory, so a second person activates it"):
        activate_user(rt, actor=admin.principal, username="mallory")
    assert [a.username for a in awaiting_activation(rt, actor=chief.principal)] == ["mallory"]
    activate_user(rt, actor=chief.principal, username="mallory")

    assert isinstance(check_password(rt, username="mallory", password=TEST_PASSWORD), MfaChallenge)
    assert awaiting_activation(rt, actor=chief.principal) == []
    assert [(o, u) for o, u, _ in _log(rt, "activate")] == [
        ("refused", "okafor"),
        ("success", "ellis"),
    ]
    with pytest.raises(InvalidInput, match="active already"):
        activate_user(rt, actor=chief.principal, username="mallory")


def test_who_may_activate(rt: Runtime, make_user: Callable[..., TestUser]) -> None:
    admin = make_user("okafor", "administrator")
    make_user("ellis", "command")
    sergeant = make_user("brooks", "sergeant")
    other_admin = make_user("tanaka", "administrator")
    _create(rt, admin, "mallory")
    with pytest.raises(Refusal) as refused:
        activate_user(rt, actor=sergeant.principal, username="mallory")
    assert refused.value.kind is RefusalKind.PERMISSION
    activate_user(rt, actor=other_admin.principal, username="mallory")
    assert _log(rt, "activate")[-1][:2] == ("success", "tanaka")


def test_the_first_account_is_activated_by_its_creator_when_nobody_else_could(
    rt: Runtime, make_user: Callable[..., TestUser]
) -> None:
    """A new installation has one Administrator and no other account: the first person they
    add (the chief, or a second Administrator) is activated by them, and that is recorded and
    shown; from then on the rule holds."""
    admin = make_user("okafor", "administrator")
    _create(rt, admin, "ellis", role="command")
    activate_user(rt, actor=admin.principal, username="ellis")
    (outcome, username, detail) = _log(rt, "activate")[-1]
    assert (outcome, username) == ("success", "okafor")
    assert "by its creator: no other account of the installation was ever activated" in detail
    shown = {u.username: u for u in list_users(rt, actor=admin.principal)}
    assert shown["ellis"].activated_by_creator and not shown["okafor"].activated_by_creator
    assert shown["ellis"].account_words(rt.settings.tz) == "Active (activated by its creator)"

    _create(rt, admin, "mallory")
    with pytest.raises(Refusal, match="You created mallory") as refused:
        activate_user(rt, actor=admin.principal, username="mallory")
    assert "Nobody else can" not in refused.value.message  # ellis can
    assert {u.username: u for u in list_users(rt, actor=admin.principal)}[
        "mallory"
    ].awaiting_activation


def test_any_account_ever_activated_ends_the_first_accounts_whatever_its_role(
    rt: Runtime, make_user: Callable[..., TestUser]
) -> None:
    """An installation where an investigator was activated is past its first accounts even
    though the investigator may not activate anyone: the administrator is refused their own
    creation and told what would let a second person activate it."""
    admin = make_user("okafor", "administrator")
    make_user("rivera", "investigator")
    _create(rt, admin, "ellis", role="command")
    with pytest.raises(Refusal, match="You created ellis") as refused:
        activate_user(rt, actor=admin.principal, username="ellis")
    assert (
        "Nobody else can activate accounts now: give command staff's role to an active member "
        "of the department (Change role); they then activate it." in refused.value.message
    )
    change_role(rt, actor=admin.principal, username="rivera", role="command")
    with rt.transaction() as session:
        user = session.execute(select(User).where(User.username == "rivera")).scalar_one()
        rivera = principal_for(session, user, authenticated_at=rt.now(), client_addr="test")
    activate_user(rt, actor=rivera, username="ellis")
    assert _log(rt, "activate")[-1][:2] == ("success", "rivera")


@pytest.mark.parametrize("how", ["disable", "change_role"])
def test_an_administrator_who_sidelines_the_commander_does_not_regain_the_first_account_exception(
    rt: Runtime, make_user: Callable[..., TestUser], how: str
) -> None:
    """Disabling or re-roling the only other person who could activate accounts does not make
    the administrator's own creation theirs to activate (it did when the exception asked
    whether anyone else could activate accounts right now)."""
    admin = make_user("okafor", "administrator")
    chief = make_user("ellis", "command")
    if how == "disable":
        disable_user(rt, actor=admin.principal, username="ellis")
    else:
        change_role(rt, actor=admin.principal, username="ellis", role="sergeant")
    _create(rt, admin, "mallory")
    with pytest.raises(Refusal, match="You created mallory, so a second person") as refused:
        activate_user(rt, actor=admin.principal, username="mallory")
    advice = {
        "disable": "Nobody else can activate accounts now: enable ellis; they then activate it.",
        "change_role": "Nobody else can activate accounts now: give command staff's role to an "
        "active member of the department (Change role); they then activate it.",
    }[how]
    assert refused.value.message.endswith(advice)
    assert _log(rt, "activate")[-1][:2] == ("refused", "okafor")
    assert {u.username: u for u in list_users(rt, actor=admin.principal)}[
        "mallory"
    ].awaiting_activation

    if how == "disable":
        enable_user(rt, actor=admin.principal, username="ellis")
        activate_user(rt, actor=chief.principal, username="mallory")
    else:
        change_role(rt, actor=admin.principal, username="ellis", role="command")
        with rt.transaction() as session:
            user = session.execute(select(User).where(User.username == "ellis")).scalar_one()
            again = principal_for(session, user, authenticated_at=rt.now(), client_addr="test")
        activate_user(rt, actor=again, username="mallory")
    assert _log(rt, "activate")[-1][:2] == ("success", "ellis")


RESETS: dict[str, Callable[[Runtime, TestUser], None]] = {
    "password": lambda rt, admin: reset_password(
        rt, actor=admin.principal, username="rivera", password=NEW_PASSWORD
    ),
    "second factor": lambda rt, admin: reset_mfa(rt, actor=admin.principal, username="rivera"),
}
NEW_PASSWORD = "Brand-New-Passphrase-9"


@pytest.mark.parametrize(
    "reset", [("password",), ("second factor",), ("password", "second factor")]
)
def test_a_reset_puts_the_account_back_to_awaiting_a_second_person(
    rt: Runtime, make_user: Callable[..., TestUser], clock: Clock, reset: tuple[str, ...]
) -> None:
    """CJIS: an administrator who sets a password knows it, and one who clears the second
    factor lets the next sign-in enrol an authenticator: one who did both could sign in as
    the person. After a reset the account signs in and reaches nothing until a second person
    activates it again; the administrator who reset it may not."""
    admin = make_user("okafor", "administrator")
    chief = make_user("ellis", "command")
    holder = make_user("rivera", "investigator")
    clock.advance(hours=2)
    for what in reset:
        RESETS[what](rt, admin)
    what = " and ".join(reset)
    password = NEW_PASSWORD if "password" in reset else TEST_PASSWORD

    with pytest.raises(Refusal, match="awaits activation") as refused:
        check_password(rt, username="rivera", password=password)
    assert refused.value.kind is RefusalKind.SIGN_IN
    with pytest.raises(Refusal, match="awaits activation"):
        searches.plate_search(rt, principal=holder.principal, justification=WHY, pattern="7ABC123")
    shown = {u.username: u for u in list_users(rt, actor=admin.principal)}["rivera"]
    assert (
        shown.account_words(rt.settings.tz)
        == "Awaiting activation: reset by okafor, 2026-11-20 12:00"
    )
    [waiting] = awaiting_activation(rt, actor=chief.principal)
    assert (waiting.username, waiting.credentials_reset, waiting.credentials_reset_by) == (
        "rivera",
        what,
        "okafor",
    )
    assert waiting.credentials_reset_at == clock.now

    with pytest.raises(Refusal) as refused:
        activate_user(rt, actor=admin.principal, username="rivera")
    confirms = {
        "password": "the new password reached them alone",
        "second factor": "they alone enrol its new authenticator at their next sign-in",
    }
    assert refused.value.message == (
        f"You reset rivera's {what}, so a second person activates it again: another ALPR "
        "Administrator or a member of command staff, who confirms rivera is Rivera's: "
        + ", and ".join(confirms[r] for r in reset)
        + "."
    )
    code = activate_user(rt, actor=chief.principal, username="rivera")
    assert (code is not None) is ("password" in reset)

    step = check_password(rt, username="rivera", password=password)
    assert isinstance(step, MfaChallenge)
    assert step.needs_enrolment is ("second factor" in reset)
    secret = (
        parse_uri(step.provisioning_uri).secret  # type: ignore[arg-type]
        if step.needs_enrolment
        else holder.totp_secret
    )
    signed = check_totp(rt, challenge=step, code=fresh_code(secret))
    if "password" in reset:
        assert isinstance(signed, PasswordChange)
        signed = choose_password(
            rt, change=signed, password="Chose-This-Herself-2026", activation_code=code
        )
    assert isinstance(signed, Principal)
    assert signed.username == "rivera"
    resets = [d for o, u, d in _log(rt, "reset_") if o == "success" and u == "okafor"]
    assert len(resets) == len(reset)
    assert all(
        d.startswith("reset_") and "it awaits activation by a second person" in d for d in resets
    )
    assert [(o, u, d) for o, u, d in _log(rt, "activate")] == [
        ("refused", "okafor", f"activate user rivera: rule: {refused.value.message}"),
        (
            "success",
            "ellis",
            f"activated rivera again after its {what} reset by okafor"
            + ("; activation code given for its first sign-in" if code else ""),
        ),
    ]


def test_the_commander_whose_password_the_only_administrator_reset_is_not_theirs_to_activate(
    rt: Runtime, make_user: Callable[..., TestUser]
) -> None:
    """The takeover the first-account exception must not allow: the only administrator resets
    the only commander's password, and nobody but them could activate anyone now."""
    admin = make_user("okafor", "administrator")
    make_user("ellis", "command")
    reset_password(rt, actor=admin.principal, username="ellis", password=NEW_PASSWORD)
    with pytest.raises(Refusal, match="You reset ellis's password, so a second person") as refused:
        activate_user(rt, actor=admin.principal, username="ellis")
    assert refused.value.message.endswith(
        "Nobody else can activate accounts now, and no other account is active to be given "
        "command staff's role."
    )
    with pytest.raises(Refusal, match="awaits activation"):
        check_password(rt, username="ellis", password=NEW_PASSWORD)


def test_who_may_reset_credentials(rt: Runtime, make_user: Callable[..., TestUser]) -> None:
    """Nobody resets their own; and while an account awaits activation after one person
    issued its credentials, a second administrator does not reset the rest of them (one knows
    the password, the other would let anyone who knows it enrol an authenticator: the first
    could then activate it)."""
    admin = make_user("okafor", "administrator")
    other = make_user("tanaka", "administrator")
    chief = make_user("ellis", "command")
    make_user("rivera", "investigator")
    with pytest.raises(Refusal, match="Nobody resets their own second factor"):
        reset_mfa(rt, actor=admin.principal, username="okafor")
    reset_password(rt, actor=admin.principal, username="rivera", password=NEW_PASSWORD)
    with pytest.raises(Refusal, match="rivera awaits activation after okafor reset its password"):
        reset_mfa(rt, actor=other.principal, username="rivera")
    reset_mfa(rt, actor=admin.principal, username="rivera")  # okafor may reset the rest
    with pytest.raises(Refusal, match="You reset rivera's password and second factor"):
        activate_user(rt, actor=admin.principal, username="rivera")
    activate_user(rt, actor=other.principal, username="rivera")
    reset_mfa(rt, actor=other.principal, username="rivera")
    with pytest.raises(Refusal, match="You reset rivera's second factor, so"):
        activate_user(rt, actor=other.principal, username="rivera")
    activate_user(rt, actor=chief.principal, username="rivera")
    with rt.transaction() as session:
        assert (
            session.execute(select(User.activated_at).where(User.username == "okafor")).scalar_one()
            is not None
        )


def test_an_installation_with_accounts_upgrades_and_they_keep_who_issued_their_credentials(
    rt: Runtime, make_user: Callable[..., TestUser]
) -> None:
    """Migrations 0018 and 0019 on a database that has accounts, which the tables of training,
    sessions and the rest reference (SQLite refused 0018's copy of the users table then):
    accounts that existed count as activated when they were created, their credentials as
    issued by their creator then; so the creator of an account still awaiting activation is
    refused it once anyone else was ever activated."""
    admin = make_user("okafor", "administrator")
    chief = make_user("ellis", "command")
    _create(rt, admin, "mallory")
    _create(rt, admin, "rivera")
    activate_user(rt, actor=chief.principal, username="rivera")
    schema.downgrade(rt.engine, "0018")  # 0019 is undone with the accounts in place
    with rt.engine.begin() as conn:  # an account of 0018 awaiting activation
        conn.execute(text("UPDATE users SET activated_at = NULL WHERE username = 'mallory'"))
    schema.upgrade(rt.engine)
    with rt.transaction() as session:
        created = {
            u.username: u
            for u in session.execute(select(User).where(User.created_by_id.is_not(None))).scalars()
        }
        assert {name: u.credentials_issued_by_id for name, u in created.items()} == {
            "mallory": admin.principal.user_id,
            "rivera": admin.principal.user_id,
        }
        assert all(u.credentials_issued_at == u.created_at for u in created.values())
        assert all(u.credentials_reset is None for u in created.values())
        assert created["rivera"].first_activated_at == created["rivera"].activated_at
        assert created["rivera"].activated_at is not None
        assert created["mallory"].first_activated_at is None
    with pytest.raises(Refusal, match="You created mallory"):
        activate_user(rt, actor=admin.principal, username="mallory")

    schema.downgrade(rt.engine, "0017")  # and 0018 with them, then both again
    assert schema.upgrade(rt.engine) == ("0017", schema.head_revision())
    with rt.transaction() as session:
        assert (
            session.execute(
                select(User.credentials_issued_by_id).where(User.username == "rivera")
            ).scalar_one()
            is None
        )  # 0017 did not know who created an account
