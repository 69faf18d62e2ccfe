"""Text out of screenshots: Tesseract 5 (`ind+eng`) kept loaded through tesserocr.

Screenshots of posts are clean, but the text is often small (12-16 px on a 720 px wide phone
screen) and often light-on-dark. `preprocess` makes them what Tesseract reads best: grayscale,
dark mode inverted, small text scaled up so that its x-height is about 20 px; it returns the steps
applied, which the finding shows as its "why".

`OcrEngine` keeps a `tesserocr.PyTessBaseAPI` loaded (loading `ind+eng` costs ~0.3 s; pytesseract
pays a process start and that load on every call). A Tesseract API is not thread-safe: the engine
keeps one API per thread (created on first use in that thread, `threading.local`), so one engine
can be shared by a thread pool; the native recognition releases the GIL, so threads do run in
parallel. Across processes, make one engine per process.

Tesseract data: `tessdata=`, else `TESSDATA_PREFIX`, else the Debian folders
(`apt-get install tesseract-ocr tesseract-ocr-ind tesseract-ocr-eng`). The tesserocr wheel bundles
libtesseract but no language data. `OMP_THREAD_LIMIT=1` is set before the library loads
(an OpenMP build otherwise spreads one page over every core, which is 2-4x slower overall when
pages are processed in parallel).
"""

from __future__ import annotations

import os
import re
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
from numpy.typing import NDArray
from PIL import Image, ImageOps, UnidentifiedImageError

from netral.screening.findings import Finding

DEBIAN_TESSDATA = (
    Path("/usr/share/tesseract-ocr/5/tessdata"),
    Path("/usr/share/tesseract-ocr/4.00/tessdata"),
    Path("/usr/share/tessdata"),
)
DEBIAN_PACKAGES = "tesseract-ocr tesseract-ocr-ind tesseract-ocr-eng"
TARGET_LINE_PX = 28  # text-line ink height (ascender to descender) to scale small text up to
MAX_SCALE = 4.0
MAX_SIDE = 8192  # after scaling: a long scrolling screenshot stays whole, a huge photo is shrunk
MAX_PIXELS = 40_000_000
BLANK_STD = 2.0  # luminance standard deviation below which an image is one plain colour
MIN_TEXT_CONFIDENCE = 0.50  # mean word confidence below this, with few words: noise, not text
NOISE_WORDS = 5  # fewer words than this at low confidence: texture in a photo, not text
# Page segmentation, chosen per image ("auto"; see `choose_psm` and benchmarks/results/screenshots.md):
# a post's text is one uniform block (PSM 6 reads it best); a screenshot with a photo or a link
# card needs the automatic layout (PSM 3); text scattered over a photo or a video frame (a banner,
# a caption) is sparse text (PSM 11), tried when the first reading is unsure.
AUTO_PSM = "auto"
DEFAULT_PSM: int | str = AUTO_PSM
PSM_BLOCK, PSM_AUTO_LAYOUT, PSM_SPARSE = 6, 3, 11
TEXT_ONLY_BACKGROUND = 0.80  # share of pixels near the background colour in a text-only image
PICTURE_SHARE = 0.10  # share of mid-tone pixels (neither background nor ink) that means a picture
UNSURE_BELOW = 0.80  # mean word confidence under which a second segmentation is tried
CLEAR_WORD = 85  # a word read this surely is text; texture in a photo rarely reaches it
PSM_NAMES = {
    PSM_BLOCK: "satu blok teks",
    PSM_AUTO_LAYOUT: "tata letak otomatis",
    PSM_SPARSE: "teks tersebar",
}

ImageInput = Image.Image | NDArray[Any] | str | Path | bytes


class OcrSetupError(RuntimeError):
    """Tesseract or its language data is missing."""


class OcrInputError(ValueError):
    """The input is not an image that can be decoded."""


@dataclass
class OcrResult:
    text: str
    confidence: float  # mean word confidence, 0..1 (0 when no words)
    words: int
    ms: float
    preprocessing: list[str] = field(default_factory=list)
    size: tuple[int, int] = (0, 0)  # the image Tesseract read (after preprocessing)
    psm: int | None = None  # the page segmentation the text was read with


