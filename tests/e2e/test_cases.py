"""A case from report to carried-out sanction, through HTTP on both databases: every state, the
deadlines across public holidays, the refusals that change nothing, the letters, the audit chain."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select, update

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
from netral.reports.models import Report

from support.evidence import minimal_pdf
from support.pdf import pdf_text
from support.web import csrf_from, login

TODAY = to_wib_date(utcnow())
ROMAN = ("", "I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII")


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
    return file_receipt(app)["number"]


def file_receipt(app) -> dict:
    """An anonymous report filed through the API: its number and receipt code."""
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
    # received the day it became known: the steps these tests date in the past follow it, and no
    # step of a case may be dated before its report was received
    with app.state.sessions() as db:
        db.execute(
            update(Report)
            .where(Report.number == r.json()["number"])
            .values(created_at=utcnow() - timedelta(days=2))
        )
        db.commit()
    return r.json()


def upload(who, case, kind, name="doc.pdf", text="Dokumen"):
    r = who.post(
        f"/api/v1/cases/{case}/documents",
        data={"kind": kind},
        files={"file": (name, minimal_pdf(text), "application/pdf")},
    )
    assert r.status_code == 201, r.text
    return r.json()["id"]


def hear(who, case, held_on, *, attended=True, party="terlapor", name="Budi Santoso"):
    r = who.post(
        f"/api/v1/cases/{case}/hearings",
        json={
            "party": party,
            "name": name,
            "position": "Camat Sukasari",
            "scheduled_at": f"{held_on.isoformat()}T10:00:00",
            "place": "Kantor",
        },
    )
    assert r.status_code == 201, r.text
    hearing = r.json()["hearings"][-1]["id"]
    r = who.post(
        f"/api/v1/cases/{case}/hearings/{hearing}/held",
        data={"held_on": held_on.isoformat(), "attended": "true" if attended else "false"},
        files={"minutes": ("ba.pdf", minimal_pdf("Berita acara"), "application/pdf")},
    )
    assert r.status_code == 200, r.text
    return r.json()


def open_reported_case(app, staff, world) -> str:
    number = file_report(app)
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
    return r.json()["number"]


def test_a_case_goes_from_report_to_closed(app, election, world, db, tmp_path):
    """Every state of the 2024 flow: registration with a register number, clarification, study,
    the plenary's decision, the status notice, the forward to BKN, BKN's recommendation, the
    PPK's team and decision, delivery, an objection, carried out, closed."""
    number = file_report(app)
    staff, chief = Api(app, "bawaslu_staff"), Api(app, "bawaslu_commissioner")
    ppk, bkpsdm = Api(app, "ppk"), Api(app, "bkpsdm")
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
    assert case.startswith(f"KASUS-{TODAY.year}-") and r.json()["register_number"] is None
    assert staff.get(f"/api/v1/reports/{number}").json()["status"] == "diteruskan"

    def go(who, code, **body):
        return who.post(f"/api/v1/cases/{case}/transitions/{code}", json=body)

    r = go(staff, "registrasi")
    assert r.status_code == 200 and r.json()["state"] == "registrasi"
    assert r.json()["deadline"]["step"] == "bawaslu_assessment"
    # Bawaslu's register number, from the configured pattern; KASUS-... stays the public id
    register = r.json()["register_number"]
    assert register == f"001/Reg/LP/PW/13.03/{ROMAN[TODAY.month]}/{TODAY.year}"
    assert r.json()["number"] == case
    assert go(staff, "klarifikasi").json()["state"] == "klarifikasi"
    # no hearing held yet: the study cannot start
    refused = go(staff, "kajian")
    assert refused.status_code == 422 and refused.json()["code"] == "case.hearing_required"
    hear(staff, case, TODAY - timedelta(days=2))
    r = go(staff, "kajian")
    assert r.json()["state"] == "kajian"
    # the plenary decision is due: the commissioners are told in-app
    assert any(register in n["body"] for n in chief.get("/api/v1/notifications").json())
    # the plenary decides; a Bawaslu role records it (never the PPK), with its minutes, the
    # commissioners present and the decision's date
    decided = {
        "decision_date": (TODAY - timedelta(days=2)).isoformat(),
        "reason": "Foto pose tiga jari di samping spanduk paslon 3",
        "proven_acts": ["SKB-07"],
        "commissioners_present": ["Ketua A", "Anggota B", "Anggota C"],
    }
    assert go(ppk, "terbukti", **decided).status_code == 403
    no_minutes = go(staff, "terbukti", **decided)
    assert no_minutes.status_code == 422
    assert no_minutes.json()["code"] == "case.risalah_pleno_required", no_minutes.text
    upload(staff, case, "risalah_pleno", text="Risalah rapat pleno")
    nobody = go(staff, "terbukti", **{**decided, "commissioners_present": []})
    assert nobody.json()["code"] == "case.plenary_members"
    early = go(staff, "terbukti", **{**decided, "decision_date": (TODAY - timedelta(days=5)).isoformat()})
    assert early.status_code == 422 and early.json()["code"] == "case.decision_before_hearing"
    r = go(staff, "terbukti", **decided)
    assert r.status_code == 200 and r.json()["state"] == "terbukti", r.text
    assert r.json()["plenary_members"] == ["Ketua A", "Anggota B", "Anggota C"]
    assert r.json()["decision_date"] == decided["decision_date"]
    # the old direct recommendation to the PPK is gone: BKN recommends now
    assert go(chief, "rekomendasi").json()["code"] == "case.transition_not_allowed"
    r = go(staff, "pemberitahuan_status", notified_on=(TODAY - timedelta(days=2)).isoformat())
    assert r.json()["state"] == "status_diberitahukan", r.text
    r = go(staff, "teruskan_bkn", forwarded_on=(TODAY - timedelta(days=2)).isoformat())
    assert r.status_code == 200 and r.json()["state"] == "diteruskan_bkn", r.text
    assert r.json()["deadline"] is None  # BKN's examination has no sourced limit
    # BKN's recommendation: number, date, level and its letter; the PPK's clock runs from it
    bkn_date = TODAY - timedelta(days=1)
    rec = {"bkn_number": "B-123/BKN/2024", "bkn_date": bkn_date.isoformat(), "bkn_level": "berat"}
    assert go(ppk, "rekomendasi_bkn", **rec).status_code == 403
    no_letter = go(bkpsdm, "rekomendasi_bkn", **rec)
    assert no_letter.json()["code"] == "case.rekomendasi_bkn_required", no_letter.text
    upload(bkpsdm, case, "rekomendasi_bkn", text="Rekomendasi BKN")
    r = go(bkpsdm, "rekomendasi_bkn", **rec)
    assert r.status_code == 200 and r.json()["state"] == "rekomendasi_bkn", r.text
    deadline = r.json()["deadline"]
    assert deadline["step"] == "ppk_follow_up" and deadline["kind"] == "working"
    assert deadline["start"] == bkn_date.isoformat()
    # waiting for the PPK's office and BKPSDM: both are told in-app
    for who in (ppk, bkpsdm):
        assert any("BKN" in n["body"] for n in who.get("/api/v1/notifications").json())
    r = go(ppk, "tim_pemeriksa", examination_team=["Atasan langsung", "Inspektorat", "BKPSDM"])
    assert r.json()["state"] == "pemeriksaan_ppk" and len(r.json()["examination_team"]) == 3
    options = chief.get(f"/api/v1/cases/{case}/options").json()
    assert [lvl["code"] for lvl in options["discipline"]] == ["berat"]
    penalty = options["discipline"][0]["penalties"][0]["code"]
    # the act is after the pairs were fixed (demo election: 22 Sep 2024): a discipline breach
    # (PP 94/2021 art. 5(n)), not the bakal-calon ethics track (the rulebook's candidacy rule)
    assert options["ethics"] == []
    decision = {
        "sk_number": "800/1/2024",
        "sk_date": TODAY.isoformat(),
        "sanction_level": "berat",
        "penalty": penalty,
    }
    no_bap = go(ppk, "putusan_ppk", **decision)
    assert no_bap.json()["code"] == "case.bap_pemeriksaan_required", no_bap.text
    upload(ppk, case, "bap_pemeriksaan", text="BAP tim pemeriksa")
    assert go(ppk, "putusan_ppk", **{**decision, "sanction_level": "berat-sekali"}).json()[
        "code"
    ] == "case.level_unknown"
    future = go(ppk, "putusan_ppk", **{**decision, "sk_date": (TODAY + timedelta(days=3)).isoformat()})
    assert future.json()["code"] == "case.sk_date_future"
    # a moral sanction is not on this act's track: refused, with the reason
    assert go(ppk, "putusan_ppk", **{**decision, "ethics_sanction": "terbuka"}).json()[
        "code"
    ] == "case.ethics_sanction"
    r = go(ppk, "putusan_ppk", **decision)
    assert r.status_code == 200, r.text
    assert r.json()["deadline"]["step"] == "sanction_delivery"
    assert r.json()["ethics_sanction"] is None and r.json()["sanction_level"] == "berat"
    # the page names the penalty as the rulebook does, not by its code
    from netral.rules import load_rulebook

    named = {p.code: p.name.id for lvl in load_rulebook().discipline_levels for p in lvl.penalties}
    decided_page = staff.get(f"/kasus/{case}").text
    assert named[penalty] in decided_page and f"· {penalty}" not in decided_page
    r = go(ppk, "penyampaian", delivered_on=TODAY.isoformat())
    assert r.json()["state"] == "disampaikan" and r.json()["deadline"] is None
    r = go(ppk, "keberatan", objection_filed_on=TODAY.isoformat(), reason="Keberatan ASN")
    assert r.json()["state"] == "upaya_administratif", r.text
    r = go(ppk, "putusan_keberatan", objection_decided_on=TODAY.isoformat(), reason="Ditolak")
    assert r.json()["state"] == "keberatan_diputus", r.text
    assert (
        go(ppk, "dilaksanakan", carried_out_on=TODAY.isoformat()).json()["code"]
        == "case.bukti_pelaksanaan_required"
    )
    upload(ppk, case, "bukti_pelaksanaan", text="Bukti pelaksanaan")
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
        "status_diberitahukan",
        "diteruskan_bkn",
        "rekomendasi_bkn",
        "pemeriksaan_ppk",
        "putusan_ppk",
        "disampaikan",
        "upaya_administratif",
        "keberatan_diputus",
        "dilaksanakan",
        "selesai",
    ]
    # letters: the invitation and the forward to BKN, read back from the PDF
    docs = {d["kind"]: d for d in final.json()["documents"]}
    assert {"undangan_klarifikasi", "penerusan_bkn", "bap", "risalah_pleno", "rekomendasi_bkn",
            "bap_pemeriksaan", "bukti_pelaksanaan"} <= set(docs)
    text = pdf_text(staff.get(f"/kasus/dokumen/{docs['penerusan_bkn']['id']}").content)
    assert "19850312 201001 1 003" in text and "Budi Santoso" in text
    assert register in text and docs["penerusan_bkn"]["number"] in text
    inv = pdf_text(staff.get(f"/kasus/dokumen/{docs['undangan_klarifikasi']['id']}").content)
    assert "Budi Santoso" in inv and "WIB" in inv
    page = staff.get(f"/kasus/{case}").text
    assert register in page
    refusals = db.scalars(
        select(AuditEntry.action).where(AuditEntry.action == "case.transition_refused")
    ).all()
    assert len(refusals) == 13  # each refusal above, and nothing else of theirs
    assert verify(db.get_bind()).ok


