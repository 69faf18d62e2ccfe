"""Pages a person reads carry no machine text: codes through labels, refusals in words."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime

from fastapi.testclient import TestClient
from sqlalchemy import select

from netral.cases import service
from netral.cases.schemas import TransitionIn
from netral.core.models import User
from netral.core.security import Scope
from netral.core.storage import LocalEvidenceStore

from support.evidence import minimal_pdf
from support.web import csrf_from, login

HTML = {"Accept": "text/html,application/xhtml+xml,*/*;q=0.8"}
SNAKE = re.compile(r"\b[a-z]+_[a-z_]+\b")


def _text(html: str) -> str:
    html = re.sub(r"<(script|style)[^>]*>.*?</\1>", "", html, flags=re.S)
    html = re.sub(r"<[^>]+>", " ", html)
    return re.sub(r"\s+", " ", html)


def _decided_case(app, db) -> str:
    chief = db.scalar(select(User).where(User.username == "bawaslu_commissioner"))
    at = datetime(2024, 10, 11, 3, 0, tzinfo=UTC)
    case = service.open_case(
        db_session=db,
        scope=Scope("region", "32.73"),
        user=chief,
        title="Temuan",
        origin="temuan",
        region="32.73",
        acts=["SKB-07"],
        now=at,
    )
    service.transition(db_session=db, case=case, code="registrasi", user=chief, now=at)
    case.state = "kajian"
    store = LocalEvidenceStore(app.state.settings.data_dir / "evidence")
    service.add_document(
        db_session=db,
        store=store,
        case=case,
        user=chief,
        kind="risalah_pleno",
        title="Risalah pleno",
        upload=service.upload_from_bytes("r.pdf", minimal_pdf(), "application/pdf"),
    )
    service.transition(
        db_session=db,
        case=case,
        code="terbukti",
        user=chief,
        store=store,
        fields=TransitionIn(
            decision_date=date(2024, 10, 16),
            reason="Terbukti",
            commissioners_present=["Ketua A"],
            proven_acts=["SKB-07"],
        ),
        now=datetime(2024, 10, 21, 3, 0, tzinfo=UTC),
    )
    db.commit()
    return case.number


def test_the_case_timeline_reads_in_words_in_both_languages(app, db, world):
    number = _decided_case(app, db)
    staff = login(TestClient(app), "bawaslu_staff")
    page = _text(staff.get(f"/kasus/{number}").text)
    timeline = page[page.index("Linimasa") :]
    assert "Tanggal putusan 16 Oktober 2024" in timeline
    assert "Catat putusan pleno: terbukti" in timeline and "(Komisioner Bawaslu)" in timeline
    assert "Uji bawaslu_commissioner (Komisioner Bawaslu)" in timeline  # by name, not login
    assert "Bawaslu menindaklanjuti laporan" in timeline
    for machine in (
        "decision_date",
        "proven_acts",
        "bawaslu_assessment",
        "closed_by",
        "{",
        "(bawaslu_commissioner)",
        "2024-10-16",
    ):
        assert machine not in timeline, machine
    # the test world's usernames are role codes, so look for the role in brackets
    assert "(bawaslu_commissioner)" not in page and "bawaslu_assessment" not in page
    english = _text(staff.get(f"/kasus/{number}?lang=en").text)
    assert "Decision date 16 October 2024" in english and "(Bawaslu commissioner)" in english
    assert "Record the plenary decision: proven" in english


def test_a_refusal_says_who_may_do_it_and_shows_no_code(app):
    asn = login(TestClient(app), "asn")
    r = asn.get("/laporan", headers=HTML)
    assert r.status_code == 403
    text = _text(r.text)
    assert "Hanya Staf Bawaslu atau Komisioner Bawaslu yang berwenang melihat" in text
    assert "reports.read" not in text and "auth.forbidden" not in text and "(asn)" not in text
    # an API client still gets the code
    api = asn.get("/api/v1/reports", headers={"Accept": "application/json"})
    assert api.status_code == 403 and api.json()["code"] == "auth.forbidden"


def test_malformed_addresses_get_the_error_page_in_words(app):
    staff = login(TestClient(app), "bawaslu_staff")
    for path, status in (("/asn/abc", 404), ("/kasus/dokumen/abc", 404), ("/asn?page=abc", 422)):
        r = staff.get(path, headers=HTML)
        assert r.status_code == status, path
        assert r.headers["content-type"].startswith("text/html"), path
        text = _text(r.text)
        for machine in ("request.invalid", "request.not_found", "asn_id", "doc_id", "page."):
            assert machine not in text, (path, machine)
    assert staff.get("/api/v1/asn/abc").headers["content-type"].startswith("application/")


def test_the_language_switch_after_a_post_returns_to_the_get_page(app, db, world):
    number = _decided_case(app, db)
    staff = login(TestClient(app), "bawaslu_staff")
    page = staff.get(f"/kasus/{number}")
    # a refused transition answers the POST with the case page again
    r = staff.post(
        f"/kasus/{number}/transisi/pemberitahuan_status",
        data={"csrf_token": csrf_from(page.text)},
        headers={**HTML, "Referer": f"http://testserver/kasus/{number}"},
    )
    assert r.status_code >= 400
    switch = re.search(r'<a href="([^"]+)" class="lang"', r.text).group(1)
    assert switch == f"/kasus/{number}?lang=en"
    assert staff.get(switch.replace("&amp;", "&")).status_code == 200
    # on a GET page the switch keeps the query
    listing = staff.get("/kasus?q=Temuan")
    assert '/kasus?q=Temuan&amp;lang=id" class="lang"' in listing.text  # English now


def test_rulebook_page_shows_no_deadline_codes(app):
    staff = login(TestClient(app), "bawaslu_staff")
    for lang in ("id", "en"):
        text = _text(staff.get(f"/aturan?lang={lang}").text)
        for code in ("bawaslu_assessment", "ppk_follow_up", "report_filing"):
            assert code not in text, (lang, code)
