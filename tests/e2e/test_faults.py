"""Faults the app must come through: a full evidence disk (refused in words, no row without its
file; the store is a tiny tmpfs, so this needs root, as CI and this machine have), and every
database connection cut as a PostgreSQL restart does (the app recovers by itself)."""

from __future__ import annotations

import io
import os
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from PIL import Image
from sqlalchemy import func, select, text

from netral.app import create_app
from netral.reports.models import Evidence, Report

from support.evidence import photo_jpeg


def _mount_tiny(path: Path, size: str) -> bool:
    path.mkdir(parents=True, exist_ok=True)
    if os.geteuid() != 0:
        return False
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(path)],
        capture_output=True,
        check=False,
    )
    return done.returncode == 0


@pytest.fixture
def tiny_store(settings) -> Iterator[Path]:
    evidence = settings.data_dir / "evidence"
    if not _mount_tiny(evidence, "900k"):
        pytest.skip("mounting a small tmpfs needs root")
    try:
        yield evidence
    finally:
        subprocess.run(["umount", "-l", str(evidence)], check=False)


def _form() -> dict[str, str]:
    return {
        "description": "Camat berpose tiga jari di samping spanduk paslon saat acara warga.",
        "occurred_on": "2024-10-01",
        "known_on": "2024-10-02",
        "kecamatan": "32.73.01",
        "place": "Balai RW 05",
        "category": "SKB-07",
        "anonymous": "true",
    }


def test_a_full_evidence_disk_refuses_the_report_in_words_and_keeps_no_orphan_row(
    settings, world, db, tiny_store
):
    client = TestClient(create_app(settings), raise_server_exceptions=False)
    sent = []
    for seed in range(6):  # ~300 KB photos (and their copies) until the 900 KB disk is full
        img = Image.open(io.BytesIO(photo_jpeg(1600, 1200, seed=seed)))
        buf = io.BytesIO()
        img.save(buf, "JPEG", quality=95)
        r = client.post(
            "/api/v1/reports",
            data=_form(),
            files=[("evidence", (f"foto{seed}.jpg", buf.getvalue(), "image/jpeg"))],
        )
        sent.append(r)
        if r.status_code != 201:
            break
    refused = sent[-1]
    assert refused.status_code == 507, refused.text[:300]
    assert "Ruang penyimpanan bukti penuh" in refused.json()["title"]
    accepted = sum(1 for r in sent if r.status_code == 201)
    db.expire_all()
    assert db.scalar(select(func.count()).select_from(Report)) == accepted
    stored = {p.name for p in tiny_store.rglob("*") if p.is_file() and p.parent.name != "tmp"}
    for sha, derivative in db.execute(select(Evidence.sha256, Evidence.derivative_sha256)):
        assert sha in stored and (derivative is None or derivative in stored)
    assert not [p for p in (tiny_store / "tmp").iterdir()]  # no half-written file


def test_the_public_form_says_so_in_words_too(settings, world, db, tiny_store):
    client = TestClient(create_app(settings), raise_server_exceptions=False)
    filler = tiny_store / "filler"
    filler.write_bytes(b"\0" * 850_000)  # the disk is (nearly) full already
    page = client.get("/lapor").text
    token = page.split('name="csrf_token" value="', 1)[1].split('"', 1)[0]
    photo = photo_jpeg(1600, 1200, seed=9)
    r = client.post(
        "/lapor",
        data={**_form(), "csrf_token": token},
        files=[("evidence", ("foto.jpg", photo, "image/jpeg"))],
    )
    assert r.status_code == 507 and "Ruang penyimpanan bukti penuh" in r.text
    db.expire_all()
    assert db.scalar(select(func.count()).select_from(Report)) == 0


def test_after_the_database_drops_every_connection_the_app_recovers_by_itself(
    settings, world, engine, as_user
):
    """What a PostgreSQL restart looks like to the app: every connection cut. Requests go on
    (pool_pre_ping replaces the dead ones) without restarting the app."""
    if engine.dialect.name != "postgresql":
        pytest.skip("connections cut by the server: PostgreSQL")
    staff = as_user("bawaslu_staff")
    assert staff.get("/laporan").status_code == 200
    with engine.connect() as conn:
        conn.execute(
            text(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                "WHERE datname = current_database() AND pid <> pg_backend_pid()"
            )
        )
        conn.commit()
    answers = [staff.get("/laporan").status_code for _ in range(3)]
    assert answers[-1] == 200 and all(a in (200, 503) for a in answers), answers
