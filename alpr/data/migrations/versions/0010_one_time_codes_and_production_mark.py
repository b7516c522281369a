"""One-time TOTP codes; a production database records that it is one

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-05 13:30:00

``users.totp_last_step`` is the time-step of the last TOTP code accepted for the account: a code
of that step or an earlier one is refused, so a code seen over a shoulder or in a log cannot be
used again within its window.

``installation`` holds one row once the database is set up for production (``alpr db upgrade``
with ``ALPR_ENVIRONMENT=production``). The policy's production rules (MFA for every account)
then hold whatever the environment of a later command says, and a command that calls itself a
local demo is refused. Append-only by trigger on both databases: a production database stays
one.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None

_PG_GUARDS = (
    "CREATE TRIGGER installation_append_only BEFORE UPDATE OR DELETE ON installation "
    "FOR EACH ROW EXECUTE FUNCTION alpr_refuse_change()",
    "CREATE TRIGGER installation_no_truncate BEFORE TRUNCATE ON installation "
    "FOR EACH STATEMENT EXECUTE FUNCTION alpr_refuse_change()",
)
_SQLITE_GUARDS = (
    "CREATE TRIGGER installation_no_update BEFORE UPDATE ON installation "
    "BEGIN SELECT RAISE(ABORT, 'installation is append-only: UPDATE refused'); END",
    "CREATE TRIGGER installation_no_delete BEFORE DELETE ON installation "
    "BEGIN SELECT RAISE(ABORT, 'installation is append-only: DELETE refused'); END",
)


def upgrade() -> None:
    op.execute("ALTER TABLE users ADD COLUMN totp_last_step BIGINT")
    op.create_table(
        "installation",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("environment", sa.String(length=20), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("id = 1", name=op.f("ck_installation_one_row")),
        sa.CheckConstraint("environment = 'production'", name=op.f("ck_installation_production")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_installation")),
    )
    postgres = op.get_bind().dialect.name == "postgresql"
    for statement in _PG_GUARDS if postgres else _SQLITE_GUARDS:
        op.execute(statement)


def downgrade() -> None:
    op.drop_table("installation")
    op.execute("ALTER TABLE users DROP COLUMN totp_last_step")
