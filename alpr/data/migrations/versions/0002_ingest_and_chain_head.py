"""Reads identified by their pass, cheaper to ingest; the access-log chain head in one call

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-22 22:50:00

A read is one pass of one plate before one camera at one instant: a unique index on
``(camera_id, captured_at, plate)`` (with ``retained``, the partition key, on Postgres) makes a
replayed batch harmless and serves the camera-first canvass, replacing both the 40-character
idempotency key (its column and its unique index, the costliest part of ingest) and the
``(camera_id, captured_at)`` index.

On Postgres the foreign key from ``reads`` to ``cameras`` ran a referential check for every
row copied in; the ingestor checks each batch's camera ids against the camera table instead
(one look-up per batch). ``alpr_access_chain_head()`` takes the access-log chain lock and
returns the hash the next record follows, in one round trip instead of three.
"""

from __future__ import annotations

from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

# The hash the next access record follows, under the chain lock (held until commit): the last
# record's, or after retention purged every record, the anchor its purge run kept.
_PG_CHAIN_HEAD_FUNCTION = """
CREATE FUNCTION alpr_access_chain_head() RETURNS text LANGUAGE plpgsql VOLATILE AS $fn$
DECLARE
    head text;
BEGIN
    PERFORM pg_advisory_xact_lock(7274261);
    SELECT hash INTO head FROM access_records ORDER BY id DESC LIMIT 1;
    IF head IS NULL THEN
        SELECT methods ->> 'access_log_anchor' INTO head FROM purge_runs
        WHERE NOT dry_run AND methods ->> 'access_log_anchor' IS NOT NULL
        ORDER BY id DESC LIMIT 1;
    END IF;
    RETURN coalesce(head, repeat('0', 64));
END
$fn$"""


def upgrade() -> None:
    postgres = op.get_bind().dialect.name == "postgresql"
    op.execute("DROP INDEX uq_reads_idempotency")
    op.execute("DROP INDEX ix_reads_camera_captured")
    pass_columns = (
        "camera_id, captured_at, plate, retained" if postgres else "camera_id, captured_at, plate"
    )
    op.execute(f"CREATE UNIQUE INDEX uq_reads_pass ON reads ({pass_columns})")
    op.execute("ALTER TABLE reads DROP COLUMN idempotency_key")
    if postgres:
        op.execute("ALTER TABLE reads DROP CONSTRAINT IF EXISTS reads_camera_id_fkey")
        op.execute(_PG_CHAIN_HEAD_FUNCTION)


def downgrade() -> None:
    """Reads stored since the upgrade get their id as idempotency key."""
    postgres = op.get_bind().dialect.name == "postgresql"
    if postgres:
        op.execute("DROP FUNCTION IF EXISTS alpr_access_chain_head()")
        op.execute(
            "ALTER TABLE reads ADD CONSTRAINT reads_camera_id_fkey "
            "FOREIGN KEY (camera_id) REFERENCES cameras (id)"
        )
    op.execute("ALTER TABLE reads ADD COLUMN idempotency_key varchar(40) NOT NULL DEFAULT ''")
    op.execute("UPDATE reads SET idempotency_key = CAST(id AS varchar(40))")
    op.execute("DROP INDEX uq_reads_pass")
    op.execute("CREATE INDEX ix_reads_camera_captured ON reads (camera_id, captured_at)")
    unique_key = "idempotency_key, captured_at, retained" if postgres else "idempotency_key"
    op.execute(f"CREATE UNIQUE INDEX uq_reads_idempotency ON reads ({unique_key})")
