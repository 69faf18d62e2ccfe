"""Evidence blobs: content-addressed by SHA-256, streamed to disk, screened before they are kept.

Layout under the root (the app passes ``settings.data_dir / "evidence"``)::

    objects/ab/cd/abcd…   one file per distinct content, named by its SHA-256, read-only
    tmp/                  uploads in flight; anything old here is debris from a crash

The original upload is kept byte-identical (chain of custody: its hash is what the report
records), sealed at rest under a key of its own (`core.sealing`): the folder alone reveals no
photo, no GPS, no author. For photos a second object, the *derivative*, is what pages show:
re-encoded from the pixels alone, orientation applied, with every byte of EXIF/GPS/XMP/ICC/comments
left behind; derivatives hold nothing to seal and are kept plain, so pages serve them directly.

Only the local disk is implemented; `EvidenceStore` is the seam for an S3-compatible store.
"""

from __future__ import annotations

import codecs
import errno
import hashlib
import logging
import os
import re
import struct
import tempfile
import threading
import unicodedata
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import IO, BinaryIO, Final, Protocol

import imagehash
from PIL import Image, ImageOps, JpegImagePlugin, PngImagePlugin, WebPImagePlugin
from PIL import ImageFile as PilImageFile
from PIL.ImageFile import ImageFile
from sqlalchemy.orm import Session

from netral.core import sealing
from netral.core.crypto import Keyring, keyring
from netral.core.db import referenced_blobs
from netral.core.errors import NetralError, NotFound, Problem, ValidationFailed, problem

log = logging.getLogger(__name__)
_STRICT_DECODE = threading.Lock()  # see LocalEvidenceStore._image
_PDFIUM = threading.Lock()

MAX_FILE_BYTES: Final = 10 * 1024 * 1024
# Phone videos: 50 MB is about a minute of 1080p; the request limit (105 MB) still holds two.
MAX_VIDEO_BYTES: Final = 50 * 1024 * 1024
MAX_VIDEO_SECONDS: Final = 10 * 60
MAX_VIDEO_PIXELS: Final = 4096 * 2304  # 4K, either way up
# A photo is decoded whole before it is re-encoded: 40 MP is ~120 MB as RGB, and building the
# derivative holds two copies at most. Phone photos are 12-50 MP, but a 50 MP JPEG rarely fits
# the 10 MB limit anyway; screenshots are 2-4 MP. Pillow's own guard (89 MP warns, 179 MP
# refuses) is global state and too lax for a server decoding many uploads at once.
MAX_PIXELS: Final = 40_000_000
CHUNK: Final = 1024 * 1024
# Enough to tell every accepted type apart and to see markup at the start of a text file.
HEAD_BYTES: Final = 4096
PDF_TAIL_BYTES: Final = 1024
# A PDF's clean copy: its first pages, the longer side of each at most this many pixels.
MAX_PDF_PAGES: Final = 30
PDF_PAGE_SIDE: Final = 1600
DERIVATIVE_JPEG_QUALITY: Final = 88

JPEG: Final = "image/jpeg"
PNG: Final = "image/png"
WEBP: Final = "image/webp"
HEIC: Final = "image/heic"
HEIF: Final = "image/heif"
PDF: Final = "application/pdf"
MP4: Final = "video/mp4"
MOV: Final = "video/quicktime"
WEBM: Final = "video/webm"
TEXT: Final = "text/plain"
# slides are kept only where a caller asks (briefing handouts), never as report evidence
PPTX: Final = "application/vnd.openxmlformats-officedocument.presentationml.presentation"

ACCEPTED: Final = frozenset({JPEG, PNG, WEBP, HEIC, HEIF, PDF, MP4, MOV, WEBM, TEXT})
VIDEOS: Final = frozenset({MP4, MOV, WEBM})
KINDS: Final = {
    JPEG: "image",
    PNG: "image",
    WEBP: "image",
    HEIC: "image",
    HEIF: "image",
    PDF: "pdf",
    MP4: "video",
    MOV: "video",
    WEBM: "video",
    TEXT: "text",
    PPTX: "slides",
}
# For <input type=file accept=…>: browsers do not all know the HEIC types, hence the extensions.
ACCEPT_ATTRIBUTE: Final = ",".join([*sorted(ACCEPTED), ".heic", ".heif", ".mov", ".webm"])

_SHA256 = re.compile(r"[0-9a-f]{64}")
# ISO-BMFF major brands (ISO/IEC 23008-12 for HEIF; ISO/IEC 14496-12/-14 for MP4).
_HEIC_BRANDS = frozenset({b"heic", b"heix", b"hevc", b"hevx", b"heim", b"heis", b"hevm", b"hevs"})
_HEIF_BRANDS = frozenset({b"mif1", b"msf1"})
_MP4_BRANDS = frozenset(
    {b"isom", b"iso2", b"iso3", b"iso4", b"iso5", b"iso6", b"iso7", b"iso8", b"iso9"}
    | {b"mp41", b"mp42", b"mp71", b"avc1", b"M4V ", b"M4VH", b"M4VP", b"dash", b"MSNV", b"f4v "}
)
# Markup in a "text" file: a browser that guesses would run it (HTML, SVG carry scripts).
_MARKUP = re.compile(
    r"<(?:!doctype\s+html|html|head|body|script|iframe|svg|\?xml|!--|[a-z][a-z0-9-]*(?:\s[^>]*)?/?>)",
    re.IGNORECASE,
)
_ACTIVE_ANYWHERE = re.compile(r"<(?:script|html|svg|iframe)[\s>/]", re.IGNORECASE)

