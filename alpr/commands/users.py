"""``alpr users``: accounts, trainers, training and lockouts, as a signed-in ALPR Administrator
(``--as``); each is an administered act in the access log."""

from __future__ import annotations

import sys
from typing import Annotated

import typer

from alpr.commands import cli_session
from alpr.commands.common import (
    ActorOpt,
    JsonOpt,
    actor,
    command,
    emit_json,
    fail,
    group,
    new_password,
    parse_date,
    runtime,
    secret,
    signed_in,
)
from alpr.governance import users
from alpr.governance.auth.local import change_password as change_own_password
from alpr.governance.permissions import role_definition
from alpr.governance.training import TRAINING_TOPICS

app = group("User accounts, trainers and training records.")

PasswordStdin = Annotated[
    bool, typer.Option("--password-stdin", help="Read the password from standard input.")
]


def _password(from_stdin: bool) -> str:
    if from_stdin:
        return sys.stdin.readline().rstrip("\n")
    if not sys.stdin.isatty():
        fail("no terminal to ask for the password: give it with --password-stdin")
    return str(typer.prompt("Password", hide_input=True, confirmation_prompt=True, err=True))


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
    password_stdin: PasswordStdin = False,
    as_user: ActorOpt = None,
    json_out: JsonOpt = False,
) -> None:
    """Create a user, as a signed-in ALPR Administrator (the first Administrator of an empty
    database alone is created without one); prints the TOTP provisioning URI. The account
    signs in once a second person has activated it (``alpr users activate``)."""
    rt = runtime()
    account = users.create_user(
        rt,
        actor=signed_in(rt, as_user) if as_user else None,
        username=username,
        full_name=full_name,
        role=role,
        agency_name=agency,
        password=_password(password_stdin),
        title=title,
        unit=unit,
        is_contractor=contractor,
    )
    if json_out:
        emit_json(
            {
                "username": account.username,
                "totp_uri": account.provisioning_uri,
                "awaiting_activation": account.awaiting_activation,
            }
        )
        return
    typer.echo(f"created {account.username}")
    typer.echo(f"TOTP enrolment (scan as QR or enter in the app): {account.provisioning_uri}")
    if account.awaiting_activation:
        typer.echo(
            "it signs in once a second person (another ALPR Administrator or command staff) "
            f"activates it: alpr users activate {account.username} --as THEM; at its first "
            "sign-in its holder replaces this password with their own, with the activation "
            "code that person gives them"
        )


@app.command("activate")
@command
def activate(username: str, as_user: ActorOpt = None) -> None:
    """Activate an account that awaits activation (a new one, or one whose password or second
    factor was reset), as a second person (another ALPR Administrator or command staff than
    the one who created it or reset it) who vouches for its holder."""
    rt = runtime()
    code = users.activate_user(rt, actor=actor(rt, as_user), username=username)
    typer.echo(f"activated {username}")
    if code:
        typer.echo(
            f"activation code for its first sign-in: {code} (give it to its holder in person; "
            "they type it with their own new password, ALPR_ACTIVATION_CODE for `alpr signin`)"
        )


def _account_json(account: users.UserSummary | users.AwaitingActivation) -> dict[str, object]:
    """Who the account is and its last credentials reset, for ``--json``."""
    return {
        "username": account.username,
        "full_name": account.full_name,
        "role": account.role.value,
        "credentials_reset": account.credentials_reset,
        "credentials_reset_by": account.credentials_reset_by,
        "credentials_reset_at": account.credentials_reset_at,
    }


@app.command("list")
@command
def list_accounts(
    awaiting: Annotated[
        bool,
        typer.Option(
            "--awaiting",
            help="Only the accounts awaiting activation (command staff may list these too).",
        ),
    ] = False,
    as_user: ActorOpt = None,
    json_out: JsonOpt = False,
) -> None:
    """Every account and its state: awaiting activation (after a reset, what was reset, by
    whom and when), disabled, locked or active; its role, second factor and training."""
    rt = runtime()
    principal = actor(rt, as_user)
    tz = rt.settings.tz
    if awaiting:
        waiting = users.awaiting_activation(rt, actor=principal)
        if json_out:
            emit_json(
                [
                    {**_account_json(w), "created_by": w.created_by, "created_at": w.created_at}
                    for w in waiting
                ]
            )
            return
        if not waiting:
            typer.echo("no account awaits activation")
        for w in waiting:
            reset = users.reset_words(w, tz)
            by, at = w.created_by or "set-up", w.created_at.astimezone(tz)
            created = f"created by {by}, {at:%Y-%m-%d %H:%M}"
            typer.echo(
                f"{w.username}  {w.full_name}  ({role_definition(w.role).name}): "
                + (reset or created)
            )
        return
    accounts = users.list_users(rt, actor=principal)
    if json_out:
        emit_json(
            [
                {
                    **_account_json(u),
                    "account": u.account_words(tz),
                    "awaiting_activation": u.awaiting_activation,
                    "disabled": u.disabled,
                    "locked": u.locked,
                    "mfa_enrolled": u.mfa_enrolled,
                    "password_temporary": u.password_temporary,
                    "training_current": u.training_current,
                }
                for u in accounts
            ]
        )
        return
    for u in accounts:
        reset = users.reset_words(u, tz)
        state = f"Awaiting activation: {reset}" if u.awaiting_activation and reset else None
        typer.echo(
            f"{u.username}  {u.full_name}  ({role_definition(u.role).name}): "
            f"{state or u.account_words(tz)}; {u.credentials_words()}; "
            f"training: {u.training_words()}"
        )


