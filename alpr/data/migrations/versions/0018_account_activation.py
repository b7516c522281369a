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


def _sqlite() -> bool:
    return op.get_bind().dialect.name == "sqlite"


def upgrade() -> None:
    # On SQLite the columns are added in place, each reference declared with its column: a
    # batch copy of ``users`` drops the table, which the foreign keys of every table that
    # references users refuse once it has rows (an installation with accounts could not
    # upgrade).
    for column in PEOPLE:
        if _sqlite():
            op.execute(f"ALTER TABLE users ADD COLUMN {column} INTEGER REFERENCES users (id)")
        else:
            op.add_column("users", sa.Column(column, sa.Integer(), nullable=True))
            op.create_foreign_key(f"fk_users_{column}_users", "users", "users", [column], ["id"])
    op.add_column("users", sa.Column("activated_at", sa.DateTime(timezone=True), nullable=True))
    op.execute("UPDATE users SET activated_at = created_at")


def downgrade() -> None:
    op.drop_column("users", "activated_at")
    named = {fk["name"] for fk in sa.inspect(op.get_bind()).get_foreign_keys("users")}
    if _sqlite() and not named & {f"fk_users_{column}_users" for column in PEOPLE}:
        for column in reversed(PEOPLE):  # added in place, with their references
            op.drop_column("users", column)
        return
    # Postgres, or SQLite upgraded by this migration's first version, which copied the table
    # (that copy, again, needs the users table empty of rows other tables reference).
    with op.batch_alter_table("users") as batch:
        for column in reversed(PEOPLE):
            batch.drop_constraint(f"fk_users_{column}_users", type_="foreignkey")
            batch.drop_column(column)
