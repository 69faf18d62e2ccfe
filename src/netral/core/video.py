"""Video evidence through PyAV (FFmpeg): check a container, take a poster, sample frames.

Phone videos are the commonest evidence. Nothing here keeps the container's metadata (GPS,
device, creation time): what leaves this module are decoded pixels, as fresh PIL images.

Bounded by design: one decoding thread, frames scaled down as they are converted (never a
full-size RGB copy of a 4K frame), and at most `max_frames` samples. A sample more than a keyframe interval ahead of the decoder is reached by
seeking to the keyframe before it (phones put one every second or two), so a long video costs
about as much as a short one and a phone video is not decoded frame by frame.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path
from typing import Any, BinaryIO, Final

from PIL import Image

log = logging.getLogger(__name__)

SAMPLE_EVERY_S: Final = 1.0
MAX_FRAMES: Final = 60
FRAME_SIDE: Final = 1280  # longest side of a sampled frame: hands and captions stay legible
SEEK_GAP_S: Final = 0.5  # the next sample nearer than this is always decoded to
LONG_GAP_S: Final = 10.0  # before the keyframe interval is known, seek only this far ahead
HALF_FRAME_S: Final = 0.5 / 30
MAX_DECODED_FRAMES: Final = 20_000  # a stream whose timestamps never advance stops here


class VideoError(ValueError):
    """The file is not a video PyAV can decode (damaged, truncated, no video stream)."""


@dataclass(frozen=True)
class VideoInfo:
    duration_s: float
    width: int  # as stored, before any rotation
    height: int
    codec: str
    container: str  # FFmpeg's demuxer name, e.g. "mov,mp4,m4a,3gp,3g2,mj2" or "matroska,webm"
    fps: float | None


@dataclass(frozen=True)
class Frame:
    time_s: float
    image: Image.Image  # RGB, rotation applied, longest side <= the side asked for


# a path, or an open file such as a sealed original being unsealed as it is read
Source = Path | BinaryIO


def _open(source: Source) -> Any:
    import av

    try:
        if isinstance(source, Path):
            container = av.open(str(source), mode="r", metadata_errors="ignore")
        else:
            source.seek(0)
            container = av.open(source, mode="r", metadata_errors="ignore")
    except (av.FFmpegError, OSError, ValueError, UnicodeDecodeError) as exc:
        raise VideoError(f"not a readable video: {exc}") from None
    if not container.streams.video:
        container.close()
        raise VideoError("no video stream")
    stream = container.streams.video[0]
    stream.thread_type = "SLICE"
    stream.codec_context.thread_count = 1  # bounded CPU: one decoding thread
    return container


def _duration(container: Any, stream: Any) -> float | None:
    if stream.duration is not None and stream.time_base is not None:
        return float(stream.duration * stream.time_base)
    if container.duration is not None:
        return float(container.duration) / 1_000_000  # AV_TIME_BASE
    return None


def _scan_duration(container: Any, stream: Any) -> float:
    """Duration from the packets' timestamps (a browser's WebM often declares none); demux only."""
    last = 0.0
    for packet in container.demux(stream):
        if packet.pts is not None and packet.time_base is not None:
            end = packet.pts + (packet.duration or 0)
            last = max(last, float(end * packet.time_base))
    return last


def probe(path: Source) -> tuple[VideoInfo, Image.Image]:
    """The video's shape and its first frame (as a poster); raises VideoError if it will not play."""
    import av

    with _open(path) as container:
        stream = container.streams.video[0]
        ctx = stream.codec_context
        fps = float(stream.average_rate) if stream.average_rate else None
        try:
            poster = None
            for frame in container.decode(stream):
                poster = _to_image(frame, FRAME_SIDE)
                break
            if poster is None:
                raise VideoError("no frame could be decoded")
            duration = _duration(container, stream)
            if duration is None:
                container.seek(0)
                duration = _scan_duration(container, stream)
        except av.FFmpegError as exc:
            raise VideoError(f"decoding failed: {exc}") from None
        info = VideoInfo(
            duration_s=round(duration, 3),
            width=int(ctx.width),
            height=int(ctx.height),
            codec=str(ctx.name),
            container=str(container.format.name),
            fps=round(fps, 3) if fps else None,
        )
    return info, poster


def sample_times(
    duration_s: float, *, every_s: float = SAMPLE_EVERY_S, max_frames: int = MAX_FRAMES
) -> list[float]:
    """About one frame a second (from 0), spread evenly when that would exceed `max_frames`."""
    if duration_s <= 0:
        return [0.0]
    step = max(every_s, duration_s / max_frames)
    count = min(max_frames, int(duration_s / step) + 1)
    times = [round(i * step, 3) for i in range(count)]
    return [t for t in times if t < duration_s] or [0.0]


