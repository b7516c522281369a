"""Errors at the command line say one line and never a secret (R01, R50): a database error
while creating an account prints neither its TOTP secret nor its bcrypt hash, to the terminal
or to the incident log; a username no account can have is refused before any password is
asked, and the attempt is recorded."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select, text
from typer.testing import CliRunner

from alpr.cli import app
from alpr.commands.guard import INCIDENT_LOG
from alpr.data.models import SignInAttempt, User
from alpr.governance.auth import totp
from alpr.governance.runtime import Runtime
from tests.conftest import TEST_PASSWORD

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
            "newdetective",
            "--role",
            "investigator",
            "--full-name",
            "New Detective",
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
