"""Video evidence: about one frame a second (at most 60) screened for poses and text.

Every sampled frame goes through the gesture screener; OCR reads a frame only when the picture
has changed since the last frame it read (a still scene, or a banner held for ten seconds, is
read once). What a person should look at becomes a finding of its own, with the second it was
seen (`data.time_s`, "detik 00:12" in its `why`) and a thumbnail of that frame: a pose the
rulebook bans or allows, and text the classifier calls partisan or political, or a debunked
claim. Consecutive frames showing the same thing make one finding spanning those seconds.
A summary finding (kind "video") says how much was screened and lists the text read.

Thumbnails are fresh JPEGs drawn from decoded pixels: the container's metadata (location,
device, creation time) never reaches a page.
"""

from __future__ import annotations

import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Protocol

import numpy as np
from PIL import Image

from netral.core.video import (
    MAX_FRAMES,
    SAMPLE_EVERY_S,
    Frame,
    Source,
    VideoError,
    probe,
    sample_frames,
)
from netral.election.schemas import ElectionIn
from netral.screening.findings import Finding

if TYPE_CHECKING:  # the models load on first use, through the pipeline's `Screeners`
    from netral.screening.gestures import GestureScreener
    from netral.screening.hoax import HoaxIndex
    from netral.screening.ocr import OcrEngine
    from netral.screening.text import TextScreener


class Screeners(Protocol):
    """What this module needs of `pipeline.Screeners` (which imports this module)."""

    @property
    def gestures(self) -> GestureScreener: ...

    @property
    def ocr(self) -> OcrEngine: ...

    @property
    def hoax(self) -> HoaxIndex | None: ...

    def text(self, elections: Sequence[ElectionIn]) -> TextScreener: ...


THUMB_SIDE = 480
MIN_OCR_WORDS = 3
SCENE_CHANGE = 6.0  # mean absolute difference (0-255) of 32x32 grey copies: a new picture
SAME_TEXT = 85.0  # rapidfuzz token-set ratio above which two frames read the same text
POSE_LABELS = ("banned_pose", "allowed_pose")
TEXT_LABELS = ("partisan", "political_neutral")
MODEL = "pyav frames"


def time_code(seconds: float) -> str:
    """00:12, or 1:02:03 past an hour."""
    s = int(seconds)
    h, rest = divmod(s, 3600)
    return f"{h}:{rest // 60:02d}:{rest % 60:02d}" if h else f"{rest // 60:02d}:{rest % 60:02d}"


def span(start: float, end: float) -> str:
    if int(end) <= int(start):
        return f"detik {time_code(start)}"
    return f"detik {time_code(start)}–{time_code(end)}"


@dataclass
class _Event:
    """Something seen in one or more consecutive frames."""

    key: tuple[Any, ...]
    finding: Finding
    thumbnail: Image.Image
    start: float
    end: float
    last_frame: int


@dataclass
class VideoScreen:
    """What screening a video found: findings (summary first) and each finding's thumbnail."""

    findings: list[Finding] = field(default_factory=list)
    thumbnails: dict[int, Image.Image] = field(default_factory=dict)  # finding index → frame
    text: str = ""  # every distinct text read, in order, for identifying the ASN
    duration_s: float = 0.0
    frames: int = 0
    ms: float = 0.0


def _signature(image: Image.Image) -> np.ndarray[Any, np.dtype[np.float32]]:
    return np.asarray(image.convert("L").resize((32, 32), Image.Resampling.BILINEAR), np.float32)


def _thumb(image: Image.Image) -> Image.Image:
    small = image.copy()
    small.thumbnail((THUMB_SIDE, THUMB_SIDE))
    return small


