"""A new account is activated by a second person

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-07 04:10:00

An account records who created it (``created_by_id``) and when and by whom it was activated
(``activated_at``, ``activated_by_id``). An account nobody has activated yet cannot sign in or
reach anything: the person who creates an account knows its first password, so another
person who may activate accounts vouches that its holder is a member of the department.
Accounts that exist already are in use: they count as activated when they were created.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0018"
down_revision = "0017"
branch_labels = None
depends_on = None

PEOPLE = ("created_by_id", "activated_by_id")


def upgrade() -> None:
    with op.batch_alter_table("users") as batch:
        for column in PEOPLE:
            batch.add_column(sa.Column(column, sa.Integer(), nullable=True))
            batch.create_foreign_key(f"fk_users_{column}_users", "users", [column], ["id"])
        batch.add_column(sa.Column("activated_at", sa.DateTime(timezone=True), nullable=True))
    op.execute("UPDATE users SET activated_at = created_at")


def downgrade() -> None:
    with op.batch_alter_table("users") as batch:
        batch.drop_column("activated_at")
        for column in reversed(PEOPLE):
            batch.drop_constraint(f"fk_users_{column}_users", type_="foreignkey")
            batch.drop_column(column)
