"""Screening end to end: a photo report gets its findings in the background within seconds, a
screenshot gets its text and label, the CLI contract holds, bad input never crashes a worker."""

from __future__ import annotations

import csv
import io
import json
import time
from datetime import timedelta
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from PIL import Image
from sqlalchemy import select
from typer.testing import CliRunner

from netral.app import create_app
from netral.cli import app as cli
from netral.core.audit import Actor
from netral.core.calendar import to_wib_date
from netral.core.db import utcnow
from netral.election.service import DEMO_ELECTION, read_election_file, upsert_election
from netral.screening.models import ScreeningTask

from support.web import login

TODAY = to_wib_date(utcnow())
runner = CliRunner()


def gesture_photo(testdata: Path, gesture: str) -> Path:
    with (testdata / "gestures" / "labels.csv").open() as fh:
        for row in csv.DictReader(fh):
            if row["gesture"] == gesture and row["gesturing_hands"] == "1":
                return testdata / "gestures" / row["file"]
    pytest.skip(f"no single-hand '{gesture}' photo in the shared set")


@pytest.fixture(scope="session")
def text_model(tmp_path_factory, testdata) -> Path:
    from netral.screening.text import train

    out = tmp_path_factory.mktemp("models") / "text.joblib"
    train(testdata / "posts" / "posts_train.csv", out)
    return out


@pytest.fixture
def live(settings, world, db, text_model):
    """The app with its in-process worker running, as `make demo` runs it."""
    upsert_election(
        db_session=db, election_in=read_election_file(DEMO_ELECTION), actor=Actor.system()
    )
    db.commit()
    models = settings.data_dir / "models"
    models.mkdir(parents=True, exist_ok=True)
    (models / "text.joblib").write_bytes(text_model.read_bytes())
    app = create_app(settings.model_copy(update={"jobs": "inprocess"}))
    with TestClient(app) as client:
        yield app, client


def wait_for_findings(client, number, seconds=90):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        found = client.get(f"/api/v1/reports/{number}/findings").json()
        if found["pending"] == 0 and (found["evidence"] or found["report"]):
            return found
        time.sleep(0.5)
    raise AssertionError(f"screening of {number} did not finish in {seconds} s")


def fields(**over):
    base = {
        "description": "ASN berpose jari di samping spanduk calon saat acara warga, fotonya "
        "beredar di grup.",
        "occurred_on": (TODAY - timedelta(days=1)).isoformat(),
        "known_on": TODAY.isoformat(),
        "kecamatan": "32.73.01",
        "anonymous": "true",
    }
    base.update(over)
    return base


def test_a_photo_report_gets_gesture_findings_with_an_annotated_image(live, testdata):
    app, client = live
    photo = gesture_photo(testdata, "four").read_bytes()
    r = client.post(
        "/api/v1/reports", data=fields(), files=[("evidence", ("foto.jpg", photo, "image/jpeg"))]
    )
    assert r.status_code == 201, r.text
    number = r.json()["number"]
    staff = login(TestClient(app), "bawaslu_staff")
    started = time.monotonic()
    found = wait_for_findings(staff, number)
    elapsed = time.monotonic() - started
    gesture = next(f for fs in found["evidence"].values() for f in fs if f["kind"] == "gesture")
    assert gesture["label"] == "banned_pose", gesture
    assert gesture["data"]["number_shown"] == 4 and gesture["data"]["matches_candidate"] == 4
    assert gesture["why"] and gesture["model"] and gesture["rulebook_version"]
    annotated = staff.get(f"/penyaringan/anotasi/{gesture['data']['annotated_sha256']}")
    assert annotated.status_code == 200
    assert Image.open(io.BytesIO(annotated.content)).size[0] > 0
    kinds = {f["kind"] for f in found["report"]}
    assert {"text", "identify"} <= kinds
    page = staff.get(f"/laporan/{number}/penyaringan").text
    assert "Pose jari terlarang" in page and "Hanya saran" in page
    print(f"screened in {elapsed:.1f} s")


def test_a_screenshot_gets_its_text_and_label(live):
    from support.screenshots import render_post

    app, client = live
    shot = render_post(
        "Salam tilu jari! Coblos nomor 3, Tilu Kanggo Bandung #Coblos3 #YuRiJuara",
        theme="dark",
        font_px=24,
        width=720,
    )
    buf = io.BytesIO()
    shot.image.save(buf, "PNG")
    number = client.post(
        "/api/v1/reports",
        data=fields(),
        files=[("evidence", ("layar.png", buf.getvalue(), "image/png"))],
    ).json()["number"]
    staff = login(TestClient(app), "bawaslu_staff")
    found = wait_for_findings(staff, number)
    items = [f for fs in found["evidence"].values() for f in fs]
    ocr = next(f for f in items if f["kind"] == "ocr")
    assert ocr["label"] == "text_found" and "Coblos" in ocr["data"]["text"]
    text = next(f for f in items if f["kind"] == "text")
    assert text["label"] == "partisan" and any("OCR" in w for w in text["why"])


