"""The audit log: append-only rows, each hash covering the previous row's hash and its own content.

Rows are serialised through a one-row head table: the UPDATE on it takes the write lock (SQLite) or
the row lock (PostgreSQL) before the last hash is read, so two writers never fork the chain.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Engine, select, text
from sqlalchemy.orm import Session

from netral.core.db import utcnow
from netral.core.models import AuditEntry

GENESIS = "0" * 64


@dataclass(frozen=True)
class Actor:
    id: int | None
    name: str
    role: str

    @classmethod
    def system(cls) -> Actor:
        return cls(None, "system", "system")


def _content_hash(prev_hash: str, row: dict[str, Any]) -> str:
    payload = json.dumps(row, sort_keys=True, separators=(",", ":"), default=str)
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
    return entry


@dataclass(frozen=True)
class VerifyResult:
    ok: bool
    rows: int
    first_bad_id: int | None = None
    reason: str = ""


def _rows(engine: Engine, batch: int = 10_000) -> Iterator[AuditEntry]:
    last = 0
    with Session(engine) as s:
        while True:
            chunk = s.scalars(
                select(AuditEntry).where(AuditEntry.id > last).order_by(AuditEntry.id).limit(batch)
            ).all()
            if not chunk:
                return
            yield from chunk
            last = chunk[-1].id
            s.expunge_all()


def verify(engine: Engine) -> VerifyResult:
    """Walk the chain; name the first row that was altered, inserted or deleted."""
    prev_hash, expected_id, n = GENESIS, 1, 0
    for row in _rows(engine):
        n += 1
        if row.id != expected_id:
            return VerifyResult(False, n, expected_id, f"row {expected_id} is missing (deleted)")
        if row.prev_hash != prev_hash:
            return VerifyResult(False, n, row.id, "prev_hash does not match the previous row")
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
            return VerifyResult(False, n, row.id, "content does not match its hash (altered)")
        prev_hash, expected_id = row.hash, row.id + 1
    with engine.connect() as conn:
        head = conn.execute(text("SELECT last_id, last_hash FROM audit_head WHERE id = 1")).one()
    if int(head[0]) != expected_id - 1 or str(head[1]) != prev_hash:
        return VerifyResult(False, n, int(head[0]), "the newest rows were deleted")
    return VerifyResult(True, n)
