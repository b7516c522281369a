"""Frozen migrations: a fresh database upgraded one revision at a time has, at each revision,
exactly the guards that revision created, on SQLite and on Postgres. A database stopped at 0001
refuses to delete any alert review (their purge rule came with 0003); from 0011 an access
record goes only past the audit retention (730 days unless recorded) and a purge run's anchor,
and purge runs are append-only; from 0013 so are the misuse flags, the findings on them and the
records' reviews (R22); from 0017 a release's decision, package, attachments and scope go once
past the retention of release records (1825 days unless recorded), never before, and are never
changed (R42)."""

from __future__ import annotations

import sqlite3
import uuid
from collections.abc import Callable, Iterator
from contextlib import closing
from datetime import UTC, datetime, timedelta
from pathlib import Path

import psycopg
import pytest
from alembic.script import ScriptDirectory
from sqlalchemy.engine import make_url

from alpr.data import schema
from alpr.data.engine import make_engine
from tests.conftest import PG_ADMIN_URL, RUN_TAG, _pg_admin, _pg_conninfo

NOW = datetime.now(UTC)
YOUNG, OLD, ANCIENT = (NOW - timedelta(days=days) for days in (10, 400, 800))
PAST_RELEASE_RETENTION = NOW - timedelta(days=1900)  # 1825 days unless recorded

RELEASE_RECORDS = {  # table: (the revision that created it, a row to insert)
    "release_decisions": (
        "0001",
        "INSERT INTO release_decisions (request_id, approver_id, approved, note, decided_at) "
        "VALUES (?, 1, true, ?, ?)",
    ),
    "release_packages": (
        "0009",
        "INSERT INTO release_packages (request_id, produced_by_id, path, manifest, "
        "manifest_sha256, produced_at) VALUES (?, 1, ?, '{}', 'x', ?)",
    ),
    "release_attachments": (
        "0009",
        "INSERT INTO release_attachments (request_id, kind, filename, sha256, size_bytes, "
        "uploaded_at) VALUES (?, 'warrant', ?, 'x', 1, ?)",
    ),
    "scopes": (
        "0009",
        "INSERT INTO scopes (id, plates, start_at, end_at, created_by_id, created_at) "
        "VALUES (?, '[]', '2020-01-01', '2020-01-02', 1, ?)",
    ),
}


def _revisions() -> list[str]:
    script = ScriptDirectory(str(schema.MIGRATIONS))
    return [r.revision for r in reversed(list(script.walk_revisions()))]


class Probe:
    """Raw SQL on the database, as anyone who can write to it would run it."""

    def __init__(self, execute: Callable[[str, tuple[object, ...]], None], postgres: bool):
        self.execute = execute
        self.postgres = postgres

    def allowed(self, sql: str, *params: object) -> bool:
        try:
            self.execute(sql, params)
        except (sqlite3.DatabaseError, psycopg.DatabaseError) as exc:
            assert "append-only" in str(exc) or "signed off" in str(exc), exc
            return False
        return True


def _seed(probe: Probe, tag: str) -> None:
    """One young and one old access record, alert review and policy change (no foreign keys
    checked: only the guards are under test)."""
    for age, at in (("young", YOUNG), ("old", OLD)):
        probe.execute(
            "INSERT INTO access_records (at, event, outcome, username, exigent, prev_hash, hash) "
            "VALUES (?, 'system', 'success', 'probe', false, ?, ?)",
            (at, "0" * 64, f"{tag}-{age}".ljust(64, "0")),
        )
        probe.execute(
            "INSERT INTO alert_reviews (alert_id, reviewer_id, characters_compared, "
            "clets_confirmed, disposition, note, reviewed_at) "
            "VALUES (1, 1, true, false, 'misread', ?, ?)",
            (f"{tag}-{age}", at),
        )
    probe.execute(
        "INSERT INTO policy_changes (key, old_value, new_value, changed_at) "
        "VALUES (?, '1', '2', ?)",
        (tag, NOW),
    )
    probe.execute(
        "INSERT INTO access_records (at, event, outcome, username, exigent, prev_hash, hash) "
        "VALUES (?, 'system', 'success', 'probe', false, ?, ?)",
        (ANCIENT, "0" * 64, f"{tag}-ancient".ljust(64, "0")),
    )
    if tag >= "0008":
        probe.execute(
            "INSERT INTO exigent_reviews (search_id, reviewer_id, justified, note, reviewed_at) "
            "VALUES (?, 1, true, ?, ?)",
            (int(tag), tag, NOW),
        )


@pytest.fixture
def fresh(backend: str, tmp_path: Path) -> Iterator[tuple[str, Probe]]:
    """An empty database and a probe on it."""
    if backend == "sqlite":
        path = tmp_path / "fresh.sqlite3"
        raw = sqlite3.connect(path, isolation_level=None)

        def run_sqlite(sql: str, params: tuple[object, ...]) -> None:
            raw.execute(
                sql,
                tuple(
                    p.replace(tzinfo=None).isoformat(" ") if isinstance(p, datetime) else p
                    for p in params
                ),
            )

        with closing(raw):
            yield f"sqlite:///{path}", Probe(run_sqlite, postgres=False)
        return
    name = f"alpr_fresh_{RUN_TAG}_{uuid.uuid4().hex[:8]}"
    with _pg_admin() as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        with psycopg.connect(_pg_conninfo(name), autocommit=True) as raw:

            def run_postgres(sql: str, params: tuple[object, ...]) -> None:
                # Rows go in without their foreign keys; everything else meets the triggers.
                role = "replica" if sql.startswith("INSERT") else "DEFAULT"
                raw.execute(f"SET session_replication_role = {role}")
                raw.execute(sql.replace("?", "%s"), params)  # type: ignore[arg-type]

            yield (
                make_url(PG_ADMIN_URL).set(database=name).render_as_string(hide_password=False),
                Probe(run_postgres, postgres=True),
            )
    finally:
        with _pg_admin() as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _functions(probe: Probe, names: tuple[str, ...]) -> set[str]:
    found: set[str] = set()
    for name in names:
        try:
            probe.execute(f"SELECT '{name}'::regproc", ())
            found.add(name)
        except psycopg.DatabaseError:
            pass
    return found


