"""Reports counted per region and WIB day, kept so a dashboard page need not read every report.

A season's dashboard counts its reports by day, category, kecamatan, status, reported OPD,
subject and kind of place. Reading 80,000 reports for that took 100-300 ms per cold page on
PostgreSQL, most of the page; the counts of a day barely change once the day is over.

How the counts stay right
-------------------------
- Every flush that adds, deletes or changes a counted column of a report appends a row
  (region, day) to `report_day_dirty` in the same transaction (`_mark_changed_days`). Rows are
  only appended, never updated, so intakes never wait for one another.
- The `reports-summary` job (every minute) takes the dirty rows with one DELETE … RETURNING and
  counts those days again, in one transaction: a row appended by a transaction that commits
  after that DELETE stays behind for the next run.
- A reader takes the dirty days first, then the kept counts of every other day, then counts the
  dirty days from the reports themselves (`breakdown`). Whatever the job commits in between,
  each day is counted once, from its kept counts or from its reports. With no job running (tests,
  a fresh database) every changed day is simply counted from the reports.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date, datetime, time, timedelta
from typing import Any

from sqlalchemy import (
    String,
    Table,
    and_,
    case,
    cast,
    delete,
    event,
    func,
    insert,
    inspect,
    literal,
    literal_column,
    or_,
    select,
    tuple_,
    union_all,
)
from sqlalchemy.orm import Session, UOWTransaction

from netral.core.calendar import WIB, to_wib_date
from netral.reports.models import Report, ReportDayDirty, ReportDaySummary

DIRTY: Table = ReportDayDirty.__table__  # type: ignore[assignment]
# the groupings, in the order of `ReportBreakdown`'s lists (0: the WIB day)
DIMS = ("day", "category", "kecamatan", "status", "reported_opd", "subject", "place_kind")
# the columns whose change moves a report from one count to another
COUNTED = (
    "region_code",
    "created_at",
    "category",
    "kecamatan_code",
    "status",
    "reported_opd_id",
    "subject",
    "place_kind",
)
NOT_A_PROP = "~"  # the kind of place of a report that is not about a campaign prop
# past this many changed days in a window, one pass over its reports beats one per day
MAX_DIRTY_DAYS = 45


def wib_day_start(day: date) -> datetime:
    """Midnight WIB at the start of `day`, as an aware datetime (compares with UTC columns)."""
    return datetime.combine(day, time(), tzinfo=WIB)


def wib_day(db_session: Session, column: Any) -> Any:
    """The WIB calendar day of a UTC timestamp column, in the database's own dialect."""
    if db_session.get_bind().dialect.name == "postgresql":
        # WIB is UTC+7 all year (no daylight saving): shifting by 7 hours gives the same day as
        # timezone('Asia/Jakarta', ...) and cost a third less per row on 80,000 rows
        return func.date(func.timezone("UTC", column) + literal_column("interval '7 hours'"))
    return func.date(column, "+7 hours")  # SQLite keeps UTC text; date() shifts and truncates


def _keys(db_session: Session) -> tuple[Any, ...]:
    return (
        wib_day(db_session, Report.created_at),
        Report.category,
        Report.kecamatan_code,
        Report.status,
        Report.reported_opd_id,
        Report.subject,
        # the kind of place counts for campaign-prop reports only; the others share one marker
        case((Report.subject == "apk", Report.place_kind), else_=literal(NOT_A_PROP)),
    )


Groups = list[dict[str | None, int]]


def _empty() -> Groups:
    return [{} for _ in DIMS]


def _text(key: Any) -> str | None:
    return None if key is None else str(key)


def count_reports(db_session: Session, where: Sequence[Any]) -> Groups:
    """Every grouping of the reports `where` selects, in ONE pass over their index entries
    (GROUPING SETS on PostgreSQL; SQLite, which has none, a UNION ALL of the groupings)."""
    keys = _keys(db_session)
    groups = _empty()
    if db_session.get_bind().dialect.name == "postgresql":
        # GROUPING(k1..kn) has bit (n - 1 - i) set when key i is not grouped in that row's set
        stmt = (
            select(func.grouping(*keys), *keys, func.count())
            .select_from(Report)
            .where(*where)
            .group_by(func.grouping_sets(*keys))
        )
        masks = {(2 ** len(keys) - 1) ^ (1 << (len(keys) - 1 - i)): i for i in range(len(keys))}
        for row in db_session.execute(stmt):
            i = masks[int(row[0])]
            groups[i][_text(row[1 + i])] = int(row[-1])
        return groups
    parts = [
        select(literal(i).label("g"), cast(k, String).label("k"), func.count().label("n"))
        .select_from(Report)
        .where(*where)
        .group_by(k)
        for i, k in enumerate(keys)
    ]
    for g, k, n in db_session.execute(union_all(*parts)):
        groups[int(g)][_text(k)] = int(n)
    return groups


def _add(into: Groups, more: Groups) -> None:
    for mine, theirs in zip(into, more, strict=True):
        for k, n in theirs.items():
            mine[k] = mine.get(k, 0) + n


