"""The pledge, briefing, turnout and campaign-prop sections over the demo season's rows (SQLite
and PostgreSQL): each figure carries the numbers the owning domain's service computes, by name,
lowest first; an OPD-bound login sees its OPD only; the public sections mask small counts."""

from __future__ import annotations

import pytest

from netral.briefings import service as briefings
from netral.core.security import Scope
from netral.dashboard.disclosure import Masked
from netral.dashboard.filters import context, read_filters
from netral.dashboard.sections import (
    AUDIENCES,
    PUBLIC,
    SEASON_REPORT,
    apk_reports,
    briefing_coverage,
    briefing_coverage_opd,
    build,
    percent_text,
    pledge_coverage,
    turnout_by_kecamatan,
)
from netral.pledges import service as pledges
from netral.registry import service as registry
from netral.rules import load_rulebook
from netral.turnout import service as turnout

from support.demo_season import CITY, load_demo_season

BANDUNG = Scope("region", CITY)


@pytest.fixture
def demo(db, tmp_path):
    load_demo_season(db, tmp_path, asn=300)
    return db


def _ctx(db, scope=BANDUNG, **kw):
    f = read_filters(db_session=db, scope=scope, region=kw.pop("region", ""))
    return context(db_session=db, scope=scope, filters=f, rulebook=load_rulebook(), **kw)


def _pledge_section_is_the_pledge_service_lowest_first(demo):
    ctx = _ctx(demo)
    assert ctx.election_code  # the season's election, for turnout
    s = pledge_coverage(ctx)
    campaign = pledges.get_campaign(db_session=demo, scope=BANDUNG)
    want = pledges.campaign_coverage(db_session=demo, scope=BANDUNG, campaign=campaign)
    fig = s.figure("per_opd")
    assert [label for label, _ in fig.rows] == [r.opd for r in want]
    assert [v[:3] for _, v in fig.rows] == [(r.asn, r.signed, r.asn - r.signed) for r in want]
    assert fig.rows[0][0] == "Dinas Perhubungan"  # the SCENARIO's laggard, first
    t = pledges.totals(db_session=demo, scope=BANDUNG)
    facts = {f.label: f.value for f in s.facts}
    assert (facts["ASN diminta berikrar"], facts["Sudah berikrar"]) == (t.asn, t.signed)
    assert (facts["Daring (kode surel)"], facts["Lembar kertas"]) == (t.online, t.paper)
    assert facts["Penanda tangan deklarasi bersama"] == t.joint_signatories > 0
    assert facts["Persentase"] == percent_text(t.percent)
    assert "Terendah: Dinas Perhubungan" in s.lead
    header, body = fig.table()
    assert header == ["OPD", "ASN", "Sudah ikrar", "Belum", "%"] and len(body) == len(want)
    assert 'role="img"' in fig.chart() and "Dinas Perhubungan" in fig.chart()


def _briefing_sections_are_the_briefing_service(demo):
    ctx = _ctx(demo)
    t = briefings.totals(db_session=demo, scope=BANDUNG)
    s = briefing_coverage(ctx)
    assert f"{t.camat_briefed} dari {t.camat} camat" in s.lead and t.camat == 30
    assert f"{t.lurah_briefed} dari {t.lurah} lurah" in s.lead and t.lurah == 151
    facts = {f.label: f.value for f in s.facts}
    assert facts["Tidak hadir di semua sesi"] == t.missed_all > 0
    assert facts["Sosialisasi diadakan"] == t.events
    area = {a.kecamatan: a for a in briefings.coverage_by_kecamatan(db_session=demo, scope=BANDUNG)}
    rows = dict(s.figure("per_kecamatan").rows)
    assert set(rows) == set(area)
    for name, (camat, briefed, lurah) in rows.items():
        assert (camat == "Sudah", briefed, lurah) == (
            area[name].camat_briefed, area[name].lurah_briefed, area[name].lurah,
        )  # fmt: skip
    shares = [b / n for _, (_, b, n) in s.figure("per_kecamatan").rows]
    assert shares == sorted(shares)  # the chart's bars run lowest first
    not_briefed = [a.kecamatan for a in area.values() if not a.camat_briefed]
    assert not_briefed and all(name in s.note for name in not_briefed)
    assert s.link and s.link[0] == "/sosialisasi/cakupan"
    opd = briefing_coverage_opd(ctx)
    want = {o.opd: o for o in briefings.coverage_by_opd(db_session=demo, scope=BANDUNG)}
    got = dict(opd.figure("per_opd").rows)
    assert {k: (v[0] == "Sudah", v[1], v[2]) for k, v in got.items()} == {
        k: (o.briefed, o.invited, o.attended) for k, o in want.items()
    }
    assert next(iter(got.values()))[0] == "Belum"  # the OPD not yet briefed come first


