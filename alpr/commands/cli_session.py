"""Signing in on the command line: ``--as USER`` resumes USER's command-line session, kept on
the server and by token under the data folder, or signs in with password and TOTP (from
``ALPR_PASSWORD`` and ``ALPR_TOTP``, or prompted) and keeps a new one, so that a script's next
commands need no second code. The session obeys the policy's idle and absolute limits and ends
with ``alpr signout``, or when an administrator disables, locks or resets the account."""

from __future__ import annotations

import os
import re
from pathlib import Path

from alpr.governance.auth.sessions import (
    SessionEnded,
    SessionKind,
    end_session,
    open_session,
    resume_session,
)
from alpr.governance.principal import Principal
from alpr.governance.runtime import Runtime

CLIENT = "cli"


def _token_file(rt: Runtime, username: str) -> Path:
    name = username.strip().lower()
    if not re.fullmatch(r"[a-z0-9._]{1,64}", name) or name.strip(".") != name:
        raise ValueError("a username uses letters, digits, dots and underscores only")
    return rt.settings.data_dir / "cli-sessions" / name


def resume(rt: Runtime, username: str) -> Principal | None:
    """USERNAME's open command-line session, or None (a session that has ended is forgotten)."""
    path = _token_file(rt, username)
    if not path.is_file():
        return None
    try:
        principal = resume_session(rt, token=path.read_text().strip())
    except SessionEnded:
        path.unlink(missing_ok=True)
        return None
    if principal.username != path.name:
        path.unlink(missing_ok=True)
        return None
    return principal


def keep(rt: Runtime, principal: Principal) -> None:
    """Open a command-line session for someone who just signed in, readable by this account
    only."""
    path = _token_file(rt, principal.username)
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    token = open_session(rt, principal=principal, kind=SessionKind.CLI, client_addr=CLIENT)
    descriptor = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(descriptor, "w") as out:
        out.write(token)


def forget(rt: Runtime, username: str) -> bool:
    """End USERNAME's command-line session; False when there was none."""
    path = _token_file(rt, username)
    if not path.is_file():
        return False
    end_session(rt, token=path.read_text().strip())
    path.unlink(missing_ok=True)
    return True
