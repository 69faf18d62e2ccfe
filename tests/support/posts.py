"""Generated dumps of public posts for `netral scan posts` (tests and benchmarks/bulk_scan.py).

Fictional accounts and texts only: a few partisan posts among neutral news and everyday talk,
some from accounts recorded as an ASN's, most from accounts nobody registered.
"""

from __future__ import annotations

import csv
import json
import random
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path

from sqlalchemy.orm import Session

from netral.registry.models import SocialAccount

PARTISAN = [
    "Salam dua jari, Pak Tanto pasti menang",
    "Dukung terus Kang Hendra dan Ceu Dewi #HeDe2024",
    "coblos no 2 ya warga {place}, jangan lupa tanggal {day}",
    "Ayo dukung paslon 2, pilih yang sudah terbukti kerjanya",
]
NEUTRAL = [
    "Bawaslu ingatkan ASN jaga netralitas selama pilkada",
    "KPU umumkan jadwal debat kandidat di {place} minggu depan",
    "Sosialisasi pemilu di kelurahan {place} berjalan lancar",
]
OTHER = [
    "harga cabai di pasar {place} naik lagi",
    "resep sambal terasi ala ibu, pedasnya pas",
    "macet parah di jalan {place} pagi ini, hati-hati",
    "jadwal posyandu bulan ini tanggal {day}",
    "selamat pagi, semoga hari ini lancar semua urusannya",
]
PLACES = ["Cicendo", "Coblong", "Sukajadi", "Antapani", "Lengkong", "Kiaracondong", "Arcamanik"]
PLATFORMS = ["instagram", "facebook", "x", "tiktok"]


@dataclass(frozen=True)
class Account:
    platform: str
    handle: str


def register_accounts(db: Session, asn_ids: Sequence[int], per_asn: int = 1) -> list[Account]:
    """Record `per_asn` social accounts for each ASN given (committed)."""
    out: list[Account] = []
    for n, asn_id in enumerate(asn_ids):
        for k in range(per_asn):
            acc = Account(PLATFORMS[(n + k) % len(PLATFORMS)], f"asn.akun{asn_id}_{k}")
            db.add(SocialAccount(asn_id=asn_id, platform=acc.platform, handle=acc.handle))
            out.append(acc)
    db.commit()
    return out


def post_rows(
    n: int,
    accounts: Sequence[Account],
    *,
    seed: int = 7,
    asn_share: float = 0.2,
    partisan_share: float = 0.15,
) -> list[dict[str, str]]:
    """`n` posts: `asn_share` of them from the registered accounts, the rest from strangers."""
    rng = random.Random(seed)
    start = datetime(2024, 11, 1, 8, 0, tzinfo=timezone(timedelta(hours=7)))
    rows = []
    for i in range(n):
        if accounts and rng.random() < asn_share:
            acc = rng.choice(accounts)
            platform, handle = acc.platform, "@" + acc.handle.upper()  # as dumps spell them
        else:
            platform, handle = rng.choice(PLATFORMS), f"warga_{rng.randrange(10**6):06d}"
        r = rng.random()
        bank = PARTISAN if r < partisan_share else NEUTRAL if r < partisan_share + 0.2 else OTHER
        text = rng.choice(bank).format(place=rng.choice(PLACES), day=rng.randrange(1, 28))
        when = start + timedelta(minutes=i)
        rows.append(
            {"platform": platform, "handle": handle, "time": when.isoformat(), "text": text}
        )
    return rows


def write_dump(path: Path, rows: Sequence[dict[str, str]]) -> Path:
    """A CSV or JSONL dump (by the file's suffix) of these rows."""
    if path.suffix == ".jsonl":
        with path.open("w", encoding="utf-8") as fh:
            for row in rows:
                fh.write(json.dumps(row, ensure_ascii=False) + "\n")
        return path
    with path.open("w", newline="", encoding="utf-8") as fh:
        fields = list(rows[0]) if rows else ["platform", "handle", "time", "text"]
        w = csv.DictWriter(fh, fieldnames=fields)
        w.writeheader()
        w.writerows(rows)
    return path
