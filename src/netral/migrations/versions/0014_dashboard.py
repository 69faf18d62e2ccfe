"""covering indexes for the dashboard's aggregates: reports and cases by region and day, and an
ASN's OPD by the ASN's id

Each dashboard section is one GROUP BY over the reports (or cases) of one region in a window of
days. With the grouped columns inside the index, PostgreSQL answers from the index alone
(index-only scan) instead of reading every row's description and JSON; SQLite gets the same
columns as index keys. Measured in benchmarks/dashboard.py.

Revision ID: 0014
Revises: 0011
Create Date: 2026-11-30 07:50:00
"""

from __future__ import annotations

from alembic import op

revision = "0014"
down_revision = "0011"
branch_labels = None
depends_on = None

INDEXES = (
    (
        "ix_report_dashboard",
        "report",
        ["region_code", "created_at"],
        ["category", "kecamatan_code", "status", "reported_asn_id"],
    ),
    (
        "ix_case_dashboard",
        "case_file",
        ["region_code", "created_at"],
        [
            "state",
            "deadline_step",
            "deadline_due",
            "bkn_date",
            "carried_out_on",
            "sk_number",
            "sanction_level",
            "ethics_sanction",
        ],
    ),
    ("ix_asn_id_opd", "asn", ["id"], ["opd_id"]),
)


def upgrade() -> None:
    postgres = op.get_bind().dialect.name == "postgresql"
    for name, table, keys, extra in INDEXES:
        if postgres:
            op.create_index(name, table, keys, postgresql_include=extra)
        else:  # SQLite has no INCLUDE: the columns become trailing keys, still covering
            op.create_index(name, table, keys + extra)


def downgrade() -> None:
    for name, table, _, _ in INDEXES:
        op.drop_index(name, table_name=table)
