"""A password an administrator sets is temporary until its owner chooses their own

Revision ID: 0020
Revises: 0019
Create Date: 2026-12-07 14:20:00

An administrator who creates an account or resets its password knows that password; after a
second person activates the account, the administrator would still know it. Such a password is
now temporary (``password_temporary``): the next sign-in, once password and code are right,
asks the owner to choose their own before any session opens, and the temporary one stops
working. Accounts that exist keep the passwords they have.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0020"
down_revision = "0019"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column(
        "users",
        sa.Column("password_temporary", sa.Boolean(), nullable=False, server_default=sa.false()),
    )


def downgrade() -> None:
    op.drop_column("users", "password_temporary")