def test_an_interrupted_screening_runs_again_after_restart(settings, world, db, text_model):
    """A report whose queue message was lost (process killed) is screened by the recovery."""
    from netral.core import jobs

    app = create_app(settings)  # jobs off: the report is queued, nobody consumes
    number = TestClient(app).post("/api/v1/reports", data=fields()).json()["number"]
    jobs.context().huey.flush()  # the queue is lost with the process; the marker is not
    assert db.scalar(select(ScreeningTask.status)) == "pending"
    restarted = create_app(settings.model_copy(update={"jobs": "inprocess"}))
    with TestClient(restarted):
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            db.expire_all()
            if db.scalar(select(ScreeningTask.status)) == "done":
                break
            time.sleep(0.5)
    assert db.scalar(select(ScreeningTask.status)) == "done", number


# ---------------------------------------------------------------- the CLI contract


def test_cli_screen_image_prints_one_json_object_per_photo(testdata, tmp_path):
    three = gesture_photo(testdata, "four")
    tiny = tmp_path / "tiny.png"
    Image.new("RGB", (1, 1)).save(tiny)
    cmyk = tmp_path / "cmyk.jpg"
    Image.new("CMYK", (64, 64), (0, 50, 50, 0)).save(cmyk)
    png16 = tmp_path / "deep.png"
    Image.new("I;16", (64, 64), 30000).save(png16)
    anim = tmp_path / "anim.webp"
    frames = [Image.new("RGB", (64, 64), (i * 60, 0, 0)) for i in range(3)]
    frames[0].save(anim, save_all=True, append_images=frames[1:])
    broken = tmp_path / "rusak.jpg"
    broken.write_bytes(b"\xff\xd8\xff\xe0 not really")
    r = runner.invoke(
        cli,
        [
            "screen",
            "image",
            str(three),
            str(tiny),
            str(cmyk),
            str(png16),
            str(anim),
            str(broken),
            "--election",
            str(DEMO_ELECTION),
            "--json",
        ],
    )
    assert r.exit_code == 0, r.output
    rows = [json.loads(line) for line in r.stdout.splitlines() if line.strip()]
    assert len(rows) == 6
    for row in rows:
        assert set(row) >= {
            "path",
            "hands",
            "number_shown",
            "banned_pose",
            "matches_candidate",
            "ms",
        }
    assert rows[0]["number_shown"] == 4 and rows[0]["matches_candidate"] == 4
    assert {"box", "handedness", "fingers", "pose", "deliberate", "score"} <= set(
        rows[0]["hands"][0]
    )
    assert all(not row["banned_pose"] for row in rows[1:])


def test_cli_screen_text_reads_stdin_and_csv(tmp_path):
    posts = (
        "Coblos nomor 3! Tilu Kanggo Bandung #Coblos3\n"
        "KPU mengumumkan jadwal pemungutan suara 27 November di seluruh TPS\n"
        "\n" + "a" * 100_000 + "\n"
        "The weather in London is lovely today\n"
    )
    r = runner.invoke(
        cli, ["screen", "text", "--election", str(DEMO_ELECTION), "--json"], input=posts
    )
    assert r.exit_code == 0, r.output
    rows = [json.loads(line) for line in r.stdout.splitlines()]
    assert len(rows) == 5
    assert rows[0]["label"] == "partisan" and rows[0]["why"]
    assert rows[1]["label"] != "partisan"
    assert rows[2]["label"] == "other" and rows[4]["label"] == "other"
    f = tmp_path / "posts.csv"
    f.write_text("id,isi\n1,Salam dua jari coblos no 2\n")
    r = runner.invoke(cli, ["screen", "text", "--csv", str(f), "--column", "isi", "--json"])
    assert r.exit_code == 0 and json.loads(r.stdout)["label"] == "partisan"


