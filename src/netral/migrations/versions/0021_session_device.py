"""sessions name their device: the account page lists a user's sessions by browser and start,
so a user can end the ones they do not recognise

Revision ID: 0021
Revises: 0020
Create Date: 2026-11-30 14:10:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0021"
down_revision = "0020"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("user_session") as batch:
        batch.add_column(sa.Column("device", sa.String(80), nullable=False, server_default=""))


def downgrade() -> None:
    with op.batch_alter_table("user_session") as batch:
        batch.drop_column("device")
