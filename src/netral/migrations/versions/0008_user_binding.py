"""bind a login to who it is in the registry: an ASN's NIP, an OPD admin's OPD

Revision ID: 0008
Revises: 0007
Create Date: 2026-11-30 07:20:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("user_account") as batch:
        batch.add_column(sa.Column("nip", sa.String(18), nullable=True))
        batch.add_column(sa.Column("opd_id", sa.Integer(), nullable=True))
        batch.create_unique_constraint("uq_user_account_nip", ["nip"])
        batch.create_index("ix_user_account_opd_id", ["opd_id"])


def downgrade() -> None:
    with op.batch_alter_table("user_account") as batch:
        batch.drop_index("ix_user_account_opd_id")
        batch.drop_constraint("uq_user_account_nip", type_="unique")
        batch.drop_column("opd_id")
        batch.drop_column("nip")
