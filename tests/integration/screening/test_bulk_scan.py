"""`netral scan posts` on both engines: a generated dump, handles matched against the registry,
one `pindai` report per flagged post of a registered ASN, the same findings from the process pool
and from Ray (started once for the module, 2 workers, on 127.0.0.1), bad input refused whole."""

from __future__ import annotations

import glob
import json
import os
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session
from typer.testing import CliRunner

from netral.cases import service as cases
from netral.cli import app
from netral.core.models import User
from netral.core.security import Scope
from netral.core.settings import get_settings
from netral.reports.models import Report
from netral.screening.bulk import WorkerSetup, read_posts, run_local, run_ray, start_ray
from netral.screening.models import ScreeningFinding, ScreeningTask

from support.posts import Account, post_rows, register_accounts, write_dump
from support.web import seed_world

runner = CliRunner()
SUMMARY_KEYS = {"posts", "findings", "per_s", "engine", "workers"}


@pytest.fixture(scope="module")
def ray_cluster() -> Iterator[None]:
    """One local Ray for the module (2 CPUs); its session folder is gone once it stops."""
    pattern = str(Path(tempfile.gettempdir()) / "netral-ray-*")
    before = set(glob.glob(pattern))
    stop = start_ray(workers=2)
    yield
    stop()
    assert set(glob.glob(pattern)) <= before, "Ray's session folder was left behind"


@pytest.fixture
def scan_env(
    monkeypatch: pytest.MonkeyPatch, database_url: str, db: Session, tmp_path: Path
) -> Iterator[list[Account]]:
    monkeypatch.setenv("NETRAL_DATABASE_URL", database_url)
    monkeypatch.setenv("NETRAL_DATA_DIR", str(tmp_path / "data"))
    get_settings.cache_clear()
    world = seed_world(db)
    yield register_accounts(db, world.bandung_asn + world.kabbdg_asn)
    get_settings.cache_clear()


def _dump(tmp_path: Path, accounts: list[Account], suffix: str = ".csv", n: int = 300) -> Path:
    rows = post_rows(n, accounts, seed=11, asn_share=0.3, partisan_share=0.2)
    # the same registered handle on another platform is someone else's account
    rows.append(
        {
            "platform": "youtube",
            "handle": accounts[0].handle,
            "time": "2024-11-20T09:00:00+07:00",
            "text": "Salam dua jari, Pak Tanto pasti menang",
        }
    )
    return write_dump(tmp_path / f"posts{suffix}", rows)


def _scan(*args: str) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    r = runner.invoke(app, ["scan", "posts", *args, "--workers", "2", "--json"])
    assert r.exit_code == 0, r.output
    # the output names the ASN by id only: no name, no NIP (staff see them in the app)
    for personal in ("Budi Santoso", "Siti Rahmawati", "Andi Pratama", "Dewi Kartika", "1985031"):
        assert personal not in r.output
    lines = [json.loads(line) for line in r.stdout.splitlines() if line.startswith("{")]
    return lines[:-1], lines[-1]


def _normal(findings: list[Any]) -> list[tuple[str, str, float, tuple[str, ...]]]:
    return [(f.kind, f.label, round(float(f.score), 6), tuple(f.why)) for f in findings]


def _expected_lines(dump: Path, accounts: list[Account]) -> set[int]:
    """The dump lines a scan must file: flagged by the pool, posted from a registered account."""
    posts = read_posts(dump)
    mine = {(a.platform, a.handle) for a in accounts}
    flagged = [f for r in run_local(posts, setup=_setup(), workers=1) for f in r.flagged]
    return {
        posts[f.index].line
        for f in flagged
        if (posts[f.index].platform, posts[f.index].handle) in mine
    }


def _setup() -> WorkerSetup:
    return WorkerSetup(models_dir=str(get_settings().data_dir / "models"), hoax_file=None)


