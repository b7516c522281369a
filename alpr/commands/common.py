"""What every command shares: the runtime, error handling with stable exit codes, JSON
output, signing in with ``--as``, the justification options and a sergeant's approval."""

from __future__ import annotations

import functools
import json
import math
import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Annotated, Any, Final, NoReturn

import typer
from pydantic import ValidationError
from typer._click.globals import get_current_context  # Typer vendors Click here

from alpr.commands import cli_session
from alpr.config import ignored_policy_variables
from alpr.governance.auth.approval import ApprovalInput, approval_of
from alpr.governance.auth.local import (
    CHOOSE_YOUR_OWN,
    MfaChallenge,
    refuse_impossible_username,
    sign_in,
)
from alpr.governance.errors import INT64, InvalidInput, Refusal, RefusalKind
from alpr.governance.gateway import JustificationInput
from alpr.governance.installation import refuse_local_settings
from alpr.governance.policy import policy_in_force
from alpr.governance.principal import Principal
from alpr.governance.runtime import Runtime, default_runtime
from alpr.incident_log import one_line

EXIT_BAD_INPUT = 2
EXIT_REFUSED = 3
# Dates an ALPR record, a hold or an agreement can carry; beyond them a typo, not a date.
YEARS = range(2000, 2101)


# Help as markdown: a docstring's line breaks are not kept in the command lists.
HELP_MARKUP: Final = "markdown"


def group(help: str) -> typer.Typer:
    """A command group that shows its help when called without a command."""
    return typer.Typer(rich_markup_mode=HELP_MARKUP, help=help, no_args_is_help=True)


def fail(message: str, code: int = EXIT_BAD_INPUT) -> NoReturn:
    typer.echo(f"error: {one_line(message)}", err=True)
    raise typer.Exit(code)


def runtime(*, owner: bool = False) -> Runtime:
    """The runtime; with ``owner``, connected as the owner of the tables when
    ``ALPR_OWNER_DATABASE_URL`` names one (the operator's jobs only)."""
    try:
        rt = default_runtime(owner=True) if owner else default_runtime()
        refuse_local_settings(rt)
    except ValidationError as exc:
        fail("; ".join(str(e["msg"]) for e in exc.errors()))
    except InvalidInput as exc:
        fail(str(exc))
    for name in ignored_policy_variables():
        _warn_once(f"warning: {name} is ignored: policy is set with `alpr policy set`")
    return rt


@functools.cache
def _warn_once(message: str) -> None:
    typer.echo(message, err=True)


@contextmanager
def handled() -> Iterator[None]:
    """Turn refusals and bad input into one clear line and the documented exit status."""
    try:
        yield
    except Refusal as refusal:
        typer.echo(f"refused ({refusal.kind.value}): {one_line(refusal.message)}", err=True)
        raise typer.Exit(EXIT_REFUSED) from None
    except (InvalidInput, ValueError) as exc:
        fail(str(exc))
    except BrokenPipeError:  # the reader stopped early (`| head`): Click ends quietly
        raise
    except OSError as exc:  # a path given on the command line: too long, unreadable...
        fail(f"{exc.strerror or type(exc).__name__}: {str(exc.filename or '')[:120]}")


def emit_json(payload: Any) -> None:
    typer.echo(json.dumps(payload, indent=2, default=_json_default))


def _json_default(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.astimezone(UTC).isoformat()
    if isinstance(value, date):
        return value.isoformat()
    raise TypeError(f"cannot serialise {type(value).__name__}")


def parse_time(value: str, *, option: str) -> datetime:
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        fail(f"{option}: {value!r} is not an ISO 8601 time such as 2026-11-21T22:40:00-08:00")
    _within_years(parsed, option)
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=runtime().settings.tz)
    return parsed.astimezone(UTC)


def parse_date(value: str, *, option: str) -> date:
    try:
        parsed = date.fromisoformat(value)
    except ValueError:
        fail(f"{option}: {value!r} is not a date in YYYY-MM-DD form")
    _within_years(parsed, option)
    return parsed


