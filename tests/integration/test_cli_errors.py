"""Errors at the command line say one line and never a secret (R01, R50): a database error
while creating an account prints neither its TOTP secret nor its bcrypt hash, to the terminal
or to the incident log; a username no account can have is refused before any password is
asked, and the attempt is recorded."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy import func, select, text
from sqlalchemy.exc import DBAPIError
from typer.testing import CliRunner

from alpr.cli import app
from alpr.commands.guard import INCIDENT_LOG
from alpr.data import schema
from alpr.data.models import SignInAttempt, User
from alpr.governance.auth import totp
from alpr.governance.runtime import Runtime
from tests.conftest import TEST_PASSWORD, TestUser

SECRET = "JBSWY3DPEHPK3PXPSECRETNEWACCOUNT"


@pytest.mark.postgres_only
def test_a_database_error_in_users_add_prints_no_secret_nor_hash(
    cli_database: Runtime, backend: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """R01, R50: Postgres refuses the row (its error quotes every value); the terminal gets one
    line with an incident reference, the log only where and what kind of error."""
    if backend != "postgres":
        pytest.skip("the failing-row message is Postgres's")
    rt = cli_database
    monkeypatch.setattr(totp, "new_secret", lambda: SECRET)
    with rt.engine.begin() as conn:
        conn.execute(text("ALTER TABLE users ADD CONSTRAINT no_new_users CHECK (id < 0) NOT VALID"))
    result = CliRunner().invoke(
        app,
        [
            "users",
            "add",
            "firstadmin",
            "--role",
            "administrator",
            "--full-name",
            "First Administrator",
            "--agency",
            _home_agency(rt),
            "--password-stdin",
        ],
        input=TEST_PASSWORD + "\n",
    )
    assert result.exit_code == 1, result.output
    assert "incident" in result.stderr and len(result.stderr.strip().splitlines()) == 1
    log = (rt.settings.data_dir / INCIDENT_LOG).read_text()
    for shown in (result.output, log):
        assert SECRET not in shown and "$2b$" not in shown and TEST_PASSWORD not in shown
        assert "Traceback" not in result.output
    assert "CheckViolation" in log or "IntegrityError" in log
    with rt.engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(User)).scalar_one() == 0


def _home_agency(rt: Runtime) -> str:
    from alpr.data.models import Agency

    with rt.engine.connect() as conn:
        return conn.execute(select(Agency.name).where(Agency.is_home.is_(True))).scalar_one()


def test_a_username_longer_than_its_column_is_refused_first_and_recorded(
    cli_database: Runtime, monkeypatch: pytest.MonkeyPatch
) -> None:
    """R01: 65 characters, or a NUL byte, answer in one line before any password is asked,
    and the attempt is where sign-in attempts are (clipped to the column)."""
    rt = cli_database
    monkeypatch.delenv("ALPR_PASSWORD", raising=False)
    for name in ("u" * 65, "bad\x00name"):
        result = CliRunner().invoke(
            app, ["holds", "list", "--as", name], env={"ALPR_PASSWORD": None}
        )
        assert result.exit_code in (2, 3), result.output
        assert len(result.stderr.strip().splitlines()) == 1
        assert "No account has that username" in result.stderr or "NUL" in result.stderr
    with rt.engine.connect() as conn:
        recorded = conn.execute(select(SignInAttempt.username, SignInAttempt.success)).all()
    assert ("u" * 64, False) in recorded


def test_an_unexpected_failure_is_one_line_with_an_incident_reference(
    cli_database: Runtime, monkeypatch: pytest.MonkeyPatch
) -> None:
    """R50: whatever goes wrong, the terminal shows one generic line and exit status 1; what
    happened is in the incident log under the data directory, found by its reference."""
    from alpr.commands import audit

    def broken(_rt: Runtime) -> None:
        raise RuntimeError("internal state holding hunter2-secret")

    monkeypatch.setattr(audit.oversight_chain, "verify_access_log", broken)
    result = CliRunner().invoke(app, ["audit", "verify"])
    assert result.exit_code == 1
    assert result.exception is None or isinstance(result.exception, SystemExit)
    [line] = result.stderr.strip().splitlines()
    assert "hunter2" not in result.output and "Traceback" not in result.output
    reference = line.split("incident ")[1].split(";")[0]
    log = (cli_database.settings.data_dir / INCIDENT_LOG).read_text()
    assert f"=== incident {reference} in `alpr audit verify`" in log
    assert "RuntimeError" in log and "verify_access_log" not in line


def test_database_errors_never_quote_statement_parameters(rt: Runtime) -> None:
    """R50: an error from either database names the statement, never the values bound to it
    (the incident log and any other handler see the same text)."""
    with pytest.raises(DBAPIError) as failed, rt.engine.begin() as conn:
        conn.execute(text("SELECT * FROM no_such_table WHERE x = :v"), {"v": "hunter2-secret"})
    assert "hunter2" not in str(failed.value)


DEEP = "[" * 100_000 + "]" * 100_000


@pytest.mark.parametrize(
    ("name", "content", "argv", "said"),
    [
        ("request.json", DEEP, ["releases", "evaluate", "--request"], "nested deeper than 20"),
        ("reads.jsonl", DEEP + "\n", ["ingest", "--camera", "cam-1"], "nested deeper than 20"),
        (
            "reads.csv",
            "plate,captured_at,lat,lon\n7ABC123," + "x" * 10_000_000 + ",1,2\n",
            ["ingest", "--camera", "cam-1"],
            "longer than 65536 characters",
        ),
        (
            "list.csv",
            "plate,reason\n7ABC123," + "x" * 200_000 + "\n",
            ["hotlist", "import", "--list", "stolen"],
            "longer than 65536 characters",
        ),
        (
            "list.csv",
            "plate,reason\n7AB\x00C123,stolen\n",
            ["hotlist", "import", "--list", "stolen"],
            "NUL",
        ),
    ],
)
def test_files_past_the_limits_are_refused_in_one_line_storing_nothing(
    cli_database: Runtime,
    make_user: Callable[..., TestUser],
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    name: str,
    content: str,
    argv: list[str],
    said: str,
) -> None:
    """R50: JSON nested 100,000 deep, a 10 MB CSV field, NUL bytes: exit 2, one line naming the
    limit, nothing stored."""
    from alpr.data.models import HotListEntry, Read
    from alpr.governance.cameras import add_camera
    from alpr.governance.hotlists import ensure_list

    add_camera(cli_database, actor=None, name="cam-1", lat=37.7, lon=-122.4)
    ensure_list(cli_database, actor=None, name="stolen", kind="stolen_vehicle")
    path = tmp_path / name
    path.write_text(content)
    where = 3 if argv[0] == "releases" else len(argv)
    signed = []
    if argv[0] in ("hotlist", "ingest"):
        admin = make_user("listadmin", "administrator")
        monkeypatch.setenv("ALPR_PASSWORD", admin.password)
        monkeypatch.setenv("ALPR_TOTP", admin.code())
        signed = ["--as", admin.username]
    result = CliRunner().invoke(app, [*argv[:where], str(path), *argv[where:], *signed])
    assert result.exit_code == 2, result.output
    [line] = result.stderr.strip().splitlines()
    assert said in line
    with cli_database.engine.connect() as conn:
        for model in (Read, HotListEntry):
            assert conn.execute(select(func.count()).select_from(model)).scalar_one() == 0


def test_a_downgrade_to_no_earlier_revision_is_bad_input_and_changes_nothing(
    cli_database: Runtime,
) -> None:
    """`alpr db downgrade nosuch --yes` ended in an incident (exit 1); a revision this release
    does not know, or the database's own, is one line and exit 2, the schema untouched."""
    head = schema.head_revision()
    for revision, said in (
        ("nosuch", "no schema revision 'nosuch': give base or one of 0001 to "),
        ("+1", "no schema revision '+1'"),
        (head, f"the database is at {head}: a downgrade goes to an earlier revision"),
    ):
        result = CliRunner().invoke(app, ["db", "downgrade", revision, "--yes"])
        assert result.exit_code == 2, result.output
        [line] = result.stderr.strip().splitlines()
        assert said in line
    assert schema.current_revision(cli_database.engine) == head


