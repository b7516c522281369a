"""Every privileged act on the command line is done signed in and names the person (R01,
R22): without ``--as`` it is refused (exit 3) once an Administrator exists, and so is a wrong
password or TOTP code, each refusal in the access log; only the first Administrator of an empty
database is added without one. ``--as`` keeps a command-line session, so a script's next
commands need no second code, until ``alpr signout``, at the terminal that signed in only."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pyotp
import pytest
from sqlalchemy import select
from typer.testing import CliRunner

from alpr.cli import app
from alpr.commands import cli_session
from alpr.data.models import AccessRecord, SignInSession, User
from alpr.governance.runtime import Runtime
from tests.conftest import TestUser
from tests.integration.terminal import run_at_terminal

Run = Callable[..., tuple[int, str]]
ROOT = Path(__file__).resolve().parents[2]
AGENCY = "Demo City Police Department"


@pytest.fixture
def cli(cli_database: Runtime, monkeypatch: pytest.MonkeyPatch) -> Iterator[Run]:
    runner = CliRunner()

    def run(
        *args: str, password: str | None = None, code: str | None = None, stdin: str | None = None
    ) -> tuple[int, str]:
        for name, value in (("ALPR_PASSWORD", password), ("ALPR_TOTP", code)):
            if value is None:
                monkeypatch.delenv(name, raising=False)
            else:
                monkeypatch.setenv(name, value)
        result = runner.invoke(app, list(args), input=stdin)
        return result.exit_code, result.output

    yield run


def _add(run: Run, username: str, role: str, *extra: str, **signed: Any) -> tuple[int, str]:
    return run(
        "users", "add", username, "--role", role, "--full-name", username.title(),
        "--agency", AGENCY, "--password-stdin", *extra,
        stdin="Quiet-Harbor-Lantern-71\n", **signed,
    )  # fmt: skip


def _users(rt: Runtime) -> set[str]:
    with rt.transaction() as session:
        return set(session.execute(select(User.username)).scalars())


def _log(rt: Runtime) -> list[tuple[str, str, str | None, str | None]]:
    with rt.transaction() as session:
        rows = session.execute(
            select(
                AccessRecord.event, AccessRecord.outcome, AccessRecord.username, AccessRecord.detail
            ).order_by(AccessRecord.id)
        )
        return [tuple(r) for r in rows]  # type: ignore[misc]


def test_only_the_first_administrator_of_an_empty_database_is_added_unsigned(
    rt: Runtime, cli: Run
) -> None:
    """R01: on an empty database the first Administrator is added without --as (set-up);
    after that nobody is, not even another Administrator."""
    code, out = _add(cli, "rivera", "investigator")
    assert code == 3 and "sign in" in out and _users(rt) == set()
    code, out = _add(cli, "okafor", "administrator")
    assert code == 0 and "created okafor" in out
    code, out = _add(cli, "mallory", "administrator")
    assert code == 3 and out.count("\n") == 1 and out.startswith("refused (sign_in)")
    assert _users(rt) == {"okafor"}
    assert [r[:3] for r in _log(rt) if r[0] == "user_change"] == [
        ("user_change", "refused", "system"),
        ("user_change", "success", "system"),
        ("user_change", "refused", "system"),
    ]


def test_users_add_and_reset_mfa_need_the_administrator_signed_in(
    rt: Runtime, cli: Run, make_user: Callable[..., TestUser]
) -> None:
    """R01, R22: without --as, with a wrong password and with a wrong code the act is refused
    (exit 3) and logged; signed in, it is done and names the Administrator."""
    admin = make_user("okafor", "administrator")
    make_user("rivera", "investigator")
    wrong_code = "000000" if pyotp.TOTP(admin.totp_secret).now() != "000000" else "111111"
    code, out = cli("users", "reset-mfa", "rivera")
    assert code == 3 and out.startswith("refused (sign_in)")
    code, out = _add(cli, "mallory", "administrator")
    assert code == 3 and out.startswith("refused (sign_in)")
    code, out = _add(cli, "mallory", "administrator", "--as", "okafor", password="Wrong-Pass-123",
                     code=wrong_code)  # fmt: skip
    assert code == 3 and "Wrong username or password" in out
    code, out = cli("users", "reset-mfa", "rivera", "--as", "okafor", password=admin.password,
                    code=wrong_code)  # fmt: skip
    assert code == 3 and "code is not valid" in out
    assert _users(rt) == {"okafor", "rivera"}
    failures = [r for r in _log(rt) if r[0] == "sign_in" and r[1] == "failure"]
    assert [(r[2], r[3]) for r in failures] == [
        ("okafor", "password failed"),
        ("okafor", "totp failed"),
    ]
    code, out = cli("users", "reset-mfa", "rivera", "--as", "okafor", password=admin.password,
                    code=admin.code())  # fmt: skip
    assert code == 0 and "MFA reset for rivera" in out
    code, out = _add(cli, "mallory", "investigator", "--as", "okafor")
    assert code == 0 and "mallory" in _users(rt)
    done = [r for r in _log(rt) if r[0] == "user_change" and r[1] == "success"]
    assert [(r[2], r[3]) for r in done] == [
        ("okafor", "reset_mfa rivera; it awaits activation by a second person"),
        ("okafor", "created user mallory with role investigator; it awaits activation by a "
         "second person"),
    ]  # fmt: skip


def test_a_password_reset_on_the_command_line_awaits_a_second_person(
    rt: Runtime, cli: Run, make_user: Callable[..., TestUser]
) -> None:
    """R01: `users reset-password` says the account awaits activation; `users list` shows it
    so, with who reset its password; its resetter's `users activate` is refused (exit 3) and
    the commander's, who lists it with `--awaiting`, activates it."""
    admin = make_user("okafor", "administrator")
    chief = make_user("ellis", "command")
    make_user("rivera", "investigator")
    code, out = cli("users", "reset-password", "rivera", "--password-stdin", "--as", "okafor",
                    password=admin.password, code=admin.code(),
                    stdin="Brand-New-Passphrase-9\n")  # fmt: skip
    assert code == 0 and "password reset for rivera" in out
    assert "once a second person" in out and "alpr users activate rivera" in out
    code, out = cli("users", "list", "--as", "okafor")
    [line] = [line for line in out.splitlines() if line.startswith("rivera ")]
    assert code == 0 and "Awaiting activation: password reset by okafor, " in line
    code, out = cli("users", "activate", "rivera", "--as", "okafor")
    assert code == 3 and "You reset rivera's password, so a second person" in out
    code, out = cli("users", "list", "--awaiting", "--as", "ellis",
                    password=chief.password, code=chief.code())  # fmt: skip
    assert code == 0 and out.startswith("rivera  Rivera  (Investigator): password reset by okafor")
    code, out = cli("users", "list", "--as", "ellis")
    assert code == 3 and out.startswith("refused (permission)")
    code, out = cli("users", "activate", "rivera", "--as", "ellis")
    assert code == 0 and "activated rivera" in out
    code, out = cli("users", "list", "--awaiting", "--json", "--as", "ellis")
    assert code == 0 and json.loads(out) == []


