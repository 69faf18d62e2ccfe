"""Public numbers (LAP-2024-000123): a counter row per series, incremented under its row lock."""

from __future__ import annotations

from sqlalchemy import String, text
from sqlalchemy.orm import Mapped, Session, mapped_column

from netral.core.db import Base


class Counter(Base):
    __tablename__ = "counter"

    name: Mapped[str] = mapped_column(String(40), primary_key=True)
    value: Mapped[int] = mapped_column(default=0)


def next_value(db_session: Session, name: str) -> int:
    """The next number of a series, inside the caller's transaction (no gaps unless it aborts)."""
    db_session.execute(
        text("INSERT INTO counter (name, value) VALUES (:n, 0) ON CONFLICT (name) DO NOTHING"),
        {"n": name},
    )
    value = db_session.execute(
        text("UPDATE counter SET value = value + 1 WHERE name = :n RETURNING value"), {"n": name}
    ).scalar_one()
    return int(value)


def public_number(db_session: Session, prefix: str, year: int) -> str:
    return f"{prefix}-{year}-{next_value(db_session, f'{prefix}-{year}'):06d}"