_ACCEPTED_ID = (
    "Yang diterima: foto (JPEG, PNG, WebP, HEIC), PDF, video (MP4, MOV, WebM), dan teks biasa."
)
_ACCEPTED_EN = (
    "Accepted: photos (JPEG, PNG, WebP, HEIC), PDF, video (MP4, MOV, WebM) and plain text."
)


class EvidenceRejected(ValidationFailed):
    """An upload refused as evidence; codes ``evidence.{empty,too_large,too_long,type,corrupt,bomb}``."""


class StorageFull(NetralError):
    """The evidence disk is full (or over quota): nothing of the upload is kept, and the sender
    is asked to try later; staff see it in the log."""

    status = 507


def _storage_full() -> StorageFull:
    return StorageFull(
        problem(
            "evidence.storage_full",
            "Ruang penyimpanan bukti penuh, jadi laporan Anda belum tersimpan. Coba lagi nanti, "
            "atau sampaikan langsung ke kantor Bawaslu.",
            "The evidence storage is full, so your report was not saved. Try again later, or "
            "bring it to the Bawaslu office.",
            field="evidence",
        )
    )


@dataclass(frozen=True)
class StoredBlob:
    sha256: str  # of the original bytes, as uploaded
    size: int
    media_type: str  # from the magic bytes, never the name or the browser's claim
    kind: str  # image | pdf | video | text
    # The metadata-free copy pages show: for a photo its pixels re-encoded (HEIC as JPEG), for a
    # video a fresh JPEG of its first frame. None for PDF and text.
    derivative_sha256: str | None = None
    derivative_media_type: str | None = None
    width: int | None = None  # of the derivative, i.e. after orientation
    height: int | None = None
    duration_s: float | None = None  # videos only
    phash: str | None = None  # imagehash.phash hex, for "possible duplicate"
    derivative_pending: bool = False  # a photo whose shown copy `derive` has yet to make

    @property
    def previewable(self) -> bool:
        return self.derivative_sha256 is not None

    @property
    def object_hashes(self) -> tuple[str, ...]:
        """Every object this blob keeps alive: what `sweep_orphans` must be told is known."""
        if self.derivative_sha256 is None:
            return (self.sha256,)
        return (self.sha256, self.derivative_sha256)


class EvidenceStore(Protocol):
    """What reports and screening rely on; a local disk today, S3-compatible later."""

    def put(
        self,
        source: BinaryIO,
        *,
        filename: str = "",
        declared_type: str | None = None,
        max_bytes: int = MAX_FILE_BYTES,
        index: int | None = None,
    ) -> StoredBlob: ...

    def open(self, sha256: str) -> BinaryIO: ...

    def exists(self, sha256: str) -> bool: ...

    def sweep_orphans(
        self,
        known: Iterable[str],
        *,
        older_than: timedelta = ...,
        now: datetime | None = None,
    ) -> list[str]: ...


@dataclass(frozen=True)
class _Sniffed:
    media_type: str | None  # None: refused, and the labels say what it is
    label_id: str = ""
    label_en: str = ""
    markup: bool = False


class _Upload:
    """Who an error is about: the name the reporter gave and the position in the form."""

    def __init__(self, filename: str, declared_type: str | None, index: int | None) -> None:
        self.filename = _clean_name(filename)
        # the browser's claim is only ever echoed in a message, never trusted
        self.declared_type = _printable(declared_type or "")[:80]
        self.index = index
        self.allow_slides = False

    def refuse(self, code: str, message_id: str, message_en: str) -> EvidenceRejected:
        extra: dict[str, object] = {}
        if self.filename:
            extra["filename"] = self.filename
        if self.index is not None:
            extra["index"] = self.index
        return EvidenceRejected(problem(code, message_id, message_en, "evidence", **extra))

    @property
    def named_id(self) -> str:
        if self.filename:
            return f"Berkas bernama {self.filename}"
        if self.declared_type:
            return f"Berkas yang dikirim sebagai {self.declared_type}"
        return "Berkas ini"

    @property
    def named_en(self) -> str:
        if self.filename:
            return f"The file named {self.filename}"
        if self.declared_type:
            return f"The file sent as {self.declared_type}"
        return "This file"

    @property
    def the_id(self) -> str:
        return f"berkas {self.filename}" if self.filename else "berkas ini"

    @property
    def the_en(self) -> str:
        return f"file {self.filename}" if self.filename else "this file"

    def wrong_type(self, sniffed: _Sniffed) -> EvidenceRejected:
        hint_id = hint_en = ""
        if sniffed.markup:
            hint_id = " Untuk halaman web, kirim tangkapan layar atau tautannya."
            hint_en = " For a web page, send a screenshot or its link instead."
        return self.refuse(
            "evidence.type",
            f"{self.named_id} ternyata {sniffed.label_id}. {_ACCEPTED_ID}{hint_id}",
            f"{self.named_en} is actually {sniffed.label_en}. {_ACCEPTED_EN}{hint_en}",
        )

    def corrupt(self, kind: str) -> EvidenceRejected:
        if kind == "image":
            return self.refuse(
                "evidence.corrupt",
                f"Foto rusak atau terpotong ({self.the_id}); coba kirim ulang.",
                f"The photo is damaged or truncated ({self.the_en}); try sending it again.",
            )
        if kind == "video":
            return self.refuse(
                "evidence.corrupt",
                f"Video rusak, terpotong, atau tidak dapat diputar ({self.the_id}); "
                "coba kirim ulang atau simpan ulang sebagai MP4.",
                f"The video is damaged, truncated or cannot be played ({self.the_en}); "
                "try sending it again or saving it as MP4.",
            )
        if kind == "pdf_pages":
            return self.refuse(
                "evidence.corrupt",
                f"PDF rusak dan halamannya tidak dapat dibuka ({self.the_id}); coba kirim ulang, "
                "atau kirim foto/tangkapan layar halamannya.",
                f"The PDF is damaged and its pages cannot be opened ({self.the_en}); try sending "
                "it again, or send photos/screenshots of its pages.",
            )
        return self.refuse(
            "evidence.corrupt",
            f"PDF rusak atau terpotong ({self.the_id}): penanda akhir %%EOF tidak ada.",
            f"The PDF is damaged or truncated ({self.the_en}): its %%EOF end marker is missing.",
        )

    def bomb(self, size: tuple[int, int] | None) -> EvidenceRejected:
        limit = f"{MAX_PIXELS // 1_000_000}"
        if size is None:
            dims_id = dims_en = ""
        else:
            dims_id = f" ({size[0]} × {size[1]} piksel)"
            dims_en = f" ({size[0]} × {size[1]} pixels)"
        return self.refuse(
            "evidence.bomb",
            f"Foto terlalu besar{dims_id}: batasnya {limit} juta piksel ({self.the_id}).",
            f"The photo is too large{dims_en}: the limit is {limit} million pixels "
            f"({self.the_en}).",
        )