def test_a_session_serves_the_next_commands_until_signout(
    rt: Runtime, cli: Run, make_user: Callable[..., TestUser]
) -> None:
    """R01: one sign-in (password and code) opens a command-line session; the next commands
    use it without a code, and the spent code cannot open another; signout ends it."""
    admin = make_user("okafor", "administrator")
    code = admin.code()
    status, out = cli("signin", "okafor", password=admin.password, code=code)
    assert status == 0 and "signed in as okafor" in out
    [token_file] = (rt.settings.data_dir / "cli-sessions").glob("okafor@*")
    assert token_file.stat().st_mode & 0o077 == 0
    status, out = cli("users", "disable", "nobody.here", "--as", "okafor")
    assert status == 2 and "no user named" in out
    status, out = cli("signout", "okafor")
    assert status == 0 and "signed out okafor" in out and not token_file.exists()
    status, out = cli("users", "unlock", "okafor", "--as", "okafor",
                      password=admin.password, code=code)  # fmt: skip
    assert status == 3 and "used already" in out
    with rt.transaction() as session:
        ended = session.execute(select(SignInSession.end_reason)).scalars().all()
    assert [str(reason) for reason in ended] == ["signed_out"]


def test_a_session_serves_only_the_terminal_that_signed_in(
    rt: Runtime, cli: Run, make_user: Callable[..., TestUser]
) -> None:
    """R01, R20: everyone at the command line runs it as the system account that holds the
    data folder and its keys, so a session kept for that account would let a colleague at
    another terminal search in the detective's name without her password or code. A command
    started from the terminal that signed in uses the session; one started in another login
    session is asked to sign in, and only the detective's own search is in the log."""
    rivera = make_user("rivera", "investigator")
    status, out = cli("signin", "rivera", password=rivera.password, code=rivera.code())
    assert status == 0, out
    why = ["--purpose", "wanted_vehicle", "--case-number", "26-04711"]
    command = [sys.executable, "-m", "alpr", "search", "history", "7ABC123", *why, "--as", "rivera"]
    no_secrets = {k: v for k, v in os.environ.items() if k not in ("ALPR_PASSWORD", "ALPR_TOTP")}

    def run(*, new_terminal: bool) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            command,
            cwd=ROOT,
            env=no_secrets,
            stdin=subprocess.DEVNULL,
            capture_output=True,
            text=True,
            timeout=120,
            start_new_session=new_terminal,
        )

    same = run(new_terminal=False)
    assert same.returncode == 0, same.stderr
    other = run(new_terminal=True)
    assert other.returncode == 3 and "set ALPR_PASSWORD" in other.stderr
    with rt.transaction() as session:
        searches = session.execute(
            select(AccessRecord.username, AccessRecord.outcome).where(
                AccessRecord.event == "search"
            )
        ).all()
    assert [tuple(row) for row in searches] == [("rivera", "allowed")]