def test_a_person_who_refuses_to_come_does_not_block_the_study(app, election, world, db):
    staff = Api(app, "bawaslu_staff")
    case = open_reported_case(app, staff, world)
    for code in ("registrasi", "klarifikasi"):
        assert staff.post(f"/api/v1/cases/{case}/transitions/{code}", json={}).status_code == 200
    out = hear(staff, case, TODAY - timedelta(days=1), attended=False)
    assert out["hearings"][0]["attended"] is False
    assert any(d["kind"] == "ba_ketidakhadiran" for d in out["documents"])
    r = staff.post(f"/api/v1/cases/{case}/transitions/kajian", json={})
    assert r.status_code == 200 and r.json()["state"] == "kajian", r.text
    actions = db.scalars(
        select(AuditEntry.action).where(AuditEntry.action == "case.hearing_not_attended")
    ).all()
    assert len(actions) == 1


def test_a_case_both_neutral_and_criminal_runs_both_tracks(app, election, world, db):
    """Forwarding to Gakkumdu never replaces the neutrality route: both go on side by side."""
    staff = Api(app, "bawaslu_staff")
    case = open_reported_case(app, staff, world)

    def go(code, **body):
        return staff.post(f"/api/v1/cases/{case}/transitions/{code}", json=body)

    assert go("registrasi").status_code == 200
    r = go("teruskan_gakkumdu", gakkumdu_forwarded_on=TODAY.isoformat(),
           gakkumdu_reference="001/PP.01.00/K.JB-12/2024")
    assert r.status_code == 200, r.text
    assert r.json()["state"] == "registrasi" and r.json()["tracks"] == {"pidana": "diteruskan"}
    assert "klarifikasi" in r.json()["actions"] and "teruskan_gakkumdu" not in r.json()["actions"]
    again = go("teruskan_gakkumdu", gakkumdu_forwarded_on=TODAY.isoformat(),
               gakkumdu_reference="x")
    assert again.status_code == 409 and again.json()["code"] == "case.track_transition_not_allowed"
    assert go("klarifikasi").json()["state"] == "klarifikasi"
    r = go("status_gakkumdu", gakkumdu_status="Penyidikan oleh Polres")
    assert r.json()["state"] == "klarifikasi" and r.json()["gakkumdu_status"] == "Penyidikan oleh Polres"
    hear(staff, case, TODAY - timedelta(days=1))
    assert go("kajian").json()["state"] == "kajian"
    r = go("selesai_gakkumdu", gakkumdu_status="Putusan pengadilan")
    assert r.json()["tracks"] == {"pidana": "selesai"} and r.json()["state"] == "kajian"
    assert r.json()["deadline"]["step"] == "bawaslu_assessment"  # the neutrality clock runs on


