"""Who may file a laporan (UU 1/2015 art. 134(2)), and what the reporter sees through the receipt.

Both on SQLite and PostgreSQL (the `db` fixture's backends).
"""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select

from netral.core.audit import Actor
from netral.core.calendar import to_wib_date
from netral.core.db import utcnow
from netral.core.errors import ValidationFailed
from netral.election.service import DEMO_ELECTION, read_election_file, upsert_election
from netral.reports import service as reports
from netral.reports.models import Report, ReportMessage
from netral.rules import load_rulebook
from netral.web.templating import MONTHS_ID

from support.web import csrf_from, login

# the office's date (WIB), as the app dates each step: after 17:00 UTC it is already tomorrow
TODAY = to_wib_date(utcnow())
# the law, written out here so that a change to the rulebook's list shows up as a failing test
MAY_FILE = {"pemilih": True, "pemantau_terdaftar": True, "peserta_pemilihan": True}
MAY_NOT_FILE = {"lainnya": False}


@pytest.fixture
def public(app, db, world) -> TestClient:
    upsert_election(
        db_session=db, election_in=read_election_file(DEMO_ELECTION), actor=Actor.system()
    )
    db.commit()
    return TestClient(app)


def fields(**over: object) -> dict[str, object]:
    base: dict[str, object] = {
        "description": "Camat Sukasari berpose tiga jari di samping spanduk paslon 3 saat acara "
        "warga di balai RW.",
        "occurred_on": (TODAY - timedelta(days=2)).isoformat(),
        "known_on": (TODAY - timedelta(days=1)).isoformat(),
        "kecamatan": "32.73.01",
        "category": "SKB-07",
        "reported_name": "Asep Sunandar",
        "reported_position": "Camat Sukasari",
        "reporter_name": "Nina Marlina",
        "reporter_address": "Jl. Setiabudi 12, Bandung",
        "reporter_phone": "081234567890",
        "reporter_standing": "pemilih",
    }
    base.update(over)
    return {k: v for k, v in base.items() if v is not None}


def standing_line(report: Report) -> dict[str, object]:
    return next(c for c in report.formal_check if c["code"] == "reporter_standing")


def test_the_rulebook_lists_the_three_who_may_file_and_the_rest() -> None:
    standing = load_rulebook().report_requirements.standing
    assert {c.code: c.files_laporan for c in standing.choices} == MAY_FILE | MAY_NOT_FILE
    assert standing.confidence in ("V", "N", "K")
    assert ("uu-10-2016", "Pasal 134 ayat (2)") in {(b.source, b.article) for b in standing.basis}


@pytest.mark.parametrize(
    ("standing", "kind", "check"),
    [
        ("pemilih", "laporan", "ok"),
        ("pemantau_terdaftar", "laporan", "ok"),
        ("peserta_pemilihan", "laporan", "ok"),
        ("lainnya", "informasi_awal", "tidak_memenuhi"),
        (None, "informasi_awal", "kurang"),  # not said: heard, but not as a laporan
        ("", "informasi_awal", "kurang"),
    ],
)
def test_standing_decides_laporan_or_initial_information(public, db, standing, kind, check):
    r = public.post("/api/v1/reports", data=fields(reporter_standing=standing))
    assert r.status_code == 201, r.text
    assert r.json()["kind"] == kind
    report = db.scalar(select(Report))
    assert report.kind == kind and not report.anonymous
    line = standing_line(report)
    assert line["group"] == "formil" and line["status"] == check
    if kind == "informasi_awal":
        assert "informasi awal" in r.json()["message"]
        assert "pemantau pemilihan" in r.json()["message"].lower()


def test_a_reachable_reporter_without_standing_is_not_promoted_and_the_reverse_holds(public, db):
    # standing is one condition beside reachability: a voter nobody can reach stays informasi awal
    r = public.post(
        "/api/v1/reports",
        data=fields(reporter_phone="", reporter_address="", reporter_standing="pemilih"),
    )
    assert r.status_code == 201 and r.json()["kind"] == "informasi_awal"


