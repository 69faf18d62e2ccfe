"""Writing valid rows into the database: the staging tables, sealed contacts, the one writer loop.

A re-import stages its rows (no index, so loading costs what a raw insert costs) for the checks
that need the database and for the merge. A first import into an empty registry needs neither:
nothing can be updated, owned by another region or taken by another ASN, so valid rows go
straight into `asn` (`FirstLoad`); only social accounts are staged, to join them to the new ids.
PostgreSQL loads with COPY, SQLite with executemany.
"""

from __future__ import annotations

import queue
import re
import threading
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from typing import Any, TypeVar

from sqlalchemy import text
from sqlalchemy.orm import Session

from netral.core.crypto import keyring
from netral.registry.importer.report import ImportReport
from netral.registry.importer.validate import Batch

T = TypeVar("T")

_STAGE_COLS = (
    "row_no, nip, name, kind, position, golongan, opd_id, unit_id, region_code, contact_enc"
)
_ASN_INSERT_COLS = (
    "nip, name, kind, position, golongan, opd_id, unit_id, region_code, "
    "contact_enc, is_active, created_at, updated_at"
)
_ASN_COPY_COLS = "nip, name, kind, position, golongan, opd_id, unit_id, region_code, contact_enc"
_STAMP_RE = re.compile(r"[0-9][0-9 :.+\-T]*")
# COPY text format: backslash, tab, newline and carriage return must be escaped in a value
_COPY_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def driver(db_session: Session) -> Any:
    """The DBAPI connection under the session's transaction, for COPY and executemany."""
    raw = db_session.connection().connection.driver_connection
    assert raw is not None
    return raw


def registry_is_empty(db_session: Session) -> bool:
    """Whether no ASN at all is registered yet, in any region (the first-import case)."""
    return db_session.execute(text("SELECT 1 FROM asn LIMIT 1")).first() is None


def _create_account_stage(db_session: Session) -> None:
    db_session.execute(text("DROP TABLE IF EXISTS asn_stage_account"))
    db_session.execute(
        text(
            "CREATE TEMP TABLE asn_stage_account (row_no INTEGER, nip VARCHAR(18), platform TEXT, "
            "handle TEXT)"
        )
    )


def create_stage(db_session: Session, dialect: str) -> None:
    """Create the staging tables of a re-import: one for the rows, one for their accounts."""
    blob = "BYTEA" if dialect == "postgresql" else "BLOB"
    db_session.execute(text("DROP TABLE IF EXISTS asn_stage"))
    db_session.execute(
        text(
            "CREATE TEMP TABLE asn_stage (row_no INTEGER, nip VARCHAR(18), name TEXT, kind TEXT, "
            f"position TEXT, golongan TEXT, opd_id INTEGER, unit_id INTEGER, region_code TEXT, "
            f"contact_enc {blob})"
        )
    )
    _create_account_stage(db_session)


def seal_contacts(raw: Any, dialect: str, batch: Batch) -> None:
    """Encrypt each row's contact, reusing the stored blob when the contact has not changed.

    A fresh nonce makes every encryption differ, so without the reuse a re-import of the same
    file would count every row with a contact as updated. (A first import has nothing to reuse:
    see `FirstLoad.seal`.)
    """
    if not batch.contacts:
        return
    ring = keyring()
    stored: dict[str, bytes] = {}
    nips = [nip for _, nip, _ in batch.contacts]
    if dialect == "postgresql":
        with raw.cursor() as cur:
            cur.execute(
                "SELECT nip, contact_enc FROM asn WHERE nip = ANY(%s) AND contact_enc IS NOT NULL",
                (nips,),
            )
            stored = {n: bytes(c) for n, c in cur}
    else:
        cur = raw.cursor()
        for i in range(0, len(nips), 5000):
            part = nips[i : i + 5000]
            marks = ",".join("?" * len(part))
            cur.execute(
                "SELECT nip, contact_enc FROM asn WHERE contact_enc IS NOT NULL AND "  # noqa: S608
                f"nip IN ({marks})",
                part,
            )
            stored.update(cur.fetchall())
        cur.close()
    rows = batch.rows
    for index, nip, plain in batch.contacts:
        old = stored.get(nip)
        if old is not None:
            try:
                same = ring.decrypt(old, nip.encode()) == plain
            except Exception:  # a blob under a retired key or damaged: seal afresh
                same = False
            if same:
                rows[index][9] = old
                continue
        rows[index][9] = ring.encrypt(plain, nip.encode())


