"""Coverage numbers: OPD, camat and lurah briefed, and who missed every session."""

from __future__ import annotations

import pytest

from netral.briefings import service
from netral.core.audit import Actor
from netral.core.security import Scope

from support.briefings import BUDI, make_event, seed_briefing_world
from support.web import seed_world

CITY = Scope("region", "32.73")
ACTOR = Actor.system()


@pytest.fixture
def bw(db):
    seed_world(db)
    return seed_briefing_world(db)


def attend(db, event_id: int, *nips: str) -> None:
    from netral.registry import service as registry

    people = registry.asn_by_nips(db_session=db, nips=list(nips))
    b = service.get_briefing(db_session=db, scope=CITY, briefing_id=event_id)
    service.record_attendance(
        db_session=db,
        briefing=b,
        entries=[(people[n], "nip", None) for n in nips],
        source="sheet",
        actor=ACTOR,
    )
    db.commit()


def test_coverage_by_opd_kecamatan_totals_and_missed(db, bw):
    heads = make_event(db, topics=["netralitas", "apk"], audience_opd="all")
    media = make_event(db, topics=["medsos"], audience_opd="chosen", opd_ids=[bw.disdik])
    area = make_event(
        db, topics=["netralitas", "hoaks"], audience_opd="none", camat=True, lurah=True
    )
    upcoming = make_event(db, days_from_now=10, audience_opd="chosen", opd_ids=[bw.bapenda])
    # Dishub sends its head to the neutrality briefing; Disdik only goes to social media
    attend(db, heads, bw.head_nip)
    attend(db, media, bw.agus[1])
    # camat 0 and 1 attend; lurah 0 and 2 attend, the others miss every session
    attend(db, area, bw.camat[0].nip, bw.camat[1].nip, bw.lurah[0].nip, bw.lurah[2].nip)
    # an ASN who was not invited still counts for their OPD (Dishub already briefed)
    attend(db, media, BUDI)

    opd = {o.opd_code: o for o in service.coverage_by_opd(db_session=db, scope=CITY)}
    assert (opd["DISHUB"].invited, opd["DISHUB"].attended, opd["DISHUB"].briefed) == (1, 1, True)
    assert (opd["DISDIK"].invited, opd["DISDIK"].attended, opd["DISDIK"].briefed) == (2, 1, False)
    assert (opd["BAPENDA"].invited, opd["BAPENDA"].attended, opd["BAPENDA"].briefed) == (
        2,
        0,
        False,
    )
    assert set(opd) == {"DISHUB", "DISDIK", "BAPENDA"}  # no kecamatan or kelurahan office

    areas = service.coverage_by_kecamatan(db_session=db, scope=CITY)
    assert len(areas) == 30 and sum(a.lurah for a in areas) == 151
    first = next(a for a in areas if a.kecamatan_code == bw.camat[0].opd.wilayah_code)
    assert first.camat_briefed and (first.lurah, first.lurah_briefed) == (len(bw.lurah), 2)
    # least covered first: kecamatan whose camat was not briefed come before those briefed
    assert [a.camat_briefed for a in areas] == sorted(a.camat_briefed for a in areas)

    missed = service.missed_all(db_session=db, scope=CITY)
    kinds = sorted((m.kind, m.nip or m.office) for m in missed)
    expected_lurah = [("lurah", lu.nip) for i, lu in enumerate(bw.lurah) if i not in (0, 2)]
    assert kinds == sorted(
        [("camat", bw.camat[2].nip), ("opd", "Badan Pendapatan Daerah"), *expected_lurah]
    )
    bapenda = next(m for m in missed if m.kind == "opd")
    assert bapenda.invited == 1  # the upcoming event is not missed yet

    t = service.totals(db_session=db, scope=CITY)
    assert (t.events, t.attendances) == (4, 7)
    assert (t.opd, t.opd_briefed, t.camat, t.camat_briefed) == (3, 1, 30, 2)
    assert (t.lurah, t.lurah_briefed, t.missed_all) == (151, 2, len(missed))
    assert upcoming


def test_an_opd_admin_sees_only_their_opd(db, bw):
    make_event(db, audience_opd="chosen", opd_ids=[bw.disdik])
    mine = make_event(db, audience_opd="chosen", opd_ids=[bw.dishub])
    attend(db, mine, BUDI)
    seen = service.list_briefings(db_session=db, scope=CITY, opd_id=bw.dishub)
    assert [b.id for b in seen] == [mine]
    rows = service.coverage_by_opd(db_session=db, scope=CITY, opd_id=bw.dishub)
    assert [(r.opd_code, r.briefed) for r in rows] == [("DISHUB", True)]
    t = service.totals(db_session=db, scope=CITY, opd_id=bw.dishub)
    assert (t.events, t.attendances, t.opd) == (1, 1, 1)


def test_other_regions_see_nothing(db, bw):
    make_event(db)
    kab = Scope("region", "32.04")
    assert service.list_briefings(db_session=db, scope=kab) == []
    assert service.totals(db_session=db, scope=kab).events == 0
