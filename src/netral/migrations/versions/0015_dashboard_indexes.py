"""the dashboard at season scale: the reported ASN's OPD kept on the report, one covering index
for every report grouping, and the indexes the area heads are found by

Reports per OPD joined 80,000 reports to a million ASN on every cold page; the OPD is now stored
on the report when it names an ASN (filled here for the reports already received) and is one more
key of ix_report_dashboard, which answers every report grouping of the dashboard from the index
alone. ix_asn_id_opd served only that join and goes. Every index here is also declared in its
model's __table_args__. Measured in benchmarks/dashboard.py; a covering (region, active, id)
index on asn for pledge coverage was tried and left out: PostgreSQL kept its parallel hash join,
which was as fast.

Revision ID: 0015
Revises: 0014
Create Date: 2026-11-30 08:30:00
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None

REPORT_KEYS = ["region_code", "created_at", "category", "kecamatan_code", "status"]
# (name, table, keys) as the models declare them: the heads of the kecamatan and kelurahan
# offices are read among those offices' staff, not by matching the post of every ASN
INDEXES = (
    ("ix_asn_opd_id", "asn", ["opd_id"]),
    ("ix_asn_unit_id", "asn", ["unit_id"]),
)


def upgrade() -> None:
    with op.batch_alter_table("report") as batch:
        batch.add_column(sa.Column("reported_opd_id", sa.Integer(), nullable=True))
        batch.create_foreign_key(
            "fk_report_reported_opd_id_opd", "opd", ["reported_opd_id"], ["id"]
        )
    op.execute(
        "UPDATE report SET reported_opd_id = "
        "(SELECT asn.opd_id FROM asn WHERE asn.id = report.reported_asn_id) "
        "WHERE reported_asn_id IS NOT NULL"
    )
    op.drop_index("ix_report_dashboard", table_name="report")
    op.create_index("ix_report_dashboard", "report", [*REPORT_KEYS, "reported_opd_id"])
    op.drop_index("ix_asn_id_opd", table_name="asn")
    for name, table, keys in INDEXES:
        op.create_index(name, table, keys)


def downgrade() -> None:
    for name, table, _ in INDEXES:
        op.drop_index(name, table_name=table)
    postgres = op.get_bind().dialect.name == "postgresql"
    op.drop_index("ix_report_dashboard", table_name="report")
    # as 0014 made them
    if postgres:
        op.create_index("ix_asn_id_opd", "asn", ["id"], postgresql_include=["opd_id"])
        op.create_index(
            "ix_report_dashboard",
            "report",
            ["region_code", "created_at"],
            postgresql_include=["category", "kecamatan_code", "status", "reported_asn_id"],
        )
    else:
        op.create_index("ix_asn_id_opd", "asn", ["id", "opd_id"])
        op.create_index("ix_report_dashboard", "report", [*REPORT_KEYS, "reported_asn_id"])
    with op.batch_alter_table("report") as batch:
        batch.drop_constraint("fk_report_reported_opd_id_opd", type_="foreignkey")
        batch.drop_column("reported_opd_id")
