"""Attendance from sign-in sheets and the QR check-in, against SQLite and PostgreSQL."""

from __future__ import annotations

import io
import json
import zipfile
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select
from typer.testing import CliRunner

from netral.briefings import service
from netral.briefings.models import Attendance, Briefing
from netral.cli import app
from netral.core.audit import Actor
from netral.core.db import utcnow
from netral.core.errors import Conflict, Forbidden, ValidationFailed
from netral.core.models import AuditEntry
from netral.core.security import Scope
from netral.core.settings import get_settings
from netral.core.storage import LocalEvidenceStore

from support.briefings import BUDI, make_event, seed_briefing_world
from support.web import seed_world

NATIONAL = Scope("national")
ACTOR = Actor.system()
runner = CliRunner()


@pytest.fixture
def bw(db):
    seed_world(db)
    return seed_briefing_world(db)


def sheet(tmp_path: Path, *rows: str, header: str = "nip,nama,jabatan,instansi") -> Path:
    p = tmp_path / "hadir.csv"
    p.write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
    return p


def attended(db, event_id: int) -> int:
    return db.scalar(
        select(func.count()).select_from(Attendance).where(Attendance.briefing_id == event_id)
    )


def test_import_by_nip_records_once_and_reimport_is_idempotent(db, bw, tmp_path):
    ev = make_event(db, audience_opd="all")
    f = sheet(tmp_path, f"{BUDI},Budi Santoso,,", f"{bw.head_nip},Hendra Gunawan,,")
    r = service.import_attendance(
        db_session=db, scope=NATIONAL, briefing_id=ev, path=f, actor=ACTOR
    )
    db.commit()
    assert (r.rows, r.valid, r.recorded, r.already, r.written) == (2, 2, 2, 0, True)
    again = service.import_attendance(
        db_session=db, scope=NATIONAL, briefing_id=ev, path=f, actor=ACTOR
    )
    db.commit()
    assert (again.recorded, again.already) == (0, 2)
    assert attended(db, ev) == 2
    rows = db.scalars(select(Attendance).where(Attendance.briefing_id == ev)).all()
    assert {a.opd_id for a in rows} == {bw.dishub} and {a.matched_by for a in rows} == {"nip"}


def test_name_matches_wait_for_confirmation(db, bw, tmp_path):
    ev = make_event(db, audience_opd="all")
    f = sheet(tmp_path, ",Siti Rahmawati,Guru,Dinas Pendidikan", f"{BUDI},Budi Santoso,,")
    r = service.import_attendance(
        db_session=db, scope=NATIONAL, briefing_id=ev, path=f, actor=ACTOR
    )
    db.commit()
    assert r.recorded == 1 and [m.asn.name for m in r.to_confirm] == ["Siti Rahmawati"]
    assert r.as_dict()["to_confirm"][0]["row"] == 2
    r = service.import_attendance(
        db_session=db, scope=NATIONAL, briefing_id=ev, path=f, actor=ACTOR, confirm_names=True
    )
    db.commit()
    assert (r.recorded, r.already, r.to_confirm) == (1, 1, [])
    by = dict(db.execute(select(Attendance.sheet_row, Attendance.matched_by)).all())
    assert by == {2: "name", 3: "nip"}


def test_errors_refuse_the_whole_sheet_unless_partial(db, bw, tmp_path):
    ev = make_event(db, audience_opd="all")
    f = sheet(
        tmp_path,
        f"{BUDI},Budi Santoso,,",
        "196001012000031999,Orang Asing,,",
        "19850312201001100X,Rusak,,",
        f"{BUDI},Budi Santoso,,",
        ",Agus Setiawan,,",
    )
    with pytest.raises(service.AttendanceRefused) as exc:
        service.import_attendance(
            db_session=db, scope=NATIONAL, briefing_id=ev, path=f, actor=ACTOR
        )
    db.rollback()
    assert [(e.row, e.code) for e in exc.value.report.errors] == [
        (3, "attendance.nip_unknown"),
        (4, "nip.not_digits"),
        (5, "attendance.duplicate"),
        (6, "attendance.name_ambiguous"),
    ]
    assert attended(db, ev) == 0
    r = service.import_attendance(
        db_session=db, scope=NATIONAL, briefing_id=ev, path=f, actor=ACTOR, partial=True
    )
    db.commit()
    assert r.recorded == 1 and len(r.errors) == 4 and attended(db, ev) == 1


def test_dry_run_writes_nothing(db, bw, tmp_path):
    ev = make_event(db, audience_opd="all")
    before = db.scalar(select(func.count()).select_from(AuditEntry))
    f = sheet(tmp_path, f"{BUDI},Budi Santoso,,")
    r = service.import_attendance(
        db_session=db, scope=NATIONAL, briefing_id=ev, path=f, actor=ACTOR, dry_run=True
    )
    db.commit()
    assert (r.recorded, r.written, r.dry_run) == (1, False, True)
    assert attended(db, ev) == 0
    assert db.scalar(select(func.count()).select_from(AuditEntry)) == before


@pytest.fixture
def cli_env(monkeypatch, database_url, bw):
    monkeypatch.setenv("NETRAL_DATABASE_URL", database_url)
    get_settings.cache_clear()
    yield bw
    get_settings.cache_clear()


