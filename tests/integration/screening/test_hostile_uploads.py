"""A generated corpus of hostile uploads: each is refused with a clear Indonesian message and
leaves nothing on disk, or is stored safely (a derivative without metadata that opens), and the
screening worker's pipeline survives every stored one.

The corpus is built from valid files by rule (seeded, so a failure names the same file again):
truncations, flipped header bytes, wrong magic, polyglots, huge EXIF, zero bytes, deep PDF nesting,
fake `ftyp` boxes, bombs.
"""

from __future__ import annotations

import io
import random
import struct
from collections.abc import Iterator
from pathlib import Path

import pytest
from PIL import Image

from netral.core.errors import NetralError
from netral.core.storage import LocalEvidenceStore
from netral.rules import load_rulebook
from netral.screening.pipeline import Screeners, screen, screen_video

from support.evidence import (
    fake_heic,
    fake_mp4,
    image_bytes,
    iso_bmff,
    minimal_pdf,
    png_bomb,
    scene,
    video_clip,
)


def _jpeg() -> bytes:
    return image_bytes(scene("COBLOS 2"), "JPEG", quality=85)


def _png() -> bytes:
    return image_bytes(scene(), "PNG")


def _webp() -> bytes:
    return image_bytes(scene(), "WEBP")


def _huge_exif(base: bytes) -> bytes:
    """A JPEG with a 64 KB APP1 (EXIF) segment of junk right after SOI."""
    payload = b"Exif\x00\x00" + bytes(random.Random(3).getrandbits(8) for _ in range(65_000))
    return base[:2] + b"\xff\xe1" + struct.pack(">H", len(payload) + 2) + payload + base[2:]


def _deep_pdf(depth: int = 50_000) -> bytes:
    body = b"[" * depth + b"]" * depth
    return (
        b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog /Deep " + body + b" >>\nendobj\n"
        b"trailer\n<< /Root 1 0 R >>\n%%EOF\n"
    )


def corpus() -> Iterator[tuple[str, bytes]]:
    rng = random.Random(2024)
    valid = {
        "jpeg": _jpeg(),
        "png": _png(),
        "webp": _webp(),
        "pdf": minimal_pdf(),
        "mp4": video_clip(scenes=[(scene("VIDEO"), 1.0)]),
    }
    yield "zero-bytes", b""
    yield "one-byte", b"\xff"
    for kind, data in valid.items():
        for cut in (4, 16, len(data) // 3, len(data) - 2):
            yield f"{kind}-truncated-at-{cut}", data[:cut]
        for i in range(3):  # a few bytes flipped inside the header
            flipped = bytearray(data)
            for _ in range(4):
                pos = rng.randrange(2, min(200, len(flipped)))
                flipped[pos] ^= 1 << rng.randrange(8)
            yield f"{kind}-header-flipped-{i}", bytes(flipped)
    yield "jpeg-with-html-appended", valid["jpeg"] + b"<html><script>alert(1)</script></html>"
    yield "jpeg-with-zip-appended", valid["jpeg"] + b"PK\x03\x04" + b"\x00" * 200
    yield "html-behind-jpeg-magic", b"\xff\xd8\xff\xe0<html><body>bukan foto</body></html>"
    yield "png-magic-then-pdf", valid["png"][:8] + valid["pdf"]
    yield "pdf-magic-then-executable", b"%PDF-1.4\n" + b"MZ\x90\x00" + b"\x00" * 500
    yield "elf-executable", b"\x7fELF\x02\x01\x01" + b"\x00" * 500
    yield "huge-exif-jpeg", _huge_exif(valid["jpeg"])
    yield "deep-pdf-nesting", _deep_pdf()
    yield "fake-ftyp-mp4", fake_mp4()
    yield "fake-ftyp-heic", fake_heic()
    yield "ftyp-box-lying-about-its-size", iso_bmff(b"isom", b"mp42", payload=b"\xff" * 32)
    yield "png-bomb", png_bomb()
    yield "random-noise", bytes(rng.getrandbits(8) for _ in range(4096))


CORPUS = list(corpus())


@pytest.fixture(scope="module")
def screeners(tmp_path_factory: pytest.TempPathFactory) -> Screeners:
    return Screeners(rulebook=load_rulebook(), models_dir=tmp_path_factory.mktemp("models"))


def _files(root: Path) -> set[Path]:
    return {p for p in root.rglob("*") if p.is_file()}


@pytest.mark.parametrize(("name", "data"), CORPUS, ids=[n for n, _ in CORPUS])
def test_a_hostile_upload_is_refused_cleanly_or_stored_safely_and_screened(
    name: str, data: bytes, tmp_path: Path, screeners: Screeners
) -> None:
    store = LocalEvidenceStore(tmp_path / "evidence")
    before = _files(tmp_path)
    try:
        blob = store.put(io.BytesIO(data), filename=f"{name}.bin")
    except NetralError as exc:
        message = exc.problems[0].message_id
        assert message and "Traceback" not in message and len(message) < 400, message
        assert _files(tmp_path) == before, "a refusal left a file behind"
        return
    # stored: whatever staff will be shown opens, and carries no metadata
    shown = blob.derivative_sha256 or blob.sha256
    assert store.exists(blob.sha256) and store.exists(shown)
    if blob.kind == "image":
        copy = store.path(shown).read_bytes()
        assert b"<html" not in copy and b"PK\x03\x04" not in copy  # a polyglot's tail is gone
        with Image.open(store.path(shown)) as img:
            img.load()
            assert not img.getexif().get(0x8825)  # no GPS
    # the worker's pipeline gets through it without raising
    kind = {"image": "image", "video": "video"}.get(blob.kind)
    if kind == "image":
        result = screen(store.path(shown), [], screeners=screeners, kind="image")
        assert result.findings
    elif kind == "video":
        # as the worker reads it: the sealed original, unsealed as the decoder goes
        with store.open(blob.sha256) as fh:
            result = screen_video(fh, [], screeners=screeners)
        assert result is not None
