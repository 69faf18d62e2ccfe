"""the dashboards from kept counts: active ASN per OPD and unit (registry), signatures per OPD,
unit and method (pledges), reports per region, WIB day and grouping (reports)

Pledge coverage joined every signature to the million ASN on each cold page (1.3 s at p50 on
PostgreSQL) and every page read all of the window's reports (100-300 ms). `asn_headcount` is
recounted at the end of every ASN import, `pledge_tally` with every signature and after every
import (a signer who moved counts where they work now); both are filled here. The report counts
are kept per day by the `reports-summary` job: every day that has reports is marked changed here,
so until the job's first run the pages count them from the reports, as before.

Revision ID: 0018
Revises: 0016
Create Date: 2026-11-30 10:50:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0018"
down_revision = "0016"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "asn_headcount",
        sa.Column("region_code", sa.String(20), primary_key=True),
        sa.Column("opd_id", sa.Integer(), sa.ForeignKey("opd.id"), primary_key=True),
        sa.Column("unit_key", sa.Integer(), primary_key=True),
        sa.Column("asn", sa.Integer(), nullable=False),
    )
    op.create_table(
        "pledge_tally",
        sa.Column(
            "campaign_id",
            sa.Integer(),
            sa.ForeignKey("pledge_campaign.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column("opd_id", sa.Integer(), primary_key=True),
        sa.Column("unit_key", sa.Integer(), primary_key=True),
        sa.Column("method", sa.String(8), primary_key=True),
        sa.Column("signed", sa.Integer(), nullable=False),
    )
    op.execute(
        "INSERT INTO asn_headcount (region_code, opd_id, unit_key, asn) "
        "SELECT region_code, opd_id, COALESCE(unit_id, 0), count(*) FROM asn "
        "WHERE is_active GROUP BY region_code, opd_id, COALESCE(unit_id, 0)"
    )
    op.execute(
        "INSERT INTO pledge_tally (campaign_id, opd_id, unit_key, method, signed) "
        "SELECT s.campaign_id, a.opd_id, COALESCE(a.unit_id, 0), s.method, count(*) "
        "FROM pledge_signature s JOIN pledge_campaign c ON c.id = s.campaign_id "
        "JOIN asn a ON a.id = s.asn_id AND a.region_code = c.region_code "
        "WHERE a.is_active GROUP BY s.campaign_id, a.opd_id, COALESCE(a.unit_id, 0), s.method"
    )
    op.create_table(
        "report_day_summary",
        sa.Column("region_code", sa.String(20), primary_key=True),
        sa.Column("day", sa.Date(), primary_key=True),
        sa.Column("dim", sa.Integer(), primary_key=True),
        sa.Column("key", sa.String(40), primary_key=True),
        sa.Column("n", sa.Integer(), nullable=False),
    )
    op.create_table(
        "report_day_dirty",
        sa.Column("id", sa.Integer(), primary_key=True),
        sa.Column("region_code", sa.String(20), nullable=False),
        sa.Column("day", sa.Date(), nullable=False),
    )
    op.create_index("ix_report_day_dirty_region_day", "report_day_dirty", ["region_code", "day"])
    if op.get_bind().dialect.name == "postgresql":
        day = "date(timezone('UTC', created_at) + interval '7 hours')"
    else:
        day = "date(created_at, '+7 hours')"
    op.execute(
        f"INSERT INTO report_day_dirty (region_code, day) "  # noqa: S608 (no input)
        f"SELECT region_code, {day} FROM report GROUP BY region_code, {day}"
    )


def downgrade() -> None:
    op.drop_table("report_day_dirty")
    op.drop_table("report_day_summary")
    op.drop_table("pledge_tally")
    op.drop_table("asn_headcount")