@dataclass(frozen=True)
class Incoming:
    """One upload on its way into the store: its bytes and what the sender called it."""

    source: BinaryIO
    filename: str = ""
    declared_type: str | None = None
    index: int | None = None  # its place in the form, for messages ("the 3rd file")
    allow_slides: bool = False  # accept a PowerPoint (.pptx) file as well
    # a PDF gets a metadata-free copy (its pages as pictures); off for letters the app wrote
    pdf_copy: bool = True


class LocalEvidenceStore:
    """Evidence on the local disk; every object written with fsync and an atomic rename."""

    def __init__(self, root: Path, keys: Keyring | None = None) -> None:
        """`keys` seal the originals; by default the keyring the settings name."""
        self.root = Path(root)
        self._keys = keys
        self.objects = self.root / "objects"
        self.tmp = self.root / "tmp"
        self.objects.mkdir(parents=True, exist_ok=True)
        self.tmp.mkdir(parents=True, exist_ok=True)

    # -- reading -----------------------------------------------------------------------------

    def path(self, sha256: str) -> Path:
        if not _SHA256.fullmatch(sha256):
            raise ValueError(f"not a SHA-256 hex digest: {sha256!r}")
        return self.objects / sha256[:2] / sha256[2:4] / sha256

    def exists(self, sha256: str) -> bool:
        return _SHA256.fullmatch(sha256) is not None and self.path(sha256).is_file()

    def open(self, sha256: str) -> BinaryIO:
        """The plain bytes, unsealed as they are read (seekable); callers decide who may see
        an original."""
        if not self.exists(sha256):
            raise NotFound(
                problem(
                    "evidence.not_found",
                    "Berkas bukti tidak ditemukan.",
                    "Evidence file not found.",
                    "evidence",
                )
            )
        path = self.path(sha256)
        if sealing.is_sealed(path):
            return sealing.open_sealed(path, sha256=sha256, keyring=self.keyring)
        return path.open("rb")

    def is_sealed(self, sha256: str) -> bool:
        return self.exists(sha256) and sealing.is_sealed(self.path(sha256))

    def size(self, sha256: str) -> int:
        """The plain size (a sealed file is larger on disk)."""
        with self.open(sha256) as fh:
            return fh.seek(0, os.SEEK_END)

    def read(self, sha256: str) -> bytes:
        with self.open(sha256) as fh:
            return fh.read()

    def verify(self, sha256: str) -> bool:
        """Whether the object opens and its plain bytes still hash to its name."""
        digest = hashlib.sha256()
        try:
            with self.open(sha256) as fh:
                while chunk := fh.read(CHUNK):
                    digest.update(chunk)
        except (sealing.SealBroken, OSError, NotFound):
            return False
        return digest.hexdigest() == sha256

    @property
    def keyring(self) -> Keyring:
        if self._keys is None:
            self._keys = keyring()
        return self._keys

    # -- writing -----------------------------------------------------------------------------

    def put(
        self,
        source: BinaryIO,
        *,
        filename: str = "",
        declared_type: str | None = None,
        max_bytes: int = MAX_FILE_BYTES,
        index: int | None = None,
        allow_slides: bool = False,
        pdf_copy: bool = True,
    ) -> StoredBlob:
        """Stream, identify, screen and keep one upload; refusals leave nothing on disk."""
        one = Incoming(source, filename, declared_type, index, allow_slides, pdf_copy)
        return self.put_all([one], max_bytes=max_bytes)[0]

    def put_all(
        self,
        sources: Sequence[Incoming],
        *,
        max_bytes: int = MAX_FILE_BYTES,
        defer_derivative: bool = False,
    ) -> list[StoredBlob]:
        """Keep every upload or none: all are checked before the first is moved into place, so a
        refused third photo leaves the first two (GPS and all) nowhere on disk.

        With `defer_derivative` a photo is only checked (header, size, a full decode at reduced
        scale): its shown copy and hash are left to `derive`, called by a background job, and
        the blob comes back with `derivative_pending` set."""
        temps: list[Path] = []
        try:
            checked = []
            refused: list[Problem] = []
            # every upload is checked, so the sender learns of each refused file at once
            for src in sources:
                try:
                    checked.append(self._check(src, max_bytes, temps, defer_derivative))
                except EvidenceRejected as exc:
                    refused += exc.problems
            if refused:
                raise EvidenceRejected(*refused)
            # Only now is every upload known to be kept: make each durable, then move it in place.
            for original, blob, derivative in checked:
                self._place(self._seal(original, blob.sha256, temps), blob.sha256)
                if derivative is not None:
                    self._place(derivative.path, derivative.sha256)
            return [blob for _, blob, _ in checked]
        except OSError as exc:
            raise self._disk_error(exc) from None
        finally:
            for temp in temps:
                temp.unlink(missing_ok=True)

    def _disk_error(self, exc: OSError) -> Exception:
        """A full disk (or quota) as a refusal in words; any other I/O error as it was."""
        if exc.errno in (errno.ENOSPC, errno.EDQUOT):
            log.error("evidence store full at %s", self.root)
            return _storage_full()
        return exc

    def check_all(
        self, sources: Sequence[Incoming], *, max_bytes: int = MAX_FILE_BYTES
    ) -> list[Problem]:
        """Every refusal among these uploads, keeping none of them (a form refused for another
        reason still names each bad file)."""
        temps: list[Path] = []
        refused: list[Problem] = []
        try:
            for src in sources:
                try:
                    self._check(src, max_bytes, temps, True)
                except EvidenceRejected as exc:
                    refused += exc.problems
        except OSError as exc:
            raise self._disk_error(exc) from None
        finally:
            for temp in temps:
                temp.unlink(missing_ok=True)
        return refused

    def derive(self, sha256: str, media_type: str) -> StoredBlob:
        """Make and keep the metadata-free copy of a kept photo (what `put_all` deferred).

        The original is decoded as `open` unseals it, never copied out in the clear; the
        result carries the derivative's fields only (its own hash, type, size in pixels, phash).
        """
        temps: list[Path] = []
        try:
            with self.open(sha256) as original:
                derivative = self._derive(original, media_type, _Upload("", None, None), temps)
            self._place(derivative.path, derivative.sha256)
        except OSError as exc:
            raise self._disk_error(exc) from None
        finally:
            for temp in temps:
                temp.unlink(missing_ok=True)
        return StoredBlob(
            sha256=sha256,
            size=0,
            media_type=media_type,
            kind="image",
            derivative_sha256=derivative.sha256,
            derivative_media_type=derivative.media_type,
            width=derivative.width,
            height=derivative.height,
            phash=derivative.phash,
        )

    def _check(
        self, src: Incoming, max_bytes: int, temps: list[Path], defer_derivative: bool = False
    ) -> tuple[Path, StoredBlob, _Derivative | None]:
        """Receive one upload into a temp file and check it; raises EvidenceRejected."""
        upload = _Upload(src.filename, src.declared_type, src.index)
        upload.allow_slides = src.allow_slides
        original, sha, size, media_type = self._receive(src.source, upload, max_bytes, temps)
        kind = KINDS[media_type]
        photo = media_type in (JPEG, PNG, WEBP, HEIC, HEIF)
        # what staff see: a photo's EXIF-free copy, a video's poster frame, or a PDF's pages as
        # pictures (without the author, the software, the dates, attachments or scripts)
        derivative: _Derivative | None = None
        duration: float | None = None
        if media_type == PDF:
            _check_pdf(original, size, upload)
            if src.pdf_copy:
                derivative = self._pdf_copy(original, upload, temps)
        elif media_type == TEXT:
            _check_text(original, upload)
        elif media_type == PPTX:
            _check_pptx(original, size, upload)
        elif defer_derivative and photo:
            _verify_image(original, media_type, upload)
            blob = StoredBlob(
                sha256=sha, size=size, media_type=media_type, kind=kind, derivative_pending=True
            )
            return original, blob, None
        elif media_type in VIDEOS:
            derivative, duration = self._video_poster(original, upload, temps)
        elif photo:
            with original.open("rb") as fh:
                derivative = self._derive(fh, media_type, upload, temps)
        if derivative is None:
            return (
                original,
                StoredBlob(sha256=sha, size=size, media_type=media_type, kind=kind),
                None,
            )
        blob = StoredBlob(
            sha256=sha,
            size=size,
            media_type=media_type,
            kind=kind,
            derivative_sha256=derivative.sha256,
            derivative_media_type=derivative.media_type,
            width=derivative.width,
            height=derivative.height,
            phash=derivative.phash,
            duration_s=duration,
        )
        return original, blob, derivative

    def sweep_orphans(
        self,
        known: Iterable[str],
        *,
        older_than: timedelta = timedelta(hours=1),
        now: datetime | None = None,
    ) -> list[str]:
        """Delete objects no row refers to, and stale temp files; return what went.

        `known` is every original and derivative hash the database references. The grace
        period spares objects of uploads whose transaction has not committed yet. Removed
        objects are listed by hash, temp files as ``tmp/<name>``.
        """
        keep = set(known)
        cutoff = (now or datetime.now(UTC)).timestamp() - older_than.total_seconds()
        removed: list[str] = []
        for obj in self._iter_objects():
            if obj.name in keep:
                continue
            try:
                # stat just before unlinking: a put that re-uses an old object touches it
                if obj.stat().st_mtime < cutoff:
                    obj.unlink()
                    removed.append(obj.name)
            except FileNotFoundError:
                continue
        for temp in self.tmp.iterdir():
            try:
                if temp.is_file() and temp.stat().st_mtime < cutoff:
                    temp.unlink()
                    removed.append(f"tmp/{temp.name}")
            except FileNotFoundError:
                continue
        if removed:
            log.info("evidence sweep removed %d orphan(s)", len(removed))
        return removed

    # -- internals ---------------------------------------------------------------------------

    def _new_temp(self, temps: list[Path], suffix: str) -> tuple[int, Path]:
        fd, name = tempfile.mkstemp(dir=self.tmp, prefix="up-", suffix=suffix)
        path = Path(name)
        temps.append(path)
        return fd, path

    def _receive(
        self, source: BinaryIO, upload: _Upload, max_bytes: int, temps: list[Path]
    ) -> tuple[Path, str, int, str]:
        """Copy the upload to a temp file in chunks, hashing as it goes; never whole in memory."""
        fd, path = self._new_temp(temps, ".part")
        digest = hashlib.sha256()
        size = 0
        head = b""
        sniffed: _Sniffed | None = None
        with os.fdopen(fd, "wb") as out:
            while True:
                # ask for at most one byte past the limit: that byte proves the file too large
                chunk = source.read(min(CHUNK, max_bytes + 1 - size))
                if not chunk:
                    break
                size += len(chunk)
                if size > max_bytes:
                    limit = f"{max_bytes / (1024 * 1024):g}"
                    raise upload.refuse(
                        "evidence.too_large",
                        f"Ukuran {upload.the_id} melebihi batas {limit} MB per berkas.",
                        f"The {upload.the_en} is larger than the {limit} MB limit per file.",
                    )
                digest.update(chunk)
                out.write(chunk)
                if sniffed is None and len(head) < HEAD_BYTES:
                    head += chunk[: HEAD_BYTES - len(head)]
                    if len(head) >= HEAD_BYTES:
                        # refuse an executable or archive before reading the rest of it
                        sniffed = _accept_or_refuse(head, upload)
                        # a video gets the video limit, unless the caller set a limit of its own
                        if sniffed.media_type in VIDEOS and max_bytes == MAX_FILE_BYTES:
                            max_bytes = MAX_VIDEO_BYTES
        if size == 0:
            raise upload.refuse(
                "evidence.empty",
                f"{upload.named_id} kosong.",
                f"{upload.named_en} is empty.",
            )
        if sniffed is None:
            sniffed = _accept_or_refuse(head, upload)
        assert sniffed.media_type is not None
        return path, digest.hexdigest(), size, sniffed.media_type

    def _derive(
        self, original: BinaryIO, media_type: str, upload: _Upload, temps: list[Path]
    ) -> _Derivative:
        fd, path = self._new_temp(temps, ".derived")
        with os.fdopen(fd, "wb") as out:
            fmt, width, height, phash = _reencode(original, media_type, upload, out)
            out.flush()
            os.fsync(out.fileno())
        return _Derivative(
            path=path,
            sha256=_hash_file(path),
            media_type=Image.MIME[fmt],
            width=width,
            height=height,
            phash=phash,
        )

    def _pdf_copy(self, original: Path, upload: _Upload, temps: list[Path]) -> _Derivative:
        """The first MAX_PDF_PAGES pages rendered and written as a new PDF of pictures."""
        import pypdfium2 as pdfium

        pictures: list[Image.Image] = []
        # PDFium is not thread-safe: one rendering at a time in this process
        with _PDFIUM:
            try:
                doc = pdfium.PdfDocument(str(original))
            except pdfium.PdfiumError as exc:
                if "password" in str(exc).lower():
                    raise upload.refuse(
                        "evidence.pdf_locked",
                        f"PDF terkunci kata sandi ({upload.the_id}): kirim salinan tanpa kata "
                        "sandi, atau foto/tangkapan layar halamannya.",
                        f"The PDF is password-protected ({upload.the_en}): send a copy without "
                        "a password, or photos/screenshots of its pages.",
                    ) from None
                raise upload.corrupt("pdf_pages") from None
            try:
                count = len(doc)
                if count == 0:
                    raise upload.corrupt("pdf_pages")
                for index in range(min(count, MAX_PDF_PAGES)):
                    page = doc[index]
                    try:
                        width, height = page.get_size()
                        scale = min(2.0, PDF_PAGE_SIDE / max(width, height, 1.0))
                        pictures.append(page.render(scale=scale).to_pil().convert("RGB"))
                    finally:
                        page.close()
            except pdfium.PdfiumError:
                raise upload.corrupt("pdf_pages") from None
            finally:
                doc.close()
        fd, path = self._new_temp(temps, ".pages.pdf")
        with os.fdopen(fd, "wb") as out:
            first, rest = pictures[0], pictures[1:]
            first.save(
                out,
                format="PDF",
                save_all=True,
                append_images=rest,
                resolution=96.0,
                quality=DERIVATIVE_JPEG_QUALITY,
            )
            out.flush()
            os.fsync(out.fileno())
        return _Derivative(
            path=path,
            sha256=_hash_file(path),
            media_type=PDF,
            width=first.width,
            height=first.height,
            phash=None,
        )

    def _video_poster(
        self, original: Path, upload: _Upload, temps: list[Path]
    ) -> tuple[_Derivative, float]:
        """Check that the video plays within the limits; its first frame as a fresh JPEG."""
        from netral.core.video import VideoError, probe

        try:
            info, poster = probe(original)
        except VideoError as exc:
            log.info("evidence video refused: %s", exc)
            raise upload.corrupt("video") from None
        if info.width * info.height > MAX_VIDEO_PIXELS:
            raise upload.refuse(
                "evidence.bomb",
                f"Resolusi video terlalu besar ({info.width} × {info.height}): batasnya 4K "
                f"({upload.the_id}).",
                f"The video's resolution is too large ({info.width} × {info.height}): the "
                f"limit is 4K ({upload.the_en}).",
            )
        if info.duration_s > MAX_VIDEO_SECONDS:
            minutes = MAX_VIDEO_SECONDS // 60
            raise upload.refuse(
                "evidence.too_long",
                f"Video terlalu panjang ({info.duration_s / 60:.1f} menit): batasnya {minutes} "
                f"menit ({upload.the_id}). Potong bagian yang penting saja.",
                f"The video is too long ({info.duration_s / 60:.1f} minutes): the limit is "
                f"{minutes} minutes ({upload.the_en}). Trim it to the part that matters.",
            )
        fd, path = self._new_temp(temps, ".poster")
        with os.fdopen(fd, "wb") as out:
            poster.save(out, format="JPEG", quality=DERIVATIVE_JPEG_QUALITY)
            out.flush()
            os.fsync(out.fileno())
        derivative = _Derivative(
            path=path,
            sha256=_hash_file(path),
            media_type=JPEG,
            width=poster.width,
            height=poster.height,
            phash=_phash(poster),
        )
        return derivative, info.duration_s

    def seal_in_place(self, sha256: str) -> bool:
        """Seal an original kept plain (by a version before sealing); False if it already was.
        The plain bytes must still hash to the name: an altered file is left as it is."""
        path = self.path(sha256)
        if sealing.is_sealed(path):
            return False
        if _hash_file(path) != sha256:
            raise ValueError(f"object {sha256[:12]} does not match its hash; left unsealed")
        temps: list[Path] = []
        try:
            sealed = self._seal(path, sha256, temps)
            os.chmod(sealed, 0o440)
            os.replace(sealed, path)
            _fsync_dir(path.parent)
        finally:
            for temp in temps:
                temp.unlink(missing_ok=True)
        return True

    def _seal(self, original: Path, sha256: str, temps: list[Path]) -> Path:
        """The original sealed into a new temp file, made durable; the plain one is removed
        with the other temps."""
        fd, path = self._new_temp(temps, ".sealed")
        with os.fdopen(fd, "wb") as out:
            sealing.seal_file(original, out, sha256=sha256, keyring=self.keyring)
            out.flush()
            os.fsync(out.fileno())
        return path

    def _place(self, temp: Path, sha256: str) -> None:
        dest = self.path(sha256)
        if dest.exists():
            # Same content already kept. Touch it: it may be an orphan near the sweep's grace
            # limit that this upload is about to reference again.
            os.utime(dest)
            temp.unlink()
            return
        for folder in (dest.parent.parent, dest.parent):
            if not folder.is_dir():
                folder.mkdir(exist_ok=True)
                _fsync_dir(folder.parent)
        os.chmod(temp, 0o440)  # evidence is never edited in place
        os.replace(temp, dest)
        _fsync_dir(dest.parent)

    def _iter_objects(self) -> Iterator[Path]:
        for first in self.objects.iterdir():
            if not first.is_dir():
                continue
            for second in first.iterdir():
                if second.is_dir():
                    yield from (p for p in second.iterdir() if p.is_file())