def test_local_engine_files_one_report_per_flagged_post_of_a_registered_asn(
    scan_env: list[Account], tmp_path: Path, db: Session
) -> None:
    accounts = scan_env
    dump = _dump(tmp_path, accounts)
    filed, summary = _scan(str(dump), "--engine", "local")
    assert set(summary) >= SUMMARY_KEYS
    assert summary["engine"] == "local" and summary["workers"] == 2
    assert summary["posts"] == 301 and summary["per_s"] > 0
    assert summary["findings"] == len(filed) > 0
    # flagged posts from strangers (and from the youtube namesake) are counted, never filed
    assert summary["flagged_unmatched"] > 0
    assert summary["flagged"] == summary["findings"] + summary["flagged_unmatched"]
    assert {f["line"] for f in filed} == _expected_lines(dump, accounts)
    owners = {(a.platform, a.handle) for a in accounts}
    assert all((f["platform"], f["handle"]) in owners for f in filed)
    assert all(f["platform"] != "youtube" for f in filed)

    reports = db.scalars(select(Report).where(Report.channel == "pindai")).all()
    assert len(reports) == len(filed)
    by_number = {r.number: r for r in reports}
    for f in filed:
        report = by_number[f["report"]]
        assert report.kind == "informasi_awal" and report.anonymous
        assert report.reported_asn_id == f["asn_id"] and report.reporter_enc is None
        assert f"@{f['handle']}" in report.description
        kinds = {
            (x.kind, x.label)
            for x in db.scalars(
                select(ScreeningFinding).where(ScreeningFinding.report_id == report.id)
            )
        }
        assert ("identify", "asn_candidate") in kinds
        assert kinds & {("text", "partisan"), ("hoax", "hoax_match")}
    # the scan screened them already: nothing is queued for the background job
    assert db.scalar(select(func.count()).select_from(ScreeningTask)) == 0

    # staff open a case from a filed post as from any report: Bawaslu's own finding (temuan)
    bandung = next(r for r in reports if r.region_code == "32.73")
    staff = db.scalar(select(User).where(User.username == "bawaslu_staff"))
    assert staff is not None
    case = cases.open_case(
        db_session=db,
        scope=Scope.of(staff),
        user=staff,
        title="Unggahan partisan ASN",
        origin="temuan",
        report_numbers=[bandung.number],
        asn_ids=[bandung.reported_asn_id],
    )
    db.commit()
    assert case.origin == "temuan"

    # the same dump again files nothing new
    again, summary2 = _scan(str(dump), "--engine", "local")
    assert again == [] and summary2["findings"] == 0
    assert summary2["already_filed"] == summary["findings"]
    assert db.scalar(
        select(func.count()).select_from(Report).where(Report.channel == "pindai")
    ) == len(filed)


def test_ray_and_the_pool_give_the_same_findings(ray_cluster: None, tmp_path: Path) -> None:
    """Screening only (no database): the same flagged posts, findings and reasons, in order."""
    import ray

    assert {n["NodeManagerAddress"] for n in ray.nodes()} == {"127.0.0.1"}
    accounts = [Account("instagram", "asn.akun1_0"), Account("x", "asn.akun2_0")]
    posts = read_posts(_dump(tmp_path, accounts, n=600))
    pool = [
        (f.index, _normal(f.findings))
        for r in run_local(posts, setup=_setup(), workers=2, batch=100)
        for f in r.flagged
    ]
    on_ray = [
        (f.index, _normal(f.findings))
        for r in run_ray(posts, setup=_setup(), workers=2, batch=100)
        for f in r.flagged
    ]
    assert pool and on_ray == pool


def test_ray_engine_starts_its_own_ray_on_loopback_and_leaves_nothing_behind(
    scan_env: list[Account], tmp_path: Path, db: Session
) -> None:
    """The command as an operator runs it, in a process of its own: Ray started on 127.0.0.1,
    its session folder under the temporary folder and removed, nothing written to the home."""
    accounts = scan_env
    dump = _dump(tmp_path, accounts, suffix=".jsonl")
    home = tmp_path / "home"
    home.mkdir()
    temp = Path(tempfile.mkdtemp(prefix="nr"))  # short: Ray's socket paths live under it
    try:
        env = {**os.environ, "HOME": str(home), "TMPDIR": str(temp)}
        for key in ("RAY_AUTH_MODE", "RAY_AUTH_TOKEN", "RAY_ENABLE_WINDOWS_OR_OSX_CLUSTER"):
            env.pop(key, None)  # as a fresh shell has it, whatever the module fixture set
        run = subprocess.run(
            [
                sys.executable,
                "-c",
                "from netral.cli import app; app()",
                "scan",
                "posts",
                str(dump),
                "--engine",
                "ray",
                "--workers",
                "2",
                "--json",
            ],
            env=env,
            capture_output=True,
            text=True,
            timeout=600,
            check=False,
        )
        assert run.returncode == 0, run.stderr[-3000:]
        assert list(temp.iterdir()) == []
        assert list(home.iterdir()) == []
    finally:
        shutil.rmtree(temp, ignore_errors=True)
    lines = [json.loads(line) for line in run.stdout.splitlines() if line.startswith("{")]
    filed, summary = lines[:-1], lines[-1]
    assert summary["engine"] == "ray" and summary["workers"] == 2
    assert summary["findings"] == len(filed) > 0
    assert {f["line"] for f in filed} == _expected_lines(dump, accounts)
    assert db.scalar(
        select(func.count()).select_from(Report).where(Report.channel == "pindai")
    ) == len(filed)