def sample_frames(
    path: Source,
    *,
    every_s: float = SAMPLE_EVERY_S,
    max_frames: int = MAX_FRAMES,
    side: int = FRAME_SIDE,
    duration_s: float | None = None,
) -> Iterator[Frame]:
    """The frames nearest each sample time, in order; raises VideoError if decoding fails."""
    import av

    with _open(path) as container:
        stream = container.streams.video[0]
        if duration_s is None:
            duration_s = _duration(container, stream)
            if duration_s is None:
                duration_s = _scan_duration(container, stream)
                container.seek(0)
        wanted = sample_times(duration_s, every_s=every_s, max_frames=max_frames)
        base = stream.time_base or Fraction(1, 1000)
        start = float(stream.start_time * base) if stream.start_time is not None else 0.0
        i = 0
        decoded = 0
        last_key: float | None = None  # time of the last keyframe decoded since the last seek
        key_every: float | None = None  # the shortest keyframe interval seen

        def worth_seeking(gap: float) -> bool:
            # Seeking lands on the keyframe before the target: worth it only when a keyframe
            # lies between here and there, else the same frames are decoded twice.
            if key_every is None:
                return gap > LONG_GAP_S
            return gap > max(SEEK_GAP_S, key_every)

        try:
            while i < len(wanted):
                restart = False
                for frame in container.decode(stream):
                    decoded += 1
                    if decoded > MAX_DECODED_FRAMES:
                        return
                    if frame.pts is None:
                        continue
                    t = float(frame.pts * frame.time_base) - start
                    if frame.key_frame:
                        if last_key is not None and t > last_key:
                            gap = t - last_key
                            key_every = gap if key_every is None else min(key_every, gap)
                        last_key = t
                    if t + HALF_FRAME_S < wanted[i]:
                        if worth_seeking(wanted[i] - t):
                            restart = True
                            break
                        continue
                    yield Frame(time_s=round(max(t, 0.0), 3), image=_to_image(frame, side))
                    i += 1
                    while i < len(wanted) and wanted[i] <= t:
                        i += 1  # one decoded frame serves every sample time it passes
                    if i >= len(wanted):
                        return
                    if worth_seeking(wanted[i] - t):
                        restart = True
                        break
                if not restart:
                    return  # end of stream
                container.seek(int((wanted[i] + start) / base), stream=stream, backward=True)
                last_key = None
        except av.FFmpegError as exc:
            raise VideoError(f"decoding failed: {exc}") from None


def _to_image(frame: Any, side: int) -> Image.Image:
    """The frame as a fresh RGB image, scaled in the conversion itself, rotation applied."""
    w, h = int(frame.width), int(frame.height)
    scale = min(1.0, side / max(w, h))
    width, height = max(2, round(w * scale)), max(2, round(h * scale))
    image: Image.Image = frame.to_image(width=width, height=height, interpolation="BILINEAR")
    rotation = int(getattr(frame, "rotation", 0) or 0) % 360
    if rotation:
        # FFmpeg's display matrix angle is counter-clockwise; PIL rotates counter-clockwise too
        image = image.rotate(rotation, expand=True)
    return image


def write_clip(
    out: Path,
    scenes: list[tuple[Image.Image, float]],
    *,
    fps: int = 10,
    codec: str = "libx264",
    metadata: dict[str, str] | None = None,
    options: dict[str, str] | None = None,
) -> None:
    """Encode still scenes (image, seconds shown) as a small video: the demo's and the tests'."""
    import av

    fmt = {"libvpx": "webm", "libvpx-vp9": "webm"}.get(codec)
    with av.open(
        str(out), mode="w", format=fmt or ("mov" if out.suffix == ".mov" else "mp4")
    ) as container:
        if metadata:
            container.metadata.update(metadata)
        stream: Any = container.add_stream(codec, rate=fps, options=options or {})
        first = scenes[0][0]
        stream.width, stream.height = first.width - first.width % 2, first.height - first.height % 2
        stream.pix_fmt = "yuv420p"
        stream.codec_context.thread_count = 1
        for image, seconds in scenes:
            frame = av.VideoFrame.from_image(  # type: ignore[no-untyped-call]
                image.convert("RGB").resize((stream.width, stream.height))
            )
            for _ in range(max(1, round(seconds * fps))):
                for packet in stream.encode(frame):
                    container.mux(packet)
        for packet in stream.encode():
            container.mux(packet)
