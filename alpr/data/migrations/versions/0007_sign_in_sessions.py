"""Sign-in sessions kept on the server; policy changes name who made them

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-05 09:00:00

A session lived only in the browser tab's memory: it could not be ended by an administrator
disabling the account, and its limits were checked only by the tab itself. Sessions are now
records on the server (a SHA-256 of the token, the user, web or command line, the client, when
opened and last seen, when and why ended), so that the idle and absolute limits of the policy
and every revocation hold everywhere. A policy change made from the server's command line is
now attributed to its operator by name.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "sign_in_sessions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("token_sha256", sa.String(length=64), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column(
            "kind",
            sa.Enum("web", "cli", name="session_kind", native_enum=False, create_constraint=True),
            nullable=False,
        ),
        sa.Column("client_addr", sa.String(length=64), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_seen_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("ended_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column(
            "end_reason",
            sa.Enum(
                "signed_out",
                "idle",
                "expired",
                "disabled",
                "locked",
                "role_changed",
                "mfa_reset",
                "password_reset",
                name="session_end",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=True,
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_sign_in_sessions_user_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sign_in_sessions")),
        sa.UniqueConstraint("token_sha256", name=op.f("uq_sign_in_sessions_token_sha256")),
    )
    op.create_index(
        op.f("ix_sign_in_sessions_user_id"), "sign_in_sessions", ["user_id"], unique=False
    )
    op.execute("ALTER TABLE policy_changes ADD COLUMN changed_by varchar(64)")


def downgrade() -> None:
    op.drop_index(op.f("ix_sign_in_sessions_user_id"), table_name="sign_in_sessions")
    op.drop_table("sign_in_sessions")
    op.execute("ALTER TABLE policy_changes DROP COLUMN changed_by")
