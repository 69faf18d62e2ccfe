"""national scale: the indexes the lists and the search need at 5,000,000 ASN and 1,000,000
reports, built online

Measured in benchmarks/national.py (EXPLAIN ANALYZE of every list, search, dashboard and export
page as a region, a province and a national user):
- the report inbox of a national or province user sorts every report by `created_at`: a full
  scan and sort of the table for one page (ix_report_created);
- the ASN list sorts by name within a region, or nationally (ix_asn_region_name, ix_asn_name);
- the search matches names and report numbers anywhere in the text (`ILIKE '%term%'`, kept: a
  staff member types part of a name) and the reported ASN's NIP by its start: trigram indexes
  (pg_trgm) for ILIKE, a pattern index on the NIPs, so neither scans the table.

On PostgreSQL every index is built with CREATE INDEX CONCURRENTLY outside the migration's
transaction: the tables stay writable while they build (intake keeps filing reports), which
tests/integration/core/test_online_migration.py shows. A concurrent build that fails leaves an
INVALID index behind; running the migration again drops and rebuilds it. SQLite gets the plain
B-tree ones (it has no trigram index: its search scans, as before).

Revision ID: 0025
Revises: 0022
Create Date: 2026-11-30 17:10:00
"""

from __future__ import annotations

from alembic import op

revision = "0025"
down_revision = "0022"
branch_labels = None
depends_on = None

# (name, table, PostgreSQL definition after ON table, SQLite columns or None: PostgreSQL only)
INDEXES: tuple[tuple[str, str, str, list[str] | None], ...] = (
    ("ix_report_created", "report", "(created_at, id)", ["created_at", "id"]),
    ("ix_report_reported_nip", "report", "(reported_nip varchar_pattern_ops)", ["reported_nip"]),
    ("ix_asn_region_name", "asn", "(region_code, name, id)", ["region_code", "name", "id"]),
    ("ix_asn_name", "asn", "(name, id)", ["name", "id"]),
    ("ix_case_asn_nip", "case_asn", "(nip varchar_pattern_ops)", ["nip"]),
    # on the columns themselves: SQLAlchemy's icontains() is ILIKE on PostgreSQL, which a
    # trigram index answers directly (an index on lower(col) would serve LIKE on lower() only)
    ("ix_report_number_trgm", "report", "USING gin (number gin_trgm_ops)", None),
    ("ix_asn_name_trgm", "asn", "USING gin (name gin_trgm_ops)", None),
    ("ix_case_asn_name_trgm", "case_asn", "USING gin (name gin_trgm_ops)", None),
)


def _trigrams_available() -> bool:
    bind = op.get_bind()
    return bool(
        bind.exec_driver_sql(
            "SELECT 1 FROM pg_available_extensions WHERE name = 'pg_trgm'"
        ).scalar()
    )


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        for name, table, _, columns in INDEXES:
            if columns:
                op.create_index(name, table, columns)
        return
    with op.get_context().autocommit_block():
        bind = op.get_bind()
        trigrams = _trigrams_available()
        if trigrams:
            bind.exec_driver_sql("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        for name, table, definition, _ in INDEXES:
            if "gin_trgm_ops" in definition and not trigrams:
                continue  # the search scans, as before; the migration still runs
            # an index left INVALID by an interrupted concurrent build is built again
            bind.exec_driver_sql(f"DROP INDEX CONCURRENTLY IF EXISTS {name}")
            bind.exec_driver_sql(f"CREATE INDEX CONCURRENTLY {name} ON {table} {definition}")


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        for name, table, _, columns in INDEXES:
            if columns:
                op.drop_index(name, table_name=table)
        return
    with op.get_context().autocommit_block():
        for name, _, _, _ in INDEXES:
            op.get_bind().exec_driver_sql(f"DROP INDEX CONCURRENTLY IF EXISTS {name}")