def _within_years(value: date, option: str) -> None:
    if value.year not in YEARS:
        fail(f"{option}: the year must be between {YEARS.start} and {YEARS.stop - 1}")


def secret(env: str, prompt: str) -> str | None:
    value = os.environ.get(env)
    if value:
        return value
    if sys.stdin.isatty():
        return str(typer.prompt(prompt, hide_input=True, err=True))
    return None


def new_password(why: str | None = None) -> str | None:
    """A person's new password: ALPR_NEW_PASSWORD, or asked twice (after ``why``)."""
    value = os.environ.get("ALPR_NEW_PASSWORD")
    if value:
        return value
    if not sys.stdin.isatty():
        return None
    if why:
        typer.echo(why, err=True)
    return str(
        typer.prompt("Your new password", hide_input=True, confirmation_prompt=True, err=True)
    )


def _totp_code(challenge: MfaChallenge) -> str | None:
    """The authenticator's code, once the password was right: ALPR_TOTP, or asked. An account
    enrolling its authenticator (at its first sign-in, or after its second factor was reset) is
    shown the key to add to the app first, on the terminal only, as the dashboard shows its QR
    code."""
    given = os.environ.get("ALPR_TOTP")
    if given:
        return given
    if challenge.provisioning_uri and sys.stdin.isatty():
        typer.echo(
            "Add this account to your authenticator app (scan the URI as a QR code or enter "
            f"its secret), then type the code it shows: {challenge.provisioning_uri}",
            err=True,
        )
    return secret("ALPR_TOTP", "TOTP code")


def signed_in(rt: Runtime, username: str) -> Principal:
    """USERNAME, signed in: their open command-line session, or a sign-in with the password and
    TOTP from the environment or a prompt, which opens one."""
    refuse_impossible_username(rt, username=username, client_addr=cli_session.CLIENT)
    resumed = cli_session.resume(rt, username)
    if resumed is not None:
        return resumed
    password = secret("ALPR_PASSWORD", f"Password for {username}")
    if password is None:
        raise Refusal(RefusalKind.SIGN_IN, "set ALPR_PASSWORD (and ALPR_TOTP) or run in a terminal")
    principal = sign_in(
        rt,
        username=username,
        password=password,
        code=None,
        ask_code=_totp_code,
        new_password=lambda: new_password(CHOOSE_YOUR_OWN),
        activation_code=lambda: secret(
            "ALPR_ACTIVATION_CODE", "Activation code (from the person who activated the account)"
        ),
        client_addr=cli_session.CLIENT,
    )
    cli_session.keep(rt, principal)
    return principal


ActorOpt = Annotated[
    str | None,
    typer.Option(
        "--as",
        help="Act as this signed-in user (their session, or ALPR_PASSWORD, ALPR_TOTP or "
        "prompted); required.",
    ),
]
PurposeOpt = Annotated[str | None, typer.Option("--purpose", help="Authorized purpose.")]
CaseOpt = Annotated[
    str | None,
    typer.Option(
        "--case-number", help="Case, call or warrant number, in one of the agency's formats."
    ),
]
DescriptionOpt = Annotated[
    str | None,
    typer.Option(
        "--description",
        help="When no number exists, or the search is exigent: what happened, where and when.",
    ),
]
ExigentOpt = Annotated[
    bool,
    typer.Option(
        "--exigent",
        help="Exigent life-safety search, reviewed afterwards by a supervisor; --description "
        "says what the emergency is.",
    ),
]
JsonOpt = Annotated[bool, typer.Option("--json", help="Print JSON.")]
ApprovedByOpt = Annotated[
    str | None,
    typer.Option(
        "--approved-by",
        help="Beyond the policy's bounds: the sergeant who approves, signing in here and now "
        "(their password and authenticator code from ALPR_APPROVER_PASSWORD and "
        "ALPR_APPROVER_CODE, or prompted; never options).",
    ),
]
ApprovalNoteOpt = Annotated[
    str | None,
    typer.Option("--approval-note", help="The sergeant's note: why this much is needed."),
]


