"""Gesture screening on real photos: whose hand it is, and the `screen image --json` contract."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from PIL import Image, ImageOps
from typer.testing import CliRunner

from netral.cli import app
from netral.screening.gestures import GestureScreener

# A man raises his index finger; his T-shirt's print reads the right way round, so the photo is
# as the camera saw it (not mirrored), and the raised arm, on the image's left, is his right.
UNMIRRORED_RIGHT_INDEX = "mpmm_none_0a0ef3d2.jpg"


@pytest.fixture(scope="module")
def screener() -> GestureScreener:
    return GestureScreener()


@pytest.fixture(scope="module")
def photos(testdata: Path) -> Path:
    folder = testdata / "gestures"
    if not (folder / UNMIRRORED_RIGHT_INDEX).is_file():
        pytest.skip(f"no labelled gesture photos at {folder}")
    return folder


def test_handedness_is_the_persons_own(screener: GestureScreener, photos: Path) -> None:
    result = screener.analyze(photos / UNMIRRORED_RIGHT_INDEX)
    sign = next(h for h in result.hands if h.deliberate)
    assert sign.pose == "index_finger" and sign.handedness == "Right"
    assert screener.finding(result).why[0].startswith("tangan kanan")
    mirrored = ImageOps.mirror(Image.open(photos / UNMIRRORED_RIGHT_INDEX).convert("RGB"))
    flipped = next(h for h in screener.analyze(mirrored).hands if h.deliberate)
    assert flipped.pose == "index_finger" and flipped.handedness == "Left"


def test_screen_image_json_contract(photos: Path, tmp_path: Path) -> None:
    broken = tmp_path / "broken.jpg"
    broken.write_bytes(b"not a photo")
    files = [photos / UNMIRRORED_RIGHT_INDEX, photos / "mprs_banana.jpg", broken]
    r = CliRunner().invoke(app, ["screen", "image", *map(str, files), "--json"])
    assert r.exit_code == 0, r.output
    rows = [json.loads(line) for line in r.stdout.splitlines() if line.startswith("{")]
    assert [row["path"] for row in rows] == [str(f) for f in files]
    for row in rows:
        assert {"path", "banned_pose", "number_shown", "hands"} <= set(row)
        assert isinstance(row["banned_pose"], bool)
        assert row["number_shown"] is None or isinstance(row["number_shown"], int)
        for hand in row["hands"]:
            assert {"pose", "fingers", "deliberate", "handedness", "score"} <= set(hand)
            assert hand["handedness"] in {"Left", "Right"}
            assert 0.0 <= hand["score"] <= 1.0
    sign, banana, bad = rows
    assert sign["banned_pose"] is True and sign["number_shown"] == 1
    assert sign["why"][0].startswith("tangan kanan") and "gestures" in sign["model"]
    assert any(h["pose"] == "index_finger" and h["deliberate"] for h in sign["hands"])
    assert banana["banned_pose"] is False and banana["hands"] == []
    assert bad["banned_pose"] is False and bad["error"]


def _group(photos: Path, names: list[str], scale: float) -> Image.Image:
    """People side by side along the bottom of a wide photo, each small in it."""
    canvas = Image.new("RGB", (1920, 1080), (90, 110, 90))
    x = 0
    for name in names:
        im = Image.open(photos / name).convert("RGB")
        im = im.resize((int(im.width * scale), int(im.height * scale)))
        canvas.paste(im, (x, 1080 - im.height))
        x += im.width
    return canvas


def test_small_hands_in_a_group_photo_are_looked_for_closer(photos: Path) -> None:
    group = _group(
        photos,
        [
            "mpmm_four_07fdea90.jpg",
            "mpmm_rock_09a619ab.jpg",
            "mpmm_none_0a4bc2da.jpg",
            "mpmm_call_1d65a858.jpg",
        ],
        0.9,
    )
    once = GestureScreener(grid="never").analyze(group)
    closer = GestureScreener().analyze(group)
    signs = sorted(h.pose for h in closer.hands if h.deliberate)
    assert not once.banned_pose  # at this size the hand model alone finds none of the signs
    assert closer.banned_pose and len(signs) >= 2, signs
    assert set(signs) <= {"four", "metal", "index_finger", "phone"}
