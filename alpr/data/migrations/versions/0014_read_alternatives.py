"""Reads keep their other readings for search and alerts

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-06 01:40:00

The reader's alternatives were kept with each read (``reads.alternatives``) but nothing
looked at them: a detective searching the true plate of a read with one misread character
found nothing. ``read_alternatives`` holds each reading of a read other than its plate, with
its score, named by the read's pass (camera, instant, plate as read), indexed by plate (and by instant, for
the purge); the
plate dictionary holds these plates too, so partial and fuzzy searches find them. Alerts raised
by another reading name it (``alerts.alternative`` and its score): such an alert is only
possible until a person compares the crop with both readings (R13).

The alternatives of the reads already stored are copied in, except the plate as read.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None

# alpr.plates.CONFUSION_CLASSES as they were when this revision was written.
CONFUSION_CLASSES = ("O0DQ", "1ILT", "8B", "5S", "2Z", "6G")
CONFUSABLE = "".join(CONFUSION_CLASSES)
CANONICAL = "".join(group[0] * len(group) for group in CONFUSION_CLASSES)

_PG_BACKFILL = """
INSERT INTO read_alternatives (captured_at, camera_id, read_plate, plate, score)
SELECT captured_at, camera_id, read_plate, plate, max(score) FROM (
    SELECT r.captured_at, r.camera_id, r.plate AS read_plate,
           upper(regexp_replace(a.value->>0, '[ .-]', '', 'g')) AS plate,
           CAST(a.value->>1 AS double precision) AS score
    FROM reads AS r CROSS JOIN LATERAL jsonb_array_elements(r.alternatives) AS a (value)
    WHERE jsonb_typeof(r.alternatives) = 'array' AND jsonb_typeof(a.value) = 'array'
      AND jsonb_typeof(a.value->0) = 'string' AND jsonb_typeof(a.value->1) = 'number'
) AS readings
WHERE plate ~ '^[A-Z0-9]{1,10}$' AND plate <> read_plate AND score > 0
GROUP BY captured_at, camera_id, read_plate, plate
"""

_SQLITE_BACKFILL = """
INSERT INTO read_alternatives (captured_at, camera_id, read_plate, plate, score)
SELECT captured_at, camera_id, read_plate, plate, max(score) FROM (
    SELECT r.captured_at, r.camera_id, r.plate AS read_plate,
           upper(replace(replace(replace(json_extract(a.value, '$[0]'), ' ', ''), '-', ''),
                 '.', '')) AS plate,
           json_extract(a.value, '$[1]') AS score
    FROM reads AS r, json_each(r.alternatives) AS a
    WHERE json_type(r.alternatives) = 'array' AND a.type = 'array'
      AND json_type(a.value, '$[0]') = 'text' AND json_type(a.value, '$[1]') IN ('real', 'integer')
) AS readings
WHERE length(plate) BETWEEN 1 AND 10 AND plate NOT GLOB '*[^A-Z0-9]*'
  AND plate <> read_plate AND score > 0
GROUP BY captured_at, camera_id, read_plate, plate
"""


def _sqlite_confusion_key(column: str) -> str:
    key = column
    for group in CONFUSION_CLASSES:
        for ch in group[1:]:
            key = f"replace({key}, '{ch}', '{group[0]}')"
    return key


def upgrade() -> None:
    postgres = op.get_bind().dialect.name == "postgresql"
    op.create_table(
        "read_alternatives",
        sa.Column("captured_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("camera_id", sa.Integer(), nullable=False),
        sa.Column("read_plate", sa.String(10), nullable=False),
        sa.Column("plate", sa.String(10), nullable=False),
        sa.Column("score", sa.Float(), nullable=False),
    )
    op.create_index("ix_read_alternatives_plate", "read_alternatives", ["plate", "captured_at"])
    # The purge finds readings by instant; they arrive in time order, so on Postgres a BRIN
    # serves at a fraction of a B-tree's cost to ingest.
    op.create_index(
        "ix_read_alternatives_captured_at",
        "read_alternatives",
        ["captured_at"],
        postgresql_using="brin",
    )
    op.add_column("alerts", sa.Column("alternative", sa.String(10), nullable=True))
    op.add_column("alerts", sa.Column("alternative_score", sa.Float(), nullable=True))
    if postgres:
        op.execute(_PG_BACKFILL)
        op.execute(
            "INSERT INTO plates (plate, confusion_key) "
            f"SELECT DISTINCT plate, translate(plate, '{CONFUSABLE}', '{CANONICAL}') "
            "FROM read_alternatives ON CONFLICT DO NOTHING"
        )
        return
    op.execute(_SQLITE_BACKFILL)
    op.execute(
        "INSERT OR IGNORE INTO plates (plate, confusion_key) "
        f"SELECT DISTINCT plate, {_sqlite_confusion_key('plate')} FROM read_alternatives"
    )


def downgrade() -> None:
    op.execute("ALTER TABLE alerts DROP COLUMN alternative_score")
    op.execute("ALTER TABLE alerts DROP COLUMN alternative")
    op.drop_index("ix_read_alternatives_captured_at", table_name="read_alternatives")
    op.drop_index("ix_read_alternatives_plate", table_name="read_alternatives")
    op.drop_table("read_alternatives")
