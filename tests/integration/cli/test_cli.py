"""The `netral` command against a real database, as an operator runs it."""

from __future__ import annotations

import json
from datetime import date, timedelta

import holidays
import pytest
from sqlalchemy import func, select
from typer.testing import CliRunner

from netral.cli import app
from netral.core.settings import get_settings
from netral.registry.models import Asn

from support.web import seed_world

runner = CliRunner()


@pytest.fixture
def cli_env(monkeypatch, database_url, db, tmp_path):
    monkeypatch.setenv("NETRAL_DATABASE_URL", database_url)
    # a data dir of its own: its audit checkpoints belong to this test's database only
    monkeypatch.setenv("NETRAL_DATA_DIR", str(tmp_path / "data"))
    get_settings.cache_clear()
    seed_world(db)
    yield
    get_settings.cache_clear()


def test_dry_run_json_reports_rows_and_errors_and_exits_1(cli_env, tmp_path, db):
    f = tmp_path / "asn.csv"
    f.write_text(
        "NIP,Nama,OPD\n"
        "197001012000031001,Ahmad Fauzi,DISHUB\n"
        "19700101200003100X,Rudi,DISHUB\n"
        "197001012000031002,Asep,DINAS ENTAH\n"
    )
    before = db.scalar(select(func.count()).select_from(Asn))
    r = runner.invoke(app, ["import", "asn", str(f), "--region", "32.73", "--dry-run", "--json"])
    assert r.exit_code == 1
    out = json.loads(r.stdout)
    assert out["rows"] == 3 and out["valid"] == 1
    assert [(e["row"], e["column"], e["code"]) for e in out["errors"]] == [
        (3, "nip", "nip.not_digits"),
        (4, "opd", "asn.opd_unknown"),
    ]
    assert all(e["message"] for e in out["errors"])
    assert db.scalar(select(func.count()).select_from(Asn)) == before


def test_import_then_partial(cli_env, tmp_path, db):
    f = tmp_path / "asn.csv"
    f.write_text("NIP,Nama,OPD\n197001012000031001,Ahmad Fauzi,DISHUB\n123,Rusak,DISHUB\n")
    r = runner.invoke(app, ["import", "asn", str(f), "--region", "32.73", "--json"])
    assert r.exit_code == 1 and json.loads(r.stdout)["written"] is False
    r = runner.invoke(app, ["import", "asn", str(f), "--region", "32.73", "--partial", "--json"])
    assert r.exit_code == 0, r.output
    out = json.loads(r.stdout)
    assert out["inserted"] == 1 and out["error_count"] == 1 and out["written"] is True
    assert db.scalar(select(Asn.name).where(Asn.nip == "197001012000031001")) == "Ahmad Fauzi"


def test_rules_deadline_json_uses_the_database_closure_days(cli_env):
    r = runner.invoke(
        app, ["rules", "deadline", "sanction_delivery", "--from", "2024-04-05", "--json"]
    )
    assert r.exit_code == 0, r.output
    before = json.loads(r.stdout)
    assert set(before) == {"step", "from", "due", "days", "kind"} and before["kind"] == "working"
    assert runner.invoke(app, ["calendar", "add", "2024-04-22", "Libur daerah"]).exit_code == 0
    after = json.loads(
        runner.invoke(
            app, ["rules", "deadline", "sanction_delivery", "--from", "2024-04-05", "--json"]
        ).stdout
    )
    assert after["due"] > before["due"]


def _count_working(start: date, n: int) -> date:
    """Day-by-day over `holidays` itself: weekends, public holidays and cuti bersama skipped."""
    days_off = holidays.country_holidays(
        "ID", years=range(2024, 2026), categories=(holidays.PUBLIC, holidays.GOVERNMENT)
    )
    d = start
    while n:
        d += timedelta(days=1)
        n -= d.weekday() < 5 and d not in days_off
    return d


