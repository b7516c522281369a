"""Releases and holds name their scope; agreements, packages and decided requests are frozen

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-03 09:00:00

A plate-level release and a legal hold now cover a recorded scope (``scopes``: plates and/or a
case's area, in a period). Sharing agreements carry their kind and the name of the signed
document kept by its SHA-256, and end early only by an ``agreement_endings`` row. A decision
records how many reads the scope selected and the commander's reason for going beyond the
policy bounds; a package records how many reads it holds; an evidence export keeps its manifest
as made, so that a package whose files and manifest were rewritten together is still caught.

Append-only by trigger on both databases: scopes, sharing agreements and their endings, release
attachments, release packages and evidence exports always; a release request once a decision
on it exists.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

JSON = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

FROZEN = (
    "scopes",
    "sharing_agreements",
    "agreement_endings",
    "release_attachments",
    "release_packages",
    "evidence_exports",
)

ADDED_COLUMNS = (
    (
        "sharing_agreements",
        "kind",
        "VARCHAR(22) NOT NULL DEFAULT 'mou' CONSTRAINT "
        "ck_sharing_agreements_agreement_kind CHECK (kind IN ('mou', 'inter_agency_agreement', "
        "'contract'))",
    ),
    ("sharing_agreements", "document_filename", "VARCHAR(255)"),
    ("release_requests", "purpose_code", "VARCHAR(40)"),
    (
        "release_requests",
        "scope_id",
        "INTEGER CONSTRAINT fk_release_requests_scope_id_scopes REFERENCES scopes (id)",
    ),
    ("release_decisions", "scope_reads", "INTEGER"),
    ("release_decisions", "override_reason", "TEXT"),
    ("release_packages", "reads", "INTEGER"),
    ("evidence_exports", "manifest", "JSON"),
    (
        "legal_holds",
        "scope_id",
        "INTEGER CONSTRAINT fk_legal_holds_scope_id_scopes REFERENCES scopes (id)",
    ),
)

PG_FUNCTIONS = (
    """
CREATE FUNCTION alpr_refuse_frozen_change() RETURNS trigger LANGUAGE plpgsql AS $fn$
BEGIN
    RAISE EXCEPTION '% is append-only: % refused', TG_TABLE_NAME, TG_OP
        USING ERRCODE = 'insufficient_privilege';
END
$fn$""",
    """
CREATE FUNCTION alpr_refuse_decided_request() RETURNS trigger LANGUAGE plpgsql AS $fn$
BEGIN
    IF EXISTS (SELECT 1 FROM release_decisions WHERE request_id = OLD.id) THEN
        RAISE EXCEPTION 'release request % is decided and append-only: % refused', OLD.id, TG_OP
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    IF TG_OP = 'DELETE' THEN
        RETURN OLD;
    END IF;
    RETURN NEW;
END
$fn$""",
)


def _is_postgres() -> bool:
    return op.get_bind().dialect.name == "postgresql"


def _pg_triggers() -> list[str]:
    statements = []
    for table in FROZEN:
        statements += [
            f"CREATE TRIGGER {table}_frozen BEFORE UPDATE OR DELETE ON {table} "
            "FOR EACH ROW EXECUTE FUNCTION alpr_refuse_frozen_change()",
            f"CREATE TRIGGER {table}_frozen_truncate BEFORE TRUNCATE ON {table} "
            "FOR EACH STATEMENT EXECUTE FUNCTION alpr_refuse_frozen_change()",
        ]
    return [
        *statements,
        "CREATE TRIGGER release_requests_decided BEFORE UPDATE OR DELETE ON release_requests "
        "FOR EACH ROW EXECUTE FUNCTION alpr_refuse_decided_request()",
        "CREATE TRIGGER release_requests_decided_truncate BEFORE TRUNCATE ON release_requests "
        "FOR EACH STATEMENT EXECUTE FUNCTION alpr_refuse_frozen_change()",
    ]


def _sqlite_triggers() -> list[str]:
    statements = []
    for table in FROZEN:
        for operation in ("UPDATE", "DELETE"):
            statements.append(
                f"CREATE TRIGGER {table}_frozen_{operation.lower()} BEFORE {operation} ON {table} "
                f"BEGIN SELECT RAISE(ABORT, '{table} is append-only: {operation} refused'); END"
            )
    for operation in ("UPDATE", "DELETE"):
        statements.append(
            f"CREATE TRIGGER release_requests_decided_{operation.lower()} BEFORE {operation} "
            "ON release_requests "
            "WHEN EXISTS (SELECT 1 FROM release_decisions WHERE request_id = OLD.id) "
            "BEGIN SELECT RAISE(ABORT, 'release request is decided and append-only: "
            f"{operation} refused'); END"
        )
    return statements


def upgrade() -> None:
    op.create_table(
        "scopes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("plates", JSON, nullable=False),
        sa.Column("start_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("end_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("case_number", sa.String(length=40), nullable=True),
        sa.Column("lat", sa.Float(), nullable=True),
        sa.Column("lon", sa.Float(), nullable=True),
        sa.Column("radius_m", sa.Float(), nullable=True),
        sa.Column("reads_counted", sa.Integer(), nullable=True),
        sa.Column("created_by_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["created_by_id"], ["users.id"], name="fk_scopes_created_by_id_users"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_scopes"),
    )
    op.create_table(
        "agreement_endings",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("agreement_id", sa.Integer(), nullable=False),
        sa.Column("ended_on", sa.Date(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("ended_by_id", sa.Integer(), nullable=True),
        sa.Column("ended_by", sa.String(length=64), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["agreement_id"],
            ["sharing_agreements.id"],
            name="fk_agreement_endings_agreement_id_sharing_agreements",
        ),
        sa.ForeignKeyConstraint(
            ["ended_by_id"], ["users.id"], name="fk_agreement_endings_ended_by_id_users"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_agreement_endings"),
        sa.UniqueConstraint("agreement_id", name="uq_agreement_endings_agreement_id"),
    )
    postgres = _is_postgres()
    for table, column, definition in ADDED_COLUMNS:
        if postgres:
            definition = definition.replace("JSON", "JSONB")
        op.execute(f"ALTER TABLE {table} ADD COLUMN {column} {definition}")
    if postgres:
        for function in PG_FUNCTIONS:
            op.execute(function)
        for statement in _pg_triggers():
            op.execute(statement)
    else:
        for statement in _sqlite_triggers():
            op.execute(statement)


def downgrade() -> None:
    postgres = _is_postgres()
    if postgres:
        for table in FROZEN:
            op.execute(f"DROP TRIGGER {table}_frozen ON {table}")
            op.execute(f"DROP TRIGGER {table}_frozen_truncate ON {table}")
        op.execute("DROP TRIGGER release_requests_decided ON release_requests")
        op.execute("DROP TRIGGER release_requests_decided_truncate ON release_requests")
        op.execute("DROP FUNCTION alpr_refuse_decided_request()")
        op.execute("DROP FUNCTION alpr_refuse_frozen_change()")
    else:
        for table in FROZEN:
            for operation in ("update", "delete"):
                op.execute(f"DROP TRIGGER {table}_frozen_{operation}")
        for operation in ("update", "delete"):
            op.execute(f"DROP TRIGGER release_requests_decided_{operation}")
    for table, column, _ in reversed(ADDED_COLUMNS):
        op.execute(f"ALTER TABLE {table} DROP COLUMN {column}")
    op.drop_table("agreement_endings")
    op.drop_table("scopes")
