"""One entry point for screening: `screen(evidence, elections)` for the CLI and bulk scans, and
`screen_report` for the background job. Every model is loaded once per process (`Screeners`).

What runs on what:
- a photo: hand gestures (finger-number poses), then OCR; if the photo holds text (a screenshot,
  a banner), that text goes through the partisan-text classifier and the hoax index;
- a text (the report's description, a post): the text classifier and the hoax index;
- the report as a whole: which ASN it may be about (NIPs, handles, names, offices).
- a video: about one frame a second (at most 60) through the gestures and OCR, findings with
  their time codes and a thumbnail of the frame (`screening.video`);
- a HEIC photo: its JPEG preview, like any photo.
PDF is stored, not screened (a finding says so).
"""

from __future__ import annotations

import io
import logging
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, BinaryIO

from PIL import Image, ImageOps, UnidentifiedImageError
from sqlalchemy import ColumnElement, select, update
from sqlalchemy.orm import Session

from netral.core.db import utcnow
from netral.core.storage import LocalEvidenceStore
from netral.election.schemas import ElectionIn
from netral.election.service import elections_for_report
from netral.reports.service import EvidenceRef, ReportForScreening, screening_input
from netral.rules.schema import Rulebook
from netral.screening.findings import Finding
from netral.screening.models import ScreeningFinding, ScreeningTask

if TYPE_CHECKING:  # the screeners pull in mediapipe, tesseract and scikit-learn: load on first use
    from netral.screening.gestures import GestureScreener
    from netral.screening.hoax import HoaxIndex
    from netral.screening.ocr import OcrEngine
    from netral.screening.text import TextScreener

log = logging.getLogger("netral.screening")
MIN_OCR_WORDS = 3  # fewer words than this is noise, not a screenshot's text
MAX_SIDE = 4096
MAX_TEXT = 5_000  # text.MAX_CHARS: the model reads no more of a post


@dataclass
class ScreenResult:
    findings: list[Finding] = field(default_factory=list)
    annotated: Image.Image | None = None
    text: str = ""
    # a frame per finding (index into `findings`): a video's findings each show their moment
    thumbnails: dict[int, Image.Image] = field(default_factory=dict)


class Screeners:
    """The models, loaded on first use and kept for the life of the process."""

    def __init__(self, *, rulebook: Rulebook, models_dir: Path, hoax_file: Path | None = None):
        self.rulebook = rulebook
        self.models_dir = models_dir
        self.hoax_file = hoax_file
        self._text: dict[tuple[str, ...], TextScreener] = {}

    @cached_property
    def gestures(self) -> GestureScreener:
        from netral.screening.gestures import GestureScreener

        return GestureScreener(rulebook=self.rulebook)

    @cached_property
    def ocr(self) -> OcrEngine:
        from netral.screening.ocr import OcrEngine

        return OcrEngine()

    @cached_property
    def hoax(self) -> HoaxIndex | None:
        if self.hoax_file is None or not self.hoax_file.exists():
            return None
        from netral.screening.hoax import HoaxIndex

        return HoaxIndex.from_csv(self.hoax_file)

    def text(self, elections: Sequence[ElectionIn]) -> TextScreener:
        key = tuple(e.code for e in elections)
        if key not in self._text:
            from netral.screening.text import TextScreener

            self._text[key] = self._load_text(TextScreener, elections)
        return self._text[key]

    def _load_text(
        self, screener: type[TextScreener], elections: Sequence[ElectionIn]
    ) -> TextScreener:
        """The operator's own model (`netral models train`) if there is one, else the shipped."""
        own = self.models_dir / "text.joblib"
        if own.exists():
            try:
                return screener(own, elections=elections)
            except (ValueError, OSError, EOFError, KeyError) as exc:
                # an older or damaged file must not stop screening: say so, use the shipped one
                log.warning("text model %s not used (%s); using the shipped model", own, exc)
        return screener.shipped(elections=elections)


def open_image(source: Path | bytes | Image.Image) -> Image.Image:
    """Any image a phone or a screenshot tool makes, as RGB; raises ValueError when unreadable."""
    import pillow_heif

    pillow_heif.register_heif_opener()  # HEIC photos from phones; idempotent
    try:
        img = (
            source
            if isinstance(source, Image.Image)
            else Image.open(io.BytesIO(source) if isinstance(source, bytes) else source)
        )
        img.seek(0)  # animated: the first frame
        img = ImageOps.exif_transpose(img) or img
        if img.mode in ("I;16", "I;16B", "I;16L", "I"):
            img = img.point(lambda v: v / 256).convert("L")
        img = img.convert("RGB")
        if max(img.size) > MAX_SIDE:
            img.thumbnail((MAX_SIDE, MAX_SIDE))
        return img
    except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError) as exc:
        raise ValueError(f"gambar tidak dapat dibaca: {exc}") from None


