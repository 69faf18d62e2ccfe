"""turnout: DPT and voters per kecamatan, kelurahan or TPS; the target staff set per election

Revision ID: 0010
Revises: 0012
Create Date: 2026-11-30 07:10:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import netral.core.db

revision = "0010"
down_revision = "0012"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "turnout_row",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("election_id", sa.Integer(), nullable=False),
        sa.Column("level", sa.String(length=10), nullable=False),
        sa.Column("code", sa.String(length=24), nullable=False),
        sa.Column("kecamatan_code", sa.String(length=20), nullable=False),
        sa.Column("kelurahan_code", sa.String(length=20), nullable=True),
        sa.Column("name", sa.String(length=120), nullable=False),
        sa.Column("dpt", sa.Integer(), nullable=False),
        sa.Column("voters", sa.Integer(), nullable=False),
        sa.Column("imported_at", netral.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["election_id"],
            ["election.id"],
            name=op.f("fk_turnout_row_election_id_election"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_turnout_row")),
        sa.UniqueConstraint("election_id", "level", "code", name="uq_turnout_row_code"),
    )
    op.create_index(
        "ix_turnout_row_election_kecamatan",
        "turnout_row",
        ["election_id", "kecamatan_code"],
        unique=False,
    )
    op.create_table(
        "turnout_target",
        sa.Column("election_id", sa.Integer(), nullable=False),
        sa.Column("percent", sa.Double(), nullable=False),
        sa.Column("updated_at", netral.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("updated_by", sa.String(length=120), nullable=False),
        sa.ForeignKeyConstraint(
            ["election_id"],
            ["election.id"],
            name=op.f("fk_turnout_target_election_id_election"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("election_id", name=op.f("pk_turnout_target")),
    )


def downgrade() -> None:
    op.drop_table("turnout_target")
    op.drop_index("ix_turnout_row_election_kecamatan", table_name="turnout_row")
    op.drop_table("turnout_row")
