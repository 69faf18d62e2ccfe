"""OCR of screenshots: character error rate and screenshots/s, tesserocr against pytesseract.

Run: .venv/bin/python benchmarks/screening/screenshots.py [--posts 200] [--workers 2]
         [--speed-images 240] [--compare-images 400] [--baseline-images 120] [--markdown FILE]

Screenshots are rendered by tests/support/screenshots.py from real posts of
$NETRAL_TESTDATA/posts/posts_train.csv (default ../shared/data): every post in a light and a dark
theme at body sizes 12, 16, 24 and 32 px; the phone width alternates between 720 and 1080 px
(and 390 px for every fifth post). CER is measured on the post body (the header with name and
handle, and the footer with time and counters, are located away by a semi-global alignment),
after whitespace normalisation and NFKC (… = ..., typographic quotes plain).

Measured:
- CER of the chosen engine (`ind+eng`, PSM 3) on all images (mean, p95, by theme, by size),
  run over `--workers` threads (one Tesseract API per thread): that run gives the 2-way rate;
- screenshots/s single-thread and with 2 threads, and with 2 processes, on `--speed-images`;
  wall-clock and the CPU ms per screenshot (thread CPU time: the machine may be shared);
- the alternatives on `--compare-images`: `ind` alone, `eng` alone, PSM 4 and 6;
- the pytesseract baseline (a `tesseract` process per call, OMP_THREAD_LIMIT=1, same
  preprocessed images, same language and PSM) on `--baseline-images`, 1 and 2 threads.
With `--segmentation N`, only the page-segmentation study (issue 11): N real posts drawn in three
layouts (the plain post; the post with a real photo attached below it, from the shared gestures
set; the post's first words as a caption band over a real photo, as in a video frame or a meme),
read with PSM 3 (the former default), PSM 6, and the per-image choice (`psm="auto"`); CER, CPU ms
per image and the PSM the per-image choice took, with the load average.
Goals (issue 4): CER <= 1% (rendered real posts, light and dark, 12-32 px); >= 10 screenshots/s
on the 2 cores (pytesseract measured ~5/s).
"""

from __future__ import annotations

import argparse
import os
import platform
import statistics
import sys
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from pathlib import Path

os.environ.setdefault("OMP_THREAD_LIMIT", "1")
ROOT = Path(__file__).resolve().parents[2]
sys.path[:0] = [str(ROOT / "src"), str(ROOT / "tests")]

from PIL import Image  # noqa: E402

from netral.screening.ocr import OcrEngine, preprocess  # noqa: E402

from support.screenshots import Screenshot, body_cer, real_posts, render_post  # noqa: E402

SIZES = (12, 16, 24, 32)


def render_all(n_posts: int, seed: int) -> list[Screenshot]:
    posts = real_posts(n_posts, seed=seed)
    if len(posts) < n_posts:
        sys.exit(f"need {n_posts} posts from NETRAL_TESTDATA, found {len(posts)}")
    shots = []
    for i, text in enumerate(posts):
        width = 390 if i % 5 == 4 else (720 if i % 2 == 0 else 1080)
        for theme in ("light", "dark"):
            for px in SIZES:
                shots.append(render_post(text, theme=theme, width=width, font_px=px, seed=seed + i))
    return shots


