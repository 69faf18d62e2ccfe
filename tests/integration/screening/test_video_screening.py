"""Video screening with the real screeners (MediaPipe, Tesseract, the text classifier): findings
carry the second they were seen and a thumbnail of that frame; the CLI prints one object a video."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest
from PIL import Image, ImageDraw
from typer.testing import CliRunner

from netral.cli import app as cli
from netral.election.service import DEMO_ELECTION, read_election_file
from netral.rules import load_rulebook
from netral.screening.pipeline import Screeners, open_image
from netral.screening.video import screen_video, time_code

from support.evidence import video_clip

ELECTION = read_election_file(DEMO_ELECTION)


@pytest.fixture(scope="module")
def screeners(tmp_path_factory: pytest.TempPathFactory) -> Screeners:
    # no trained model: what a fresh clone screens with
    return Screeners(rulebook=load_rulebook(), models_dir=tmp_path_factory.mktemp("models"))


def hall() -> Image.Image:
    img = Image.new("RGB", (640, 360), (170, 185, 210))
    ImageDraw.Draw(img).rectangle((280, 160, 360, 360), fill=(60, 90, 140))
    return img


def banner(text: str) -> Image.Image:
    img = hall()
    d = ImageDraw.Draw(img)
    d.rectangle((20, 30, 620, 130), fill=(200, 30, 40))
    d.text((40, 60), text, fill=(255, 255, 255), font_size=40)
    return img


def write(tmp_path: Path, scenes: list[tuple[Image.Image, float]], suffix: str = ".mp4") -> Path:
    path = tmp_path / f"rekaman{suffix}"
    path.write_bytes(video_clip(suffix, scenes, fps=5))
    return path


def test_time_code() -> None:
    assert (time_code(0), time_code(12.7), time_code(75), time_code(3723)) == (
        "00:00",
        "00:12",
        "01:15",
        "1:02:03",
    )


def test_a_ballot_number_banner_is_found_at_its_second(tmp_path: Path, screeners) -> None:
    path = write(
        tmp_path, [(hall(), 3.0), (banner("COBLOS NO. 3 PASTI MENANG"), 3.0), (hall(), 2.0)]
    )
    found = screen_video(path, [ELECTION], screeners=screeners)
    summary, *moments = found.findings
    assert (summary.kind, summary.label) == ("video", "video_screened")
    assert found.frames == 8 and found.duration_s == pytest.approx(8.0, abs=0.3)
    assert summary.data["texts"][0]["time_code"] == "00:03"
    assert "perlu diperiksa pada detik 00:03" in summary.why
    text = next(f for f in moments if f.kind == "text")
    assert text.label == "partisan"
    assert (text.data["time_s"], text.data["end_s"]) == pytest.approx((3.0, 5.0), abs=0.21)
    assert text.why[0].startswith("detik 00:03–00:05")
    assert "COBLOS" in text.data["text"]
    thumb = found.thumbnails[found.findings.index(text)]
    assert max(thumb.size) <= 480 and thumb.getpixel((300, 20))[0] > 150  # the red banner
    # the hall alone is read once, and its unchanged seconds are not read again
    assert summary.data["ocr_frames"] <= 4


def test_a_quiet_video_says_so(tmp_path: Path, screeners) -> None:
    found = screen_video(write(tmp_path, [(hall(), 3.0)], ".webm"), [ELECTION], screeners=screeners)
    assert [f.kind for f in found.findings] == ["video"]
    assert "tidak ada pose terlarang atau teks berpihak yang terdeteksi" in found.findings[0].why


def test_an_unplayable_file_is_one_unreadable_finding(tmp_path: Path, screeners) -> None:
    path = tmp_path / "rusak.mp4"
    path.write_bytes(b"\x00\x00\x00\x18ftypmp42" + bytes(100))
    found = screen_video(path, [ELECTION], screeners=screeners)
    assert [(f.kind, f.label) for f in found.findings] == [("video", "unreadable")]


def posing_photo(testdata: Path, screeners: Screeners) -> tuple[Image.Image, int]:
    """A shared photo the photo screener itself calls a banned pose: the video must agree."""
    with (testdata / "gestures" / "labels.csv").open() as fh:
        rows = [r for r in csv.DictReader(fh) if r["gesturing_hands"] == "1"]
    for row in rows:
        photo = open_image(testdata / "gestures" / row["file"])
        photo.thumbnail((960, 960))
        still = screeners.gestures.analyze(photo)
        if still.banned_pose and still.number_shown:
            return photo, still.number_shown
    pytest.skip("no shared photo the photo screener calls a banned pose")


def test_a_pose_is_found_at_its_second(tmp_path: Path, screeners, testdata) -> None:
    photo, number = posing_photo(testdata, screeners)
    still = Image.new("RGB", photo.size, (120, 120, 120))
    path = write(tmp_path, [(still, 2.0), (photo, 2.0), (still, 1.0)])
    found = screen_video(path, [ELECTION], screeners=screeners)
    pose = next(f for f in found.findings if f.kind == "gesture")
    assert pose.label == "banned_pose" and pose.data["number_shown"] == number
    assert pose.data["time_s"] == pytest.approx(2.0, abs=0.21)
    assert pose.why[0].startswith("detik 00:02")
    assert found.findings.index(pose) in found.thumbnails  # the frame, landmarks drawn


def test_cli_screen_video_prints_one_object_per_video(tmp_path: Path) -> None:
    good = write(tmp_path, [(hall(), 2.0), (banner("COBLOS NO. 3 PASTI MENANG"), 2.0)])
    broken = tmp_path / "rusak.mov"
    broken.write_bytes(b"not a video at all")
    r = CliRunner().invoke(
        cli, ["screen", "video", str(good), str(broken), "--election", str(DEMO_ELECTION), "--json"]
    )
    assert r.exit_code == 0, r.output
    rows = [json.loads(line) for line in r.stdout.splitlines() if line.startswith("{")]
    assert [row["path"] for row in rows] == [str(good), str(broken)]
    first, second = rows
    assert first["frames"] == 4 and first["duration_s"] == pytest.approx(4.0, abs=0.3)
    hit = next(f for f in first["findings"] if f["label"] == "partisan")
    assert hit["time_code"] == "00:02" and hit["time_s"] == pytest.approx(2.0, abs=0.21)
    assert hit["why"][0].startswith("detik 00:02") and "COBLOS" in hit["text"]
    assert second["frames"] == 0 and second["findings"] == [] and "error" in second
