"""A password or second-factor reset puts the account back to awaiting activation

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-07 06:10:00

An administrator who resets an account's password knows the new one, and one who resets its
second factor lets the next sign-in enrol a new authenticator: alone, an administrator who
did both could sign in as that person. A reset therefore puts the account back to awaiting
activation, and a second person, not the one who reset it, activates it again. An account
records who last issued its credentials and when (``credentials_issued_by_id``,
``credentials_issued_at``: its creator, or whoever last reset them), what a reset gave anew
(``credentials_reset``: 'password', 'second factor' or both; None when issued at creation),
and when it was first activated (``first_activated_at``, kept through a reset: an
installation with any account ever activated besides the issuer's is past its first
accounts, whose creator alone may activate them). Accounts that exist already had their
credentials issued by their creator when they were created, and were first activated when
they were activated.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from alembic import op

revision = "0019"
down_revision = "0018"
branch_labels = None
depends_on = None


FK = "fk_users_credentials_issued_by_id_users"
ADDED: tuple[tuple[str, sa.types.TypeEngine[Any]], ...] = (
    ("credentials_issued_at", sa.DateTime(timezone=True)),
    ("credentials_reset", sa.String(40)),
    ("first_activated_at", sa.DateTime(timezone=True)),
)


def _sqlite() -> bool:
    return op.get_bind().dialect.name == "sqlite"


def upgrade() -> None:
    # Columns are added in place on both databases. On SQLite the reference is declared with
    # its column: a batch copy of ``users`` would drop the table, which the foreign keys of
    # every table that references users refuse once it has rows.
    if _sqlite():
        op.execute(
            "ALTER TABLE users ADD COLUMN credentials_issued_by_id INTEGER REFERENCES users (id)"
        )
    else:
        op.add_column("users", sa.Column("credentials_issued_by_id", sa.Integer(), nullable=True))
        op.create_foreign_key(FK, "users", "users", ["credentials_issued_by_id"], ["id"])
    for name, type_ in ADDED:
        op.add_column("users", sa.Column(name, type_, nullable=True))
    op.execute(
        "UPDATE users SET credentials_issued_by_id = created_by_id, "
        "credentials_issued_at = created_at, first_activated_at = activated_at"
    )


def downgrade() -> None:
    for name, _ in reversed(ADDED):
        op.drop_column("users", name)
    if not _sqlite():
        op.drop_constraint(FK, "users", type_="foreignkey")
    op.drop_column("users", "credentials_issued_by_id")
