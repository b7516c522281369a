"""Initial schema: every table of the product, the reads table of each database and the
triggers that keep the records of accountability append-only

Revision ID: 0001
Revises:
Create Date: 2026-11-22 16:27:03.966285

The DDL is written out here as it was at this revision: a database stopped at 0001 has these
tables and guards, whatever later revisions add.
"""

from __future__ import annotations

from datetime import UTC, date, datetime

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

JSON = sa.JSON().with_variant(postgresql.JSONB(), "postgresql")
BIGID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "agencies",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column(
            "kind",
            sa.Enum(
                "ca_local_le",
                "ca_state_le",
                "ca_prosecutor",
                "ca_public_other",
                "out_of_state",
                "federal",
                "non_government",
                name="agency_kind",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=False,
        ),
        sa.Column("state", sa.String(length=2), nullable=False),
        sa.Column("is_home", sa.Boolean(), nullable=False),
        sa.Column("contact", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_agencies")),
        sa.UniqueConstraint("name", name=op.f("uq_agencies_name")),
    )
    op.create_table(
        "cameras",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column(
            "kind",
            sa.Enum(
                "fixed", "mobile", name="camera_kind", native_enum=False, create_constraint=True
            ),
            nullable=False,
        ),
        sa.Column("location_name", sa.String(length=200), nullable=True),
        sa.Column("lat", sa.Double(), nullable=True),
        sa.Column("lon", sa.Double(), nullable=True),
        sa.Column("heading", sa.SmallInteger(), nullable=True),
        sa.Column("source_url", sa.Text(), nullable=True),
        sa.Column("enabled", sa.Boolean(), nullable=False),
        sa.Column(
            "status",
            sa.Enum(
                "unknown",
                "up",
                "down",
                "disabled",
                name="camera_status",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=False,
        ),
        sa.Column("last_heartbeat_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("frames_per_second", sa.Double(), nullable=True),
        sa.Column("reads_last_hour", sa.Integer(), nullable=True),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_cameras")),
        sa.UniqueConstraint("name", name=op.f("uq_cameras_name")),
    )
    op.create_table(
        "images",
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("content_type", sa.String(length=40), nullable=False),
        sa.Column("size_bytes", sa.Integer(), nullable=False),
        sa.Column("width", sa.Integer(), nullable=True),
        sa.Column("height", sa.Integer(), nullable=True),
        sa.Column("stored_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("sha256", name=op.f("pk_images")),
    )
    op.create_table(
        "plates",
        sa.Column("plate", sa.String(length=10), nullable=False),
        sa.Column("confusion_key", sa.String(length=10), nullable=False),
        sa.Column("first_seen", sa.DateTime(timezone=True), nullable=True),
        sa.Column("last_seen", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("plate", name=op.f("pk_plates")),
    )
    op.create_index("ix_plates_confusion_key", "plates", ["confusion_key"], unique=False)

    op.create_table(
        "purge_runs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("as_of", sa.DateTime(timezone=True), nullable=False),
        sa.Column("dry_run", sa.Boolean(), nullable=False),
        sa.Column("counts", JSON, nullable=False),
        sa.Column("methods", JSON, nullable=False),
        sa.Column("run_by", sa.String(length=64), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_purge_runs")),
    )
    op.create_table(
        "roles",
        sa.Column(
            "code",
            sa.Enum(
                "investigator",
                "patrol",
                "sergeant",
                "records_clerk",
                "command",
                "administrator",
                name="role_code",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=False,
        ),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("job_titles", sa.Text(), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("code", name=op.f("pk_roles")),
    )
    op.create_table(
        "camera_heartbeats",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("camera_id", sa.Integer(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column(
            "status",
            sa.Enum(
                "unknown",
                "up",
                "down",
                "disabled",
                name="camera_status",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=False,
        ),
        sa.Column("frames_per_second", sa.Double(), nullable=True),
        sa.Column("frames", sa.Integer(), nullable=False),
        sa.Column("reads", sa.Integer(), nullable=False),
        sa.Column("error", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["camera_id"], ["cameras.id"], name=op.f("fk_camera_heartbeats_camera_id_cameras")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_camera_heartbeats")),
    )
    op.create_index(
        "ix_camera_heartbeats_camera_at", "camera_heartbeats", ["camera_id", "at"], unique=False
    )

    op.create_table(
        "role_permissions",
        sa.Column(
            "role_code",
            sa.Enum(
                "investigator",
                "patrol",
                "sergeant",
                "records_clerk",
                "command",
                "administrator",
                name="role_code",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=False,
        ),
        sa.Column("permission", sa.String(length=60), nullable=False),
        sa.ForeignKeyConstraint(
            ["role_code"], ["roles.code"], name=op.f("fk_role_permissions_role_code_roles")
        ),
        sa.PrimaryKeyConstraint("role_code", "permission", name=op.f("pk_role_permissions")),
    )
    op.create_table(
        "users",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("username", sa.String(length=64), nullable=False),
        sa.Column("full_name", sa.String(length=200), nullable=False),
        sa.Column("title", sa.String(length=100), nullable=True),
        sa.Column("unit", sa.String(length=100), nullable=True),
        sa.Column("agency_id", sa.Integer(), nullable=False),
        sa.Column(
            "role_code",
            sa.Enum(
                "investigator",
                "patrol",
                "sergeant",
                "records_clerk",
                "command",
                "administrator",
                name="role_code",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=False,
        ),
        sa.Column("is_contractor", sa.Boolean(), nullable=False),
        sa.Column("is_trainer", sa.Boolean(), nullable=False),
        sa.Column("password_hash", sa.String(length=100), nullable=True),
        sa.Column("totp_secret", sa.String(length=64), nullable=True),
        sa.Column("mfa_enrolled_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("oidc_subject", sa.String(length=255), nullable=True),
        sa.Column("disabled_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("locked_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("unlocked_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("shift_start", sa.Time(), nullable=True),
        sa.Column("shift_end", sa.Time(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["agency_id"], ["agencies.id"], name=op.f("fk_users_agency_id_agencies")
        ),
        sa.ForeignKeyConstraint(
            ["role_code"], ["roles.code"], name=op.f("fk_users_role_code_roles")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_users")),
        sa.UniqueConstraint("oidc_subject", name=op.f("uq_users_oidc_subject")),
        sa.UniqueConstraint("username", name=op.f("uq_users_username")),
    )
    op.create_table(
        "access_records",
        sa.Column("id", BIGID, nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("event", sa.String(length=40), nullable=False),
        sa.Column("outcome", sa.String(length=20), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("username", sa.String(length=64), nullable=False),
        sa.Column("agency_name", sa.String(length=200), nullable=True),
        sa.Column("purpose", sa.String(length=40), nullable=True),
        sa.Column("case_number", sa.String(length=40), nullable=True),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("exigent", sa.Boolean(), nullable=False),
        sa.Column("search_id", BIGID, nullable=True),
        sa.Column("query", JSON, nullable=True),
        sa.Column("plates", JSON, nullable=True),
        sa.Column("result_count", sa.Integer(), nullable=True),
        sa.Column("result_ids", JSON, nullable=True),
        sa.Column("result_digest", sa.String(length=64), nullable=True),
        sa.Column("client_addr", sa.String(length=64), nullable=True),
        sa.Column("detail", sa.Text(), nullable=True),
        sa.Column("prev_hash", sa.String(length=64), nullable=False),
        sa.Column("hash", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_access_records_user_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_access_records")),
        sa.UniqueConstraint("hash", name=op.f("uq_access_records_hash")),
    )
    op.create_index("ix_access_records_at", "access_records", ["at"], unique=False)
    op.create_index("ix_access_records_user_at", "access_records", ["user_id", "at"], unique=False)

    op.create_table(
        "audit_plans",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("frequency_days", sa.Integer(), nullable=False),
        sa.Column("sample_size", sa.Integer(), nullable=False),
        sa.Column("include_flagged", sa.Boolean(), nullable=False),
        sa.Column("auditor_id", sa.Integer(), nullable=False),
        sa.Column("approver_id", sa.Integer(), nullable=False),
        sa.Column("created_by_id", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["approver_id"], ["users.id"], name=op.f("fk_audit_plans_approver_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["auditor_id"], ["users.id"], name=op.f("fk_audit_plans_auditor_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["created_by_id"], ["users.id"], name=op.f("fk_audit_plans_created_by_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_plans")),
    )
    op.create_table(
        "colleague_plates",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("plate", sa.String(length=10), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("added_by_id", sa.Integer(), nullable=True),
        sa.Column("added_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["added_by_id"], ["users.id"], name=op.f("fk_colleague_plates_added_by_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_colleague_plates_user_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_colleague_plates")),
    )
    op.create_index(op.f("ix_colleague_plates_plate"), "colleague_plates", ["plate"], unique=False)

    op.create_table(
        "evidence_exports",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_number", sa.String(length=40), nullable=False),
        sa.Column("exported_by_id", sa.Integer(), nullable=False),
        sa.Column("exported_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("medium", sa.String(length=200), nullable=False),
        sa.Column("search_id", sa.Integer(), nullable=True),
        sa.Column("read_ids", JSON, nullable=False),
        sa.Column("path", sa.Text(), nullable=False),
        sa.Column("manifest_sha256", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(
            ["exported_by_id"], ["users.id"], name=op.f("fk_evidence_exports_exported_by_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_evidence_exports")),
    )
    op.create_index(
        op.f("ix_evidence_exports_case_number"), "evidence_exports", ["case_number"], unique=False
    )

    op.create_table(
        "hot_lists",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column(
            "kind",
            sa.Enum(
                "stolen_vehicle",
                "wanted_person",
                "missing_person",
                "amber_alert",
                "custom",
                name="hot_list_kind",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=False,
        ),
        sa.Column("source", sa.String(length=200), nullable=True),
        sa.Column("refreshed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("owner_id", sa.Integer(), nullable=True),
        sa.Column("webhook_url", sa.Text(), nullable=True),
        sa.Column(
            "webhook_min_priority",
            sa.Enum(
                "high", "medium", "low", name="priority", native_enum=False, create_constraint=True
            ),
            nullable=True,
        ),
        sa.Column("enabled", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["owner_id"], ["users.id"], name=op.f("fk_hot_lists_owner_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_hot_lists")),
        sa.UniqueConstraint("name", name=op.f("uq_hot_lists_name")),
    )
    op.create_table(
        "incidents",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_number", sa.String(length=40), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("kind", sa.String(length=60), nullable=False),
        sa.Column("address", sa.String(length=200), nullable=True),
        sa.Column("lat", sa.Double(), nullable=False),
        sa.Column("lon", sa.Double(), nullable=False),
        sa.Column("occurred_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("created_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["created_by_id"], ["users.id"], name=op.f("fk_incidents_created_by_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_incidents")),
    )
    op.create_index(op.f("ix_incidents_case_number"), "incidents", ["case_number"], unique=False)

    op.create_table(
        "legal_holds",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("case_number", sa.String(length=40), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("criteria", JSON, nullable=False),
        sa.Column("placed_by_id", sa.Integer(), nullable=False),
        sa.Column("placed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("review_due_on", sa.Date(), nullable=True),
        sa.Column("released_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("released_by_id", sa.Integer(), nullable=True),
        sa.Column("release_note", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["placed_by_id"], ["users.id"], name=op.f("fk_legal_holds_placed_by_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["released_by_id"], ["users.id"], name=op.f("fk_legal_holds_released_by_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_legal_holds")),
    )
    op.create_index(
        op.f("ix_legal_holds_case_number"), "legal_holds", ["case_number"], unique=False
    )

    op.create_table(
        "policy_changes",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("key", sa.String(length=60), nullable=False),
        sa.Column("old_value", JSON, nullable=False),
        sa.Column("new_value", JSON, nullable=False),
        sa.Column("legal_basis", sa.Text(), nullable=True),
        sa.Column("changed_by_id", sa.Integer(), nullable=True),
        sa.Column("changed_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["changed_by_id"], ["users.id"], name=op.f("fk_policy_changes_changed_by_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_policy_changes")),
    )
    op.create_index(op.f("ix_policy_changes_key"), "policy_changes", ["key"], unique=False)

    op.create_table(
        "policy_settings",
        sa.Column("key", sa.String(length=60), nullable=False),
        sa.Column("value", JSON, nullable=False),
        sa.Column("legal_basis", sa.Text(), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["updated_by_id"], ["users.id"], name=op.f("fk_policy_settings_updated_by_id_users")
        ),
        sa.PrimaryKeyConstraint("key", name=op.f("pk_policy_settings")),
    )
    op.create_table(
        "read_corrections",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("read_id", BIGID, nullable=False),
        sa.Column("read_captured_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("original_plate", sa.String(length=10), nullable=False),
        sa.Column("corrected_plate", sa.String(length=10), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("corrected_by_id", sa.Integer(), nullable=False),
        sa.Column("corrected_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["corrected_by_id"],
            ["users.id"],
            name=op.f("fk_read_corrections_corrected_by_id_users"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_read_corrections")),
    )
    op.create_index(
        "ix_read_corrections_plate", "read_corrections", ["corrected_plate"], unique=False
    )
    op.create_index("ix_read_corrections_read", "read_corrections", ["read_id"], unique=False)

    op.create_table(
        "searches",
        sa.Column("id", BIGID, nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("params", JSON, nullable=False),
        sa.Column(
            "purpose",
            sa.Enum(
                "stolen_vehicle",
                "wanted_vehicle",
                "stolen_plate",
                "missing_person",
                "amber_alert",
                "active_warrant",
                "homeland_security",
                "electronic_surveillance",
                "suspect_interdiction",
                "stolen_property",
                "major_crime_canvass",
                name="purpose",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=True,
        ),
        sa.Column("case_number", sa.String(length=40), nullable=True),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column("exigent", sa.Boolean(), nullable=False),
        sa.Column("approved_by_id", sa.Integer(), nullable=True),
        sa.Column("approval_note", sa.Text(), nullable=True),
        sa.Column("result_count", sa.Integer(), nullable=True),
        sa.Column("refused_reason", sa.Text(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["approved_by_id"], ["users.id"], name=op.f("fk_searches_approved_by_id_users")
        ),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name=op.f("fk_searches_user_id_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_searches")),
    )
    op.create_index(op.f("ix_searches_case_number"), "searches", ["case_number"], unique=False)
    op.create_index("ix_searches_user_created", "searches", ["user_id", "created_at"], unique=False)

    op.create_table(
        "sharing_agreements",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("agency_id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("scope", sa.Text(), nullable=False),
        sa.Column("starts_on", sa.Date(), nullable=False),
        sa.Column("ends_on", sa.Date(), nullable=True),
        sa.Column("document_sha256", sa.String(length=64), nullable=True),
        sa.Column("recorded_by_id", sa.Integer(), nullable=True),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["agency_id"], ["agencies.id"], name=op.f("fk_sharing_agreements_agency_id_agencies")
        ),
        sa.ForeignKeyConstraint(
            ["recorded_by_id"],
            ["users.id"],
            name=op.f("fk_sharing_agreements_recorded_by_id_users"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sharing_agreements")),
    )
    op.create_index(
        op.f("ix_sharing_agreements_agency_id"), "sharing_agreements", ["agency_id"], unique=False
    )

    op.create_table(
        "sign_in_attempts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("username", sa.String(length=64), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=True),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("success", sa.Boolean(), nullable=False),
        sa.Column("stage", sa.String(length=20), nullable=False),
        sa.Column("client_addr", sa.String(length=64), nullable=True),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_sign_in_attempts_user_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sign_in_attempts")),
    )
    op.create_index(
        "ix_sign_in_attempts_username_at", "sign_in_attempts", ["username", "at"], unique=False
    )

    op.create_table(
        "training_records",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("course", sa.String(length=200), nullable=False),
        sa.Column("completed_on", sa.Date(), nullable=False),
        sa.Column("topics", JSON, nullable=False),
        sa.Column("recorded_by_id", sa.Integer(), nullable=True),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["recorded_by_id"], ["users.id"], name=op.f("fk_training_records_recorded_by_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_training_records_user_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_training_records")),
    )
    op.create_index(
        op.f("ix_training_records_user_id"), "training_records", ["user_id"], unique=False
    )

    op.create_table(
        "audits",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("plan_id", sa.Integer(), nullable=False),
        sa.Column("period_start", sa.Date(), nullable=False),
        sa.Column("period_end", sa.Date(), nullable=False),
        sa.Column("drawn_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("signed_off_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("signed_off_by_id", sa.Integer(), nullable=True),
        sa.Column("summary", sa.Text(), nullable=True),
        sa.ForeignKeyConstraint(
            ["plan_id"], ["audit_plans.id"], name=op.f("fk_audits_plan_id_audit_plans")
        ),
        sa.ForeignKeyConstraint(
            ["signed_off_by_id"], ["users.id"], name=op.f("fk_audits_signed_off_by_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audits")),
    )
    op.create_index(op.f("ix_audits_plan_id"), "audits", ["plan_id"], unique=False)

    op.create_table(
        "hot_list_entries",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("hot_list_id", sa.Integer(), nullable=False),
        sa.Column("pattern", sa.String(length=10), nullable=False),
        sa.Column("is_partial", sa.Boolean(), nullable=False),
        sa.Column("match_confusions", sa.Boolean(), nullable=False),
        sa.Column("state", sa.String(length=2), nullable=True),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("vehicle_make", sa.String(length=60), nullable=True),
        sa.Column("vehicle_model", sa.String(length=60), nullable=True),
        sa.Column("vehicle_color", sa.String(length=40), nullable=True),
        sa.Column("case_number", sa.String(length=40), nullable=True),
        sa.Column("entered_on", sa.Date(), nullable=True),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column(
            "priority",
            sa.Enum(
                "high", "medium", "low", name="priority", native_enum=False, create_constraint=True
            ),
            nullable=False,
        ),
        sa.Column("added_by_id", sa.Integer(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("removed_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["added_by_id"], ["users.id"], name=op.f("fk_hot_list_entries_added_by_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["hot_list_id"],
            ["hot_lists.id"],
            name=op.f("fk_hot_list_entries_hot_list_id_hot_lists"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_hot_list_entries")),
    )
    op.create_index(
        op.f("ix_hot_list_entries_hot_list_id"), "hot_list_entries", ["hot_list_id"], unique=False
    )
    op.create_index("ix_hot_list_entries_pattern", "hot_list_entries", ["pattern"], unique=False)

    op.create_table(
        "legal_hold_reads",
        sa.Column("hold_id", sa.Integer(), nullable=False),
        sa.Column("read_id", BIGID, nullable=False),
        sa.Column("read_captured_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["hold_id"], ["legal_holds.id"], name=op.f("fk_legal_hold_reads_hold_id_legal_holds")
        ),
        sa.PrimaryKeyConstraint("hold_id", "read_id", name=op.f("pk_legal_hold_reads")),
    )
    op.create_index(
        op.f("ix_legal_hold_reads_read_id"), "legal_hold_reads", ["read_id"], unique=False
    )

    op.create_table(
        "release_requests",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("filed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("filed_by_id", sa.Integer(), nullable=False),
        sa.Column("agency_id", sa.Integer(), nullable=True),
        sa.Column(
            "requester_kind",
            sa.Enum(
                "ca_local_le",
                "ca_state_le",
                "ca_prosecutor",
                "ca_public_other",
                "out_of_state",
                "federal",
                "non_government",
                name="agency_kind",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=False,
        ),
        sa.Column("requester_state", sa.String(length=2), nullable=True),
        sa.Column("requester_name", sa.String(length=200), nullable=False),
        sa.Column("requester_contact", sa.Text(), nullable=False),
        sa.Column("purpose", sa.Text(), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("details", JSON, nullable=False),
        sa.Column(
            "requested",
            sa.Enum(
                "plate_level",
                "aggregate",
                name="requested_data",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=False,
        ),
        sa.Column(
            "legal_basis",
            sa.Enum(
                "none",
                "mou",
                "court_order",
                "warrant",
                "exigent",
                "public_records_request",
                name="legal_basis",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=False,
        ),
        sa.Column("immigration_related", sa.Boolean(), nullable=False),
        sa.Column("agreement_id", sa.Integer(), nullable=True),
        sa.Column(
            "rules_decision",
            sa.Enum(
                "eligible",
                "review",
                "refused",
                "aggregate_only",
                name="release_decision_kind",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=False,
        ),
        sa.Column("rules_reasons", JSON, nullable=False),
        sa.Column("rules_requirements", JSON, nullable=False),
        sa.Column(
            "status",
            sa.Enum(
                "filed",
                "approved",
                "denied",
                "fulfilled",
                "routed_to_records_manager",
                name="release_status",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=False,
        ),
        sa.ForeignKeyConstraint(
            ["agency_id"], ["agencies.id"], name=op.f("fk_release_requests_agency_id_agencies")
        ),
        sa.ForeignKeyConstraint(
            ["agreement_id"],
            ["sharing_agreements.id"],
            name=op.f("fk_release_requests_agreement_id_sharing_agreements"),
        ),
        sa.ForeignKeyConstraint(
            ["filed_by_id"], ["users.id"], name=op.f("fk_release_requests_filed_by_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_release_requests")),
    )
    op.create_table(
        "alerts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("read_id", BIGID, nullable=False),
        sa.Column("read_captured_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("entry_id", sa.Integer(), nullable=False),
        sa.Column("hot_list_id", sa.Integer(), nullable=False),
        sa.Column("plate", sa.String(length=10), nullable=False),
        sa.Column("camera_id", sa.Integer(), nullable=False),
        sa.Column(
            "match_kind",
            sa.Enum(
                "exact",
                "partial",
                "confusion",
                name="match_kind",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=False,
        ),
        sa.Column(
            "priority",
            sa.Enum(
                "high", "medium", "low", name="priority", native_enum=False, create_constraint=True
            ),
            nullable=False,
        ),
        sa.Column("is_retro", sa.Boolean(), nullable=False),
        sa.Column("list_was_stale", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("muted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("muted_by_id", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["camera_id"], ["cameras.id"], name=op.f("fk_alerts_camera_id_cameras")
        ),
        sa.ForeignKeyConstraint(
            ["entry_id"], ["hot_list_entries.id"], name=op.f("fk_alerts_entry_id_hot_list_entries")
        ),
        sa.ForeignKeyConstraint(
            ["hot_list_id"], ["hot_lists.id"], name=op.f("fk_alerts_hot_list_id_hot_lists")
        ),
        sa.ForeignKeyConstraint(
            ["muted_by_id"], ["users.id"], name=op.f("fk_alerts_muted_by_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_alerts")),
    )
    op.create_index("ix_alerts_created_at", "alerts", ["created_at"], unique=False)
    op.create_index("ix_alerts_read", "alerts", ["read_id"], unique=False)
    op.create_index("uq_alerts_read_entry", "alerts", ["read_id", "entry_id"], unique=True)

    op.create_table(
        "audit_samples",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("audit_id", sa.Integer(), nullable=False),
        sa.Column("access_record_id", BIGID, nullable=False),
        sa.Column("drawn_because", sa.String(length=20), nullable=False),
        sa.Column("flags", JSON, nullable=False),
        sa.Column(
            "verdict",
            sa.Enum(
                "appropriate",
                "inappropriate",
                name="audit_verdict",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=True,
        ),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column("marked_by_id", sa.Integer(), nullable=True),
        sa.Column("marked_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["audit_id"], ["audits.id"], name=op.f("fk_audit_samples_audit_id_audits")
        ),
        sa.ForeignKeyConstraint(
            ["marked_by_id"], ["users.id"], name=op.f("fk_audit_samples_marked_by_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_samples")),
    )
    op.create_index(op.f("ix_audit_samples_audit_id"), "audit_samples", ["audit_id"], unique=False)

    op.create_table(
        "release_attachments",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("request_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("filename", sa.String(length=255), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("size_bytes", sa.Integer(), nullable=False),
        sa.Column("uploaded_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["request_id"],
            ["release_requests.id"],
            name=op.f("fk_release_attachments_request_id_release_requests"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_release_attachments")),
    )
    op.create_index(
        op.f("ix_release_attachments_request_id"),
        "release_attachments",
        ["request_id"],
        unique=False,
    )

    op.create_table(
        "release_decisions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("request_id", sa.Integer(), nullable=False),
        sa.Column("approver_id", sa.Integer(), nullable=False),
        sa.Column("approved", sa.Boolean(), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("decided_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["approver_id"], ["users.id"], name=op.f("fk_release_decisions_approver_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["request_id"],
            ["release_requests.id"],
            name=op.f("fk_release_decisions_request_id_release_requests"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_release_decisions")),
        sa.UniqueConstraint("request_id", name=op.f("uq_release_decisions_request_id")),
    )
    op.create_table(
        "release_packages",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("request_id", sa.Integer(), nullable=False),
        sa.Column("produced_by_id", sa.Integer(), nullable=False),
        sa.Column("produced_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("path", sa.Text(), nullable=False),
        sa.Column("manifest", JSON, nullable=False),
        sa.Column("manifest_sha256", sa.String(length=64), nullable=False),
        sa.ForeignKeyConstraint(
            ["produced_by_id"], ["users.id"], name=op.f("fk_release_packages_produced_by_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["request_id"],
            ["release_requests.id"],
            name=op.f("fk_release_packages_request_id_release_requests"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_release_packages")),
    )
    op.create_index(
        op.f("ix_release_packages_request_id"), "release_packages", ["request_id"], unique=False
    )

    op.create_table(
        "alert_reviews",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("alert_id", sa.Integer(), nullable=False),
        sa.Column("reviewer_id", sa.Integer(), nullable=False),
        sa.Column("characters_compared", sa.Boolean(), nullable=False),
        sa.Column("clets_confirmed", sa.Boolean(), nullable=False),
        sa.Column("clets_confirmed_by", sa.String(length=100), nullable=True),
        sa.Column("clets_confirmed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("clets_reference", sa.String(length=100), nullable=True),
        sa.Column(
            "disposition",
            sa.Enum(
                "confirmed",
                "misread",
                "wrong_state",
                "vehicle_mismatch",
                "entry_inactive",
                "dismissed",
                name="disposition",
                native_enum=False,
                create_constraint=True,
            ),
            nullable=False,
        ),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("reviewed_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["alert_id"], ["alerts.id"], name=op.f("fk_alert_reviews_alert_id_alerts")
        ),
        sa.ForeignKeyConstraint(
            ["reviewer_id"], ["users.id"], name=op.f("fk_alert_reviews_reviewer_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_alert_reviews")),
    )
    op.create_index(op.f("ix_alert_reviews_alert_id"), "alert_reviews", ["alert_id"], unique=False)

    op.create_table(
        "webhook_deliveries",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("alert_id", sa.Integer(), nullable=False),
        sa.Column("url", sa.Text(), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("delivered_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.Column("next_attempt_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["alert_id"], ["alerts.id"], name=op.f("fk_webhook_deliveries_alert_id_alerts")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_webhook_deliveries")),
    )
    op.create_index(
        op.f("ix_webhook_deliveries_alert_id"), "webhook_deliveries", ["alert_id"], unique=False
    )

    if _postgres():
        for extension in ("postgis", "pg_trgm", "btree_gist"):
            op.execute(f"CREATE EXTENSION IF NOT EXISTS {extension}")
        _run(_PG_READS)
        _pg_partitions_around(datetime.now(UTC).date())
        _run(_PG_GUARDS)
    else:
        _run(_SQLITE_READS)
        _run(_SQLITE_GUARDS)


def downgrade() -> None:
    if _postgres():
        _run(_PG_DROP_GUARDS)
    op.execute("DROP TABLE reads")
    if _postgres():
        op.execute("DROP INDEX IF EXISTS ix_plates_plate_trgm")
        op.execute("DROP INDEX IF EXISTS ix_plates_confusion_trgm")
    op.drop_index(op.f("ix_webhook_deliveries_alert_id"), table_name="webhook_deliveries")

    op.drop_table("webhook_deliveries")
    op.drop_index(op.f("ix_alert_reviews_alert_id"), table_name="alert_reviews")

    op.drop_table("alert_reviews")
    op.drop_index(op.f("ix_release_packages_request_id"), table_name="release_packages")

    op.drop_table("release_packages")
    op.drop_table("release_decisions")
    op.drop_index(op.f("ix_release_attachments_request_id"), table_name="release_attachments")

    op.drop_table("release_attachments")
    op.drop_index(op.f("ix_audit_samples_audit_id"), table_name="audit_samples")

    op.drop_table("audit_samples")
    op.drop_index("uq_alerts_read_entry", table_name="alerts")
    op.drop_index("ix_alerts_read", table_name="alerts")
    op.drop_index("ix_alerts_created_at", table_name="alerts")

    op.drop_table("alerts")
    op.drop_table("release_requests")
    op.drop_index(op.f("ix_legal_hold_reads_read_id"), table_name="legal_hold_reads")

    op.drop_table("legal_hold_reads")
    op.drop_index("ix_hot_list_entries_pattern", table_name="hot_list_entries")
    op.drop_index(op.f("ix_hot_list_entries_hot_list_id"), table_name="hot_list_entries")

    op.drop_table("hot_list_entries")
    op.drop_index(op.f("ix_audits_plan_id"), table_name="audits")

    op.drop_table("audits")
    op.drop_index(op.f("ix_training_records_user_id"), table_name="training_records")

    op.drop_table("training_records")
    op.drop_index("ix_sign_in_attempts_username_at", table_name="sign_in_attempts")

    op.drop_table("sign_in_attempts")
    op.drop_index(op.f("ix_sharing_agreements_agency_id"), table_name="sharing_agreements")

    op.drop_table("sharing_agreements")
    op.drop_index("ix_searches_user_created", table_name="searches")
    op.drop_index(op.f("ix_searches_case_number"), table_name="searches")

    op.drop_table("searches")
    op.drop_index("ix_read_corrections_read", table_name="read_corrections")
    op.drop_index("ix_read_corrections_plate", table_name="read_corrections")

    op.drop_table("read_corrections")
    op.drop_table("policy_settings")
    op.drop_index(op.f("ix_policy_changes_key"), table_name="policy_changes")

    op.drop_table("policy_changes")
    op.drop_index(op.f("ix_legal_holds_case_number"), table_name="legal_holds")

    op.drop_table("legal_holds")
    op.drop_index(op.f("ix_incidents_case_number"), table_name="incidents")

    op.drop_table("incidents")
    op.drop_table("hot_lists")
    op.drop_index(op.f("ix_evidence_exports_case_number"), table_name="evidence_exports")

    op.drop_table("evidence_exports")
    op.drop_index(op.f("ix_colleague_plates_plate"), table_name="colleague_plates")

    op.drop_table("colleague_plates")
    op.drop_table("audit_plans")
    op.drop_index("ix_access_records_user_at", table_name="access_records")
    op.drop_index("ix_access_records_at", table_name="access_records")

    op.drop_table("access_records")
    op.drop_table("users")
    op.drop_table("role_permissions")
    op.drop_index("ix_camera_heartbeats_camera_at", table_name="camera_heartbeats")

    op.drop_table("camera_heartbeats")
    op.drop_table("roles")
    op.drop_table("purge_runs")
    op.drop_index("ix_plates_confusion_key", table_name="plates")

    op.drop_table("plates")
    op.drop_table("images")
    op.drop_table("cameras")
    op.drop_table("agencies")


def _postgres() -> bool:
    return op.get_bind().dialect.name == "postgresql"


def _run(script: str) -> None:
    for statement in script.split(";\n\n"):
        if statement.strip():
            op.execute(statement)


_PG_READS = """
CREATE SEQUENCE reads_id_seq CACHE 100;

CREATE TABLE reads (
    id bigint NOT NULL DEFAULT nextval('reads_id_seq'),
    captured_at timestamptz NOT NULL,
    camera_id integer NOT NULL REFERENCES cameras (id),
    confidence real NOT NULL,
    heading smallint,
    retained boolean NOT NULL DEFAULT false,
    is_mobile boolean NOT NULL DEFAULT false,
    lat double precision NOT NULL,
    lon double precision NOT NULL,
    plate varchar(10) COLLATE "C" NOT NULL CHECK (plate ~ '^[A-Z0-9]{1,10}$'),
    plate_raw varchar(32),
    region varchar(32),
    image_sha256 varchar(64),
    crop_sha256 varchar(64),
    idempotency_key varchar(40) NOT NULL,
    char_confidences jsonb,
    alternatives jsonb,
    geom geometry(Point, 4326)
        GENERATED ALWAYS AS (ST_SetSRID(ST_MakePoint(lon, lat), 4326)) STORED,
    CONSTRAINT pk_reads PRIMARY KEY (id, captured_at, retained)
) PARTITION BY LIST (retained);

ALTER SEQUENCE reads_id_seq OWNED BY reads.id;

CREATE TABLE reads_standard PARTITION OF reads FOR VALUES IN (false)
    PARTITION BY RANGE (captured_at);

CREATE TABLE reads_retained PARTITION OF reads FOR VALUES IN (true)
    PARTITION BY RANGE (captured_at);

CREATE INDEX ix_reads_camera_captured ON reads (camera_id, captured_at);

CREATE INDEX ix_reads_plate_captured ON reads (plate, captured_at);

CREATE INDEX ix_reads_captured_brin ON reads USING brin (captured_at);

CREATE INDEX ix_reads_mobile_geom ON reads USING gist (geom, captured_at) WHERE is_mobile;

CREATE UNIQUE INDEX uq_reads_idempotency ON reads (idempotency_key, captured_at, retained);

CREATE INDEX ix_plates_plate_trgm ON plates USING gin (plate gin_trgm_ops);

CREATE INDEX ix_plates_confusion_trgm ON plates USING gin (confusion_key gin_trgm_ops)
"""


def _pg_partitions_around(today: date) -> None:
    """Monthly partitions from last month to three months ahead."""
    first = today.year * 12 + today.month - 1
    for index in range(first - 1, first + 4):
        start, end = (date(i // 12, i % 12 + 1, 1) for i in (index, index + 1))
        for parent in ("reads_standard", "reads_retained"):
            op.execute(
                f"CREATE TABLE {parent}_{start:%Y_%m} PARTITION OF {parent} "
                f"FOR VALUES FROM ('{start.isoformat()}') TO ('{end.isoformat()}')"
            )


_SQLITE_READS = """
CREATE TABLE reads (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    captured_at DATETIME NOT NULL,
    camera_id INTEGER NOT NULL REFERENCES cameras (id),
    confidence FLOAT NOT NULL,
    heading SMALLINT,
    retained BOOLEAN NOT NULL DEFAULT 0,
    is_mobile BOOLEAN NOT NULL DEFAULT 0,
    lat FLOAT NOT NULL,
    lon FLOAT NOT NULL,
    plate VARCHAR(10) NOT NULL,
    plate_raw VARCHAR(32),
    region VARCHAR(32),
    image_sha256 VARCHAR(64),
    crop_sha256 VARCHAR(64),
    idempotency_key VARCHAR(40) NOT NULL,
    char_confidences JSON,
    alternatives JSON
);

CREATE INDEX ix_reads_camera_captured ON reads (camera_id, captured_at);

CREATE INDEX ix_reads_plate_captured ON reads (plate, captured_at);

CREATE INDEX ix_reads_captured ON reads (captured_at);

CREATE INDEX ix_reads_latlon ON reads (lat, lon);

CREATE UNIQUE INDEX uq_reads_idempotency ON reads (idempotency_key)
"""

# Access records, alert reviews, release decisions and policy changes are append-only; access
# records older than the CJIS minimum of 365 days may be deleted (by retention), nothing else.
_PG_GUARDS = """
CREATE FUNCTION alpr_refuse_change() RETURNS trigger LANGUAGE plpgsql AS $fn$
BEGIN
    IF TG_OP = 'DELETE' AND TG_TABLE_NAME = 'access_records' THEN
        IF OLD.at < now() - interval '365 days' THEN
            RETURN OLD;
        END IF;
    END IF;
    RAISE EXCEPTION '% is append-only: % refused', TG_TABLE_NAME, TG_OP
        USING ERRCODE = 'insufficient_privilege';
END
$fn$;

CREATE TRIGGER access_records_append_only BEFORE UPDATE OR DELETE ON access_records
    FOR EACH ROW EXECUTE FUNCTION alpr_refuse_change();

CREATE TRIGGER access_records_no_truncate BEFORE TRUNCATE ON access_records
    FOR EACH STATEMENT EXECUTE FUNCTION alpr_refuse_change();

CREATE TRIGGER alert_reviews_append_only BEFORE UPDATE OR DELETE ON alert_reviews
    FOR EACH ROW EXECUTE FUNCTION alpr_refuse_change();

CREATE TRIGGER alert_reviews_no_truncate BEFORE TRUNCATE ON alert_reviews
    FOR EACH STATEMENT EXECUTE FUNCTION alpr_refuse_change();

CREATE TRIGGER release_decisions_append_only BEFORE UPDATE OR DELETE ON release_decisions
    FOR EACH ROW EXECUTE FUNCTION alpr_refuse_change();

CREATE TRIGGER release_decisions_no_truncate BEFORE TRUNCATE ON release_decisions
    FOR EACH STATEMENT EXECUTE FUNCTION alpr_refuse_change();

CREATE TRIGGER policy_changes_append_only BEFORE UPDATE OR DELETE ON policy_changes
    FOR EACH ROW EXECUTE FUNCTION alpr_refuse_change();

CREATE TRIGGER policy_changes_no_truncate BEFORE TRUNCATE ON policy_changes
    FOR EACH STATEMENT EXECUTE FUNCTION alpr_refuse_change();

CREATE FUNCTION alpr_refuse_signed_audit() RETURNS trigger LANGUAGE plpgsql AS $fn$
BEGIN
    IF TG_TABLE_NAME = 'audits' THEN
        IF OLD.signed_off_at IS NOT NULL THEN
            RAISE EXCEPTION 'audit % is signed off and cannot be changed', OLD.id
                USING ERRCODE = 'insufficient_privilege';
        END IF;
    ELSIF EXISTS (
        SELECT 1 FROM audits WHERE id = OLD.audit_id AND signed_off_at IS NOT NULL) THEN
        RAISE EXCEPTION 'audit % is signed off and cannot be changed', OLD.audit_id
            USING ERRCODE = 'insufficient_privilege';
    END IF;
    IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
    RETURN NEW;
END
$fn$;

CREATE TRIGGER audits_signed_off BEFORE UPDATE OR DELETE ON audits
    FOR EACH ROW EXECUTE FUNCTION alpr_refuse_signed_audit();

CREATE TRIGGER audit_samples_signed_off BEFORE UPDATE OR DELETE ON audit_samples
    FOR EACH ROW EXECUTE FUNCTION alpr_refuse_signed_audit()
"""

_PG_DROP_GUARDS = """
DROP TRIGGER access_records_append_only ON access_records;

DROP TRIGGER access_records_no_truncate ON access_records;

DROP TRIGGER alert_reviews_append_only ON alert_reviews;

DROP TRIGGER alert_reviews_no_truncate ON alert_reviews;

DROP TRIGGER release_decisions_append_only ON release_decisions;

DROP TRIGGER release_decisions_no_truncate ON release_decisions;

DROP TRIGGER policy_changes_append_only ON policy_changes;

DROP TRIGGER policy_changes_no_truncate ON policy_changes;

DROP TRIGGER audits_signed_off ON audits;

DROP TRIGGER audit_samples_signed_off ON audit_samples;

DROP FUNCTION alpr_refuse_change();

DROP FUNCTION alpr_refuse_signed_audit()
"""

_SQLITE_GUARDS = """
CREATE TRIGGER access_records_no_update BEFORE UPDATE ON access_records
BEGIN SELECT RAISE(ABORT, 'access_records is append-only: UPDATE refused'); END;

CREATE TRIGGER access_records_no_delete BEFORE DELETE ON access_records
WHEN OLD.at >= datetime('now', '-365 days')
BEGIN SELECT RAISE(ABORT, 'access_records is append-only: DELETE refused'); END;

CREATE TRIGGER alert_reviews_no_update BEFORE UPDATE ON alert_reviews
BEGIN SELECT RAISE(ABORT, 'alert_reviews is append-only: UPDATE refused'); END;

CREATE TRIGGER alert_reviews_no_delete BEFORE DELETE ON alert_reviews
BEGIN SELECT RAISE(ABORT, 'alert_reviews is append-only: DELETE refused'); END;

CREATE TRIGGER release_decisions_no_update BEFORE UPDATE ON release_decisions
BEGIN SELECT RAISE(ABORT, 'release_decisions is append-only: UPDATE refused'); END;

CREATE TRIGGER release_decisions_no_delete BEFORE DELETE ON release_decisions
BEGIN SELECT RAISE(ABORT, 'release_decisions is append-only: DELETE refused'); END;

CREATE TRIGGER policy_changes_no_update BEFORE UPDATE ON policy_changes
BEGIN SELECT RAISE(ABORT, 'policy_changes is append-only: UPDATE refused'); END;

CREATE TRIGGER policy_changes_no_delete BEFORE DELETE ON policy_changes
BEGIN SELECT RAISE(ABORT, 'policy_changes is append-only: DELETE refused'); END;

CREATE TRIGGER audits_signed_off_update BEFORE UPDATE ON audits
WHEN OLD.signed_off_at IS NOT NULL
BEGIN SELECT RAISE(ABORT, 'audit is signed off and cannot be changed'); END;

CREATE TRIGGER audits_signed_off_delete BEFORE DELETE ON audits
WHEN OLD.signed_off_at IS NOT NULL
BEGIN SELECT RAISE(ABORT, 'audit is signed off and cannot be changed'); END;

CREATE TRIGGER audit_samples_signed_off_update BEFORE UPDATE ON audit_samples
WHEN (SELECT signed_off_at FROM audits WHERE id = OLD.audit_id) IS NOT NULL
BEGIN SELECT RAISE(ABORT, 'audit is signed off and cannot be changed'); END;

CREATE TRIGGER audit_samples_signed_off_delete BEFORE DELETE ON audit_samples
WHEN (SELECT signed_off_at FROM audits WHERE id = OLD.audit_id) IS NOT NULL
BEGIN SELECT RAISE(ABORT, 'audit is signed off and cannot be changed'); END
"""
