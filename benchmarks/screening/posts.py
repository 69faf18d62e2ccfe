"""Posts: partisan-text screening by leave-one-election-out, and throughput on one core.

Run: python benchmarks/screening/posts.py [--csv FILE] [--extra CORPUS.csv ...] [--repeat R]
     [--out benchmarks/results/posts.md]

Goals (issue 11): macro-F1 >= 0.85 as shipped; `partisan` precision >= 0.90 with meaningful
recall; no neutral news line about ASN neutrality called partisan; >= 5,000 posts/s on one core.
Figures are written as they are, misses included.

Election groups (`netral.screening.text.ELECTION_GROUPS`): `2017-2019` = okkyibrohim_idhsab
(tweets of about 2018: Pilkada DKI 2017, the 2018 pilkada, Pilpres 2019), `2024` =
rizano26_pemilu2024 (Pemilu 2024 tweets, Sept 2023), `news-reviews` = indonlu (news sentences
and reviews: no election, so always on the training side). Each election group is screened by
a model trained without it, with its own era's candidate lists loaded as the operator's
`--election` files would be (the training side never saw them). `--extra` adds training-only
corpora (`benchmarks/screening/corpus/build.py`): they train whenever their era is not held
out and are never judged, so the held-out figures stay comparable.
"""

from __future__ import annotations

import argparse
import os
import platform
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np

from netral.election.service import read_election_file
from netral.screening.text import (
    LABELS,
    Scores,
    TextScreener,
    _read_rows,
    _scores,
    evaluate_by_source,
    past_elections,
    train,
)

ROOT = Path(__file__).resolve().parents[2]
DATA = Path(os.environ.get("NETRAL_TESTDATA", ROOT.parent / "shared" / "data"))
DEMO = ROOT / "src/netral/election/data/demo-pilkada-kota-bandung-2024.yaml"
SHIPPABLE = ["okkyibrohim_idhsab", "indonlu_posp_news", "indonlu_smsa"]
ASN_NEWS = [
    "Bawaslu ingatkan ASN jaga netralitas selama pilkada",
    "Pemkab gelar apel netralitas ASN jelang Pilkada 2024",
    "ASN yang terbukti tidak netral akan dikenai sanksi disiplin",
    "KASN terima 120 laporan dugaan pelanggaran netralitas ASN",
    "Sekda imbau ASN tidak ikut kampanye dan tidak memberi like pada unggahan calon",
    "ASN dilarang berfoto dengan calon kepala daerah sambil berpose jari",
    "Surat edaran bersama soal netralitas ASN, TNI dan Polri dalam pemilu diteken",
    "Bupati minta camat dan lurah menjaga netralitas ASN di masa kampanye",
    "Netralitas ASN dalam Pilkada diawasi Bawaslu hingga tingkat desa",
    "Sosialisasi netralitas ASN digelar di aula kantor wali kota",
    "Menteri PANRB: ASN boleh datang ke kampanye? Tidak, ASN wajib netral",
    "Polres dan Bawaslu teken komitmen netralitas jelang pemungutan suara",
]


def pin_one_core() -> str:
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})
        return f"pinned to CPU {min(os.sched_getaffinity(0))}"
    return "not pinned"


def machine() -> str:
    cpu = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return f"{cpu}, {os.cpu_count()} cores, Python {platform.python_version()}"


def load() -> str:
    if not hasattr(os, "getloadavg"):
        return "load ?"
    one, five, fifteen = os.getloadavg()
    return f"load {one:.1f} {five:.1f} {fifteen:.1f}"


def rate(screener: TextScreener, texts: list[str], repeat: int) -> tuple[float, float]:
    """Posts per CPU-second of this process (what one core does, whatever the machine's load)
    and per wall-clock second (what it did under this run's load), best of `repeat`."""
    screener.classify_many(texts[:500])  # warm the per-word cache, as a worker would be
    cpu = wall = float("inf")
    for _ in range(repeat):
        c0, t0 = time.process_time(), time.perf_counter()
        screener.classify_many(texts)
        cpu = min(cpu, time.process_time() - c0)
        wall = min(wall, time.perf_counter() - t0)
    return len(texts) / cpu, len(texts) / wall