def test_a_photo_beside_a_post_goes_through_the_gesture_screener(
    scan_env: list[Account], tmp_path: Path, db: Session, testdata: Path
) -> None:
    """An `image` path, relative to the dump: a V sign by a registered ASN is filed with the
    gesture finding, whatever the text says; the same photo from a stranger is only counted."""
    photos = tmp_path / "foto"
    photos.mkdir()
    shutil.copy(testdata / "gestures" / "mprs_victory.jpg", photos / "v.jpg")
    acc = scan_env[0]
    rows = [
        {
            "platform": acc.platform,
            "handle": acc.handle,
            "time": "2024-11-20T09:00:00+07:00",
            "text": "jalan pagi bersama keluarga",
            "image": "foto/v.jpg",
        },
        {
            "platform": "x",
            "handle": "orang_lain",
            "time": "2024-11-20T09:05:00+07:00",
            "text": "jalan pagi",
            "image": "foto/v.jpg",
        },
    ]
    dump = write_dump(tmp_path / "posts.jsonl", rows)
    r = runner.invoke(app, ["scan", "posts", str(dump), "--workers", "1", "--json"])
    assert r.exit_code == 0, r.output
    lines = [json.loads(line) for line in r.stdout.splitlines() if line.startswith("{")]
    (filed,), summary = lines[:-1], lines[-1]
    assert summary["findings"] == 1 and summary["flagged_unmatched"] == 1
    assert filed["handle"] == acc.handle
    labels = {(f["kind"], f["label"]) for f in filed["findings"]}
    assert ("gesture", "banned_pose") in labels and ("text", "other") in labels


@pytest.mark.parametrize(
    ("name", "content", "words"),
    [
        ("posts.csv", "platform,handle,text\ninstagram,a,halo\n", ["time"]),
        (
            "posts.jsonl",
            '{"platform": "x", "handle": "a", "time": "", "text": "a"}\n{"pla\n',
            ["baris 2"],
        ),
        ("posts.jsonl", '{"platform": "x", "handle": "a", "text": "a"}\n', ["time"]),
        ("posts.csv", b"platform,handle,time,text\nx,a,,\xff\xfe\n", ["tidak dapat dibaca"]),
        ("posts.csv", "platform,handle,time,text\nx,a,kemarin,halo\n", ["baris 2", "ISO 8601"]),
        ("posts.txt", "platform,handle,time,text\n", [".csv atau .jsonl"]),
        ("hilang.csv", None, ["tidak dapat dibaca"]),
    ],
)
def test_bad_input_is_refused_with_a_message_and_nothing_is_written(
    scan_env: list[Account],
    tmp_path: Path,
    db: Session,
    name: str,
    content: str | bytes | None,
    words: list[str],
) -> None:
    path = tmp_path / name
    if isinstance(content, bytes):
        path.write_bytes(content)
    elif content is not None:
        path.write_text(content)
    r = runner.invoke(app, ["scan", "posts", str(path), "--engine", "local", "--json"])
    assert r.exit_code == 2, r.output
    said = " ".join(r.output.split())  # Rich wraps long lines
    for word in words:
        assert word in said
    assert db.scalar(select(func.count()).select_from(Report)) == 0
    assert db.scalar(select(func.count()).select_from(ScreeningFinding)) == 0


def test_unknown_engine_and_address_without_ray_are_refused(
    scan_env: list[Account], tmp_path: Path
) -> None:
    dump = _dump(tmp_path, scan_env, n=5)
    r = runner.invoke(app, ["scan", "posts", str(dump), "--engine", "spark"])
    assert r.exit_code == 2 and "spark" in r.output
    r = runner.invoke(app, ["scan", "posts", str(dump), "--address", "127.0.0.1:6379"])
    assert r.exit_code == 2 and "--address" in r.output