def test_cli_json_contract_and_exit_codes(db, cli_env, tmp_path):
    ev = make_event(db, audience_opd="all")
    f = sheet(
        tmp_path,
        "196001012000031999,Orang Asing,,",
        f"{BUDI},Budi Santoso,,",
        header="No Pegawai,Peserta,jabatan,instansi",
    )
    args = [
        "briefings",
        "attendance",
        "import",
        str(f),
        "--event",
        str(ev),
        "--json",
        "--map",
        "nip=No Pegawai",
        "--map",
        "nama=Peserta",
    ]
    r = runner.invoke(app, args)
    assert r.exit_code == 1, r.output
    out = json.loads(r.stdout)
    assert {"rows", "valid", "errors"} <= set(out)
    assert (out["rows"], out["valid"]) == (2, 1)
    assert out["errors"] == [
        {
            "row": 2,
            "column": "nip",
            "code": "attendance.nip_unknown",
            "message": "NIP 196001012000031999 tidak ada di registri ASN.",
        }
    ]
    assert attended(db, ev) == 0
    r = runner.invoke(app, [*args, "--dry-run"])
    assert r.exit_code == 1 and attended(db, ev) == 0
    r = runner.invoke(app, [*args, "--partial"])
    assert r.exit_code == 1 and json.loads(r.stdout)["recorded"] == 1
    db.expire_all()
    assert attended(db, ev) == 1
    good = sheet(tmp_path, ",Siti Rahmawati,,")
    r = runner.invoke(
        app, ["briefings", "attendance", "import", str(good), "--event", str(ev), "--json"]
    )
    assert r.exit_code == 0 and json.loads(r.stdout)["to_confirm"][0]["name"] == "Siti Rahmawati"
    r = runner.invoke(
        app,
        [
            "briefings",
            "attendance",
            "import",
            str(good),
            "--event",
            str(ev),
            "--json",
            "--confirm-names",
        ],
    )
    assert r.exit_code == 0 and json.loads(r.stdout)["recorded"] == 1


def test_cli_create_and_coverage(db, cli_env):
    r = runner.invoke(
        app,
        [
            "briefings",
            "create",
            "--title",
            "Sosialisasi APK",
            "--region",
            "32.73",
            "--day",
            "2024-09-10",
            "--start",
            "09:00",
            "--end",
            "12:00",
            "--place",
            "Aula",
            "--topic",
            "netralitas",
            "--topic",
            "apk",
            "--opd",
            "DISHUB,BAPENDA",
            "--camat",
            "--json",
        ],
    )
    assert r.exit_code == 0, r.output
    made = json.loads(r.stdout)
    b = db.get(Briefing, made["id"])
    assert made["checkin"].startswith("/sosialisasi/hadir/") and len(b.opds) == 2
    r = runner.invoke(app, ["briefings", "coverage", "--region", "32.73", "--json"])
    assert r.exit_code == 0, r.output
    out = json.loads(r.stdout)
    assert out["totals"]["camat"] == 30 and out["totals"]["lurah"] == 151
    invited = {o["opd_code"]: o["invited"] for o in out["opd"]}
    assert invited == {"BAPENDA": 1, "DISHUB": 1, "DISDIK": 0}


def test_qr_check_in_open_twice_and_closed(db, bw):
    open_ev = db.get(Briefing, make_event(db, days_from_now=1, checkin_lead_minutes=7 * 24 * 60))
    done = service.check_in(db_session=db, token=open_ev.checkin_token, nip=BUDI, actor=ACTOR)
    db.commit()
    assert not done.already and done.attendee.nip == BUDI
    again = service.check_in(db_session=db, token=open_ev.checkin_token, nip=BUDI, actor=ACTOR)
    db.commit()
    assert again.already and attended(db, open_ev.id) == 1
    closed = db.get(Briefing, make_event(db, days_from_now=-2))
    with pytest.raises(Conflict) as exc:
        service.check_in(db_session=db, token=closed.checkin_token, nip=BUDI, actor=ACTOR)
    assert exc.value.code == "briefing.checkin_closed" and "ditutup" in exc.value.message("id")
    db.rollback()
    assert attended(db, closed.id) == 0
    with pytest.raises(Forbidden):
        service.check_in(db_session=db, token=open_ev.checkin_token, nip=None, actor=ACTOR)
    later = service.checkin_state(open_ev, utcnow() + timedelta(days=3))
    assert later == "closed"


def test_event_validation_speaks_both_languages(db, bw):
    with pytest.raises(ValidationFailed) as exc:
        make_event(db, start="12:00", end="09:00", topics=["entah"], audience_opd="none")
    codes = {p.code for p in exc.value.problems}
    assert codes == {"briefing.times", "briefing.topic", "briefing.audience"}


def _pptx() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("[Content_Types].xml", "<Types/>")
        z.writestr("ppt/presentation.xml", "<p:presentation/>")
    return buf.getvalue()


def test_materials_keep_pdf_and_slides_and_refuse_other_files(db, bw, tmp_path):
    ev = make_event(db, audience_opd="all")
    store = LocalEvidenceStore(tmp_path / "store")

    def add(data: bytes, name: str):
        return service.add_material(
            db_session=db,
            scope=NATIONAL,
            briefing_id=ev,
            store=store,
            source=io.BytesIO(data),
            filename=name,
            declared_type=None,
            actor=ACTOR,
        )

    pdf = add(b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n", "materi.pdf")
    slides = add(_pptx(), "paparan.pptx")
    db.commit()
    assert pdf.media_type == "application/pdf" and store.exists(pdf.sha256)
    assert slides.media_type.endswith("presentationml.presentation")
    for data, name in ((b"MZ\x90\x00" + b"\x00" * 64, "virus.exe"), (b"catatan biasa\n", "a.txt")):
        with pytest.raises(ValidationFailed):
            add(data, name)
        db.rollback()
    bad = io.BytesIO()
    with zipfile.ZipFile(bad, "w") as z:
        z.writestr("word/document.xml", "<w/>")
    with pytest.raises(ValidationFailed):
        add(bad.getvalue(), "bukan.pptx")
