"""The register names the hosts where each agency receives data; a webhook is bound to them

Revision ID: 0024
Revises: 0023
Create Date: 2026-12-09 10:00:00

A hot list's webhook named an agency from the register and any https address at all, so alerts
could leave for a destination no rule weighed, on the word of the one person who sets webhooks.
The register now records, for each agency, the host names where it receives data, kept by the
records desk; a webhook's address must be at one of its agency's hosts when it is set and when
each alert is delivered. No host is registered by this revision: a webhook already set sends
nothing (its deliveries refused and recorded) until the register names its host.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0024"
down_revision = "0023"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "agency_hosts",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("agency_id", sa.Integer(), nullable=False),
        sa.Column("host", sa.String(length=253), nullable=False),
        sa.Column("added_by_id", sa.Integer(), nullable=True),
        sa.Column("added_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["agency_id"], ["agencies.id"], name="fk_agency_hosts_agency_id_agencies"
        ),
        sa.ForeignKeyConstraint(
            ["added_by_id"], ["users.id"], name="fk_agency_hosts_added_by_id_users"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_agency_hosts"),
        sa.UniqueConstraint("agency_id", "host", name="uq_agency_hosts_agency_host"),
    )
    op.create_index("ix_agency_hosts_agency_id", "agency_hosts", ["agency_id"], unique=False)


def downgrade() -> None:
    op.drop_index("ix_agency_hosts_agency_id", table_name="agency_hosts")
    op.drop_table("agency_hosts")
