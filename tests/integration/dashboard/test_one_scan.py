"""The dashboard at season scale (issue 10): a report keeps the OPD of the ASN it names, a page
reads the reports once and the cases once, pledge coverage counts the ASN once, and migration
0015 fills the OPD of the reports already received. SQLite and PostgreSQL."""

from __future__ import annotations

import os
from datetime import date, timedelta
from pathlib import Path

import pytest
from sqlalchemy import event, inspect, literal, select, text, union_all

from netral.core.closures import calendar_for
from netral.core.migrate import downgrade, upgrade
from netral.core.security import Scope
from netral.core.storage import LocalEvidenceStore
from netral.dashboard.filters import context, read_filters
from netral.dashboard.sections import AUDIENCES, build
from netral.pledges import service as pledges
from netral.registry import service as registry
from netral.registry.models import Asn
from netral.reports import service as reports
from netral.reports.models import Report
from netral.reports.schemas import ReportIn
from netral.rules import load_rulebook

from support.season import TODAY, add_report, seed_season, wib
from support.web import seed_world

BANDUNG = Scope("region", "32.73")
BACKENDS = os.environ.get("NETRAL_TEST_BACKENDS", "sqlite,postgresql").split(",")


def test_a_report_naming_an_asn_keeps_that_asns_opd(db, tmp_path: Path) -> None:
    world = seed_world(db)
    today = date.today()
    receipt = reports.submit_report(
        db_session=db,
        store=LocalEvidenceStore(tmp_path / "evidence"),
        rulebook=load_rulebook(),
        calendar=calendar_for(db),
        form=ReportIn(
            description="Kepala seksi berpose dua jari di samping spanduk paslon di kantor.",
            kecamatan="32.73.01",
            occurred_on=today - timedelta(days=1),
            known_on=today,
            category="SKB-07",
            reported_name="Budi Santoso",
            reported_nip="19850312 201001 1 003",
            anonymous=True,
        ),
    )
    db.commit()
    report = db.scalar(select(Report).where(Report.number == receipt.report.number))
    assert report is not None and report.reported_asn_id == world.bandung_asn[0]
    assert report.reported_opd_id == world.dishub_id
    window = reports.ReportWindow(BANDUNG)
    assert [
        (t.key, t.n) for t in reports.reports_by_reported_opd(db_session=db, window=window)
    ] == [(str(world.dishub_id), 1)]


@pytest.fixture
def season(db):
    world = seed_world(db)
    return seed_season(db, world.bandung_asn, world.kabbdg_asn)


def test_a_page_reads_the_reports_once_and_the_cases_once(db, season) -> None:
    statements: list[str] = []

    def seen(conn, cursor, statement, *_rest) -> None:
        statements.append(" ".join(statement.split()))

    engine = db.get_bind()
    f = read_filters(db_session=db, scope=BANDUNG)
    ctx = context(db_session=db, scope=BANDUNG, filters=f, rulebook=load_rulebook(), today=TODAY)
    event.listen(engine, "before_cursor_execute", seen)
    try:
        sections = build(ctx, AUDIENCES["bawaslu"].builders)
    finally:
        event.remove(engine, "before_cursor_execute", seen)
    assert len(sections) == len(AUDIENCES["bawaslu"].builders)
    assert sum(" FROM report " in s + " " for s in statements) == 1, statements
    assert sum(" FROM case_file " in s + " " for s in statements) == 1, statements
    # the counts are the ones the rows imply (as test_aggregates checks them one by one)
    built = {s.key: s for s in sections}
    assert built["laporan_harian"].figures[0].total == season.reports_in_window
    assert sorted(v[0] for _, v in built["laporan_opd"].figures[0].rows) == [2, 3]


def test_a_new_window_counts_what_was_written_since(db, season) -> None:
    f = read_filters(db_session=db, scope=BANDUNG)
    window = reports.ReportWindow(BANDUNG, f.since, f.until)
    before = reports.count_reports(db_session=db, window=window)
    add_report(db, received=wib(date(2024, 10, 9)))
    # the window remembers its one scan; a new window sees the new report
    assert reports.count_reports(db_session=db, window=window) == before
    again = reports.ReportWindow(BANDUNG, f.since, f.until)
    assert reports.count_reports(db_session=db, window=again) == before + 1


