"""A case from report to carried-out sanction, through HTTP on both databases: every state, the
deadlines across public holidays, the refusals that change nothing, the letters, the audit chain."""

from __future__ import annotations

import subprocess
from datetime import UTC, date, datetime, timedelta

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from netral.cases import service
from netral.cases.models import Case, CaseDocument
from netral.cases.schemas import TransitionIn
from netral.cases.workflow import workflow
from netral.core.audit import Actor, verify
from netral.core.calendar import to_wib_date
from netral.core.closures import add_closure
from netral.core.db import utcnow
from netral.core.models import AuditEntry, User
from netral.core.security import roles
from netral.election.service import DEMO_ELECTION, read_election_file, upsert_election

from support.evidence import minimal_pdf
from support.web import csrf_from, login

TODAY = to_wib_date(utcnow())


@pytest.fixture
def election(db, world):
    upsert_election(
        db_session=db, election_in=read_election_file(DEMO_ELECTION), actor=Actor.system()
    )
    db.commit()


class Api:
    def __init__(self, app, username):
        self.c = login(TestClient(app), username)
        self.h = {"X-CSRF-Token": csrf_from(self.c.get("/").text)}

    def post(self, url, **kw):
        return self.c.post(url, headers=self.h, **kw)

    def get(self, url):
        return self.c.get(url)


def file_report(app) -> str:
    r = TestClient(app).post(
        "/api/v1/reports",
        data={
            "description": "Camat Sukasari berpose tiga jari di samping spanduk paslon 3 di balai RW.",
            "occurred_on": (TODAY - timedelta(days=3)).isoformat(),
            "known_on": (TODAY - timedelta(days=2)).isoformat(),
            "kecamatan": "32.73.01",
            "category": "SKB-07",
            "reported_name": "Budi Santoso",
            "reported_nip": "198503122010011003",
            "anonymous": "true",
        },
    )
    assert r.status_code == 201, r.text
    return r.json()["number"]


def pdf_text(data: bytes, tmp_path) -> str:
    f = tmp_path / "doc.pdf"
    f.write_bytes(data)
    return subprocess.run(
        ["pdftotext", "-layout", str(f), "-"], capture_output=True, text=True, check=True
    ).stdout


