"""Release records go after their retention, and only then

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-07 01:30:00

A release's decision, package record, attachments and scope stay append-only, but may now be
deleted once older than the agency's retention for release requests as recorded
(``retention_release_days``; 1825 days when none is recorded, never less than 365): the purge
removes a request, with everything recorded about it, when the last of them is that old. Each
table is guarded by its own time column, so a young decision, package, attachment or scope is
refused whatever deletes it. Changing any of them is still refused.
"""

from __future__ import annotations

from alembic import op

revision = "0017"
down_revision = "0016"
branch_labels = None
depends_on = None

GUARDED = (  # table and the time its retention counts from
    ("release_decisions", "decided_at"),
    ("release_packages", "produced_at"),
    ("release_attachments", "uploaded_at"),
    ("scopes", "created_at"),
)

_PG_GUARD = """
CREATE FUNCTION alpr_guard_release_record() RETURNS trigger LANGUAGE plpgsql AS $fn$
DECLARE
    kept_days integer;
BEGIN
    IF TG_OP = 'DELETE' THEN
        SELECT greatest(365, coalesce(
            (SELECT (value #>> '{}')::integer FROM policy_settings
             WHERE key = 'retention_release_days'), 1825)) INTO kept_days;
        IF (to_jsonb(OLD) ->> TG_ARGV[0])::timestamptz < now() - make_interval(days => kept_days)
        THEN
            RETURN OLD;
        END IF;
        RAISE EXCEPTION '% is append-only: DELETE refused (release records are kept % days)',
            TG_TABLE_NAME, kept_days
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    RAISE EXCEPTION '% is append-only: % refused', TG_TABLE_NAME, TG_OP
        USING ERRCODE = 'insufficient_privilege';
END
$fn$"""


def _sqlite_delete_guard(table: str, column: str) -> str:
    return (
        f"CREATE TRIGGER {table}_kept BEFORE DELETE ON {table} "
        f"WHEN OLD.{column} >= datetime('now', '-' || max(365, coalesce((SELECT CAST(value AS "
        "INTEGER) FROM policy_settings WHERE key = 'retention_release_days'), 1825)) || ' days') "
        f"BEGIN SELECT RAISE(ABORT, '{table} is append-only: DELETE refused (release records "
        "are kept for their retention)'); END"
    )


def _is_postgres() -> bool:
    return op.get_bind().dialect.name == "postgresql"


def _pg_row_trigger(table: str) -> str:
    """The trigger each table had before this revision."""
    if table == "release_decisions":
        return (
            "CREATE TRIGGER release_decisions_append_only BEFORE UPDATE OR DELETE ON "
            "release_decisions FOR EACH ROW EXECUTE FUNCTION alpr_refuse_change()"
        )
    return (
        f"CREATE TRIGGER {table}_frozen BEFORE UPDATE OR DELETE ON {table} "
        "FOR EACH ROW EXECUTE FUNCTION alpr_refuse_frozen_change()"
    )


def _pg_trigger_name(table: str) -> str:
    return "release_decisions_append_only" if table == "release_decisions" else f"{table}_frozen"


def _sqlite_delete_trigger_name(table: str) -> str:
    return (
        "release_decisions_no_delete" if table == "release_decisions" else f"{table}_frozen_delete"
    )


def upgrade() -> None:
    if _is_postgres():
        op.execute(_PG_GUARD)
        for table, column in GUARDED:
            op.execute(f"DROP TRIGGER {_pg_trigger_name(table)} ON {table}")
            op.execute(
                f"CREATE TRIGGER {_pg_trigger_name(table)} BEFORE UPDATE OR DELETE ON {table} "
                f"FOR EACH ROW EXECUTE FUNCTION alpr_guard_release_record('{column}')"
            )
        return
    for table, column in GUARDED:
        op.execute(f"DROP TRIGGER {_sqlite_delete_trigger_name(table)}")
        op.execute(_sqlite_delete_guard(table, column))


def downgrade() -> None:
    if _is_postgres():
        for table, _column in GUARDED:
            op.execute(f"DROP TRIGGER {_pg_trigger_name(table)} ON {table}")
            op.execute(_pg_row_trigger(table))
        op.execute("DROP FUNCTION alpr_guard_release_record()")
        return
    for table, _column in GUARDED:
        op.execute(f"DROP TRIGGER {table}_kept")
        op.execute(
            f"CREATE TRIGGER {_sqlite_delete_trigger_name(table)} BEFORE DELETE ON {table} "
            f"BEGIN SELECT RAISE(ABORT, '{table} is append-only: DELETE refused'); END"
        )