def p95(values: Sequence[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def run_engine(
    engine: OcrEngine, images: Sequence[Image.Image], workers: int
) -> tuple[list[str], float, float]:
    """Texts, wall seconds, CPU ms per image (summed over the worker threads)."""
    cpu: list[float] = []

    def one(img: Image.Image) -> str:
        t = time.thread_time()
        text = engine.read(img).text
        cpu.append((time.thread_time() - t) * 1000)
        return text

    t0 = time.perf_counter()
    if workers == 1:
        texts = [one(img) for img in images]
    else:
        with ThreadPoolExecutor(workers) as pool:
            texts = list(pool.map(one, images))
    wall = time.perf_counter() - t0
    return texts, wall, statistics.mean(cpu)


_proc_engine: OcrEngine | None = None


def _proc_init(languages: str, psm: int) -> None:
    global _proc_engine
    _proc_engine = OcrEngine(languages=languages, psm=psm)


def _proc_read(img: Image.Image) -> str:
    assert _proc_engine is not None
    return _proc_engine.read(img).text


def run_processes(images: Sequence[Image.Image], languages: str, psm: int, workers: int) -> float:
    with ProcessPoolExecutor(workers, initializer=_proc_init, initargs=(languages, psm)) as pool:
        list(pool.map(_proc_read, images[:workers]))  # start-up and model load not timed
        t0 = time.perf_counter()
        list(pool.map(_proc_read, images, chunksize=4))
        return time.perf_counter() - t0


def run_pytesseract(
    images: Sequence[Image.Image], languages: str, psm: int, workers: int
) -> tuple[list[str], float] | None:
    try:
        import pytesseract
    except ImportError:
        return None
    prepared = [preprocess(img)[0] for img in images]  # same input as the engine reads

    def one(img: Image.Image) -> str:
        return str(pytesseract.image_to_string(img, lang=languages, config=f"--psm {psm}"))

    t0 = time.perf_counter()
    with ThreadPoolExecutor(workers) as pool:
        texts = list(pool.map(one, prepared))
    return texts, time.perf_counter() - t0


def cers(shots: Sequence[Screenshot], texts: Sequence[str]) -> list[float]:
    return [body_cer(s.body, t) for s, t in zip(shots, texts, strict=True)]


def pct(x: float) -> str:
    return f"{100 * x:.2f}%"


def _photos() -> list[Image.Image]:
    folder = Path(os.environ.get("NETRAL_TESTDATA", ROOT.parent / "shared" / "data")) / "gestures"
    return [Image.open(p).convert("RGB") for p in sorted(folder.glob("*.jpg"))]


def with_photo(shot: Screenshot, photo: Image.Image) -> Screenshot:
    """The post with a photo attached under it, as apps show one."""
    w = shot.image.width
    pic = photo.copy()
    pic.thumbnail((w - 32, int(w * 0.9)))
    out = Image.new("RGB", (w, shot.image.height + pic.height + 24), shot.image.getpixel((2, 2)))
    out.paste(shot.image, (0, 0))
    out.paste(pic, ((w - pic.width) // 2, shot.image.height + 8))
    return Screenshot(out, shot.body, shot.theme, shot.width, shot.font_px)


def caption_on_photo(text: str, photo: Image.Image, font_px: int) -> Screenshot:
    """The post's first words in a white band with dark text over a photo (a frame, a meme)."""
    from PIL import ImageDraw

    from support.screenshots import _font, drawable

    words = drawable(text).split()[:7]
    caption = " ".join(words)
    pic = photo.copy()
    pic.thumbnail((960, 960))
    font = _font("dejavu", True, font_px)
    d = ImageDraw.Draw(pic)
    box = d.textbbox((0, 0), caption, font=font)
    while box[2] > pic.width - 40 and len(words) > 2:
        words = words[:-1]
        caption = " ".join(words)
        box = d.textbbox((0, 0), caption, font=font)
    y = int(pic.height * 0.72)
    d.rectangle((0, y - 12, pic.width, y + box[3] + 12), fill=(250, 250, 250))
    d.text((20, y), caption, font=font, fill=(20, 20, 20))
    return Screenshot(pic, caption, "caption", pic.width, font_px)


def segmentation_study(n_posts: int, seed: int, say: Callable[[str], None]) -> None:
    posts = real_posts(n_posts, seed=seed)
    photos = _photos()
    if not posts or not photos:
        sys.exit("the segmentation study needs posts and gesture photos from NETRAL_TESTDATA")
    layouts: dict[str, list[Screenshot]] = {"post": [], "post + photo": [], "caption on photo": []}
    for i, text in enumerate(posts):
        theme = "dark" if i % 2 else "light"
        px = SIZES[i % len(SIZES)]
        width = 390 if i % 5 == 4 else (720 if i % 3 else 1080)
        shot = render_post(text, theme=theme, width=width, font_px=px, seed=seed + i)
        layouts["post"].append(shot)
        layouts["post + photo"].append(with_photo(shot, photos[i % len(photos)]))
        layouts["caption on photo"].append(
            caption_on_photo(text, photos[(i * 7) % len(photos)], 28 + 4 * (i % 4))
        )
    say(
        f"## Page segmentation per image, {n_posts} real posts x 3 layouts "
        f"(load average {os.getloadavg()[0]:.1f} at start)"
    )
    say()
    say("| layout | PSM | mean CER | p95 CER | words right | CPU ms each | PSM taken (auto) |")
    say("| --- | --- | ---: | ---: | ---: | ---: | --- |")
    for psm in (3, 6, 11, "auto"):
        engine = OcrEngine(psm=psm)
        for name, shots in layouts.items():
            cpu: list[float] = []
            errs: list[float] = []
            right: list[float] = []
            taken: dict[int | None, int] = {}
            for shot in shots:
                t = time.thread_time()
                res = engine.read(shot.image)
                cpu.append((time.thread_time() - t) * 1000)
                errs.append(body_cer(shot.body, res.text))
                right.append(word_accuracy(shot.body, res.text))
                taken[res.psm] = taken.get(res.psm, 0) + 1
            took = ", ".join(
                f"{k}: {v}" for k, v in sorted(taken.items(), key=lambda kv: str(kv[0]))
            )
            say(
                f"| {name} | {psm} | {pct(statistics.mean(errs))} | {pct(p95(errs))} "
                f"| {statistics.mean(right):.1%} | {statistics.mean(cpu):.0f} "
                f"| {took if psm == 'auto' else ''} |"
            )
        engine.close()
    say()
    say(f"load average at the end: {os.getloadavg()[0]:.1f}")


def word_accuracy(body: str, ocr_text: str) -> float:
    """Share of the body's words found, in order, in the matching part of the OCR text."""
    import difflib
    import unicodedata

    from support.screenshots import locate

    def norm(t: str) -> list[str]:
        return unicodedata.normalize("NFKC", t).lower().split()

    ref, got = norm(body), norm(locate(body, ocr_text))
    if not ref:
        return 1.0
    matcher = difflib.SequenceMatcher(a=ref, b=got, autojunk=False)
    return sum(b.size for b in matcher.get_matching_blocks()) / len(ref)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--posts", type=int, default=200)
    ap.add_argument("--seed", type=int, default=2024)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--speed-images", type=int, default=240)
    ap.add_argument("--compare-images", type=int, default=400)
    ap.add_argument("--baseline-images", type=int, default=120)
    ap.add_argument("--languages", default="ind+eng")
    ap.add_argument("--psm", type=int, default=3)
    ap.add_argument("--markdown", type=Path, help="write the figures as markdown here")
    ap.add_argument("--segmentation", type=int, default=0, help="only the PSM study, N posts")
    args = ap.parse_args()
    out: list[str] = []

    def say(line: str = "") -> None:
        print(line, flush=True)
        out.append(line)

    if args.segmentation:
        segmentation_study(args.segmentation, args.seed, say)
        if args.markdown:
            args.markdown.write_text("\n".join(out) + "\n", encoding="utf-8")
        return

    t0 = time.perf_counter()
    shots = render_all(args.posts, args.seed)
    say(
        f"{len(shots)} screenshots from {args.posts} real posts rendered in "
        f"{time.perf_counter() - t0:.1f} s; CPU {platform.processor() or platform.machine()}, "
        f"{os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f} at start"
    )
    images = [s.image for s in shots]
    stride = max(1, len(shots) // max(1, args.speed_images))
    speed_set = images[::stride][: args.speed_images]

    t0 = time.perf_counter()
    engine = OcrEngine(languages=args.languages, psm=args.psm)
    say(
        f"engine: {engine.version}, tessdata {engine.tessdata}, init {1000 * (time.perf_counter() - t0):.0f} ms"
    )

    # -- accuracy on everything (the 2-way run)
    texts, wall, cpu_ms = run_engine(engine, images, args.workers)
    errors = cers(shots, texts)
    say()
    say(f"## CER, {args.languages} PSM {args.psm}, {len(shots)} screenshots")
    say()
    say("| slice | n | mean CER | p95 CER | max CER | exact (CER 0) |")
    say("| --- | ---: | ---: | ---: | ---: | ---: |")

    def row(name: str, pick: Callable[[Screenshot], bool]) -> None:
        vals = [e for s, e in zip(shots, errors, strict=True) if pick(s)]
        exact = sum(v == 0 for v in vals) / len(vals)
        say(
            f"| {name} | {len(vals)} | {pct(statistics.mean(vals))} | {pct(p95(vals))} "
            f"| {pct(max(vals))} | {exact:.0%} |"
        )

    row("all", lambda s: True)
    for theme in ("light", "dark"):
        row(theme, lambda s, th=theme: s.theme == th)
    for px in SIZES:
        row(f"{px} px", lambda s, p=px: s.font_px == p)
    for width in sorted({s.width for s in shots}):
        row(f"{width} px wide", lambda s, w=width: s.width == w)
    worst = sorted(zip(errors, shots, texts, strict=True), key=lambda x: -x[0])[:3]
    say()
    say("Worst three (reference → read):")
    for e, s, _t in worst:
        say(f"- {pct(e)} ({s.theme}, {s.font_px} px, {s.width} wide): `{s.body[:90]}`")

    # -- speed
    say()
    say(f"## Speed, {len(speed_set)} screenshots")
    say()
    say("| engine | workers | screenshots/s | wall ms each | CPU ms each |")
    say("| --- | ---: | ---: | ---: | ---: |")
    _, wall1, cpu1 = run_engine(engine, speed_set, 1)
    say(
        f"| tesserocr {args.languages} psm{args.psm} | 1 thread | {len(speed_set) / wall1:.1f} | {1000 * wall1 / len(speed_set):.0f} | {cpu1:.0f} |"
    )
    _, wall2, cpu2 = run_engine(engine, speed_set, 2)
    say(
        f"| tesserocr {args.languages} psm{args.psm} | 2 threads | {len(speed_set) / wall2:.1f} | {1000 * wall2 / len(speed_set):.0f} | {cpu2:.0f} |"
    )
    wallp = run_processes(speed_set, args.languages, args.psm, 2)
    say(
        f"| tesserocr {args.languages} psm{args.psm} | 2 processes | {len(speed_set) / wallp:.1f} | {1000 * wallp / len(speed_set):.0f} | |"
    )
    say(
        f"| (the CER run above) | {args.workers} threads | {len(images) / wall:.1f} | {1000 * wall / len(images):.0f} | {cpu_ms:.0f} |"
    )
    base_idx = list(range(0, len(shots), max(1, len(shots) // max(1, args.baseline_images))))[
        : args.baseline_images
    ]
    base_shots = [shots[i] for i in base_idx]
    for workers in (1, 2):
        got = run_pytesseract([s.image for s in base_shots], args.languages, args.psm, workers)
        if got is None:
            say("| pytesseract | | not installed | | |")
            break
        btexts, bwall = got
        say(
            f"| pytesseract {args.languages} psm{args.psm} (process per call) | {workers} threads | {len(base_shots) / bwall:.1f} | {1000 * bwall / len(base_shots):.0f} | |"
        )
    if got is not None:
        base_cer = statistics.mean(cers(base_shots, btexts))
        ours = statistics.mean(errors[i] for i in base_idx)
        say()
        import pytesseract

        say(
            f"pytesseract CER on its {len(base_shots)} screenshots: {pct(base_cer)} (tesserocr on "
            f"the same: {pct(ours)}); pytesseract runs Debian's tesseract "
            f"{pytesseract.get_tesseract_version()}, tesserocr the wheel's {engine.version.split()[1]}"
        )

    # -- alternatives
    cmp_idx = list(range(0, len(shots), max(1, len(shots) // max(1, args.compare_images))))[
        : args.compare_images
    ]
    cmp_shots = [shots[i] for i in cmp_idx]
    cmp_images = [s.image for s in cmp_shots]
    say()
    say(f"## Alternatives, {len(cmp_shots)} screenshots (2 threads)")
    say()
    say("| languages | PSM | mean CER | p95 CER | screenshots/s (2 threads) | CPU ms each |")
    say("| --- | ---: | ---: | ---: | ---: | ---: |")
    chosen = [errors[i] for i in cmp_idx]
    for langs, psm in (
        (args.languages, args.psm),
        ("ind", 3),
        ("eng", 3),
        (args.languages, 4),
        (args.languages, 6),
    ):
        if (langs, psm) == (args.languages, args.psm):
            _, w, c = run_engine(engine, cmp_images, 2)
            vals = chosen
        else:
            alt = OcrEngine(languages=langs, psm=psm)
            t, w, c = run_engine(alt, cmp_images, 2)
            alt.close()
            vals = cers(cmp_shots, t)
        say(
            f"| {langs} | {psm} | {pct(statistics.mean(vals))} | {pct(p95(vals))} | {len(cmp_images) / w:.1f} | {c:.0f} |"
        )
    say()
    say(f"load average at the end: {os.getloadavg()[0]:.1f}")
    if args.markdown:
        args.markdown.write_text("\n".join(out) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