def test_asn_marks_by_place_counts_each_asn_once_with_its_mark(db) -> None:
    world = seed_world(db)
    budi, siti, andi = world.bandung_asn
    # one row per ASN at most, as a campaign's signatures are; an id no ASN has is ignored
    marks = union_all(
        *(
            select(literal(asn_id).label("asn_id"), literal(mark).label("mark"))
            for asn_id, mark in ((budi, "online"), (siti, "paper"), (999999, "online"))
        )
    )
    got = sorted(
        (c.opd_id == world.dishub_id, c.unit_key, c.mark, c.asn)
        for c in registry.asn_marks_by_place(db_session=db, region_code="32.73", marks=marks)
    )
    assert got == [(False, 0, "paper", 1), (True, 0, "online", 1)]
    heads = {
        c.opd: c.asn
        for c in registry.headcount_by_opd(db_session=db, scope=BANDUNG, region_code="32.73")
    }
    assert heads == {"Dinas Perhubungan": 1, "Dinas Pendidikan": 2}
    assert andi  # Andi signed nothing: counted in his OPD, not marked
    assert pledges.totals(db_session=db, scope=BANDUNG) is None  # no campaign: nothing counted


def test_0015_fills_the_opd_of_reports_already_received(empty_engine) -> None:
    upgrade(empty_engine, "0014")
    with empty_engine.begin() as c:
        c.execute(
            text(
                "INSERT INTO wilayah (code, name, level, parent_code, region_code) "
                "VALUES ('32.73', 'Kota Bandung', 'kota', NULL, '32.73')"
            )
        )
        c.execute(
            text(
                "INSERT INTO opd (id, region_code, code, name, kind) "
                "VALUES (7, '32.73', 'DISHUB', 'Dinas Perhubungan', 'dinas')"
            )
        )
        c.execute(
            text(
                "INSERT INTO asn (id, nip, name, kind, position, golongan, opd_id, region_code, "
                "is_active, created_at, updated_at) VALUES (3, '198503122010011003', 'Budi', "
                "'PNS', 'Staf', 'III/a', 7, '32.73', TRUE, '2024-10-01 00:00:00+00:00', "
                "'2024-10-01 00:00:00+00:00')"
            )
        )
        for rid, asn in ((1, "3"), (2, "NULL")):
            c.execute(
                text(
                    "INSERT INTO report (id, number, region_code, kind, channel, status, "
                    "anonymous, receipt_mac, reported_name, reported_nip, reported_position, "
                    "reported_address, reported_phone, reported_asn_id, description, place, "
                    "occurred_on, known_on, witnesses, links, rulebook_version, filing_due_on, "
                    "is_late, formal_check, status_reason, created_at, updated_at) VALUES "
                    f"({rid}, 'LAP-2024-00000{rid}', '32.73', 'informasi_awal', 'publik', 'baru', "
                    f"TRUE, '', '', '', '', '', '', {asn}, 'uraian', '', '2024-10-01', "
                    "'2024-10-01', '', '[]', '2024.2', '2024-10-07', FALSE, '[]', '', "
                    "'2024-10-01 00:00:00+00:00', '2024-10-01 00:00:00+00:00')"
                )
            )
    upgrade(empty_engine)
    with empty_engine.connect() as c:
        got = c.execute(text("SELECT id, reported_opd_id FROM report ORDER BY id")).all()
    assert [tuple(r) for r in got] == [(1, 7), (2, None)]
    # the indexes the models declare are the ones the migrations made
    insp = inspect(empty_engine)
    for table in (Report.__table__, Asn.__table__):
        declared = {i.name for i in table.indexes}
        assert declared <= {i["name"] for i in insp.get_indexes(table.name)}, table.name
    assert "ix_asn_id_opd" not in {i["name"] for i in insp.get_indexes("asn")}
    downgrade(empty_engine, "0014")
    with empty_engine.connect() as c:
        assert c.execute(text("SELECT count(*) FROM report")).scalar() == 2
    upgrade(empty_engine)
