"""retention: when a report's reporter identity and an evidence object's original were deleted

A configurable time after the case a report led to closes (or the report itself closed without
one), the sealed reporter identity and the evidence originals are deleted; the derivatives without
metadata stay with the case file. These dates say so on the pages and keep the job idempotent.

Revision ID: 0020
Revises: 0019
Create Date: 2026-11-30 14:00:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0020"
down_revision = "0019"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("report") as batch:
        batch.add_column(sa.Column("personal_data_deleted_on", sa.Date(), nullable=True))
    with op.batch_alter_table("evidence") as batch:
        batch.add_column(sa.Column("original_deleted_on", sa.Date(), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("evidence") as batch:
        batch.drop_column("original_deleted_on")
    with op.batch_alter_table("report") as batch:
        batch.drop_column("personal_data_deleted_on")
