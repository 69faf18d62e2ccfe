"""briefings: socialisation events, their audience, topics, materials and attendance

Revision ID: 0013
Revises: 0008
Create Date: 2026-11-30 07:30:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import netral.core.db

revision = "0013"
down_revision = "0010"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "briefing",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("region_code", sa.String(length=20), nullable=False),
        sa.Column("title", sa.String(length=200), nullable=False),
        sa.Column("starts_at", netral.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("ends_at", netral.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("place", sa.String(length=200), nullable=False),
        sa.Column("organiser", sa.String(length=200), nullable=False),
        sa.Column("audience_opd", sa.String(length=8), nullable=False),
        sa.Column("audience_opd_people", sa.String(length=8), nullable=False),
        sa.Column("audience_camat", sa.Boolean(), nullable=False),
        sa.Column("audience_lurah", sa.Boolean(), nullable=False),
        sa.Column("checkin_token", sa.String(length=64), nullable=False),
        sa.Column("checkin_opens_at", netral.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("checkin_closes_at", netral.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("created_by", sa.Integer(), nullable=True),
        sa.Column("created_at", netral.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_briefing")),
        sa.UniqueConstraint("checkin_token", name=op.f("uq_briefing_checkin_token")),
    )
    with op.batch_alter_table("briefing") as batch:
        batch.create_index(batch.f("ix_briefing_region_code"), ["region_code"], unique=False)
    op.create_table(
        "briefing_topic",
        sa.Column("briefing_id", sa.Integer(), nullable=False),
        sa.Column("topic", sa.String(length=40), nullable=False),
        sa.ForeignKeyConstraint(
            ["briefing_id"],
            ["briefing.id"],
            name=op.f("fk_briefing_topic_briefing_id_briefing"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("briefing_id", "topic", name=op.f("pk_briefing_topic")),
    )
    with op.batch_alter_table("briefing_topic") as batch:
        batch.create_index(batch.f("ix_briefing_topic_topic"), ["topic"], unique=False)
    op.create_table(
        "briefing_opd",
        sa.Column("briefing_id", sa.Integer(), nullable=False),
        sa.Column("opd_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["briefing_id"],
            ["briefing.id"],
            name=op.f("fk_briefing_opd_briefing_id_briefing"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(["opd_id"], ["opd.id"], name=op.f("fk_briefing_opd_opd_id_opd")),
        sa.PrimaryKeyConstraint("briefing_id", "opd_id", name=op.f("pk_briefing_opd")),
    )
    with op.batch_alter_table("briefing_opd") as batch:
        batch.create_index(batch.f("ix_briefing_opd_opd_id"), ["opd_id"], unique=False)
    op.create_table(
        "briefing_material",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("briefing_id", sa.Integer(), nullable=False),
        sa.Column("filename", sa.String(length=200), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("derivative_sha256", sa.String(length=64), nullable=True),
        sa.Column("media_type", sa.String(length=100), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("uploaded_by", sa.Integer(), nullable=True),
        sa.Column("uploaded_at", netral.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["briefing_id"],
            ["briefing.id"],
            name=op.f("fk_briefing_material_briefing_id_briefing"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_briefing_material")),
    )
    with op.batch_alter_table("briefing_material") as batch:
        batch.create_index(
            batch.f("ix_briefing_material_briefing_id"), ["briefing_id"], unique=False
        )
    op.create_table(
        "briefing_attendance",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("briefing_id", sa.Integer(), nullable=False),
        sa.Column("asn_id", sa.Integer(), nullable=False),
        sa.Column("opd_id", sa.Integer(), nullable=False),
        sa.Column("source", sa.String(length=8), nullable=False),
        sa.Column("matched_by", sa.String(length=8), nullable=False),
        sa.Column("sheet_row", sa.Integer(), nullable=True),
        sa.Column("recorded_by", sa.Integer(), nullable=True),
        sa.Column("recorded_at", netral.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["briefing_id"],
            ["briefing.id"],
            name=op.f("fk_briefing_attendance_briefing_id_briefing"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["asn_id"], ["asn.id"], name=op.f("fk_briefing_attendance_asn_id_asn")
        ),
        sa.ForeignKeyConstraint(
            ["opd_id"], ["opd.id"], name=op.f("fk_briefing_attendance_opd_id_opd")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_briefing_attendance")),
        sa.UniqueConstraint("briefing_id", "asn_id", name="uq_briefing_attendance"),
    )
    with op.batch_alter_table("briefing_attendance") as batch:
        batch.create_index(
            batch.f("ix_briefing_attendance_briefing_id"), ["briefing_id"], unique=False
        )
        batch.create_index(batch.f("ix_briefing_attendance_asn_id"), ["asn_id"], unique=False)
        batch.create_index(batch.f("ix_briefing_attendance_opd_id"), ["opd_id"], unique=False)


def downgrade() -> None:
    op.drop_table("briefing_attendance")
    op.drop_table("briefing_material")
    op.drop_table("briefing_opd")
    op.drop_table("briefing_topic")
    op.drop_table("briefing")
