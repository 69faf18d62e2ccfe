"""The audit log: append-only rows, each hash covering the previous row's hash and its own content.

Rows are serialised through a one-row head table: the UPDATE on it takes the write lock (SQLite) or
the row lock (PostgreSQL) before the last hash is read, so two writers never fork the chain.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Engine, select, text
from sqlalchemy.orm import Session

from netral.core import anchor
from netral.core.db import utcnow
from netral.core.models import AuditEntry

GENESIS = "0" * 64


@dataclass(frozen=True)
class Actor:
    id: int | None
    name: str
    role: str

    @classmethod
    def of(cls, user: Any) -> Actor:
        """The actor behind a signed-in user (anything with id, username and role)."""
        return cls(user.id, user.username, user.role)

    @classmethod
    def system(cls) -> Actor:
        return cls(None, "system", "system")


# exactly what json.dumps(row, sort_keys=True, separators=(",", ":"), default=str) builds, made
# once: the rows' hashes depend on this serialisation byte for byte
_ENCODER = json.JSONEncoder(sort_keys=True, separators=(",", ":"), default=str)


def _content_hash(prev_hash: str, row: dict[str, Any]) -> str:
    payload = _ENCODER.encode(row)
    return hashlib.sha256((prev_hash + payload).encode()).hexdigest()


def _row_content(
    entry_id: int,
    at: datetime,
    actor_id: int | None,
    actor: str,
    role: str,
    action: str,
    object_type: str,
    object_id: str,
    region_code: str,
    summary: dict[str, Any],
) -> dict[str, Any]:
    return {
        "id": entry_id,
        "at": at.strftime("%Y-%m-%dT%H:%M:%S.%fZ"),
        "actor_id": actor_id,
        "actor": actor,
        "role": role,
        "action": action,
        "object_type": object_type,
        "object_id": object_id,
        "region_code": region_code,
        "summary": summary,
    }


def record(
    db_session: Session,
    *,
    actor: Actor,
    action: str,
    object_type: str,
    object_id: str | int,
    region_code: str = "",
    summary: dict[str, Any] | None = None,
) -> AuditEntry:
    """Append one row inside the caller's transaction (it commits or rolls back with it)."""
    db_session.execute(text("UPDATE audit_head SET n = n + 1 WHERE id = 1"))
    head = db_session.execute(text("SELECT last_id, last_hash FROM audit_head WHERE id = 1")).one()
    last_id, prev_hash = int(head[0]), str(head[1])
    entry_id = last_id + 1
    at = utcnow()
    summary = summary or {}
    digest = _content_hash(
        prev_hash,
        _row_content(
            entry_id,
            at,
            actor.id,
            actor.name,
            actor.role,
            action,
            object_type,
            str(object_id),
            region_code,
            summary,
        ),
    )
    entry = AuditEntry(
        id=entry_id,
        at=at,
        actor_id=actor.id,
        actor=actor.name,
        role=actor.role,
        action=action,
        object_type=object_type,
        object_id=str(object_id),
        region_code=region_code,
        summary=summary,
        prev_hash=prev_hash,
        hash=digest,
    )
    db_session.add(entry)
    db_session.flush()
    db_session.execute(
        text("UPDATE audit_head SET last_id = :i, last_hash = :h WHERE id = 1"),
        {"i": entry_id, "h": digest},
    )
    anchor.note_row(db_session)
    return entry


@dataclass(frozen=True)
class VerifyResult:
    ok: bool
    rows: int
    first_bad_id: int | None = None
    reason: str = ""


