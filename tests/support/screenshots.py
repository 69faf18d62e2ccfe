"""Fake social-media screenshots rendered from post texts, for the OCR tests and benchmarks.

`render_post(text, theme=..., width=..., font_px=...)` draws what a phone screenshot of a post
looks like (avatar, display name, handle, the wrapped post text, timestamp, reply/repost/like
counters) with the Debian fonts (fonts-dejavu-core, fonts-noto-core when present) and returns the
image with the ground truth: the post body exactly as drawn (lines joined by spaces).

`cer(reference, hypothesis)` is the character error rate after whitespace normalisation;
`body_cer(body, ocr_text)` first finds the body inside the OCR text of the whole screenshot
(the header and footer lines are not the post), by a semi-global alignment.
"""

from __future__ import annotations

import csv
import os
import random
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Literal

import numpy as np
from PIL import Image, ImageDraw, ImageFont
from rapidfuzz.distance import Levenshtein

Theme = Literal["light", "dark"]

DEJAVU = Path("/usr/share/fonts/truetype/dejavu")
NOTO = Path("/usr/share/fonts/truetype/noto")
FONT_FAMILIES = {
    "dejavu": (DEJAVU / "DejaVuSans.ttf", DEJAVU / "DejaVuSans-Bold.ttf"),
    "noto": (NOTO / "NotoSans-Regular.ttf", NOTO / "NotoSans-Bold.ttf"),
}
THEMES = {
    # background, body text, secondary text (handle, time, counters), rule line
    "light": ((255, 255, 255), (15, 20, 25), (83, 100, 113), (239, 243, 244)),
    "dark": ((0, 0, 0), (231, 233, 234), (113, 118, 123), (47, 51, 54)),
    "dim": ((21, 32, 43), (247, 249, 249), (139, 152, 165), (56, 68, 77)),
}
NAMES = ["Dewi Lestari", "Budi Santoso", "Siti Rahmawati", "Agus Pratama", "Rina Wulandari"]
TESTDATA = Path(
    os.environ.get("NETRAL_TESTDATA", Path(__file__).resolve().parents[3] / "shared" / "data")
)
BUILTIN_POSTS = [
    "Ayo datang ke TPS tanggal 14 Februari, gunakan hak pilih anda dengan bijak.",
    "Bawaslu mengingatkan seluruh ASN agar menjaga netralitas selama masa kampanye pemilu.",
    "Salam dua jari! Coblos nomor 2, pilih pemimpin yang peduli rakyat kecil #Coblos2",
    "Rapat koordinasi persiapan logistik pemilu di kantor kecamatan berjalan lancar hari ini.",
    "makanan enak, tempat nyaman, pelayanan ramah. cocok untuk makan siang bersama keluarga.",
    "Jangan golput! Satu suara menentukan masa depan daerah kita lima tahun ke depan.",
]


@dataclass(frozen=True)
class Screenshot:
    image: Image.Image
    body: str  # the post text exactly as drawn, lines joined by single spaces
    theme: str
    width: int
    font_px: int


def available_families() -> list[str]:
    return [name for name, (regular, _) in FONT_FAMILIES.items() if regular.is_file()]


@lru_cache(maxsize=64)
def _font(family: str, bold: bool, px: int) -> ImageFont.FreeTypeFont:
    regular, heavy = FONT_FAMILIES[family]
    return ImageFont.truetype(str(heavy if bold else regular), px)


def drawable(text: str) -> str:
    """The part of a post the fonts can draw: emoji and other symbols without a glyph dropped."""
    out = []
    for ch in unicodedata.normalize("NFC", text):
        if ch.isspace():
            out.append(" ")
        elif (ord(ch) < 0x250 or 0x2010 <= ord(ch) <= 0x2027) and unicodedata.category(ch)[
            0
        ] in "LNPS":  # Latin and common punctuation: what the fonts draw
            out.append(ch)
    return re.sub(r"\s+", " ", "".join(out)).strip()


def _wrap(text: str, font: ImageFont.FreeTypeFont, max_w: float) -> list[str]:
    lines: list[str] = []
    line = ""
    for word in text.split(" "):
        candidate = f"{line} {word}" if line else word
        if font.getlength(candidate) <= max_w:
            line = candidate
            continue
        if line:
            lines.append(line)
        line = ""
        while font.getlength(word) > max_w:  # a word wider than the column: break it
            cut = len(word)
            while cut > 1 and font.getlength(word[:cut]) > max_w:
                cut -= 1
            lines.append(word[:cut])
            word = word[cut:]
        line = word
    if line:
        lines.append(line)
    return lines


