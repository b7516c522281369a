"""R22: a database superuser who bypasses the append-only triggers can still not change the
log unnoticed: ``alpr audit verify`` exits non-zero and names the first bad record, or what
went missing since the latest signed checkpoint: the newest records, the oldest ones behind a
forged purge anchor, a chain replaced wholesale. Records recomputed or appended without the
log's MAC key fail too."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select, text
from sqlalchemy.exc import DBAPIError

from alpr.data import schema
from alpr.data.models import AccessRecord
from alpr.governance import access_log, log_witness
from alpr.governance.access_log import Event, Outcome
from alpr.governance.oversight.checkpoints import (
    ChainBroken,
    Checkpoint,
    read_checkpoints,
    write_checkpoint,
)
from alpr.governance.retention.purge import purge
from alpr.governance.runtime import Runtime
from tests.conftest import Clock

ROOT = Path(__file__).resolve().parents[2]


def _fill(rt: Runtime, count: int = 5) -> list[int]:
    ids = []
    for n in range(count):
        with rt.transaction() as session:
            record_id = access_log.append(
                session,
                at=rt.now(),
                event=Event.SEARCH,
                outcome=Outcome.ALLOWED,
                username="rivera",
                plates=[f"7ABC12{n}"],
                detail=f"search {n}",
            )
            ids.append(record_id)
    return ids


def _bypass_triggers(rt: Runtime) -> None:
    with rt.engine.begin() as conn:
        if rt.is_postgres:
            conn.execute(text("ALTER TABLE access_records DISABLE TRIGGER USER"))
        else:
            conn.execute(text("DROP TRIGGER access_records_no_update"))
            conn.execute(text("DROP TRIGGER access_records_no_delete"))


def _alpr(rt: Runtime, *args: str) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "ALPR_DATABASE_URL": rt.settings.resolved_database_url,
        "ALPR_DATA_DIR": str(rt.settings.data_dir),
        "PYTHONPATH": str(ROOT),
    }
    return subprocess.run(
        [sys.executable, "-m", "alpr", *args],
        cwd=ROOT,
        env=env,
        text=True,
        capture_output=True,
        timeout=120,
        check=False,
    )


def _verify(rt: Runtime) -> subprocess.CompletedProcess[str]:
    return _alpr(rt, "audit", "verify")


def _tampered(rt: Runtime, *expected: str) -> None:
    result = _verify(rt)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "ACCESS LOG TAMPERED" in result.stderr
    for part in expected:
        assert part in result.stderr, result.stderr


def test_intact_log_verifies(rt: Runtime) -> None:
    _fill(rt)
    result = _verify(rt)
    assert result.returncode == 0, result.stderr
    assert "access log intact" in result.stdout and "records verified" in result.stdout


def test_daily_upkeep_signs_a_checkpoint_the_verify_holds_the_log_against(rt: Runtime) -> None:
    """``alpr db maintain`` appends a checkpoint signed with the agency's Ed25519 key to a file
    under the data dir (mode 0600); the intact log verifies against it."""
    _fill(rt)
    maintained = _alpr(rt, "db", "maintain")
    assert maintained.returncode == 0, maintained.stderr
    assert "access log checkpoint 1" in maintained.stdout
    path = rt.settings.checkpoint_file
    assert path.stat().st_mode & 0o777 == 0o600
    assert rt.settings.resolved_log_key_file.stat().st_mode & 0o777 == 0o600
    line = json.loads(path.read_text().splitlines()[-1])
    assert line["records"] >= 5 and line["signature"] and line["key_id"]
    result = _verify(rt)
    assert result.returncode == 0, result.stderr
    assert "against signed checkpoint 1" in result.stdout
    path.write_text(path.read_text().replace('"records":', '"records":1', 1))
    _tampered(rt, "line 1 of", "is not a checkpoint signed by the agency key")


def _checkpoints(rt: Runtime) -> list[Checkpoint]:
    with rt.transaction() as session:
        return read_checkpoints(rt, session)[0]


@pytest.mark.parametrize("copy", ["file", "database"])
def test_checkpoints_cut_from_one_copy_are_named(rt: Runtime, copy: str) -> None:
    """R22: each checkpoint is kept twice, in the file and in an append-only table; cutting the
    newest from either copy is named (and the other copy still guards the chain)."""
    _fill(rt, 3)
    write_checkpoint(rt, reason="daily")
    write_checkpoint(rt, reason="daily")
    if copy == "file":
        path = rt.settings.checkpoint_file
        path.write_text(path.read_text().splitlines()[0] + "\n")
        expected = "checkpoints 2, kept in the database, are missing from"
    else:
        with rt.engine.begin() as conn:
            if rt.is_postgres:
                conn.execute(text("ALTER TABLE access_log_checkpoints DISABLE TRIGGER USER"))
            else:
                conn.execute(text("DROP TRIGGER access_log_checkpoints_frozen_delete"))
            conn.execute(text("DELETE FROM access_log_checkpoints WHERE seq = 2"))
        expected = "are missing from the database: its copies were deleted"
    assert [c.seq for c in _checkpoints(rt)] == [1, 2]
    _tampered(rt, expected)


def _newest(rt: Runtime, count: int) -> list[int]:
    with rt.transaction() as session:
        ids = session.execute(
            select(AccessRecord.id).order_by(AccessRecord.id.desc()).limit(count)
        ).scalars()
        return sorted(ids)


def test_truncated_tail_is_named(rt: Runtime) -> None:
    """Deleting the newest 3 records leaves a chain that verifies on its own: the checkpoint
    names what is missing (R22)."""
    _fill(rt, 6)
    checkpoint = write_checkpoint(rt, reason="daily")
    doomed = _newest(rt, 3)
    _bypass_triggers(rt)
    with rt.engine.begin() as conn:
        conn.execute(text(f"DELETE FROM access_records WHERE id >= {doomed[0]}"))
    _tampered(
        rt,
        "the newest 3 records as of checkpoint 1",
        f"through record {checkpoint.last_id}",
        "the log's tail was truncated",
    )


def test_a_tail_cut_after_the_last_checkpoint_is_named_by_the_witness(rt: Runtime) -> None:
    """R22: the records written since the day's checkpoint are cut by someone who can rewrite
    the tables (the newest, whose absence the checkpoint cannot see): the witness outside the
    database names them, and one rewritten in their place is named too."""
    _fill(rt, 3)
    write_checkpoint(rt, reason="daily")
    later = _fill(rt, 4)
    assert _verify(rt).returncode == 0
    _bypass_triggers(rt)
    seen = log_witness.read(rt.settings.witness_file, rt.log_key)
    assert seen is not None and seen.last_id > later[-1]  # the verify's own record
    _delete(rt, f"DELETE FROM access_records WHERE id >= {later[1]}")
    _tampered(rt, f"through record {seen.last_id}", "the log's tail was truncated")

    witness = json.loads(rt.settings.witness_file.read_text())
    rt.settings.witness_file.write_text(json.dumps({**witness, "last_id": later[0]}))
    _tampered(rt, "the access log's witness was altered")


def test_the_witness_follows_the_newest_record_whoever_commits_last(rt: Runtime) -> None:
    """Two processes committing in the other order do not move the witness back."""
    ids = _fill(rt, 2)
    log_witness.advance(rt.settings.witness_file, rt.log_key, last_id=ids[0], head="x" * 64)
    seen = log_witness.read(rt.settings.witness_file, rt.log_key)
    assert seen is not None and seen.last_id == ids[1]
    assert _verify(rt).returncode == 0


def _oldest(rt: Runtime, count: int) -> list[tuple[int, str]]:
    with rt.transaction() as session:
        return [
            (r.id, r.hash)
            for r in session.execute(
                select(AccessRecord.id, AccessRecord.hash).order_by(AccessRecord.id).limit(count)
            )
        ]


def _forge_anchor(rt: Runtime, through: tuple[int, str]) -> int:
    methods = json.dumps({"access_log_anchor": through[1], "access_log_through_id": through[0]})
    with rt.engine.begin() as conn:
        return int(
            conn.execute(
                text(
                    "INSERT INTO purge_runs (started_at, finished_at, as_of, dry_run, counts, "
                    "methods, run_by) VALUES (:at, :at, :at, false, '{}', :methods, 'cron') "
                    "RETURNING id"
                ),
                {"at": rt.now(), "methods": methods},
            ).scalar_one()
        )


def test_removed_head_behind_a_forged_anchor_is_named(rt: Runtime) -> None:
    """The oldest 3 records deleted and a purge run forged to anchor the chain after them: the
    chain verifies from that anchor, but no signed checkpoint attests it (R22)."""
    _fill(rt, 6)
    write_checkpoint(rt, reason="daily")
    oldest = _oldest(rt, 3)
    _bypass_triggers(rt)
    with rt.engine.begin() as conn:
        conn.execute(text(f"DELETE FROM access_records WHERE id <= {oldest[-1][0]}"))
    run_id = _forge_anchor(rt, oldest[-1])
    _tampered(
        rt,
        "the oldest 3 records signed by checkpoint 1",
        f"the anchor of purge run {run_id}",
        "forged anchor",
    )
    with pytest.raises(ChainBroken, match="forged anchor"):  # nothing is signed over it
        write_checkpoint(rt, reason="daily")
    assert len(_checkpoints(rt)) == 1


def _rechain_from(rt: Runtime, first: int, change: dict[str, Any]) -> None:
    """Edit record ``first`` and recompute its hash and every later one's, as someone who can
    write to the tables (but has not the MAC key) would."""
    with rt.transaction() as session:
        records = session.execute(
            select(AccessRecord).where(AccessRecord.id >= first).order_by(AccessRecord.id)
        ).scalars()
        rows = [{c: getattr(r, c) for c in (*access_log._HASHED_FIELDS, "id")} for r in records]
        prev = (
            session.execute(
                select(AccessRecord.hash)
                .where(AccessRecord.id < first)
                .order_by(AccessRecord.id.desc())
                .limit(1)
            ).scalar_one_or_none()
            or access_log.GENESIS
        )
    rows[0].update(change)
    with rt.engine.begin() as conn:
        for row in rows:
            row["prev_hash"] = prev
            prev = access_log.record_hash(row)
            conn.execute(
                text(
                    "UPDATE access_records SET detail = :detail, prev_hash = :prev, "
                    "hash = :hash WHERE id = :id"
                ),
                {"detail": row["detail"], "prev": row["prev_hash"], "hash": prev, "id": row["id"]},
            )


def test_recomputed_hashes_after_an_edit_fail_the_mac(rt: Runtime) -> None:
    """R22: hashes recomputed after an edit chain perfectly; the MAC, keyed outside the
    database, names the edited record."""
    ids = _fill(rt)
    _bypass_triggers(rt)
    _rechain_from(rt, ids[1], {"detail": "harmless"})
    _tampered(rt, f"record {ids[1]} has a valid hash but not a valid MAC")


@pytest.mark.parametrize("mac", [None, "ab" * 32])
def test_forged_append_with_a_valid_hash_fails_the_mac(rt: Runtime, mac: str | None) -> None:
    """R22: a record appended with the right previous hash and a correct hash, but without the
    log's key, is named."""
    _fill(rt, 3)
    with rt.transaction() as session:
        head = session.execute(
            select(AccessRecord.hash).order_by(AccessRecord.id.desc()).limit(1)
        ).scalar_one()
    fields: dict[str, Any] = {name: None for name in access_log._HASHED_FIELDS}
    fields.update(
        at=rt.now(),
        event="search",
        outcome="allowed",
        username="rivera",
        exigent=False,
        detail="forged",
        prev_hash=head,
    )
    fields["hash"] = access_log.record_hash(fields)
    with rt.engine.begin() as conn:
        forged = conn.execute(
            text(
                "INSERT INTO access_records (at, event, outcome, username, exigent, detail, "
                "prev_hash, hash, mac) VALUES (:at, :event, :outcome, :username, :exigent, "
                ":detail, :prev_hash, :hash, :mac) RETURNING id"
            ),
            {**fields, "mac": mac},
        ).scalar_one()
    expected = "has no MAC" if mac is None else "has a valid hash but not a valid MAC"
    _tampered(rt, f"record {forged} {expected}")