def actor(rt: Runtime, username: str | None) -> Principal:
    """The signed-in person an administrative act is done as: every privileged act on the
    command line names the person who did it."""
    if not username:
        raise Refusal(RefusalKind.SIGN_IN, "name who acts with --as USER (see `alpr signin`)")
    return signed_in(rt, username)


def approval(
    rt: Runtime, approved_by: str | None, note: str | None
) -> tuple[Principal | None, str | None]:
    """The sergeant named by ``--approved-by``, signed in with the password and code from
    ALPR_APPROVER_PASSWORD and ALPR_APPROVER_CODE or typed at a hidden prompt, and the note;
    (None, None) without one. The gateway decides whether the approval counts."""
    if approved_by is None:
        if note is not None:
            raise InvalidInput("--approval-note goes with --approved-by, the approving sergeant")
        return None, None
    password = secret("ALPR_APPROVER_PASSWORD", f"Password of {approved_by}, who approves")
    if password is None:
        raise Refusal(
            RefusalKind.SIGN_IN,
            "the approval needs the sergeant's password and code: set ALPR_APPROVER_PASSWORD "
            "and ALPR_APPROVER_CODE, or run in a terminal",
        )
    code = (
        secret("ALPR_APPROVER_CODE", f"Authenticator code of {approved_by}")
        if policy_in_force(rt).require_mfa
        else None
    )
    given = ApprovalInput(username=approved_by, password=password, code=code, note=note)
    return approval_of(rt, given, client_addr=cli_session.CLIENT)


def read_file(path: Path, *, option: str) -> bytes:
    if not path.is_file():
        fail(f"{option}: no such file: {path}")
    return path.read_bytes()


def report(problems: list[str], json_out: bool) -> None:
    """What a package's check found; exits 1 when anything changed."""
    if json_out:
        emit_json({"intact": not problems, "problems": problems})
    elif not problems:
        typer.echo("package intact")
    else:
        for problem in problems:
            typer.echo(f"CHANGED: {problem}", err=True)
    if problems:
        raise typer.Exit(1)


def justification(
    purpose: str | None, case_number: str | None, description: str | None, exigent: bool
) -> JustificationInput:
    return JustificationInput(
        purpose=purpose, case_number=case_number, description=description, exigent=exigent
    )


def _shown_as(name: str) -> str:
    """How the user wrote the parameter (``--as``, ``USERNAME``)."""
    context = get_current_context(silent=True)
    params = context.command.params if context else []
    return next(
        (
            p.opts[0] if p.param_type_name == "option" else (p.metavar or name.upper())
            for p in params
            if p.name == name
        ),
        name,
    )


def _unusable(name: str, value: Any) -> str | None:
    """Why a command-line value cannot be used whatever the command, or None."""
    option = _shown_as(name)
    if isinstance(value, list | tuple):
        return next((p for v in value if (p := _unusable(name, v))), None)
    if isinstance(value, str | Path) and "\x00" in str(value):
        return f"{option}: NUL characters are not accepted"
    if isinstance(value, float) and not math.isfinite(value):
        return f"{option}: must be a finite number"
    if isinstance(value, int) and not isinstance(value, bool) and not -INT64 <= value < INT64:
        return f"{option}: out of range"
    return None


def command(fn: Callable[..., Any]) -> Callable[..., Any]:
    """Wrap a command body so unusable values, refusals and bad input exit with the documented
    status before or instead of anything being done."""

    @functools.wraps(fn)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        problem = next((p for k, v in kwargs.items() if (p := _unusable(k, v))), None)
        if problem:
            fail(problem)
        with handled():
            return fn(*args, **kwargs)

    return wrapper
