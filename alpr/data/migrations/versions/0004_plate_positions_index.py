"""Plates found by scattered known characters through a positions index

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-01 14:10:00

A witness's partial plate often has no three consecutive known characters (``7?B?1?3``), which
leaves the trigram index nothing to search: the whole dictionary was scanned. On Postgres a
GIN index on each plate's characters by position (``alpr_plate_positions``) intersects the
plates with each known character in place. SQLite scans its dictionary as before.
"""

from __future__ import annotations

from alembic import op

from alpr.data import dialect

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    if dialect.is_postgres(op.get_bind()):
        op.execute(dialect.PG_PLATE_POSITIONS_FUNCTION)
        op.execute(
            "CREATE INDEX ix_plates_positions ON plates USING gin (alpr_plate_positions(plate))"
        )


def downgrade() -> None:
    if dialect.is_postgres(op.get_bind()):
        op.execute("DROP INDEX ix_plates_positions")
        op.execute("DROP FUNCTION alpr_plate_positions(text)")
