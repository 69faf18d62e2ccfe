"""Sample evidence files built in memory: photos with GPS, bombs, PDFs, fake videos, streams."""

from __future__ import annotations

import io
import random
import struct
import zlib
from pathlib import Path
from typing import Any

from PIL import Image

GPS_IFD = 0x8825
ORIENTATION = 0x0112
# GPSLatitudeRef, GPSLatitude, GPSLongitudeRef, GPSLongitude: somewhere in Bandung
GPS_BANDUNG = {1: "S", 2: (6.0, 54.0, 53.0), 3: "E", 4: (107.0, 36.0, 35.0)}
XMP = (
    b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/'
    b'22-rdf-syntax-ns#"><rdf:Description xmlns:dc="http://purl.org/dc/elements/1.1/" '
    b'dc:creator="Pelapor Rahasia"/></rdf:RDF></x:xmpmeta>'
)


def two_tone(width: int = 40, height: int = 20, mode: str = "RGB") -> Image.Image:
    """Left half red, right half blue: where the halves end up shows the orientation applied."""
    img = Image.new(mode, (width, height), (200, 0, 0, 255)[: len(mode)])
    img.paste((0, 0, 200, 255)[: len(mode)], (width // 2, 0, width, height))
    return img


def jpeg_with_gps(
    img: Image.Image | None = None, *, orientation: int = 6, comment: bytes = b"Kamera Pelapor"
) -> bytes:
    """A JPEG carrying EXIF (camera, orientation, GPS), an ICC profile, XMP and a comment."""
    img = img or two_tone()
    exif = Image.Exif()
    exif[0x010F] = "KameraHP"  # Make
    exif[ORIENTATION] = orientation
    exif.get_ifd(GPS_IFD).update(GPS_BANDUNG)
    buf = io.BytesIO()
    img.save(
        buf,
        format="JPEG",
        quality=90,
        exif=exif,
        icc_profile=b"netral-test-icc-profile",
        comment=comment,
        xmp=XMP,
    )
    return buf.getvalue()


def image_bytes(img: Image.Image, fmt: str, **params: object) -> bytes:
    buf = io.BytesIO()
    img.save(buf, format=fmt, **params)
    return buf.getvalue()


def photo_jpeg(width: int = 1600, height: int = 1200, *, seed: int = 7) -> bytes:
    """A photo-like JPEG (gradients plus grain); about 300 KB at the default size."""
    rng = random.Random(seed)
    base = Image.linear_gradient("L").resize((width, height))
    noise = Image.frombytes("L", (width, height), rng.randbytes(width * height))
    grain = Image.blend(base, noise, 0.28)
    img = Image.merge("RGB", (grain, base.rotate(90).resize((width, height)), base))
    return image_bytes(img, "JPEG", quality=80)


def _png_chunk(kind: bytes, data: bytes) -> bytes:
    crc = zlib.crc32(kind + data) & 0xFFFFFFFF
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", crc)


def png_bomb(width: int = 50_000, height: int = 50_000) -> bytes:
    """A valid PNG header for a huge 8-bit greyscale image with a few hundred bytes of data.

    Decoding it would allocate width × height bytes; the IDAT holds only a few rows.
    """
    ihdr = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    rows = zlib.compress(b"\x00" * ((width + 1) * 4), 9)
    return (
        b"\x89PNG\r\n\x1a\n"
        + _png_chunk(b"IHDR", ihdr)
        + _png_chunk(b"IDAT", rows)
        + _png_chunk(b"IEND", b"")
    )


def minimal_pdf(text: str = "Bukti pelanggaran netralitas") -> bytes:
    """A one-page PDF with a correct cross-reference table."""
    stream = f"BT /F1 12 Tf 72 720 Td ({text}) Tj ET".encode()
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
        b"/Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out = bytearray(b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % off for off in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (
        len(objects) + 1,
        xref,
    )
    return bytes(out)


def iso_bmff(major: bytes, *compatible: bytes, payload: bytes = b"\x00" * 64) -> bytes:
    """An `ftyp` box (ISO/IEC 14496-12) then an `mdat` box: enough to be sniffed, not played."""
    ftyp_body = major + b"\x00\x00\x00\x00" + b"".join(compatible)
    ftyp = struct.pack(">I", 8 + len(ftyp_body)) + b"ftyp" + ftyp_body
    mdat = struct.pack(">I", 8 + len(payload)) + b"mdat" + payload
    return ftyp + mdat


def fake_mp4() -> bytes:
    """Sniffed as MP4 but not playable: no `moov` box."""
    return iso_bmff(b"mp42", b"mp42", b"isom")


def fake_heic() -> bytes:
    """Sniffed as HEIC but not decodable."""
    return iso_bmff(b"heic", b"mif1", b"heic")


# ISO 6709, as phones write it into a video's `location` tag
VIDEO_LOCATION = "-06.9147+107.6098/"


def scene(text: str = "", colour: tuple[int, int, int] = (90, 120, 160)) -> Image.Image:
    img = Image.new("RGB", (320, 240), colour)
    if text:
        from PIL import ImageDraw

        ImageDraw.Draw(img).text((16, 100), text, fill=(255, 255, 255), font_size=28)
    return img


def video_clip(
    suffix: str = ".mp4",
    scenes: list[tuple[Image.Image, float]] | None = None,
    *,
    fps: int = 5,
    location: str = VIDEO_LOCATION,
    options: dict[str, str] | None = None,
) -> bytes:
    """A real video encoded with PyAV (H.264 in MP4/MOV, VP9 in WebM), GPS in its metadata."""
    import tempfile

    from netral.core.video import write_clip

    codec = "libvpx-vp9" if suffix == ".webm" else "libx264"
    scenes = scenes or [(scene("satu"), 1.0), (scene("dua", (160, 90, 60)), 1.0)]
    with tempfile.TemporaryDirectory() as folder:
        out = Path(folder) / f"clip{suffix}"
        write_clip(
            out,
            scenes,
            fps=fps,
            codec=codec,
            metadata={"location": location, "comment": "KameraHP"},
            options=options,
        )
        return out.read_bytes()


def heic_with_gps(img: Image.Image | None = None, *, orientation: int = 6) -> bytes:
    """A real HEIC (pillow-heif, HEVC) carrying EXIF with GPS and an orientation."""
    import pillow_heif

    img = img or two_tone()
    exif = Image.Exif()
    exif[0x010F] = "KameraHP"
    exif[ORIENTATION] = orientation
    exif.get_ifd(GPS_IFD).update(GPS_BANDUNG)
    buf = io.BytesIO()
    pillow_heif.from_pillow(img).save(buf, quality=80, exif=exif.tobytes())
    return buf.getvalue()


class CountingStream(io.RawIOBase):
    """A file-like upload of `total` bytes produced on demand; counts what was read."""

    def __init__(self, total: int, fill: bytes = b"\xff\xd8\xff" + b"\x00" * 61) -> None:
        self.total = total
        self.served = 0
        self._pattern = fill

    def readable(self) -> bool:
        return True

    def read(self, size: int = -1) -> bytes:
        left = self.total - self.served
        n = left if size is None or size < 0 else min(size, left)
        if n <= 0:
            return b""
        reps, rest = divmod(n, len(self._pattern))
        data = self._pattern * reps + self._pattern[:rest]
        self.served += n
        return data

    def readinto(self, buffer: memoryview) -> int:  # type: ignore[override]
        data = self.read(len(buffer))
        buffer[: len(data)] = data
        return len(data)


def prepare_pending(db: Any, data_dir: Path) -> int:
    """Run the intake job's first half (clean copies, phash, duplicates) for every report still
    pending screening, as a worker does before it screens; returns the copies made."""
    from netral.core.storage import LocalEvidenceStore
    from netral.reports.service import prepare_evidence
    from netral.screening.jobs import pending_reports

    store = LocalEvidenceStore(data_dir / "evidence")
    made = 0
    for report_id in pending_reports(db):  # oldest first, as the queue runs them
        made += prepare_evidence(db_session=db, store=store, report_id=report_id, duplicates=True)
    db.commit()
    db.expire_all()
    return made
