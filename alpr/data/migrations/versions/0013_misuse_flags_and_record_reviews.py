"""Misuse flags are kept, with the supervisor's findings, and reviewed records are recorded

Revision ID: 0013
Revises: 0011
Create Date: 2026-12-05 21:10:00

The sergeant's review of the access log (R23) raised its misuse flags afresh on every look and
kept nothing of what the sergeant made of them. ``misuse_flags`` keeps each flag raised on an
access record (one per record and kind of flag), ``flag_findings`` the supervisor's disposition
of a flag with a note (a later finding supersedes an earlier one, which stays), and
``access_record_reviews`` who marked which record reviewed, when. All three are append-only on
both databases, like the other records of accountability.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0012"
branch_labels = None
depends_on = None

TABLES = ("misuse_flags", "flag_findings", "access_record_reviews")
LOG_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")


def _guards(postgres: bool) -> list[str]:
    statements = []
    for table in TABLES:
        if postgres:
            statements += [
                f"CREATE TRIGGER {table}_append_only BEFORE UPDATE OR DELETE ON {table} "
                "FOR EACH ROW EXECUTE FUNCTION alpr_refuse_change()",
                f"CREATE TRIGGER {table}_no_truncate BEFORE TRUNCATE ON {table} "
                "FOR EACH STATEMENT EXECUTE FUNCTION alpr_refuse_change()",
            ]
            continue
        statements += [
            f"CREATE TRIGGER {table}_no_{operation.lower()} BEFORE {operation} ON {table} "
            f"BEGIN SELECT RAISE(ABORT, '{table} is append-only: {operation} refused'); END"
            for operation in ("UPDATE", "DELETE")
        ]
    return statements


def upgrade() -> None:
    op.create_table(
        "misuse_flags",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("access_record_id", LOG_ID, nullable=False),
        sa.Column("code", sa.String(length=40), nullable=False),
        sa.Column("explanation", sa.Text(), nullable=False),
        sa.Column("raised_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_misuse_flags"),
        sa.UniqueConstraint("access_record_id", "code", name="uq_misuse_flags_access_record_id"),
    )
    op.create_index(
        "ix_misuse_flags_access_record_id", "misuse_flags", ["access_record_id"], unique=False
    )
    op.create_table(
        "flag_findings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("flag_id", sa.Integer(), nullable=False),
        sa.Column(
            "disposition",
            sa.Enum(
                "justified",
                "needs_follow_up",
                "misuse_referred",
                name="flag_disposition",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=False,
        ),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("found_by_id", sa.Integer(), nullable=False),
        sa.Column("found_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["flag_id"], ["misuse_flags.id"], name="fk_flag_findings_flag_id_misuse_flags"
        ),
        sa.ForeignKeyConstraint(
            ["found_by_id"], ["users.id"], name="fk_flag_findings_found_by_id_users"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_flag_findings"),
    )
    op.create_index("ix_flag_findings_flag_id", "flag_findings", ["flag_id"], unique=False)
    op.create_table(
        "access_record_reviews",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("access_record_id", LOG_ID, nullable=False),
        sa.Column("reviewer_id", sa.Integer(), nullable=False),
        sa.Column("reviewed_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["reviewer_id"], ["users.id"], name="fk_access_record_reviews_reviewer_id_users"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_access_record_reviews"),
        sa.UniqueConstraint(
            "access_record_id", "reviewer_id", name="uq_access_record_reviews_access_record_id"
        ),
    )
    op.create_index(
        "ix_access_record_reviews_access_record_id",
        "access_record_reviews",
        ["access_record_id"],
        unique=False,
    )
    for statement in _guards(op.get_bind().dialect.name == "postgresql"):
        op.execute(statement)


def downgrade() -> None:
    for table in reversed(TABLES):
        op.drop_table(table)
