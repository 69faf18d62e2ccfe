"""national elections (no region) and the day the candidate pairs were fixed

Revision ID: 0005
Revises: 0004
Create Date: 2026-11-24 09:00:00.000000
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = '0005'
down_revision = '0004'
branch_labels = None
depends_on = None


def upgrade() -> None:
    # batch mode: SQLite cannot ALTER a column's nullability in place (the table is copied)
    with op.batch_alter_table('election', schema=None) as batch_op:
        batch_op.alter_column('region_code', existing_type=sa.String(length=20), nullable=True)
        batch_op.add_column(sa.Column('candidates_fixed_on', sa.Date(), nullable=True))


def downgrade() -> None:
    national = op.get_bind().scalar(
        sa.text("SELECT count(*) FROM election WHERE region_code IS NULL")
    )
    if national:
        # a national election has no region to fall back to: the operator decides, not the script
        raise RuntimeError(
            f"{national} pemilihan nasional (tanpa region) masih ada; hapus dulu sebelum downgrade "
            f"/ {national} national election(s) without a region exist; remove them first"
        )
    with op.batch_alter_table('election', schema=None) as batch_op:
        batch_op.drop_column('candidates_fixed_on')
        batch_op.alter_column('region_code', existing_type=sa.String(length=20), nullable=False)