def test_a_case_goes_from_report_to_closed(app, election, world, db, tmp_path):
    number = file_report(app)
    staff, chief, ppk = Api(app, "bawaslu_staff"), Api(app, "bawaslu_commissioner"), Api(app, "ppk")
    r = staff.post(
        "/api/v1/cases",
        json={
            "title": "Pose tiga jari camat",
            "reports": [number],
            "asn_ids": [world.bandung_asn[0]],
            "acts": ["SKB-07"],
        },
    )
    assert r.status_code == 201, r.text
    case = r.json()["number"]
    assert case.startswith(f"KASUS-{TODAY.year}-")
    assert staff.get(f"/api/v1/reports/{number}").json()["status"] == "diteruskan"

    def go(who, code, **body):
        return who.post(f"/api/v1/cases/{case}/transitions/{code}", json=body)

    r = go(staff, "registrasi")
    assert r.status_code == 200 and r.json()["state"] == "registrasi"
    assert r.json()["deadline"]["step"] == "bawaslu_assessment"
    assert go(staff, "klarifikasi").json()["state"] == "klarifikasi"
    # no hearing held yet: the assessment cannot start
    refused = go(staff, "kajian")
    assert refused.status_code == 422 and refused.json()["code"] == "case.hearing_required"
    r = staff.post(
        f"/api/v1/cases/{case}/hearings",
        json={
            "party": "terlapor",
            "name": "Budi Santoso",
            "position": "Camat Sukasari",
            "scheduled_at": f"{(TODAY - timedelta(days=1)).isoformat()}T10:00:00",
            "place": "Kantor",
        },
    )
    assert r.status_code == 201, r.text
    hearing = r.json()["hearings"][0]["id"]
    r = staff.post(
        f"/api/v1/cases/{case}/hearings/{hearing}/held",
        data={"held_on": (TODAY - timedelta(days=1)).isoformat()},
        files={"minutes": ("bap.pdf", minimal_pdf("BAP klarifikasi"), "application/pdf")},
    )
    assert r.status_code == 200, r.text
    assert go(staff, "kajian").json()["state"] == "kajian"
    # staff may not decide; a decision dated before the hearing is refused
    assert (
        go(
            staff, "terbukti", decision_date=TODAY.isoformat(), reason="x", proven_acts=["SKB-07"]
        ).status_code
        == 403
    )
    early = go(
        chief,
        "terbukti",
        decision_date=(TODAY - timedelta(days=5)).isoformat(),
        reason="Terbukti",
        proven_acts=["SKB-07"],
    )
    assert early.status_code == 422 and early.json()["code"] == "case.decision_before_hearing"
    r = go(
        chief,
        "terbukti",
        decision_date=TODAY.isoformat(),
        reason="Foto pose tiga jari di samping spanduk paslon 3",
        proven_acts=["SKB-07"],
    )
    assert r.status_code == 200 and r.json()["state"] == "terbukti"
    options = chief.get(f"/api/v1/cases/{case}/options").json()
    assert [lvl["code"] for lvl in options["discipline"]] == ["berat"]
    assert {k["code"] for e in options["ethics"] for k in e["kinds"]} == {"tertutup", "terbuka"}
    bad = go(chief, "rekomendasi", recommendation={"discipline_level": "ringan"})
    assert bad.status_code == 422 and bad.json()["code"] == "case.recommendation_level"
    r = go(
        chief,
        "rekomendasi",
        reason="Rekomendasi",
        recommendation={"ethics_kind": "terbuka", "discipline_level": "berat"},
    )
    assert r.status_code == 200 and r.json()["deadline"]["step"] == "ppk_follow_up"
    assert r.json()["deadline"]["kind"] == "working"
    # the PPK's decision: level and SK date are checked against the rulebook and the clock
    assert (
        go(
            ppk,
            "putusan_ppk",
            sk_number="800/1/2024",
            sk_date=TODAY.isoformat(),
            sanction_level="berat-sekali",
            penalty="x",
        ).json()["code"]
        == "case.level_unknown"
    )
    assert (
        go(
            ppk,
            "putusan_ppk",
            sk_number="800/1/2024",
            sk_date=(TODAY + timedelta(days=3)).isoformat(),
            sanction_level="berat",
            penalty="demotion_12_months",
        ).json()["code"]
        == "case.sk_date_future"
    )
    penalty = options["discipline"][0]["penalties"][0]["code"]
    r = go(
        ppk,
        "putusan_ppk",
        sk_number="800/1/2024",
        sk_date=TODAY.isoformat(),
        sanction_level="berat",
        penalty=penalty,
    )
    assert r.status_code == 200, r.text
    assert r.json()["deadline"]["step"] == "sanction_delivery"
    assert (
        go(ppk, "dilaksanakan", carried_out_on=TODAY.isoformat()).json()["code"]
        == "case.proof_required"
    )
    r = ppk.post(
        f"/api/v1/cases/{case}/documents",
        data={"kind": "bukti_pelaksanaan"},
        files={"file": ("bukti.pdf", minimal_pdf("Bukti pelaksanaan"), "application/pdf")},
    )
    assert r.status_code == 201, r.text
    assert (
        go(ppk, "dilaksanakan", carried_out_on=TODAY.isoformat()).json()["state"] == "dilaksanakan"
    )
    final = go(staff, "selesai", reason="Sanksi dilaksanakan")
    assert final.json()["state"] == "selesai" and final.json()["deadline"] is None
    states = [t["to"] for t in final.json()["timeline"]]
    assert states == [
        "diterima",
        "registrasi",
        "klarifikasi",
        "kajian",
        "terbukti",
        "rekomendasi",
        "putusan_ppk",
        "dilaksanakan",
        "selesai",
    ]
    # letters: the invitation and the recommendation, read back from the PDF
    docs = {d["kind"]: d for d in final.json()["documents"]}
    assert {"undangan_klarifikasi", "rekomendasi", "bap", "bukti_pelaksanaan"} <= set(docs)
    rec = staff.get(f"/kasus/dokumen/{docs['rekomendasi']['id']}")
    text = pdf_text(rec.content, tmp_path)
    assert case in text and "19850312 201001 1 003" in text and "Budi Santoso" in text
    assert "PP" in text and "42" in text and docs["rekomendasi"]["number"] in text
    inv = pdf_text(
        staff.get(f"/kasus/dokumen/{docs['undangan_klarifikasi']['id']}").content, tmp_path
    )
    assert "Budi Santoso" in inv and "WIB" in inv
    refusals = db.scalars(
        select(AuditEntry.action).where(AuditEntry.action == "case.transition_refused")
    ).all()
    assert len(refusals) == 7  # each refusal above, and nothing else of theirs
    assert verify(db.get_bind()).ok


