"""Merging staged rows into `asn` (re-import), and ending a first import that wrote `asn` directly.

An UPDATE … FROM touching only changed rows, then a plain INSERT in NIP order, are much cheaper
than an upsert that probes the unique index for every row. A large first import on PostgreSQL
loads `asn` without its constraints and rebuilds them once at the end.
"""

from __future__ import annotations

from sqlalchemy import text
from sqlalchemy.orm import Session

from netral.registry.importer.report import ImportReport

_CHANGED = (
    "asn.name IS NOT s.name OR asn.kind IS NOT s.kind OR asn.position IS NOT s.position OR "
    "asn.golongan IS NOT s.golongan OR asn.opd_id IS NOT s.opd_id OR "
    "asn.unit_id IS NOT s.unit_id OR asn.is_active IS NOT TRUE OR "
    # a file without contact data keeps the stored contact; an unchanged contact reuses the
    # stored blob (see `staging.seal_contacts`), so a differing blob is a changed contact
    "(s.contact_enc IS NOT NULL AND asn.contact_enc IS NOT s.contact_enc)"
)
_ASN_COLS = (
    "nip, name, kind, position, golongan, opd_id, unit_id, region_code, contact_enc, "
    "is_active, created_at, updated_at"
)
_STAGE_SELECT = (
    "s.nip, s.name, s.kind, s.position, s.golongan, s.opd_id, s.unit_id, "
    "s.region_code, s.contact_enc, TRUE, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP"
)


# A first import at least this large into an empty registry loads `asn` without its secondary
# indexes (on PostgreSQL also without its foreign keys and unique constraint) and restores them
# after: checking two foreign keys row by row costs more than the insert itself, checking them
# once over the table costs little.
BULK_REBUILD_MIN_ROWS = 100_000


def _pg_detach_constraints(db_session: Session) -> list[str]:
    """Drop asn's foreign keys, unique constraints and plain indexes; return what restores them.

    The definitions are read from the catalogue, so the restored schema is the migrated one. The
    DDL holds an exclusive lock on `asn` until commit, acceptable only because it is empty.
    """
    constraints = db_session.execute(
        text(
            "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint "
            "WHERE conrelid = 'asn'::regclass AND contype IN ('f', 'u') ORDER BY contype DESC"
        )
    ).all()
    indexes = db_session.execute(
        text(
            "SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = current_schema() AND "
            "tablename = 'asn' AND indexname NOT IN "
            "(SELECT conname FROM pg_constraint WHERE conrelid = 'asn'::regclass)"
        )
    ).all()
    restore: list[str] = []
    for name, definition in constraints:
        db_session.execute(text(f'ALTER TABLE asn DROP CONSTRAINT "{name}"'))
        restore.append(f'ALTER TABLE asn ADD CONSTRAINT "{name}" {definition}')
    for name, definition in indexes:
        db_session.execute(text(f'DROP INDEX "{name}"'))
        restore.append(str(definition))
    return restore


# what a PostgreSQL bulk load lets the server fill (see `staging.FirstLoad.server_stamps`)
_LOAD_DEFAULTS = {
    "is_active": "TRUE",
    "created_at": "CURRENT_TIMESTAMP",
    "updated_at": "CURRENT_TIMESTAMP",
}


def _pg_load_defaults(db_session: Session) -> list[str]:
    """Default is_active and the timestamps for the load; return what restores their own defaults.

    Parsing the same timestamp text twice for every row is half of what COPY costs the server;
    CURRENT_TIMESTAMP is the transaction's start, the value a first import stamps every row with.
    """
    current: dict[str, str | None] = dict(
        db_session.execute(
            text(
                "SELECT a.attname, pg_get_expr(d.adbin, d.adrelid) FROM pg_attribute a "
                "LEFT JOIN pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum "
                "WHERE a.attrelid = 'asn'::regclass AND a.attname IN "
                "('is_active', 'created_at', 'updated_at')"
            )
        ).all()
    )
    restore = []
    for column, value in _LOAD_DEFAULTS.items():
        db_session.execute(text(f"ALTER TABLE asn ALTER COLUMN {column} SET DEFAULT {value}"))
        old = current.get(column)
        restore.append(
            f"ALTER TABLE asn ALTER COLUMN {column} "
            + (f"SET DEFAULT {old}" if old else "DROP DEFAULT")
        )
    return restore


