"""The plate dictionary's GIN indexes take new plates in larger pending lists

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-07 04:00:00

Ingest adds about 800 new plates to the dictionary for every 1,000 reads (most of them other
readings, which are nearly all new). Each of the three GIN indexes (trigrams of the plate and of
its confusion key, characters by position) takes new entries in a pending list and merges the
list into the index when it outgrows ``gin_pending_list_limit``; at the default 4 MB the merge
ran every few thousand plates and cost most of the dictionary's CPU at 10M reads. At 32 MB it
runs about a tenth as often, merges entries that share keys in one pass, and takes the
Postgres CPU of a batch of 1,000 reads from about 62 ms to about 22 ms. A search through these
indexes also reads their pending list, which at 32 MB can add some tens of milliseconds to a
partial or fuzzy search just before a merge (bench/queries.py measures both). SQLite has no
such indexes.
"""

from __future__ import annotations

from alembic import op

revision = "0019"
down_revision = "0018"
branch_labels = None
depends_on = None

GIN_INDEXES = ("ix_plates_plate_trgm", "ix_plates_confusion_trgm", "ix_plates_positions")
PENDING_LIST_KB = 32768


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for index in GIN_INDEXES:
            op.execute(f"ALTER INDEX {index} SET (gin_pending_list_limit = {PENDING_LIST_KB})")


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for index in GIN_INDEXES:
            op.execute(f"ALTER INDEX {index} RESET (gin_pending_list_limit)")