def load_stage(raw: Any, dialect: str, batch: Batch) -> None:
    """Append a sealed batch to the staging tables."""
    if dialect == "postgresql":
        with raw.cursor() as cur:
            with cur.copy(f"COPY asn_stage ({_STAGE_COLS}) FROM STDIN") as copy:
                write = copy.write_row
                for r in batch.rows:
                    write(r)
            if batch.accounts:
                with cur.copy(
                    "COPY asn_stage_account (row_no, nip, platform, handle) FROM STDIN"
                ) as copy:
                    for a in batch.accounts:
                        copy.write_row(a)
    else:
        cur = raw.cursor()
        cur.executemany(
            f"INSERT INTO asn_stage ({_STAGE_COLS}) VALUES (?,?,?,?,?,?,?,?,?,?)",  # noqa: S608
            batch.rows,
        )
        if batch.accounts:
            cur.executemany("INSERT INTO asn_stage_account VALUES (?,?,?,?)", batch.accounts)
        cur.close()


def write_batches(
    db_session: Session, batches: Iterable[T], write: Callable[[Any, T], None]
) -> None:
    """The import's one writer loop: `write` each batch on a writer thread while the next is made.

    The drivers let go of the GIL inside SQLite's step and PostgreSQL's socket writes, so the
    load overlaps the Python that makes the next batch. Only the writer touches the connection
    meanwhile. The writer's first failure is raised here, once it has stopped.
    """
    raw = driver(db_session)
    pending: queue.Queue[T | None] = queue.Queue(maxsize=2)
    failure: list[BaseException] = []

    def writer() -> None:
        while (batch := pending.get()) is not None:
            if failure:
                continue  # drain until the reader stops
            try:
                write(raw, batch)
            except BaseException as exc:
                failure.append(exc)

    thread = threading.Thread(target=writer, name="asn-import-writer", daemon=True)
    thread.start()
    try:
        for batch in batches:
            if failure:
                break
            pending.put(batch)
    finally:
        pending.put(None)
        thread.join()
    if failure:
        raise failure[0]


def stage_batches(
    db_session: Session, batches: Iterable[Batch], write: Callable[[Any, Batch], None]
) -> tuple[int, bool]:
    """Write validated batches through `write_batches`: (rows written, whether any had accounts)."""
    staged, has_accounts = 0, False

    def counted() -> Iterator[Batch]:
        nonlocal staged, has_accounts
        for batch in batches:
            staged += len(batch.rows)
            has_accounts = has_accounts or bool(batch.accounts)
            yield batch

    write_batches(db_session, counted(), write)
    return staged, has_accounts


def stage(db_session: Session, dialect: str, batches: Iterable[Batch]) -> tuple[int, bool]:
    """Seal and load each batch of a re-import into the staging tables (see `stage_batches`)."""

    def write(raw: Any, batch: Batch) -> None:
        seal_contacts(raw, dialect, batch)
        load_stage(raw, dialect, batch)

    return stage_batches(db_session, batches, write)


def _copy_value(value: str) -> str:
    if value.isprintable() and "\\" not in value:
        return value
    return value.translate(_COPY_ESCAPES)


@dataclass
class FirstLoad:
    """How one first import writes: the dialect, the timestamp every row gets, the sealing key."""

    dialect: str
    region_code: str
    stamp: str
    # PostgreSQL bulk load: is_active and the timestamps come from column defaults set for the
    # load (see `merge.detach_for_bulk_load`), not from COPY text parsed again for every row
    server_stamps: bool = False

    def seal(self, batch: Batch) -> None:
        """Seal each row's contact (nothing is stored yet, so nothing can be reused)."""
        if not batch.contacts:
            return
        encrypt = keyring().encrypt
        rows = batch.rows
        for index, nip, plain in batch.contacts:
            rows[index][9] = encrypt(plain, nip.encode())

    def encode(self, batch: Batch) -> bytes:
        """The sealed batch as COPY text for `asn`."""
        tail = f"\t{_copy_value(self.region_code)}\t"
        end = "\n" if self.server_stamps else f"\tt\t{self.stamp}\t{self.stamp}\n"
        null, hex_mark, copy_value = "\\N", "\\\\x", _copy_value
        out = []
        for _, nip, name, kind, position, golongan, opd_id, unit_id, _, sealed in batch.rows:
            out.append(
                f"{nip}\t{copy_value(name)}\t{kind}\t{copy_value(position)}\t{golongan}\t"
                f"{opd_id}\t{null if unit_id is None else unit_id}{tail}"
                f"{null if sealed is None else hex_mark + sealed.hex()}{end}"
            )
        return "".join(out).encode()

    def write_batch(self, raw: Any, batch: Batch) -> None:
        """Seal one batch, insert its rows into `asn` and stage its accounts."""
        self.seal(batch)
        accounts = batch.accounts
        if self.dialect == "postgresql":
            columns = _ASN_COPY_COLS if self.server_stamps else _ASN_INSERT_COLS
            with raw.cursor() as cur:
                with cur.copy(f"COPY asn ({columns}) FROM STDIN") as copy:
                    copy.write(self.encode(batch))
                if accounts:
                    with cur.copy(
                        "COPY asn_stage_account (row_no, nip, platform, handle) FROM STDIN"
                    ) as copy:
                        for a in accounts:
                            copy.write_row(a)
            return
        cur = raw.cursor()
        # ?1 is the row number, which `asn` does not keep
        cur.executemany(
            f"INSERT INTO asn ({_ASN_INSERT_COLS}) VALUES (?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, "  # noqa: S608
            f"TRUE, '{self.stamp}', '{self.stamp}')",
            batch.rows,
        )
        if accounts:
            cur.executemany("INSERT INTO asn_stage_account VALUES (?,?,?,?)", accounts)
        cur.close()


