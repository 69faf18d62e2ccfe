"""pledges: campaigns, signatures (online | paper), sheets, one-time codes, joint declaration,
weekly reminders to OPD admins

Revision ID: 0012
Revises: 0008
Create Date: 2026-11-30 07:30:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import netral.core.db

revision = "0012"
down_revision = "0008"
branch_labels = None
depends_on = None


def _at(name: str, nullable: bool = False) -> sa.Column:  # type: ignore[type-arg]
    return sa.Column(name, netral.core.db.UTCDateTime(timezone=True), nullable=nullable)


def upgrade() -> None:
    op.create_table(
        "pledge_campaign",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(60), nullable=False),
        sa.Column("title", sa.String(200), nullable=False),
        sa.Column("region_code", sa.String(20), nullable=False),
        sa.Column("election_id", sa.Integer(), nullable=True),
        sa.Column("issuer", sa.String(200), nullable=False),
        sa.Column("ikrar_text", sa.Text(), nullable=False),
        sa.Column("pakta_text", sa.Text(), nullable=False),
        sa.Column("document_version", sa.String(40), nullable=False),
        sa.Column("document_sha256", sa.String(64), nullable=False),
        sa.Column("opd_ids", sa.JSON(), nullable=False),
        sa.Column("opens_on", sa.Date(), nullable=False),
        sa.Column("closes_on", sa.Date(), nullable=True),
        _at("created_at"),
        sa.Column("created_by", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(["region_code"], ["wilayah.code"]),
        sa.ForeignKeyConstraint(["election_id"], ["election.id"]),
        sa.ForeignKeyConstraint(["created_by"], ["user_account.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("code"),
    )
    op.create_index("ix_pledge_campaign_region_code", "pledge_campaign", ["region_code"])
    op.create_table(
        "pledge_sheet",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("campaign_id", sa.Integer(), nullable=False),
        sa.Column("opd_id", sa.Integer(), nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("derivative_sha256", sa.String(64), nullable=True),
        sa.Column("media_type", sa.String(40), nullable=False),
        sa.Column("filename", sa.String(200), nullable=False),
        sa.Column("size", sa.Integer(), nullable=False),
        sa.Column("signed_on", sa.Date(), nullable=False),
        sa.Column("uploaded_by", sa.Integer(), nullable=True),
        _at("uploaded_at"),
        sa.ForeignKeyConstraint(["campaign_id"], ["pledge_campaign.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["opd_id"], ["opd.id"]),
        sa.ForeignKeyConstraint(["uploaded_by"], ["user_account.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index("ix_pledge_sheet_campaign_id", "pledge_sheet", ["campaign_id"])
    op.create_table(
        "pledge_signature",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("campaign_id", sa.Integer(), nullable=False),
        sa.Column("asn_id", sa.Integer(), nullable=False),
        sa.Column("nip", sa.String(18), nullable=False),
        sa.Column("method", sa.String(8), nullable=False),
        _at("signed_at"),
        sa.Column("recorded_by", sa.Integer(), nullable=True),
        sa.Column("document_sha256", sa.String(64), nullable=False),
        sa.Column("sheet_id", sa.Integer(), nullable=True),
        sa.Column("sheet_sha256", sa.String(64), nullable=True),
        sa.ForeignKeyConstraint(["campaign_id"], ["pledge_campaign.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["asn_id"], ["asn.id"]),
        sa.ForeignKeyConstraint(["recorded_by"], ["user_account.id"]),
        sa.ForeignKeyConstraint(["sheet_id"], ["pledge_sheet.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("campaign_id", "asn_id", name="uq_pledge_signature_campaign_asn"),
    )
    op.create_index("ix_pledge_signature_asn_id", "pledge_signature", ["asn_id"])
    op.create_index(
        "ix_pledge_signature_campaign_method", "pledge_signature", ["campaign_id", "method"]
    )
    op.create_table(
        "pledge_otp",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("campaign_id", sa.Integer(), nullable=False),
        sa.Column("asn_id", sa.Integer(), nullable=False),
        sa.Column("code_mac", sa.String(64), nullable=False),
        _at("created_at"),
        _at("expires_at"),
        sa.Column("attempts", sa.SmallInteger(), nullable=False),
        sa.ForeignKeyConstraint(["campaign_id"], ["pledge_campaign.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["asn_id"], ["asn.id"], ondelete="CASCADE"),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("campaign_id", "asn_id", name="uq_pledge_otp_campaign_asn"),
    )
    op.create_table(
        "pledge_joint_signatory",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("campaign_id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("office", sa.String(200), nullable=False),
        sa.Column("signed_on", sa.Date(), nullable=False),
        sa.Column("recorded_by", sa.Integer(), nullable=True),
        _at("recorded_at"),
        sa.ForeignKeyConstraint(["campaign_id"], ["pledge_campaign.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["recorded_by"], ["user_account.id"]),
        sa.PrimaryKeyConstraint("id"),
    )
    op.create_index(
        "ix_pledge_joint_signatory_campaign_id", "pledge_joint_signatory", ["campaign_id"]
    )
    op.create_table(
        "pledge_reminder",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("campaign_id", sa.Integer(), nullable=False),
        sa.Column("user_id", sa.Integer(), nullable=False),
        sa.Column("opd_id", sa.Integer(), nullable=False),
        sa.Column("for_date", sa.Date(), nullable=False),
        sa.Column("unsigned", sa.Integer(), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("emailed", sa.Boolean(), nullable=False),
        _at("created_at"),
        sa.ForeignKeyConstraint(["campaign_id"], ["pledge_campaign.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["user_id"], ["user_account.id"], ondelete="CASCADE"),
        sa.ForeignKeyConstraint(["opd_id"], ["opd.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint(
            "campaign_id", "user_id", "for_date", name="uq_pledge_reminder_campaign_user_week"
        ),
    )
    op.create_index("ix_pledge_reminder_user_id", "pledge_reminder", ["user_id"])


def downgrade() -> None:
    op.drop_table("pledge_reminder")
    op.drop_table("pledge_joint_signatory")
    op.drop_table("pledge_otp")
    op.drop_table("pledge_signature")
    op.drop_table("pledge_sheet")
    op.drop_table("pledge_campaign")
