"""Alert reviews older than the CJIS minimum may be purged by retention, like access records

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-22 23:50:00

Alerts are kept for the agency's alert retention and then purged with their reviews; the
reviews stay append-only, and the database still refuses to delete any younger than a year.
"""

from __future__ import annotations

from alembic import op

from alpr.data import dialect

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

_BEFORE = {"access_records": "at"}


def _apply(purgeable: dict[str, str]) -> None:
    if dialect.is_postgres(op.get_bind()):
        op.execute(dialect.pg_refuse_function(purgeable))
        return
    op.execute("DROP TRIGGER IF EXISTS alert_reviews_no_update")
    op.execute("DROP TRIGGER IF EXISTS alert_reviews_no_delete")
    for statement in dialect.sqlite_append_only("alert_reviews", purgeable):
        op.execute(statement)


def upgrade() -> None:
    _apply(dialect.PURGEABLE_AFTER_MIN_AGE)


def downgrade() -> None:
    _apply(_BEFORE)