@pytest.mark.parametrize(
    ("tamper", "expected"),
    [
        (
            "UPDATE access_records SET plates = '[\"1XYZ999\"]' WHERE id = {third}",
            "{third} was altered",
        ),
        ("DELETE FROM access_records WHERE id = {third}", "record {fourth} does not follow"),
        (
            "UPDATE access_records SET detail = 'harmless', hash = hash WHERE id = {second}",
            "{second} was altered",
        ),
    ],
)
def test_tampering_is_detected_and_named(rt: Runtime, tamper: str, expected: str) -> None:
    ids = _fill(rt)
    names = {"second": ids[1], "third": ids[2], "fourth": ids[3]}
    _bypass_triggers(rt)
    with rt.engine.begin() as conn:
        conn.execute(text(tamper.format(**names)))
    result = _verify(rt)
    assert result.returncode == 1
    assert "ACCESS LOG TAMPERED" in result.stderr
    assert expected.format(**names) in result.stderr


def test_record_inserted_out_of_order_is_detected(rt: Runtime) -> None:
    ids = _fill(rt, 3)
    _bypass_triggers(rt)
    with rt.engine.begin() as conn:
        conn.execute(
            text(
                "INSERT INTO access_records"
                " (at, event, outcome, username, exigent, prev_hash, hash)"
                " SELECT at, event, outcome, 'intruder', exigent, prev_hash, 'f' || substr(hash, 2)"
                " FROM access_records WHERE id = :id"
            ),
            {"id": ids[1]},
        )
    result = _verify(rt)
    assert result.returncode == 1
    assert "does not follow" in result.stderr


