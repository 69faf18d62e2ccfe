"""Pure checks on one row of a KPU turnout file: the region code and the two counts.

Codes: a kecamatan and a kelurahan/desa are accepted in the Kemendagri dotted form
(``32.73.01``, ``32.73.01.1001``) and in KPU's undotted form (``327301``, ``3273011001``); a TPS is
its kelurahan's code followed by a 3-digit TPS number, dotted or not (``32.73.01.1001.003``,
``32.73.01.1001003``, ``3273011001003``). Every form is stored as the dotted one, a TPS as
``<kelurahan>.<nnn>``.

Counts: non-negative whole numbers. A thousands separator is read when the grouping leaves no doubt
("1.234", "1,234", "12 345": groups of exactly three digits after the first), because KPU's
spreadsheets in Indonesian write them and a count of people has no decimals; "1,5", "1.23" or
"1.2345" are refused, as is anything negative or with letters.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Final, Literal

Level = Literal["kecamatan", "kelurahan", "tps"]
LEVELS: Final[tuple[Level, ...]] = ("kecamatan", "kelurahan", "tps")
LEVEL_NAMES_ID: Final[dict[str, str]] = {
    "kecamatan": "kecamatan",
    "kelurahan": "kelurahan/desa",
    "tps": "TPS",
}

# province, regency/city, kecamatan, kelurahan (1xxx) or desa (2xxx), TPS number
_DOTTED: Final = re.compile(
    r"(?P<p>\d{2})\.(?P<r>\d{2})\.(?P<k>\d{2})(?:\.(?P<v>[12]\d{3})(?:\.?(?P<t>\d{3}))?)?",
    re.ASCII,
)
_PLAIN: Final = re.compile(
    r"(?P<p>\d{2})(?P<r>\d{2})(?P<k>\d{2})(?:(?P<v>[12]\d{3})(?P<t>\d{3})?)?", re.ASCII
)
_GROUPED: Final = re.compile(r"\d{1,3}(?P<sep>[., \u00a0])\d{3}(?:(?P=sep)\d{3})*", re.ASCII)


@dataclass(frozen=True)
class RegionCode:
    """A row's region, normalised: its level, stored code, and the kecamatan/kelurahan above it."""

    level: Level
    code: str
    kecamatan: str
    kelurahan: str | None = None
    tps: int | None = None

    @property
    def region(self) -> str:
        """The kota/kabupaten: what an election's region and a user's scope are compared with."""
        return self.code[:5]


class CheckError(ValueError):
    """One cell refused: a stable code and the message in both languages."""

    def __init__(self, code: str, message_id: str, message_en: str) -> None:
        super().__init__(message_en)
        self.code = code
        self.message_id = message_id
        self.message_en = message_en


def parse_code(raw: str) -> RegionCode:
    """A kecamatan, kelurahan/desa or TPS code in any accepted form, as its stored form."""
    text = raw.strip().replace(" ", "")
    if not text:
        raise CheckError("turnout.code_missing", "kode wilayah kosong", "the region code is empty")
    m = _DOTTED.fullmatch(text) or _PLAIN.fullmatch(text)
    if m is None:
        raise CheckError(
            "turnout.code_format",
            f"kode wilayah '{raw.strip()}' tidak dikenali; gunakan kode Kemendagri (32.73.01 "
            "kecamatan, 32.73.01.1001 kelurahan) atau kode KPU tanpa titik (3273011001), dan "
            "untuk TPS kode kelurahan diikuti 3 digit nomor TPS (3273011001003)",
            f"region code '{raw.strip()}' is not recognised; use a Kemendagri code (32.73.01 for a "
            "kecamatan, 32.73.01.1001 for a kelurahan) or KPU's undotted code (3273011001), and "
            "for a TPS the kelurahan's code followed by a 3-digit TPS number (3273011001003)",
        )
    kecamatan = f"{m['p']}.{m['r']}.{m['k']}"
    if m["v"] is None:
        return RegionCode("kecamatan", kecamatan, kecamatan)
    kelurahan = f"{kecamatan}.{m['v']}"
    if m["t"] is None:
        return RegionCode("kelurahan", kelurahan, kecamatan, kelurahan)
    number = int(m["t"])
    if number == 0:
        raise CheckError(
            "turnout.tps_number",
            f"nomor TPS pada kode '{raw.strip()}' adalah 000; TPS bernomor mulai 001",
            f"the TPS number in code '{raw.strip()}' is 000; TPS are numbered from 001",
        )
    return RegionCode("tps", f"{kelurahan}.{m['t']}", kecamatan, kelurahan, number)


def parse_count(raw: str | int | float, *, label_id: str, label_en: str) -> int:
    """A count of people from a cell: a non-negative whole number, thousands separators allowed.

    A spreadsheet's number cell arrives as a number: 1.234 there is a fraction, never 1234.
    """
    if isinstance(raw, float) and raw.is_integer():
        raw = int(raw)
    if isinstance(raw, int) and raw >= 0:
        return raw
    text = str(raw).strip()
    if not text:
        raise CheckError("turnout.number_missing", f"{label_id} kosong", f"{label_en} is empty")
    if text.startswith("-") and re.fullmatch(r"-\s*[\d.,]+", text):
        raise CheckError(
            "turnout.number_negative",
            f"{label_id} '{text}' negatif; jumlah pemilih tidak boleh kurang dari 0",
            f"{label_en} '{text}' is negative; a count of voters cannot be below 0",
        )
    if text.isascii() and text.isdigit():
        return int(text)
    if isinstance(raw, str) and _GROUPED.fullmatch(text):
        return int(re.sub(r"\D", "", text))
    raise CheckError(
        "turnout.number_invalid",
        f"{label_id} '{text}' bukan bilangan bulat (contoh: 1234 atau 1.234; tanpa desimal)",
        f"{label_en} '{text}' is not a whole number (e.g. 1234 or 1.234; no decimals)",
    )
