"""Sessions kept on the server (R01, R50, CJIS): resumed by their token within the Policy's idle
and absolute limits, ended on sign-out, and ended at once everywhere when the account is
disabled or locked, its role changes, or its second factor or password is reset. Only a hash of
the token is stored, and every ending is in the access log. A session serves only the holder it
was opened for: a browser, or one terminal's command line."""

from __future__ import annotations

import hashlib
from collections.abc import Callable

import pytest
from sqlalchemy import select

from alpr.data.models import AccessRecord, SessionEnd, SessionKind, SignInSession
from alpr.governance import users
from alpr.governance.auth.local import check_password
from alpr.governance.auth.sessions import (
    BROWSER,
    Holder,
    SessionEnded,
    end_session,
    open_session,
    resume_session,
    session_open,
    terminal,
)
from alpr.governance.errors import Refusal
from alpr.governance.policy import set_policy
from alpr.governance.runtime import Runtime
from tests.conftest import Clock, TestUser

TTY = terminal("4242-1")


@pytest.fixture
def signed_in(rt: Runtime, make_user: Callable[..., TestUser]) -> tuple[TestUser, str]:
    user = make_user("rivera", "investigator")
    return user, open_session(rt, principal=user.principal, holder=BROWSER)


def _ended(rt: Runtime, token: str, holder: Holder = BROWSER) -> SessionEnded:
    with pytest.raises(SessionEnded) as ended:
        resume_session(rt, token=token, holder=holder)
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
    assert resume_session(rt, token=token, holder=BROWSER).username == user.username
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
    resume_session(rt, token=token, holder=BROWSER)
    clock.advance(minutes=4)
    # a refreshing screen is not activity
    resume_session(rt, token=token, holder=BROWSER, touch=False)
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
        resume_session(rt, token=token, holder=BROWSER)
    clock.advance(minutes=20)
    assert _ended(rt, token).reason is SessionEnd.EXPIRED


def test_signing_out_ends_one_session_only(rt: Runtime, signed_in: tuple[TestUser, str]) -> None:
    user, token = signed_in
    other = open_session(rt, principal=user.principal, holder=TTY)
    end_session(rt, token=token, holder=BROWSER)
    assert _ended(rt, token).reason is SessionEnd.SIGNED_OUT
    assert resume_session(rt, token=other, holder=TTY).username == user.username


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
    other = open_session(rt, principal=user.principal, holder=TTY)
    colleague = make_user("brooks", "sergeant")
    kept = open_session(rt, principal=colleague.principal, holder=BROWSER)
    act(rt)
    assert _ended(rt, token).reason is reason
    assert _ended(rt, other, TTY).reason is reason
    assert resume_session(rt, token=kept, holder=BROWSER).username == "brooks"
    assert len(_endings(rt)) == 2


def test_a_lockout_ends_the_sessions_of_the_account(
    rt: Runtime, signed_in: tuple[TestUser, str]
) -> None:
    _, token = signed_in
    for _ in range(5):
        with pytest.raises(Refusal):
            check_password(rt, username="rivera", password="Not-The-Password-1")
    assert _ended(rt, token).reason is SessionEnd.LOCKED


def test_a_session_serves_only_the_holder_it_was_opened_for(
    rt: Runtime, make_user: Callable[..., TestUser]
) -> None:
    """R01, R20: everyone at the command line runs it as the system account that holds the
    session files, so a token read out of a terminal's file must serve nobody else: not a
    browser (its cookie can be set by hand, past the one-terminal rule), nor another terminal
    (the file copied under its name). A browser's token serves no terminal, and a holder that
    is not the session's cannot end it either."""
    user = make_user("rivera", "investigator")
    at_terminal = open_session(rt, principal=user.principal, holder=TTY)
    in_browser = open_session(rt, principal=user.principal, holder=BROWSER)
    for token, elsewhere in (
        (at_terminal, BROWSER),
        (at_terminal, terminal("5151-2")),
        (in_browser, TTY),
    ):
        assert _ended(rt, token, elsewhere).reason is None
        assert not session_open(rt, token=token, holder=elsewhere)
        end_session(rt, token=token, holder=elsewhere)
    assert resume_session(rt, token=at_terminal, holder=TTY).username == "rivera"
    assert resume_session(rt, token=in_browser, holder=BROWSER).username == "rivera"
    assert _endings(rt) == []


def test_a_command_line_session_opened_before_terminals_were_bound_serves_no_browser(
    rt: Runtime, make_user: Callable[..., TestUser]
) -> None:
    """R01: a command-line session kept under its bare token (as before a session was bound to
    its terminal) is not a browser's, whatever the cookie says."""
    user = make_user("rivera", "investigator")
    token = "kept-by-an-earlier-release"
    with rt.transaction() as session:
        session.add(
            SignInSession(
                token_sha256=hashlib.sha256(token.encode()).hexdigest(),
                user_id=user.principal.user_id,
                kind=SessionKind.CLI,
                client_addr="cli",
                created_at=rt.now(),
                last_seen_at=rt.now(),
            )
        )
    assert _ended(rt, token).reason is None
