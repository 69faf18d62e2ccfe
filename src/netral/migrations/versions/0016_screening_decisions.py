"""screening decisions: staff confirm or reject a finding (history kept, the latest wins), and a
re-screening marks the findings it replaces as superseded instead of deleting them

A decision names its finding, the finding's model version and, for a text finding, the post it
labels, so `netral models train --from-decisions` reads its labels from this one table.

Revision ID: 0016
Revises: 0015
Create Date: 2026-11-30 10:40:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import netral.core.db

revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("screening_finding") as batch:
        batch.add_column(
            sa.Column("superseded_at", netral.core.db.UTCDateTime(timezone=True), nullable=True)
        )
    op.create_table(
        "screening_decision",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("finding_id", sa.Integer(), nullable=False),
        sa.Column("report_id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=12), nullable=False),
        sa.Column("finding_label", sa.String(length=30), nullable=False),
        sa.Column("model", sa.String(length=60), nullable=False),
        sa.Column("decision", sa.String(length=10), nullable=False),
        sa.Column("reason", sa.String(length=30), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("label", sa.String(length=30), nullable=True),
        sa.Column("text", sa.Text(), nullable=True),
        sa.Column("decided_by", sa.Integer(), nullable=False),
        sa.Column("decided_at", netral.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["finding_id"],
            ["screening_finding.id"],
            name=op.f("fk_screening_decision_finding_id_screening_finding"),
        ),
        sa.ForeignKeyConstraint(
            ["report_id"], ["report.id"], name=op.f("fk_screening_decision_report_id_report")
        ),
        sa.ForeignKeyConstraint(
            ["decided_by"],
            ["user_account.id"],
            name=op.f("fk_screening_decision_decided_by_user_account"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_screening_decision")),
    )
    with op.batch_alter_table("screening_decision") as batch:
        batch.create_index(batch.f("ix_screening_decision_finding_id"), ["finding_id"])
        batch.create_index(batch.f("ix_screening_decision_report_id"), ["report_id"])


def downgrade() -> None:
    op.drop_table("screening_decision")
    with op.batch_alter_table("screening_finding") as batch:
        batch.drop_column("superseded_at")
