"""Signing in on the command line: ``--as USER`` resumes USER's command-line session, kept on
the server and by token under the data folder, or signs in with password and TOTP (from
``ALPR_PASSWORD`` and ``ALPR_TOTP``, or prompted) and keeps a new one, so that a script's next
commands need no second code. The session obeys the policy's idle and absolute limits and ends
with ``alpr signout``, or when an administrator disables, locks or resets the account.

A session serves only the terminal (the login session) that opened it, as sudo keeps its
credentials per terminal: everyone who runs the command line shares the system account that
holds the data folder and its keys, so a token kept for the account alone would let a colleague
at another terminal act as USER, in USER's name, without USER's password or code. The server
knows the token only together with the terminal, so the token file copied under another
terminal's name, or put in a browser's cookie, serves nobody."""

from __future__ import annotations

import os
import re
from pathlib import Path

from alpr.governance.auth.sessions import (
    Holder,
    SessionEnded,
    end_session,
    open_session,
    resume_session,
    session_open,
    terminal,
)
from alpr.governance.principal import Principal
from alpr.governance.runtime import Runtime

CLIENT = "cli"


def _terminal() -> str:
    """This login session: its id and when its leader started (so that an id the system gives
    again later is another session)."""
    sid = os.getsid(0)
    try:
        started = Path(f"/proc/{sid}/stat").read_text().rsplit(")", 1)[1].split()[19]
    except (OSError, IndexError):
        started = "0"
    return f"{sid}-{started}"


def _here() -> Holder:
    return terminal(_terminal())


def _folder(rt: Runtime) -> Path:
    return rt.settings.data_dir / "cli-sessions"


def _token_file(rt: Runtime, username: str) -> Path:
    """USERNAME's token for this terminal (a username holds no ``@``)."""
    name = username.strip().lower()
    if not re.fullmatch(r"[a-z0-9._]{1,64}", name) or name.strip(".") != name:
        raise ValueError("a username uses letters, digits, dots and underscores only")
    return _folder(rt) / f"{name}@{_terminal()}"


def resume(rt: Runtime, username: str) -> Principal | None:
    """USERNAME's open command-line session of this terminal, or None (a session that has
    ended is forgotten)."""
    path = _token_file(rt, username)
    if not path.is_file():
        return None
    try:
        principal = resume_session(rt, token=path.read_text().strip(), holder=_here())
    except SessionEnded:
        path.unlink(missing_ok=True)
        return None
    if path.name.partition("@")[0] != principal.username:
        path.unlink(missing_ok=True)
        return None
    return principal


def _forget_ended(rt: Runtime, username: str) -> None:
    """Remove USERNAME's tokens of sessions that have ended (terminals closed meanwhile)."""
    for path in _folder(rt).glob(f"{username}@*"):
        holder = terminal(path.name.partition("@")[2])
        if not session_open(rt, token=path.read_text().strip(), holder=holder):
            path.unlink(missing_ok=True)


def keep(rt: Runtime, principal: Principal) -> None:
    """Open a command-line session for someone who just signed in, for this terminal only and
    readable by this account only."""
    path = _token_file(rt, principal.username)
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    _forget_ended(rt, principal.username)
    token = open_session(rt, principal=principal, holder=_here(), client_addr=CLIENT)
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w") as out:
        out.write(token)


def forget(rt: Runtime, username: str) -> bool:
    """End USERNAME's command-line session of this terminal; False when there was none."""
    path = _token_file(rt, username)
    if not path.is_file():
        return False
    end_session(rt, token=path.read_text().strip(), holder=_here())
    path.unlink(missing_ok=True)
    return True