def render_post(
    text: str,
    *,
    theme: Theme | str = "light",
    width: int = 720,
    font_px: int = 16,
    handle: str = "@USER",
    name: str | None = None,
    family: str = "dejavu",
    seed: int = 0,
) -> Screenshot:
    """Draw a screenshot of one post; `font_px` is the body text size in image pixels."""
    rng = random.Random(seed)
    bg, fg, dim, rule = THEMES[theme]
    body_font = _font(family, False, font_px)
    name_font = _font(family, True, font_px)
    small_font = _font(family, False, max(10, round(font_px * 0.87)))
    pad = max(12, round(font_px * 1.0))
    avatar = round(font_px * 2.6)
    left = pad + avatar + round(font_px * 0.75)
    line_h = round(font_px * 1.35)

    body = drawable(text) or "."
    lines = _wrap(body, body_font, width - left - pad)
    top_bar = round(font_px * 3)  # status bar / app bar strip above the post
    header_h = line_h + 4
    height = top_bar + pad + header_h + line_h * len(lines) + pad + line_h * 2 + pad * 2
    img = Image.new("RGB", (width, height), bg)
    draw = ImageDraw.Draw(img)

    # app bar: a back arrow and the title, then a rule
    draw.text((pad, top_bar // 2), "←  Postingan", font=name_font, fill=fg, anchor="lm")
    draw.line((0, top_bar, width, top_bar), fill=rule, width=1)

    y = top_bar + pad
    colour = tuple(rng.randrange(60, 200) for _ in range(3))
    draw.ellipse((pad, y, pad + avatar, y + avatar), fill=colour)
    who = name or rng.choice(NAMES)
    draw.text((left, y), who, font=name_font, fill=fg)
    after = left + name_font.getlength(who) + font_px * 0.4
    minutes = rng.randrange(1, 59)
    draw.text((after, y), f"{handle} · {minutes}m", font=body_font, fill=dim)
    y += header_h
    for line in lines:
        draw.text((left, y), line, font=body_font, fill=fg)
        y += line_h
    y += pad // 2
    hour, minute = rng.randrange(0, 24), rng.randrange(0, 60)
    day = rng.randrange(1, 29)
    draw.text((left, y), f"{hour:02d}.{minute:02d} · {day} Feb 2024", font=small_font, fill=dim)
    y += line_h + pad // 2
    draw.line((left, y - pad // 4, width - pad, y - pad // 4), fill=rule, width=1)
    # counters: reply (speech bubble), repost (two arrows drawn as a square), like (circle)
    slot = (width - left - pad) / 4
    for i, count in enumerate(rng.randrange(0, 5000) for _ in range(3)):
        x = left + slot * i
        s = round(font_px * 0.9)
        cy = y + pad // 2
        if i == 0:
            draw.rounded_rectangle((x, cy, x + s, cy + s * 0.8), radius=3, outline=dim, width=2)
        elif i == 1:
            draw.rectangle((x, cy, x + s, cy + s * 0.8), outline=dim, width=2)
        else:
            draw.ellipse((x, cy, x + s, cy + s), outline=dim, width=2)
        label = f"{count / 1000:.1f}rb" if count >= 1000 else str(count)
        draw.text((x + s + font_px * 0.4, cy), label, font=small_font, fill=dim)
    return Screenshot(img, " ".join(lines), str(theme), width, font_px)


# -- error rates -------------------------------------------------------------------------------

_QUOTES = str.maketrans({"“": '"', "”": '"', "„": '"', "‘": "'", "’": "'", "—": "-", "–": "-"})


def normalise(text: str) -> str:
    """Whitespace collapsed, typographic quotes and dashes made plain."""
    return re.sub(r"\s+", " ", unicodedata.normalize("NFKC", text.translate(_QUOTES))).strip()


def cer(reference: str, hypothesis: str) -> float:
    """Character error rate: edit distance / reference length, after normalisation."""
    ref, hyp = normalise(reference), normalise(hypothesis)
    if not ref:
        return 0.0 if not hyp else 1.0
    return Levenshtein.distance(ref, hyp) / len(ref)


def locate(reference: str, hypothesis: str) -> str:
    """The substring of `hypothesis` that best matches `reference` (semi-global edit distance).

    Skipping characters at either end of the hypothesis is free, so the screenshot's header
    (name, handle) and footer (time, counters) around the post body cost nothing.
    """
    ref, hyp = normalise(reference), normalise(hypothesis)
    if not ref or not hyp:
        return hyp
    h = np.frombuffer(hyp.encode("utf-32-le"), dtype=np.uint32)
    m = len(h)
    cols = np.arange(m + 1)
    prev = np.zeros(m + 1, dtype=np.int64)  # free start anywhere in the hypothesis
    start = np.arange(m + 1)  # where the alignment that ends in this cell started
    for i, ch in enumerate(ref, 1):
        sub = prev[:-1] + (h != ord(ch))
        dele = prev[1:] + 1
        best = np.minimum(sub, dele)
        from_sub = sub <= dele
        cur = np.empty(m + 1, dtype=np.int64)
        cur[0] = i
        cur[1:] = best
        cur_start = np.empty(m + 1, dtype=np.int64)
        cur_start[0] = 0
        cur_start[1:] = np.where(from_sub, start[:-1], start[1:])
        # insertions along the row: cur[j] = min_k (cur[k] + j - k)
        shifted = cur - cols
        run = np.minimum.accumulate(shifted)
        arg = np.maximum.accumulate(np.where(shifted == run, cols, 0))
        cur_start = cur_start[arg]
        cur = run + cols
        prev, start = cur, cur_start
    end = int(np.argmin(prev))
    return hyp[int(start[end]) : end]


def body_cer(body: str, ocr_text: str) -> float:
    """CER of the post body against the best-matching part of the whole screenshot's OCR."""
    return cer(body, locate(body, ocr_text))


# -- real posts --------------------------------------------------------------------------------


def real_posts(n: int, *, seed: int = 0, min_chars: int = 20) -> list[str]:
    """`n` posts drawn from the shared labelled CSV (NETRAL_TESTDATA), or [] when it is absent."""
    path = TESTDATA / "posts" / "posts_train.csv"
    if not path.is_file():
        return []
    with path.open(encoding="utf-8", newline="") as fh:
        texts = [row["text"] for row in csv.DictReader(fh)]
    texts = [t for t in texts if len(drawable(t)) >= min_chars]
    random.Random(seed).shuffle(texts)
    return texts[:n]