def test_cli_screen_screenshot_contract(tmp_path):
    from support.screenshots import render_post

    shot = tmp_path / "post.png"
    render_post("Ayo coblos nomor 2, Dua Hati Satu Bandung #HeDe2024", font_px=24).image.save(shot)
    blank = tmp_path / "kosong.png"
    Image.new("RGB", (720, 400), (255, 255, 255)).save(blank)
    r = runner.invoke(
        cli,
        ["screen", "screenshot", str(shot), str(blank), "--election", str(DEMO_ELECTION), "--json"],
    )
    assert r.exit_code == 0, r.output
    rows = [json.loads(line) for line in r.stdout.splitlines() if line.strip()]
    for row in rows:
        assert set(row) >= {"path", "text", "ocr_confidence", "label", "score", "why", "hoax"}
    assert "coblos" in rows[0]["text"].lower() and rows[0]["label"] == "partisan"
    assert rows[1]["text"] == "" and rows[1]["label"] == "other"


def test_cli_refuses_an_election_file_with_a_duplicate_ballot_number(tmp_path):
    bad = tmp_path / "pemilihan.yaml"
    bad.write_text(DEMO_ELECTION.read_text().replace("number: 4", "number: 3"))
    r = runner.invoke(cli, ["screen", "text", "--election", str(bad), "--json"], input="halo\n")
    assert r.exit_code == 2
    # the CLI speaks Indonesian by default (NETRAL_LANG): the message is now bilingual
    assert "nomor urut harus unik; berulang: [3]" in " ".join(r.output.split())


def test_cli_rerun_rescreens_reports_since_a_date(settings, world, db, monkeypatch, text_model):
    """After a model or rulebook update, `netral screen rerun --since` supersedes the findings:
    one current set, the earlier ones kept (marked superseded)."""
    from netral.core.settings import get_settings
    from netral.screening.models import ScreeningFinding

    app = create_app(settings)
    number = TestClient(app).post("/api/v1/reports", data=fields()).json()["number"]
    monkeypatch.setenv("NETRAL_DATABASE_URL", settings.database_url)
    monkeypatch.setenv("NETRAL_DATA_DIR", str(settings.data_dir))
    get_settings.cache_clear()
    try:
        current = select(ScreeningFinding.created_at).where(
            ScreeningFinding.superseded_at.is_(None)
        )
        r = runner.invoke(cli, ["screen", "rerun", "--since", TODAY.isoformat()])
        assert r.exit_code == 0, r.output
        first = db.scalars(current).all()
        assert first
        r = runner.invoke(cli, ["screen", "rerun", "--since", TODAY.isoformat()])
        db.expire_all()
        second = db.scalars(current).all()
        # one current set, all from the second run; the first run's kept as superseded
        assert len(second) == len(first) and min(second) > max(first), number
        kept = db.scalars(
            select(ScreeningFinding.created_at).where(ScreeningFinding.superseded_at.is_not(None))
        ).all()
        assert sorted(kept) == sorted(first)
        bad = runner.invoke(cli, ["screen", "rerun", "--since", "kemarin"])
        assert bad.exit_code == 2
    finally:
        get_settings.cache_clear()


# ---------------------------------------------------------------- a screening that raises


PERSONAL = ("Budi Santoso", "198503122010011003", "budi@example.go.id")


@pytest.fixture
def broken_screening(settings, world, db, monkeypatch):
    """A filed report whose screening raises on every try (the text model is broken).

    The message names a person, an NIP and an address, as a library's message quoting its input
    might: none of it may reach the task row or the page.
    """
    from netral.screening.pipeline import Screeners

    app = create_app(settings)  # jobs off: the test plays the worker
    number = TestClient(app).post("/api/v1/reports", data=fields()).json()["number"]

    def broken(self, elections):
        raise RuntimeError(f"model rusak untuk '{PERSONAL[0]}' NIP {PERSONAL[1]} <{PERSONAL[2]}>")

    monkeypatch.setattr(Screeners, "text", broken)
    report_id = db.scalar(select(ScreeningTask.report_id))
    return app, number, report_id


def _task(db) -> ScreeningTask:
    db.rollback()  # see what the job's own sessions committed
    return db.scalars(select(ScreeningTask)).one()


def test_a_screening_that_raises_counts_its_attempts_then_fails(broken_screening, db):
    from netral.screening.jobs import MAX_ATTEMPTS, pending_reports, run_report

    app, number, report_id = broken_screening
    for attempt in range(1, MAX_ATTEMPTS + 1):
        assert pending_reports(db) == [report_id], attempt  # still picked by `recover`
        with pytest.raises(RuntimeError):
            run_report(report_id)
        task = _task(db)
        assert task.attempts == attempt
        assert task.error.startswith("RuntimeError: model rusak")
        assert not any(p in task.error for p in PERSONAL), task.error
        assert task.status == ("failed" if attempt == MAX_ATTEMPTS else "pending")
    assert task.finished_at is not None
    # given up: `recover` no longer queues it, and a stray queued message does nothing
    assert pending_reports(db) == []
    assert run_report(report_id) == 0
    assert _task(db).attempts == MAX_ATTEMPTS

    staff = login(TestClient(app), "bawaslu_staff")
    page = staff.get(f"/laporan/{number}/penyaringan").text
    assert "Penyaringan otomatis gagal" in page and "RuntimeError" in page
    assert "every 2s" not in page  # nothing pending: the fragment stops polling
    assert not any(p in page for p in PERSONAL)
    english = staff.get(f"/laporan/{number}/penyaringan?lang=en").text
    assert "Automated screening failed" in english
    found = staff.get(f"/api/v1/reports/{number}/findings").json()
    assert found["pending"] == 0 and found["failed"] == 1
    assert found["error"].startswith("RuntimeError")


