"""The first sign-in after an administrator sets a password needs the activator's code too

Revision ID: 0021
Revises: 0020
Create Date: 2026-12-07 17:20:00

Whoever creates an account or resets its password knows that temporary password (and, for a
new account, its authenticator's key), so once a second person had activated the account its
creator could sign in as its holder before the holder did. Activating such an account now
gives the second person a one-time activation code (kept here only as a bcrypt hash) that the
holder types with their own new password at the first sign-in: the password comes from one
person and the code from another, and neither alone can complete it. Accounts activated before
keep signing in as they did.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0021"
down_revision = "0020"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("users", sa.Column("activation_code_hash", sa.String(72), nullable=True))


def downgrade() -> None:
    op.drop_column("users", "activation_code_hash")