def _day_range(region_code: str, day: date) -> Any:
    return and_(
        Report.region_code == region_code,
        Report.created_at >= wib_day_start(day),
        Report.created_at < wib_day_start(day + timedelta(days=1)),
    )


def breakdown(
    db_session: Session,
    *,
    region: Callable[[Any], Any],
    since: date | None,
    until: date | None,
    report_where: Sequence[Any],
) -> Groups:
    """The window's groupings: the kept counts of its settled days, and the changed days counted
    from their reports. `region` filters a region_code column; `report_where` is the window."""
    d = ReportDayDirty
    dirty_where: list[Any] = [region(d.region_code)]
    if since is not None:
        dirty_where.append(d.day >= since)
    if until is not None:
        dirty_where.append(d.day <= until)
    # first the changed days: a summary committed after this read leaves them counted live
    dirty = sorted(set(db_session.execute(select(d.region_code, d.day).where(*dirty_where)).all()))
    if len(dirty) > MAX_DIRTY_DAYS:
        return count_reports(db_session, report_where)
    s = ReportDaySummary
    kept_where: list[Any] = [region(s.region_code)]
    if since is not None:
        kept_where.append(s.day >= since)
    if until is not None:
        kept_where.append(s.day <= until)
    if dirty:
        kept_where.append(tuple_(s.region_code, s.day).not_in([tuple(r) for r in dirty]))
    groups = _empty()
    for dim, key, n in db_session.execute(
        select(s.dim, s.key, func.sum(s.n)).where(*kept_where).group_by(s.dim, s.key)
    ):
        groups[dim][key or None] = int(n)
    if dirty:
        changed = or_(*(_day_range(r, day) for r, day in dirty))
        _add(groups, count_reports(db_session, [*report_where, changed]))
    return groups


# ---------------------------------------------------------------- writers mark, the job counts


def _changed_days(db_session: Session) -> set[tuple[str, date]]:
    days: set[tuple[str, date]] = set()
    for obj in (*db_session.new, *db_session.deleted):
        if isinstance(obj, Report) and obj.created_at is not None:
            days.add((obj.region_code, to_wib_date(obj.created_at)))
    for obj in db_session.dirty:
        if not isinstance(obj, Report):
            continue
        state = inspect(obj)
        histories = [state.attrs[c].history for c in COUNTED]
        if not any(h.has_changes() for h in histories):
            continue
        now_at = obj.created_at
        if now_at is not None:
            days.add((obj.region_code, to_wib_date(now_at)))
        # a report moved to another region or day leaves its old one changed too
        region_h, created_h = histories[0], histories[1]
        old_region = (region_h.deleted or [obj.region_code])[0]
        old_at = (created_h.deleted or [now_at])[0]
        if old_region is not None and old_at is not None:
            days.add((old_region, to_wib_date(old_at)))
    return days


def _mark_changed_days(db_session: Session, flush_context: UOWTransaction) -> None:
    del flush_context
    days = _changed_days(db_session)
    if days:
        # Core on the flush's own connection: the same transaction, and no second flush
        db_session.connection().execute(
            insert(DIRTY),
            [{"region_code": r, "day": d} for r, d in sorted(days)],
        )


def install_session_hooks() -> None:
    """Mark the changed days of every flush (idempotent)."""
    if not event.contains(Session, "after_flush", _mark_changed_days):
        event.listen(Session, "after_flush", _mark_changed_days)


def summarise(db_session: Session) -> int:
    """Count again every day marked changed; the caller commits. Returns the days counted."""
    if db_session.execute(select(DIRTY.c.id).limit(1)).first() is None:
        return 0  # nothing changed: no write (SQLite would take its one write lock for nothing)
    taken = db_session.execute(delete(DIRTY).returning(DIRTY.c.region_code, DIRTY.c.day)).all()
    days = sorted(
        {(str(r), d if isinstance(d, date) else date.fromisoformat(str(d))) for r, d in taken}
    )
    s = ReportDaySummary
    for region_code, day in days:
        db_session.execute(delete(s).where(s.region_code == region_code, s.day == day))
        groups = count_reports(db_session, [_day_range(region_code, day)])
        rows = [
            {"region_code": region_code, "day": day, "dim": i, "key": key or "", "n": n}
            for i, group in enumerate(groups)
            for key, n in group.items()
        ]
        if rows:
            db_session.execute(insert(s), rows)
    return len(days)


def mark_every_day(db_session: Session) -> int:
    """Mark every day that has reports as changed (after a bulk load that bypassed the ORM)."""
    day = wib_day(db_session, Report.created_at)
    found = db_session.execute(select(Report.region_code, day).group_by(Report.region_code, day))
    rows = [
        {"region_code": r, "day": d if isinstance(d, date) else date.fromisoformat(str(d))}
        for r, d in found
    ]
    if rows:
        db_session.execute(insert(ReportDayDirty), rows)
    return len(rows)
