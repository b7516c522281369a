"""Sign-in (R01, CJIS): password then TOTP, lockout after the 5th failure within 15 minutes
until an administrator unlocks it, and every attempt in the access log."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from sqlalchemy import select

from alpr.data.models import AccessRecord
from alpr.governance.auth.local import (
    MfaChallenge,
    check_password,
    check_totp,
    password_failure,
    sign_in,
)
from alpr.governance.errors import InvalidInput, Refusal, RefusalKind
from alpr.governance.policy import policy_in_force
from alpr.governance.principal import Principal
from alpr.governance.runtime import Runtime
from alpr.governance.users import unlock_user
from tests.conftest import Clock, TestUser


def _events(rt: Runtime) -> list[tuple[str, str, str]]:
    with rt.transaction() as session:
        rows = session.execute(
            select(AccessRecord.event, AccessRecord.outcome, AccessRecord.username).order_by(
                AccessRecord.id
            )
        )
        return [tuple(r) for r in rows]  # type: ignore[misc]


def test_password_then_totp_signs_in_and_is_logged(
    rt: Runtime, make_user: Callable[..., TestUser]
) -> None:
    user = make_user("rivera", "investigator")
    step = check_password(rt, username="Rivera", password=user.password)
    assert isinstance(step, MfaChallenge) and not step.needs_enrolment
    principal = check_totp(rt, challenge=step, code=user.code())
    assert isinstance(principal, Principal) and principal.username == "rivera"
    assert ("sign_in", "success", "rivera") in _events(rt)


def test_first_sign_in_enrols_totp_with_a_provisioning_uri(
    rt: Runtime, make_user: Callable[..., TestUser]
) -> None:
    user = make_user("newbie", "patrol", mfa_enrolled=False)
    step = check_password(rt, username="newbie", password=user.password)
    assert isinstance(step, MfaChallenge) and step.needs_enrolment
    assert step.provisioning_uri and step.provisioning_uri.startswith("otpauth://totp/")


def _refused(rt: Runtime, username: str, password: str) -> str:
    with pytest.raises(Refusal) as exc:
        check_password(rt, username=username, password=password)
    assert exc.value.kind is RefusalKind.SIGN_IN
    return exc.value.message


def test_unknown_user_and_wrong_password_give_the_same_answer(
    rt: Runtime, make_user: Callable[..., TestUser]
) -> None:
    """R01: an unknown name, a wrong password, the failure that locks the account and even the
    right password of the locked account get one answer, which states the lockout rule without
    saying whether the account exists."""
    user = make_user("rivera", "investigator")
    answers = [_refused(rt, "nobody", "Wrong-Password-000")]
    answers += [_refused(rt, "rivera", "Wrong-Password-000") for _ in range(5)]
    answers.append(_refused(rt, "rivera", user.password))
    assert set(answers) == {password_failure(policy_in_force(rt))}
    assert answers[0] == (
        "Wrong username or password. After 5 failed sign-ins within 15 minutes an account is "
        "locked until an ALPR Administrator unlocks it."
    )
    assert ("sign_in", "failure", "nobody") in _events(rt)
    assert ("lockout", "success", "rivera") in _events(rt)


def test_fifth_failure_within_window_locks_until_admin_unlocks(
    rt: Runtime, make_user: Callable[..., TestUser], clock: Clock
) -> None:
    user = make_user("rivera", "investigator")
    admin = make_user("boss", "administrator")
    patrol = make_user("ofc", "patrol")
    for _ in range(4):
        with pytest.raises(Refusal):
            check_password(rt, username="rivera", password="Wrong-Password-000")
        clock.advance(minutes=2)
    assert isinstance(check_password(rt, username="rivera", password=user.password), MfaChallenge)
    assert ("lockout", "success", "rivera") not in _events(rt)
    assert _refused(rt, "rivera", "Wrong-Password-000") == password_failure(policy_in_force(rt))
    assert ("lockout", "success", "rivera") in _events(rt)
    clock.advance(hours=3)
    assert _refused(rt, "rivera", user.password) == password_failure(policy_in_force(rt))
    with pytest.raises(Refusal) as denied:
        unlock_user(rt, actor=patrol.principal, username="rivera")
    assert denied.value.kind is RefusalKind.PERMISSION
    unlock_user(rt, actor=admin.principal, username="rivera")
    assert ("unlock", "success", "boss") in _events(rt)
    assert (
        sign_in(rt, username="rivera", password=user.password, code=user.code()).username
        == "rivera"
    )
    with pytest.raises(InvalidInput, match="not locked"):
        unlock_user(rt, actor=admin.principal, username="rivera")


def test_failures_spread_beyond_the_window_do_not_lock(
    rt: Runtime, make_user: Callable[..., TestUser], clock: Clock
) -> None:
    user = make_user("rivera", "investigator")
    for _ in range(6):
        assert _refused(rt, "rivera", "Wrong-Password-000").startswith("Wrong username")
        clock.advance(minutes=4)
    assert isinstance(check_password(rt, username="rivera", password=user.password), MfaChallenge)


def test_wrong_totp_codes_count_toward_lockout(
    rt: Runtime, make_user: Callable[..., TestUser]
) -> None:
    user = make_user("rivera", "investigator")
    for attempt in range(5):
        step = check_password(rt, username="rivera", password=user.password)
        assert isinstance(step, MfaChallenge)
        with pytest.raises(Refusal) as exc:
            check_totp(rt, challenge=step, code="12345" + str(attempt))
    assert "locked" in exc.value.message
