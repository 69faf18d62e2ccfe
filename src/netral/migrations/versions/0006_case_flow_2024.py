"""case flow after the 2024 changes: register number, plenary, BKN, the PPK's examination,
delivery, objection, the Gakkumdu track, the substitute PPK; hearings attended or not

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-24 10:00:00
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def _case_columns() -> list[sa.Column[Any]]:
    return [
        sa.Column("register_number", sa.String(length=80), nullable=True),
        sa.Column("registered_on", sa.Date(), nullable=True),
        sa.Column("plenary_members", sa.JSON(), nullable=False, server_default="[]"),
        sa.Column("plenary_minutes_id", sa.Integer(), nullable=True),
        sa.Column("notified_on", sa.Date(), nullable=True),
        sa.Column("bkn_forwarded_on", sa.Date(), nullable=True),
        sa.Column("bkn_number", sa.String(length=80), nullable=True),
        sa.Column("bkn_date", sa.Date(), nullable=True),
        sa.Column("bkn_level", sa.String(length=20), nullable=True),
        sa.Column("bkn_document_id", sa.Integer(), nullable=True),
        sa.Column("examination_team", sa.JSON(), nullable=False, server_default="[]"),
        sa.Column("examination_report_id", sa.Integer(), nullable=True),
        sa.Column("ethics_sanction", sa.String(length=20), nullable=True),
        sa.Column("delivered_on", sa.Date(), nullable=True),
        sa.Column("objection_filed_on", sa.Date(), nullable=True),
        sa.Column("objection_decided_on", sa.Date(), nullable=True),
        sa.Column("tracks", sa.JSON(), nullable=False, server_default="{}"),
        sa.Column("gakkumdu_forwarded_on", sa.Date(), nullable=True),
        sa.Column("gakkumdu_reference", sa.String(length=120), nullable=True),
        sa.Column("gakkumdu_status", sa.Text(), nullable=True),
        sa.Column("ppk_substitute", sa.String(length=200), nullable=True),
        sa.Column("ppk_acting", sa.String(length=200), nullable=True),
    ]


def upgrade() -> None:
    with op.batch_alter_table("case_file", schema=None) as batch_op:
        for column in _case_columns():
            batch_op.add_column(column)
        batch_op.create_unique_constraint(
            op.f("uq_case_file_register_number"), ["register_number"]
        )
    with op.batch_alter_table("hearing", schema=None) as batch_op:
        batch_op.add_column(sa.Column("attended", sa.Boolean(), nullable=True))
    # hearings held before this revision were attended
    op.execute("UPDATE hearing SET attended = true WHERE held_on IS NOT NULL")


def downgrade() -> None:
    with op.batch_alter_table("hearing", schema=None) as batch_op:
        batch_op.drop_column("attended")
    with op.batch_alter_table("case_file", schema=None) as batch_op:
        batch_op.drop_constraint(op.f("uq_case_file_register_number"), type_="unique")
        for column in reversed(_case_columns()):
            batch_op.drop_column(column.name)
