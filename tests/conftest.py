"""Fixtures shared by every test layer.

``rt`` is a governance runtime on a freshly migrated database, parametrized over the
embedded SQLite file and Postgres/PostGIS. Postgres databases are cloned from a template
migrated once per run. In CI an unreachable Postgres fails the run instead of skipping.
"""

from __future__ import annotations

import json
import os
import shutil
import time
import uuid
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import psycopg
import pyotp
import pytest
from sqlalchemy.engine import make_url

from alpr.config import Deployment
from alpr.data import schema
from alpr.data.engine import make_engine
from alpr.data.models import TrainingRecord, User
from alpr.governance.auth.passwords import hash_password
from alpr.governance.bootstrap import bootstrap
from alpr.governance.identity import principal_for
from alpr.governance.principal import Principal
from alpr.governance.runtime import Runtime

PG_ADMIN_URL = os.environ.get(
    "ALPR_TEST_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres"
)
IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}
TEST_PASSWORD = "Correct-Horse-Battery-42"
RUN_TAG = f"{os.getpid()}_{uuid.uuid4().hex[:6]}"


def _pg_conninfo(database: str) -> str:
    url = make_url(PG_ADMIN_URL).set(drivername="postgresql", database=database)
    return url.render_as_string(hide_password=False)


def _pg_admin() -> psycopg.Connection:
    return psycopg.connect(
        _pg_conninfo(make_url(PG_ADMIN_URL).database or "postgres"), autocommit=True
    )


def _settings(data_dir: Path, url: str, **overrides: object) -> Deployment:
    return Deployment(data_dir=data_dir, database_url=url, **overrides)  # type: ignore[arg-type]


def pytest_xdist_make_scheduler(config: pytest.Config, log: Any) -> Any:
    """In parallel (``scripts/test.sh`` runs pytest-xdist), see ``tests/parallel.py``."""
    from tests.parallel import GroupedScheduling

    return GroupedScheduling(config, log)