def fmt(v: float | None) -> str:
    return "–" if v is None else f"{v:.3f}"


def row(name: str, s: Scores) -> str:
    return (
        f"| {name} | {s.posts} | {s.macro_f1:.3f} | {fmt(s.partisan_precision)} | "
        f"{fmt(s.partisan_recall)} | {s.partisan_flagged} | "
        + ("" if s.threshold is None else f"{s.threshold}")
        + " |"
    )


def plain_baseline(rows: Any, train_sources: list[str] | None = None) -> dict[str, Scores]:
    """The raw baseline in the same grouping: word 1–2 + char_wb 2–5 TF-IDF, a balanced linear
    SVM, argmax; no role tokens, no election files, no calibration, threshold or rules."""
    from sklearn.feature_extraction.text import TfidfVectorizer
    from sklearn.pipeline import make_union
    from sklearn.svm import LinearSVC

    groups, out = rows.groups, {}
    texts = np.array(rows.texts, dtype=object)
    for group in ("2017-2019", "2024"):
        test = groups == group
        fit = ~test if train_sources is None else ~test & np.isin(rows.sources, train_sources)
        if len(set(rows.y[fit].tolist())) < len(LABELS):
            continue
        feats = make_union(
            TfidfVectorizer(ngram_range=(1, 2), min_df=2, sublinear_tf=True),
            TfidfVectorizer(analyzer="char_wb", ngram_range=(2, 5), min_df=3, sublinear_tf=True),
        )
        svm = LinearSVC(C=0.3, class_weight="balanced", random_state=0)
        svm.fit(feats.fit_transform(texts[fit]), rows.y[fit])
        out[group] = _scores(rows.y[test], svm.predict(feats.transform(texts[test])))
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--csv", type=Path, default=DATA / "posts" / "posts_train.csv")
    ap.add_argument("--extra", type=Path, nargs="*", default=[], help="training-only corpora")
    ap.add_argument("--repeat", type=int, default=5)
    ap.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "results" / "posts.md")
    args = ap.parse_args()
    if not args.csv.is_file():
        print(f"posts CSV not found: {args.csv} (set NETRAL_TESTDATA)", file=sys.stderr)
        return 2
    pinned = pin_one_core()
    load_start = load()
    demo = read_election_file(DEMO)
    rows = _read_rows(args.csv)
    groups = rows.groups

    # 1. the shipped model, as shipped, on the election it never trained on
    shipped = TextScreener.shipped()
    lists_2024 = [p.election for p in past_elections() if p.era == "2024"]
    as_shipped: dict[str, Scores] = {}
    test = groups == "2024"
    texts = [rows.texts[i] for i in range(len(rows.texts)) if test[i]]
    for name, elections in (
        ("with the 2024 candidate lists", lists_2024),
        ("no election file", []),
    ):
        res = TextScreener.shipped(elections=elections).classify_many(texts)
        pred = [LABELS.index(r.label) for r in res]
        as_shipped[name] = _scores(rows.y[test], np.array(pred))
    asn_flagged = [r for r in shipped.classify_many(ASN_NEWS) if r.label == "partisan"]
    with_demo = TextScreener.shipped(elections=[demo])
    asn_flagged_demo = [r for r in with_demo.classify_many(ASN_NEWS) if r.label == "partisan"]

    # 2. leave-one-election-out: the shipped recipe and a model trained on all shared data
    t0 = time.perf_counter()
    extra = args.extra
    loeo_ship = evaluate_by_source(args.csv, train_sources=SHIPPABLE, extra=extra)
    loeo_all = evaluate_by_source(args.csv, extra=extra)
    loeo_all_nofile = evaluate_by_source(args.csv, election_files=False, extra=extra)
    plain_ship = plain_baseline(rows, SHIPPABLE)
    plain_all = plain_baseline(rows)
    loeo_s = time.perf_counter() - t0

    # 3. throughput on one core: the shipped model + a loaded election, against the lexicon alone
    with tempfile.TemporaryDirectory() as tmp:
        t0 = time.perf_counter()
        train(args.csv, Path(tmp) / "text.joblib")
        train_s = time.perf_counter() - t0
    r_ship = rate(TextScreener.shipped(elections=[demo]), rows.texts, args.repeat)
    r_lex = rate(TextScreener(None, elections=[demo]), rows.texts, args.repeat)
    meta = shipped.metadata

    def ok(cond: bool) -> str:
        return "met" if cond else "**missed**"

    ship24 = as_shipped["with the 2024 candidate lists"]
    lines = [
        "# Posts: partisan-text screening",
        "",
        f"Command: `python benchmarks/screening/posts.py` ({time.strftime('%Y-%m-%d')})  ",
        f"Machine: {machine()}; {pinned}; {load_start} at start, {load()} at the end.  ",
        f"Data: `{args.csv.name}`, {len(rows.texts)} posts (labels as re-read by hand)"
        + (f"; training-only: {', '.join(f'`{p.name}`' for p in extra)}" if extra else "")
        + ".  ",
        f"Shipped model: {shipped.model}, trained on {', '.join(meta['metrics']['sources'])}; "
        f"threshold {meta['threshold']}.",
        "",
        "## Against the goals",
        "",
        "| measure | figure | goal | |",
        "| --- | --- | --- | --- |",
        f"| shipped model on the held-out 2024 election: macro-F1 | {ship24.macro_f1:.3f} | "
        f"≥ 0.85 | {ok(ship24.macro_f1 >= 0.85)} |",
        f"| … `partisan` precision | {fmt(ship24.partisan_precision)} | ≥ 0.90 | "
        f"{ok((ship24.partisan_precision or 0) >= 0.90)} |",
        f"| … `partisan` recall | {fmt(ship24.partisan_recall)} | meaningful | |",
        f"| ASN-neutrality news lines called partisan (of {len(ASN_NEWS)}; no election / demo "
        f"election) | {len(asn_flagged)} / {len(asn_flagged_demo)} | 0 | "
        f"{ok(not asn_flagged and not asn_flagged_demo)} |",
        f"| shipped model + lexicon, posts per CPU-second on one core (best of {args.repeat}) "
        f"| {r_ship[0]:,.0f} | ≥ 5,000 | {ok(r_ship[0] >= 5000)} |",
        f"| the same per wall-clock second under this run's load | {r_ship[1]:,.0f} | | |",
        "",
        f"Baseline in the same run: the lexicon and rules alone, {r_lex[0]:,.0f} posts per "
        f"CPU-second ({r_lex[1]:,.0f} per wall-clock second). Training "
        f"on all {len(rows.texts)} posts: {train_s:.1f} s. Leave-one-election-out runs: "
        f"{loeo_s:.0f} s.",
        "",
        "## The shipped model, as shipped, on the held-out 2024 election",
        "",
        "Its training never saw the 2024 tweets (no licence: evaluation only).",
        "",
        "| held-out 2024 election | posts | macro-F1 | partisan P | partisan R | flagged | |",
        "| --- | --- | --- | --- | --- | --- | --- |",
    ]
    lines += [row(name, s) for name, s in as_shipped.items()]
    lines += [
        "",
        "## Leave-one-election-out",
        "",
        "Each election group judged by a model (calibration and threshold included) trained "
        "without it. The shipped recipe trains only on licensable sources, so it can hold out "
        "2024 only (without okkyibrohim it has no partisan posts to learn from).",
        "",
        "| recipe | held-out election | posts | macro-F1 | partisan P | partisan R | flagged | "
        "threshold |",
        "| --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for recipe, ev in (
        ("shipped recipe (okkyibrohim + indonlu)", loeo_ship),
        ("all shared data", loeo_all),
        ("all shared data, no election file at test", loeo_all_nofile),
    ):
        for group, s in ev.per_source.items():
            lines.append(row(f"{recipe} | {group}", s))
        if len(ev.per_source) > 1:
            lines.append(row(f"{recipe} | **pooled**", ev.overall))
    lines += [
        "",
        "Raw baseline in the same grouping (word 1–2 + char 2–5 TF-IDF, balanced linear SVM, "
        "argmax; no role tokens, election files, calibration, threshold or rules):",
        "",
        "| baseline trained on | held-out election | posts | macro-F1 | partisan P | partisan R | "
        "flagged | |",
        "| --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for recipe, res in (("okkyibrohim + indonlu", plain_ship), ("all shared data", plain_all)):
        lines += [row(f"{recipe} | {group}", s) for group, s in res.items()]
    lines += ["", *NOTES.strip("\n").splitlines()]
    text = "\n".join(lines) + "\n"
    print(text)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(text)
    return 0


NOTES = """
## Notes

Figures measured while building it (leave-one-election-out, both election groups held out in
turn, news always training; per-group macro-F1 2017-2019 / 2024):

| step | 2017-2019 | 2024 |
| --- | --- | --- |
| text-2 (the model before), re-read labels, raw SVM argmax | 0.587 | 0.546 |
| + training-only past-election lists masked as role tokens (xcalonx, xpartaix, xkampanyex) | 0.605 | 0.577 |
| + low-confidence labels weighted 0.3 | 0.610 | 0.583 |
| the same through the full decision (calibration, threshold, rules), candidate lists loaded | 0.518 | 0.535 |
| + calibrator with balanced class weights (the training mix is no prior) | 0.582 | 0.520 |
| + a token of its own for a name inside a hashtag (`#mendingprabowo`): no gain, dropped | 0.579 | 0.524 |
| + weak labels from the election lists (template posts, weight 0.3) | 0.608 | 0.554 |
| + party templates among the weak labels | 0.608 | 0.568 |
| + the 2024 list stops calling the name tag `#GanjarPranowo` a campaign hashtag | 0.609 | 0.569 |
| + a hashtag joining a known name with other words (`#AniesGagal`) reads as `xkampanyex` | 0.601 | 0.602 |
| + past-list name parts that are everyday words (amin, asyik, rindu, …) not masked | 0.604 | 0.604 |
| (every name the corpus mostly writes in lower case left unmasked instead: ahok, jkw, …) | 0.621 | 0.599 (P 0.82) |
| (a token for a stance word within 3 words of a candidate) | 0.607 | 0.583 |
| (six more tweet-style weak-label templates) | 0.603 | 0.596 |
| (partisan threshold margin 0.00 / 0.01 instead of 0.02) | 0.600 / 0.600 | 0.604 / 0.605 |
| (SVM C 0.1 / 1.0 instead of 0.3, at the weak-label step) | 0.559 / 0.623 | 0.554 / 0.547 |
| (without the rule "a loaded candidate is named and partisan is likeliest") | 0.526 | 0.492 |
| + a post with no word about politics or elections (`POLITICAL_CUES`) and no candidate, party or ballot number is `other` (partisan P 0.864 → 0.892 / 0.918) | **0.706** | **0.605** |
| + `_fit` scores a group out-of-election only with ≥ 20 posts of every label outside it: no change here (every fold has hundreds) | 0.706 | 0.605 |
| (the same cue as a model feature, `xpolitikx`) | 0.701 | 0.568 |
| (lean to `political_neutral` over `other` by 0.2 when a political cue is present) | 0.716 | 0.607 |
| (weak-label weight 0.6 / 1.0 instead of 0.3) | 0.705 / 0.706 | 0.601 / 0.606 |
| (SVM C 0.15 / 0.6 instead of 0.3) | 0.710 / 0.702 | 0.606 / 0.598 |
| (logistic regression, C 5, balanced, instead of the SVM) | 0.606 | 0.618 (P 0.881) |
| (six campaign-content partisan templates: deklarasi dukungan, tim pemenangan, …) | 0.704 | 0.611 |
| (SVM without balanced class weights) | 0.732 (P 0.877) | 0.589 |
| (calibrator without balanced class weights) | 0.667 | 0.579 |
| (SVM classes balanced by summed sample weight instead of counts: weak labels weigh 0.3 in the balance too) | – | 0.605 (identical calls) |
| (+ Jannati et al. 2018 blog articles, `jannati2018_stance`, 335 for/against → partisan, training only, not calibrating) | 0.706 ¹ | 0.607 (P 0.914, R 0.485) |
| (the same, calibrating and choosing the threshold with them) | 0.706 ¹ | 0.608 (P 0.875) |
| (+ the 2016 articles the 2018 set left out, `wardhana2016_stance`: 89 partisan, 90 `unknown` → political_neutral) | 0.706 ¹ | 0.591 |
| (+ both) | 0.706 ¹ / 0.607 ² | 0.610 (P 0.910, R 0.478) |
| (+ Jannati, first 300 / 800 characters of each article; 300 weighted 0.3) | 0.706 ¹ | 0.591 / 0.599 / 0.597 |
| (+ Jannati as 2-sentence pieces, weight 0.3, 1,939 rows) | 0.706 ¹ | 0.556 |
| (+ Jannati, the 2017–2019 group judged with the articles training: they are its era) | 0.602 ² (R 0.469) | – |
| (24 campaign-news partisan templates written from general knowledge: relawan … siap memenangkan, deklarasi dukungan, kader … turun memenangkan, posko, doa for a candidate) | 0.701 | 0.586 (R 0.443) |
| (8 of them: volunteers, declarations of support, cadres, posko) | – | 0.586 (R 0.462) |
| (20 neutral counterparts: registration, nomor urut draw, debate schedule, KPU/Bawaslu notices, party congress) | 0.702 | 0.615 (only `other` F1 0.311 → 0.340; partisan F1 0.627 → 0.629) |
| (both template sets) | 0.700 | 0.590 |
| (neutral templates + Jannati / + Jannati's first 800 characters) | – | 0.612 / 0.603 (P 0.893) |
| (polarity from licensed sentiment sentences as features, `posts_polarity.py`: SmSA + EmoT + NusaX-senti, 16,512 sentences; P(positive), P(negative), each again × "a candidate or party is named") | 0.694 | 0.580 (P 0.923, R 0.409) |
| (the same with the polarity log-odds split by sign, tone × named, log-odds × named) | 0.704 | 0.587 (R 0.409) |
| (the same with the tone of the 4 words either side of each name) | 0.690 | 0.577 (R 0.386) |
| (tone of either sign, 1 − P(neutral), and the same × named) | 0.684 | 0.577 (R 0.404) |
| (only tone of either sign × named) | 0.709 | 0.586 (R 0.406) |
| (tone of either sign × named as a fixed, unlearned +0.5 / +1.0 on the partisan score) | 0.662 / 0.632 | 0.587 / 0.580 |
| (polarity from the tweets only, EmoT + NusaX: P(positive), P(negative), × named / tone × named) | 0.706 / 0.708 | 0.607 (partisan F1 0.627 → 0.587, `other` 0.311 → 0.364) / 0.590 |
| (polarity positive against negative only, `--binary`, every post signed: P(positive), P(negative), × named) | 0.707 | 0.599 (P 0.934, R 0.415) |
| (2017–2019 training tweets weighted so the source's own hate-speech flag is balanced within each label, `posts_reweight.py`: full / square root) | 0.706 ³ | 0.610 (P 0.823, R 0.550) / 0.617 (P 0.892, R 0.513) |
| (the same, full, the calibrator fitted with the posts' own weights, `--svm-only`) | 0.706 ³ | 0.615 (P 0.887, R 0.521) |
| (the same with the hate-speech and abuse flags balanced together, `--flags HS,Abusive`) | 0.706 ³ | 0.607 (P 0.899, R 0.485) |
| (calibration and threshold on HS=1 posts scored by a model trained without them and the reverse, `--split-calibration`: alone / with the full balance, `--svm-only`) | 0.706 ³ | 0.527 (threshold 0.95, R 0.268) / 0.616 (threshold 0.98, P 0.898, R 0.482) |
| (the same + polarity P(positive), P(negative) × named / + tone × named) | 0.694 / 0.709 | 0.584 (P 0.886) / 0.581 (P 0.871) |
| (calibration and threshold on out-of-*election* scores, `posts_calib.py`: each training-era post assigned by the candidates it names to a sub-election (the national line, 2014+2019 or 2024; one pilkada round, DKI 2017 or the 2018 round) or to "unassigned" (none or several), and the sub-elections held out in turn; the unassigned as a group of their own, `group:group:own`) ⁴ | 0.659 (P 0.921, R 0.524) | 0.573 (P 0.926, R 0.388) |
| (the same, the unassigned cross-fitted in 5 random folds as today, `split`: calibrator and threshold / calibrator only / threshold only) ⁴ | 0.692 (P 0.906, R 0.666) / 0.696 / 0.707 | 0.587 (R 0.457) / 0.590 / 0.599 |
| (the same, `own`: calibrator only / threshold only) ⁴ | 0.662 / 0.707 | 0.587 / 0.600 |
| (threshold target 0.90 instead of 0.92: today's recipe / sub-elections `split` / `own` / `split`, threshold only) | 0.708 (P 0.888) / 0.697 / 0.659 / 0.706 | 0.607 (P 0.884) / 0.595 / 0.575 / 0.604 |
| (threshold chosen only on the posts scored out-of-election, `named`: calibrator in-source / by sub-election; without / with the hate-speech balance) | 0.708 / 0.694 | 0.603 / 0.590; 0.605 (P 0.777) / 0.617 (P 0.840) |
| (sub-elections `split` + the full hate-speech balance of `posts_reweight.py`; seeds 0 / 1 / 2) ⁴ | 0.692 / 0.689 / 0.689 (P 0.906 / 0.906 / 0.903) | 0.618 / 0.612 / 0.621 (P 0.902 / 0.903 / 0.900, R 0.541 / 0.535 / 0.544) |
| (today's recipe, seeds 1 / 2, for the row above) | 0.703 / 0.704 (P 0.894 / 0.894) | 0.603 / 0.605 (P 0.920 / 0.917) |
| (the same + hate-speech balance: calibrator only / threshold only / square-root balance / target 0.90 / threshold only at 0.90) | 0.696 / 0.707 / 0.692 / 0.697 / 0.706 | 0.618 (P 0.864) / 0.616 (P 0.881) / 0.603 (P 0.906) / 0.619 (P 0.881) / 0.610 (P 0.830) |
| (the same + hate-speech balance, `own`: both / both at 0.90 / threshold only) | 0.659 / 0.659 / 0.707 | 0.619 (P 0.908) / 0.623 (P 0.909, R 0.488) / 0.618 (P 0.899) |
| (hate-speech balance at square root, threshold only by sub-election) | 0.707 (P 0.897) | 0.618 (P 0.919, R 0.504) |
| (sub-elections split further by candidate when a post names one candidate (pair) only, `--by candidate`, `split`: without / with the full hate-speech balance, seed 0) ⁴ | 0.703 (P 0.901, R 0.701) / 0.703 | 0.601 (P 0.914) / 0.623 (P 0.894, R 0.549) |
| (the same with the balance, seeds 1 / 2) ⁴ | 0.695 / 0.703 (P 0.904 / 0.902) | 0.626 / 0.622 (P 0.900 / 0.890) |
| (`--by candidate` with the balance: target 0.90 / calibrator only / threshold only / `own`) | 0.701 / 0.703 / 0.707 / 0.662 | 0.620 (P 0.842) / 0.619 (P 0.851) / 0.614 (P 0.863) / 0.623 (P 0.909, R 0.500) |
| (calibrator and threshold on both scores at once, each post counted in-source and out-of-election, `both:both`: by sub-election without / with the balance; by candidate without / with the balance) | 0.704 (P 0.907) / 0.704; 0.712 (P 0.8996, R 0.718) / 0.712 | 0.590 / 0.614 (P 0.873); 0.593 / 0.619 (P 0.859) |

- Polarity (issue 11, 2026-11-30; `benchmarks/screening/posts_polarity.py`, corpus rebuilt by
  `benchmarks/screening/corpus/polarity.py` from IndoNLU SmSA + EmoT and NusaX-senti, CC BY-SA
  4.0, the 790 SmSA sentences that are rows of `posts_train.csv` left out): **it does not help;
  nothing of it ships.** The polarity model (word 1–2-gram TF-IDF, logistic regression; 26–32
  µs of CPU a post at load ~3, on top of the screener's ~170: at the edge of the speed goal)
  reaches macro-F1 0.826 on its own held-out sentences, but it reads short praise as toneless ("Sukses selalu Gus Imin": P(positive)
  0.22): its sentences are mostly reviews. Where it does find tone in a post naming a candidate
  or party, the post is partisan in 84% of the 2017–2019 tweets but only 63% of the 2024 ones
  (252 posts), so no polarity rule can reach precision 0.90. As learned features every variant
  lowered held-out 2024 partisan recall (0.476 → 0.39–0.44): the weights are learned on the
  2017–2019 tweets, where tone means blame, and the threshold chosen on them rose (0.83 →
  0.85–0.89 with the full corpus). A fixed weight not learned from the era's posts moved the calibration instead
  and cost 2017–2019 0.04–0.07. The tweets-only polarity's 0.607 on 2024 comes from the 38
  `other` posts while partisan F1 fell (0.627 → 0.587): not kept.
- ³ Hate-speech balance (`benchmarks/screening/posts_reweight.py`): `okkyibrohim_idhsab` was
  collected for hate speech, and 81% of its partisan rows carry its own HS=1 flag against 31%
  of the rest; weighting it so the flag is balanced within each label (the flag only weights
  training rows, never a feature) is the one change that raised 2024 partisan recall (0.476 →
  0.513–0.550, partisan F1 0.627 → 0.652–0.660), but the threshold chosen in-source fell with
  it and precision dropped below the goal (0.892 / 0.823; 0.887 with the calibrator fitted on
  the posts' own weights): not kept. The 2017–2019 figure cannot move (the weights touch only that group's own source). A calibration that carries
  across eras would be needed first; scoring each hate-speech stratum out of stratum for the
  calibration (a shift within the era standing for the next election) over-corrects (threshold
  0.95–0.98).
- ⁴ Out-of-election calibration (issue 11, 2026-11-30; `benchmarks/screening/posts_calib.py`,
  `--counts` prints the groups): **nothing of it ships**; no variant raised macro-F1 on one
  group without costing the other more than 0.005 while keeping partisan precision ≥ 0.90 on
  both. Assignment: a post goes to the sub-election whose candidate names, nicknames, hashtags
  or slogans it uses (parties name no single election; the everyday name words are skipped);
  national elections are one line (2014 and 2019 share candidates), one pilkada round is one
  group. In the 2017–2019 tweets: national line 854 posts (758 partisan), DKI 2017 250, the
  2018 round 37, unassigned 1,490 (878 `other`); in the 2024 tweets: 497 national, 1,816
  unassigned. The groups are label-skewed, so a model trained without one is less sure of
  partisan posts: the chosen threshold rises (0.83 → 0.89–0.98) and the calls grow cautious.
  With the calibrator fitted on them, 2017–2019 gains precision (0.892 → 0.901–0.921) and loses recall (0.718 → 0.52–0.70); on
  2024 alone it lowers recall (0.476 → 0.39–0.47). With the hate-speech balance (which raises
  2024 recall) it does what the balance lacked: 2024 precision 0.900–0.903 at recall
  0.535–0.544 over three fold seeds (the balance alone: 0.823), but 2017–2019 macro-F1 falls
  0.014–0.015 in every seed. Split further by candidate, the 2017–2019 loss shrinks (−0.001 to
  −0.008, precision 0.901–0.904) and 2024 gains +0.017 to +0.023, but 2024 precision is
  0.890–0.900 (below the goal in two seeds of three). "Unassigned as its own group" is worst:
  that group is scored by a model that saw almost no `other` tweets. Fitting on both scores
  at once (each post counted in-source and out-of-election) gives 2017–2019 0.712 (P 0.8996)
  by candidate but costs 2024 0.012, or 2024 precision 0.86–0.87 with the balance. Caveats: the 2024 era
  holds one election, so when it trains (2017–2019 held out) its "sub-elections" are posts
  naming the 2024 candidates against the rest of the same election, a weaker test of the idea;
  and the balance's strength can only be judged on 2024 (it touches only the 2017–2019 rows).
- Re-read labels, text-2 model, leave-one-*source*-out as before: macro-F1 0.636 → 0.619,
  partisan precision 0.919 → 0.913, recall 0.242 → 0.215 (old labels → re-read labels).
- Blog articles of Jannati et al. 2018 (CC BY-NC-SA 4.0, 337 for/against texts about
  Ahok/Jokowi/Prabowo/Ridwan Kamil/AHY) raised the held-out 2024 macro-F1 of the shipped
  recipe from 0.535 to 0.563 (measured before the weak labels). Measured again on today's
  recipe (issue 11, rows above; `benchmarks/screening/corpus/build.py` rebuilds them from the
  repository's commit 2818ae56, `posts.py --extra` measures them): gains of 0.005 at most on
  2024, and they cost the 2017–2019 group 0.10 when they train for it. Not used; the CSVs are
  not committed (`benchmarks/screening/corpus/LICENSES.md`). ¹ They are 2014–2018 writing, so
  they are held out with the 2017-2019 group and that group's figure cannot move; ² the same
  group judged by a model that trained on them, to see whether they carry to tweets of their
  own era: they do not (partisan recall 0.718 → 0.469; blog stance is argued at length, tweet
  stance in a line).
- Other public data checked for issue 11 and rejected: `casecrit/2024-indonesian-election`
  (Hugging Face, CC BY-NC 2.0: news of the 2024 election itself, the held-out group's era, no
  stance labels, and not reachable from here); `ialfina/id-hatespeech-detection` (Pilkada DKI
  2017 tweets, hate speech labels, "available for personal use": no licence to ship a model);
  `kusumojati/pilpres2019-sentiment-analysis` (no data in the repository);
  `ekorahmattt/Sentiment_Analysis_Debat_Pilpres` (2024 debate tweets, no licence);
  `feryandi/Dataset-Artikel` / Indonesian Newspapers 2018 (CC BY-SA 4.0, but unlabelled and on
  Google Drive / Hugging Face only); Indonesian clickbait headlines (CC BY 4.0, no political
  labels). Sentiment sets about candidates (Kaggle, 2019/2024 tweets) carry no licence or sit
  on Kaggle.
- The campaign-news partisan templates were written from general knowledge of Indonesian
  campaigns without reading the 2024 rows (the failure description above names three
  examples; no template copies them). They *lower* 2024 partisan recall (0.476 → 0.443–0.462)
  while precision holds: untested guess, the extra partisan text with role tokens moves the
  2017–2019 out-of-era scores the calibrator and threshold are fitted on, and that fit does not
  carry to 2024 (see the calibration note below). The neutral counterparts' +0.010 on 2024
  comes from the 38 `other` posts alone: not kept.
- "The shipped model, as shipped" trained with the 2024 candidate lists among its masking
  lists and weak-label templates (names only, no 2024 text); the recipe row above excludes
  them and gives about the same figures (0.605 vs 0.599).
- Throughput is CPU time of the pinned process, so the machine's load (see above) matters
  less; per-stage CPU cost at load ~5.7: lexicon 19 µs, normalise 24 µs, features 58 µs, SVM
  and calibration 1.4 µs, decision and explanations ~43 µs per post.
- Rows in brackets were measured and not kept: gains of 0.01 or less, on one group, or with
  the 2024 group's 38 `other` posts deciding. The campaign templates were written after reading
  the 2024 misses, so their small 2024 gain would be tuning to the test group.
- Where the held-out errors are (2024, shipped recipe): 352 of 678 partisan posts read as
  `political_neutral`: praise of a party or of a candidate in campaign-news style ("Kader PKB
  solid …", "Semoga sukses Gus Imin", party events). Their P(partisan) is mostly < 0.3: the
  2017–2019 tweets teach partisan mostly as attacks. Partisan calls by the threshold are 0.97
  precise on 2024 but 0.85 on 2017–2019 (calibrated on the other era): the calibration does not
  carry across eras in the same direction, so no single threshold fixes both.
- The goal (0.85) is missed by a wide margin in this protocol. The 2024 group has only 38
  `other` posts, so its macro-F1 swings with a handful of them; in the 2017-2019 group the
  confusion is `other` ↔ `political_neutral` (insults that name politicians).
"""


if __name__ == "__main__":
    raise SystemExit(main())