@pytest.mark.parametrize(
    ("step", "start", "extended", "due"),
    [
        # Christmas 2024: 25 Dec Natal, 26 Dec cuti bersama
        ("sanction_delivery", date(2024, 12, 20), False, date(2025, 1, 14)),
        ("ppk_follow_up", date(2024, 12, 24), False, date(2025, 1, 16)),
        # Idulfitri 2025: 28 Mar cuti, 31 Mar-1 Apr Idulfitri, 2-4 and 7 Apr cuti bersama
        ("pemilu_assessment", date(2025, 3, 27), False, date(2025, 4, 16)),
        ("pemilu_assessment", date(2025, 3, 27), True, date(2025, 4, 28)),  # 18 Apr Good Friday
        ("pemilu_report_filing", date(2025, 3, 25), False, date(2025, 4, 14)),
    ],
)
def test_rules_deadline_json_skips_cuti_bersama(cli_env, step, start, extended, due):
    args = ["rules", "deadline", step, "--from", start.isoformat(), "--json"]
    r = runner.invoke(app, [*args, "--extended"] if extended else args)
    assert r.exit_code == 0, r.output
    out = json.loads(r.stdout)
    assert out["due"] == due.isoformat()
    assert due == _count_working(start, out["days"])


def test_users_create_refuses_a_bad_role_and_scope(cli_env):
    r = runner.invoke(
        app,
        [
            "users",
            "create",
            "baru",
            "--role",
            "raja",
            "--name",
            "X",
            "--password",
            "cukup-panjang-1",
        ],
    )
    assert r.exit_code == 1 and "user.role" in r.output
    r = runner.invoke(
        app,
        [
            "users",
            "create",
            "baru",
            "--role",
            "bkpsdm",
            "--name",
            "X",
            "--scope",
            "region:3273",
            "--password",
            "cukup-panjang-1",
        ],
    )
    assert r.exit_code == 1 and "user.scope" in r.output
    r = runner.invoke(
        app,
        [
            "users",
            "create",
            "baru",
            "--role",
            "bkpsdm",
            "--name",
            "X",
            "--scope",
            "region:32.73",
            "--password",
            "cukup-panjang-1",
        ],
    )
    assert r.exit_code == 0, r.output


def test_audit_verify_passes_on_an_intact_log(cli_env):
    runner.invoke(app, ["calendar", "add", "2024-12-26", "Cuti bersama Natal"])
    r = runner.invoke(app, ["audit", "verify"])
    assert r.exit_code == 0 and "intact" in r.output


def test_commands_refuse_an_unmigrated_database(monkeypatch, tmp_path):
    monkeypatch.setenv("NETRAL_DATABASE_URL", f"sqlite:///{tmp_path / 'kosong.db'}")
    get_settings.cache_clear()
    r = runner.invoke(app, ["users", "list"])
    get_settings.cache_clear()
    assert r.exit_code == 1 and "netral db upgrade" in r.output


@pytest.fixture
def empty_env(monkeypatch, database_url):
    monkeypatch.setenv("NETRAL_DATABASE_URL", database_url)
    get_settings.cache_clear()
    yield
    get_settings.cache_clear()


def test_the_demo_season_queues_its_reports_for_screening(empty_env, engine):
    """Reports filed outside the web app (the demo, scripts) still get their screening marker."""
    from sqlalchemy.orm import Session

    from netral.reports.models import Report
    from netral.screening.models import ScreeningTask

    r = runner.invoke(app, ["demo", "--asn", "60", "--second-region-asn", "10"])
    assert r.exit_code == 0, r.output
    with Session(engine) as db:
        reports = db.scalar(select(func.count()).select_from(Report))
        queued = set(db.scalars(select(ScreeningTask.report_id)))
    # five ASN-neutrality reports and three campaign-prop (APK) reports
    assert reports == 8 and len(queued) == 8