@pytest.fixture(scope="session")
def pg_template(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    try:
        admin = _pg_admin()
    except psycopg.OperationalError as exc:
        if IN_CI:
            pytest.fail(f"Postgres is required in CI and unreachable: {exc}")
        pytest.skip(f"Postgres unreachable: {exc}")
    name = f"alpr_tpl_{RUN_TAG}"
    admin.execute(f'CREATE DATABASE "{name}"')
    with psycopg.connect(_pg_conninfo(name), autocommit=True) as conn:
        for ext in ("postgis", "pg_trgm", "btree_gist"):
            conn.execute(f"CREATE EXTENSION IF NOT EXISTS {ext}")
    url = make_url(PG_ADMIN_URL).set(database=name).render_as_string(hide_password=False)
    engine_rt = Runtime(
        settings=_settings(tmp_path_factory.mktemp("tpl"), url),
        engine=make_engine(url),
        images=None,  # type: ignore[arg-type]
    )
    schema.upgrade(engine_rt.engine)
    bootstrap(engine_rt)
    engine_rt.engine.dispose()
    yield name
    admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    admin.close()


@pytest.fixture(scope="session")
def sqlite_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("sqlite_tpl") / "template.sqlite3"
    url = f"sqlite:///{path}"
    rt = Runtime(settings=_settings(path.parent, url), engine=make_engine(url), images=None)  # type: ignore[arg-type]
    schema.upgrade(rt.engine)
    bootstrap(rt)
    rt.engine.dispose()
    return path


@pytest.fixture(params=["sqlite", "postgres"])
def backend(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def database_url(backend: str, request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    if backend == "sqlite":
        template: Path = request.getfixturevalue("sqlite_template")
        path = tmp_path / "alpr.sqlite3"
        shutil.copyfile(template, path)
        yield f"sqlite:///{path}"
        return
    with pg_clone(request.getfixturevalue("pg_template")) as url:
        yield url


@contextmanager
def pg_clone(template: str) -> Iterator[str]:
    """A Postgres database copied from ``template`` (its rows, indexes and statistics), dropped
    afterwards; yields its URL."""
    name = f"alpr_t_{RUN_TAG}_{uuid.uuid4().hex[:8]}"
    with _pg_admin() as admin:
        # A file copy of a small template is quicker than writing it through the WAL.
        admin.execute(f'CREATE DATABASE "{name}" TEMPLATE "{template}" STRATEGY FILE_COPY')
    try:
        yield make_url(PG_ADMIN_URL).set(database=name).render_as_string(hide_password=False)
    finally:
        with _pg_admin() as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@dataclass
class Clock:
    now: datetime

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


@pytest.fixture
def clock() -> Clock:
    return Clock(datetime(2026, 11, 20, 18, 0, tzinfo=UTC))


@pytest.fixture
def rt(database_url: str, tmp_path: Path, clock: Clock) -> Iterator[Runtime]:
    from alpr.data.images import ImageStore

    settings = _settings(tmp_path / "data", database_url)
    runtime = Runtime(
        settings=settings,
        engine=make_engine(database_url),
        images=ImageStore(settings.image_dir),
        clock=clock,
    )
    yield runtime
    runtime.engine.dispose()


@pytest.fixture
def cli_database(rt: Runtime, monkeypatch: pytest.MonkeyPatch) -> Iterator[Runtime]:
    """The ``alpr`` command, run in this process, on the test's database: it builds its runtime
    once per process from the environment, so that is forgotten before and after."""
    from alpr.config import get_deployment
    from alpr.data.engine import engine_for
    from alpr.governance.runtime import default_runtime

    def forget() -> None:
        get_deployment.cache_clear()
        default_runtime.cache_clear()
        engine_for.cache_clear()

    monkeypatch.setenv("ALPR_DATABASE_URL", rt.settings.resolved_database_url)
    monkeypatch.setenv("ALPR_DATA_DIR", str(rt.settings.data_dir))
    forget()
    yield rt
    default_runtime().engine.dispose()
    forget()


CliRun = Callable[..., tuple[int, Any]]
SignedCli = Callable[[Mapping[str, "TestUser"]], CliRun]


@pytest.fixture
def signed_cli(cli_database: Runtime, monkeypatch: pytest.MonkeyPatch) -> SignedCli:
    """``alpr`` on the test's database for these users: ``run(*args, as_user=..., stdin=...)``
    signs in as that user (password and a fresh TOTP code from the environment, ``--as``) and
    returns the exit code with the parsed JSON when ``--json`` succeeded, else the output."""
    from typer.testing import CliRunner

    from alpr.cli import app

    def signed(users: Mapping[str, TestUser]) -> CliRun:
        runner = CliRunner()

        def run(
            *args: str, as_user: str | None = None, stdin: str | None = None
        ) -> tuple[int, Any]:
            command = list(args)
            if as_user is not None:
                monkeypatch.setenv("ALPR_PASSWORD", users[as_user].password)
                monkeypatch.setenv("ALPR_TOTP", users[as_user].code())
                command += ["--as", as_user]
            result = runner.invoke(app, command, input=stdin)
            if result.exit_code == 0 and "--json" in args:
                return 0, json.loads(result.stdout)
            return result.exit_code, result.output

        return run

    return signed


@dataclass(frozen=True)
class TestUser:
    __test__ = False

    principal: Principal
    username: str
    password: str
    totp_secret: str

    def code(self) -> str:
        return pyotp.TOTP(self.totp_secret).now()


_SPENT_STEPS: dict[str, int] = {}


def fresh_code(secret: str) -> str:
    """A TOTP code of a time-step not handed out before for this secret: a code is accepted
    once (R01), so a test that signs in with each code it asks for gets the next step's code
    the second time (which the server still accepts) and waits for later ones."""
    otp = pyotp.TOTP(secret)
    step = max(otp.timecode(datetime.now(UTC)), _SPENT_STEPS.get(secret, -1) + 1)
    while step > otp.timecode(datetime.now(UTC)) + 1:
        time.sleep(0.5)
    _SPENT_STEPS[secret] = step
    return otp.generate_otp(step)


@pytest.fixture(scope="session")
def password_hash() -> str:
    return hash_password(TEST_PASSWORD)


@pytest.fixture
def make_user(rt: Runtime, password_hash: str) -> Callable[..., TestUser]:
    """Create a user directly in the database (fast), trained unless told otherwise."""
    from sqlalchemy import select

    from alpr.data.models import Agency, RoleCode

    def factory(
        username: str,
        role: str,
        *,
        trained_on: date | None = date(2026, 6, 1),
        mfa_enrolled: bool = True,
    ) -> TestUser:
        secret = pyotp.random_base32()
        with rt.transaction() as session:
            agency = session.execute(select(Agency).where(Agency.is_home.is_(True))).scalar_one()
            user = User(
                username=username,
                full_name=username.title(),
                agency_id=agency.id,
                role_code=RoleCode(role),
                password_hash=password_hash,
                totp_secret=secret,
                mfa_enrolled_at=rt.now() if mfa_enrolled else None,
                created_at=rt.now(),
                activated_at=rt.now(),
            )
            session.add(user)
            session.flush()
            if trained_on is not None:
                session.add(
                    TrainingRecord(
                        user_id=user.id,
                        course="ALPR operator course",
                        completed_on=trained_on,
                        topics=["legal", "policy"],
                        recorded_at=rt.now(),
                    )
                )
            session.flush()
            principal = principal_for(session, user, authenticated_at=rt.now(), client_addr="test")
        return TestUser(principal, username, TEST_PASSWORD, secret)

    return factory
