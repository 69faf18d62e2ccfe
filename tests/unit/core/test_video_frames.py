"""Frames out of videos with PyAV: about one a second, at most 60, in order, with their times."""

from __future__ import annotations

from pathlib import Path

import pytest
from PIL import Image

from netral.core.video import MAX_FRAMES, VideoError, probe, sample_frames, sample_times

from support.evidence import scene, video_clip

RED, BLUE = (200, 30, 30), (30, 30, 200)


def clip(
    tmp_path: Path,
    suffix: str,
    scenes: list[tuple[Image.Image, float]],
    fps: int = 5,
    options: dict[str, str] | None = None,
) -> Path:
    path = tmp_path / f"clip{suffix}"
    path.write_bytes(video_clip(suffix, scenes, fps=fps, options=options))
    return path


def test_sample_times_one_a_second_then_spread_over_sixty() -> None:
    assert sample_times(4.5) == [0.0, 1.0, 2.0, 3.0, 4.0]
    assert sample_times(0.4) == [0.0]
    long = sample_times(600.0)
    assert len(long) == MAX_FRAMES and long[0] == 0.0 and long[-1] < 600.0
    assert long[1] == pytest.approx(10.0)


@pytest.mark.parametrize("suffix", [".mp4", ".mov", ".webm"])
def test_frames_come_with_their_seconds(tmp_path: Path, suffix: str) -> None:
    path = clip(tmp_path, suffix, [(scene("", RED), 2.0), (scene("", BLUE), 2.0)])
    info, poster = probe(path)
    assert info.duration_s == pytest.approx(4.0, abs=0.25) and (info.width, info.height) == (
        320,
        240,
    )
    frames = list(sample_frames(path))
    assert [f.time_s for f in frames] == pytest.approx([0.0, 1.0, 2.0, 3.0], abs=0.21)
    colours = [f.image.getpixel((160, 20)) for f in frames]
    assert all(c[0] > 150 and c[2] < 80 for c in colours[:2])  # red for two seconds
    assert all(c[2] > 150 and c[0] < 80 for c in colours[2:])  # then blue
    assert poster.getpixel((160, 20))[0] > 150


def test_a_long_video_gives_at_most_sixty_frames_spread_evenly(tmp_path: Path) -> None:
    # 150 s: one frame every 2.5 s; the scene changes colour at 100 s
    path = clip(tmp_path, ".mp4", [(scene("", RED), 100.0), (scene("", BLUE), 50.0)], fps=2)
    frames = list(sample_frames(path))
    assert len(frames) == MAX_FRAMES
    times = [f.time_s for f in frames]
    assert times == sorted(times) and times[-1] == pytest.approx(147.5, abs=0.6)
    blue = [f.time_s for f in frames if f.image.getpixel((160, 20))[2] > 150]
    assert blue and min(blue) == pytest.approx(100.0, abs=0.6)


def test_a_phone_like_video_is_sampled_by_seeking_between_keyframes(tmp_path: Path) -> None:
    # a keyframe every second, as phones write them; 130 s: one sample every ~2.2 s
    scenes = [(scene("", RED), 65.0), (scene("", BLUE), 65.0)]
    path = clip(tmp_path, ".mp4", scenes, fps=5, options={"g": "5", "bf": "0"})
    frames = list(sample_frames(path))
    assert len(frames) == MAX_FRAMES
    times = [f.time_s for f in frames]
    expected = sample_times(130.0)
    assert times == pytest.approx(expected, abs=0.21)
    for f in frames:
        red = f.image.getpixel((160, 20))[0] > 150
        assert red == (f.time_s < 65.0), f.time_s


def test_frames_are_scaled_down(tmp_path: Path) -> None:
    big = Image.new("RGB", (1920, 1080), RED)
    path = clip(tmp_path, ".mp4", [(big, 1.0)])
    (frame,) = sample_frames(path, side=640)
    assert frame.image.size == (640, 360)


def test_not_a_video(tmp_path: Path) -> None:
    path = tmp_path / "bukan.mp4"
    path.write_bytes(b"\x00\x00\x00\x18ftypmp42" + bytes(200))
    with pytest.raises(VideoError):
        probe(path)
    with pytest.raises(VideoError):
        list(sample_frames(path))
