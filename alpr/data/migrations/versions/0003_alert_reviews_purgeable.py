"""Alert reviews older than the CJIS minimum may be purged by retention, like access records

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-22 23:50:00

Alerts are kept for the agency's alert retention and then purged with their reviews; the
reviews stay append-only, and the database still refuses to delete any younger than a year.
"""

from __future__ import annotations

from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def _pg_refuse_function(purgeable: dict[str, str]) -> str:
    """The trigger function behind every append-only table; ``purgeable`` names the tables
    whose records may be deleted once older than 365 days, by their date column."""
    allowed = "".join(
        f"""
    IF TG_OP = 'DELETE' AND TG_TABLE_NAME = '{table}' THEN
        IF OLD.{column} < now() - interval '365 days' THEN
            RETURN OLD;
        END IF;
    END IF;"""
        for table, column in purgeable.items()
    )
    return f"""
CREATE OR REPLACE FUNCTION alpr_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $fn$
BEGIN{allowed}
    RAISE EXCEPTION '% is append-only: % refused', TG_TABLE_NAME, TG_OP
        USING ERRCODE = 'insufficient_privilege';
END
$fn$"""


_SQLITE_NO_DELETE = (
    "CREATE TRIGGER alert_reviews_no_delete BEFORE DELETE ON alert_reviews {guard}"
    "BEGIN SELECT RAISE(ABORT, 'alert_reviews is append-only: DELETE refused'); END"
)


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute(_pg_refuse_function({"access_records": "at", "alert_reviews": "reviewed_at"}))
        return
    op.execute("DROP TRIGGER alert_reviews_no_delete")
    op.execute(
        _SQLITE_NO_DELETE.format(guard="WHEN OLD.reviewed_at >= datetime('now', '-365 days') ")
    )


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute(_pg_refuse_function({"access_records": "at"}))
        return
    op.execute("DROP TRIGGER alert_reviews_no_delete")
    op.execute(_SQLITE_NO_DELETE.format(guard=""))