@dataclass(frozen=True)
class _Derivative:
    path: Path
    sha256: str
    media_type: str
    width: int
    height: int
    phash: str | None


# -- identification ----------------------------------------------------------------------------


def _accept_or_refuse(head: bytes, upload: _Upload) -> _Sniffed:
    if upload.allow_slides and head.startswith(b"PK\x03\x04"):
        return _Sniffed(PPTX)  # a ZIP: _check_pptx opens it once it is whole
    sniffed = _sniff(head)
    if sniffed.media_type is None:
        raise upload.wrong_type(sniffed)
    return sniffed


def _sniff(head: bytes) -> _Sniffed:
    """What the first bytes say the file is; `media_type` None means it is refused."""
    if head.startswith(b"\xff\xd8\xff"):
        return _Sniffed(JPEG)
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return _Sniffed(PNG)
    if head[:4] == b"RIFF" and head[8:12] == b"WEBP":
        return _Sniffed(WEBP)
    if head[4:8] == b"ftyp":
        return _sniff_iso_bmff(head)
    if head.startswith(b"%PDF-"):
        return _Sniffed(PDF)
    if head.startswith(b"\x1a\x45\xdf\xa3"):  # EBML: WebM, or Matroska at large
        if b"\x42\x82\x84webm" in head[:64]:  # the DocType element says "webm"
            return _Sniffed(WEBM)
        return _Sniffed(None, "video Matroska (MKV)", "a Matroska video (MKV)")
    for magic, label_id, label_en in _REFUSED_MAGIC:
        if head.startswith(magic):
            return _Sniffed(None, label_id, label_en)
    return _sniff_text(head)


