"""Forms people fill in (SQLite and PostgreSQL): every problem at once, each beside its field and
listed on top; refused files named with their reasons and nothing kept; an anonymous reporter's
identity never stored; a decision that cannot be undone asked again before it is made."""

from __future__ import annotations

import io
import re
import shutil
from datetime import date, timedelta

import pytest
from fastapi.testclient import TestClient
from PIL import Image
from playwright.sync_api import expect
from sqlalchemy import func, select

from netral.cases.models import Case
from netral.core.audit import Actor
from netral.election.service import DEMO_ELECTION, read_election_file, upsert_election
from netral.reports.models import Evidence, Report

from support.browser import CHROMIUM
from support.evidence import photo_jpeg, prepare_pending
from support.web import csrf_from, login

TODAY = date.today()


@pytest.fixture
def election(db, world):
    upsert_election(
        db_session=db, election_in=read_election_file(DEMO_ELECTION), actor=Actor.system()
    )
    db.commit()


@pytest.fixture
def public(app, election) -> TestClient:
    return TestClient(app)


def _fields(**over: str) -> dict[str, str]:
    base = {
        "description": "Camat Sukasari berpose tiga jari di samping spanduk paslon 3 saat acara "
        "warga di balai RW.",
        "occurred_on": (TODAY - timedelta(days=2)).isoformat(),
        "known_on": (TODAY - timedelta(days=1)).isoformat(),
        "kecamatan": "32.73.01",
        "place": "Balai RW 05",
        "category": "SKB-07",
        "reported_name": "Asep Sunandar",
        "reported_position": "Camat Sukasari",
    }
    return base | over


def _stored(db, settings) -> tuple[int, int, list[str]]:
    db.expire_all()
    root = settings.data_dir / "evidence" / "objects"
    blobs = sorted(p.name for p in root.rglob("*") if p.is_file()) if root.exists() else []
    reports = db.scalar(select(func.count()).select_from(Report))
    evidence = db.scalar(select(func.count()).select_from(Evidence))
    return reports, evidence, blobs


def _summary(html: str) -> list[tuple[str, str]]:
    """The error summary's entries: (the field it links to, the message)."""
    box = re.search(r'<div class="error-summary".*?</div>', html, re.S)
    assert box, "no error summary on the page"
    return re.findall(r'<li><a href="#([^"]+)">([^<]+)</a></li>', box.group(0))


def _beside(html: str, field: str) -> str:
    """The message shown beside a field, which the field names with aria-describedby."""
    assert re.search(
        rf'id="{field}" name="{field}"[^>]*aria-invalid="true"[^>]*aria-describedby="{field}-error',
        html,
    ), f"{field} is not marked invalid and described by its error"
    m = re.search(rf'class="field-error" id="{field}-error">(.*?)</(p|ul|span)>', html, re.S)
    assert m, f"no message beside {field}"
    return re.sub(r"<[^>]+>", " ", m.group(1)).strip()


def test_an_empty_report_gets_every_required_field_error_at_once(public, db, settings):
    page = public.get("/lapor")
    token = csrf_from(page.text)
    before = _stored(db, settings)
    r = public.post("/lapor", data={"csrf_token": token, "description": "", "occurred_on": ""})
    assert r.status_code == 422
    summary = _summary(r.text)
    # one Bawaslu region holds the demo election: its kecamatan is then not asked for
    assert [f for f, _ in summary] == ["description", "occurred_on", "known_on"], summary
    assert 'for="kecamatan">Kecamatan</label>' in page.text  # so not marked required either
    for field, message in summary:
        assert message.endswith(_beside(r.text, field))  # the label, then the message
    assert "Wajib diisi." in _beside(r.text, "occurred_on")
    assert summary[1][1] == "Tanggal kejadian: Wajib diisi."  # the summary names the field
    assert "minimal 20 karakter" in _beside(r.text, "description")
    assert _stored(db, settings) == before


