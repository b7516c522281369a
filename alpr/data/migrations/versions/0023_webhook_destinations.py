"""A hot list's webhook names the agency that receives its alerts; a delivery keeps it

Revision ID: 0023
Revises: 0022
Create Date: 2026-12-08 10:00:00

An alert sent to a webhook is ALPR data leaving the department: the destination names an
agency from the register (the department itself for its own CAD, or a California public agency
with an agreement in force), each delivery keeps the agency it was queued for, and a delivery
that the law no longer allows when it is due is refused, never sent, and kept as such. A
webhook set before this names no agency: its alerts are refused until it is set again.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0023"
down_revision = "0022"
branch_labels = None
depends_on = None

REFERENCES = (
    ("hot_lists", "webhook_agency_id", "fk_hot_lists_webhook_agency_id_agencies"),
    ("webhook_deliveries", "agency_id", "fk_webhook_deliveries_agency_id_agencies"),
)


def _sqlite() -> bool:
    return op.get_bind().dialect.name == "sqlite"


def upgrade() -> None:
    # Added in place on both databases: on SQLite the reference is declared with its column,
    # as a batch copy of a table that others reference is refused once it has rows.
    for table, column, name in REFERENCES:
        if _sqlite():
            op.execute(f"ALTER TABLE {table} ADD COLUMN {column} INTEGER REFERENCES agencies (id)")
        else:
            op.add_column(table, sa.Column(column, sa.Integer(), nullable=True))
            op.create_foreign_key(name, table, "agencies", [column], ["id"])
    op.add_column(
        "webhook_deliveries", sa.Column("refused_at", sa.DateTime(timezone=True), nullable=True)
    )


def downgrade() -> None:
    op.drop_column("webhook_deliveries", "refused_at")
    for table, column, name in reversed(REFERENCES):
        if not _sqlite():
            op.drop_constraint(name, table, type_="foreignkey")
        op.drop_column(table, column)
