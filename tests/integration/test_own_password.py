"""A signed-in person changes their own password (R01, CJIS): they give the current one again,
and a wrong one is a failed sign-in that counts towards the lockout, so a session left open
does not let a passer-by guess it; the new one follows the password rules; once it is changed
every session of the account ends, and only the new password signs in."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from sqlalchemy import select, update

from alpr.data.models import SignInAttempt, User
from alpr.governance.auth.local import NOW_LOCKED, change_password, check_password
from alpr.governance.auth.sessions import (
    BROWSER,
    SessionEnded,
    open_session,
    resume_session,
    terminal,
)
from alpr.governance.errors import InvalidInput, Refusal, RefusalKind
from alpr.governance.policy import policy_in_force
from alpr.governance.runtime import Runtime
from tests.conftest import TestUser
from tests.integration.builders import access_details

NEW = "Only-The-Owner-Knows-7"


def test_the_owner_changes_their_password_and_every_session_ends(
    rt: Runtime, make_user: Callable[..., TestUser]
) -> None:
    holder = make_user("rivera", "investigator")
    holders = (BROWSER, terminal("4242-1"))
    tokens = [open_session(rt, principal=holder.principal, holder=where) for where in holders]
    for refused, why in [
        ("short-1", "at least"),
        ("Rivera-Password-2026", "must not contain the username"),
        (holder.password, "the one you have now"),
    ]:
        with pytest.raises(InvalidInput, match=why):
            change_password(rt, principal=holder.principal, current=holder.password, new=refused)
    assert resume_session(rt, token=tokens[0], holder=BROWSER).username == "rivera"

    ended = change_password(
        rt, principal=holder.principal, current=holder.password, new=NEW, client_addr="10.0.0.7"
    )
    assert ended == 2
    for token, where in zip(tokens, holders, strict=True):
        with pytest.raises(SessionEnded, match="Your password was changed"):
            resume_session(rt, token=token, holder=where)
    with pytest.raises(Refusal, match="Wrong username or password"):
        check_password(rt, username="rivera", password=holder.password)
    check_password(rt, username="rivera", password=NEW)
    changed = ("user_change", "success", "rivera changed their own password")
    assert changed in access_details(rt, "rivera")


def test_a_wrong_current_password_is_a_failed_sign_in_up_to_the_lockout(
    rt: Runtime, make_user: Callable[..., TestUser]
) -> None:
    holder = make_user("rivera", "investigator")
    token = open_session(rt, principal=holder.principal, holder=BROWSER)
    allowed = policy_in_force(rt).lockout_attempts
    for _ in range(allowed - 1):
        with pytest.raises(Refusal, match="not your current password") as refused:
            change_password(rt, principal=holder.principal, current="Guessing-Away-123", new=NEW)
        assert refused.value.kind is RefusalKind.SIGN_IN
    with pytest.raises(Refusal) as refused:
        change_password(rt, principal=holder.principal, current="Guessing-Away-123", new=NEW)
    assert refused.value.message == NOW_LOCKED
    with rt.transaction() as session:
        stages = session.execute(
            select(SignInAttempt.stage, SignInAttempt.success).where(
                SignInAttempt.username == "rivera"
            )
        ).all()
        user = session.execute(select(User).where(User.username == "rivera")).scalar_one()
        assert user.locked_at is not None
    assert stages == [("password change", False)] * allowed
    with pytest.raises(SessionEnded, match="locked"):
        resume_session(rt, token=token, holder=BROWSER)
    failures = [d for e, o, d in access_details(rt, "rivera") if e == "sign_in" and o == "failure"]
    assert failures == ["password change failed: the current password given was wrong"] * allowed
    with pytest.raises(Refusal):
        change_password(rt, principal=holder.principal, current=holder.password, new=NEW)
    with pytest.raises(Refusal, match="Wrong username or password"):
        check_password(rt, username="rivera", password=NEW)


def test_a_single_sign_on_account_changes_its_password_at_the_agency(
    rt: Runtime, make_user: Callable[..., TestUser]
) -> None:
    holder = make_user("rivera", "investigator")
    with rt.transaction() as session:
        session.execute(
            update(User)
            .where(User.username == "rivera")
            .values(password_hash=None, oidc_subject="agency|rivera")
        )
    with pytest.raises(Refusal, match="single sign-on") as refused:
        change_password(rt, principal=holder.principal, current="anything-at-all", new=NEW)
    assert refused.value.kind is RefusalKind.RULE
    with rt.transaction() as session:
        assert session.execute(select(SignInAttempt)).first() is None