def test_schema_and_business_errors_come_together_with_the_values_kept(public, db, settings):
    token = csrf_from(public.get("/lapor").text)
    future = (TODAY + timedelta(days=3)).isoformat()
    r = public.post(
        "/lapor",
        data=_fields(
            csrf_token=token,
            known_on="bukan-tanggal",  # the schema refuses it
            occurred_on=future,  # the law's check refuses it
            reported_nip="123",  # so does the NIP check
            links="ftp://contoh",
        ),
    )
    assert r.status_code == 422
    fields = [f for f, _ in _summary(r.text)]
    assert set(fields) == {"known_on", "occurred_on", "reported_nip", "links"}, fields
    assert "masa depan" in _beside(r.text, "occurred_on")
    assert 'value="Camat Sukasari"' in r.text  # what was typed is kept
    assert _stored(db, settings)[:2] == (0, 0)


def test_two_bad_files_are_both_named_with_reasons_and_nothing_is_stored(public, db, settings):
    token = csrf_from(public.get("/lapor").text)
    before = _stored(db, settings)
    photo = photo_jpeg(400, 300)
    files = [
        ("evidence", ("foto-baik.jpg", photo, "image/jpeg")),
        ("evidence", ("program.exe", b"MZ\x90\x00" + b"\x00" * 200, "image/jpeg")),
        ("evidence", ("rusak.jpg", photo[: len(photo) // 3], "image/jpeg")),
    ]
    r = public.post("/lapor", data=_fields(csrf_token=token), files=files)
    assert r.status_code == 422
    entries = [m for f, m in _summary(r.text) if f == "evidence"]
    assert len(entries) == 2, entries
    assert "program.exe" in entries[0] and "ternyata" in entries[0]
    assert "rusak.jpg" in entries[1] and "rusak atau terpotong" in entries[1]
    beside = _beside(r.text, "evidence")
    assert "program.exe" in beside and "rusak.jpg" in beside
    assert _stored(db, settings) == before  # no report row, no evidence row, no blob

    # with another problem on the form too, the files are still each checked and named
    r = public.post("/lapor", data=_fields(csrf_token=token, description="pendek"), files=files)
    fields = [f for f, _ in _summary(r.text)]
    assert fields == ["description", "evidence", "evidence"], fields
    assert _stored(db, settings) == before


def test_too_many_files_is_named_and_nothing_is_stored(public, db, settings):
    token = csrf_from(public.get("/lapor").text)
    photo = io.BytesIO()
    Image.new("RGB", (40, 30), (200, 40, 40)).save(photo, "PNG")
    files = [("evidence", (f"f{i}.png", photo.getvalue(), "image/png")) for i in range(11)]
    r = public.post("/lapor", data=_fields(csrf_token=token), files=files)
    assert r.status_code == 422
    assert any("Paling banyak 10 berkas" in m for f, m in _summary(r.text) if f == "evidence")
    assert _stored(db, settings)[:2] == (0, 0)


def test_anonymous_with_identity_values_stores_no_identity(public, db):
    token = csrf_from(public.get("/lapor").text)
    r = public.post(
        "/lapor",
        data=_fields(
            csrf_token=token,
            anonymous="on",
            reporter_name="Nina Marlina",
            reporter_phone="081234567890",
            reporter_address="Jl. Setiabudi 12",
            reporter_email="bukan-email",  # would be refused if it were read at all
            reporter_standing="pemilih",
        ),
    )
    assert r.status_code == 201, r.text
    report = db.scalar(select(Report))
    assert report.anonymous is True and report.reporter_enc is None
    assert report.kind == "informasi_awal"
    # and through the API the same: identity sent with "anonymous" is dropped
    api = public.post(
        "/api/v1/reports",
        data=_fields(anonymous="true", reporter_name="Nina", reporter_birth_date="kemarin"),
    )
    assert api.status_code == 201, api.text
    db.expire_all()
    assert (
        db.scalar(select(Report).where(Report.number == api.json()["number"])).reporter_enc is None
    )


def test_the_form_still_works_without_anonymous_identity_hidden_server_side(public):
    page = public.get("/lapor").text
    # identity fields sit in one block the anonymous box controls (hidden by CSS :has())
    assert 'id="anonymous" aria-controls="identity"' in page
    assert '<div class="identity" id="identity">' in page


@pytest.mark.skipif(not shutil.which(CHROMIUM), reason=f"no Chromium at {CHROMIUM}")
@pytest.mark.parametrize("engine", ["sqlite"], indirect=True)
def test_in_chromium_ticking_anonymous_hides_the_identity_fields(election, server, browser, shots):
    page = browser.new_page(viewport={"width": 800, "height": 900})
    page.goto(f"{server}/lapor")
    name = page.locator("#reporter_name")
    expect(name).to_be_visible()
    expect(page.locator("#reporter_phone")).to_be_visible()
    page.check("#anonymous")
    expect(name).to_be_hidden()
    for field in ("reporter_phone", "reporter_address", "reporter_standing", "reporter_email"):
        expect(page.locator(f"#{field}")).to_be_hidden()
    page.screenshot(path=str(shots / "report-anonymous.png"), full_page=True)
    page.uncheck("#anonymous")
    expect(name).to_be_visible()
    # an empty submission: the summary on top lists each problem, its link moves to the field
    page.click("button[type=submit]")
    summary = page.locator(".error-summary")
    expect(summary).to_be_visible()
    expect(summary.locator("li")).to_have_count(3)
    page.screenshot(path=str(shots / "report-errors.png"), full_page=True)
    summary.get_by_role("link").first.click()
    expect(page.locator("#description")).to_be_focused()
    page.close()


# ---------------------------------------------------------------- confirmation


def _staff_case(app, election) -> tuple[TestClient, str]:
    """A case just opened from an anonymous report, and Bawaslu staff signed in at their desk."""
    r = TestClient(app).post(
        "/api/v1/reports",
        data=_fields(anonymous="true"),
    )
    assert r.status_code == 201, r.text
    staff = login(TestClient(app), "bawaslu_staff")
    token = csrf_from(staff.get("/").text)
    case = staff.post(
        "/api/v1/cases",
        json={"title": "Pose tiga jari", "reports": [r.json()["number"]], "acts": ["SKB-07"]},
        headers={"X-CSRF-Token": token},
    )
    assert case.status_code == 201, case.text
    return staff, case.json()["number"]


def _state(db, number: str) -> tuple[str, int]:
    db.expire_all()
    case = db.scalar(select(Case).where(Case.number == number))
    return case.state, len(case.transitions)


def test_a_transition_without_confirm_renders_the_confirmation_and_changes_nothing(
    app, election, db
):
    staff, number = _staff_case(app, election)
    page = staff.get(f"/kasus/{number}").text
    token = csrf_from(page)
    before = _state(db, number)
    reason = "Bukan pelanggaran netralitas;\nlaporan tidak memenuhi syarat formil."
    r = staff.post(
        f"/kasus/{number}/transisi/tolak_registrasi",
        data={"csrf_token": token, "reason": reason},
    )
    assert r.status_code == 200
    assert "Tidak diregistrasi: lanjutkan?" in r.text
    assert "menjadi “Tidak diregistrasi”" in r.text  # what will happen, in words
    assert "tidak dapat dibatalkan" in r.text
    assert f'action="/kasus/{number}/transisi/tolak_registrasi"' in r.text
    assert '<input type="hidden" name="confirm" value="1">' in r.text
    carried = re.search(r'<input type="hidden" name="reason" value="([^"]*)">', r.text, re.S)
    assert carried and carried.group(1) == reason  # the line break too
    assert f'href="/kasus/{number}#tindakan">Batal</a>' in r.text
    assert _state(db, number) == before  # nothing happened

    # "Ya, lanjutkan": the same fields again, with confirm=1
    yes = staff.post(
        f"/kasus/{number}/transisi/tolak_registrasi",
        data={"csrf_token": csrf_from(r.text), "reason": reason, "confirm": "1"},
        follow_redirects=False,
    )
    assert yes.status_code == 303, yes.text
    state, steps = _state(db, number)
    assert state == "tidak_diregistrasi" and steps == before[1] + 1


def test_a_refused_transition_is_not_asked_again_but_refused_beside_its_field(app, election, db):
    staff, number = _staff_case(app, election)
    token = csrf_from(staff.get(f"/kasus/{number}").text)
    before = _state(db, number)
    r = staff.post(f"/kasus/{number}/transisi/tolak_registrasi", data={"csrf_token": token})
    assert r.status_code == 422
    assert "lanjutkan?" not in r.text
    assert _state(db, number) == before
    # the refused step's form is open, its message beside the field and listed on top
    assert '<details class="action" open><summary>Tidak diregistrasi</summary>' in r.text
    assert re.search(
        r'<textarea name="reason" id="reason" aria-invalid="true" aria-describedby="reason-error"',
        r.text,
    )
    assert [f for f, _ in _summary(r.text)] == ["reason"]
    assert 'class="field-error" id="reason-error">' in r.text


def test_the_api_is_not_asked_for_confirmation(app, election, db):
    staff, number = _staff_case(app, election)
    token = csrf_from(staff.get("/").text)
    r = staff.post(
        f"/api/v1/cases/{number}/transitions/tolak_registrasi",
        json={"reason": "Tidak memenuhi syarat formil."},
        headers={"X-CSRF-Token": token},
    )
    assert r.status_code == 200, r.text
    assert _state(db, number)[0] == "tidak_diregistrasi"


def test_a_step_that_can_be_undone_is_not_asked_again(app, election, db):
    staff, number = _staff_case(app, election)
    token = csrf_from(staff.get(f"/kasus/{number}").text)
    r = staff.post(
        f"/kasus/{number}/transisi/registrasi", data={"csrf_token": token}, follow_redirects=False
    )
    assert r.status_code == 303, r.text
    assert _state(db, number)[0] == "registrasi"


def test_rejecting_a_report_is_asked_again_and_a_refusal_sits_beside_its_field(app, public, db):
    number = public.post("/api/v1/reports", data=_fields(anonymous="true")).json()["number"]
    staff = login(TestClient(app), "bawaslu_staff")
    page = staff.get(f"/laporan/{number}").text
    # the main action of a report's page is opening a case from it
    assert re.search(r'<a class="button primary-link" href="/kasus/baru\?laporan=', page)
    token = csrf_from(page)
    url = f"/laporan/{number}/status"

    # no ground and no note: both refused beside their fields, what was chosen kept, nothing asked
    r = staff.post(url, data={"csrf_token": token, "status": "ditolak", "reason": ""})
    assert r.status_code == 422 and "lanjutkan?" not in r.text
    assert _beside(r.text, "reason") == "Alasan penolakan wajib diisi."
    assert _beside(r.text, "ground").startswith("Pilih dasar penolakan yang akan dibaca pelapor")
    assert [f for f, _ in _summary(r.text)] == ["ground", "reason"]
    assert '<option value="ditolak" selected>' in r.text
    # a ground the rulebook does not hold is refused the same way
    r = staff.post(
        url, data={"csrf_token": token, "status": "ditolak", "reason": "x", "ground": "bosan"}
    )
    assert r.status_code == 422 and [f for f, _ in _summary(r.text)] == ["ground"]

    # a merge into a report that does not exist: refused beside its field, typed value kept
    r = staff.post(
        url, data={"csrf_token": token, "status": "digabung", "duplicate_of": "LAP-2000-999999"}
    )
    assert r.status_code == 404
    assert _beside(r.text, "duplicate_of") and 'value="LAP-2000-999999"' in r.text

    reason = "Bukan ASN: yang berpose adalah warga biasa."
    r = staff.post(
        url,
        data={"csrf_token": token, "status": "ditolak", "reason": reason, "ground": "bukan_asn"},
    )
    assert r.status_code == 200 and "lanjutkan?" in r.text
    assert "menjadi “ditolak”" in r.text
    # the confirmation says what the reporter will read
    assert "Pihak yang dilaporkan bukan Aparatur Sipil Negara" in r.text
    db.expire_all()
    assert db.scalar(select(Report.status).where(Report.number == number)) == "baru"
    yes = staff.post(
        url,
        data={
            "csrf_token": csrf_from(r.text),
            "status": "ditolak",
            "reason": reason,
            "ground": "bukan_asn",
            "confirm": "1",
        },
        follow_redirects=False,
    )
    assert yes.status_code == 303, yes.text
    db.expire_all()
    assert db.scalar(select(Report.status).where(Report.number == number)) == "ditolak"

    # a move that is easily undone (back to review) is not asked again
    back = staff.post(
        url, data={"csrf_token": token, "status": "diperiksa"}, follow_redirects=False
    )
    assert back.status_code == 303


def test_a_new_case_gets_every_error_at_once_with_the_values_kept(app, public, db):
    number = public.post("/api/v1/reports", data=_fields(anonymous="true")).json()["number"]
    staff = login(TestClient(app), "bawaslu_staff")
    page = staff.get(f"/kasus/baru?laporan={number}").text
    token = csrf_from(page)
    r = staff.post(
        "/kasus",
        data={
            "csrf_token": token,
            "origin": "laporan",
            "reports": f"{number} LAP-2000-999999",
            "title": "",
            "summary": "Ringkasan yang diketik",
            "nips": "199001012020011001",
            "acts": ["SKB-07", "SKB-99"],
        },
    )
    assert r.status_code == 422
    fields = [f for f, _ in _summary(r.text)]
    assert set(fields) == {"title", "reports", "nips", "acts"}, fields
    assert "minimal 5 karakter" in _beside(r.text, "title")
    assert "LAP-2000-999999" in _beside(r.text, "reports")
    assert "199001012020011001" in _beside(r.text, "nips")
    assert ">Ringkasan yang diketik</textarea>" in r.text
    assert 'value="SKB-07" checked' in r.text
    db.expire_all()
    assert db.scalar(select(func.count()).select_from(Case)) == 0


def test_a_new_case_with_an_unknown_nip_is_not_opened(app, public, db):
    number = public.post("/api/v1/reports", data=_fields(anonymous="true")).json()["number"]
    staff = login(TestClient(app), "bawaslu_staff")
    token = csrf_from(staff.get(f"/kasus/baru?laporan={number}").text)
    r = staff.post(
        "/kasus",
        data={
            "csrf_token": token,
            "reports": number,
            "title": "Pose tiga jari di balai RW",
            "nips": "199001012020011001",
            "acts": "SKB-07",
        },
    )
    assert r.status_code == 422
    assert [f for f, _ in _summary(r.text)] == ["nips"]
    db.expire_all()
    assert db.scalar(select(func.count()).select_from(Case)) == 0


def test_scheduling_a_hearing_names_every_problem_at_once(app, election, db):
    staff, number = _staff_case(app, election)
    token = csrf_from(staff.get(f"/kasus/{number}").text)
    r = staff.post(
        f"/kasus/{number}/transisi/registrasi", data={"csrf_token": token}, follow_redirects=False
    )
    assert r.status_code == 303
    r = staff.post(
        f"/kasus/{number}/klarifikasi",
        data={
            "csrf_token": token,
            "party": "saksi",
            "name": " ",
            "position": "Ketua RW",
            "scheduled_at": "besok pagi",
            "place": "Aula",
        },
    )
    assert r.status_code == 422
    assert [f for f, _ in _summary(r.text)] == ["name", "scheduled_at"]
    assert _beside(r.text, "name") == "Nama wajib diisi."
    assert "tanggal dan jam" in _beside(r.text, "scheduled_at")
    assert 'value="Ketua RW"' in r.text and 'value="Aula"' in r.text
    assert '<option value="saksi" selected>' in r.text
    db.expire_all()
    assert not db.scalar(select(Case).where(Case.number == number)).hearings


def test_the_briefing_form_names_each_missing_field_beside_it(as_user, db, world):
    from netral.briefings.models import Briefing

    from support.briefings import seed_briefing_world

    seed_briefing_world(db)
    c = as_user("bakesbangpol")
    token = csrf_from(c.get("/sosialisasi/baru").text)
    r = c.post(
        "/sosialisasi",
        data={"csrf_token": token, "title": "Sosialisasi camat", "region_code": "32.73"},
    )
    assert r.status_code == 422
    fields = [f for f, _ in _summary(r.text)]
    assert fields == ["day", "start", "end", "place", "topics"], fields
    for field in ("day", "start", "end", "place"):
        assert _beside(r.text, field) == "Wajib diisi."
    assert "Isian '" not in r.text  # no field's code in a message
    assert 'value="Sosialisasi camat"' in r.text
    assert db.scalar(select(func.count()).select_from(Briefing)) == 0


def test_the_pledge_campaign_form_links_each_error_to_its_field(as_user, db, world):
    from netral.pledges.models import PledgeCampaign

    client = as_user("bkpsdm")
    token = csrf_from(client.get("/ikrar/kampanye/baru").text)
    r = client.post(
        "/ikrar/kampanye/baru",
        data={"csrf_token": token, "title": "Ikrar", "code": "Bukan Kode!", "region": "32.04"},
    )
    assert r.status_code == 422
    fields = {f for f, _ in _summary(r.text)}
    # the region out of scope together with the schema's refusals, not one after the other
    assert {"region", "code", "issuer", "ikrar", "pakta_integritas", "opens_on"} <= fields
    assert "di luar cakupan" in _beside(r.text, "region")
    assert _beside(r.text, "ikrar") == "Wajib diisi."
    assert db.scalar(select(func.count()).select_from(PledgeCampaign)) == 0


def test_the_reporter_adding_two_bad_files_sees_both_named(public, db, settings):
    receipt = public.post("/api/v1/reports", data=_fields(anonymous="true")).json()
    page = public.get("/lapor/cek").text
    r = public.post(
        "/lapor/cek",
        data={
            "csrf_token": csrf_from(page),
            "number": receipt["number"],
            "code": receipt["receipt_code"],
        },
    )
    assert r.status_code == 200 and receipt["number"] in r.text  # the status page
    before = _stored(db, settings)
    r = public.post(
        "/lapor/status/bukti",
        data={"csrf_token": csrf_from(r.text)},
        files=[
            ("evidence", ("kosong.pdf", b"", "application/pdf")),
            ("evidence", ("arsip.zip", b"PK\x03\x04" + b"\x00" * 100, "image/png")),
        ],
    )
    assert r.status_code == 422
    entries = [m for f, m in _summary(r.text) if f == "evidence"]
    assert len(entries) == 2 and "kosong.pdf" in entries[0] and "arsip.zip" in entries[1]
    assert _stored(db, settings) == before


def test_merging_a_suggested_duplicate_is_asked_again(app, public, db):
    from netral.reports.models import DuplicateSuggestion

    first = public.post("/api/v1/reports", data=_fields(anonymous="true")).json()["number"]
    second = public.post("/api/v1/reports", data=_fields(anonymous="true")).json()["number"]
    prepare_pending(db, app.state.settings.data_dir)  # the duplicate check is the job's
    suggestion = db.scalar(select(DuplicateSuggestion))
    assert suggestion is not None, "two identical reports should be suggested as duplicates"
    number = db.get(Report, suggestion.report_id).number
    assert number in (first, second)
    staff = login(TestClient(app), "bawaslu_staff")
    token = csrf_from(staff.get(f"/laporan/{number}").text)
    url = f"/laporan/{number}/duplikat/{suggestion.id}/gabung"
    r = staff.post(url, data={"csrf_token": token})
    assert r.status_code == 200 and "lanjutkan?" in r.text
    assert "menjadi “digabung”" in r.text
    db.expire_all()
    assert db.scalar(select(Report.status).where(Report.number == number)) == "baru"
    yes = staff.post(
        url, data={"csrf_token": csrf_from(r.text), "confirm": "1"}, follow_redirects=False
    )
    assert yes.status_code == 303
    db.expire_all()
    assert db.scalar(select(Report.status).where(Report.number == number)) == "digabung"


def test_with_two_regions_holding_elections_the_kecamatan_is_marked_and_required(
    public, db, settings
):
    demo = read_election_file(DEMO_ELECTION)
    other = demo.model_copy(
        update={
            "election": demo.election.model_copy(
                update={"region": "32.04", "code": "pilkada-kabupaten-bandung-2024"}
            )
        }
    )
    upsert_election(db_session=db, election_in=other, actor=Actor.system())
    db.commit()
    page = public.get("/lapor").text
    assert 'for="kecamatan">Kecamatan *</label>' in page
    r = public.post("/lapor", data=_fields(csrf_token=csrf_from(page), kecamatan=""))
    assert r.status_code == 422
    assert [f for f, _ in _summary(r.text)] == ["kecamatan"]
    assert "Pilih kecamatan" in _beside(r.text, "kecamatan")
    assert _stored(db, settings)[:2] == (0, 0)
