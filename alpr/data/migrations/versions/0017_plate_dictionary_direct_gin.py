"""The plate dictionary's GIN indexes take each new plate at once

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-06 18:25:00

The dictionary's three GIN indexes (trigrams of the plate and of its confusion key, the
characters by position) were built with ``fastupdate``: a new plate went to a pending list,
which every partial or fuzzy search then scanned, and which the ingest connection that filled
it had to merge into the index before its batch could commit. With other readings the
dictionary receives about 800 new plates a batch of 1,000 reads, and those merges became
the slowest step of ingest (about 20 µs a read at 1M reads); inserting into the indexes
directly costs less than half of that, with nothing left for searches to scan.
"""

from __future__ import annotations

from alembic import op

revision = "0017"
down_revision = "0016"
branch_labels = None
depends_on = None

_INDEXES = ("ix_plates_plate_trgm", "ix_plates_confusion_trgm", "ix_plates_positions")


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    for index in _INDEXES:
        op.execute(f"ALTER INDEX {index} SET (fastupdate = off)")
    # What is pending is merged now, not by the first batch after the upgrade.
    names = ", ".join(f"'{index}'" for index in _INDEXES)
    op.execute(f"SELECT gin_clean_pending_list(oid) FROM pg_class WHERE relname IN ({names})")


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    for index in _INDEXES:
        op.execute(f"ALTER INDEX {index} RESET (fastupdate)")