def _records_before_the_key(rt: Runtime, count: int) -> list[int]:
    """The database taken back to before the log was keyed, ``count`` records written then
    (hash only), and upgraded again: the upgrade records where MACs begin."""
    schema.downgrade(rt.engine, "0009")
    ids = []
    prev = access_log.GENESIS
    with rt.engine.begin() as conn:
        for n in range(count):
            fields: dict[str, Any] = {name: None for name in access_log._HASHED_FIELDS}
            fields.update(
                at=rt.now(),
                event="search",
                outcome="allowed",
                username="rivera",
                exigent=False,
                detail=f"before the key {n}",
                prev_hash=prev,
            )
            prev = fields["hash"] = access_log.record_hash(fields)
            ids.append(
                conn.execute(
                    text(
                        "INSERT INTO access_records (at, event, outcome, username, exigent, "
                        "detail, prev_hash, hash) VALUES (:at, :event, :outcome, :username, "
                        ":exigent, :detail, :prev_hash, :hash) RETURNING id"
                    ),
                    fields,
                ).scalar_one()
            )
    schema.upgrade(rt.engine)
    return ids


def test_records_from_before_the_key_are_verified_by_hash_up_to_the_recorded_start(
    rt: Runtime,
) -> None:
    """R22: records written before the log was keyed verify by their hash alone, up to the
    first id the upgrade recorded; from there on a record without a MAC is named."""
    old = _records_before_the_key(rt, 3)
    new = _fill(rt, 2)
    with rt.transaction() as session:
        assert access_log.mac_start(session) == old[-1] + 1
    result = _verify(rt)
    assert result.returncode == 0, result.stderr
    assert "5 records verified" in result.stdout
    _bypass_triggers(rt)
    with rt.engine.begin() as conn:
        conn.execute(text(f"UPDATE access_records SET mac = NULL WHERE id = {new[0]}"))
    _tampered(rt, f"record {new[0]} has no MAC although every record from id {old[-1] + 1}")


