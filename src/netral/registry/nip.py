"""NIP: the 18-digit number of an Indonesian civil servant (ASN).

Layout: birth date ``YYYYMMDD`` (0-7), appointment / TMT CPNS ``YYYYMM`` (8-13), sex ``1``/``2``
(14), sequence ``NNN`` (15-17). Written with spaces as often as not: ``19850312 201001 1 003``.

Two ways in, one verdict:

- :func:`parse_nip` builds a :class:`Nip` or raises :class:`ValidationFailed` with a bilingual
  message; it checks with ``int`` and ``date`` like a person would.
- :func:`nip_error` is the bulk-import fast path: it returns only the error code (or ``None``),
  using precomputed tables and string comparisons, and allocates almost nothing. Import a million
  ASN rows and this is as costly as the database insert itself, so it is kept tight.

A hypothesis test holds the two to the same verdict on every input.
"""

from __future__ import annotations

import random
import time
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Final, Literal

from netral.core.errors import Problem, ValidationFailed, problem

__all__ = [
    "CODES",
    "MESSAGES",
    "Nip",
    "describe",
    "make_nip",
    "nip_error",
    "normalise_nip",
    "parse_nip",
]

NIP_LENGTH: Final = 18
MIN_BIRTH_YEAR: Final = 1940
MIN_APPOINTMENT_YEAR: Final = 1960
ADULT_AGE: Final = 18

# Error codes in the order they are checked: an input that breaks several rules gets the first.
# Characters before length: "19850312-201001-1-003" is better told "'-' at position 9" than
# "21 characters".
CODES: Final = (
    "nip.empty",
    "nip.not_digits",
    "nip.length",
    "nip.birth_date",
    "nip.appointment_month",
    "nip.appointment_future",
    "nip.appointment_before_18",
    "nip.sex",
    "nip.sequence",
)

# code -> (Bahasa Indonesia, English). Placeholders are filled by `describe` from the raw input.
MESSAGES: Final[dict[str, tuple[str, str]]] = {
    "nip.empty": (
        "NIP wajib diisi; yang diberikan kosong",
        "NIP is required; the value given is empty",
    ),
    "nip.length": (
        "NIP harus 18 digit angka; yang diberikan {length} karakter",
        "NIP must be 18 digits; the value given has {length} characters",
    ),
    "nip.not_digits": (
        "NIP hanya boleh berisi angka (spasi boleh sebagai pemisah); "
        "ditemukan karakter {bad} di posisi {position}",
        "NIP may contain only digits (spaces are allowed as separators); "
        "found character {bad} at position {position}",
    ),
    "nip.birth_date": (
        "8 digit pertama NIP ({birth}) harus tanggal lahir yang sah (TTTTBBHH), "
        "tidak sebelum tahun 1940 dan tidak setelah hari ini ({today})",
        "the first 8 digits of the NIP ({birth}) must be a valid birth date (YYYYMMDD), "
        "not before 1940 and not after today ({today})",
    ),
    "nip.appointment_month": (
        "digit 9-14 NIP ({appointment}) harus bulan TMT CPNS yang sah (TTTTBB): "
        "bulan 01-12 dan tahun tidak sebelum 1960",
        "digits 9-14 of the NIP ({appointment}) must be a valid appointment month (YYYYMM): "
        "month 01-12 and year not before 1960",
    ),
    "nip.appointment_future": (
        "bulan TMT CPNS pada NIP ({appointment}) berada di masa depan (hari ini {today})",
        "the appointment month in the NIP ({appointment}) is in the future (today is {today})",
    ),
    "nip.appointment_before_18": (
        "bulan TMT CPNS pada NIP ({appointment}) sebelum pemilik berusia 18 tahun "
        "(lahir {birth}, berusia 18 pada {adult})",
        "the appointment month in the NIP ({appointment}) is before the holder turned 18 "
        "(born {birth}, 18 in {adult})",
    ),
    "nip.sex": (
        "digit ke-15 NIP harus 1 (laki-laki) atau 2 (perempuan); yang diberikan {sex}",
        "digit 15 of the NIP must be 1 (male) or 2 (female); the value given is {sex}",
    ),
    "nip.sequence": (
        "3 digit terakhir NIP (nomor urut) tidak boleh 000",
        "the last 3 digits of the NIP (sequence number) must not be 000",
    ),
}


@dataclass(frozen=True, slots=True)
class Nip:
    """A valid NIP, split into its parts."""

    value: str
    birth_date: date
    appointment: tuple[int, int]
    sex: Literal["L", "P"]
    sequence: int

    def formatted(self) -> str:
        """The way it is printed on a decree: ``19850312 201001 1 003``."""
        v = self.value
        return f"{v[:8]} {v[8:14]} {v[14]} {v[15:]}"

    def __str__(self) -> str:
        return self.value