_REFUSED_MAGIC: Final = (
    (b"MZ", "program Windows (EXE)", "a Windows program (EXE)"),
    (b"\x7fELF", "program Linux (ELF)", "a Linux program (ELF)"),
    (b"PK\x03\x04", "arsip ZIP", "a ZIP archive"),
    (b"PK\x05\x06", "arsip ZIP", "a ZIP archive"),
    (b"Rar!", "arsip RAR", "a RAR archive"),
    (b"7z\xbc\xaf\x27\x1c", "arsip 7z", "a 7z archive"),
    (b"\x1f\x8b", "arsip gzip", "a gzip archive"),
    (b"GIF8", "gambar GIF", "a GIF image"),
    (b"#!", "skrip program", "a program script"),
)


def _sniff_iso_bmff(head: bytes) -> _Sniffed:
    box_size = struct.unpack(">I", head[:4])[0]
    brand = head[8:12]
    compatible = {
        head[i : i + 4] for i in range(16, min(box_size, len(head)) - 3, 4) if box_size >= 16
    }
    if brand in _HEIC_BRANDS:
        return _Sniffed(HEIC)
    if brand in _HEIF_BRANDS:
        if compatible & _HEIC_BRANDS:
            return _Sniffed(HEIC)
        if compatible & {b"avif", b"avis"}:
            return _Sniffed(None, "gambar AVIF", "an AVIF image")
        return _Sniffed(HEIF)
    if brand in {b"avif", b"avis"}:
        return _Sniffed(None, "gambar AVIF", "an AVIF image")
    if brand in _MP4_BRANDS and box_size >= 16:
        return _Sniffed(MP4)
    if brand == b"qt  ":
        return _Sniffed(MOV)
    shown = brand.decode("latin-1").strip() or "?"
    return _Sniffed(None, f"media ISO dengan merek '{shown}'", f"ISO media of brand '{shown}'")