def test_a_refused_transition_changes_nothing_but_the_refusal_log(app, election, world, db):
    staff = Api(app, "bawaslu_staff")
    case = staff.post(
        "/api/v1/cases",
        json={
            "title": "Temuan pengawasan",
            "origin": "temuan",
            "region": "32.73",
            "acts": ["SKB-06"],
        },
    ).json()
    before = db.scalar(select(func.count()).select_from(AuditEntry))
    r = staff.post(
        f"/api/v1/cases/{case['number']}/transitions/putusan_ppk", json={"sk_number": "1"}
    )
    assert r.status_code == 409 and r.json()["code"] == "case.transition_not_allowed"
    db.expire_all()
    row = db.scalar(select(Case).where(Case.number == case["number"]))
    assert row.state == "diterima" and len(row.transitions) == 1
    after = db.scalars(select(AuditEntry).order_by(AuditEntry.id.desc())).first()
    assert db.scalar(select(func.count()).select_from(AuditEntry)) == before + 1
    assert after.action == "case.transition_refused"


def test_every_transition_is_allowed_exactly_to_its_roles(db, world):
    """The workflow table against every role: the check refuses or passes role by role."""
    wf = workflow()
    for t in wf.transitions.values():
        state = sorted(t.sources)[0]
        for role in roles():
            if role in t.roles:
                assert wf.check(state, t.code, role) is t
            else:
                with pytest.raises(Exception) as exc:
                    wf.check(state, t.code, role)
                assert exc.value.code == "case.role_not_allowed"
        for other in set(wf.states) - t.sources:
            with pytest.raises(Exception) as exc:
                wf.check(other, t.code, sorted(t.roles)[0])
            assert exc.value.code == "case.transition_not_allowed"


def test_the_follow_up_clock_skips_weekends_holidays_and_closure_days(db, world, election, tmp_path):
    user = db.scalar(select(User).where(User.username == "bawaslu_commissioner"))
    from netral.core.security import Scope
    from netral.core.storage import LocalEvidenceStore

    case = service.open_case(
        db_session=db,
        scope=Scope("region", "32.73"),
        user=user,
        title="Temuan",
        origin="temuan",
        region="32.73",
        acts=["SKB-07"],
        asn_ids=[world.bandung_asn[0]],
    )
    case.state = "terbukti"
    case.acts[0].proven = True
    db.commit()
    # Friday 20 Dec 2024; 14 working days skip Christmas (25 Dec) and New Year (1 Jan)...
    when = datetime(2024, 12, 20, 3, 0)

    service.transition(
        db_session=db,
        case=case,
        code="rekomendasi",
        user=user,
        fields=TransitionIn(recommendation={"discipline_level": "berat"}),
        store=LocalEvidenceStore(tmp_path / "evidence"),
        now=when.replace(tzinfo=UTC),
    )
    # and the cuti bersama of 26 Dec, which the `holidays` calendar ships
    assert case.deadline_due == date(2025, 1, 14)
    # an admin declares a local closure on 27 Dec: the clock moves a day when next started
    add_closure(
        db_session=db, day=date(2024, 12, 27), name="Libur kantor", actor=Actor.system()
    )
    db.commit()
    from netral.cases.deadlines import start_clock
    from netral.core.closures import calendar_for

    start_clock(case, "ppk_follow_up", date(2024, 12, 20), calendar_for(db))
    assert case.deadline_due == date(2025, 1, 15)


