"""Working days across real Indonesian holidays, admin closures and WIB dates."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone

import holidays
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from netral.core.calendar import WIB, WorkingCalendar, to_wib_date

# Cuti bersama around Idul Fitri 2024 (10-11 April): `holidays` ships them (GOVERNMENT category);
# the closure tests below add them by hand to a calendar that leaves them out.
CUTI_BERSAMA_LEBARAN_2024 = [
    date(2024, 4, 8),
    date(2024, 4, 9),
    date(2024, 4, 12),
    date(2024, 4, 15),
]


@pytest.fixture(scope="module")
def cal() -> WorkingCalendar:
    return WorkingCalendar()


def test_public_holidays_are_named(cal: WorkingCalendar) -> None:
    assert cal.is_holiday(date(2024, 8, 17)) == "Hari Kemerdekaan Republik Indonesia"
    assert cal.is_holiday(date(2024, 4, 10)) is not None  # Idul Fitri
    assert cal.is_holiday(date(2024, 12, 25)) is not None  # Christmas
    assert cal.is_holiday(date(2024, 11, 27)) is not None  # Pilkada voting day
    assert cal.is_holiday(date(2024, 9, 6)) is None
    assert cal.is_holiday(date(2024, 9, 7)) is None  # a Saturday is a weekend, not a holiday


def test_working_day_rules(cal: WorkingCalendar) -> None:
    assert cal.is_working_day(date(2024, 9, 6))  # Friday
    assert not cal.is_working_day(date(2024, 9, 7))  # Saturday
    assert not cal.is_working_day(date(2024, 9, 8))  # Sunday
    assert not cal.is_working_day(date(2023, 8, 17))  # Independence Day, a Thursday in 2023


def test_independence_day_on_a_thursday(cal: WorkingCalendar) -> None:
    assert date(2023, 8, 17).weekday() == 3
    assert cal.add_days(date(2023, 8, 16), 1, "working") == date(2023, 8, 18)
    assert cal.add_days(date(2023, 8, 16), 2, "working") == date(2023, 8, 21)


def test_independence_day_on_a_saturday_costs_nothing_extra(cal: WorkingCalendar) -> None:
    assert date(2024, 8, 17).weekday() == 5
    assert cal.add_days(date(2024, 8, 16), 1, "working") == date(2024, 8, 19)
    assert cal.working_days_between(date(2024, 8, 16), date(2024, 8, 19)) == 1


def test_idul_fitri_2024(cal: WorkingCalendar) -> None:
    # 10-11 April 2024 (Wed-Thu) are public holidays; 8-9, 12 and 15 April cuti bersama.
    assert cal.add_days(date(2024, 4, 9), 1, "working") == date(2024, 4, 16)
    assert cal.add_days(date(2024, 4, 8), 3, "working") == date(2024, 4, 18)
    public_only = WorkingCalendar(cuti_bersama=False)
    assert public_only.add_days(date(2024, 4, 9), 1, "working") == date(2024, 4, 12)
    assert public_only.add_days(date(2024, 4, 8), 3, "working") == date(2024, 4, 15)
    assert cal.add_days(date(2024, 4, 8), 3, "calendar") == date(2024, 4, 11)


def test_cuti_bersama_added_by_an_admin() -> None:
    cal = WorkingCalendar(closures=CUTI_BERSAMA_LEBARAN_2024, cuti_bersama=False)
    # Fri 5 Apr: weekend, 8-9 closures, 10-11 Idul Fitri, 12 closure, weekend, 15 closure.
    assert cal.add_days(date(2024, 4, 5), 1, "working") == date(2024, 4, 16)
    assert cal.add_days(date(2024, 4, 5), 7, "calendar") == date(2024, 4, 12)
    assert cal.is_holiday(date(2024, 4, 12)) == "Penutupan kantor / cuti bersama"
    assert cal.closures == frozenset(CUTI_BERSAMA_LEBARAN_2024)
    without = WorkingCalendar(cuti_bersama=False)
    assert without.add_days(date(2024, 4, 5), 1, "working") == date(2024, 4, 8)


def test_cuti_bersama_are_skipped_by_default(cal: WorkingCalendar) -> None:
    # the shipped calendar already knows the 2024 Lebaran joint leave: no admin needed
    assert cal.add_days(date(2024, 4, 5), 1, "working") == date(2024, 4, 16)
    assert cal.is_holiday(date(2024, 4, 12)) == "Cuti Bersama Hari Raya Idul Fitri"
    assert cal.is_holiday(date(2024, 12, 26)) == "Cuti Bersama Hari Raya Natal"
    assert WorkingCalendar(cuti_bersama=False).is_holiday(date(2024, 12, 26)) is None


def test_named_closures_and_holiday_on_the_same_day() -> None:
    cal = WorkingCalendar(closures={date(2024, 12, 26): "Cuti bersama Natal"}, cuti_bersama=False)
    assert cal.is_holiday(date(2024, 12, 26)) == "Cuti bersama Natal"
    both = WorkingCalendar(closures={date(2024, 12, 25): "Kantor tutup"}).is_holiday(
        date(2024, 12, 25)
    )
    assert both is not None and "Kantor tutup" in both and ";" in both


def test_christmas_2024(cal: WorkingCalendar) -> None:
    # 25 Dec Natal, 26 Dec cuti bersama Natal: the next working day after the 24th is the 27th
    assert cal.add_days(date(2024, 12, 24), 1, "working") == date(2024, 12, 27)
    public_only = WorkingCalendar(cuti_bersama=False)
    assert public_only.add_days(date(2024, 12, 24), 1, "working") == date(2024, 12, 26)
    with_cuti = WorkingCalendar(closures=[date(2024, 12, 26)], cuti_bersama=False)
    assert with_cuti.add_days(date(2024, 12, 24), 1, "working") == date(2024, 12, 27)


def test_pilkada_voting_day_is_not_a_working_day(cal: WorkingCalendar) -> None:
    assert cal.add_days(date(2024, 11, 26), 1, "working") == date(2024, 11, 28)


def test_zero_days_is_the_start_and_negative_is_refused(cal: WorkingCalendar) -> None:
    assert cal.add_days(date(2024, 8, 17), 0, "working") == date(2024, 8, 17)
    assert cal.add_days(date(2024, 8, 17), 0, "calendar") == date(2024, 8, 17)
    with pytest.raises(ValueError):
        cal.add_days(date(2024, 8, 17), -1, "working")
    with pytest.raises(ValueError):
        cal.add_days(date(2024, 8, 17), 1, "weekly")  # type: ignore[arg-type]


def test_calendar_days_ignore_weekends_and_holidays(cal: WorkingCalendar) -> None:
    assert cal.add_days(date(2024, 9, 6), 3, "calendar") == date(2024, 9, 9)
    assert cal.add_days(date(2024, 9, 6), 3, "working") == date(2024, 9, 11)


def test_days_left(cal: WorkingCalendar) -> None:
    due = date(2024, 8, 19)  # Monday
    assert cal.days_left(due, date(2024, 8, 16), "working") == 1
    assert cal.days_left(due, date(2024, 8, 16), "calendar") == 3
    assert cal.days_left(due, due, "working") == 0
    assert cal.days_left(due, date(2024, 8, 21), "working") == -2
    assert cal.days_left(due, date(2024, 8, 21), "calendar") == -2


def test_working_days_between_is_signed(cal: WorkingCalendar) -> None:
    assert cal.working_days_between(date(2024, 9, 6), date(2024, 9, 13)) == 5
    assert cal.working_days_between(date(2024, 9, 13), date(2024, 9, 6)) == -5
    assert cal.working_days_between(date(2024, 9, 6), date(2024, 9, 6)) == 0


def test_custom_weekend() -> None:
    six_day_week = WorkingCalendar(weekend=[6])
    assert six_day_week.is_working_day(date(2024, 9, 7))  # Saturday
    assert six_day_week.add_days(date(2024, 9, 6), 1, "working") == date(2024, 9, 7)
    with pytest.raises(ValueError):
        WorkingCalendar(weekend=range(7))
    with pytest.raises(ValueError):
        WorkingCalendar(weekend=[7])


def test_wib_dates() -> None:
    assert to_wib_date(datetime(2024, 9, 6, 20, 0, tzinfo=UTC)) == date(2024, 9, 7)
    assert to_wib_date(datetime(2024, 9, 6, 20, 0)) == date(2024, 9, 7)  # naive is UTC
    assert to_wib_date(datetime(2024, 9, 6, 16, 59, tzinfo=UTC)) == date(2024, 9, 6)
    assert to_wib_date(datetime(2024, 9, 6, 23, 0, tzinfo=WIB)) == date(2024, 9, 6)
    plus_nine = timezone(timedelta(hours=9))  # WIT: 00:30 there is 22:30 the day before in WIB
    assert to_wib_date(datetime(2024, 9, 7, 0, 30, tzinfo=plus_nine)) == date(2024, 9, 6)


SHARED = WorkingCalendar(closures=CUTI_BERSAMA_LEBARAN_2024)
starts = st.dates(min_value=date(2020, 1, 1), max_value=date(2030, 12, 31))


@settings(max_examples=150, deadline=None)
@given(start=starts, n=st.integers(min_value=1, max_value=60))
def test_working_result_is_a_working_day_and_counts_back(start: date, n: int) -> None:
    due = SHARED.add_days(start, n, "working")
    assert SHARED.is_working_day(due)
    assert SHARED.working_days_between(start, due) == n
    assert SHARED.add_days(start, n, "calendar") == start + timedelta(days=n)
    assert due >= start + timedelta(days=n)


@settings(max_examples=150, deadline=None)
@given(start=starts, n=st.integers(min_value=0, max_value=60))
def test_add_days_is_strictly_monotonic(start: date, n: int) -> None:
    for kind in ("working", "calendar"):
        assert SHARED.add_days(start, n + 1, kind) > SHARED.add_days(start, n, kind)


# --- cuti bersama around Christmas 2024 and Idulfitri 2025, against `holidays` itself ---------

REFERENCE = holidays.country_holidays(
    "ID", years=range(2024, 2026), categories=(holidays.PUBLIC, holidays.GOVERNMENT)
)


def _reference_working(d: date) -> bool:
    return d.weekday() < 5 and d not in REFERENCE


def _reference_add(start: date, n: int) -> date:
    """Day-by-day count: the n-th working day after `start`."""
    d = start
    while n:
        d += timedelta(days=1)
        n -= _reference_working(d)
    return d


def _reference_left(due: date, today: date) -> int:
    if due < today:
        return -_reference_left(today, due)
    return sum(
        _reference_working(today + timedelta(days=i)) for i in range(1, (due - today).days + 1)
    )


SEASONS = {
    "christmas_2024": (date(2024, 12, 16), date(2025, 1, 6)),
    "idulfitri_2025": (date(2025, 3, 20), date(2025, 4, 14)),
}


def test_the_reference_holds_the_cuti_bersama() -> None:
    # SKB cuti bersama 2025: 28 Mar (Nyepi), 2-4 and 7 Apr (Idulfitri); 26 Dec 2024 (Natal)
    for d in (date(2024, 12, 26), date(2025, 3, 28), *(date(2025, 4, x) for x in (2, 3, 4, 7))):
        assert d in REFERENCE and not _reference_working(d)


@pytest.mark.parametrize("season", SEASONS)
def test_add_days_matches_a_day_by_day_count(cal: WorkingCalendar, season: str) -> None:
    first, last = SEASONS[season]
    for offset in range((last - first).days + 1):
        start = first + timedelta(days=offset)
        for n in range(1, 15):
            assert cal.add_days(start, n, "working") == _reference_add(start, n), (start, n)


@pytest.mark.parametrize("season", SEASONS)
def test_days_left_matches_a_day_by_day_count(cal: WorkingCalendar, season: str) -> None:
    first, last = SEASONS[season]
    days = [first + timedelta(days=i) for i in range((last - first).days + 1)]
    for due in days:
        for today in days:
            assert cal.days_left(due, today, "working") == _reference_left(due, today), (due, today)


def test_the_seasons_by_hand(cal: WorkingCalendar) -> None:
    # Fri 20 Dec 2024 + 3 working days: 23, 24, (25 Natal, 26 cuti) 27 Dec
    assert cal.add_days(date(2024, 12, 20), 3, "working") == date(2024, 12, 27)
    # Thu 27 Mar 2025 + 1: 28 cuti, weekend, 31 Mar-1 Apr Idulfitri, 2-4 cuti, weekend, 7 cuti
    assert cal.add_days(date(2025, 3, 27), 1, "working") == date(2025, 4, 8)
    assert cal.days_left(date(2025, 4, 8), date(2025, 3, 27), "working") == 1
