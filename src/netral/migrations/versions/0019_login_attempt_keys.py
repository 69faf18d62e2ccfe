"""sign-in attempts by keyed hash of account and client: a lockout per account *and* client, and
no username typed at the sign-in form kept in the clear

A failed attempt kept the username as typed (sometimes a password typed into the wrong field), and
five failures from anyone locked the account for everyone. The attempts now keep an HMAC of the
username and one of the client's address, under the keyring's MAC key. Earlier attempts only
counted towards a 15-minute window and cannot be re-keyed here (the migration has no keys): they
are dropped.

Revision ID: 0019
Revises: 0018
Create Date: 2026-11-30 13:35:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

import netral.core.db

revision = "0019"
down_revision = "0018"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.drop_index("ix_login_attempt_username_at", table_name="login_attempt")
    op.drop_table("login_attempt")
    op.create_table(
        "login_attempt",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("account_key", sa.String(64), nullable=False),
        sa.Column("client_key", sa.String(64), nullable=False),
        sa.Column("at", netral.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("success", sa.Boolean(), nullable=False),
    )
    op.create_index("ix_login_attempt_account_at", "login_attempt", ["account_key", "at"])
    op.create_index("ix_login_attempt_client_at", "login_attempt", ["client_key", "at"])


def downgrade() -> None:
    op.drop_index("ix_login_attempt_client_at", table_name="login_attempt")
    op.drop_index("ix_login_attempt_account_at", table_name="login_attempt")
    op.drop_table("login_attempt")
    op.create_table(
        "login_attempt",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("username", sa.String(64), nullable=False),
        sa.Column("at", netral.core.db.UTCDateTime(timezone=True), nullable=False),
        sa.Column("success", sa.Boolean(), nullable=False),
    )
    op.create_index("ix_login_attempt_username_at", "login_attempt", ["username", "at"])
