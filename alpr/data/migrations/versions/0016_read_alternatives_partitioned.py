"""Other readings are kept beside their reads: retained or not, and by month

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-06 08:30:00

A read's other readings (``read_alternatives``) now carry the read's ``retained`` flag, kept in
step with it wherever a read becomes retained or stops being so (a hit at ingest, a hit found
later, a legal hold placed or released). On Postgres the table is partitioned as ``reads`` is,
by that flag and then by month, and ``alpr_ensure_read_partitions`` creates the months of both
tables: the purge drops a month of ordinary readings with its month of reads instead of
deleting them row by row. The readings already stored are copied into the new table with the
flag of their read.
"""

from __future__ import annotations

from alembic import op

revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None

_COLUMNS = """
    captured_at timestamptz NOT NULL,
    camera_id integer NOT NULL,
    read_plate varchar(10) NOT NULL,
    plate varchar(10) NOT NULL,
    score double precision NOT NULL"""

_INDEXES = """
CREATE INDEX ix_read_alternatives_plate ON read_alternatives (plate, captured_at);

CREATE INDEX ix_read_alternatives_captured_at ON read_alternatives USING brin (captured_at)
"""

_PG_PARTITIONED = f"""
CREATE TABLE read_alternatives ({_COLUMNS},
    retained boolean NOT NULL DEFAULT false
) PARTITION BY LIST (retained);

CREATE TABLE read_alternatives_standard PARTITION OF read_alternatives FOR VALUES IN (false)
    PARTITION BY RANGE (captured_at);

CREATE TABLE read_alternatives_retained PARTITION OF read_alternatives FOR VALUES IN (true)
    PARTITION BY RANGE (captured_at);
{_INDEXES}"""

_PG_UNPARTITIONED = f"""
CREATE TABLE read_alternatives ({_COLUMNS}
);
{_INDEXES}"""

_PG_ENSURE_PARTITIONS = """
CREATE OR REPLACE FUNCTION alpr_ensure_read_partitions(months date[]) RETURNS SETOF text
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $fn$
DECLARE
    first_day date;
    parent text;
    name text;
BEGIN
    FOREACH first_day IN ARRAY months LOOP
        first_day := date_trunc('month', first_day)::date;
        FOREACH parent IN ARRAY ARRAY[{parents}] LOOP
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

_READ_PARENTS = "'reads_standard', 'reads_retained'"
_ALL_PARENTS = (
    "'reads_standard', 'reads_retained', 'read_alternatives_standard', 'read_alternatives_retained'"
)

# The months the reads are partitioned by, and those of any reading stored.
_PG_MONTHS = """
SELECT count(*) FROM alpr_ensure_read_partitions(ARRAY(
    SELECT to_date(right(c.relname, 7), 'YYYY_MM') FROM pg_inherits AS i
    JOIN pg_class AS c ON c.oid = i.inhrelid JOIN pg_class AS p ON p.oid = i.inhparent
    WHERE p.relname IN ('reads_standard', 'reads_retained')
    UNION SELECT date_trunc('month', captured_at)::date FROM read_alternatives_previous
))
"""

_PG_COPY_IN = """
INSERT INTO read_alternatives (captured_at, camera_id, read_plate, plate, score, retained)
SELECT a.captured_at, a.camera_id, a.read_plate, a.plate, a.score, EXISTS (
    SELECT 1 FROM reads_retained AS r WHERE r.camera_id = a.camera_id
    AND r.captured_at = a.captured_at AND r.plate = a.read_plate
) FROM read_alternatives_previous AS a
"""

_RENAMES = (
    ("TABLE", "read_alternatives"),
    ("INDEX", "ix_read_alternatives_plate"),
    ("INDEX", "ix_read_alternatives_captured_at"),
)


def _set_aside() -> None:
    """Rename the table and its indexes out of the way of their successors."""
    for kind, name in _RENAMES:
        op.execute(f"ALTER {kind} {name} RENAME TO {name}_previous")


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        op.execute("ALTER TABLE read_alternatives ADD COLUMN retained BOOLEAN NOT NULL DEFAULT 0")
        op.execute(
            "UPDATE read_alternatives SET retained = 1 WHERE EXISTS (SELECT 1 FROM reads AS r "
            "WHERE r.retained AND r.camera_id = read_alternatives.camera_id "
            "AND r.captured_at = read_alternatives.captured_at "
            "AND r.plate = read_alternatives.read_plate)"
        )
        return
    _set_aside()
    op.execute(_PG_PARTITIONED)
    op.execute(_PG_ENSURE_PARTITIONS.format(parents=_ALL_PARENTS))
    op.execute(_PG_MONTHS)
    op.execute(_PG_COPY_IN)
    op.execute("DROP TABLE read_alternatives_previous")


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        op.execute("ALTER TABLE read_alternatives DROP COLUMN retained")
        return
    _set_aside()
    op.execute(_PG_UNPARTITIONED)
    op.execute(
        "INSERT INTO read_alternatives (captured_at, camera_id, read_plate, plate, score) "
        "SELECT captured_at, camera_id, read_plate, plate, score "
        "FROM read_alternatives_previous"
    )
    op.execute("DROP TABLE read_alternatives_previous")
    op.execute(_PG_ENSURE_PARTITIONS.format(parents=_READ_PARENTS))