PG_FUNCTIONS = {  # the revision that adds each function the code calls
    "alpr_access_chain_head": "0002",
    "alpr_plate_positions": "0004",
    "alpr_plate_epoch": "0006",
    "alpr_ensure_read_partitions": "0011",
}


def test_each_revision_has_the_guards_it_created(fresh: tuple[str, Probe]) -> None:
    url, probe = fresh
    engine = make_engine(url)
    anchored = False
    try:
        for revision in _revisions():
            schema.upgrade(engine, revision)
            _seed(probe, revision)
            tag = f"{revision}-%"
            purge_rule = revision >= "0003"
            assert not probe.allowed(
                "UPDATE access_records SET detail = 'edited' WHERE hash LIKE ?", tag
            ), revision
            assert not probe.allowed(
                "DELETE FROM access_records WHERE hash = ?", f"{revision}-young".ljust(64, "0")
            ), revision
            anchored_purge = revision >= "0011"
            assert (
                probe.allowed(
                    "DELETE FROM access_records WHERE hash = ?", f"{revision}-old".ljust(64, "0")
                )
                is not anchored_purge
            ), revision
            ancient = f"{revision}-ancient".ljust(64, "0")
            if anchored_purge:
                if not anchored:  # no purge run anchors the chain yet
                    assert not probe.allowed("DELETE FROM access_records WHERE hash = ?", ancient)
                    probe.execute(
                        "INSERT INTO purge_runs (started_at, as_of, dry_run, counts, methods, "
                        "run_by) VALUES (?, ?, false, '{}', ?, 'probe')",
                        (NOW, NOW, '{"access_log_through_id": 1000000000}'),
                    )
                    anchored = True
                young = f"{revision}-young".ljust(64, "0")
                assert not probe.allowed("DELETE FROM access_records WHERE hash = ?", young)
                assert not probe.allowed("UPDATE purge_runs SET run_by = 'edited'")
                assert not probe.allowed("DELETE FROM purge_runs")
                assert not probe.allowed("UPDATE access_log_mac_start SET first_record_id = 9")
                probe.execute(
                    "INSERT INTO access_log_checkpoints (seq, signed, recorded_at) "
                    "VALUES (?, ?, ?)",
                    (int(revision), "{}", NOW),
                )
                assert not probe.allowed("UPDATE access_log_checkpoints SET signed = 'edited'")
                assert not probe.allowed("DELETE FROM access_log_checkpoints")
            assert probe.allowed("DELETE FROM access_records WHERE hash = ?", ancient), revision
            assert not probe.allowed(
                "DELETE FROM alert_reviews WHERE note = ?", f"{revision}-young"
            ), revision
            assert (
                probe.allowed("DELETE FROM alert_reviews WHERE note = ?", f"{revision}-old")
                is purge_rule
            ), revision
            assert not probe.allowed("UPDATE alert_reviews SET note = 'edited'"), revision
            assert not probe.allowed("UPDATE policy_changes SET key = 'edited'"), revision
            assert not probe.allowed("DELETE FROM policy_changes"), revision
            if revision >= "0008":
                assert not probe.allowed("UPDATE exigent_reviews SET justified = false")
                assert not probe.allowed("DELETE FROM exigent_reviews")
            if revision == "0013":  # the revision that created them: one row each, kept after
                probe.execute(
                    "INSERT INTO misuse_flags (access_record_id, code, explanation, raised_at) "
                    "VALUES (1, 'off_shift', ?, ?)",
                    (tag, NOW),
                )
                probe.execute(
                    "INSERT INTO flag_findings (flag_id, disposition, note, found_by_id, found_at) "
                    "VALUES (1, 'justified', ?, 1, ?)",
                    (tag, NOW),
                )
                probe.execute(
                    "INSERT INTO access_record_reviews "
                    "(access_record_id, reviewer_id, reviewed_at) "
                    "VALUES (1, 1, ?)",
                    (NOW,),
                )
            if revision >= "0013":
                for table in ("misuse_flags", "flag_findings", "access_record_reviews"):
                    assert not probe.allowed(f"UPDATE {table} SET id = id")
                    assert not probe.allowed(f"DELETE FROM {table}")
            _check_release_records(probe, revision)
            if probe.postgres:
                wanted = {name for name, since in PG_FUNCTIONS.items() if since <= revision}
                assert _functions(probe, tuple(PG_FUNCTIONS)) == wanted, revision
    finally:
        engine.dispose()


def _check_release_records(probe: Probe, revision: str) -> None:
    """Release records are never changed, and from 0017 deleted once past their retention."""
    for n, (table, (since, insert)) in enumerate(RELEASE_RECORDS.items()):
        if revision < since:
            continue
        key_column = "id" if table == "scopes" else "request_id"
        for age, at in (("young", YOUNG), ("past", PAST_RELEASE_RETENTION)):
            key = int(revision) * 100 + n * 10 + (age == "past")
            probe.execute(insert, (key, at) if table == "scopes" else (key, revision, at))
            assert not probe.allowed(f"UPDATE {table} SET id = id WHERE {key_column} = ?", key)
            deleted = probe.allowed(f"DELETE FROM {table} WHERE {key_column} = ?", key)
            assert deleted is (age == "past" and revision >= "0017"), (table, age, revision)