def test_a_substitute_ppk_is_recorded_when_the_ppk_is_reported(app, election, world):
    staff = Api(app, "bawaslu_staff")
    case = open_reported_case(app, staff, world)
    r = staff.post(f"/api/v1/cases/{case}/transitions/ppk_pengganti",
                   json={"substitute_ppk": "Menteri Dalam Negeri"})
    assert r.status_code == 422 and r.json()["code"] == "case.substitute_ppk"
    r = staff.post(
        f"/api/v1/cases/{case}/transitions/ppk_pengganti",
        json={"substitute_ppk": "Menteri Dalam Negeri", "acting_ppk": "Sekretaris Daerah"},
    )
    assert r.status_code == 200 and r.json()["state"] == "diterima"
    assert r.json()["ppk_substitute"] == "Menteri Dalam Negeri"
    assert r.json()["ppk_acting"] == "Sekretaris Daerah"


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
    case.state = "diteruskan_bkn"
    case.decision_date = date(2024, 12, 19)  # a decided case has its plenary's date
    case.acts[0].proven = True
    case.bkn_forwarded_on = date(2024, 12, 2)
    db.commit()
    store = LocalEvidenceStore(tmp_path / "evidence")
    service.add_document(db_session=db, store=store, case=case, user=user, kind="rekomendasi_bkn",
                         title="Rekomendasi BKN",
                         upload=service.upload_from_bytes("r.pdf", minimal_pdf(), "application/pdf"))
    # BKN's letter is dated Friday 20 Dec 2024 and keyed in on 6 Jan 2025: the PPK's clock runs
    # from BKN's date, not from the day it was recorded (nor from Bawaslu's forward).
    # 14 working days skip Christmas (25 Dec) and New Year (1 Jan)
    from datetime import UTC

    service.transition(
        db_session=db,
        case=case,
        code="rekomendasi_bkn",
        user=user,
        fields=TransitionIn(bkn_number="B-1/BKN/2024", bkn_date=date(2024, 12, 20),
                            bkn_level="berat"),
        store=store,
        now=datetime(2025, 1, 6, 3, 0, tzinfo=UTC),
    )
    assert case.deadline_start == date(2024, 12, 20)
    # 14 working days skip Christmas, New Year and the cuti bersama of 26 Dec (`holidays` ships it)
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
    from netral.core.storage import LocalEvidenceStore

    store = LocalEvidenceStore(app.state.settings.data_dir / "evidence")
    service.add_document(db_session=db, store=store, case=case, user=chief, kind="risalah_pleno",
                         title="Risalah pleno",
                         upload=service.upload_from_bytes("r.pdf", minimal_pdf(), "application/pdf"))
    service.transition(
        db_session=db,
        case=case,
        code="tidak_terbukti",
        user=chief,
        fields=TransitionIn(decision_date=date(2024, 10, 16), reason="Tidak cukup bukti",
                            commissioners_present=["Ketua A", "Anggota B"]),
        store=store,
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
    # only Bawaslu issues Bawaslu letters: BKPSDM handles cases but sees no letter button
    assert f"/kasus/{case}/surat/" in page
    assert f"/kasus/{case}/surat/" not in Api(app, "bkpsdm").get(f"/kasus/{case}").text
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
    """`teruskan_bkn` makes its letter (workflow.yaml). When the letter cannot be made (no ASN is
    named), the case stays where it was: no forwarded case without its letter, no letter
    number spent, no transition row, no event."""
    letters = workflow().transitions["teruskan_bkn"].letters
    assert letters == ("penerusan_bkn",)
    chief = Api(app, "bawaslu_commissioner")
    case = chief.post(
        "/api/v1/cases",
        json={"title": "Temuan", "origin": "temuan", "region": "32.73", "acts": ["SKB-07"]},
    ).json()
    row = db.scalar(select(Case).where(Case.number == case["number"]))
    row.state = "status_diberitahukan"
    row.acts[0].proven = True
    db.commit()
    r = chief.post(
        f"/api/v1/cases/{case['number']}/transitions/teruskan_bkn",
        json={"forwarded_on": TODAY.isoformat()},
    )
    assert r.status_code == 422 and r.json()["code"] == "case.forward_asn", r.text
    db.expire_all()
    row = db.scalar(select(Case).where(Case.number == case["number"]))
    assert row.state == "status_diberitahukan" and row.bkn_forwarded_on is None
    assert [t.code for t in row.transitions] == ["buka"]
    assert db.scalar(select(func.count()).select_from(CaseDocument)) == 0


def test_a_letter_that_fails_takes_its_transition_back_with_it(
    app, election, world, db, tmp_path, monkeypatch
):
    """The office's letterhead file is broken: the forward-to-BKN letter cannot be made, so the
    transition, its audit row and its event are not committed either (they used to be)."""
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
        row.state = "status_diberitahukan"
        row.acts[0].proven = True
        db.commit()
        audits = db.scalar(select(func.count()).select_from(AuditEntry))
        r = chief.post(
            f"/api/v1/cases/{case['number']}/transitions/teruskan_bkn",
            json={"forwarded_on": TODAY.isoformat()},
        )
        assert r.status_code >= 400 and r.json()["code"] == "letters.letterhead_invalid", r.text
    finally:
        get_settings.cache_clear()
    db.expire_all()
    row = db.scalar(select(Case).where(Case.number == case["number"]))
    assert row.state == "status_diberitahukan" and row.bkn_forwarded_on is None
    assert [t.code for t in row.transitions] == ["buka"]
    assert db.scalar(select(func.count()).select_from(CaseDocument)) == 0
    assert db.scalar(select(func.count()).select_from(AuditEntry)) == audits


def test_the_case_page_offers_the_plenary_form_and_records_it(app, election, world, db):
    """The form is generated from `requires`: the plenary asks for the commissioners present;
    a hearing's minutes of non-attendance can be recorded from the page."""
    staff = Api(app, "bawaslu_staff")
    case = open_reported_case(app, staff, world)
    for code in ("registrasi", "klarifikasi"):
        staff.post(f"/api/v1/cases/{case}/transitions/{code}", json={})
    r = staff.post(
        f"/api/v1/cases/{case}/hearings",
        json={"party": "terlapor", "name": "Budi Santoso", "place": "Kantor",
              "scheduled_at": f"{(TODAY - timedelta(days=1)).isoformat()}T10:00:00"},
    )
    hearing = r.json()["hearings"][0]["id"]
    token = csrf_from(staff.get(f"/kasus/{case}").text)
    r = staff.c.post(
        f"/kasus/{case}/klarifikasi/{hearing}",
        data={"csrf_token": token, "held_on": (TODAY - timedelta(days=1)).isoformat(),
              "attended": "0"},
        files={"minutes": ("ba.pdf", minimal_pdf("Tidak hadir"), "application/pdf")},
        follow_redirects=False,
    )
    assert r.status_code == 303, r.text
    assert staff.post(f"/api/v1/cases/{case}/transitions/kajian", json={}).status_code == 200
    page = staff.get(f"/kasus/{case}").text
    assert 'name="commissioners_present"' in page and "/transisi/terbukti" in page
    assert "tidak hadir" in page
    upload(staff, case, "risalah_pleno")
    r = staff.c.post(
        f"/kasus/{case}/transisi/terbukti",
        data={"csrf_token": token, "decision_date": TODAY.isoformat(), "reason": "Terbukti",
              "proven_acts": "SKB-07", "commissioners_present": "Ketua A\nAnggota B\n",
              "confirm": "1"},  # a plenary decision is asked again first (test_forms)
        follow_redirects=False,
    )
    assert r.status_code == 303, r.text
    db.expire_all()
    row = db.scalar(select(Case).where(Case.number == case))
    assert row.state == "terbukti" and row.plenary_members == ["Ketua A", "Anggota B"]
    page = staff.get(f"/kasus/{case}").text
    assert row.register_number in page and 'name="notified_on"' in page


def test_the_reporter_follows_the_case_through_the_receipt(app, election, world, db):
    """Each transition that has a public stage in workflow.yaml tells the reporter, through the
    receipt, on the day it happened; nothing names the staff who did it."""
    receipt = file_receipt(app)
    number, code = receipt["number"], receipt["receipt_code"]
    staff = Api(app, "bawaslu_staff")
    case = staff.post(
        "/api/v1/cases", json={"title": "Pose tiga jari", "reports": [number], "acts": ["SKB-07"]}
    ).json()
    assert workflow().transitions["registrasi"].public_stage == "registered"
    assert staff.post(f"/api/v1/cases/{case['number']}/transitions/registrasi", json={}).status_code == 200
    seen = TestClient(app).post(
        "/api/v1/receipts/lookup", json={"number": number, "code": code}
    ).json()
    assert seen["progress"][-1]["stage"] == "registered", seen["progress"]
    assert seen["progress"][-1]["on"] == TODAY.isoformat()
    assert "bawaslu_staff" not in str(seen)


def test_a_hearing_cannot_be_held_before_it_was_scheduled(app, election, world, db):
    """Scheduled for tomorrow, recorded as held today: refused in words, nothing kept."""
    staff = Api(app, "bawaslu_staff")
    case = open_reported_case(app, staff, world)
    for code in ("registrasi", "klarifikasi"):
        staff.post(f"/api/v1/cases/{case}/transitions/{code}", json={})
    r = staff.post(
        f"/api/v1/cases/{case}/hearings",
        json={"party": "terlapor", "name": "Budi Santoso", "place": "Kantor",
              "scheduled_at": f"{(TODAY + timedelta(days=1)).isoformat()}T10:00:00"},
    )  # fmt: skip
    hearing = r.json()["hearings"][0]["id"]
    r = staff.post(
        f"/api/v1/cases/{case}/hearings/{hearing}/held",
        data={"held_on": TODAY.isoformat(), "attended": "true"},
        files={"minutes": ("ba.pdf", minimal_pdf("Berita acara"), "application/pdf")},
    )
    assert r.status_code == 422 and r.json()["code"] == "case.hearing_before_schedule"
    assert "jadwalkan ulang" in r.json()["errors"][0]["message"]
    hearings = staff.get(f"/api/v1/cases/{case}").json()["hearings"]
    assert hearings[0]["held_on"] is None


def test_no_step_of_a_case_is_dated_before_its_report_was_received(app, election, world, db):
    """A hearing scheduled before the report reached Bawaslu is refused in words, and nothing of
    it (the hearing, its invitation letter, an audit row) is written."""
    staff = Api(app, "bawaslu_staff")
    case = open_reported_case(app, staff, world)
    assert staff.post(f"/api/v1/cases/{case}/transitions/registrasi", json={}).status_code == 200
    received = TODAY - timedelta(days=2)  # file_receipt dates the receipt two days back
    before = db.scalar(select(func.count()).select_from(AuditEntry))
    docs = db.scalar(select(func.count()).select_from(CaseDocument))
    r = staff.post(
        f"/api/v1/cases/{case}/hearings",
        json={"party": "terlapor", "name": "Budi Santoso", "position": "Camat",
              "scheduled_at": f"{(received - timedelta(days=1)).isoformat()}T10:00:00",
              "place": "Kantor"},
    )
    assert r.status_code == 422 and r.json()["code"] == "case.hearing_before_report"
    assert r.json()["field"] == "scheduled_at"
    assert f"{received:%d-%m-%Y}" in r.json()["title"]
    db.expire_all()
    assert db.scalar(select(func.count()).select_from(AuditEntry)) == before
    assert db.scalar(select(func.count()).select_from(CaseDocument)) == docs
    assert staff.get(f"/api/v1/cases/{case}").json()["hearings"] == []
    # on the day it was received is fine
    hear(staff, case, received)