WINDOW = ("--start", "2026-11-19T22:00:00-08:00", "--end", "2026-11-19T23:00:00-08:00")


@pytest.mark.parametrize(
    "argv",
    [
        ("purge", "--dry-run"),
        ("search", "canvass", *WINDOW, "--lat", "37.7", "--lon", "-122.4", "--radius-m", "200"),
        ("search", "history", "7KQM482", "--purpose", "wanted_vehicle"),
        ("alerts", "list"),
        ("releases", "decide", "1", "--approve", "--note", "Under the county MOU"),
        ("releases", "fulfil", "1"),
        ("holds", "list"),
        ("holds", "release", "1", "--note", "Case closed"),
        ("evidence", "export", "--case-number", "26-04711", "--out", "package"),
    ],
    ids=lambda argv: " ".join(argv[:2]),
)
def test_a_command_run_without_as_is_refused_as_the_docs_say(
    cli: Run, make_user: Callable[..., TestUser], argv: tuple[str, ...]
) -> None:
    """R01: searches, the purge, release decisions, holds and evidence exports without
    ``--as`` are refused (exit 3) in one line saying how to name who acts, like every other
    privileged command, not a usage mistake of the parser (exit 2, "Missing option")."""
    make_user("okafor", "administrator")
    code, out = cli(*argv)
    assert code == 3, out
    [line] = out.strip().splitlines()
    assert line == "refused (sign_in): name who acts with --as USER (see `alpr signin`)"


def test_the_account_list_speaks_of_each_account_not_of_you(
    cli: Run, make_user: Callable[..., TestUser]
) -> None:
    """R03: `users list` says each account's training in the Users page's words; it said
    "No department-approved ALPR training is on record for you" of every untrained colleague."""
    admin = make_user("okafor", "administrator")
    make_user("chen", "patrol", trained_on=None)
    code, out = cli("users", "list", "--as", "okafor", password=admin.password, code=admin.code())
    assert code == 0, out
    lines = dict(line.split("  ", 1) for line in out.strip().splitlines())
    assert lines["chen"].endswith("; training: None on record: no ALPR data")
    assert lines["okafor"].endswith("; training: Current until 2027-06-01")
    assert "you" not in out


