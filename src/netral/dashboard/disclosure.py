"""The public page's rule for small counts: a count under 5 is shown as "< 5", and no shown
number lets someone subtract back to it.

Within one table whose total is shown, hiding one small count is not enough (the total minus the
others gives it back), so other counts are hidden too until no hidden small count can be worked
out exactly. A count hidden only to protect another is shown as "≥ 5" (true, and it says nothing
more). The total itself is hidden when even hiding every count cannot protect a small one.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

THRESHOLD = 5


@dataclass(frozen=True)
class Masked:
    """A count not shown; `text` is what the reader sees instead."""

    text: str

    def __str__(self) -> str:
        return self.text


SMALL = Masked(f"< {THRESHOLD}")
HIDDEN = Masked(f"≥ {THRESHOLD}")
Value = int | Masked


def mask(n: int) -> Value:
    return SMALL if n < THRESHOLD else n


def _pinned(values: Sequence[int], hidden: set[int], total: int) -> bool:
    """Whether some hidden small count follows exactly from the total and the shown counts."""
    rest = total - sum(v for i, v in enumerate(values) if i not in hidden)
    bounds = {
        i: (0, THRESHOLD - 1) if values[i] < THRESHOLD else (THRESHOLD, total) for i in hidden
    }
    lo_sum = sum(lo for lo, _ in bounds.values())
    hi_sum = sum(hi for _, hi in bounds.values())
    for i in hidden:
        if values[i] >= THRESHOLD:
            continue
        lo, hi = bounds[i]
        lo = max(lo, rest - (hi_sum - bounds[i][1]))
        hi = min(hi, rest - (lo_sum - bounds[i][0]))
        if lo >= hi:
            return True
    return False


def protect(values: Sequence[int], total: int | None) -> tuple[list[Value], Value | None]:
    """Mask a table's counts (and its total, when it has one shown beside it)."""
    hidden = {i for i, v in enumerate(values) if v < THRESHOLD}
    if total is None:
        return [SMALL if i in hidden else v for i, v in enumerate(values)], None
    if total < THRESHOLD:
        return [SMALL] * len(values), SMALL
    shown_total: Value = total
    while hidden and _pinned(values, hidden, total):
        visible = [i for i in range(len(values)) if i not in hidden]
        if not visible:
            shown_total = HIDDEN
            break
        hidden.add(min(visible, key=lambda i: (values[i], i)))
    out: list[Value] = [
        (SMALL if v < THRESHOLD else HIDDEN) if i in hidden else v for i, v in enumerate(values)
    ]
    return out, shown_total
