"""The dashboard's GROUP BY queries against rows we wrote (SQLite and PostgreSQL): every count is
the one the rows imply, scope and window leave the others out, days are WIB days."""

from __future__ import annotations

from datetime import date

import pytest

from netral.cases import service as cases
from netral.core.security import Scope
from netral.dashboard.filters import context, read_filters
from netral.dashboard.sections import AUDIENCES, PUBLIC, build
from netral.reports import service as reports
from netral.rules import load_rulebook

from support.season import COBLONG, SUKASARI, TODAY, seed_season
from support.web import seed_world

BANDUNG = Scope("region", "32.73")


@pytest.fixture
def season(db):
    world = seed_world(db)
    return seed_season(db, world.bandung_asn, world.kabbdg_asn)


def _window(db, scope=BANDUNG):
    f = read_filters(db_session=db, scope=scope)
    return (
        f,
        reports.ReportWindow(scope, f.since, f.until),
        cases.CaseWindow(scope, f.since, f.until),
    )


def test_the_default_window_is_the_latest_election_season(db, season):
    f, _, _ = _window(db)
    assert (f.since, f.until) == (date(2024, 7, 24), date(2025, 2, 25))
    assert "Pilkada Kota Bandung" in f.season.election


def test_report_aggregates_count_what_was_written(db, season):
    _, w, _ = _window(db)
    assert reports.count_reports(db_session=db, window=w) == season.reports_in_window
    assert {
        t.key: t.n for t in reports.reports_by_category(db_session=db, window=w)
    } == season.by_category
    assert {
        t.key: t.n for t in reports.reports_by_kecamatan(db_session=db, window=w)
    } == season.by_kecamatan
    assert {
        t.key: t.n for t in reports.reports_by_status(db_session=db, window=w)
    } == season.by_status
    # the 23:30 WIB report is counted on its Jakarta day
    days = {date.fromisoformat(t.key): t.n for t in reports.reports_by_day(db_session=db, window=w)}
    assert days == season.by_day
    by_opd = reports.reports_by_reported_opd(db_session=db, window=w)
    assert sorted(t.n for t in by_opd) == [2, 3]


def test_a_narrow_window_and_another_scope(db, season):
    narrow = reports.ReportWindow(BANDUNG, date(2024, 10, 9), date(2024, 10, 9))
    assert reports.count_reports(db_session=db, window=narrow) == 3
    kab = reports.ReportWindow(Scope("region", "32.04"), date(2024, 7, 1), date(2025, 3, 1))
    assert reports.count_reports(db_session=db, window=kab) == 1
    national = reports.ReportWindow(Scope("national"), date(2024, 7, 1), date(2025, 3, 1), "32.73")
    assert reports.count_reports(db_session=db, window=national) == season.reports_in_window


def test_case_aggregates(db, season):
    _, _, w = _window(db)
    states = {t.state: t.n for t in cases.cases_by_state(db_session=db, window=w)}
    assert states == season.by_state
    labels = {t.state: t.label_id for t in cases.cases_by_state(db_session=db, window=w)}
    assert labels["rekomendasi_bkn"] == "Rekomendasi BKN diterima"
    f = cases.recommendation_follow_up(db_session=db, window=w, today=TODAY)
    assert (f.issued, f.carried_out, f.not_proven, f.stopped, f.pending, f.pending_overdue) == (
        6, 2, 1, 0, 3, 2,
    )  # fmt: skip
    clocks = {
        t.step: (t.on_time, t.overdue)
        for t in cases.clocks_by_step(db_session=db, window=w, today=TODAY)
    }
    assert clocks == {
        "bawaslu_assessment": (1, 1),
        "ppk_follow_up": (1, 1),
        "sanction_delivery": (0, 1),
    }
    q = cases.ppk_queue(db_session=db, window=w, today=TODAY)
    assert (q.awaiting_decision, q.awaiting_decision_overdue, q.awaiting_delivery,
            q.awaiting_delivery_overdue, q.awaiting_execution) == (2, 1, 1, 1, 0)  # fmt: skip
    levels = {
        (t.track, t.code): (t.decided, t.carried_out)
        for t in cases.sanctions_by_level(db_session=db, window=w)
    }
    assert levels == {
        ("disiplin", "berat"): (2, 1),
        ("disiplin", "sedang"): (1, 1),
        ("etik", "terbuka"): (1, 1),
    }
    opd = {
        t.opd: (t.decided, t.carried_out) for t in cases.sanctions_by_opd(db_session=db, window=w)
    }
    assert opd == {"Dinas Perhubungan": (1, 1), "Dinas Pendidikan": (2, 1)}
    stages = {t.state: t.n for t in cases.cases_by_public_stage(db_session=db, window=w)}
    assert sum(stages.values()) == season.cases and stages["ppk"] == 4


def test_every_section_builds_with_names_not_codes(db, season):
    f = read_filters(db_session=db, scope=BANDUNG)
    ctx = context(db_session=db, scope=BANDUNG, filters=f, rulebook=load_rulebook(), today=TODAY)
    built = {s.key: s for a in AUDIENCES.values() for s in build(ctx, a.builders)}
    cat = built["laporan_kategori"].figures[0]
    labels = [label for label, _ in cat.rows]
    assert labels[0].startswith("7. ") and all("SKB-" not in lbl for lbl in labels)
    kec = dict(built["laporan_kecamatan"].figures[0].rows)
    assert kec["Sukasari"] == (4,) and kec["Coblong"] == (3,)
    assert SUKASARI not in kec and COBLONG not in kec
    assert "2 dari 6 rekomendasi (33%)" in built["tindak_lanjut"].lead
    days = built["laporan_harian"].figures[0]
    assert len(days.rows) == (f.until - f.since).days + 1 and days.total == 8


def test_public_sections_mask_small_counts(db, season):
    f = read_filters(db_session=db, scope=BANDUNG)
    ctx = context(db_session=db, scope=BANDUNG, filters=f, rulebook=load_rulebook(), today=TODAY)
    for section in build(ctx, PUBLIC):
        for fig in section.figures:
            for _, values in fig.rows:
                assert all(not isinstance(v, int) or v >= 5 for v in values), (fig.key, values)
