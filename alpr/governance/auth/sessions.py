"""Sign-in sessions kept on the server (CJIS): opened at a successful sign-in, resumed by their
token, locked after the policy's idle minutes and ended after its absolute limit, and ended at
once when the account is disabled or locked, its role changes or its second factor or password
is reset. Only a SHA-256 of each token is stored; every ending is in the access log.

A browser holds its token in an HttpOnly cookie. The sign-in page hands a new token to the
cookie route by a one-time handoff: kept in this process's memory (the dashboard's pages and its
routes run in one process) for a minute, usable once, keyed by its SHA-256, so the token itself
never reaches a script in the browser.

A session serves only the holder it was opened for: a browser, or the command line of one
terminal. A command-line session's token is known to the server only together with its
terminal, so a token copied out of a terminal's session file is refused by a browser's cookie
and by another terminal alike."""

from __future__ import annotations

import hashlib
import secrets
import threading
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from alpr.data.models import SessionEnd, SessionKind, SignInSession, User
from alpr.governance import access_log
from alpr.governance.access_log import Event, Outcome
from alpr.governance.errors import Refusal, RefusalKind
from alpr.governance.identity import inactive, principal_for
from alpr.governance.principal import Principal
from alpr.governance.runtime import Runtime
from alpr.policy import Policy

__all__ = [
    "BROWSER",
    "Holder",
    "SessionEnded",
    "SessionKind",
    "end_session",
    "end_user_sessions",
    "issue_handoff",
    "open_session",
    "redeem_handoff",
    "resume_session",
    "session_open",
    "terminal",
]

HANDOFF_TTL = timedelta(minutes=1)


class SessionEnded(Refusal):
    """The session cannot be resumed; ``reason`` says why and the message says what to do."""

    def __init__(self, reason: SessionEnd | None, message: str) -> None:
        super().__init__(RefusalKind.SIGN_IN, message)
        self.reason = reason


_MESSAGES = {
    SessionEnd.SIGNED_OUT: "You are signed out.",
    SessionEnd.DISABLED: "This account was disabled; ask the ALPR Administrator.",
    SessionEnd.LOCKED: "This account was locked; only an ALPR Administrator can unlock it.",
    SessionEnd.ROLE_CHANGED: "Your role changed. Sign in again.",
    SessionEnd.MFA_RESET: "Your second factor was reset. Sign in again to enrol it.",
    SessionEnd.PASSWORD_RESET: "Your password was changed. Sign in with the new one.",
}


def _message(reason: SessionEnd, policy: Policy) -> str:
    if reason is SessionEnd.IDLE:
        minutes = policy.idle_timeout_minutes
        return (
            f"Your session was locked after {minutes} idle minute{'s' if minutes != 1 else ''}. "
            "Sign in again."
        )
    if reason is SessionEnd.EXPIRED:
        hours = policy.session_max_hours
        return f"Your session reached {hours} hour{'s' if hours != 1 else ''}. Sign in again."
    return _MESSAGES[reason]


@dataclass(frozen=True)
class Holder:
    """Who presents a session's token: a browser, or the command line of one terminal."""

    kind: SessionKind
    terminal: str | None = None


BROWSER = Holder(SessionKind.WEB)


def terminal(name: str) -> Holder:
    """The command line of the terminal (login session) called ``name``."""
    return Holder(SessionKind.CLI, name)


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def _key(token: str, holder: Holder) -> str:
    """What the server keeps of a holder's token: a command-line session's is bound to its
    terminal."""
    return _digest(token if holder.terminal is None else f"{token}@{holder.terminal}")


def _held(session: Session, token: str, holder: Holder) -> SignInSession | None:
    """The session of this token, if it is this holder's."""
    record = session.execute(
        select(SignInSession).where(SignInSession.token_sha256 == _key(token, holder))
    ).scalar_one_or_none()
    return record if record is not None and record.kind is holder.kind else None


def _end(
    session: Session, rt: Runtime, record: SignInSession, user: User, reason: SessionEnd
) -> None:
    record.ended_at = rt.now()
    record.end_reason = reason
    access_log.append(
        session,
        at=rt.now(),
        event=Event.SIGN_OUT,
        outcome=Outcome.SUCCESS,
        principal=principal_for(
            session, user, authenticated_at=record.created_at, client_addr=record.client_addr
        ),
        detail=f"{record.kind.value} session {record.id} ended: {reason.value}",
    )