def first_load(db_session: Session, dialect: str, region_code: str) -> FirstLoad:
    """Prepare a first import: the timestamp its rows get, and the table for their accounts."""
    if dialect == "postgresql":
        stamp = str(db_session.execute(text("SELECT CAST(CURRENT_TIMESTAMP AS TEXT)")).scalar())
    else:
        stamp = str(db_session.execute(text("SELECT CURRENT_TIMESTAMP")).scalar())
    if not _STAMP_RE.fullmatch(stamp):  # it is written into SQL text (`FirstLoad.write`)
        raise ValueError(f"unexpected CURRENT_TIMESTAMP {stamp!r}")
    _create_account_stage(db_session)
    return FirstLoad(dialect, region_code, stamp)


def _reject(
    db_session: Session,
    report: ImportReport,
    sql: str,
    column: str,
    code: str,
    msg: Callable[[Any], tuple[str, str]],
) -> list[int]:
    bad = db_session.execute(text(sql)).all()
    for r in bad:
        m_id, m_en = msg(r)
        report.add(int(r[0]), column, code, m_id, m_en)
    return [int(r[0]) for r in bad]


def database_checks(db_session: Session, report: ImportReport, has_accounts: bool) -> list[int]:
    """Checks that need the database: rows owned by another region, handles owned by another ASN.

    Only called when the registry held ASN before this import; duplicates inside the file are
    caught while reading it.
    """
    other = _reject(
        db_session,
        report,
        "SELECT s.row_no, s.nip, a.region_code FROM asn_stage s JOIN asn a ON a.nip = s.nip "
        "WHERE a.region_code <> s.region_code",
        "nip",
        "asn.other_region",
        lambda r: (
            f"NIP {r[1]} terdaftar di wilayah {r[2]}; pindah wilayah diurus BKPSDM asal.",
            f"NIP {r[1]} is registered in region {r[2]}; a transfer is done by its BKPSDM.",
        ),
    )
    if not has_accounts:
        return other
    taken = _reject(
        db_session,
        report,
        "SELECT sa.row_no, sa.platform, sa.handle, a.nip FROM asn_stage_account sa "
        "JOIN social_account x ON x.platform = sa.platform AND x.handle = sa.handle "
        "JOIN asn a ON a.id = x.asn_id WHERE a.nip <> sa.nip",
        "akun",
        "asn.account_taken",
        lambda r: (
            f"Akun {r[1]}:@{r[2]} sudah tercatat milik ASN lain (NIP {r[3]}).",
            f"Account {r[1]}:@{r[2]} already belongs to another ASN (NIP {r[3]}).",
        ),
    )
    return other + taken


def drop_rejected(db_session: Session, rejected: set[int]) -> int:
    """Remove the rows the database checks refused from the stage; return how many went."""
    ids = ",".join(str(r) for r in sorted(rejected))
    db_session.execute(text(f"DELETE FROM asn_stage_account WHERE row_no IN ({ids})"))  # noqa: S608
    delete = f"DELETE FROM asn_stage WHERE row_no IN ({ids})"  # noqa: S608
    return int(db_session.execute(text(delete)).rowcount)  # type: ignore[attr-defined]
