"""Gesture screening: bad input never crashes, the API shape, candidate matching, annotation."""

from __future__ import annotations

import io
from datetime import date
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from netral.election.schemas import ElectionIn
from netral.screening.findings import Finding
from netral.screening.gestures import (
    GestureResult,
    GestureScreener,
    HandResult,
    annotate,
    load_image,
    matches_candidate,
)


@pytest.fixture(scope="module")
def screener() -> GestureScreener:
    return GestureScreener()


def _election(*numbers: int) -> ElectionIn:
    return ElectionIn.model_validate(
        {
            "election": {
                "name": "Pilkada Kota Contoh",
                "kind": "pilkada",
                "region": "32.73",
                "voting_day": date(2024, 11, 27),
            },
            "candidates": [{"number": n, "names": [f"Calon {n}", f"Wakil {n}"]} for n in numbers],
        }
    )


def _scene(size: tuple[int, int] = (320, 240)) -> Image.Image:
    """A photo with no people: a gradient and a few shapes."""
    w, h = size
    x = np.linspace(0, 255, w, dtype=np.float64)[None, :].repeat(h, 0)
    y = np.linspace(0, 255, h, dtype=np.float64)[:, None].repeat(w, 1)
    a = np.stack([x, y, 255 - x], axis=-1).astype(np.uint8)
    return Image.fromarray(a)


def _check(screener: GestureScreener, image: object) -> Finding:
    result = screener.analyze(image)  # type: ignore[arg-type]
    assert isinstance(result, GestureResult)
    finding = screener.finding(result)
    assert finding.kind == "gesture"
    assert finding.label in {"no_hands", "no_gesture", "allowed_pose", "banned_pose"}
    assert finding.why
    assert set(finding.data) >= {"hands", "number_shown", "banned_pose", "ms", "matches_candidate"}
    return finding


def test_no_people(screener: GestureScreener) -> None:
    finding = _check(screener, _scene())
    assert finding.label == "no_hands"
    assert finding.data["banned_pose"] is False
    assert finding.data["number_shown"] is None


def test_one_pixel(screener: GestureScreener) -> None:
    assert _check(screener, Image.new("RGB", (1, 1), "white")).label == "no_hands"


def test_cmyk_jpeg(screener: GestureScreener, tmp_path: Path) -> None:
    path = tmp_path / "cmyk.jpg"
    _scene().convert("CMYK").save(path, "JPEG")
    assert Image.open(path).mode == "CMYK"
    assert _check(screener, path).label == "no_hands"


def test_sixteen_bit_png(screener: GestureScreener, tmp_path: Path) -> None:
    path = tmp_path / "deep.png"
    a = (np.linspace(0, 65535, 200 * 150).reshape(150, 200)).astype(np.uint16)
    Image.fromarray(a).save(path)
    assert Image.open(path).mode.startswith("I")
    rgb = load_image(path)
    assert rgb.dtype == np.uint8 and rgb.shape == (150, 200, 3) and rgb.max() > 200
    assert _check(screener, path).label == "no_hands"


def test_grayscale_and_rgba(screener: GestureScreener) -> None:
    assert _check(screener, _scene().convert("L")).label == "no_hands"
    rgba = _scene().convert("RGBA")
    rgba.putalpha(128)
    assert _check(screener, rgba).label == "no_hands"
    assert load_image(rgba).shape[2] == 3


def test_animated_webp_first_frame(screener: GestureScreener, tmp_path: Path) -> None:
    path = tmp_path / "anim.webp"
    frames = [_scene(), Image.new("RGB", (320, 240), "red"), Image.new("RGB", (320, 240), "blue")]
    frames[0].save(path, save_all=True, append_images=frames[1:], duration=100, loop=0)
    assert Image.open(path).n_frames == 3
    first = load_image(path)
    assert first.shape == (240, 320, 3)
    assert not (first[:, :, 0] > 250).all()  # not the red second frame
    assert _check(screener, path).label == "no_hands"


def test_huge_image_is_downscaled(screener: GestureScreener) -> None:
    big = _scene((6000, 4000))
    result = screener.analyze(big)
    assert (result.width, result.height) == (6000, 4000)
    assert screener.finding(result).label == "no_hands"