def _turnout_section_is_the_turnout_service(demo):
    ctx = _ctx(demo)
    s = turnout_by_kecamatan(ctx)
    want = turnout.by_kecamatan(db_session=demo, scope=BANDUNG, election_code=ctx.election_code)
    t = turnout.totals(db_session=demo, scope=BANDUNG, election_code=ctx.election_code)
    fig = s.figure("per_kecamatan")
    assert [(label, v[0], v[1], v[3]) for label, v in fig.rows] == [
        (k.name, k.dpt, k.voters, k.gap) for k in want
    ]
    assert fig.target == t.target == 82.9
    assert f"Partisipasi {percent_text(t.percent)}" in s.lead
    below = sum(1 for k in want if k.gap)
    assert f"{below} dari {len(want)} kecamatan" in s.lead
    assert 'stroke-dasharray="4 3"' in fig.chart()  # the target line


def _apk_section_counts_reports_by_subject_and_place(demo):
    ctx = _ctx(demo)
    s = apk_reports(ctx)
    subjects = dict(s.figure("per_subjek").rows)
    assert subjects == {"Netralitas ASN": (5,), "Alat peraga kampanye (APK)": (3,)}
    places = s.figure("apk_tempat")
    assert places.total == 3 and sum(v[0] for _, v in places.rows) == 3
    labels = [label for label, _ in places.rows]
    assert "Tempat ibadah" in labels and all("_" not in lbl for lbl in labels)  # names, not codes
    category = dict(build(ctx, [AUDIENCES["bawaslu"].builder("reports_by_category")])[0]
                    .figures[0].rows)  # fmt: skip
    assert not any(label in ("APK-01", "APK-02") for label in category)


def _an_opd_bound_login_sees_its_own_opd(demo):
    dishub = registry.opd_by_code(db_session=demo, region_code=CITY, code="DISHUB")
    assert dishub is not None and dishub.name == "Dinas Perhubungan"
    ctx = _ctx(demo, opd_id=dishub.id)
    sections = build(ctx, AUDIENCES["opd"].builders)
    pledge, briefed = sections
    campaign = pledges.get_campaign(db_session=demo, scope=BANDUNG)
    (mine,) = pledges.campaign_coverage(
        db_session=demo, scope=BANDUNG, campaign=campaign, opd_id=dishub.id
    )
    units = pledge.figure("per_unit")
    assert sum(v[0] for _, v in units.rows) == mine.asn
    assert sum(v[1] for _, v in units.rows) == mine.signed
    assert f"{mine.signed} dari {mine.asn} ASN" in pledge.lead and "Terendah" not in pledge.lead
    assert [label for label, _ in briefed.figure("per_opd").rows] == ["Dinas Perhubungan"]
    text = repr(sections)
    assert "Dinas Pendidikan" not in text and "Dinas Kesehatan" not in text


def _a_region_filter_gives_the_regions_own_numbers(demo):
    national = _ctx(demo, scope=Scope("national"), region=CITY)
    city = _ctx(demo)
    for builder in (pledge_coverage, briefing_coverage, turnout_by_kecamatan):
        assert builder(national).figures == builder(city).figures, builder.__name__


def test_public_sections_show_no_small_count_and_no_office_name(demo):
    ctx = _ctx(demo)
    sections = {s.key: s for s in build(ctx, PUBLIC)}
    assert {"ikrar", "sosialisasi", "partisipasi"} <= set(sections)
    for key in ("ikrar", "sosialisasi"):
        for fig in sections[key].figures:
            for _, values in fig.rows:
                assert all(not isinstance(v, int) or v >= 5 for v in values), (key, values)
        for fact in sections[key].facts:
            assert not isinstance(fact.value, int) or fact.value >= 5
    text = repr([sections["ikrar"], sections["sosialisasi"]])
    assert "Dinas" not in text and "Kecamatan " not in text
    # camat and OPD not briefed are few: masked, and their complement hidden with them
    cov = dict(sections["sosialisasi"].figures[0].rows)
    assert isinstance(cov["Camat"][1], Masked) and isinstance(cov["Camat"][0], Masked)
    assert cov["Camat"][2] == 30 and cov["Lurah"][2] == 151
    # turnout is KPU's published figure: per kecamatan, with the target
    assert sections["partisipasi"].figures[0].target == 82.9


def _the_season_report_runs_in_the_briefs_order(demo):
    keys = [s.key for s in build(_ctx(demo), SEASON_REPORT)]
    order = ["ringkasan", "ikrar", "sosialisasi", "laporan_harian", "kasus_status",
             "tindak_lanjut", "sanksi_tingkat", "partisipasi"]  # fmt: skip
    assert [k for k in keys if k in order] == order
    assert len(keys) == len(set(keys))


# the demo takes seconds to load: one load per database for the staff checks, one for the public


def test_staff_sections_over_the_demo_season(demo):
    _pledge_section_is_the_pledge_service_lowest_first(demo)
    _briefing_sections_are_the_briefing_service(demo)
    _turnout_section_is_the_turnout_service(demo)
    _apk_section_counts_reports_by_subject_and_place(demo)
    _the_season_report_runs_in_the_briefs_order(demo)
    _an_opd_bound_login_sees_its_own_opd(demo)
    _a_region_filter_gives_the_regions_own_numbers(demo)
