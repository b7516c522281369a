"""Exigent searches are reviewed by a supervisor after the fact

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-05 12:00:00

A search marked exigent (a life-safety emergency, R15) may go beyond the listed purposes; it
was recorded as such but nobody had to look at it again. ``exigent_reviews`` holds the
supervisor's finding for each one (justified or not, with a note), append-only like the other
records of accountability.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

_PG_GUARDS = (
    "CREATE TRIGGER exigent_reviews_append_only BEFORE UPDATE OR DELETE ON exigent_reviews "
    "FOR EACH ROW EXECUTE FUNCTION alpr_refuse_change()",
    "CREATE TRIGGER exigent_reviews_no_truncate BEFORE TRUNCATE ON exigent_reviews "
    "FOR EACH STATEMENT EXECUTE FUNCTION alpr_refuse_change()",
)
_SQLITE_GUARDS = (
    "CREATE TRIGGER exigent_reviews_no_update BEFORE UPDATE ON exigent_reviews "
    "BEGIN SELECT RAISE(ABORT, 'exigent_reviews is append-only: UPDATE refused'); END",
    "CREATE TRIGGER exigent_reviews_no_delete BEFORE DELETE ON exigent_reviews "
    "BEGIN SELECT RAISE(ABORT, 'exigent_reviews is append-only: DELETE refused'); END",
)


def upgrade() -> None:
    op.create_table(
        "exigent_reviews",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column(
            "search_id", sa.BigInteger().with_variant(sa.Integer(), "sqlite"), nullable=False
        ),
        sa.Column("reviewer_id", sa.Integer(), nullable=False),
        sa.Column("justified", sa.Boolean(), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("reviewed_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["search_id"], ["searches.id"], name=op.f("fk_exigent_reviews_search_id_searches")
        ),
        sa.ForeignKeyConstraint(
            ["reviewer_id"], ["users.id"], name=op.f("fk_exigent_reviews_reviewer_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_exigent_reviews")),
        sa.UniqueConstraint("search_id", name=op.f("uq_exigent_reviews_search_id")),
    )
    postgres = op.get_bind().dialect.name == "postgresql"
    for statement in _PG_GUARDS if postgres else _SQLITE_GUARDS:
        op.execute(statement)


def downgrade() -> None:
    op.drop_table("exigent_reviews")