def test_arrays_of_any_kind(screener: GestureScreener) -> None:
    for a in (
        np.zeros((64, 64), np.uint8),
        np.zeros((64, 64, 1), np.uint8),
        np.zeros((64, 64, 4), np.uint8),
        np.zeros((64, 64, 3), np.uint16),
        np.ones((64, 64, 3), np.float32),
    ):
        assert _check(screener, a).label == "no_hands"


def test_unreadable_file_gives_a_finding(screener: GestureScreener, tmp_path: Path) -> None:
    path = tmp_path / "broken.jpg"
    path.write_bytes(b"\xff\xd8\xff not really a jpeg")
    result = screener.analyze(path)
    assert result.error
    finding = screener.finding(result)
    assert finding.label == "no_hands"
    assert "tidak dapat dibaca" in finding.why[0]
    truncated = io.BytesIO()
    _scene().save(truncated, "JPEG")
    (tmp_path / "cut.jpg").write_bytes(truncated.getvalue()[:200])
    assert _check(screener, tmp_path / "cut.jpg").label == "no_hands"


def test_to_json_matches_cli_contract() -> None:
    hand = HandResult(
        box=(1, 2, 30, 40),
        handedness="Right",
        fingers=["index", "middle"],
        count=2,
        pose="v_sign",
        deliberate=True,
        score=0.9,
        landmarks=[(10.0, 10.0)] * 21,
    )
    result = GestureResult([hand], 2, True, 12.345, 100, 80)
    data = result.to_json()
    assert set(data) == {"hands", "number_shown", "banned_pose", "ms"}
    assert set(data["hands"][0]) >= {"handedness", "fingers", "pose", "deliberate", "score"}
    assert data["hands"][0]["count"] == 2
    assert data["hands"][0]["box"] == [1, 2, 30, 40]
    assert data["number_shown"] == 2 and data["banned_pose"] is True


def test_finding_for_a_sign_names_the_candidate(screener: GestureScreener) -> None:
    hand = HandResult(
        box=(1, 2, 30, 40),
        handedness="Right",
        fingers=["index", "middle", "ring"],
        count=3,
        pose="three",
        deliberate=True,
        score=0.8,
        landmarks=[(10.0, 10.0)] * 21,
        reasons=["telunjuk, tengah, manis terangkat lurus"],
    )
    result = GestureResult([hand], 3, True, 5.0, 100, 80, numbers_seen=[3])
    finding = screener.finding(result, [_election(1, 2, 3)])
    assert finding.label == "banned_pose"
    assert finding.score == pytest.approx(0.8)
    assert finding.data["matches_candidate"] == 3
    assert "tangan kanan" in finding.why[0]
    assert "paslon 3" in finding.why[0]
    assert screener.finding(result, [_election(1, 2)]).data["matches_candidate"] is None


def test_matches_candidate() -> None:
    assert matches_candidate(None, [_election(1, 2)]) is None
    assert matches_candidate(2, [_election(1, 2)]) == 2
    assert matches_candidate(3, [_election(1, 2)]) is None
    assert matches_candidate(3, [_election(1, 2), _election(3, 4)]) == 3
    assert matches_candidate(1, []) is None


def test_conflicting_hands_show_no_number(screener: GestureScreener) -> None:
    def hand(pose: str, score: float) -> HandResult:
        return HandResult((0, 0, 9, 9), "Left", [], 0, pose, True, score, [(1.0, 1.0)] * 21)

    result = GestureResult([hand("v_sign", 0.9), hand("three", 0.8)], None, False, 1.0, 10, 10)
    screener._photo_level(result)
    assert result.banned_pose and result.number_shown is None
    assert "berbeda" in screener.finding(result).why[-1]
    same = GestureResult([hand("v_sign", 0.9), hand("v_sign", 0.7)], None, False, 1.0, 10, 10)
    screener._photo_level(same)
    assert same.number_shown == 2


def test_annotate_keeps_size(screener: GestureScreener) -> None:
    image = _scene((300, 200))
    hand = HandResult(
        (10, 10, 60, 90), "Left", ["index"], 1, "index_finger", True, 0.9, [(30.0, 50.0)] * 21
    )
    out = annotate(image, GestureResult([hand], 1, True, 1.0, 300, 200))
    assert out.size == (300, 200)
    assert out.mode == "RGB"
    assert annotate(image, screener.analyze(image)).size == (300, 200)