def screen_text(
    text: str, elections: Sequence[ElectionIn], *, screeners: Screeners
) -> list[Finding]:
    findings = [screeners.text(elections).finding(text)]
    if screeners.hoax is not None:
        findings.append(screeners.hoax.finding(text))
    return findings


def screen_image(
    source: Path | bytes | Image.Image, elections: Sequence[ElectionIn], *, screeners: Screeners
) -> ScreenResult:
    out = ScreenResult()
    try:
        img = open_image(source)
    except ValueError as exc:
        out.findings.append(Finding("gesture", "unreadable", 0.0, [str(exc)], {}, "pillow"))
        return out
    from netral.screening.gestures import annotate

    gesture = screeners.gestures.analyze(img)
    out.findings.append(screeners.gestures.finding(gesture, elections))
    if gesture.hands:
        out.annotated = annotate(img, gesture)
    ocr = screeners.ocr.read(img)
    out.findings.append(screeners.ocr.finding(ocr))
    if ocr.words >= MIN_OCR_WORDS:
        out.text = ocr.text
        for f in screen_text(ocr.text, elections, screeners=screeners):
            f.why.insert(0, "teks dibaca dari gambar (OCR)")
            out.findings.append(f)
    return out


def screen_video(
    path: Path | BinaryIO, elections: Sequence[ElectionIn], *, screeners: Screeners
) -> ScreenResult:
    """A video's frames screened for poses and text; findings carry their time codes."""
    from netral.screening.video import screen_video as _screen_video

    found = _screen_video(path, elections, screeners=screeners)
    return ScreenResult(findings=found.findings, text=found.text, thumbnails=found.thumbnails)


def screen(
    evidence: Path | bytes | Image.Image | str,
    elections: Sequence[ElectionIn],
    *,
    screeners: Screeners,
    kind: str | None = None,
) -> ScreenResult:
    """Screen one piece of evidence: an image (path, bytes, PIL image) or a text."""
    if kind == "text" or (isinstance(evidence, str) and kind is None):
        return ScreenResult(findings=screen_text(str(evidence), elections, screeners=screeners))
    if kind in (None, "image"):
        return screen_image(evidence, elections, screeners=screeners)  # type: ignore[arg-type]
    if kind == "video" and isinstance(evidence, Path):
        return screen_video(evidence, elections, screeners=screeners)
    return ScreenResult(
        findings=[
            Finding(
                "media", "not_screened", 0.0, [f"berkas {kind} disimpan, belum disaring otomatis"]
            )
        ]
    )


# ---------------------------------------------------------------- the background job


def _store_findings(
    db_session: Session,
    report: ReportForScreening,
    evidence: EvidenceRef | None,
    result: ScreenResult,
    store: LocalEvidenceStore,
    rulebook: Rulebook,
) -> None:
    annotated_sha = None
    if result.annotated is not None:
        buf = io.BytesIO()
        result.annotated.save(buf, "JPEG", quality=85)
        buf.seek(0)
        annotated_sha = store.put(buf, filename="annotated.jpg").derivative_sha256
    for i, f in enumerate(result.findings):
        data = dict(f.data)
        shown = annotated_sha if f.kind == "gesture" else None
        if annotated_sha and f.kind == "gesture":
            data["annotated_sha256"] = annotated_sha
        if i in result.thumbnails:  # a fresh JPEG of the frame: no container metadata
            buf = io.BytesIO()
            result.thumbnails[i].save(buf, "JPEG", quality=82)
            buf.seek(0)
            shown = store.put(buf, filename="frame.jpg").derivative_sha256
            data["thumbnail_sha256"] = shown
        if f.kind == "ocr" and result.text:
            data.setdefault("text", result.text)
        if f.kind == "text" and result.text:
            # the post as the model read it: a staff decision on the finding labels this text
            data.setdefault("text", result.text[:MAX_TEXT])
        db_session.add(
            ScreeningFinding(
                annotated_sha256=shown,
                report_id=report.id,
                evidence_id=evidence.id if evidence else None,
                kind=f.kind,
                label=f.label,
                score=float(f.score),
                why=list(f.why),
                data=data,
                model=f.model,
                rulebook_version=rulebook.version,
                ms=float(f.ms),
            )
        )