def test_a_session_file_copied_for_another_terminal_serves_it_not(
    rt: Runtime, cli: Run, make_user: Callable[..., TestUser], monkeypatch: pytest.MonkeyPatch
) -> None:
    """R01, R20: the session files are readable by everyone who runs the command line (the
    same system account), so a colleague can copy the detective's under their own terminal's
    name; the server knows her token only with her terminal, and the colleague's search in her
    name is refused (exit 3) and not made."""
    rivera = make_user("rivera", "investigator")
    status, out = cli("signin", "rivera", password=rivera.password, code=rivera.code())
    assert status == 0, out
    [kept] = (rt.settings.data_dir / "cli-sessions").glob("rivera@*")
    monkeypatch.setattr(cli_session, "_terminal", lambda: "4242-1")
    kept.with_name("rivera@4242-1").write_text(kept.read_text())
    status, out = cli(
        "search", "history", "7ABC123", "--purpose", "wanted_vehicle",
        "--case-number", "26-04711", "--as", "rivera",
    )  # fmt: skip
    assert status == 3 and "set ALPR_PASSWORD" in out
    with rt.transaction() as session:
        assert not session.execute(
            select(AccessRecord.id).where(AccessRecord.event == "search")
        ).first()


def test_prompts_go_to_the_terminal_not_into_the_output(
    cli_database: Runtime, make_user: Callable[..., TestUser], monkeypatch: pytest.MonkeyPatch
) -> None:
    """R01: `alpr purge --dry-run --json --as ADMIN > preview.json` asked for the password on
    standard output: the person at the terminal saw a blank line and waited, and the prompts
    went into the file ahead of the JSON. The questions are the terminal's; the output is the
    command's alone."""
    admin = make_user("okafor", "administrator")
    for name in ("ALPR_PASSWORD", "ALPR_TOTP"):
        monkeypatch.delenv(name, raising=False)
    typed = run_at_terminal(
        ["policy", "history", "--json", "--as", "okafor"],
        [("Password for okafor", admin.password), ("TOTP code", lambda _: admin.code())],
    )
    assert typed.exit_code == 0, typed.terminal
    assert json.loads(typed.stdout) == []
    assert "Password for okafor" not in typed.stdout and "TOTP code" not in typed.stdout


def test_an_account_enrolling_its_authenticator_is_shown_its_key_at_the_terminal(
    rt: Runtime,
    cli_database: Runtime,
    make_user: Callable[..., TestUser],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """R01: after `alpr users reset-mfa` "they enrol again at their next sign-in", but `alpr
    signin` asked for a TOTP code and never showed the new key, so the holder had no code to
    give. Once the password is right the terminal shows the provisioning URI, then asks for the
    code of the authenticator set up with it; a wrong password is refused before any key."""
    chen = make_user("chen", "patrol", mfa_enrolled=False)
    for name in ("ALPR_PASSWORD", "ALPR_TOTP"):
        monkeypatch.delenv(name, raising=False)
    wrong = run_at_terminal(["signin", "chen"], [("Password for chen", "Not-Chens-Password-9")])
    assert wrong.exit_code == 3 and "otpauth://" not in wrong.terminal + wrong.stdout

    def code_of_key_shown(screen: str) -> str:
        secret = re.search(r"otpauth://totp/\S*[?&]secret=([A-Z2-7]+)", screen)
        assert secret, screen
        return pyotp.TOTP(secret.group(1)).now()

    typed = run_at_terminal(
        ["signin", "chen"], [("Password for chen", chen.password), ("TOTP code", code_of_key_shown)]
    )
    assert (typed.exit_code, typed.stdout) == (0, "signed in as chen (patrol)\n"), typed.terminal
    with rt.transaction() as session:
        enrolled = session.execute(
            select(User.mfa_enrolled_at).where(User.username == "chen")
        ).scalar_one()
    assert enrolled is not None