def test_the_case_page_names_the_clock_basis_and_shows_a_late_decision(app, db, world):
    from netral.core.security import Scope

    chief = db.scalar(select(User).where(User.username == "bawaslu_commissioner"))
    case = service.open_case(
        db_session=db,
        scope=Scope("region", "32.73"),
        user=chief,
        title="Temuan terlambat",
        origin="temuan",
        region="32.73",
        acts=["SKB-07"],
        now=datetime(2024, 10, 11, 3, 0, tzinfo=UTC),
    )
    service.transition(
        db_session=db,
        case=case,
        code="registrasi",
        user=chief,
        now=datetime(2024, 10, 11, 3, 0, tzinfo=UTC),
    )
    db.commit()
    staff = Api(app, "bawaslu_staff")
    page = staff.get(f"/kasus/{case.number}").text
    assert "Dasar" in page and "Nomor 10 Tahun 2016" in page and "Pasal 134 ayat (5)" in page
    assert "dihitung sejak laporan diterima" in page
    case.state = "kajian"
    db.commit()
    service.transition(
        db_session=db,
        case=case,
        code="tidak_terbukti",
        user=chief,
        fields=TransitionIn(decision_date=date(2024, 10, 16), reason="Tidak cukup bukti"),
        now=datetime(2024, 10, 21, 3, 0, tzinfo=UTC),
    )
    db.commit()
    page = staff.get(f"/kasus/{case.number}").text
    assert "Putusan terlambat 2 hari" in page and "tanpa perpanjangan" in page
    body = staff.get(f"/api/v1/cases/{case.number}").json()
    assert body["decided_late"] is True and body["decided_days_late"] == 2
    assert body["decision_deadline"]["due"] == "2024-10-14"


def test_case_pages_show_only_the_actions_the_user_may_take(app, election, world):
    staff = Api(app, "bawaslu_staff")
    number = file_report(app)
    case = staff.post(
        "/api/v1/cases", json={"title": "Pose tiga jari", "reports": [number], "acts": ["SKB-07"]}
    ).json()["number"]
    page = staff.get(f"/kasus/{case}").text
    assert "/transisi/registrasi" in page and "/transisi/hentikan" not in page
    chief = Api(app, "bawaslu_commissioner").get(f"/kasus/{case}").text
    assert "/transisi/hentikan" in chief
    ppk_page = Api(app, "ppk").get(f"/kasus/{case}").text
    assert "/transisi/" not in ppk_page
    listing = staff.get("/kasus").text
    assert case in listing
    for role in ("asn", "opd_admin", "bakesbangpol"):
        assert Api(app, role).get(f"/kasus/{case}").status_code == 403


def test_documents_of_another_region_are_not_reachable(app, election, world, db):
    staff = Api(app, "bawaslu_staff")
    case = staff.post(
        "/api/v1/cases", json={"title": "Temuan", "origin": "temuan", "region": "32.73"}
    ).json()["number"]
    r = staff.post(
        f"/api/v1/cases/{case}/documents",
        data={"kind": "lainnya"},
        files={"file": ("a.pdf", minimal_pdf(), "application/pdf")},
    )
    doc_id = r.json()["id"]
    other = Api(app, "bawaslu_kab")
    assert other.get(f"/kasus/dokumen/{doc_id}").status_code == 404
    assert other.get(f"/api/v1/cases/{case}").status_code == 404
    assert db.get(CaseDocument, doc_id) is not None


