"""The plate dictionary is pruned with the reads it indexes

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-01 19:00:00

Retention purged reads but left their plates in the dictionary for ever: a list of every plate
the cameras had ever read, kept past the retention period of the reads themselves. Retention
now removes the plates no read or correction names any more and records each prune in
``plate_prunes``; ingestors, which remember the plates they stored to avoid sending them again,
forget them when a newer prune appears. On Postgres ``alpr_plate_epoch()`` returns the latest
prune under the dictionary lock (held shared by each ingest batch and exclusively by a prune's
two short steps) and whether a prune is running: batches stored meanwhile name their plates in
``plates_stored_during_prune``, which the prune keeps.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

# Taken first by each ingest batch: the latest prune, and whether a prune is running (the
# dictionary lock 7274262 shared, the pruning lock 7274263 tried).
_PG_PLATE_EPOCH_FUNCTION = """
CREATE FUNCTION alpr_plate_epoch(OUT epoch integer, OUT pruning boolean)
LANGUAGE plpgsql VOLATILE AS $fn$
BEGIN
    PERFORM pg_advisory_xact_lock_shared(7274262);
    pruning := NOT pg_try_advisory_xact_lock_shared(7274263);
    epoch := coalesce((SELECT max(id) FROM plate_prunes), 0);
END
$fn$"""


def upgrade() -> None:
    op.create_table(
        "plate_prunes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("pruned_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("removed", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_plate_prunes")),
    )
    op.create_table(
        "plates_stored_during_prune",
        sa.Column("plate", sa.String(length=10), nullable=False),
        sa.PrimaryKeyConstraint("plate", name=op.f("pk_plates_stored_during_prune")),
    )
    if op.get_bind().dialect.name == "postgresql":
        op.execute(_PG_PLATE_EPOCH_FUNCTION)


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP FUNCTION alpr_plate_epoch()")
    op.drop_table("plates_stored_during_prune")
    op.drop_table("plate_prunes")
