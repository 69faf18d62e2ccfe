"""Small helpers the benchmark scripts share (each script runs with this folder on its path)."""

from __future__ import annotations

import os


def load_avg() -> str:
    """The one-minute load average, printed beside each figure: this machine is shared."""
    return f"{os.getloadavg()[0]:.1f}"


def libpq_url(url: str) -> str:
    """A SQLAlchemy PostgreSQL URL as libpq and psql read it."""
    return url.replace("postgresql+psycopg://", "postgresql://")


def pct(values: list[float], p: float) -> float:
    """The p-th percentile by the nearest-rank method (no interpolation)."""
    s = sorted(values)
    return s[min(len(s) - 1, max(0, round(p / 100 * len(s) + 0.5) - 1))]