def screen_video(
    path: Source,
    elections: Sequence[ElectionIn],
    *,
    screeners: Screeners,
    every_s: float = SAMPLE_EVERY_S,
    max_frames: int = MAX_FRAMES,
) -> VideoScreen:
    """Screen one video file; an unreadable one gives a single "unreadable" finding."""
    from rapidfuzz import fuzz

    from netral.screening.gestures import annotate

    t0 = time.perf_counter()
    out = VideoScreen()
    try:
        info, _ = probe(path)
    except VideoError as exc:
        out.findings.append(
            Finding("video", "unreadable", 0.0, [f"video tidak dapat diputar: {exc}"], {}, MODEL)
        )
        return out
    broken: list[str] = []

    def frames() -> Iterator[Frame]:
        """One frame at a time (never all 60 in memory); a decoding error ends the video."""
        try:
            yield from sample_frames(
                path, every_s=every_s, max_frames=max_frames, duration_s=info.duration_s
            )
        except VideoError as exc:
            broken.append(str(exc))

    out.duration_s = info.duration_s
    events: list[_Event] = []
    open_pose: _Event | None = None
    open_text: list[_Event] = []  # the findings about the text now on screen
    texts: list[dict[str, Any]] = []
    last_sig: np.ndarray[Any, np.dtype[np.float32]] | None = None
    ocr_reads = hand_frames = 0
    for n, frame in enumerate(frames()):
        out.frames = n + 1
        t = frame.time_s
        gesture = screeners.gestures.analyze(frame.image)
        if gesture.hands:
            hand_frames += 1
        pose = screeners.gestures.finding(gesture, elections)
        if pose.label in POSE_LABELS:
            key = ("pose", pose.label, gesture.number_shown)
            if open_pose and open_pose.key == key and open_pose.last_frame == n - 1:
                open_pose.end, open_pose.last_frame = t, n
                open_pose.finding.score = max(open_pose.finding.score, pose.score)
            else:
                open_pose = _Event(key, pose, _thumb(annotate(frame.image, gesture)), t, t, n)
                events.append(open_pose)
        sig = _signature(frame.image)
        if last_sig is not None and float(np.abs(sig - last_sig).mean()) <= SCENE_CHANGE:
            for ev in open_text:  # the same picture: whatever text it held is still there
                if ev.last_frame == n - 1:
                    ev.end, ev.last_frame = t, n
            continue
        last_sig = sig
        ocr_reads += 1
        ocr = screeners.ocr.read(frame.image)
        text = ocr.text if ocr.words >= MIN_OCR_WORDS else ""
        if not text:
            open_text = []
            continue
        if texts and fuzz.token_set_ratio(text, texts[-1]["text"]) >= SAME_TEXT:
            for ev in open_text:
                if ev.last_frame == n - 1:
                    ev.end, ev.last_frame = t, n
            continue
        texts.append({"time_s": t, "time_code": time_code(t), "text": text})
        open_text = []
        for f in screen_text(text, elections, screeners):
            if f.label in TEXT_LABELS or (f.kind == "hoax" and f.label == "hoax_match"):
                f.data["text"] = text
                f.data["ocr_confidence"] = ocr.confidence
                open_text.append(_Event(("text", f.kind), f, _thumb(frame.image), t, t, n))
        events.extend(open_text)
    out.text = "\n".join(x["text"] for x in texts)
    out.ms = (time.perf_counter() - t0) * 1000
    out.findings.append(
        _summary(
            info.duration_s, out.frames, every_s, events, texts, ocr_reads, hand_frames, out.ms
        )
    )
    if broken:
        out.findings[-1].why.append(
            f"pemutaran berhenti setelah {out.frames} bingkai (video rusak di tengah): {broken[0]}"
        )
    for ev in events:
        f = ev.finding
        when = span(ev.start, ev.end)
        source = (
            "pada bingkai video" if f.kind == "gesture" else "teks terbaca pada bingkai video (OCR)"
        )
        f.why.insert(0, f"{when}: {source}")
        f.data.update(time_s=ev.start, end_s=ev.end, time_code=time_code(ev.start))
        f.data.pop("annotated_sha256", None)
        out.thumbnails[len(out.findings)] = ev.thumbnail
        out.findings.append(f)
    return out


def screen_text(text: str, elections: Sequence[ElectionIn], screeners: Screeners) -> list[Finding]:
    findings = [screeners.text(elections).finding(text)]
    if screeners.hoax is not None:
        findings.append(screeners.hoax.finding(text))
    return findings


def _summary(
    duration: float,
    frames: int,
    every_s: float,
    events: list[_Event],
    texts: list[dict[str, Any]],
    ocr_reads: int,
    hand_frames: int,
    ms: float,
) -> Finding:
    step = duration / frames if frames and duration / frames > every_s else every_s
    why = [
        f"video {time_code(duration)}: {frames} bingkai disaring (satu tiap {step:.3g} detik)",
        f"tangan terlihat pada {hand_frames} bingkai; teks dibaca pada {ocr_reads} bingkai "
        "yang gambarnya berubah",
    ]
    notable = [e for e in events if e.finding.label in ("banned_pose", "partisan", "hoax_match")]
    if notable:
        seen = ", ".join(sorted({time_code(e.start) for e in notable}))
        why.append(f"perlu diperiksa pada detik {seen}")
    else:
        why.append("tidak ada pose terlarang atau teks berpihak yang terdeteksi")
    return Finding(
        kind="video",
        label="video_screened",
        score=max((e.finding.score for e in notable), default=0.0),
        why=why,
        data={
            "duration_s": duration,
            "frames": frames,
            "every_s": round(step, 3),
            "texts": texts,
            "hand_frames": hand_frames,
            "ocr_frames": ocr_reads,
        },
        model=MODEL,
        ms=round(ms, 1),
    )
