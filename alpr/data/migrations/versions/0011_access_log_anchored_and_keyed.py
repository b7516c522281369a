"""Access records carry a keyed MAC; only an anchored purge deletes them; purge runs and
checkpoints are frozen

Revision ID: 0011
Revises: 0009
Create Date: 2026-12-05 13:10:00

Each access record gains ``mac``, an HMAC-SHA256 of its content and the hash it follows, under a
key kept outside the database: whoever can write to the tables can recompute a hash but not a
MAC. Records written before this revision have none; ``access_log_mac_start`` records, once,
the first record id that must carry one.

An access record may be deleted only when it is older than the agency's audit retention as
recorded (730 days when none is recorded, never less than 365) and a purge run, recorded
before the delete, anchors the chain past it (``methods.access_log_through_id``). Purge runs,
which keep those anchors, become append-only, and so does the MAC start.
``access_log_checkpoints`` keeps a copy of each signed checkpoint of the chain (the other copy
is a file outside the database), append-only too.

Postgres: ``alpr_ensure_read_partitions`` creates the monthly read partitions as the owner of
the tables (SECURITY DEFINER), so that the role the app and the worker connect as needs no
ownership, and so can neither alter nor disable a trigger.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None

FROZEN = ("purge_runs", "access_log_mac_start", "access_log_checkpoints")

_PG_GUARD_ACCESS_RECORDS = """
CREATE FUNCTION alpr_guard_access_records() RETURNS trigger LANGUAGE plpgsql AS $fn$
DECLARE
    kept_days integer;
