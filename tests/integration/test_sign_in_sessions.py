"""Sessions kept on the server (R01, R50, CJIS): resumed by their token within the Policy's idle
and absolute limits, ended on sign-out, and ended at once everywhere when the account is
disabled or locked, its role changes, or its second factor or password is reset. Only a hash of
the token is stored, and every ending is in the access log."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from sqlalchemy import select

from alpr.data.models import AccessRecord, SessionEnd, SessionKind, SignInSession
from alpr.governance import users
from alpr.governance.auth.local import check_password
from alpr.governance.auth.sessions import SessionEnded, end_session, open_session, resume_session
from alpr.governance.errors import Refusal
from alpr.governance.policy import set_policy
from alpr.governance.runtime import Runtime
from tests.conftest import Clock, TestUser


@pytest.fixture
def signed_in(rt: Runtime, make_user: Callable[..., TestUser]) -> tuple[TestUser, str]:
    user = make_user("rivera", "investigator")
    return user, open_session(rt, principal=user.principal, kind=SessionKind.WEB)


def _ended(rt: Runtime, token: str) -> SessionEnded:
    with pytest.raises(SessionEnded) as ended:
        resume_session(rt, token=token)
    return ended.value


def _endings(rt: Runtime) -> list[str]:
    with rt.transaction() as session:
        return list(
            session.execute(
                select(AccessRecord.detail)
                .where(AccessRecord.event == "sign_out")
                .order_by(AccessRecord.id)
            ).scalars()
        )


def test_a_session_resumes_and_only_its_hash_is_stored(
    rt: Runtime, signed_in: tuple[TestUser, str]
) -> None:
    user, token = signed_in
    assert resume_session(rt, token=token).username == user.username
    with rt.transaction() as session:
        stored = session.execute(select(SignInSession)).scalar_one()
    assert token not in (stored.token_sha256, stored.client_addr) and len(stored.token_sha256) == 64
    assert _ended(rt, token + "x").reason is None


def test_idle_past_the_policy_limit_locks_the_session(
    rt: Runtime, signed_in: tuple[TestUser, str], clock: Clock
) -> None:
    _, token = signed_in
    set_policy(rt, actor=None, key="idle_timeout_minutes", value=5, legal_basis="policy 4.2")
    clock.advance(minutes=4)
    resume_session(rt, token=token)
    clock.advance(minutes=4)
    resume_session(rt, token=token, touch=False)  # a refreshing screen is not activity
    clock.advance(minutes=1, seconds=1)
    ended = _ended(rt, token)
    assert ended.reason is SessionEnd.IDLE and "5 idle minutes" in ended.message
    assert _ended(rt, token).reason is SessionEnd.IDLE
    assert _endings(rt) == ["web session 1 ended: idle"]


def test_the_absolute_limit_ends_even_a_busy_session(
    rt: Runtime, signed_in: tuple[TestUser, str], clock: Clock
) -> None:
    _, token = signed_in
    for _ in range(12 * 3 - 1):
        clock.advance(minutes=20)
        resume_session(rt, token=token)
    clock.advance(minutes=20)
    assert _ended(rt, token).reason is SessionEnd.EXPIRED


def test_signing_out_ends_one_session_only(rt: Runtime, signed_in: tuple[TestUser, str]) -> None:
    user, token = signed_in
    other = open_session(rt, principal=user.principal, kind=SessionKind.CLI)
    end_session(rt, token=token)
    assert _ended(rt, token).reason is SessionEnd.SIGNED_OUT
    assert resume_session(rt, token=other).username == user.username


@pytest.mark.parametrize(
    ("act", "reason"),
    [
        (lambda rt: users.disable_user(rt, actor=None, username="rivera"), SessionEnd.DISABLED),
        (
            lambda rt: users.change_role(rt, actor=None, username="rivera", role="patrol"),
            SessionEnd.ROLE_CHANGED,
        ),
        (lambda rt: users.reset_mfa(rt, actor=None, username="rivera"), SessionEnd.MFA_RESET),
        (
            lambda rt: users.reset_password(
                rt, actor=None, username="rivera", password="Brand-New-Passphrase-9"
            ),
            SessionEnd.PASSWORD_RESET,
        ),
    ],
)
def test_account_changes_end_every_session_of_the_account(
    rt: Runtime,
    signed_in: tuple[TestUser, str],
    make_user: Callable[..., TestUser],
    act: Callable[[Runtime], None],
    reason: SessionEnd,
) -> None:
    user, token = signed_in
    other = open_session(rt, principal=user.principal, kind=SessionKind.CLI)
    colleague = make_user("brooks", "sergeant")
    kept = open_session(rt, principal=colleague.principal, kind=SessionKind.WEB)
    act(rt)
    assert _ended(rt, token).reason is reason
    assert _ended(rt, other).reason is reason
    assert resume_session(rt, token=kept).username == "brooks"
    assert len(_endings(rt)) == 2


def test_a_lockout_ends_the_sessions_of_the_account(
    rt: Runtime, signed_in: tuple[TestUser, str]
) -> None:
    _, token = signed_in
    for _ in range(5):
        with pytest.raises(Refusal):
            check_password(rt, username="rivera", password="Not-The-Password-1")
    assert _ended(rt, token).reason is SessionEnd.LOCKED