def test_a_replaced_chain_is_named(rt: Runtime) -> None:
    """R22: records from before the key, rewritten and re-hashed from the genesis, verify on
    their own; the signed checkpoint names the chain as replaced."""
    old = _records_before_the_key(rt, 3)
    checkpoint = write_checkpoint(rt, reason="daily")
    assert checkpoint.mac_from_id == old[-1] + 1
    _bypass_triggers(rt)
    _rechain_from(rt, old[0], {"detail": "nothing to see"})
    _tampered(rt, f"the chain was replaced: record {old[-1]} is not the record checkpoint 1")


def _hash_of(rt: Runtime, record_id: int) -> str:
    with rt.transaction() as session:
        return session.execute(
            select(AccessRecord.hash).where(AccessRecord.id == record_id)
        ).scalar_one()


def _delete(rt: Runtime, sql: str) -> None:
    with rt.engine.begin() as conn:
        conn.execute(text(sql))


def test_a_purge_signs_a_checkpoint_of_the_chain_it_leaves(rt: Runtime, clock: Clock) -> None:
    """R22, R30: the purge anchors the chain, deletes the records past the audit retention and
    signs a checkpoint of what is left; the log verifies against it."""
    clock.now = datetime.now(UTC) - timedelta(days=900)
    old = _fill(rt, 3)
    clock.now = datetime.now(UTC)
    young = _fill(rt, 2)
    report = purge(rt, as_of=clock.now)
    checkpoint = report.checkpoint
    assert checkpoint is not None and checkpoint.reason == "purge"
    assert checkpoint.anchor_run == report.run_id
    assert report.counts["access_records"] >= 3 and checkpoint.first_id is not None
    assert old[-1] < checkpoint.first_id <= young[0]
    assert _checkpoints(rt)[-1] == checkpoint
    result = _verify(rt)
    assert result.returncode == 0, result.stderr
    assert f"against signed checkpoint {checkpoint.seq}" in result.stdout