def _sniff_text(head: bytes) -> _Sniffed:
    unknown = _Sniffed(None, "berkas biner yang tidak dikenal", "an unrecognised binary file")
    if b"\x00" in head:
        return unknown
    try:
        # final=False: the head may end in the middle of a multi-byte character
        text = codecs.getincrementaldecoder("utf-8")().decode(head, final=False)
    except UnicodeDecodeError:
        return unknown
    start = text.lstrip("\ufeff \t\r\n\f\v")
    if _MARKUP.match(start) or _ACTIVE_ANYWHERE.search(text):
        lowered = text.lower()
        if "<svg" in lowered:
            return _Sniffed(None, "SVG", "SVG", markup=True)
        if start.lower().startswith("<?xml"):
            return _Sniffed(None, "XML", "XML", markup=True)
        return _Sniffed(None, "HTML", "HTML", markup=True)
    return _Sniffed(TEXT)


def _check_text(path: Path, upload: _Upload) -> None:
    """The head looked like text; so must the rest (UTF-8, no NUL)."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    try:
        with path.open("rb") as fh:
            while chunk := fh.read(CHUNK):
                if b"\x00" in chunk:
                    raise UnicodeError("NUL byte")
                decoder.decode(chunk)
            decoder.decode(b"", final=True)
    except UnicodeError:
        raise upload.wrong_type(
            _Sniffed(None, "bukan teks biasa (UTF-8)", "not plain (UTF-8) text")
        ) from None


def _check_pdf(path: Path, size: int, upload: _Upload) -> None:
    # A writer that finished puts %%EOF at the end (ISO 32000-1 §7.5.5); tolerate trailing junk.
    with path.open("rb") as fh:
        fh.seek(max(0, size - PDF_TAIL_BYTES))
        tail = fh.read()
    if b"%%EOF" not in tail:
        raise upload.corrupt("pdf")


def _check_pptx(path: Path, size: int, upload: _Upload) -> None:
    """A PowerPoint file: the OOXML parts present, no macros, no ZIP bomb."""
    import zipfile

    try:
        with zipfile.ZipFile(path) as zf:
            infos = zf.infolist()
    except (zipfile.BadZipFile, OSError):
        infos = []
    names = {i.filename for i in infos}
    if not {"[Content_Types].xml", "ppt/presentation.xml"} <= names:
        raise upload.refuse(
            "evidence.type",
            f"{upload.named_id} bukan presentasi PowerPoint (.pptx) yang utuh.",
            f"{upload.named_en} is not a whole PowerPoint (.pptx) presentation.",
        )
    if any(n.lower().endswith("vbaproject.bin") for n in names):
        raise upload.refuse(
            "evidence.type",
            f"{upload.named_id} berisi makro; simpan sebagai .pptx tanpa makro.",
            f"{upload.named_en} contains macros; save it as a .pptx without macros.",
        )
    if sum(i.file_size for i in infos) > 20 * max(size, MAX_FILE_BYTES):
        raise upload.refuse(
            "evidence.bomb",
            f"Isi {upload.the_id} terlalu besar setelah dibuka.",
            f"The {upload.the_en} is too large once unpacked.",
        )


# -- images ------------------------------------------------------------------------------------


def _heif_opener(fh: IO[bytes]) -> ImageFile:
    """pillow-heif's plugin class: the primary image of a HEIC/HEIF file (libheif)."""
    from pillow_heif.as_plugin import HeifImageFile

    return HeifImageFile(fh)  # type: ignore[no-untyped-call]