def normalise_nip(raw: str) -> str:
    """Strip surrounding whitespace and drop the spaces people put between the parts."""
    return raw.strip().replace(" ", "")


# ---------------------------------------------------------------------------------------------
# Tables for the fast path
# ---------------------------------------------------------------------------------------------


# Every valid YYYYMMDD from 1940-01-01 through the end of next year -> the YYYYMM of the month
# its holder turns 18. One dict lookup answers "is this a calendar date in range" and hands over
# the adult month (~31k entries). A birth date past the table (only possible with a `today` far
# ahead) goes to the careful path instead of growing the table.
def _build_birth_table(first_year: int, last_year: int) -> dict[str, str]:
    table: dict[str, str] = {}
    day, end, one = date(first_year, 1, 1), date(last_year, 12, 31), timedelta(days=1)
    while day <= end:
        ymd = f"{day.year:04d}{day.month:02d}{day.day:02d}"
        table[ymd] = f"{day.year + ADULT_AGE:04d}{ymd[4:6]}"
        day += one
    return table


_TABLE_LAST_YEAR: Final = date.today().year + 1
_ADULT_MONTH: Final = _build_birth_table(MIN_BIRTH_YEAR, _TABLE_LAST_YEAR)
_TABLE_END: Final = f"{_TABLE_LAST_YEAR:04d}1231"
_MONTHS: Final = frozenset(f"{m:02d}" for m in range(1, 13))
_MIN_APPOINTMENT: Final = f"{MIN_APPOINTMENT_YEAR:04d}01"

# The "today" strings (YYYYMMDD, YYYYMM) for an explicit `today`, memoised per date.
_TODAY_STRINGS: dict[date, tuple[str, str]] = {}


def _today_strings(today: date) -> tuple[str, str]:
    found = _TODAY_STRINGS.get(today)
    if found is None:
        ymd = f"{today.year:04d}{today.month:02d}{today.day:02d}"
        found = (ymd, ymd[:6])
        if len(_TODAY_STRINGS) >= 4096:  # property tests ask for many dates; stay bounded
            _TODAY_STRINGS.clear()
        _TODAY_STRINGS[today] = found
    return found


# For today=None: the local date, its strings, and the epoch second at which they go stale (the
# next local midnight). Reading `time.time()` per row is far cheaper than `date.today()`.
_now_expires = 0.0
_now_date = date.min
_now_ymd = ""
_now_ym = ""


def _refresh_now() -> None:
    global _now_expires, _now_date, _now_ymd, _now_ym
    today = date.today()
    _now_ymd, _now_ym = _today_strings(today)
    _now_date = today
    _now_expires = datetime.combine(today + timedelta(days=1), datetime.min.time()).timestamp()


def nip_error(raw: str, today: date | None = None) -> str | None:
    """The error code for `raw`, or None when it is a valid NIP. Fast path for bulk imports."""
    if today is None:
        if time.time() >= _now_expires:
            _refresh_now()
        today_ymd, today_ym = _now_ymd, _now_ym
    else:
        today_ymd, today_ym = _today_strings(today)
    # str.isascii is O(1) in CPython; the common case (18 clean digits) skips normalisation.
    if len(raw) == NIP_LENGTH and raw.isascii() and raw.isdigit():
        s = raw
    else:
        s = raw.strip().replace(" ", "")
        if not s:
            return "nip.empty"
        if not (s.isascii() and s.isdigit()):
            return "nip.not_digits"
        if len(s) != NIP_LENGTH:
            return "nip.length"
    birth = s[:8]
    adult = _ADULT_MONTH.get(birth)
    if adult is None:
        if birth <= _TABLE_END:  # not a calendar date, or before 1940
            return "nip.birth_date"
        return _check(s, today or _now_date)  # born after the table ends: rare, go slowly
    if birth > today_ymd:
        return "nip.birth_date"
    appointment = s[8:14]
    # Both are YYYYMM strings of digits: lexicographic order is chronological order.
    if s[12:14] not in _MONTHS or appointment < _MIN_APPOINTMENT:
        return "nip.appointment_month"
    if appointment > today_ym:
        return "nip.appointment_future"
    if appointment < adult:
        return "nip.appointment_before_18"
    sex = s[14]
    if sex != "1" and sex != "2":
        return "nip.sex"
    if s[15:] == "000":
        return "nip.sequence"
    return None


# ---------------------------------------------------------------------------------------------
# The careful path
# ---------------------------------------------------------------------------------------------


