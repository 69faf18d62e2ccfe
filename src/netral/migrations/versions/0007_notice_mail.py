"""notices that wait to be e-mailed (a case handed to a role: the PPK's office, BKPSDM, Bawaslu)

Revision ID: 0007
Revises: 0006
Create Date: 2026-11-30 06:15:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # existing notices (reminders, which e-mail themselves) are never queued: default false
    op.add_column(
        "notification",
        sa.Column("mail_pending", sa.Boolean(), nullable=False, server_default=sa.false()),
    )


def downgrade() -> None:
    with op.batch_alter_table("notification") as batch:
        batch.drop_column("mail_pending")
