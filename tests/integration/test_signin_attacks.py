"""Sign-in under attack, on both databases (R01, CJIS): a TOTP code is accepted once, by the
web's two steps and the command line's one alike; a burst of parallel wrong passwords gets no
more password checks than the policy's lockout allows, every answer is the same, and the right
password after the lock is refused with that same answer."""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

import pyotp
import pytest
from sqlalchemy import select

from alpr.data.models import AccessRecord, User
from alpr.governance.auth.local import (
    MfaChallenge,
    check_password,
    check_totp,
    password_failure,
    sign_in,
)
from alpr.governance.errors import Refusal
from alpr.governance.policy import policy_in_force
from alpr.governance.runtime import Runtime
from tests.conftest import TestUser

BURST = 20


def _challenge(rt: Runtime, user: TestUser) -> MfaChallenge:
    step = check_password(rt, username=user.username, password=user.password)
    assert isinstance(step, MfaChallenge)
    return step


def test_a_totp_code_is_accepted_once_on_the_web_and_the_command_line(
    rt: Runtime, make_user: Callable[..., TestUser]
) -> None:
    """R01: the same code twice within its window is refused the second time, whichever door
    it comes through, and so is a code of an earlier step; the refusals are logged."""
    user = make_user("rivera", "investigator")
    code = user.code()
    assert check_totp(rt, challenge=_challenge(rt, user), code=code).username == "rivera"
    with pytest.raises(Refusal, match="used already"):
        check_totp(rt, challenge=_challenge(rt, user), code=code)
    with pytest.raises(Refusal, match="used already"):
        sign_in(rt, username="rivera", password=user.password, code=code)
    otp = pyotp.TOTP(user.totp_secret)
    with rt.transaction() as session:
        spent = session.execute(select(User.totp_last_step).where(User.username == "rivera"))
        step = spent.scalar_one()
    assert step is not None
    with pytest.raises(Refusal):
        sign_in(rt, username="rivera", password=user.password, code=otp.generate_otp(step - 1))
    assert (
        sign_in(
            rt, username="rivera", password=user.password, code=otp.generate_otp(step + 1)
        ).username
        == "rivera"
    )
    with rt.transaction() as session:
        failures = session.execute(
            select(AccessRecord.detail).where(
                AccessRecord.username == "rivera", AccessRecord.outcome == "failure"
            )
        ).scalars()
        assert list(failures) == ["totp failed"] * 3


def _attempt(rt: Runtime, username: str, password: str) -> str:
    try:
        check_password(rt, username=username, password=password)
    except Refusal as refusal:
        return refusal.message
    return "signed in"


def test_a_parallel_burst_of_wrong_passwords_is_stopped_at_the_lockout(
    rt: Runtime, make_user: Callable[..., TestUser]
) -> None:
    """R01, CJIS: 20 wrong passwords at once: no more than ``lockout_attempts`` of them are
    checked before the account locks, one lockout is recorded, every answer is the same one
    (saying nothing about the account), and the right password afterwards gets it too."""
    user = make_user("rivera", "investigator")
    allowed = policy_in_force(rt).lockout_attempts
    with ThreadPoolExecutor(max_workers=BURST) as pool:
        answers = list(
            pool.map(lambda _: _attempt(rt, "rivera", "Wrong-Password-000"), range(BURST))
        )
    failure = password_failure(policy_in_force(rt))
    assert set(answers) == {failure}, answers
    assert _attempt(rt, "rivera", user.password) == failure
    with rt.transaction() as session:
        lockouts = session.execute(
            select(AccessRecord.id).where(AccessRecord.event == "lockout")
        ).all()
        checked = session.execute(
            select(AccessRecord.id).where(
                AccessRecord.username == "rivera", AccessRecord.detail == "password failed"
            )
        ).all()
    assert len(lockouts) == 1 and len(checked) == allowed


def test_the_right_password_racing_a_burst_never_succeeds_after_the_lock(
    rt: Runtime, make_user: Callable[..., TestUser]
) -> None:
    """R01: right and wrong passwords sent together: once the fifth failure has locked the
    account, no right password gets through (each answer is decided holding the account)."""
    user = make_user("rivera", "investigator")
    passwords = ["Wrong-Password-000"] * BURST + [user.password] * 4
    with ThreadPoolExecutor(max_workers=len(passwords)) as pool:
        list(pool.map(lambda p: _attempt(rt, "rivera", p), passwords))
    with rt.transaction() as session:
        locked_at = session.execute(
            select(User.locked_at).where(User.username == "rivera")
        ).scalar_one()
        late = session.execute(
            select(AccessRecord.id).where(
                AccessRecord.username == "rivera",
                AccessRecord.outcome == "failure",
                AccessRecord.detail == "password failed",
            )
        ).all()
    assert locked_at is not None
    assert len(late) <= policy_in_force(rt).lockout_attempts
    assert _attempt(rt, "rivera", user.password) == password_failure(policy_in_force(rt))
