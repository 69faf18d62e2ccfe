"""Video screening: video seconds screened per second, against a raw decode in the same run.

Run: .venv/bin/python benchmarks/screening/video.py [--out benchmarks/results/video.md]

Clips are made here with PyAV (nothing is downloaded, nothing shared is needed), shaped like
the evidence people send: phone footage is 30 fps H.264 with sensor noise and some motion.
Every clip has a keyframe each second, as phone cameras write them.
- `phone-1080p-30s`: 1920x1080, 30 s; a banner with a ballot-number call from 10 s to 15 s, and,
  when the shared gesture photos are present (NETRAL_TESTDATA), a photo of a hand sign at 20-24 s;
- `phone-720p-2min`: 1280x720, 120 s, the 60-frame cap (one frame every 2 s, reached by seeking);
- `browser-480p-20s.webm`: 854x480 VP9, 20 s, as a browser's recorder makes.

For each clip, one process, one thread for decoding, `OMP_THREAD_LIMIT=1`:
- raw decode: every frame decoded (no conversion), the decoder alone: video s/s;
- sampling: `core.video.sample_frames` (about one frame a second, scaled to 1280 px): video s/s;
- screening: `screening.video.screen_video` (gestures on every sample, OCR where the picture
  changed, the text classifier on what was read): video s/s, ms per sampled frame, and what it
  found with its time codes.
Load average is printed before and after: the machine is shared.
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("OMP_THREAD_LIMIT", "1")
ROOT = Path(__file__).resolve().parents[2]
sys.path[:0] = [str(ROOT / "src"), str(ROOT / "tests")]

import av  # noqa: E402
import numpy as np  # noqa: E402
from PIL import Image, ImageDraw  # noqa: E402

from netral.core.video import sample_frames  # noqa: E402
from netral.election.service import DEMO_ELECTION, read_election_file  # noqa: E402
from netral.rules import load_rulebook  # noqa: E402
from netral.screening.pipeline import Screeners  # noqa: E402
from netral.screening.video import screen_video  # noqa: E402

DATA = Path(os.environ.get("NETRAL_TESTDATA", ROOT.parent / "shared" / "data"))


def hand_photo() -> Image.Image | None:
    path = DATA / "gestures" / "mpmm_four_06aa70cc.jpg"
    return Image.open(path).convert("RGB") if path.is_file() else None


def make_clip(
    path: Path, width: int, height: int, seconds: int, fps: int, codec: str, seed: int
) -> None:
    """A hall with noise and a slow pan; a banner at 10-15 s; a hand sign at 20-24 s."""
    rng = np.random.default_rng(seed)
    base = Image.new("RGB", (width + 200, height), (160, 175, 200))
    d = ImageDraw.Draw(base)
    for i in range(0, width + 200, 80):
        d.rectangle((i, height // 2, i + 40, height), fill=(90 + i % 60, 100, 130))
    banner = base.copy()
    bd = ImageDraw.Draw(banner)
    bd.rectangle((60, height // 10, width - 60, height // 10 + height // 5), fill=(200, 30, 40))
    bd.text(
        (90, height // 10 + height // 20),
        "COBLOS NO. 3 PASTI MENANG",
        fill=(255, 255, 255),
        font_size=height // 12,
    )
    hand = hand_photo()
    # a keyframe every second, as phone cameras write them
    gop = {"g": str(fps)}
    options = (
        {"preset": "veryfast", "crf": "23", **gop}
        if codec == "libx264"
        else {"crf": "34", "b:v": "0", **gop}
    )
    fmt = "webm" if codec.startswith("libvpx") else "mp4"
    with av.open(str(path), "w", format=fmt) as out:
        stream = out.add_stream(codec, rate=fps, options=options)
        stream.width, stream.height, stream.pix_fmt = width, height, "yuv420p"
        stream.codec_context.thread_count = 2  # making the clip is not what is measured
        for n in range(seconds * fps):
            t = n / fps
            scene = banner if 10 <= t < 15 else base
            x = int(100 + 80 * np.sin(t / 3))
            frame_img = scene.crop((x, 0, x + width, height))
            if hand is not None and 20 <= t < 24:
                frame_img = Image.new("RGB", (width, height), (40, 40, 40))
                k = height / hand.height  # the photo fills the frame's height, as if filmed
                shown = hand.resize((round(hand.width * k), height))
                frame_img.paste(shown, ((width - shown.width) // 2, (height - shown.height) // 2))
            arr = np.asarray(frame_img, dtype=np.int16)
            arr = arr + rng.integers(-6, 7, arr.shape[:2], dtype=np.int16)[:, :, None]
            frame = av.VideoFrame.from_ndarray(arr.clip(0, 255).astype(np.uint8), format="rgb24")
            for packet in stream.encode(frame):
                out.mux(packet)
        for packet in stream.encode():
            out.mux(packet)


def raw_decode(path: Path) -> tuple[float, int]:
    t0 = time.perf_counter()
    frames = 0
    with av.open(str(path)) as c:
        s = c.streams.video[0]
        s.thread_type = "SLICE"
        s.codec_context.thread_count = 1
        for _ in c.decode(s):
            frames += 1
    return time.perf_counter() - t0, frames


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--out", type=Path, help="write the figures as markdown here")
    args = ap.parse_args()
    lines: list[str] = []

    def say(line: str = "") -> None:
        print(line, flush=True)
        lines.append(line)

    say(
        f"CPU {platform.processor() or platform.machine()}, {os.cpu_count()} cores, PyAV "
        f"{av.__version__} (FFmpeg {av.library_versions['libavcodec']}), load average "
        f"{os.getloadavg()[0]:.1f} at start; shared gesture photo "
        f"{'present' if hand_photo() is not None else 'absent (no hand-sign segment)'}"
    )
    clips = [
        ("phone-1080p-30s.mp4", 1920, 1080, 30, 30, "libx264"),
        ("phone-720p-2min.mp4", 1280, 720, 120, 30, "libx264"),
        ("browser-480p-20s.webm", 854, 480, 20, 30, "libvpx-vp9"),
    ]
    screeners = Screeners(rulebook=load_rulebook(), models_dir=Path(tempfile.mkdtemp()))
    election = read_election_file(DEMO_ELECTION)
    # load the models before timing (MediaPipe, Tesseract): a worker keeps them loaded
    screeners.gestures.analyze(Image.new("RGB", (64, 64)))
    screeners.ocr.read(Image.new("RGB", (64, 64)))
    screeners.text([election]).finding("coblos nomor 3")
    say()
    say(
        "| clip | MB | raw decode, video s/s | sampling, video s/s | screening, video s/s "
        "| frames | ms per frame | OCR reads | found |"
    )
    say("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |")
    with tempfile.TemporaryDirectory() as folder:
        for i, (name, w, h, secs, fps, codec) in enumerate(clips):
            path = Path(folder) / name
            make_clip(path, w, h, secs, fps, codec, seed=i)
            mb = path.stat().st_size / 1e6
            raw_s, _ = raw_decode(path)
            t0 = time.perf_counter()
            sampled = sum(1 for _ in sample_frames(path))
            sample_s = time.perf_counter() - t0
            t0 = time.perf_counter()
            found = screen_video(path, [election], screeners=screeners)
            screen_s = time.perf_counter() - t0
            hits = [
                f"{f.label} {f.data['time_code']}"
                for f in found.findings[1:]
                if f.label in ("banned_pose", "partisan")
            ]
            say(
                f"| {name} | {mb:.1f} | {secs / raw_s:.0f} | {secs / sample_s:.0f} "
                f"| {secs / screen_s:.1f} | {sampled} | {1000 * screen_s / max(1, sampled):.0f} "
                f"| {found.findings[0].data.get('ocr_frames')} | {', '.join(hits) or '–'} |"
            )
    say()
    say(f"load average at the end: {os.getloadavg()[0]:.1f}")
    if args.out:
        args.out.write_text("\n".join(lines) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