# The fast walk reads plain tuples through the driver (no ORM objects) and has the database
# render `at` exactly as `_row_content` does; `summary` comes as JSON text and is parsed here.
# Any row whose fast hash does not match is re-checked through the ORM (`_orm_hash`), so a
# difference in rendering can never make verify report a row the ORM path would accept.
_SELECT = {
    "postgresql": (
        "SELECT id, to_char(at AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS.US\"Z\"'), "
        "actor_id, actor, role, action, object_type, object_id, region_code, summary::text, "
        "prev_hash, hash FROM audit_entry WHERE id > %s AND id <= %s ORDER BY id LIMIT %s"
    ),
    "sqlite": (
        "SELECT id, substr(at, 1, 10) || 'T' || substr(at, 12) || 'Z', "
        "actor_id, actor, role, action, object_type, object_id, region_code, summary, "
        "prev_hash, hash FROM audit_entry WHERE id > ? AND id <= ? ORDER BY id LIMIT ?"
    ),
}
_BEFORE = {
    "postgresql": "SELECT id, hash FROM audit_entry WHERE id <= %s ORDER BY id DESC LIMIT 1",
    "sqlite": "SELECT id, hash FROM audit_entry WHERE id <= ? ORDER BY id DESC LIMIT 1",
}
# `_row_content` as `_ENCODER` writes it (keys sorted, compact), filled in directly from the
# row's values: the same bytes without building and sorting a dict per row
_PAYLOAD = (
    '{"action":%s,"actor":%s,"actor_id":%s,"at":"%s","id":%d,"object_id":%s,'
    '"object_type":%s,"region_code":%s,"role":%s,"summary":%s}'
)
_ESCAPE: Callable[[str], str] = json.encoder.encode_basestring_ascii  # what _ENCODER uses
_BATCH = 20_000
# below this many rows one process walks the whole chain; above it, up to _MAX_WORKERS
_PARALLEL_FROM = 200_000
_MAX_WORKERS = 4


@dataclass(frozen=True)
class _Walk:
    rows: int
    last_id: int
    last_hash: str
    first_bad_id: int | None = None
    reason: str = ""


def _orm_hash(engine: Engine, entry_id: int, prev_hash: str) -> str | None:
    """The hash `record()` would give this row, computed from the ORM's values (slow path)."""
    with Session(engine) as s:
        try:
            row = s.get(AuditEntry, entry_id)
        except (ValueError, TypeError):  # e.g. a summary that is no longer JSON
            return None
        if row is None:
            return None
        return _content_hash(
            prev_hash,
            _row_content(
                row.id,
                row.at,
                row.actor_id,
                row.actor,
                row.role,
                row.action,
                row.object_type,
                row.object_id,
                row.region_code,
                row.summary,
            ),
        )


def _walk_fast(engine: Engine, lo: int, hi: int) -> _Walk:
    """Check rows lo < id <= hi against each other and against the row before lo."""
    dialect = engine.dialect.name
    select_sql, before_sql = _SELECT[dialect], _BEFORE[dialect]
    encode, loads, sha256, esc = _ENCODER.encode, json.loads, hashlib.sha256, _ESCAPE
    conn = engine.raw_connection()
    try:
        cur = conn.cursor()
        cur.execute(before_sql, (lo,))
        before = cur.fetchone()
        prev_id, prev_hash = (int(before[0]), str(before[1])) if before else (0, GENESIS)
        expected, last, n = prev_id + 1, lo, 0
        while True:
            cur.execute(select_sql, (last, hi, _BATCH))
            chunk = cur.fetchall()
            if not chunk:
                break
            for (
                rid,
                at,
                actor_id,
                actor,
                role,
                action,
                otype,
                oid,
                region,
                summary,
                prev,
                h,
            ) in chunk:
                n += 1
                if rid != expected:
                    return _Walk(
                        n, rid, prev_hash, expected, f"row {expected} is missing (deleted)"
                    )
                if prev != prev_hash:
                    return _Walk(
                        n, rid, prev_hash, rid, "prev_hash does not match the previous row"
                    )
                try:
                    payload = _PAYLOAD % (
                        esc(action),
                        esc(actor),
                        "null" if actor_id is None else int.__repr__(actor_id),
                        at,
                        rid,
                        esc(oid),
                        esc(otype),
                        esc(region),
                        esc(role),
                        encode(None if summary is None else loads(summary)),
                    )
                    good = sha256((prev_hash + payload).encode()).hexdigest() == h
                except (ValueError, TypeError):
                    good = False
                if not good and _orm_hash(engine, rid, prev_hash) != h:
                    return _Walk(
                        n, rid, prev_hash, rid, "content does not match its hash (altered)"
                    )
                prev_hash, expected = h, rid + 1
            last = chunk[-1][0]
        return _Walk(n, expected - 1, prev_hash)
    finally:
        conn.close()


