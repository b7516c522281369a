"""A camera's reads of the last hour are counted from the reads, not kept on the camera

Revision ID: 0022
Revises: 0021
Create Date: 2026-12-07 18:30:00

The plate-reading service wrote each camera's count of the last hour's reads at every
heartbeat, so a camera whose reads are imported (never watched by the service) had none and
the Cameras page said "not reported". The page now counts every camera's last hour from the
reads stored, whoever sent them, and the column nobody reads is dropped.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0022"
down_revision = "0021"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.drop_column("cameras", "reads_last_hour")


def downgrade() -> None:
    op.add_column("cameras", sa.Column("reads_last_hour", sa.Integer(), nullable=True))
