"""The import in order: read, validate, stage, check, merge, audit, inside the caller's transaction.

The import's own work runs under a savepoint: a refusal or a dry run rolls back to it, and leaves
whatever the caller did before untouched. On success the import only flushes; the command that
called it commits.
"""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date
from pathlib import Path
from typing import Literal

from sqlalchemy import select, text
from sqlalchemy.orm import Session, SessionTransaction

from netral.core import audit
from netral.core.audit import Actor
from netral.registry.headcount import refresh_headcount
from netral.registry.importer import merge, staging, tables, validate
from netral.registry.importer.report import ImportFailed, ImportReport, file_problem
from netral.registry.importer.validate import OpdIndex, RowContext
from netral.registry.models import Opd

# SQLite's default page cache (2 MB) makes index probes on a large `asn` go to the OS for every
# page; an import gets a larger one for its duration.
_SQLITE_IMPORT_CACHE_KIB = 256 * 1024

Engine = Literal["columns", "rows"]


def load_opds(db_session: Session, region_code: str) -> OpdIndex:
    """The region's OPD and units, keyed by code and by normalised name, for `validate_rows`."""
    rows = db_session.execute(
        select(Opd.id, Opd.code, Opd.name, Opd.parent_id).where(Opd.region_code == region_code)
    ).all()
    by_key: dict[str, int] = {}
    units: dict[tuple[int, str], int] = {}
    names: dict[int, str] = {}
    for opd_id, code, name, parent_id in rows:
        names[opd_id] = name
        if parent_id is None:
            by_key[code.strip().lower()] = opd_id
            by_key[tables.normalise_header(name)] = opd_id
        else:
            units[(parent_id, code.strip().lower())] = opd_id
            units[(parent_id, tables.normalise_header(name))] = opd_id
    return OpdIndex(by_key, units, names)


def import_asn(
    *,
    db_session: Session,
    path: Path,
    region_code: str,
    actor: Actor,
    mapping: dict[str, str] | None = None,
    dry_run: bool = False,
    partial: bool = False,
    today: date | None = None,
    max_bytes: int | None = None,
    on_row: Callable[[int], None] | None = None,
    engine: Engine = "columns",
) -> ImportReport:
    """Validate and import a file of ASN into the caller's transaction: all of it, or nothing.

    The import flushes; the caller commits. Raises ImportFailed (with the row report) when rows
    are invalid and `partial` is off. A dry run validates everything, the database checks
    included; then, as after any refusal, the session holds nothing of the import's. `engine`
    "rows" is the per-row validator alone, kept to hold the columnar one to the same verdicts.
    """
    headers, rows = tables.open_table(path, max_bytes)
    columns = tables.map_headers(headers, mapping)
    context = RowContext(columns, load_opds(db_session, region_code), region_code, today)
    report = ImportReport()
    if engine == "columns":
        # imported here: pyarrow costs every other command a quarter of a second at start-up
        from netral.registry.importer import columnar

        loaded = columnar.read_columns(
            path, tables.sniff_format(path), headers, rows, max(columns.values()) + 1
        )
        estimate = loaded.table.num_rows
        batches = columnar.validate_columns(loaded, context, report, on_row=on_row)
    else:
        estimate = tables.estimate_rows(path) if tables.sniff_format(path) == "csv" else 0
        batches = validate.validate_rows(rows, context, report, on_row=on_row)
    dialect = db_session.get_bind().dialect.name
    # an exception inside rolls back to the savepoint: the import's work goes, the caller's stays
    with (
        _no_collector(),
        _sqlite_cache(db_session, dialect),
        _savepoint(db_session, dialect) as work,
    ):
        registry_empty = staging.registry_is_empty(db_session)
        rejected: set[int] = set()
        if registry_empty:
            load = staging.first_load(db_session, dialect, region_code)
            restore = merge.detach_for_bulk_load(db_session, dialect, estimate)
            load.server_stamps = dialect == "postgresql" and bool(restore)
            staged, has_accounts = staging.stage_batches(db_session, batches, load.write_batch)
        else:
            staging.create_stage(db_session, dialect)
            staged, has_accounts = staging.stage(db_session, dialect, batches)
        if report.rows == 0:
            raise file_problem(
                "import.no_rows",
                "Berkas hanya berisi judul kolom, tanpa data.",
                "The file holds only the header row, no data.",
            )
        if not registry_empty:
            rejected = set(staging.database_checks(db_session, report, has_accounts))
        report.valid -= len(rejected)
        report.errors.sort(key=lambda e: e.row)
        if report.error_count and not partial:
            raise ImportFailed(report)
        if dry_run:
            work.rollback()
            return report
        if registry_empty:
            merge.finish_first(db_session, report, staged, has_accounts, restore)
        else:
            if rejected:
                staged -= staging.drop_rejected(db_session, rejected)
            merge.merge(db_session, dialect, report, staged, has_accounts)
        refresh_headcount(db_session=db_session, region_code=region_code)
        audit.record(
            db_session,
            actor=actor,
            action="registry.import_asn",
            object_type="region",
            object_id=region_code,
            region_code=region_code,
            summary={
                "file": path.name,
                "rows": report.rows,
                "inserted": report.inserted,
                "updated": report.updated,
                "errors": report.error_count,
                "partial": partial,
            },
        )
        work.commit()  # releases the savepoint: the caller's commit makes the import durable
    report.written = True
    return report


@contextmanager
def _no_collector() -> Iterator[None]:
    """The cyclic garbage collector off for the import's duration.

    An import holds hundreds of thousands of rows as small lists and tuples, none of them in a
    cycle; the collector would walk them all again and again (a third of the columnar engine's
    own time) and free nothing.
    """
    was_on = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_on:
            gc.enable()


@contextmanager
def _sqlite_cache(db_session: Session, dialect: str) -> Iterator[None]:
    """A larger SQLite page cache for the import's duration (a connection setting)."""
    if dialect != "sqlite":
        yield
        return
    before = int(db_session.execute(text("PRAGMA cache_size")).scalar_one())
    db_session.execute(text(f"PRAGMA cache_size = -{_SQLITE_IMPORT_CACHE_KIB}"))
    try:
        yield
    finally:
        db_session.execute(text(f"PRAGMA cache_size = {before}"))


def _savepoint(db_session: Session, dialect: str) -> SessionTransaction:
    """A savepoint for the import's own work, nested in the caller's transaction."""
    if dialect == "sqlite":
        raw = staging.driver(db_session)
        if not raw.in_transaction:
            # pysqlite begins a transaction only before DML: the SAVEPOINT would open it instead,
            # and releasing the savepoint would commit it
            raw.execute("BEGIN")
    return db_session.begin_nested()