def _walk_orm(engine: Engine, lo: int, hi: int) -> _Walk:
    """Any other database: the same checks through the ORM, in batches."""
    prev_hash, expected, n = GENESIS, 1, 0
    last = lo
    with Session(engine) as s:
        before = s.execute(
            select(AuditEntry.id, AuditEntry.hash)
            .where(AuditEntry.id <= lo)
            .order_by(AuditEntry.id.desc())
            .limit(1)
        ).first()
        if before is not None:
            prev_hash, expected = str(before[1]), int(before[0]) + 1
        while True:
            chunk = s.scalars(
                select(AuditEntry)
                .where(AuditEntry.id > last, AuditEntry.id <= hi)
                .order_by(AuditEntry.id)
                .limit(_BATCH)
            ).all()
            if not chunk:
                break
            for row in chunk:
                n += 1
                if row.id != expected:
                    reason = f"row {expected} is missing (deleted)"
                    return _Walk(n, row.id, prev_hash, expected, reason)
                if row.prev_hash != prev_hash:
                    reason = "prev_hash does not match the previous row"
                    return _Walk(n, row.id, prev_hash, row.id, reason)
                digest = _content_hash(
                    prev_hash,
                    _row_content(
                        row.id,
                        row.at,
                        row.actor_id,
                        row.actor,
                        row.role,
                        row.action,
                        row.object_type,
                        row.object_id,
                        row.region_code,
                        row.summary,
                    ),
                )
                if digest != row.hash:
                    reason = "content does not match its hash (altered)"
                    return _Walk(n, row.id, prev_hash, row.id, reason)
                prev_hash, expected = row.hash, row.id + 1
            last = chunk[-1].id
            s.expunge_all()
    return _Walk(n, expected - 1, prev_hash)


def _walk(engine: Engine, lo: int, hi: int) -> _Walk:
    if engine.dialect.name in _SELECT:
        return _walk_fast(engine, lo, hi)
    return _walk_orm(engine, lo, hi)


def _walk_in_worker(url: str, lo: int, hi: int) -> _Walk:
    """One slice of the chain, in a worker process with its own connection."""
    from sqlalchemy.pool import NullPool

    from netral.core.db import make_engine

    engine = make_engine(url, poolclass=NullPool)
    try:
        return _walk(engine, lo, hi)
    finally:
        engine.dispose()


def _walk_parallel(engine: Engine, last_id: int, workers: int) -> list[_Walk]:
    """Each row's checks need only it and the row before, so slices of ids verify apart."""
    import multiprocessing
    import threading
    from concurrent.futures import ProcessPoolExecutor

    # fork is cheap and safe from a single-threaded process (the CLI); otherwise spawn
    method = "fork" if threading.active_count() == 1 and os.name == "posix" else "spawn"
    url = engine.url.render_as_string(hide_password=False)
    bounds = [last_id * i // workers for i in range(workers + 1)]
    with ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context(method)) as pool:
        futures = [
            pool.submit(_walk_in_worker, url, bounds[i], bounds[i + 1]) for i in range(workers)
        ]
        return [f.result() for f in futures]


def _head(engine: Engine) -> tuple[int, str, int | None]:
    """The head (newest id and hash) and the newest row id actually present, in one snapshot."""
    with engine.connect() as conn:
        head = conn.execute(
            text(
                "SELECT last_id, last_hash, (SELECT max(id) FROM audit_entry) "
                "FROM audit_head WHERE id = 1"
            )
        ).one()
    return int(head[0]), str(head[1]), None if head[2] is None else int(head[2])


def verify(engine: Engine, *, workers: int | None = None) -> VerifyResult:
    """Walk the chain; name the first row that was altered, inserted or deleted.

    The chain is checked up to the head as it stands when verify starts (rows appended while it
    runs are left for the next run). `workers`: processes for large logs (default: one per CPU,
    at most 4, from 200,000 rows on); 1 walks in this process.
    """
    last_id, last_hash, _ = _head(engine)
    if workers is None:
        workers = min(os.cpu_count() or 1, _MAX_WORKERS) if last_id >= _PARALLEL_FROM else 1
    workers = max(1, min(workers, last_id or 1))
    if workers == 1:
        walks = [_walk(engine, 0, last_id)]
    else:
        walks = _walk_parallel(engine, last_id, workers)
    n = 0
    for w in walks:
        n += w.rows
        if w.first_bad_id is not None:
            return VerifyResult(False, n, w.first_bad_id, w.reason)
    tail = walks[-1]
    seen_last = max((w.last_id for w in walks), default=0)
    if seen_last != last_id or tail.last_hash != last_hash:
        # rows missing at the end, or the newest row rewritten together with its own hash
        bad = seen_last + 1 if seen_last < last_id else last_id
        return VerifyResult(False, n, bad, "the newest rows were deleted or altered")
    now_last, _, present = _head(engine)
    if now_last == last_id and present is not None and present > last_id:
        return VerifyResult(False, n, last_id + 1, "rows were added behind the head (inserted)")
    return VerifyResult(True, n)
