"""campaign-prop (APK) reports: the report's subject, place kind and point; forwards with a letter

Revision ID: 0011
Revises: 0013 (pledges, the newest on main when this was written)
Create Date: 2026-11-30 07:30:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from netral.core.db import UTCDateTime

revision = "0011"
down_revision = "0013"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("report") as batch:
        # every report so far is an ASN-neutrality report
        batch.add_column(
            sa.Column("subject", sa.String(length=8), nullable=False, server_default="asn")
        )
        batch.add_column(sa.Column("place_kind", sa.String(length=40), nullable=True))
        batch.add_column(sa.Column("latitude", sa.Float(), nullable=True))
        batch.add_column(sa.Column("longitude", sa.Float(), nullable=True))
    op.create_table(
        "report_forward",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("report_id", sa.Integer(), nullable=False),
        sa.Column("recipient", sa.String(length=40), nullable=False),
        sa.Column("addressee", sa.String(length=300), nullable=False),
        sa.Column("letter_number", sa.String(length=80), nullable=False),
        sa.Column("letter_sha256", sa.String(length=64), nullable=False),
        sa.Column("forwarded_on", sa.Date(), nullable=False),
        sa.Column("created_by", sa.Integer(), nullable=True),
        sa.Column("created_at", UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["report_id"], ["report.id"]),
        sa.ForeignKeyConstraint(["created_by"], ["user_account.id"]),
        sa.PrimaryKeyConstraint("id"),
        sa.UniqueConstraint("report_id", "recipient", name="uq_report_forward"),
    )
    op.create_index("ix_report_forward_report_id", "report_forward", ["report_id"])


def downgrade() -> None:
    op.drop_index("ix_report_forward_report_id", table_name="report_forward")
    op.drop_table("report_forward")
    with op.batch_alter_table("report") as batch:
        for column in ("longitude", "latitude", "place_kind", "subject"):
            batch.drop_column(column)
