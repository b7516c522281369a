"""The plate dictionary holds plates and their confusion keys only

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-01 17:00:00

``plates.first_seen`` and ``last_seen`` were written once, when a plate first entered the
dictionary, and never updated or read: ``last_seen`` said nothing true about the plate. When a
plate was read is what its reads say. Ingest no longer computes and sends them for every new
plate.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.drop_column("plates", "first_seen")
    op.drop_column("plates", "last_seen")


def downgrade() -> None:
    op.add_column("plates", sa.Column("first_seen", sa.DateTime(timezone=True), nullable=True))
    op.add_column("plates", sa.Column("last_seen", sa.DateTime(timezone=True), nullable=True))
