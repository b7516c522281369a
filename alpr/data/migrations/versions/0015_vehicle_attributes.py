"""Reads describe their vehicle, and investigators can correct that description

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-06 01:40:00

A read carries the vehicle that bore its plate: its body type and colour as small integers
(``alpr.vehicles``: 0 is "unknown", below the confidence threshold; NULL is a read nobody
described, such as a vendor's), each with its confidence in percent, the vehicle's box in the
frame and the SHA-256 of its crop in the image store. The columns are nullable, so adding them
rewrites no partition. A description search reads the same indexes as a canvass (camera and
time, the mobile reads' GiST) and filters the few reads of a scene on these columns.

``read_vehicle_corrections`` records an investigator's correction of a read's type or colour
(R53): the read keeps what the models said; the correction, who made it and why are kept.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None

READ_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
COLUMNS = (
    ("vehicle_type", "SMALLINT"),
    ("vehicle_colour", "SMALLINT"),
    ("vehicle_type_confidence", "SMALLINT"),
    ("vehicle_colour_confidence", "SMALLINT"),
    ("vehicle_box", "JSONB"),
    ("vehicle_crop_sha256", "VARCHAR(64)"),
)


def upgrade() -> None:
    postgres = op.get_bind().dialect.name == "postgresql"
    for name, kind in COLUMNS:
        kind = kind if postgres or kind != "JSONB" else "JSON"
        op.execute(f"ALTER TABLE reads ADD COLUMN {name} {kind}")
    op.create_table(
        "read_vehicle_corrections",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("read_id", READ_ID, nullable=False),
        sa.Column("read_captured_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("attribute", sa.String(length=10), nullable=False),
        sa.Column("original", sa.SmallInteger(), nullable=True),
        sa.Column("corrected", sa.SmallInteger(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("corrected_by_id", sa.Integer(), nullable=False),
        sa.Column("corrected_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["corrected_by_id"],
            ["users.id"],
            name="fk_read_vehicle_corrections_corrected_by_id_users",
        ),
        sa.PrimaryKeyConstraint("id", name="pk_read_vehicle_corrections"),
    )
    op.create_index(
        "ix_read_vehicle_corrections_read", "read_vehicle_corrections", ["read_id"], unique=False
    )


def downgrade() -> None:
    op.drop_index("ix_read_vehicle_corrections_read", table_name="read_vehicle_corrections")
    op.drop_table("read_vehicle_corrections")
    for name, _kind in reversed(COLUMNS):
        op.execute(f"ALTER TABLE reads DROP COLUMN {name}")
