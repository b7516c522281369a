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

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

# Each character of a plate with its position and the plate's length (``7.3B``).
_PG_PLATE_POSITIONS_FUNCTION = """
CREATE FUNCTION alpr_plate_positions(plate text) RETURNS text[]
LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE AS $fn$
DECLARE
    n integer := length(plate);
    tokens text[] := '{}';
BEGIN
    FOR i IN 1..n LOOP
        tokens := tokens || (n || '.' || i || substr(plate, i, 1));
    END LOOP;
    RETURN tokens;
END
$fn$"""


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute(_PG_PLATE_POSITIONS_FUNCTION)
        op.execute(
            "CREATE INDEX ix_plates_positions ON plates USING gin (alpr_plate_positions(plate))"
        )


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP INDEX ix_plates_positions")
        op.execute("DROP FUNCTION alpr_plate_positions(text)")
