"""The dashboards read reports through kept day counts: whatever was written, summarised or not,
they must say what counting the reports themselves says. SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import date

from sqlalchemy import func, select

from netral.core.security import Scope
from netral.reports import service as reports
from netral.reports import summary
from netral.reports.models import Report, ReportDayDirty, ReportDaySummary

from support.season import add_report, seed_season, wib
from support.web import seed_world

BANDUNG = Scope("region", "32.73")
WEST_JAVA = Scope("province", "32")


def _window(scope: Scope = BANDUNG, region: str | None = None) -> reports.ReportWindow:
    return reports.ReportWindow(scope, date(2024, 7, 24), date(2025, 2, 25), region)


def _shown(db, window: reports.ReportWindow):
    b = reports.report_breakdown(db_session=db, window=window)
    pairs = lambda ts: sorted(((t.key is not None, t.key or ""), t.n) for t in ts)  # noqa: E731
    return (
        b.total,
        pairs(b.by_day),
        pairs(b.by_category),
        pairs(b.by_kecamatan),
        pairs(b.by_status),
        pairs(b.by_opd),
        pairs(b.by_subject),
    )


def _expected(db, window: reports.ReportWindow):
    groups = summary.count_reports(db, reports.window_where(window))
    pairs = lambda g: sorted(((k is not None, k or ""), n) for k, n in g.items())  # noqa: E731
    return (
        sum(groups[0].values()),
        pairs(groups[0]),
        pairs(groups[1]),
        pairs(groups[2]),
        pairs(groups[3]),
        pairs({k: n for k, n in groups[4].items() if k is not None}),
        pairs(groups[5]),
    )


def _check_all(db) -> None:
    for window in (_window(), _window(WEST_JAVA), _window(WEST_JAVA, "32.73")):
        assert _shown(db, window) == _expected(db, window)


def test_kept_counts_agree_with_the_reports_through_every_change(db) -> None:
    world = seed_world(db)
    seed_season(db, world.bandung_asn, world.kabbdg_asn)
    db.commit()
    # nothing summarised yet: every day with reports is marked changed by the flushes
    assert db.scalar(select(func.count()).select_from(ReportDayDirty)) > 0
    _check_all(db)
    days = summary.summarise(db)
    db.commit()
    assert days > 0
    assert db.scalar(select(func.count()).select_from(ReportDayDirty)) == 0
    assert db.scalar(select(func.count()).select_from(ReportDaySummary)) > 0
    _check_all(db)
    # a status and a category change, a new report, a report moved to another day
    first, second = db.scalars(select(Report).where(Report.region_code == "32.73").limit(2))
    first.status = "ditolak"
    second.category = "SKB-03"
    second.created_at = wib(date(2024, 11, 20))
    add_report(db, received=wib(date(2024, 10, 9)), category="SKB-05")
    db.commit()
    _check_all(db)  # the changed days are read from the reports until summarised again
    summary.summarise(db)
    db.commit()
    _check_all(db)
    b = reports.report_breakdown(db_session=db, window=_window())
    assert ("SKB-03", 1) in [(t.key, t.n) for t in b.by_category]


def test_a_rolled_back_change_leaves_no_mark(db) -> None:
    world = seed_world(db)
    seed_season(db, world.bandung_asn, world.kabbdg_asn)
    db.commit()
    summary.summarise(db)
    db.commit()
    add_report(db, received=wib(date(2024, 10, 9)))
    db.flush()
    assert db.scalar(select(func.count()).select_from(ReportDayDirty)) == 1
    db.rollback()
    assert db.scalar(select(func.count()).select_from(ReportDayDirty)) == 0
    _check_all(db)


def test_a_view_of_unchanged_reports_marks_nothing(db) -> None:
    world = seed_world(db)
    seed_season(db, world.bandung_asn, world.kabbdg_asn)
    db.commit()
    summary.summarise(db)
    db.commit()
    r = db.scalars(select(Report)).first()
    r.description = r.description + " (dibaca ulang)"  # not a counted column
    db.commit()
    assert db.scalar(select(func.count()).select_from(ReportDayDirty)) == 0


def test_the_job_counts_changed_days_in_its_own_transaction(db, engine) -> None:
    from netral.reports.jobs import run_summary

    world = seed_world(db)
    seed_season(db, world.bandung_asn, world.kabbdg_asn)
    db.commit()
    assert run_summary(engine) > 0
    assert run_summary(engine) == 0  # nothing changed since: nothing to count, nothing written
    db.expire_all()
    assert db.scalar(select(func.count()).select_from(ReportDayDirty)) == 0
    _check_all(db)