def test_an_unknown_standing_is_refused_naming_the_field_and_stores_nothing(public, db):
    r = public.post("/api/v1/reports", data=fields(reporter_standing="wartawan"))
    assert r.status_code == 422, r.text
    errors = r.json()["errors"]
    assert [(e["code"], e["field"]) for e in errors] == [
        ("report.standing_unknown", "reporter_standing")
    ]
    assert "wartawan" in errors[0]["message"] and "pemilih" in errors[0]["message"]
    assert db.scalar(select(func.count()).select_from(Report)) == 0


def test_standing_is_sealed_with_the_identity_and_shown_to_who_may_open_it(app, public, db):
    number = public.post(
        "/api/v1/reports", data=fields(reporter_standing="pemantau_terdaftar")
    ).json()["number"]
    report = db.scalar(select(Report))
    assert b"pemantau" not in report.reporter_enc  # no column of its own: inside the sealed JSON
    staff = login(TestClient(app), "bawaslu_staff")
    token = csrf_from(staff.get("/").text)
    assert "pemantau_terdaftar" not in json.dumps(staff.get(f"/api/v1/reports/{number}").json())
    opened = staff.post(f"/api/v1/reports/{number}/identity", headers={"X-CSRF-Token": token})
    assert opened.json()["standing"] == "pemantau_terdaftar"
    page = staff.post(f"/laporan/{number}/identitas", data={"csrf_token": token}).text
    assert "Kedudukan pelapor" in page and "Pemantau pemilihan yang terdaftar" in page
    other = login(TestClient(app), "bkpsdm")
    t = csrf_from(other.get("/").text)
    assert (
        other.post(f"/api/v1/reports/{number}/identity", headers={"X-CSRF-Token": t}).status_code
        == 403
    )


def test_an_anonymous_report_keeps_no_standing(public, db):
    r = public.post("/api/v1/reports", data=fields(anonymous="true", reporter_standing="pemilih"))
    assert r.status_code == 201 and r.json()["kind"] == "informasi_awal"
    report = db.scalar(select(Report))
    assert report.anonymous and report.reporter_enc is None
    assert standing_line(report)["status"] == "kurang"


def test_the_public_form_asks_for_standing_and_says_why(public, db):
    page = public.get("/lapor")
    assert 'name="reporter_standing"' in page.text
    for code in MAY_FILE | MAY_NOT_FILE:
        assert f'value="{code}"' in page.text
    assert "laporan formal hanya dapat disampaikan oleh pemilih" in page.text
    assert "Pasal 134 ayat (2)" in page.text  # the basis, read from the rulebook
    english = TestClient(public.app).get("/lapor?lang=en").text
    assert "can only be filed by a voter" in english and "Voter (a citizen" in english
    token = csrf_from(page.text)
    bad = public.post("/lapor", data={**fields(reporter_standing="x"), "csrf_token": token})
    assert bad.status_code == 422
    assert 'id="reporter_standing" name="reporter_standing" aria-invalid="true"' in bad.text
    ok = public.post("/lapor", data={**fields(reporter_standing="lainnya"), "csrf_token": token})
    assert ok.status_code == 201 and "informasi awal" in ok.text
    assert db.scalar(select(Report)).kind == "informasi_awal"


# ---------------------------------------------------------------- the receipt shows the outcome


def open_status(client: TestClient, number: str, code: str, lang: str = "") -> str:
    look = client.get("/lapor/cek")
    r = client.post(
        "/lapor/cek", data={"number": number, "code": code, "csrf_token": csrf_from(look.text)}
    )
    assert r.status_code == 200, r.text[:500]
    return client.get(f"/lapor/status?lang={lang}").text if lang else r.text


