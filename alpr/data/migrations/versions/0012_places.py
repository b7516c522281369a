"""Places: street centre lines, address points and intersections for maps and addresses

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-05 21:15:00

``places`` holds what the agency loads from its county's GIS files (``alpr places import``):
street centre lines and address points, and the intersections derived where street lines
cross. The geometry is WKT text so that SQLite and Postgres keep it alike; a point to place a
scene on and a bounding box let a map find its streets and a form its addresses offline.

A scope (of a hold or a release) keeps the address its area was placed at, in words.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0012"
down_revision = "0011"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "places",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column(
            "kind",
            sa.Enum(
                "street",
                "address",
                "intersection",
                name="place_kind",
                native_enum=False,
                create_constraint=True,
                length=12,
            ),
            nullable=False,
        ),
        sa.Column("search_key", sa.String(length=200), nullable=False),
        sa.Column("geometry", sa.Text(), nullable=False),
        sa.Column("lat", sa.Float(), nullable=False),
        sa.Column("lon", sa.Float(), nullable=False),
        sa.Column("min_lat", sa.Float(), nullable=False),
        sa.Column("min_lon", sa.Float(), nullable=False),
        sa.Column("max_lat", sa.Float(), nullable=False),
        sa.Column("max_lon", sa.Float(), nullable=False),
        sa.Column("source", sa.String(length=200), nullable=False),
        sa.Column("imported_by_id", sa.Integer(), nullable=True),
        sa.Column("imported_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["imported_by_id"], ["users.id"], name=op.f("fk_places_imported_by_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_places")),
    )
    op.create_index(op.f("ix_places_search_key"), "places", ["search_key"])
    op.create_index(op.f("ix_places_source"), "places", ["source"])
    op.create_index("ix_places_kind_bounds", "places", ["kind", "min_lat", "max_lat"])
    op.execute("ALTER TABLE scopes ADD COLUMN address VARCHAR(200)")


def downgrade() -> None:
    op.execute("ALTER TABLE scopes DROP COLUMN address")
    op.drop_table("places")