BEGIN
    IF TG_OP = 'DELETE' THEN
        SELECT greatest(365, coalesce(
            (SELECT (value #>> '{}')::integer FROM policy_settings
             WHERE key = 'retention_audit_days'), 730)) INTO kept_days;
        IF OLD.at < now() - make_interval(days => kept_days) AND EXISTS (
            SELECT 1 FROM purge_runs WHERE NOT dry_run
            AND (methods ->> 'access_log_through_id')::bigint >= OLD.id
        ) THEN
            RETURN OLD;
        END IF;
        RAISE EXCEPTION 'access_records is append-only: DELETE of record % refused (kept % days, '
            'and deleted only by a purge run that anchors the chain past it)', OLD.id, kept_days
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    RAISE EXCEPTION 'access_records is append-only: % refused', TG_OP
        USING ERRCODE = 'insufficient_privilege';
END
$fn$"""

_PG_ENSURE_PARTITIONS = """
CREATE FUNCTION alpr_ensure_read_partitions(months date[]) RETURNS SETOF text
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $fn$
DECLARE
    first_day date;
    parent text;
    name text;
BEGIN
    FOREACH first_day IN ARRAY months LOOP
        first_day := date_trunc('month', first_day)::date;
        FOREACH parent IN ARRAY ARRAY['reads_standard', 'reads_retained'] LOOP
            name := parent || '_' || to_char(first_day, 'YYYY_MM');
            IF to_regclass(name) IS NULL THEN
                EXECUTE format(
                    'CREATE TABLE IF NOT EXISTS %I PARTITION OF %I FOR VALUES FROM (%L) TO (%L)',
                    name, parent, first_day, (first_day + interval '1 month')::date);
                RETURN NEXT name;
            END IF;
        END LOOP;
    END LOOP;
END
$fn$"""

_SQLITE_ACCESS_NO_DELETE = (
    "CREATE TRIGGER access_records_no_delete BEFORE DELETE ON access_records "
    "WHEN OLD.at >= datetime('now', '-' || max(365, coalesce((SELECT CAST(value AS INTEGER) "
    "FROM policy_settings WHERE key = 'retention_audit_days'), 730)) || ' days') "
    "OR NOT EXISTS (SELECT 1 FROM purge_runs WHERE NOT dry_run "
    "AND CAST(json_extract(methods, '$.access_log_through_id') AS INTEGER) >= OLD.id) "
    "BEGIN SELECT RAISE(ABORT, 'access_records is append-only: DELETE refused (kept for the "
    "audit retention, and deleted only by a purge run that anchors the chain past it)'); END"
)
_SQLITE_ACCESS_NO_DELETE_BEFORE = (
    "CREATE TRIGGER access_records_no_delete BEFORE DELETE ON access_records "
    "WHEN OLD.at >= datetime('now', '-365 days') "
    "BEGIN SELECT RAISE(ABORT, 'access_records is append-only: DELETE refused'); END"
)


def _is_postgres() -> bool:
    return op.get_bind().dialect.name == "postgresql"


def _frozen_triggers(postgres: bool) -> list[str]:
    statements = []
    for table in FROZEN:
        if postgres:
            statements += [
                f"CREATE TRIGGER {table}_frozen BEFORE UPDATE OR DELETE ON {table} "
                "FOR EACH ROW EXECUTE FUNCTION alpr_refuse_frozen_change()",
                f"CREATE TRIGGER {table}_frozen_truncate BEFORE TRUNCATE ON {table} "
                "FOR EACH STATEMENT EXECUTE FUNCTION alpr_refuse_frozen_change()",
            ]
            continue
        statements += [
            f"CREATE TRIGGER {table}_frozen_{operation.lower()} BEFORE {operation} ON {table} "
            f"BEGIN SELECT RAISE(ABORT, '{table} is append-only: {operation} refused'); END"
            for operation in ("UPDATE", "DELETE")
        ]
    return statements


def upgrade() -> None:
    postgres = _is_postgres()
    op.execute("ALTER TABLE access_records ADD COLUMN mac VARCHAR(64)")
    op.create_table(
        "access_log_mac_start",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column(
            "first_record_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_access_log_mac_start"),
    )
    op.create_table(
        "access_log_checkpoints",
        sa.Column("seq", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("signed", sa.Text(), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("seq", name="pk_access_log_checkpoints"),
    )
    op.execute(
        "INSERT INTO access_log_mac_start (id, first_record_id, recorded_at) "
        "SELECT 1, coalesce(max(id), 0) + 1, CURRENT_TIMESTAMP FROM access_records"
    )
    for statement in _frozen_triggers(postgres):
        op.execute(statement)
    if postgres:
        op.execute(_PG_GUARD_ACCESS_RECORDS)
        op.execute("DROP TRIGGER access_records_append_only ON access_records")
        op.execute(
            "CREATE TRIGGER access_records_append_only BEFORE UPDATE OR DELETE ON access_records "
            "FOR EACH ROW EXECUTE FUNCTION alpr_guard_access_records()"
        )
        op.execute(_PG_ENSURE_PARTITIONS)
        return
    op.execute("DROP TRIGGER access_records_no_delete")
    op.execute(_SQLITE_ACCESS_NO_DELETE)


def downgrade() -> None:
    postgres = _is_postgres()
    if postgres:
        op.execute("DROP FUNCTION alpr_ensure_read_partitions(date[])")
        op.execute("DROP TRIGGER access_records_append_only ON access_records")
        op.execute(
            "CREATE TRIGGER access_records_append_only BEFORE UPDATE OR DELETE ON access_records "
            "FOR EACH ROW EXECUTE FUNCTION alpr_refuse_change()"
        )
        op.execute("DROP FUNCTION alpr_guard_access_records()")
        op.execute("DROP TRIGGER purge_runs_frozen ON purge_runs")
        op.execute("DROP TRIGGER purge_runs_frozen_truncate ON purge_runs")
    else:
        op.execute("DROP TRIGGER access_records_no_delete")
        op.execute(_SQLITE_ACCESS_NO_DELETE_BEFORE)
        op.execute("DROP TRIGGER purge_runs_frozen_update")
        op.execute("DROP TRIGGER purge_runs_frozen_delete")
    op.drop_table("access_log_checkpoints")
    op.drop_table("access_log_mac_start")
    op.execute("ALTER TABLE access_records DROP COLUMN mac")
