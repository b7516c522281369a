"""``alpr signin`` and ``alpr signout``: open and end a command-line session, so that the
commands run ``--as`` that person meanwhile need no second code."""

from __future__ import annotations

import typer

from alpr.commands import cli_session
from alpr.commands.common import command, runtime, signed_in


@command
def signin(username: str) -> None:
    """Sign in (password and TOTP: ALPR_PASSWORD, ALPR_TOTP or prompted) and keep a session
    for the next commands run --as USERNAME, within the policy's idle and absolute limits."""
    rt = runtime()
    principal = signed_in(rt, username)
    typer.echo(f"signed in as {principal.username} ({principal.role.value})")


@command
def signout(username: str) -> None:
    """End USERNAME's command-line session."""
    ended = cli_session.forget(runtime(), username)
    typer.echo(f"signed out {username}" if ended else f"no open session for {username}")