def choose_psm(gray: NDArray[np.uint8]) -> tuple[int, str]:
    """The first page segmentation to try for a prepared image (dark text on light), and why.

    A text-only image (a post, a chat) is mostly background with crisp ink: about 90% of its
    pixels sit near the background colour and antialiasing makes only a few percent mid-tones.
    Photos, avatars and link-card images lower the first and raise the second."""
    small = gray[:: max(1, gray.shape[0] // 400), :: max(1, gray.shape[1] // 400)].astype(np.int16)
    background = float(np.median(small))
    near = float((np.abs(small - background) <= 20).mean())
    mid = float(((small < background - 40) & (small > 60)).mean())
    if near >= TEXT_ONLY_BACKGROUND and mid <= PICTURE_SHARE:
        return PSM_BLOCK, "teks saja"
    return PSM_AUTO_LAYOUT, f"ada gambar: {near:.0%} latar, {mid:.0%} nada tengah"


def _clear_words(pairs: list[tuple[str, int]]) -> int:
    """Words of three or more letters or digits read with high confidence."""
    return sum(1 for w, c in pairs if c >= CLEAR_WORD and sum(ch.isalnum() for ch in w) >= 3)


def _confident_chars(pairs: list[tuple[str, int]]) -> int:
    """Characters in words Tesseract is sure of: how much real text a reading recovered."""
    return sum(len(w) for w, c in pairs if c >= 60 and any(ch.isalnum() for ch in w))


# ------------------------------------------------------------------------------- preprocessing


def load_image(image: ImageInput) -> Image.Image:
    """Any input as a PIL image (first frame of an animation, EXIF orientation applied)."""
    img: Image.Image
    try:
        if isinstance(image, np.ndarray):
            return _from_array(image)
        if isinstance(image, str | Path):
            img = Image.open(image)
        elif isinstance(image, bytes):
            import io

            img = Image.open(io.BytesIO(image))
        elif isinstance(image, Image.Image):
            img = image
        else:
            raise OcrInputError(f"not an image: {type(image).__name__}")
        if getattr(img, "n_frames", 1) > 1:
            img.seek(0)
        img.load()
        return ImageOps.exif_transpose(img) or img
    except OcrInputError:
        raise
    except (UnidentifiedImageError, OSError, ValueError, Image.DecompressionBombError) as exc:
        raise OcrInputError(f"image cannot be read: {exc}") from None


def _from_array(arr: NDArray[Any]) -> Image.Image:
    if arr.size == 0:
        raise OcrInputError("empty image array")
    if arr.ndim == 3 and arr.shape[2] == 1:
        arr = arr[:, :, 0]
    if arr.ndim not in (2, 3) or (arr.ndim == 3 and arr.shape[2] not in (3, 4)):
        raise OcrInputError(f"image array of shape {arr.shape} (expected HxW, HxWx3 or HxWx4)")
    if arr.dtype != np.uint8:
        a = arr.astype(np.float64)
        if arr.dtype == np.bool_:
            a *= 255
        elif np.issubdtype(arr.dtype, np.floating):
            a = a * 255 if np.nanmax(a) <= 1.0 else a
        elif a.max() > 255:
            a = a / float(65535 if a.max() <= 65535 else a.max()) * 255.0
        arr = np.nan_to_num(a).clip(0, 255).astype(np.uint8)
    return Image.fromarray(arr, "RGBA" if arr.ndim == 3 and arr.shape[2] == 4 else None)


def _luminance(img: Image.Image) -> NDArray[np.uint8]:
    """8-bit luminance of any mode: 16-bit and float scaled, alpha composited on white."""
    if img.mode in ("I;16", "I;16B", "I;16L", "I;16N", "I", "F"):
        a = np.asarray(img, dtype=np.float64)
        top = 65535.0 if img.mode.startswith("I;16") or a.max() > 255 else 255.0
        if img.mode in ("I", "F") and a.max() > 65535:
            top = float(a.max())
        scaled: NDArray[np.uint8] = (a / top * 255).clip(0, 255).astype(np.uint8)
        return scaled
    if img.mode in ("RGBA", "LA", "PA", "RGBa", "La") or "transparency" in img.info:
        rgba = np.asarray(img.convert("RGBA"), dtype=np.float32)
        alpha = rgba[:, :, 3:4] / 255.0
        rgb = rgba[:, :, :3]
        # transparent pixels become the colour opposite to the drawn ones, so text stays visible
        drawn = rgb[alpha[:, :, 0] > 0.5]
        back = 0.0 if drawn.size and drawn.mean() > 160 else 255.0
        rgb = rgb * alpha + back * (1 - alpha)
        mixed = rgb @ np.array([0.299, 0.587, 0.114], dtype=np.float32)
        composited: NDArray[np.uint8] = mixed.clip(0, 255).astype(np.uint8)
        return composited
    gray: NDArray[np.uint8] = np.asarray(img.convert("L"), dtype=np.uint8)
    return gray


def _line_height(ink: NDArray[np.bool_]) -> float | None:
    """Median height of the runs of rows holding ink (text lines), or None when there is none."""
    rows = ink.mean(axis=1) > 0.002
    if not rows.any():
        return None
    edges = np.flatnonzero(np.diff(np.concatenate(([0], rows.astype(np.int8), [0]))))
    heights = edges[1::2] - edges[0::2]
    heights = heights[heights >= 3]
    if heights.size == 0:
        return None
    return float(np.median(heights))


def otsu_threshold(gray: NDArray[np.uint8]) -> int:
    hist = np.bincount(gray.ravel(), minlength=256).astype(np.float64)
    total = hist.sum()
    omega = np.cumsum(hist) / total
    mu = np.cumsum(hist * np.arange(256)) / total
    with np.errstate(divide="ignore", invalid="ignore"):
        between = (mu[-1] * omega - mu) ** 2 / (omega * (1 - omega))
    return int(np.nanargmax(between))


def preprocess(
    image: ImageInput,
    *,
    target_line_px: float = TARGET_LINE_PX,
    binarise: bool = False,
) -> tuple[Image.Image, list[str]]:
    """The screenshot as Tesseract reads it best (8-bit, dark text on light) and the steps taken.

    - grayscale (16-bit and float scaled, CMYK converted, transparency composited);
    - dark mode (the background, i.e. the median luminance, is dark) inverted;
    - small text scaled up: the height of the text lines (runs of rows with ink) is measured and
      the image scaled so that a line is ~`target_line_px` (x-height ~20 px), at most 4x;
    - very large images shrunk to `MAX_SIDE` / `MAX_PIXELS`;
    - optionally binarised (Otsu); Tesseract thresholds internally, which measured as good.
    """
    img = load_image(image)
    steps: list[str] = []
    if img.mode not in ("L", "RGB"):
        steps.append(f"mode {img.mode} → 8-bit")
    gray = _luminance(img)
    steps.append("grayscale")
    h, w = gray.shape
    background = (
        float(np.median(gray)) if gray.size <= 4_000_000 else float(np.median(gray[::4, ::4]))
    )
    if background < 128:
        gray = (255 - gray).astype(np.uint8)
        background = 255 - background
        steps.append(f"dark mode inverted (background luminance {255 - background:.0f})")
    ink = gray < background - 40
    line = _line_height(ink) if min(h, w) >= 8 else None
    scale = 1.0
    if line is not None and line < target_line_px:
        scale = min(MAX_SCALE, target_line_px / line)
        scale = max(1.0, round(scale * 2) / 2)  # steps of 0.5: 1.5x, 2x, 2.5x ...
    side_cap = MAX_SIDE / max(h, w)
    pixel_cap = (MAX_PIXELS / (h * w)) ** 0.5
    scale = min(scale, side_cap, pixel_cap)
    out = Image.fromarray(gray, "L")
    if abs(scale - 1.0) > 1e-6:
        size = (max(1, int(w * scale)), max(1, int(h * scale)))
        out = out.resize(size, Image.Resampling.BICUBIC if scale > 1 else Image.Resampling.LANCZOS)
        why = f"text lines ~{line:.0f} px" if scale > 1 and line is not None else "capped size"
        steps.append(f"{'upscaled' if scale > 1 else 'downscaled'} {scale:g}x ({why})")
    if binarise:
        arr = np.asarray(out)
        t = otsu_threshold(arr)
        out = Image.fromarray(np.where(arr > t, 255, 0).astype(np.uint8), "L")
        steps.append(f"binarised (Otsu, threshold {t})")
    return out, steps


# ------------------------------------------------------------------------------------- engine


def find_tessdata(languages: str, tessdata: Path | None = None) -> Path:
    """The folder holding `<lang>.traineddata` for every language asked for."""
    langs = [x.lstrip("~") for x in languages.split("+") if x]
    candidates: list[Path] = []
    if tessdata is not None:
        candidates.append(Path(tessdata))
    elif env := os.environ.get("TESSDATA_PREFIX"):
        candidates += [Path(env), Path(env) / "tessdata"]
    else:
        candidates += list(DEBIAN_TESSDATA)
    for folder in candidates:
        if all((folder / f"{lang}.traineddata").is_file() for lang in langs):
            return folder
    where = ", ".join(str(c) for c in candidates)
    raise OcrSetupError(
        f"Tesseract language data for {languages!r} not found in {where}. Install the Debian "
        f"packages ({DEBIAN_PACKAGES}) or point TESSDATA_PREFIX at a folder holding "
        + ", ".join(f"{lang}.traineddata" for lang in langs)
    )


def _clean(text: str) -> str:
    lines = [re.sub(r"[ \t]+", " ", ln).strip() for ln in text.splitlines()]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


class OcrEngine:
    """Tesseract kept loaded: `read(image) -> OcrResult`, `finding(result) -> Finding`.

    Thread-safe by construction: each thread gets its own `PyTessBaseAPI` (created on first use,
    ~0.3 s and ~30-60 MB with `ind+eng`); the first is created here so that set-up errors surface
    at once. `inits` counts the APIs created.
    """

    def __init__(
        self,
        *,
        languages: str = "ind+eng",
        tessdata: Path | None = None,
        psm: int | str = DEFAULT_PSM,
        target_line_px: float = TARGET_LINE_PX,
        binarise: bool = False,
    ) -> None:
        os.environ.setdefault("OMP_THREAD_LIMIT", "1")  # before libtesseract (OpenMP) loads
        try:
            import tesserocr
        except ImportError as exc:  # pragma: no cover - a dependency of the project
            raise OcrSetupError(f"tesserocr is not installed: {exc}") from None
        self._tesserocr: Any = tesserocr
        self.languages = languages
        self.tessdata = find_tessdata(languages, tessdata)
        self.psm = psm
        self.auto = psm == AUTO_PSM
        self.target_line_px = target_line_px
        self.binarise = binarise
        self.version = f"tesseract {tesserocr.tesseract_version().split()[1]} {languages} psm{psm}"
        self.inits = 0
        self._local = threading.local()
        self._lock = threading.Lock()
        self._apis: list[Any] = []
        self._api()

    def _api(self) -> Any:
        api = getattr(self._local, "api", None)
        if api is None:
            try:
                api = self._tesserocr.PyTessBaseAPI(
                    path=str(self.tessdata) + os.sep,
                    lang=self.languages,
                    psm=PSM_BLOCK if self.auto else int(self.psm),
                    oem=self._tesserocr.OEM.LSTM_ONLY,
                )
            except RuntimeError as exc:
                raise OcrSetupError(
                    f"Tesseract failed to load {self.languages!r} from {self.tessdata}: {exc}"
                ) from None
            api.SetVariable("user_defined_dpi", "300")  # screenshots carry no DPI: no warning
            self._local.api = api
            with self._lock:
                self.inits += 1
                self._apis.append(api)
        return api

    def close(self) -> None:
        with self._lock:
            for api in self._apis:
                api.End()
            self._apis.clear()
        self._local = threading.local()

    def __enter__(self) -> OcrEngine:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def read(self, image: ImageInput) -> OcrResult:
        """The text in an image; raises `OcrInputError` only when the input cannot be decoded."""
        t0 = time.perf_counter()
        prepared, steps = preprocess(
            image, target_line_px=self.target_line_px, binarise=self.binarise
        )
        gray = np.asarray(prepared)
        if min(gray.shape) < 8 or float(gray.std()) < BLANK_STD:
            steps.append("blank (one plain colour): not read")
            return OcrResult("", 0.0, 0, (time.perf_counter() - t0) * 1000, steps, prepared.size)
        if min(gray.shape) < 32:  # Tesseract needs some margin around tiny crops
            prepared = ImageOps.expand(prepared, border=16, fill=255)
        api = self._api()
        if self.auto:
            psm, why = choose_psm(np.asarray(prepared))
            text, confs, pairs = self._recognise(api, prepared, psm)
            confidence = float(np.mean(confs)) / 100 if confs else 0.0
            few = len(text.split()) < NOISE_WORDS
            # A second reading only where the first is in doubt: a text-only image read with
            # low confidence is tried as sparse text; a picture whose automatic layout found
            # little is tried as one block (a caption band is often taken for part of the photo).
            second = None
            if psm == PSM_BLOCK and text and confidence < UNSURE_BELOW:
                second = PSM_SPARSE
            elif psm == PSM_AUTO_LAYOUT and (few or confidence < UNSURE_BELOW):
                second = PSM_BLOCK
            if second is not None:
                other = self._recognise(api, prepared, second)
                if _clear_words(other[2]) >= 2 and _confident_chars(other[2]) > _confident_chars(
                    pairs
                ):
                    why = f"bacaan PSM {psm} ragu: {len(text.split())} kata, {confidence:.0%}"
                    text, confs, pairs = other
                    psm = second
            steps.append(f"segmentasi PSM {psm}: {PSM_NAMES[psm]} ({why})")
        else:
            psm = int(self.psm)
            text, confs, _ = self._recognise(api, prepared, psm)
        words = len(text.split())
        confidence = float(np.mean(confs)) / 100 if confs and words else 0.0
        if words and words < NOISE_WORDS and confidence < MIN_TEXT_CONFIDENCE:
            steps.append(f"{words} word(s) at confidence {confidence:.0%} dropped as noise")
            words = 0
        if not words:
            text, confidence = "", 0.0
        ms = (time.perf_counter() - t0) * 1000
        return OcrResult(text, round(confidence, 4), words, ms, steps, prepared.size, psm)

    def _recognise(
        self, api: Any, image: Image.Image, psm: int
    ) -> tuple[str, list[int], list[tuple[str, int]]]:
        api.SetPageSegMode(psm)
        api.SetImage(image)
        text = _clean(api.GetUTF8Text() or "")
        pairs = [(w, int(c)) for w, c in api.MapWordConfidences() if c >= 0 and w.strip()]
        api.Clear()
        return text, [c for _, c in pairs], pairs

    def finding(self, result: OcrResult) -> Finding:
        """kind "ocr": `text_found` (score = confidence) or `no_text`."""
        has_text = result.words > 0
        why = list(result.preprocessing)
        if has_text:
            why.append(f"{result.words} kata terbaca, keyakinan rata-rata {result.confidence:.0%}")
        else:
            why.append("tidak ada teks terbaca")
        return Finding(
            kind="ocr",
            label="text_found" if has_text else "no_text",
            score=result.confidence if has_text else 0.0,
            why=why,
            data={
                "text": result.text,
                "ocr_confidence": result.confidence,
                "words": result.words,
                "preprocessing": list(result.preprocessing),
                "size": list(result.size),
            },
            model=self.version,
            ms=round(result.ms, 1),
        )