@pytest.mark.parametrize("anonymous", [False, True])
def test_the_receipt_shows_each_status_change_and_the_cases_outcome(app, public, db, anonymous):
    receipt = public.post(
        "/api/v1/reports", data=fields(anonymous="true" if anonymous else None)
    ).json()
    number, code = receipt["number"], receipt["receipt_code"]
    staff = login(TestClient(app), "bawaslu_staff")
    h = {"X-CSRF-Token": csrf_from(staff.get("/").text)}
    for to in ("diperiksa", "diteruskan"):
        r = staff.post(f"/api/v1/reports/{number}/status", json={"status": to}, headers=h)
        assert r.status_code == 200, r.text
    staff.post(f"/api/v1/reports/{number}/questions", json={"body": "Jam berapa?"}, headers=h)
    report_id = db.scalar(select(Report.id).where(Report.number == number))
    # each step on its own date, after the filing (the report was filed today)
    stages = ["registered", "plenary_violation", "forwarded_bkn", "sanction_decided", "carried_out"]
    steps = [(stage, TODAY + timedelta(days=3 * i)) for i, stage in enumerate(stages)]
    for stage, on in reversed(steps):  # recorded out of order: shown in the order they happened
        reports.record_public_progress(db_session=db, report_id=report_id, stage=stage, on_date=on)
    db.commit()

    page = open_status(TestClient(app), number, code)
    # the headline is the outcome, not "Diteruskan"
    headline = page.split('class="status-line">')[1].split("</p>")[0]
    assert "Sanksi telah dilaksanakan" in headline
    history = page.split('id="perkembangan"')[1].split('id="pesan"')[0]
    labels = [reports.PUBLIC_STAGES[s][0] for s, _ in steps]
    positions = [history.index(label) for label in labels]
    assert positions == sorted(positions)
    last = steps[-1][1]
    assert f"{last.day} {MONTHS_ID[last.month]} {last.year}" in history
    assert "Laporan diterima" in history
    assert reports.STATUS_LABELS["diperiksa"][0] in history
    assert reports.STATUS_LABELS["diteruskan"][0] in history
    # nothing that names staff, and the progress lines are not shown as messages
    for secret in ("Uji bawaslu_staff", "bawaslu_staff", "Uji ", "sistem", '"stage"'):
        assert secret not in page
    assert "Jam berapa?" in page and page.count('class="msg ') == 1

    english = open_status(TestClient(app), number, code, lang="en")
    assert "The sanction has been carried out" in english and "Report received" in english

    seen = public.post("/api/v1/receipts/lookup", json={"number": number, "code": code}).json()
    assert [p["stage"] for p in seen["progress"]][-5:] == [s for s, _ in steps]
    assert [p["stage"] for p in seen["progress"]][:3] == ["baru", "diperiksa", "diteruskan"]
    assert seen["progress"][-1]["on"] == last.isoformat()
    assert [m["sender"] for m in seen["messages"]] == ["staf"]
    assert "bawaslu_staff" not in json.dumps(seen)


def test_recording_the_same_step_twice_adds_one_line_and_unknown_steps_are_refused(public, db):
    receipt = public.post("/api/v1/reports", data=fields()).json()
    report_id = db.scalar(select(Report.id))
    for _ in range(2):
        reports.record_public_progress(
            db_session=db, report_id=report_id, stage="not_proven", on_date=TODAY
        )
    db.commit()
    assert db.scalar(select(func.count()).select_from(ReportMessage)) == 1
    with pytest.raises(ValidationFailed) as err:
        reports.record_public_progress(
            db_session=db, report_id=report_id, stage="dipecat", on_date=TODAY
        )
    assert err.value.problems[0].field == "stage"
    seen = public.post(
        "/api/v1/receipts/lookup",
        json={"number": receipt["number"], "code": receipt["receipt_code"]},
    ).json()
    assert seen["progress"][-1]["label"] == "PPK menyatakan pelanggaran tidak terbukti"