def test_evidence_sweep_keeps_every_kind_of_blob_any_table_refers_to(empty_env, engine):
    """The sweep used to keep only evidence rows and deleted every case letter, BAP and annotated
    image. It must keep whatever a blob column names: evidence originals and shown copies, case
    documents, annotated images; and still remove a true orphan."""
    import io
    import os
    import time

    from PIL import Image
    from sqlalchemy.orm import Session

    from netral.cases.models import CaseDocument
    from netral.core.db import blob_columns
    from netral.core.storage import LocalEvidenceStore
    from netral.reports.models import Evidence
    from netral.screening.models import ScreeningFinding

    r = runner.invoke(app, ["demo", "--asn", "60", "--second-region-asn", "10"])
    assert r.exit_code == 0, r.output
    store = LocalEvidenceStore(get_settings().data_dir / "evidence")
    buf = io.BytesIO()
    Image.new("RGB", (64, 48), (200, 10, 10)).save(buf, "JPEG")
    buf.seek(0)
    annotated = store.put(buf, filename="annotated.jpg").derivative_sha256
    orphan = store.put(io.BytesIO(b"sisa unggahan yang ditolak\n"), filename="x.txt").sha256
    with Session(engine) as db:
        ev = db.scalars(select(Evidence)).first()
        db.add(ScreeningFinding(report_id=ev.report_id, evidence_id=ev.id, kind="gesture",
                                label="banned_pose", score=0.9, why=["uji"], data={},
                                model="uji", rulebook_version="uji", annotated_sha256=annotated))
        db.commit()
        kinds = {d.kind for d in db.scalars(select(CaseDocument))}
        assert {"penerusan_bkn", "undangan_klarifikasi", "bap"} <= kinds  # letters and minutes
        columns = {f"{c.table.name}.{c.name}" for c in blob_columns()}
        assert columns == {"evidence.sha256", "evidence.derivative_sha256",
                           "case_document.sha256", "screening_finding.annotated_sha256",
                           "briefing_material.sha256", "briefing_material.derivative_sha256",
                           "report_forward.letter_sha256",  # the demo's APK forward letter
                           "pledge_sheet.sha256", "pledge_sheet.derivative_sha256"}
        referenced = {
            v for c in blob_columns() for v in db.scalars(select(c)) if v
        }
    old = time.time() - 7200  # beyond the sweep's grace period
    for p in (store.root / "objects").rglob("*"):
        if p.is_file():
            os.utime(p, (old, old))

    r = runner.invoke(app, ["evidence", "sweep"])
    assert r.exit_code == 0, r.output
    # the orphan, and the annotated image's unreferenced original (only its copy is shown)
    assert "2 orphan" in r.output
    assert not store.exists(orphan)
    assert referenced and all(store.exists(sha) for sha in referenced)
    assert store.exists(annotated)


def test_evidence_seal_seals_originals_an_older_version_kept_plain(empty_env, engine):
    """Originals stored before sealing are sealed by `netral evidence seal`, each opening to the
    same bytes; what pages show (derivatives) stays plain; a second run seals nothing."""
    import os

    from sqlalchemy.orm import Session

    from netral.core.db import referenced_blobs
    from netral.core.storage import LocalEvidenceStore

    r = runner.invoke(app, ["demo", "--asn", "60", "--second-region-asn", "10"])
    assert r.exit_code == 0, r.output
    store = LocalEvidenceStore(get_settings().data_dir / "evidence")
    with Session(engine) as db:
        originals = referenced_blobs(db, originals_only=True)
        shown = referenced_blobs(db) - originals
    assert originals and shown
    assert all(store.is_sealed(sha) for sha in originals)
    assert not any(store.is_sealed(sha) for sha in shown)
    plain = {}
    for sha in sorted(originals)[:4]:  # as a version before sealing left them
        plain[sha] = store.read(sha)
        os.chmod(store.path(sha), 0o640)
        store.path(sha).write_bytes(plain[sha])
    r = runner.invoke(app, ["evidence", "seal"])
    assert r.exit_code == 0, r.output
    assert "4 original(s) sealed" in r.output
    assert all(store.is_sealed(sha) and store.read(sha) == data for sha, data in plain.items())
    assert not any(store.is_sealed(sha) for sha in shown)
    again = runner.invoke(app, ["evidence", "seal"])
    assert again.exit_code == 0 and "0 original(s) sealed" in again.output


def test_the_season_report_covers_the_one_region_with_an_election(empty_env, tmp_path):
    """From the console (national scope) the report is the mayor's: the demo's one election region,
    not every region the deployment holds (Kabupaten Bandung's offices would inflate the camat)."""
    r = runner.invoke(app, ["demo", "--asn", "60", "--second-region-asn", "10"])
    assert r.exit_code == 0, r.output
    out = tmp_path / "musim.pdf"
    r = runner.invoke(app, ["report", "season", "--out", str(out)])
    assert r.exit_code == 0, r.output
    assert "32.73" in r.output and out.read_bytes().startswith(b"%PDF")
    r = runner.invoke(app, ["report", "season", "--out", str(out), "--region", "32.04"])
    assert r.exit_code == 0 and "32.04" in r.output  # asked for: still possible