@app.command("training")
@command
def training(
    username: str,
    course: Annotated[str, typer.Option()],
    completed: Annotated[str, typer.Option(help="Completion date, YYYY-MM-DD.")],
    as_user: ActorOpt = None,
) -> None:
    """Record department-approved ALPR training: by the ALPR Administrator or a
    designated trainer."""
    rt = runtime()
    users.record_training(
        rt,
        actor=actor(rt, as_user),
        username=username,
        course=course,
        completed_on=parse_date(completed, option="--completed"),
        topics=TRAINING_TOPICS,
    )
    typer.echo(f"training recorded for {username}")


@app.command("trainer")
@command
def trainer(
    username: str,
    remove: Annotated[bool, typer.Option("--remove", help="End the designation.")] = False,
    as_user: ActorOpt = None,
) -> None:
    """Designate an operator as a trainer who records others' training."""
    rt = runtime()
    users.designate_trainer(rt, actor=actor(rt, as_user), username=username, trainer=not remove)
    typer.echo(f"{username} {'is no longer' if remove else 'is now'} a designated trainer")


@app.command("role")
@command
def role(
    username: str,
    new_role: Annotated[str, typer.Argument(metavar="ROLE")],
    as_user: ActorOpt = None,
) -> None:
    """Change a user's role (their sessions end)."""
    rt = runtime()
    users.change_role(rt, actor=actor(rt, as_user), username=username, role=new_role)
    typer.echo(f"{username} is now {new_role}")


@app.command("unlock")
@command
def unlock(username: str, as_user: ActorOpt = None) -> None:
    """Unlock an account locked after failed sign-ins."""
    rt = runtime()
    users.unlock_user(rt, actor=actor(rt, as_user), username=username)
    typer.echo(f"unlocked {username}")


@app.command("disable")
@command
def disable(username: str, as_user: ActorOpt = None) -> None:
    """Disable an account (it keeps its history; its sessions end)."""
    rt = runtime()
    users.disable_user(rt, actor=actor(rt, as_user), username=username)
    typer.echo(f"disabled {username}")


@app.command("enable")
@command
def enable(username: str, as_user: ActorOpt = None) -> None:
    """Enable a disabled account."""
    rt = runtime()
    users.enable_user(rt, actor=actor(rt, as_user), username=username)
    typer.echo(f"enabled {username}")


@app.command("reset-mfa")
@command
def reset_mfa(username: str, as_user: ActorOpt = None) -> None:
    """Clear a user's TOTP enrolment (their sessions end); the account awaits activation by a
    second person, then they enrol again at their next sign-in."""
    rt = runtime()
    users.reset_mfa(rt, actor=actor(rt, as_user), username=username)
    typer.echo(f"MFA reset for {username}")
    typer.echo(AWAITS.format(username=username))


@app.command("reset-password")
@command
def reset_password(
    username: str, password_stdin: PasswordStdin = False, as_user: ActorOpt = None
) -> None:
    """Give an account a new password (its sessions end); the account awaits activation by a
    second person."""
    rt = runtime()
    users.reset_password(
        rt, actor=actor(rt, as_user), username=username, password=_password(password_stdin)
    )
    typer.echo(f"password reset for {username}")
    typer.echo(
        AWAITS.format(username=username)
        + "; at its next sign-in its holder replaces this password with their own"
    )


@app.command("change-password")
@command
def change_password(username: str) -> None:
    """Change your own password, signed in as USERNAME (your command-line session, or the
    password and a TOTP code: ALPR_PASSWORD and ALPR_TOTP, or asked): the current password
    again (ALPR_PASSWORD or asked) and the new one (ALPR_NEW_PASSWORD or asked twice). Every
    session of the account then ends; sign in again with the new one."""
    rt = runtime()
    principal = signed_in(rt, username)
    current = secret("ALPR_PASSWORD", "Current password")
    new = new_password()
    if current is None or new is None:
        fail("give the current password (ALPR_PASSWORD) and the new one (ALPR_NEW_PASSWORD)")
    ended = change_own_password(
        rt, principal=principal, current=current, new=new, client_addr=cli_session.CLIENT
    )
    typer.echo(f"password changed for {principal.username}; {ended} session(s) ended")


AWAITS = (
    "it signs in again once a second person (another ALPR Administrator or command staff, not "
    "you) activates it: alpr users activate {username} --as THEM"
)