def _check(s: str, today: date) -> str | None:
    """The same rules as `nip_error`, written plainly with int and date (s is normalised)."""
    if s == "":
        return "nip.empty"
    if not all(c in "0123456789" for c in s):
        return "nip.not_digits"
    if len(s) != NIP_LENGTH:
        return "nip.length"
    by, bm, bd = int(s[0:4]), int(s[4:6]), int(s[6:8])
    try:
        born = date(by, bm, bd)
    except ValueError:
        return "nip.birth_date"
    if by < MIN_BIRTH_YEAR or born > today:
        return "nip.birth_date"
    ay, am = int(s[8:12]), int(s[12:14])
    if not 1 <= am <= 12 or ay < MIN_APPOINTMENT_YEAR:
        return "nip.appointment_month"
    if (ay, am) > (today.year, today.month):
        return "nip.appointment_future"
    if (ay, am) < (by + ADULT_AGE, bm):
        return "nip.appointment_before_18"
    if s[14] not in ("1", "2"):
        return "nip.sex"
    if int(s[15:18]) == 0:
        return "nip.sequence"
    return None


def _fmt_ymd(s: str) -> str:
    return f"{s[:4]}-{s[4:6]}-{s[6:8]}" if len(s) == 8 else s


def _fmt_ym(s: str) -> str:
    return f"{s[:4]}-{s[4:6]}" if len(s) == 6 else s


def describe(code: str, raw: str, *, today: date | None = None) -> Problem:
    """Turn an error code from `nip_error` into a bilingual Problem about `raw`."""
    if code not in MESSAGES:
        raise KeyError(f"unknown NIP error code: {code!r}")
    today = today or date.today()
    s = normalise_nip(raw)
    bad_at = next((i for i, c in enumerate(s) if c not in "0123456789"), None)
    adult = ""
    if len(s) >= 6 and s[:6].isascii() and s[:6].isdigit():
        adult = f"{int(s[:4]) + ADULT_AGE:04d}-{s[4:6]}"
    fields = {
        "value": raw,
        "length": len(s),
        "bad": repr(s[bad_at]) if bad_at is not None else "",
        "position": bad_at + 1 if bad_at is not None else "",
        "birth": _fmt_ymd(s[:8]),
        "appointment": _fmt_ym(s[8:14]),
        "adult": adult,
        "sex": s[14:15] or "-",
        "sequence": s[15:18],
        "today": today.isoformat(),
    }
    message_id, message_en = MESSAGES[code]
    return problem(
        code,
        message_id.format_map(fields),
        message_en.format_map(fields),
        field="nip",
        value=raw,
    )


def parse_nip(raw: str, *, today: date | None = None) -> Nip:
    """Parse and check a NIP; spaces between the parts are accepted and dropped."""
    today = today or date.today()
    s = normalise_nip(raw)
    code = _check(s, today)
    if code is not None:
        raise ValidationFailed(describe(code, raw, today=today))
    return Nip(
        value=s,
        birth_date=date(int(s[0:4]), int(s[4:6]), int(s[6:8])),
        appointment=(int(s[8:12]), int(s[12:14])),
        sex="L" if s[14] == "1" else "P",
        sequence=int(s[15:18]),
    )


# ---------------------------------------------------------------------------------------------
# Generator for tests, demo data and benchmarks
# ---------------------------------------------------------------------------------------------


def make_nip(
    rng: random.Random,
    *,
    birth_year_range: tuple[int, int] = (1960, 2002),
    sex: Literal["L", "P"] | None = None,
    today: date | None = None,
) -> str:
    """A valid NIP, drawn from `rng`: appointed between 18 and 35, never after `today`."""
    today = today or date.today()
    lo_year, hi_year = birth_year_range
    latest_birth = min(date(hi_year, 12, 31), _years_before(today, ADULT_AGE))
    earliest_birth = date(max(lo_year, MIN_BIRTH_YEAR), 1, 1)
    if earliest_birth > latest_birth:
        raise ValueError(
            f"birth_year_range {birth_year_range} leaves nobody aged 18 by {today.isoformat()}"
        )
    if sex not in (None, "L", "P"):
        raise ValueError(f"sex must be 'L', 'P' or None, not {sex!r}")
    born = date.fromordinal(rng.randint(earliest_birth.toordinal(), latest_birth.toordinal()))
    # Months counted from year 0, so YYYYMM ranges become plain integer ranges.
    adult = (born.year + ADULT_AGE) * 12 + born.month - 1
    first = max(adult, MIN_APPOINTMENT_YEAR * 12)
    last = min(adult + 17 * 12, today.year * 12 + today.month - 1)
    appointed = rng.randint(first, last)
    sex_digit = rng.choice("12") if sex is None else ("1" if sex == "L" else "2")
    return (
        f"{born.year:04d}{born.month:02d}{born.day:02d}"
        f"{appointed // 12:04d}{appointed % 12 + 1:02d}"
        f"{sex_digit}{rng.randint(1, 999):03d}"
    )


def _years_before(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February in a year that has none
        return day.replace(year=day.year - years, day=28)
