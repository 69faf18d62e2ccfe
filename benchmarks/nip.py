"""How fast `nip_error` checks NIPs; the bulk-import budget is >= 1M valid rows/s on one core.

Run: python benchmarks/nip.py [--valid N] [--invalid N] [--repeat R]
"""

from __future__ import annotations

import argparse
import random
import time
from collections import Counter
from collections.abc import Callable, Sequence
from datetime import date

from netral.registry.nip import make_nip, nip_error


def mutate(rng: random.Random, raw: str) -> str:
    """A near miss, the way real spreadsheets get NIPs wrong."""
    kind = rng.randrange(8)
    if kind == 0:
        return raw[:-1]  # a digit lost
    if kind == 1:
        return raw[:5] + "x" + raw[6:]  # a letter typed in
    if kind == 2:
        return raw[:4] + "02" + "30" + raw[8:]  # 30 February
    if kind == 3:
        return raw[:12] + "13" + raw[14:]  # month 13
    if kind == 4:
        return raw[:14] + "3" + raw[15:]  # sex digit 3
    if kind == 5:
        return raw[:15] + "000"  # sequence 000
    if kind == 6:
        return raw[:8] + f"{int(raw[:4]) + 10:04d}" + raw[12:]  # appointed at 10
    return ""  # an empty cell


def best_rate(check: Callable[[str], str | None], rows: Sequence[str], repeat: int) -> float:
    best = float("inf")
    for _ in range(repeat):
        start = time.perf_counter()
        for raw in rows:
            check(raw)
        best = min(best, time.perf_counter() - start)
    return len(rows) / best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--valid", type=int, default=1_000_000)
    parser.add_argument("--invalid", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--seed", type=int, default=2024)
    args = parser.parse_args()

    rng = random.Random(args.seed)
    start = time.perf_counter()
    valid = [make_nip(rng) for _ in range(args.valid)]
    invalid = [mutate(rng, make_nip(rng)) for _ in range(args.invalid)]
    spaced = [f"{v[:8]} {v[8:14]} {v[14]} {v[15:]}" for v in valid[: args.invalid]]
    print(
        f"generated {len(valid):,} valid + {len(invalid):,} invalid NIPs "
        f"in {time.perf_counter() - start:.1f} s"
    )

    assert all(nip_error(v) is None for v in valid), "make_nip produced an invalid NIP"
    codes = Counter(nip_error(v) for v in invalid)
    print("invalid mix:", ", ".join(f"{c}={n:,}" for c, n in codes.most_common()))

    today = date.today()
    rows = [
        ("valid, today=None", lambda raw: nip_error(raw), valid),
        ("valid, today given", lambda raw: nip_error(raw, today), valid),
        ("valid, spaced form", nip_error, spaced),
        ("invalid", nip_error, invalid),
    ]
    # The plain function object first: no lambda in the way, the figure importers will see.
    print(
        f"{'valid (nip_error direct)':<28}{best_rate(nip_error, valid, args.repeat):>14,.0f} rows/s"
    )
    for label, check, data in rows:
        print(f"{label:<28}{best_rate(check, data, args.repeat):>14,.0f} rows/s")


if __name__ == "__main__":
    main()