def open_session(
    rt: Runtime, *, principal: Principal, holder: Holder, client_addr: str | None = None
) -> str:
    """Open a session for a person who has just signed in, for ``holder`` only; returns its
    token (shown once, never stored)."""
    token = secrets.token_urlsafe(32)
    with rt.transaction() as session:
        session.add(
            SignInSession(
                token_sha256=_key(token, holder),
                user_id=principal.user_id,
                kind=holder.kind,
                client_addr=client_addr or principal.client_addr,
                created_at=principal.authenticated_at,
                last_seen_at=rt.now(),
            )
        )
    return token


def _resume(
    session: Session, rt: Runtime, token: str, holder: Holder, touch: bool
) -> Principal | SessionEnded:
    record = _held(session, token, holder)
    if record is None:
        return SessionEnded(None, "This session is not known. Sign in.")
    policy = rt.policy(session)
    if record.end_reason is not None:
        return SessionEnded(record.end_reason, _message(record.end_reason, policy))
    user = session.get(User, record.user_id)
    assert user is not None
    now = rt.now()
    reason = None
    if inactive(user) is not None:
        reason = SessionEnd.DISABLED if user.disabled_at else SessionEnd.LOCKED
    elif now - record.created_at >= timedelta(hours=policy.session_max_hours):
        reason = SessionEnd.EXPIRED
    elif now - record.last_seen_at >= timedelta(minutes=policy.idle_timeout_minutes):
        reason = SessionEnd.IDLE
    if reason is not None:
        _end(session, rt, record, user, reason)
        return SessionEnded(reason, _message(reason, policy))
    if touch:
        record.last_seen_at = now
    return principal_for(
        session, user, authenticated_at=record.created_at, client_addr=record.client_addr
    )


def resume_session(rt: Runtime, *, token: str, holder: Holder, touch: bool = True) -> Principal:
    """The person a session belongs to, re-read from the database, if the session is ``holder``'s
    and still open and within its limits (``touch``: this is their activity, so the idle time
    restarts). Otherwise the session ends (recorded) and ``SessionEnded`` says why."""
    with rt.transaction() as session:
        resumed = _resume(session, rt, token, holder, touch)
    if isinstance(resumed, SessionEnded):
        raise resumed
    return resumed


def session_open(rt: Runtime, *, token: str, holder: Holder) -> bool:
    """Whether ``holder``'s session is still open and within its limits (not counted as
    activity); one found past its limits is ended, as ``resume_session`` would."""
    try:
        resume_session(rt, token=token, holder=holder, touch=False)
    except SessionEnded:
        return False
    return True


_handoffs_lock = threading.Lock()
_handoffs: dict[str, tuple[str, datetime]] = {}


def issue_handoff(rt: Runtime, *, token: str) -> str:
    """A one-time handoff of a session's token, good for ``HANDOFF_TTL``."""
    handoff = secrets.token_urlsafe(32)
    now = rt.now()
    with _handoffs_lock:
        for key in [k for k, (_, until) in _handoffs.items() if until <= now]:
            del _handoffs[key]
        _handoffs[_digest(handoff)] = (token, now + HANDOFF_TTL)
    return handoff


def redeem_handoff(rt: Runtime, *, handoff: str) -> str | None:
    """The token handed off, once: None when the handoff is unknown, used or expired, or its
    session has ended meanwhile."""
    with _handoffs_lock:
        entry = _handoffs.pop(_digest(handoff), None)
    if entry is None or entry[1] <= rt.now():
        return None
    token = entry[0]
    return token if session_open(rt, token=token, holder=BROWSER) else None


def end_session(
    rt: Runtime, *, token: str, holder: Holder, reason: SessionEnd = SessionEnd.SIGNED_OUT
) -> None:
    """End ``holder``'s session (signing out); nothing happens if it has ended already."""
    with rt.transaction() as session:
        record = _held(session, token, holder)
        if record is not None and record.ended_at is None:
            user = session.get(User, record.user_id)
            assert user is not None
            _end(session, rt, record, user, reason)


def end_user_sessions(session: Session, rt: Runtime, *, user_id: int, reason: SessionEnd) -> int:
    """End every open session of a user, in the caller's transaction; returns how many."""
    user = session.get(User, user_id)
    assert user is not None
    records = session.execute(
        select(SignInSession).where(
            SignInSession.user_id == user_id, SignInSession.ended_at.is_(None)
        )
    ).scalars()
    count = 0
    for record in records:
        _end(session, rt, record, user, reason)
        count += 1
    return count
