"""``alpr users``: accounts, training and lockouts, run by the server operator."""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from alpr.commands.common import JsonOpt, command, emit_json, parse_date, runtime
from alpr.governance import users
from alpr.governance.training import TRAINING_TOPICS

app = typer.Typer(help="User accounts and training records.", no_args_is_help=True)


@app.command("add")
@command
def add(
    username: str,
    role: Annotated[
        str,
        typer.Option(
            help="investigator, patrol, sergeant, records_clerk, command or administrator."
        ),
    ],
    full_name: Annotated[str, typer.Option("--full-name")],
    agency: Annotated[str, typer.Option(help="The user's agency, by name.")],
    title: Annotated[str | None, typer.Option(help="Job title.")] = None,
    unit: Annotated[str | None, typer.Option(help="Unit or team.")] = None,
    contractor: Annotated[bool, typer.Option("--contractor")] = False,
    password_stdin: Annotated[bool, typer.Option("--password-stdin")] = False,
    json_out: JsonOpt = False,
) -> None:
    """Create a user; prints the TOTP provisioning URI for the authenticator app."""
    if password_stdin:
        password = sys.stdin.readline().rstrip("\n")
    else:
        password = typer.prompt("Password", hide_input=True, confirmation_prompt=True)
    account = users.create_user(
        runtime(),
        actor=None,
        username=username,
        full_name=full_name,
        role=role,
        agency_name=agency,
        password=password,
        title=title,
        unit=unit,
        is_contractor=contractor,
    )
    if json_out:
        emit_json({"username": account.username, "totp_uri": account.provisioning_uri})
    else:
        typer.echo(f"created {account.username}")
        typer.echo(f"TOTP enrolment (scan as QR or enter in the app): {account.provisioning_uri}")


@app.command("training")
@command
def training(
    username: str,
    course: Annotated[str, typer.Option()],
    completed: Annotated[str, typer.Option(help="Completion date, YYYY-MM-DD.")],
) -> None:
    """Record department-approved ALPR training (R03)."""
    users.record_training(
        runtime(),
        actor=None,
        username=username,
        course=course,
        completed_on=parse_date(completed, option="--completed"),
        topics=TRAINING_TOPICS,
    )
    typer.echo(f"training recorded for {username}")


@app.command("unlock")
@command
def unlock(username: str) -> None:
    """Unlock an account locked after failed sign-ins."""
    users.unlock_user(runtime(), actor=None, username=username)
    typer.echo(f"unlocked {username}")


@app.command("disable")
@command
def disable(username: str) -> None:
    """Disable an account (it keeps its history)."""
    users.disable_user(runtime(), actor=None, username=username)
    typer.echo(f"disabled {username}")


@app.command("reset-mfa")
@command
def reset_mfa(username: str) -> None:
    """Clear a user's TOTP enrolment; they enrol again at their next sign-in."""
    users.reset_mfa(runtime(), actor=None, username=username)
    typer.echo(f"MFA reset for {username}")