def test_deadline_filters_agree_with_the_deadline_column(db, world, election):
    """Overdue / due soon / on time: the SQL filter and the row's own status say the same."""
    from netral.cases.deadlines import start_clock
    from netral.core.closures import calendar_for
    from netral.core.security import Scope

    user = db.scalar(select(User).where(User.username == "bawaslu_staff"))
    scope = Scope("region", "32.73")
    today = date(2024, 10, 14)  # a Monday
    cal = calendar_for(db)
    made = {}
    for label, step, start in [
        ("overdue", "bawaslu_assessment", date(2024, 10, 1)),
        ("soon_cal", "bawaslu_assessment", date(2024, 10, 12)),
        ("soon_work", "sanction_delivery", date(2024, 9, 25)),
        ("later_cal", "bawaslu_assessment", date(2024, 10, 13)),
        ("later_work", "ppk_follow_up", date(2024, 10, 11)),
    ]:
        case = service.open_case(
            db_session=db, scope=scope, user=user, title=label, origin="temuan", region="32.73"
        )
        start_clock(case, step, start, cal)
        made[label] = case
    db.commit()
    seen = {}
    for f in ("overdue", "due_soon", "on_time"):
        rows, total = service.list_cases(
            db_session=db, scope=scope, today=today, filters=service.CaseFilter(deadline=f)
        )
        assert total == len(rows)
        assert all(r.clock.status == f for r in rows), [(r.case.title, r.clock) for r in rows]
        seen[f] = sorted(r.case.title for r in rows)
    assert seen == {
        "overdue": ["overdue"],
        "due_soon": ["soon_cal", "soon_work"],
        "on_time": ["later_cal", "later_work"],
    }, seen


def test_a_transition_and_the_letter_it_declares_commit_together_or_not_at_all(
    app, election, world, db
):
    """`rekomendasi` makes its letter (workflow.yaml). When the letter cannot be made (no ASN is
    named), the case stays where it was: no recommended case without its letter, no letter
    number spent, no transition row, no event-started clock."""
    letters = workflow().transitions["rekomendasi"].letters
    assert letters == ("rekomendasi",)
    chief = Api(app, "bawaslu_commissioner")
    case = chief.post(
        "/api/v1/cases",
        json={"title": "Temuan", "origin": "temuan", "region": "32.73", "acts": ["SKB-07"]},
    ).json()
    row = db.scalar(select(Case).where(Case.number == case["number"]))
    row.state = "terbukti"
    row.acts[0].proven = True
    db.commit()
    r = chief.post(
        f"/api/v1/cases/{case['number']}/transitions/rekomendasi",
        json={"recommendation": {"discipline_level": "berat"}},
    )
    assert r.status_code == 422 and r.json()["code"] == "case.recommendation_asn", r.text
    db.expire_all()
    row = db.scalar(select(Case).where(Case.number == case["number"]))
    assert row.state == "terbukti" and row.deadline_step != "ppk_follow_up"
    assert [t.code for t in row.transitions] == ["buka"]
    assert db.scalar(select(func.count()).select_from(CaseDocument)) == 0
    assert row.recommendation_number is None


def test_a_letter_that_fails_takes_its_transition_back_with_it(
    app, election, world, db, tmp_path, monkeypatch
):
    """The office's letterhead file is broken: the recommendation letter cannot be made, so the
    transition, its audit row and its clock are not committed either (they used to be)."""
    from netral.core.settings import get_settings

    broken = tmp_path / "kop.yaml"
    broken.write_text("institution: Bawaslu Kota Bandung\n")  # no address
    monkeypatch.setenv("NETRAL_LETTERHEAD_FILE", str(broken))
    get_settings.cache_clear()
    try:
        chief = Api(app, "bawaslu_commissioner")
        case = chief.post(
            "/api/v1/cases",
            json={"title": "Temuan", "origin": "temuan", "region": "32.73",
                  "acts": ["SKB-07"], "asn_ids": [world.bandung_asn[0]]},
        ).json()
        row = db.scalar(select(Case).where(Case.number == case["number"]))
        row.state = "terbukti"
        row.acts[0].proven = True
        db.commit()
        audits = db.scalar(select(func.count()).select_from(AuditEntry))
        r = chief.post(
            f"/api/v1/cases/{case['number']}/transitions/rekomendasi",
            json={"recommendation": {"discipline_level": "berat"}},
        )
        assert r.status_code >= 400 and r.json()["code"] == "letters.letterhead_invalid", r.text
    finally:
        get_settings.cache_clear()
    db.expire_all()
    row = db.scalar(select(Case).where(Case.number == case["number"]))
    assert row.state == "terbukti" and row.recommendation_number is None
    assert [t.code for t in row.transitions] == ["buka"]
    assert db.scalar(select(func.count()).select_from(CaseDocument)) == 0
    assert db.scalar(select(func.count()).select_from(AuditEntry)) == audits