def test_demo_codes_are_given_only_for_demo_accounts_the_database_holds(
    cli_database: Runtime,
) -> None:
    """`alpr demo codes` printed six codes on a database without the demo agency, for accounts
    that do not exist; it says there is none to give."""
    result = CliRunner().invoke(app, ["demo", "codes"])
    assert result.exit_code == 2 and result.stdout == ""
    [line] = result.stderr.strip().splitlines()
    assert line == (
        "error: this database holds no demo account: `alpr demo seed` creates them in an empty "
        "database"
    )


WINDOWS_TEXT = "Stolen from the Café Nero lot".encode("cp1252")


@pytest.mark.parametrize(
    ("name", "content", "argv"),
    [
        (
            "reads.csv",
            b"plate,captured_at,lat,lon,note\n7ABC123,2026-11-20T09:00:00-08:00,37.7,-122.4,"
            + WINDOWS_TEXT,
            ["ingest", "--camera", "cam-1"],
        ),
        (
            "list.csv",
            b"plate,reason,case_number\n7ABC123," + WINDOWS_TEXT + b",26-04711\n",
            ["hotlist", "import", "--list", "stolen"],
        ),
        ("places.csv", b"address,lat,lon\n1 Caf\xe9 Way,37.7,-122.4\n", ["places", "import"]),
        ("request.json", b'{"purpose": "' + WINDOWS_TEXT + b'"}', ["releases", "evaluate"]),
    ],
    ids=lambda value: value if isinstance(value, str) else None,
)
def test_a_file_not_in_utf8_is_refused_in_plain_words(
    cli_database: Runtime,
    make_user: Callable[..., TestUser],
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    name: str,
    content: bytes,
    argv: list[str],
) -> None:
    """A spreadsheet saved as Windows text answered "'utf-8' codec can't decode byte 0xe9 in
    position 97: invalid continuation byte"; now one line naming the file and what to do,
    exit 2, nothing stored."""
    from alpr.data.models import HotListEntry, Read
    from alpr.governance.cameras import add_camera
    from alpr.governance.hotlists import ensure_list

    add_camera(cli_database, actor=None, name="cam-1", lat=37.7, lon=-122.4)
    ensure_list(cli_database, actor=None, name="stolen", kind="stolen_vehicle")
    path = tmp_path / name
    path.write_bytes(content)
    admin = make_user("listadmin", "administrator")
    monkeypatch.setenv("ALPR_PASSWORD", admin.password)
    monkeypatch.setenv("ALPR_TOTP", admin.code())
    signed = [] if argv[0] == "releases" else ["--as", admin.username]
    option = ["--request"] if argv[0] == "releases" else []
    result = CliRunner().invoke(app, [*argv, *option, str(path), *signed])
    assert result.exit_code == 2, result.output
    [line] = result.stderr.strip().splitlines()
    assert f"{name} is not UTF-8 text" in line and "codec" not in line
    with cli_database.engine.connect() as conn:
        for model in (Read, HotListEntry):
            assert conn.execute(select(func.count()).select_from(model)).scalar_one() == 0


def test_places_saved_as_csv_utf8_by_a_spreadsheet_are_read(
    cli_database: Runtime,
    make_user: Callable[..., TestUser],
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    """A spreadsheet's "CSV UTF-8" starts with a byte-order mark, which hid the first column
    ("the CSV needs the columns address, lat, lon")."""
    path = tmp_path / "addresses.csv"
    path.write_bytes("\ufeffaddress,lat,lon\n1 Café Way,37.7,-122.4\n".encode())
    admin = make_user("mapadmin", "administrator")
    monkeypatch.setenv("ALPR_PASSWORD", admin.password)
    monkeypatch.setenv("ALPR_TOTP", admin.code())
    result = CliRunner().invoke(app, ["places", "import", str(path), "--as", admin.username])
    assert result.exit_code == 0, result.output
    assert result.stdout.startswith("0 street lines and 1 addresses imported from addresses.csv")
