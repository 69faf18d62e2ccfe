"""Working days in Indonesia: weekends, public holidays, cuti bersama (`holidays`), closure days.

Deadlines count days in the rulebook's sense: calendar days, or working days that skip weekends,
Indonesian public holidays, the cuti bersama of the ministers' joint decree (the `holidays`
package's `government` category for Indonesia) and any closure day an admin adds.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import UTC, date, datetime, timedelta
from typing import Literal
from zoneinfo import ZoneInfo

import holidays

WIB = ZoneInfo("Asia/Jakarta")

DayKind = Literal["calendar", "working"]

CLOSURE_NAME = "Penutupan kantor / cuti bersama"


def to_wib_date(dt: datetime) -> date:
    """The date in Jakarta of an instant; a naive datetime is taken as UTC (we store UTC)."""
    if dt.tzinfo is None:
        dt = dt.replace(tzinfo=UTC)
    return dt.astimezone(WIB).date()


class WorkingCalendar:
    """Indonesian working days; `closures` are extra days off, `weekend` weekday numbers (Mon=0).

    `cuti_bersama=False` counts only public holidays (an office that works on joint leave days).
    """

    def __init__(
        self,
        closures: Iterable[date] | Mapping[date, str] = (),
        weekend: Iterable[int] = (5, 6),
        language: str = "id",
        cuti_bersama: bool = True,
    ) -> None:
        if isinstance(closures, Mapping):
            self._closures: dict[date, str] = dict(closures)
        else:
            self._closures = dict.fromkeys(closures, CLOSURE_NAME)
        self._weekend = frozenset(weekend)
        if not self._weekend <= set(range(7)):
            raise ValueError(f"weekend days must be 0..6 (Monday=0), got {sorted(self._weekend)}")
        if len(self._weekend) == 7:
            raise ValueError("a week needs at least one working day")
        # Cuti bersama (SKB of the ministers, each year) are days off for the civil service, so a
        # working-day deadline skips them: `holidays` ships them as Indonesia's GOVERNMENT category.
        categories = (holidays.PUBLIC, holidays.GOVERNMENT) if cuti_bersama else (holidays.PUBLIC,)
        # expand=True (the default) adds each year the first time a date in it is asked about.
        self._holidays = holidays.country_holidays("ID", language=language, categories=categories)
        self._categories = categories
        self._named: dict[str, holidays.HolidayBase] = {language: self._holidays}

    @property
    def closures(self) -> frozenset[date]:
        return frozenset(self._closures)

    def is_holiday(self, d: date) -> str | None:
        """The name of the public holiday or closure on `d`, or None; weekends are not holidays."""
        names = [n for n in (self._holidays.get(d), self._closures.get(d)) if n]
        return "; ".join(names) if names else None

    def holiday_name(self, d: date, language: str) -> str | None:
        """`is_holiday` with the public holiday named in `language` ("id" or "en")."""
        code = "en_US" if language == "en" else "id"
        if code not in self._named:
            self._named[code] = holidays.country_holidays(
                "ID", language=code, categories=self._categories
            )
        names = [n for n in (self._named[code].get(d), self._closures.get(d)) if n]
        return "; ".join(names) if names else None

    def is_working_day(self, d: date) -> bool:
        return d.weekday() not in self._weekend and self.is_holiday(d) is None

    def add_days(self, start: date, n: int, kind: DayKind) -> date:
        """The date `n` days after `start` (start itself not counted); n=0 gives start."""
        if n < 0:
            raise ValueError(f"n must be >= 0, got {n}")
        if kind == "calendar":
            return start + timedelta(days=n)
        if kind != "working":
            raise ValueError(f"kind must be 'calendar' or 'working', got {kind!r}")
        d = start
        while n > 0:
            d += timedelta(days=1)
            if self.is_working_day(d):
                n -= 1
        return d

    def working_days_between(self, a: date, b: date) -> int:
        """Working days d with a < d <= b; negative when b is before a."""
        if b < a:
            return -self.working_days_between(b, a)
        return sum(self.is_working_day(a + timedelta(days=i)) for i in range(1, (b - a).days + 1))

    def days_left(self, due: date, today: date, kind: DayKind) -> int:
        """Days from `today` to `due` in the given kind; 0 on the due day, negative once overdue."""
        if kind == "calendar":
            return (due - today).days
        if kind != "working":
            raise ValueError(f"kind must be 'calendar' or 'working', got {kind!r}")
        return self.working_days_between(today, due)


# Month names for dates as people read them (pages and letters share them).
MONTHS_ID: tuple[str, ...] = (
    "",
    "Januari",
    "Februari",
    "Maret",
    "April",
    "Mei",
    "Juni",
    "Juli",
    "Agustus",
    "September",
    "Oktober",
    "November",
    "Desember",
)
MONTHS_EN: tuple[str, ...] = (
    "",
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)