def _sqlite_detach_indexes(db_session: Session) -> list[str]:
    """Drop asn's plain indexes (the NIP's unique index is part of the table); return their DDL."""
    indexes = db_session.execute(
        text(
            "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'asn' "
            "AND sql IS NOT NULL"
        )
    ).all()
    for name, _ in indexes:
        db_session.execute(text(f'DROP INDEX "{name}"'))
    return [str(definition) for _, definition in indexes]


def detach_for_bulk_load(db_session: Session, dialect: str, rows: int) -> list[str]:
    """Before a first import of about `rows` rows: detach asn's constraints if that pays off."""
    if rows < BULK_REBUILD_MIN_ROWS:
        return []
    if dialect == "sqlite":
        # a fifth of the insert is keeping three secondary indexes; built once they cost less
        return _sqlite_detach_indexes(db_session)
    return _pg_detach_constraints(db_session) + _pg_load_defaults(db_session)


def merge(
    db_session: Session, dialect: str, report: ImportReport, staged: int, has_accounts: bool
) -> None:
    """Update the ASN that changed, insert the new ones in NIP order, replace their accounts."""
    changed = (
        _CHANGED if dialect == "sqlite" else _CHANGED.replace(" IS NOT ", " IS DISTINCT FROM ")
    )
    updated = db_session.execute(
        text(
            "UPDATE asn SET name = s.name, kind = s.kind, position = s.position, "  # noqa: S608
            "golongan = s.golongan, opd_id = s.opd_id, unit_id = s.unit_id, is_active = TRUE, "
            "contact_enc = COALESCE(s.contact_enc, asn.contact_enc), "
            "updated_at = CURRENT_TIMESTAMP FROM asn_stage s "
            f"WHERE asn.nip = s.nip AND ({changed})"
        )
    ).rowcount  # type: ignore[attr-defined]
    inserted = db_session.execute(
        text(
            f"INSERT INTO asn ({_ASN_COLS}) SELECT {_STAGE_SELECT} "  # noqa: S608
            "FROM asn_stage s WHERE NOT EXISTS (SELECT 1 FROM asn a WHERE a.nip = s.nip) "
            "ORDER BY s.nip"
        )
    ).rowcount  # type: ignore[attr-defined]
    report.inserted, report.updated = inserted, updated
    report.unchanged = staged - inserted - updated
    if has_accounts:
        db_session.execute(
            text(
                "DELETE FROM social_account WHERE asn_id IN (SELECT a.id FROM asn_stage_account sa "
                "JOIN asn a ON a.nip = sa.nip)"
            )
        )
        db_session.execute(
            text(
                "INSERT INTO social_account (asn_id, platform, handle) SELECT DISTINCT a.id, "
                "sa.platform, sa.handle FROM asn_stage_account sa JOIN asn a ON a.nip = sa.nip"
            )
        )
    db_session.execute(text("DROP TABLE asn_stage"))
    db_session.execute(text("DROP TABLE asn_stage_account"))


def finish_first(
    db_session: Session, report: ImportReport, staged: int, has_accounts: bool, restore: list[str]
) -> None:
    """End a first import: rebuild what was detached, join the staged accounts to the new ids."""
    if restore and db_session.get_bind().dialect.name == "postgresql":
        # sort the index builds in memory; the setting ends with the transaction
        db_session.execute(text("SET LOCAL maintenance_work_mem = '256MB'"))
    for statement in restore:
        db_session.execute(text(statement))
    report.inserted, report.updated, report.unchanged = staged, 0, 0
    if has_accounts:
        db_session.execute(
            text(
                "INSERT INTO social_account (asn_id, platform, handle) SELECT DISTINCT a.id, "
                "sa.platform, sa.handle FROM asn_stage_account sa JOIN asn a ON a.nip = sa.nip"
            )
        )
    db_session.execute(text("DROP TABLE asn_stage_account"))
