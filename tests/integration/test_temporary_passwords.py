"""A password an ALPR Administrator sets is temporary (R01: an individual employee's unique
login): whoever created the account or reset its password knows it, so once password and code
are right the owner chooses their own before any session opens, and the temporary one stops
working. The command line asks for it too (ALPR_NEW_PASSWORD or its prompt)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import pytest
from pyotp import parse_uri
from sqlalchemy import select

from alpr.data.models import User
from alpr.governance.auth.local import (
    MfaChallenge,
    PasswordChange,
    check_password,
    check_totp,
    choose_password,
    sign_in,
)
from alpr.governance.errors import InvalidInput, Refusal, RefusalKind
from alpr.governance.principal import Principal
from alpr.governance.runtime import Runtime
from alpr.governance.users import (
    activate_user,
    create_user,
    disable_user,
    list_users,
    reset_password,
)
from tests.conftest import Clock, TestUser, fresh_code
from tests.integration.builders import access_details

GIVEN = "Handed-Over-Passphrase-4"
OWN = "Only-The-Owner-Knows-7"


@dataclass(frozen=True)
class Reset:
    """An administrator, and the holder whose password that administrator reset to GIVEN and
    command staff then activated again."""

    admin: TestUser
    holder: TestUser
    code: str


@pytest.fixture
def reset(rt: Runtime, make_user: Callable[..., TestUser]) -> Reset:
    admin = make_user("okafor", "administrator")
    chief = make_user("ellis", "command")
    holder = make_user("rivera", "investigator")
    reset_password(rt, actor=admin.principal, username="rivera", password=GIVEN)
    code = activate_user(rt, actor=chief.principal, username="rivera")
    assert code is not None
    return Reset(admin, holder, code)


def _after_code(rt: Runtime, holder: TestUser, password: str) -> Principal | PasswordChange:
    step = check_password(rt, username="rivera", password=password)
    assert isinstance(step, MfaChallenge)
    return check_totp(rt, challenge=step, code=fresh_code(holder.totp_secret))


def test_the_owner_replaces_a_reset_password_before_any_session_opens(
    rt: Runtime, reset: Reset
) -> None:
    admin, holder = reset.admin, reset.holder
    shown = {u.username: u for u in list_users(rt, actor=admin.principal)}["rivera"]
    assert shown.credentials_words() == "temporary password, second factor enrolled"

    change = _after_code(rt, holder, GIVEN)
    assert change == PasswordChange(
        user_id=holder.principal.user_id, username="rivera", proven_at=rt.now(), needs_code=True
    )
    assert [e for e, o, _ in access_details(rt, "rivera") if o == "success"] == []

    for refused, why in [
        (GIVEN, "other than the one you were given"),
        ("short-1", "at least"),
        ("Rivera-Password-2026", "must not contain the username"),
    ]:
        with pytest.raises(InvalidInput, match=why):
            choose_password(rt, change=change, password=refused, activation_code=reset.code)
    signed = choose_password(
        rt, change=change, password=OWN, activation_code=reset.code, client_addr="10.0.0.7"
    )
    assert (signed.username, signed.client_addr) == ("rivera", "10.0.0.7")
    assert access_details(rt, "rivera")[-2:] == [
        ("user_change", "success", "rivera chose their own password in place of a temporary one"),
        ("sign_in", "success", "local password + TOTP"),
    ]

    with pytest.raises(Refusal, match="Wrong username or password"):
        check_password(rt, username="rivera", password=GIVEN)
    assert isinstance(_after_code(rt, holder, OWN), Principal)
    with pytest.raises(Refusal, match="Sign in again"):
        choose_password(
            rt, change=change, password="Another-Own-Passphrase-5", activation_code=reset.code
        )
    shown = {u.username: u for u in list_users(rt, actor=admin.principal)}["rivera"]
    assert shown.credentials_words() == "own password, second factor enrolled"


def test_an_account_disabled_meanwhile_chooses_nothing(rt: Runtime, reset: Reset) -> None:
    admin, holder = reset.admin, reset.holder
    change = _after_code(rt, holder, GIVEN)
    assert isinstance(change, PasswordChange)
    disable_user(rt, actor=admin.principal, username="rivera")
    with pytest.raises(Refusal, match="disabled") as refused:
        choose_password(rt, change=change, password=OWN, activation_code=reset.code)
    assert refused.value.kind is RefusalKind.SIGN_IN
    with rt.transaction() as session:
        user = session.execute(select(User).where(User.username == "rivera")).scalar_one()
        assert user.password_temporary


def test_a_new_account_an_administrator_made_has_a_temporary_password(
    rt: Runtime, make_user: Callable[..., TestUser]
) -> None:
    admin = make_user("okafor", "administrator")
    chief = make_user("ellis", "command")
    made = create_user(
        rt,
        actor=admin.principal,
        username="rivera",
        full_name="Dana Rivera",
        role="investigator",
        agency_name=admin.principal.agency_name,
        password=GIVEN,
    )
    activate_user(rt, actor=chief.principal, username="rivera")
    secret = parse_uri(made.provisioning_uri).secret
    step = check_password(rt, username="rivera", password=GIVEN)
    assert isinstance(step, MfaChallenge)
    assert isinstance(check_totp(rt, challenge=step, code=fresh_code(secret)), PasswordChange)


def test_the_command_line_sign_in_asks_for_the_owners_own_password(
    rt: Runtime, reset: Reset
) -> None:
    holder = reset.holder
    with pytest.raises(Refusal, match="set by an ALPR Administrator") as refused:
        sign_in(
            rt,
            username="rivera",
            password=GIVEN,
            code=fresh_code(holder.totp_secret),
            new_password=lambda: None,
            activation_code=lambda: reset.code,
        )
    assert "ALPR_NEW_PASSWORD" in refused.value.message
    signed = sign_in(
        rt,
        username="rivera",
        password=GIVEN,
        code=fresh_code(holder.totp_secret),
        new_password=lambda: OWN,
        activation_code=lambda: reset.code,
    )
    assert signed.username == "rivera"
    # The owner's password is the one now asked (the code step follows, as for anyone).
    assert isinstance(check_password(rt, username="rivera", password=OWN), MfaChallenge)


def test_a_sign_in_left_waiting_for_the_new_password_ends_at_the_idle_limit(
    rt: Runtime, reset: Reset, clock: Clock
) -> None:
    """Password and code proven, then the screen left: after the policy's idle limit (30
    minutes) whoever comes to it cannot set the password; the owner signs in again."""
    holder = reset.holder
    change = _after_code(rt, holder, GIVEN)
    assert isinstance(change, PasswordChange)
    clock.advance(minutes=31)
    with pytest.raises(Refusal, match="waited more than 30 minutes") as refused:
        choose_password(rt, change=change, password=OWN, activation_code=reset.code)
    assert refused.value.kind is RefusalKind.SIGN_IN
    again = _after_code(rt, holder, GIVEN)
    assert isinstance(again, PasswordChange)
    signed = choose_password(rt, change=again, password=OWN, activation_code=reset.code)
    assert signed.username == "rivera"


def test_whoever_set_the_password_cannot_finish_the_first_sign_in_without_the_activators_code(
    rt: Runtime, make_user: Callable[..., TestUser]
) -> None:
    """R01, R04: the administrator who creates an account knows its temporary password and its
    authenticator's key; once command staff has activated it, the administrator still cannot
    sign in as its holder: the first sign-in needs the code only the activator was given. Each
    missing or wrong code is a failed sign-in towards the lockout."""
    admin = make_user("okafor", "administrator")
    chief = make_user("ellis", "command")
    made = create_user(
        rt,
        actor=admin.principal,
        username="newdet",
        full_name="Noor Hassan",
        role="investigator",
        agency_name=admin.principal.agency_name,
        password=GIVEN,
    )
    code = activate_user(rt, actor=chief.principal, username="newdet")
    assert code is not None and len(code) == 11 and code[5] == "-"
    secret = parse_uri(made.provisioning_uri).secret

    def proven() -> PasswordChange:
        step = check_password(rt, username="newdet", password=GIVEN)
        assert isinstance(step, MfaChallenge)
        change = check_totp(rt, challenge=step, code=fresh_code(secret))
        assert isinstance(change, PasswordChange) and change.needs_code
        return change

    change = proven()
    for guess in (None, "AAAAA-AAAAA"):
        with pytest.raises(Refusal, match="not the activation code") as refused:
            choose_password(rt, change=change, password=OWN, activation_code=guess)
        assert refused.value.kind is RefusalKind.SIGN_IN
    with rt.transaction() as session:
        user = session.execute(select(User).where(User.username == "newdet")).scalar_one()
        assert user.password_temporary and user.locked_at is None
    assert [d for e, o, d in access_details(rt, "newdet") if o != "success"][-2:] == [
        "activation code failed: the activation code was missing or wrong"
    ] * 2

    signed = choose_password(
        rt, change=change, password=OWN, activation_code=code.lower().replace("-", " ")
    )
    assert signed.username == "newdet"
    step = check_password(rt, username="newdet", password=OWN)
    assert isinstance(step, MfaChallenge)
    assert isinstance(check_totp(rt, challenge=step, code=fresh_code(secret)), Principal)


def test_guessing_the_activation_code_locks_the_account(rt: Runtime, reset: Reset) -> None:
    """R01: the code is ten characters of 22, and the policy's lockout ends the guessing."""
    with rt.transaction() as session:
        attempts = rt.policy(session).lockout_attempts
    # The step after a right password and code, as the sign-in hands it over.
    change = PasswordChange(
        user_id=reset.holder.principal.user_id,
        username="rivera",
        proven_at=rt.now(),
        needs_code=True,
    )
    for _ in range(attempts):
        with pytest.raises(Refusal):
            choose_password(rt, change=change, password=OWN, activation_code="WRONG-GUESS")
    with rt.transaction() as session:
        user = session.execute(select(User).where(User.username == "rivera")).scalar_one()
        assert user.locked_at is not None and user.password_temporary
