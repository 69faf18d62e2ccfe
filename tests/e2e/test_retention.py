"""Retention: after a case closes (or a report closes without one) and the retention passes, the
reporter's identity and the evidence originals are deleted, logged, and said so on the page."""

from __future__ import annotations

import io
from datetime import UTC, date, datetime

import pytest
from fastapi.testclient import TestClient
from PIL import Image
from sqlalchemy import select
from typer.testing import CliRunner

from netral.cases import service as cases
from netral.cases.models import CaseTransition
from netral.cases.retention import run_retention
from netral.cli import app as cli
from netral.core.audit import Actor
from netral.core.models import AuditEntry, User
from netral.core.security import Scope
from netral.election.service import DEMO_ELECTION, read_election_file, upsert_election
from netral.reports.models import Evidence, Report

from support.evidence import jpeg_with_gps, photo_jpeg, prepare_pending
from support.web import login

TODAY = date(2026, 11, 30)
LONG_AGO = datetime(2025, 6, 1, 3, 0, tzinfo=UTC)  # > 365 days before TODAY


@pytest.fixture
def election(db, world):
    upsert_election(
        db_session=db, election_in=read_election_file(DEMO_ELECTION), actor=Actor.system()
    )
    db.commit()


def _file(app, *, seed: int = 7, name: str = "Nina Marlina") -> str:
    photo = jpeg_with_gps(Image.open(io.BytesIO(photo_jpeg(640, 480, seed=seed))))
    r = TestClient(app).post(
        "/api/v1/reports",
        data={
            "description": "Camat berpose tiga jari di samping spanduk paslon saat acara warga.",
            "occurred_on": "2024-10-01",
            "known_on": "2024-10-02",
            "kecamatan": "32.73.01",
            "place": "Balai RW 05",
            "category": "SKB-07",
            "reporter_name": name,
            "reporter_birth_place": "Bandung",
            "reporter_birth_date": "1990-05-17",
            "reporter_sex": "P",
            "reporter_occupation": "Wiraswasta",
            "reporter_address": "Jl. Setiabudi 12, Bandung",
            "reporter_phone": "081234567890",
            "reporter_email": "nina@example.com",
            "reporter_standing": "pemilih",
        },
        files=[("evidence", ("foto.jpg", photo, "image/jpeg"))],
    )
    assert r.status_code == 201, r.text
    return str(r.json()["number"])


def _case_closed(db, number: str, *, closed: bool, at: datetime = LONG_AGO) -> None:
    chief = db.scalar(select(User).where(User.username == "bawaslu_commissioner"))
    case = cases.open_case(
        db_session=db,
        scope=Scope("region", "32.73"),
        user=chief,
        title="Pose tiga jari",
        report_numbers=[number],
        acts=["SKB-07"],
    )
    if closed:  # the season ran its course: the case reached a final state long ago
        db.add(
            CaseTransition(
                case_id=case.id,
                code="selesai",
                from_state=case.state,
                to_state="selesai",
                actor_name="bawaslu_commissioner",
                role="bawaslu_commissioner",
                at=at,
            )
        )
        case.state = "selesai"
    db.commit()


def _report(db, number: str) -> Report:
    db.expire_all()
    return db.scalar(select(Report).where(Report.number == number))


def test_past_retention_the_identity_and_originals_go_and_the_page_says_so(app, db, election):
    closed, still_open = _file(app, seed=1), _file(app, seed=2)
    prepare_pending(db, app.state.settings.data_dir)  # the clean copies, as the worker makes them
    _case_closed(db, closed, closed=True)
    _case_closed(db, still_open, closed=False)
    store = app.state.store
    original = _report(db, closed).evidence[0].sha256
    derivative = _report(db, closed).evidence[0].derivative_sha256
    assert store.exists(original) and store.exists(derivative)

    done = run_retention(engine=app.state.engine, store=store, days=365, today=TODAY)
    assert (done.from_cases, done.without_case, done.files_removed) == (1, 0, 1)

    gone = _report(db, closed)
    assert gone.reporter_enc is None and gone.personal_data_deleted_on == TODAY
    assert not store.exists(original) and store.exists(derivative)  # the case keeps the copy
    assert _report(db, still_open).reporter_enc is not None  # its case is still open
    row = db.scalar(select(AuditEntry).where(AuditEntry.action == "report.personal_data_deleted"))
    assert row.object_id == closed and row.summary["originals"] == 1
    assert "Nina" not in str(row.summary)

    staff = login(TestClient(app), "bawaslu_staff")
    page = staff.get(f"/laporan/{closed}").text
    assert "karena masa retensi berakhir" in page and "Buka identitas pelapor" not in page
    owner = login(TestClient(app), "bawaslu_commissioner")  # may open originals
    r = owner.get(f"/bukti/{original}", headers={"Accept": "text/html"})
    assert r.status_code == 404 and "masa retensinya berakhir" in r.text
    assert owner.get(f"/bukti/{derivative}").status_code == 200

    again = run_retention(engine=app.state.engine, store=store, days=365, today=TODAY)
    assert (again.from_cases, again.without_case, again.files_removed) == (0, 0, 0)


def test_a_report_closed_without_a_case_follows_its_own_last_change(app, db, election):
    old, recent = _file(app, seed=3), _file(app, seed=4)
    for number, when in ((old, LONG_AGO), (recent, datetime(2026, 11, 1, tzinfo=UTC))):
        report = _report(db, number)
        report.status = "ditolak"
        report.updated_at = when
        db.commit()
    done = run_retention(engine=app.state.engine, store=app.state.store, days=365, today=TODAY)
    assert done.without_case == 1
    assert _report(db, old).reporter_enc is None
    assert _report(db, recent).reporter_enc is not None


def test_an_original_another_kept_report_shares_stays(app, db, election):
    first, second = _file(app, seed=5), _file(app, seed=5, name="Rina")  # the same photo
    assert _report(db, first).evidence[0].sha256 == _report(db, second).evidence[0].sha256
    _case_closed(db, first, closed=True)
    done = run_retention(engine=app.state.engine, store=app.state.store, days=365, today=TODAY)
    assert done.from_cases == 1 and done.files_removed == 0
    shared = db.scalar(select(Evidence.sha256).where(Evidence.report_id == _report(db, second).id))
    assert app.state.store.exists(shared)


def test_the_command_refuses_without_a_retention(monkeypatch, database_url, world):
    monkeypatch.setenv("NETRAL_DATABASE_URL", database_url)
    monkeypatch.delenv("NETRAL_RETENTION_DAYS", raising=False)
    from netral.core.settings import get_settings

    get_settings.cache_clear()
    try:
        r = CliRunner().invoke(cli, ["retention", "run"])
        assert r.exit_code == 2 and "masa retensi belum diatur" in r.output
        ok = CliRunner().invoke(cli, ["retention", "run", "--days", "365", "--today", "2026-11-30"])
        assert ok.exit_code == 0, ok.output
    finally:
        get_settings.cache_clear()