# The plugin classes themselves rather than Image.open: they read the header only and skip
# Pillow's global bomb check, so our stricter limit answers with the dimensions.
_OPENERS: Final[dict[str, Callable[[IO[bytes]], ImageFile]]] = {
    JPEG: JpegImagePlugin.JpegImageFile,
    PNG: PngImagePlugin.PngImageFile,
    WEBP: WebPImagePlugin.WebPImageFile,
    HEIC: _heif_opener,
    HEIF: _heif_opener,
}
_DERIVED_FORMAT: Final = {JPEG: "JPEG", PNG: "PNG", WEBP: "WEBP", HEIC: "JPEG", HEIF: "JPEG"}
_PNG_MODES: Final = frozenset({"1", "L", "LA", "RGB", "RGBA", "I;16"})


def _verify_image(original: Path, media_type: str, upload: _Upload) -> None:
    """The request's check of a photo whose copy is made later: header, pixel limit, and every
    byte decoded. A JPEG decodes at 1/8 scale (libjpeg's DCT scaling): all of its data is still
    read, so a truncated file fails, at a fraction of the full decode."""
    with original.open("rb") as fh:
        _decoded(fh, media_type, upload, reduced=True).close()


def _decoded(
    fh: IO[bytes], media_type: str, upload: _Upload, *, reduced: bool = False
) -> ImageFile:
    """The image opened and decoded whole, or the reporter's refusal (corrupt, bomb)."""
    if media_type == WEBP:
        # the WebP decoder allocates its canvas while opening: check the header first
        size = _webp_size(fh.read(64))
        if size is not None and size[0] * size[1] > MAX_PIXELS:
            raise upload.bomb(size)
        fh.seek(0)
    try:
        img = _OPENERS[media_type](fh)
    except Image.DecompressionBombError:
        raise upload.bomb(None) from None
    except Exception as exc:
        log.info("evidence image refused at open: %s", exc)
        raise upload.corrupt("image") from None
    width, height = img.size
    if width * height > MAX_PIXELS:
        raise upload.bomb((width, height))
    if reduced and media_type == JPEG:
        img.draft(None, (max(1, width // 8), max(1, height // 8)))
    try:
        # Full decode: a truncated file fails here, but only while Pillow's process-wide
        # ImageFile.LOAD_TRUNCATED_IMAGES is False, and WeasyPrint sets it True when it is
        # imported (letters). Hold it False for the decode, under a lock.
        with _STRICT_DECODE:
            previous = PilImageFile.LOAD_TRUNCATED_IMAGES
            PilImageFile.LOAD_TRUNCATED_IMAGES = False
            try:
                img.load()
            finally:
                PilImageFile.LOAD_TRUNCATED_IMAGES = previous
    except Image.DecompressionBombError:
        raise upload.bomb((width, height)) from None
    except Exception as exc:
        log.info("evidence image refused at decode: %s", exc)
        raise upload.corrupt("image") from None
    return img


def _reencode(
    original: BinaryIO, media_type: str, upload: _Upload, out: IO[bytes]
) -> tuple[str, int, int, str]:
    """Decode fully, then write the pixels alone: nothing from the original's metadata."""
    img = _decoded(original, media_type, upload)
    try:
        ImageOps.exif_transpose(img, in_place=True)
    except Exception as exc:  # an unreadable EXIF block must not cost the evidence
        log.info("evidence image orientation ignored: %s", exc)
    fmt = _DERIVED_FORMAT[media_type]
    target = _target_mode(img, fmt)
    pixels: Image.Image = img
    if img.mode != target:
        pixels = img.convert(target)
        img.close()  # release the decoded original: at most two copies at once
    # A fresh image has an empty info dict: no exif, icc_profile, xmp, comment, text chunks.
    clean = Image.new(target, pixels.size)
    clean.paste(pixels)
    pixels.close()
    phash = _phash(clean)
    if fmt == "JPEG":
        clean.save(out, format="JPEG", quality=DERIVATIVE_JPEG_QUALITY)
    elif fmt == "PNG":
        # level 3: a phone screenshot in ~25 ms; level 6 saves ~10% and triples the time
        clean.save(out, format="PNG", compress_level=3)
    else:
        clean.save(out, format="WEBP", quality=DERIVATIVE_JPEG_QUALITY)
    return fmt, clean.width, clean.height, phash


def _target_mode(img: Image.Image, fmt: str) -> str:
    if fmt == "JPEG":
        return "L" if img.mode in ("1", "L") else "RGB"
    if fmt == "PNG" and img.mode in _PNG_MODES:
        return img.mode
    return "RGBA" if img.has_transparency_data else "RGB"


def _phash(img: Image.Image) -> str:
    # Box-reduce first: the same hash up to rounding, at a fraction of the cost on 12 MP photos.
    gray = img.convert("L")
    factor = max(1, min(gray.size) // 256)
    small = gray.reduce(factor) if factor > 1 else gray
    return str(imagehash.phash(small))


def _webp_size(head: bytes) -> tuple[int, int] | None:
    """Canvas size from a WebP header (RFC 9649), or None when it cannot be read."""
    if len(head) < 30 or head[:4] != b"RIFF" or head[8:12] != b"WEBP":
        return None
    chunk = head[12:16]
    if chunk == b"VP8X":
        w = int.from_bytes(head[24:27], "little") + 1
        h = int.from_bytes(head[27:30], "little") + 1
        return w, h
    if chunk == b"VP8 ":
        w, h = struct.unpack("<HH", head[26:30])
        return w & 0x3FFF, h & 0x3FFF
    if chunk == b"VP8L":
        bits = int.from_bytes(head[21:25], "little")
        return (bits & 0x3FFF) + 1, ((bits >> 14) & 0x3FFF) + 1
    return None


# -- files -------------------------------------------------------------------------------------


def _clean_name(filename: str) -> str:
    """The base name as a reporter would recognise it, safe to echo in a message."""
    base = filename.replace("\\", "/").rsplit("/", 1)[-1]
    return _printable(base)[:120]


def _printable(text: str) -> str:
    return "".join(c for c in text if unicodedata.category(c)[0] != "C").strip()


def _hash_file(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        while chunk := fh.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def sweep(*, db_session: Session, store: LocalEvidenceStore) -> list[str]:
    """Remove the blobs no row of any table refers to (left by a crash or a refused upload).

    What is kept comes from every column declared as a blob column (`core.db.BLOB`): evidence
    originals and their shown copies, annotated images, case documents, and whatever comes next.
    """
    return store.sweep_orphans(referenced_blobs(db_session))