def test_a_lost_evidence_file_fails_the_screening_with_its_reason(settings, world, db):
    """A real fault, not a patched one: the text evidence's stored file has gone missing."""
    from netral.core.storage import LocalEvidenceStore
    from netral.reports.models import Evidence
    from netral.screening.jobs import MAX_ATTEMPTS, pending_reports, run_report

    app = create_app(settings)
    post = ("uraian.txt", b"Coblos nomor 3, kata Pak Camat di grup", "text/plain")
    r = TestClient(app).post("/api/v1/reports", data=fields(), files=[("evidence", post)])
    assert r.status_code == 201, r.text
    report_id, sha = db.execute(select(Evidence.report_id, Evidence.sha256)).one()
    LocalEvidenceStore(settings.data_dir / "evidence").path(sha).unlink()
    for _ in range(MAX_ATTEMPTS):
        with pytest.raises(Exception, match="not found"):
            run_report(report_id)
    task = _task(db)
    assert (task.status, task.attempts) == ("failed", MAX_ATTEMPTS)
    assert task.error == "NotFound: Evidence file not found."
    assert pending_reports(db) == []


def test_a_failed_try_that_will_be_retried_shows_on_the_page(broken_screening, db):
    from netral.screening.jobs import run_report

    app, number, report_id = broken_screening
    with pytest.raises(RuntimeError):
        run_report(report_id)
    staff = login(TestClient(app), "bawaslu_staff")
    page = staff.get(f"/laporan/{number}/penyaringan").text
    assert "dicoba lagi otomatis" in page and "Penyaringan otomatis gagal" not in page
    assert "every 2s" in page  # still pending: the fragment keeps looking
    english = staff.get(f"/laporan/{number}/penyaringan?lang=en").text
    assert "will be retried automatically" in english


def test_cli_rerun_retries_failed_screenings(broken_screening, db, settings, monkeypatch):
    """After the cause is fixed, `netral screen rerun --since` screens the failed report again."""
    from netral.core.settings import get_settings
    from netral.screening.jobs import MAX_ATTEMPTS, run_report
    from netral.screening.models import ScreeningFinding

    app, number, report_id = broken_screening
    for _ in range(MAX_ATTEMPTS):
        with pytest.raises(RuntimeError):
            run_report(report_id)
    assert _task(db).status == "failed"
    monkeypatch.setenv("NETRAL_DATABASE_URL", settings.database_url)
    monkeypatch.setenv("NETRAL_DATA_DIR", str(settings.data_dir))
    get_settings.cache_clear()
    try:
        # still broken: the rerun says so, and the task is back in the automatic retries
        r = runner.invoke(cli, ["screen", "rerun", "--since", TODAY.isoformat()])
        assert r.exit_code == 1, r.output
        task = _task(db)
        assert (task.status, task.attempts) == ("pending", 1), task.error
        for _ in range(MAX_ATTEMPTS - 1):
            with pytest.raises(RuntimeError):
                run_report(report_id)
        assert _task(db).status == "failed"
        # fixed: the rerun screens it, the task is done and the page shows findings, not failure
        monkeypatch.undo()
        monkeypatch.setenv("NETRAL_DATABASE_URL", settings.database_url)
        monkeypatch.setenv("NETRAL_DATA_DIR", str(settings.data_dir))
        get_settings.cache_clear()
        r = runner.invoke(cli, ["screen", "rerun", "--since", TODAY.isoformat()])
        assert r.exit_code == 0, r.output
        task = _task(db)
        assert (task.status, task.attempts) == ("done", 1)
        assert db.scalars(select(ScreeningFinding.kind)).all()
    finally:
        get_settings.cache_clear()
    page = login(TestClient(app), "bawaslu_staff").get(f"/laporan/{number}/penyaringan").text
    assert "Penyaringan otomatis gagal" not in page and "Uraian dan terlapor" in page
