"""Separate owners on Postgres (R22): ``alpr db upgrade`` migrates as the role that owns the
tables and grants the app's role rows only. Connected as the app's role — what the app and the
worker use — the access log's triggers can be neither disabled nor dropped, records neither
updated, deleted nor truncated; the app still writes and verifies the log and creates its
read partitions. An app role that could act as the owner is refused at upgrade."""

from __future__ import annotations

import os
import subprocess
import sys
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import psycopg
import pytest
from sqlalchemy.engine import make_url

from tests.conftest import PG_ADMIN_URL, RUN_TAG, _pg_admin, _pg_conninfo

ROOT = Path(__file__).resolve().parents[2]


@dataclass(frozen=True)
class Cluster:
    database: str
    owner: str
    app: str
    data_dir: Path

    def url(self, role: str) -> str:
        return (
            make_url(PG_ADMIN_URL)
            .set(username=role, password=None, database=self.database)
            .render_as_string(hide_password=False)
        )

    def alpr(self, *args: str, app_url: str | None = None) -> subprocess.CompletedProcess[str]:
        env = {
            **os.environ,
            "ALPR_DATABASE_URL": app_url or self.url(self.app),
            "ALPR_OWNER_DATABASE_URL": self.url(self.owner),
            "ALPR_DATA_DIR": str(self.data_dir),
            "PYTHONPATH": str(ROOT),
        }
        return subprocess.run(
            [sys.executable, "-m", "alpr", *args],
            cwd=ROOT,
            env=env,
            text=True,
            capture_output=True,
            timeout=300,
            check=False,
        )

    def as_app(self) -> psycopg.Connection:
        conninfo = make_url(_pg_conninfo(self.database)).set(username=self.app)
        return psycopg.connect(conninfo.render_as_string(hide_password=False), autocommit=True)


@pytest.fixture
def cluster(tmp_path: Path) -> Iterator[Cluster]:
    tag = f"{RUN_TAG}_{uuid.uuid4().hex[:6]}"
    found = Cluster(f"alpr_roles_{tag}", f"alpr_owner_{tag}", f"alpr_app_{tag}", tmp_path)
    try:
        admin = _pg_admin()
    except psycopg.OperationalError as exc:
        pytest.skip(f"Postgres unreachable: {exc}")
    with admin:
        admin.execute(f'CREATE ROLE "{found.owner}" LOGIN')
        admin.execute(f'CREATE ROLE "{found.app}" LOGIN')
        admin.execute(f'CREATE DATABASE "{found.database}" OWNER "{found.owner}"')
        with psycopg.connect(_pg_conninfo(found.database), autocommit=True) as conn:
            for extension in ("postgis", "pg_trgm", "btree_gist"):  # a superuser's part
                conn.execute(f"CREATE EXTENSION IF NOT EXISTS {extension}")
        try:
            yield found
        finally:
            admin.execute(f'DROP DATABASE IF EXISTS "{found.database}" WITH (FORCE)')
            admin.execute(f'DROP ROLE IF EXISTS "{found.app}"')
            admin.execute(f'DROP ROLE IF EXISTS "{found.owner}"')


def _refused(conn: psycopg.Connection, sql: str) -> str:
    with pytest.raises(psycopg.DatabaseError) as refused:
        conn.execute(sql)
    return str(refused.value)


def test_the_app_role_cannot_disable_the_log_s_guards(cluster: Cluster) -> None:
    upgraded = cluster.alpr("db", "upgrade")
    assert upgraded.returncode == 0, upgraded.stderr
    verified = cluster.alpr("audit", "verify")  # as the app's role: it writes the log too
    assert verified.returncode == 0, verified.stderr
    with cluster.as_app() as app:
        assert app.execute("SELECT count(*) FROM access_records").fetchone() == (2,)
        for sql in (
            "ALTER TABLE access_records DISABLE TRIGGER ALL",
            "ALTER TABLE access_records DISABLE TRIGGER access_records_append_only",
            "DROP TRIGGER access_records_append_only ON access_records",
            "ALTER TABLE purge_runs DISABLE TRIGGER USER",
        ):
            assert "must be owner" in _refused(app, sql), sql
        for sql in (
            "UPDATE access_records SET detail = 'edited'",
            "TRUNCATE access_records",
            "UPDATE purge_runs SET run_by = 'edited'",
        ):
            assert "permission denied" in _refused(app, sql), sql
        assert "append-only" in _refused(app, "DELETE FROM access_records")
        created = app.execute(
            "SELECT * FROM alpr_ensure_read_partitions(ARRAY[DATE '2031-01-01'])"
        ).fetchall()
        assert created == [
            ("reads_standard_2031_01",),
            ("reads_retained_2031_01",),
            ("read_alternatives_standard_2031_01",),
            ("read_alternatives_retained_2031_01",),
        ]
        assert app.execute("SELECT count(*) FROM reads_standard_2031_01").fetchone() == (0,)
        app.execute(
            "INSERT INTO read_alternatives (captured_at, camera_id, read_plate, plate, score) "
            "VALUES ('2031-01-05 10:00+00', 1, '7ABC123', '7A8C123', 0.2)"
        )
        assert app.execute(
            "SELECT count(*) FROM read_alternatives_standard_2031_01"
        ).fetchone() == (1,)
        owner = app.execute(
            "SELECT pg_get_userbyid(relowner) FROM pg_class WHERE relname = 'access_records'"
        ).fetchone()
        assert owner == (cluster.owner,)
    maintained = cluster.alpr("db", "maintain")
    assert maintained.returncode == 0, maintained.stderr
    assert "access log checkpoint 1" in maintained.stdout


def test_an_app_role_that_could_act_as_the_owner_is_refused(cluster: Cluster) -> None:
    """Refused before anything changes: the database stays empty."""
    result = cluster.alpr("db", "upgrade", app_url=cluster.url(cluster.owner))
    assert result.returncode == 2
    assert "acts as the owner: it could disable the triggers" in result.stderr
    superuser = make_url(PG_ADMIN_URL).username or "postgres"
    result = cluster.alpr("db", "upgrade", app_url=cluster.url(superuser))
    assert result.returncode == 2
    assert "is a superuser" in result.stderr
    status = cluster.alpr("db", "status")
    assert "database: empty" in status.stdout, status.stdout + status.stderr