def test_only_an_anchored_delete_of_old_records_passes_the_database_and_verify_names_it(
    rt: Runtime, clock: Clock
) -> None:
    """R22: without bypassing anything, whoever writes to the database cannot delete a record
    younger than the audit retention, nor an older one without a purge run anchoring it; with
    a forged purge run the delete goes through, and ``audit verify`` names the forged anchor."""
    clock.now = datetime.now(UTC) - timedelta(days=900)
    old = _fill(rt, 3)
    clock.now = datetime.now(UTC)
    young = _fill(rt, 3)
    write_checkpoint(rt, reason="daily")
    with pytest.raises(DBAPIError, match="append-only"):
        _delete(rt, f"DELETE FROM access_records WHERE id = {old[0]}")
    _forge_anchor(rt, (young[-1], _hash_of(rt, young[-1])))
    with pytest.raises(DBAPIError, match="append-only"):
        _delete(rt, f"DELETE FROM access_records WHERE id = {young[0]}")
    run_id = _forge_anchor(rt, (old[-1], _hash_of(rt, old[-1])))
    _delete(rt, f"DELETE FROM access_records WHERE id <= {old[-1]}")
    _tampered(
        rt, "the oldest 3 records signed by checkpoint 1", f"purge run {run_id}", "forged anchor"
    )


def test_a_purge_destroys_nothing_from_a_log_that_does_not_verify(
    rt: Runtime, clock: Clock
) -> None:
    """R22, R30: the evidence of tampering is not purged away: a real purge first verifies the
    log and refuses, naming the problem, with every record still there."""
    clock.now = datetime.now(UTC) - timedelta(days=900)
    old = _fill(rt, 3)
    clock.now = datetime.now(UTC)
    _bypass_triggers(rt)
    _rechain_from(rt, old[1], {"detail": "harmless"})
    with pytest.raises(ChainBroken, match=f"record {old[1]} has a valid hash but not a valid MAC"):
        purge(rt, as_of=clock.now)
    assert _oldest(rt, 1)[0][0] == old[0]