def _supersede(db_session: Session, *where: ColumnElement[bool]) -> None:
    db_session.execute(
        update(ScreeningFinding)
        .where(*where, ScreeningFinding.superseded_at.is_(None))
        .values(superseded_at=utcnow())
        .execution_options(synchronize_session=False)
    )


def screen_report(
    *,
    db_session: Session,
    report_id: int,
    store: LocalEvidenceStore,
    screeners: Screeners,
    evidence_ids: Sequence[int] | None = None,
    force: bool = False,
) -> int:
    """Screen a report's pending work (or the evidence given); returns the findings written.

    Findings of a re-run supersede the earlier ones for the same evidence, so re-screening after
    a model or rulebook update leaves one current set; the earlier ones stay (marked superseded)
    with the staff decisions made on them.
    """
    from netral.screening.identify import identify_finding

    report = screening_input(db_session=db_session, report_id=report_id)
    if report is None:
        return 0
    tasks = list(
        db_session.scalars(
            select(ScreeningTask).where(
                ScreeningTask.report_id == report_id, ScreeningTask.status == "pending"
            )
        )
    )
    if force:
        whole, targets = True, list(report.evidence)
    elif evidence_ids is None:
        whole = any(t.evidence_id is None for t in tasks) or not tasks
        ids = {t.evidence_id for t in tasks if t.evidence_id is not None}
        targets = list(report.evidence) if whole else [e for e in report.evidence if e.id in ids]
    else:
        whole = False
        targets = [e for e in report.evidence if e.id in set(evidence_ids)]
    elections = elections_for_report(db_session=db_session, election_id=report.election_id)
    texts = [report.description, report.reported_name, report.reported_position]
    written = 0
    for ev in targets:
        started = time.perf_counter()
        if ev.kind in ("image", "video"):
            try:
                if ev.kind == "video":
                    # the sealed original, unsealed as the decoder reads it
                    with store.open(ev.sha256) as fh:
                        result = screen_video(fh, elections, screeners=screeners)
                else:
                    # a HEIC original is read through its JPEG preview (the same pixels)
                    sha = ev.sha256
                    if ev.media_type in ("image/heic", "image/heif") and ev.derivative_sha256:
                        sha = ev.derivative_sha256
                    result = screen_image(store.read(sha), elections, screeners=screeners)
            except Exception as exc:  # one bad file must not stop the others
                log.exception("screening evidence %s failed", ev.id)
                result = ScreenResult(
                    findings=[
                        Finding(
                            "gesture" if ev.kind == "image" else "video",
                            "error",
                            0.0,
                            [f"penyaringan gagal: {type(exc).__name__}"],
                        )
                    ]
                )
        elif ev.kind == "text":
            with store.open(ev.sha256) as fh:
                body = fh.read(200_000).decode("utf-8", "replace")
            result = ScreenResult(
                findings=screen_text(body, elections, screeners=screeners), text=body
            )
        else:
            result = screen(b"", elections, screeners=screeners, kind=ev.kind)
        texts.append(result.text)
        _supersede(db_session, ScreeningFinding.evidence_id == ev.id)
        _store_findings(db_session, report, ev, result, store, screeners.rulebook)
        written += len(result.findings)
        log.info("screened evidence %s in %.0f ms", ev.id, (time.perf_counter() - started) * 1000)
    if whole:
        _supersede(
            db_session,
            ScreeningFinding.report_id == report.id,
            ScreeningFinding.evidence_id.is_(None),
        )
        report_level = ScreenResult(
            findings=[
                *screen_text(report.description, elections, screeners=screeners),
                identify_finding(
                    db_session=db_session,
                    region_code=report.region_code,
                    texts=[t for t in texts if t],
                    names=[report.reported_name, report.reported_position],
                ),
            ],
        )
        for f in report_level.findings:
            if f.kind in ("text", "hoax"):
                f.why.insert(0, "uraian laporan")
        _store_findings(db_session, report, None, report_level, store, screeners.rulebook)
        written += len(report_level.findings)
    now = utcnow()
    for t in tasks:
        t.status, t.finished_at, t.attempts = "done", now, t.attempts + 1
    db_session.flush()  # the caller's unit of work commits findings and tasks together
    return written
