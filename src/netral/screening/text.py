"""Partisan-post screening: the election lexicon (stage a) plus a trained linear model (stage b).

Labels (see ../shared/data/posts/README.md): ``partisan`` (supports or opposes a candidate, party
or ballot number), ``political_neutral`` (about the election without taking a side) and
``other``. Screening only advises; the thresholds below lean towards not accusing.

How a post is read
------------------
1. The text is cut to `MAX_CHARS` (5,000) characters: longer posts are judged on their start,
   and the `why` says so. Empty text is ``other`` ("teks kosong"); text with almost no Latin
   letters (Arabic script, emoji only) or clearly English is ``other`` with a low score.
2. The lexicon (`netral.screening.lexicon`) finds the loaded elections' candidate names,
   nicknames, parties, slogans, hashtags and accounts, and ballot-number patterns that hold
   for any election ("coblos no 3", "salam dua jari", "nomor urut 02").
3. The text is normalised so the model learns *stance + candidate*, not who the candidates of
   the training elections were: lexicon hits become role tokens (``xcalonx``, ``xpartaix``,
   ``xajakannomorx``, ``xnomorx``, ``xkampanyex``), and so do the person names the model knows
   (capitalised name-like words of its corpus, and the training-only candidate lists of past
   elections in ``textmodel/past-elections.yaml``, stored with the model); handles, links and
   numbers are masked; CamelCase hashtags are split into words ("#GantiPresiden" → "ganti
   presiden"); small cue lists (stance words such as dukung, coblos, menang, lanjutkan, ganti;
   neutral cues such as KPU, Bawaslu, TPS, jadwal, netralitas, himbauan) add a shared token each.
   In training, the past elections' full lists (names, parties, hashtags, slogans) are applied
   the way an operator's election file is at screening time, and template posts filled with
   their candidates (``textmodel/weak-templates.yaml``) add weak labels.
4. Word 1–2-grams and character 2–5-grams within word boundaries (TF-IDF) feed a linear SVM.
   Its decision scores are calibrated into probabilities by a multinomial logistic regression
   (balanced classes) fitted on *held-out* scores: each election group (`ELECTION_GROUPS`)
   scored by a model that never saw it, or, where the other groups lack a label, by 5-fold
   cross-fitting (the method string in the metrics says which).
5. Decision (`_decide`):
   - a ballot-number *call*, or a slogan or hashtag of a loaded candidate → ``partisan``
     (rule; score at least `RULE_SCORE`);
   - else, with no word about politics or elections (`POLITICAL_CUES`) and no candidate,
     party or ballot number (`ROLE_TOKENS`) → ``other``, whatever the model says;
   - else ``partisan`` when P(partisan) ≥ the trained threshold, or when a candidate, party or
     account of a loaded election is named and ``partisan`` is the most probable label;
   - else the more probable of ``political_neutral`` / ``other`` (naming a candidate makes it
     at least ``political_neutral``).

The partisan threshold
----------------------
`train()` picks the lowest threshold on P(partisan) at which the held-out predictions reach
precision ≥ `TARGET_PRECISION` (0.90, plus a 0.02 margin). The chosen value, the precision and
recall it gave, and how the scores were held out are saved with the model (``threshold``,
``metrics``). `evaluate_by_source()` judges the whole recipe by leave-one-election-out.

Without a model (``model_path=None``)
-------------------------------------
Only the lexicon and the generic rules run: ballot-number calls and a loaded candidate's
slogans or hashtags give ``partisan``; a candidate name, party, account or ballot-number
reference gives ``political_neutral``; the neutral and stance cue lists decide between
``political_neutral`` and ``other`` for the rest. It finds the blatant cases and nothing subtle.

Where the model lives
---------------------
The operator's own model at ``<NETRAL_DATA_DIR>/models/text.joblib`` (`netral models train`)
comes first; without one, the model shipped in ``textmodel/`` (plain arrays, no pickle; see its
MODEL_CARD.md: CC BY-NC-SA 4.0), rebuilt by ``benchmarks/screening/train_shipped.py``. Every
result names the model it came from.
"""

from __future__ import annotations

import csv
import re
import time
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field, replace
from datetime import UTC, datetime
from itertools import pairwise
from pathlib import Path
from typing import Any

import joblib
import numpy as np
import scipy.sparse as sp
from numpy.typing import NDArray
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import f1_score, precision_recall_fscore_support
from sklearn.svm import LinearSVC

from netral.election.schemas import ElectionIn
from netral.screening.findings import Finding
from netral.screening.lexicon import Lexicon, LexiconMatch, generic_number_matches

LABELS = ("partisan", "political_neutral", "other")
PARTISAN = 0
MODEL_VERSION = "text-3"
MAX_CHARS = 5_000
TARGET_PRECISION = 0.90
THRESHOLD_MARGIN = 0.02
RULE_SCORE = 0.95
FALLBACK_THRESHOLD = 0.6
# Out-of-election scoring of a group needs this many real posts of every label outside it;
# with fewer (one staff decision of a label as its own group) the fold's model knows nothing
# of that label and the threshold chosen on its scores jumps (0.6 → 0.9 was seen).
MIN_FOLD_EXAMPLES = 20

STANCE_WORDS = frozenset(
    [
        "dukung",
        "mendukung",
        "didukung",
        "pilih",
        "pilihlah",
        "coblos",
        "nyoblos",
        "contreng",
        "menang",
        "menangkan",
        "kemenangan",
        "lanjutkan",
        "lanjut",
        "ganti",
        "gantipresiden",
        "tolak",
        "jangan",
        "hebat",
        "mantap",
        "juara",
        "terbaik",
        "pantas",
        "layak",
        "cocok",
        "amanah",
        "bohong",
        "pembohong",
        "prabohong",
        "gagal",
        "penghianat",
        "pengkhianat",
        "curang",
        "goblok",
        "bodoh",
        "dungu",
        "planga",
        "plongo",
        "cebong",
        "kampret",
        "kadrun",
        "buzzer",
        "rezim",
        "antek",
        "mundur",
        "turunkan",
        "lengserkan",
        "periode",
        "lagi",
        "aja",
        "saja",
        "bersama",
        "bareng",
        "idaman",
        "harapan",
        "relawan",
        "sobat",
        "simpatisan",
        "capresku",
        "presidenku",
        "pemimpinku",
        "jagoan",
    ]
)
NEUTRAL_CUES = frozenset(
    [
        "kpu",
        "kpud",
        "bawaslu",
        "panwaslu",
        "dkpp",
        "tps",
        "pps",
        "ppk",
        "kpps",
        "jadwal",
        "tahapan",
        "logistik",
        "netralitas",
        "netral",
        "himbauan",
        "imbauan",
        "sosialisasi",
        "golput",
        "partisipasi",
        "pemilih",
        "sukseskan",
        "damai",
        "hoaks",
        "hoax",
        "kondusif",
        "aman",
        "pengawasan",
        "pengawas",
        "rekapitulasi",
        "pendaftaran",
        "verifikasi",
        "debat",
        "daftar",
        "dpt",
        "temanpemilih",
        "sedulurpemilih",
        "asn",
        "tni",
        "polri",
        "polres",
        "polda",
        "kapolres",
        "deklarasi",
        "kawal",
        "serentak",
    ]
)
# Words that put a post about politics or an election at all. A post with none of them and no
# candidate, party or ballot number (role tokens, `ROLE_TOKENS`) is ``other`` whatever the model
# says: informal tweets of an election season read "political" to a model trained on them
# (held-out 2017–2019 macro-F1 0.604 → 0.70, `benchmarks/results/posts.md`).
POLITICAL_CUES = NEUTRAL_CUES | frozenset(
    [
        "pemilu",
        "pilkada",
        "pilpres",
        "pileg",
        "pemilihan",
        "politik",
        "politisi",
        "politikus",
        "partai",
        "parpol",
        "capres",
        "cawapres",
        "cagub",
        "cawagub",
        "cabup",
        "cawabup",
        "cawalkot",
        "calon",
        "paslon",
        "kandidat",
        "presiden",
        "wapres",
        "gubernur",
        "bupati",
        "walikota",
        "wali",
        "dpr",
        "dprd",
        "mpr",
        "dpd",
        "menteri",
        "kampanye",
        "koalisi",
        "oposisi",
        "pemerintah",
        "pemerintahan",
        "rezim",
        "demokrasi",
        "legislatif",
        "caleg",
        "dapil",
        "elektabilitas",
        "survei",
        "nyapres",
        "nyagub",
        "pemimpin",
        "istana",
        "periode",
        "petahana",
        "kabinet",
        "pejabat",
        "memilih",
        "dipilih",
        "pilih",
        "pilihlah",
        "coblos",
        "nyoblos",
        "contreng",
        "dukung",
        "mendukung",
        "didukung",
        "pendukung",
        "menang",
        "menangkan",
        "kalah",
        "suara",
        "relawan",
        "simpatisan",
        "timses",
        "capresku",
        "presidenku",
        "pemimpinku",
    ]
)
ROLE_TOKENS = frozenset(["xcalonx", "xpartaix", "xkampanyex", "xnomorx", "xajakannomorx"])
_EN_WORDS = frozenset(
    [
        "the",
        "and",
        "is",
        "are",
        "was",
        "were",
        "you",
        "your",
        "this",
        "that",
        "with",
        "for",
        "have",
        "has",
        "not",
        "what",
        "will",
        "would",
        "be",
        "of",
        "to",
        "in",
        "it",
        "on",
        "they",
        "we",
        "our",
        "my",
    ]
)
_ID_WORDS = frozenset(
    [
        "yang",
        "dan",
        "di",
        "ke",
        "dari",
        "ini",
        "itu",
        "tidak",
        "ga",
        "gak",
        "nggak",
        "aja",
        "saja",
        "untuk",
        "dengan",
        "ada",
        "akan",
        "sudah",
        "kita",
        "kami",
        "saya",
        "aku",
        "kamu",
        "dia",
        "mereka",
        "juga",
        "jadi",
        "pak",
        "bu",
        "ya",
        "lah",
        "kok",
    ]
)
# words that look like names (capitalised) but carry election meaning: never masked
_KEEP_WORDS = (
    NEUTRAL_CUES
    | STANCE_WORDS
    | frozenset(
        [
            "presiden",
            "wakil",
            "capres",
            "cawapres",
            "gubernur",
            "bupati",
            "walikota",
            "pemilu",
            "pilkada",
            "pilpres",
            "pileg",
            "partai",
            "indonesia",
            "rakyat",
            "negara",
            "pemerintah",
            "dpr",
            "dprd",
            "mpr",
            "islam",
            "allah",
            "tuhan",
            "nabi",
            "jakarta",
            "jawa",
            "barat",
            "timur",
            "tengah",
            "selamat",
            "hari",
            "bapak",
            "ibu",
            "pak",
            "bu",
            "kang",
            "mas",
            "mbak",
            "bang",
            "gus",
            "cak",
            "the",
            "rt",
            "url",
            "user",
            "calon",
            "paslon",
            "koalisi",
            "oposisi",
            "demokrasi",
        ]
    )
)

_URL_RE = re.compile(r"https?://\S+|www\.\S+|\bURL\b", re.IGNORECASE)
_MENTION_RE = re.compile(r"@\w[\w.]*")
_EMAIL_RE = re.compile(r"\S+@\S+\.\w+|\bEMAIL\b")
_PHONE_RE = re.compile(r"\bPHONE\b|\+?\d[\d\- ]{8,}\d")
_HASHTAG_RE = re.compile(r"#(\w+)")
_CAMEL_RE = re.compile(r"[A-Z]+(?=[A-Z][a-z])|[A-Z]?[a-z]+|[A-Z]+|\d+")
_NUMBER_RE = re.compile(r"\b\d+([.,]\d+)*\b")
_TOKEN_RE = re.compile(r"\w+")
_CAP_TOKEN_RE = re.compile(r"(?<![#@\w])([A-Z][a-z]{2,})\b")
_LATIN_RE = re.compile(r"[A-Za-z]")

_PLACEHOLDER = {
    "name": " xcalonx ",
    "nickname": " xcalonx ",
    "account": " xcalonx ",
    "party": " xpartaix ",
    "slogan": " xkampanyex ",
    "hashtag": " xkampanyex ",
}


@dataclass
class TextResult:
    label: str
    score: float
    why: list[str]
    matches: list[LexiconMatch] = field(default_factory=list)
    model: str = ""
    probabilities: dict[str, float] = field(default_factory=dict)


@dataclass(frozen=True)
class ThresholdChoice:
    """How the partisan threshold was chosen, on out-of-source scores (or why it fell back)."""

    threshold: float
    oos_precision: float | None = None
    oos_recall: float | None = None
    note: str = ""


@dataclass(frozen=True)
class Calibration:
    method: str  # out-of-source
    posts: int  # posts scored out of source, the calibrator's training set
    choice: ThresholdChoice | str  # a str: the fallback, and why


@dataclass(frozen=True)
class TrainMetrics:
    """What `train()` saw and chose; kept in the model file (as a dict) and shown by the CLI."""

    posts: int
    per_label: dict[str, int]
    sources: list[str]
    threshold: float
    calibration: str
    calibration_posts: int
    threshold_choice: ThresholdChoice | str
    train_seconds: float

    def as_dict(self) -> dict[str, object]:
        return asdict(self)


@dataclass(frozen=True)
class Scores:
    """Predicted labels against the truth, on one set of posts."""

    posts: int
    macro_f1: float
    accuracy: float
    partisan_precision: float | None  # None when nothing was flagged partisan
    partisan_recall: float | None  # None when no post was partisan
    partisan_flagged: int
    per_label_f1: dict[str, float]
    threshold: float | None = None  # the threshold of the model that judged them, per source


@dataclass(frozen=True)
class SourceEvaluation:
    overall: Scores
    per_source: dict[str, Scores]


# --------------------------------------------------------------------------- normalisation


def _split_hashtag(tag: str) -> str:
    parts = _CAMEL_RE.findall(tag)
    return " ".join(parts) if parts else tag


def _mask(text: str, matches: Sequence[LexiconMatch]) -> str:
    if not matches:
        return text
    out: list[str] = []
    pos = 0
    for m in sorted(matches, key=lambda x: x.span):
        start, end = m.span
        if start < pos:
            continue
        out.append(text[pos:start])
        if m.kind == "number_call":
            out.append(" xajakannomorx " if m.call else " xnomorx ")
        else:
            out.append(_PLACEHOLDER[m.kind])
        pos = end
    out.append(text[pos:])
    return "".join(out)


def name_pattern(names: Iterable[str]) -> re.Pattern[str] | None:
    """Finds known names inside a hashtag written as one word ("#mendingprabowo")."""
    long = sorted({n for n in names if len(n) >= 4 and n.isalpha()}, key=len, reverse=True)
    return re.compile("|".join(map(re.escape, long))) if long else None


def _tag(tag: str, name_re: re.Pattern[str] | None) -> str:
    words = _split_hashtag(tag)
    if name_re is not None:
        low = tag.lower()
        rest = name_re.sub("", low)
        # a name plus words is campaign writing ("#AniesGagal", "#GwPilihGanjar"); names alone
        # ("#GanjarPranowo", "#Prabowo2024") are how news tags a person too
        if rest != low and len(re.sub(r"[\d_]+", "", rest)) >= 3:
            return " xtagx xkampanyex " + words + " "
    return " xtagx " + words + " "


def normalise(
    text: str,
    matches: Sequence[LexiconMatch],
    names: frozenset[str],
    name_re: re.Pattern[str] | None = None,
) -> str:
    """The text the model reads: placeholders for lexicon hits and learned names, cue tokens."""
    text = _mask(text, matches)
    if "URL" in text or "http" in text or "www" in text:
        text = _URL_RE.sub(" xurlx ", text)
    if "@" in text or "EMAIL" in text:
        text = _EMAIL_RE.sub(" xemailx ", text)
        text = _MENTION_RE.sub(" xuserx ", text)
    text = _PHONE_RE.sub(" xphonex ", text)
    if "#" in text:
        text = _HASHTAG_RE.sub(lambda m: _tag(m.group(1), name_re), text)
    text = _NUMBER_RE.sub(" 0 ", text).lower()
    tokens = _TOKEN_RE.findall(text)
    extra: list[str] = []
    if names:
        tokens = ["xcalonx" if t in names else t for t in tokens]
    tset = set(tokens)
    if tset & STANCE_WORDS:
        extra.append("xsikapx")
    if tset & NEUTRAL_CUES:
        extra.append("xnetralx")
    if "xcalonx" in tset or "xpartaix" in tset:
        extra.append("xadacalonx")
    return " ".join(tokens + extra)


def _case_counts(texts: Iterable[str]) -> tuple[Counter[str], Counter[str]]:
    """How often each word is written capitalised mid-sentence, and how often in lower case."""
    cap: Counter[str] = Counter()
    low: Counter[str] = Counter()
    for text in texts:
        text = _HASHTAG_RE.sub(lambda m: " " + _split_hashtag(m.group(1)) + " ", text)
        text = _URL_RE.sub(" ", _MENTION_RE.sub(" ", text))
        for sentence in re.split(r"[.!?;:\n\"]+", text):
            words = sentence.split()
            for i, w in enumerate(words):
                w = w.strip("()[]{},'\"“”")
                if not w.isalpha() or len(w) < 3:
                    continue
                if w.islower():
                    low[w] += 1
                elif i > 0 and _CAP_TOKEN_RE.fullmatch(w):
                    cap[w.lower()] += 1
    return cap, low


def learn_names(
    texts: Iterable[str], min_count: int = 3, min_ratio: float = 0.75
) -> frozenset[str]:
    """Words the corpus writes capitalised mid-sentence almost always: mostly person names.

    Used at training time only, so the model learns "praise + someone" rather than the names of
    the training elections' candidates. Election and cue words are never treated as names.
    """
    cap, low = _case_counts(texts)
    return frozenset(
        w
        for w, c in cap.items()
        if c >= min_count and c / (c + low[w]) >= min_ratio and w not in _KEEP_WORDS
    )


# Names or nicknames in the training-only election lists that are also everyday words: where
# they appear the everyday word is far likelier ("amin" after a prayer, "rindu" = longing).
EVERYDAY_NAME_WORDS = frozenset(["amin", "asyik", "rindu", "hasanah", "said", "murni"])


_EN_HINT = re.compile(r"\b(?:the|and|is|are|you|this|that|with|have|will)\b", re.IGNORECASE)


def _language_problem(text: str) -> str | None:
    if text.isascii():
        letters = sum(map(text.count, "aeiouAEIOU"))  # cheap: Latin text has vowels
        if letters == 0 and not any(c.isalpha() for c in text):
            return "teks tanpa huruf: tidak dinilai"
    else:
        latin = len(_LATIN_RE.findall(text))
        visible = len(text) - sum(map(text.count, " \n\t\r"))
        if visible and latin / visible < 0.3:
            return (
                "teks hampir tanpa huruf Latin (bahasa/aksara lain atau hanya emoji): tidak dinilai"
            )
    if not _EN_HINT.search(text):
        return None
    tokens = [t.lower() for t in _TOKEN_RE.findall(text)]
    if len(tokens) >= 4:
        en = sum(t in _EN_WORDS for t in tokens)
        idn = sum(t in _ID_WORDS for t in tokens)
        if en >= 3 and en >= 0.2 * len(tokens) and idn == 0:
            return "teks berbahasa Inggris: model dilatih untuk bahasa Indonesia dan daerah"
    return None


# --------------------------------------------------------------------------- model


class _Featurizer:
    """TF-IDF over word 1–2-grams and character 2–5-grams inside words (like scikit-learn's
    ``char_wb``), sublinear tf, each block L2-normalised.

    Written here rather than with `TfidfVectorizer` for speed: the character n-grams of each
    distinct word are looked up once and cached as feature ids, which makes transforming about
    ten times faster (the ≥ 5,000 posts/s goal). Input is `normalise()`d text (space-separated).
    """

    def __init__(
        self,
        char_range: tuple[int, int] = (2, 5),
        min_df_word: int = 2,
        min_df_char: int = 3,
        max_word: int = 60_000,
        max_char: int = 120_000,
    ) -> None:
        self.char_range = char_range
        self.min_df_word, self.min_df_char = min_df_word, min_df_char
        self.max_word, self.max_char = max_word, max_char
        self.word_vocab: dict[str, int] = {}
        self.char_vocab: dict[str, int] = {}
        self.word_idf = np.zeros(0, dtype=np.float32)
        self.char_idf = np.zeros(0, dtype=np.float32)
        self._cache: dict[str, list[int]] = {}

    def __getstate__(self) -> dict[str, Any]:
        state = self.__dict__.copy()
        state["_cache"] = {}
        return state

    def _grams(self, word: str) -> list[str]:
        padded = f" {word} "
        lo, hi = self.char_range
        return [
            padded[i : i + n]
            for n in range(lo, min(hi, len(padded)) + 1)
            for i in range(len(padded) - n + 1)
        ]

    @staticmethod
    def _words(tokens: list[str]) -> list[str]:
        return tokens + [f"{a} {b}" for a, b in pairwise(tokens)]

    def fit_transform(self, docs: Sequence[str]) -> sp.csr_matrix:
        word_df: Counter[str] = Counter()
        char_df: Counter[str] = Counter()
        for doc in docs:
            tokens = doc.split()
            word_df.update(set(self._words(tokens)))
            grams: set[str] = set()
            for w in set(tokens):
                grams.update(self._grams(w))
            char_df.update(grams)
        n = len(docs)

        def select(df: Counter[str], min_df: int, top: int) -> tuple[dict[str, int], NDArray[Any]]:
            kept = [(t, c) for t, c in df.items() if c >= min_df]
            kept.sort(key=lambda tc: (-tc[1], tc[0]))
            kept = sorted(kept[:top])
            vocab = {t: i for i, (t, _) in enumerate(kept)}
            dfs = np.array([c for _, c in kept], dtype=np.float64)
            idf = (np.log((1 + n) / (1 + dfs)) + 1).astype(np.float32)
            return vocab, idf

        self.word_vocab, self.word_idf = select(word_df, self.min_df_word, self.max_word)
        self.char_vocab, self.char_idf = select(char_df, self.min_df_char, self.max_char)
        self._cache = {}
        return self.transform(docs)

    def feature_names(self) -> list[str]:
        words = sorted(self.word_vocab, key=self.word_vocab.__getitem__)
        chars = sorted(self.char_vocab, key=self.char_vocab.__getitem__)
        return [f"kata '{w}'" for w in words] + [f"huruf '{c}'" for c in chars]

    def transform(self, docs: Sequence[str]) -> sp.csr_matrix:
        wv, cv, cache = self.word_vocab, self.char_vocab, self._cache
        w_cols: list[int] = []
        w_len: list[int] = []
        c_cols: list[int] = []
        c_len: list[int] = []
        for doc in docs:
            tokens = doc.split()
            before = len(w_cols)
            w_cols.extend(wv[t] for t in self._words(tokens) if t in wv)
            w_len.append(len(w_cols) - before)
            before = len(c_cols)
            for t in tokens:
                ids = cache.get(t)
                if ids is None:
                    ids = [cv[g] for g in self._grams(t) if g in cv]
                    if len(cache) < 500_000:
                        cache[t] = ids
                c_cols.extend(ids)
            c_len.append(len(c_cols) - before)
        word = self._block(w_cols, w_len, len(wv), self.word_idf)
        char = self._block(c_cols, c_len, len(cv), self.char_idf)
        return sp.hstack([word, char], format="csr")

    @staticmethod
    def _block(cols: list[int], lens: list[int], width: int, idf: NDArray[Any]) -> sp.csr_matrix:
        rows = np.repeat(np.arange(len(lens)), lens)
        m = sp.csr_matrix(
            (np.ones(len(cols), dtype=np.float32), (rows, np.asarray(cols, dtype=np.int64))),
            shape=(len(lens), width),
        )
        m.sum_duplicates()
        m.data = (1.0 + np.log(m.data)) * idf[m.indices]
        norms = np.sqrt(np.asarray(m.multiply(m).sum(axis=1)).ravel())
        norms[norms == 0] = 1.0
        m.data /= np.repeat(norms, np.diff(m.indptr)).astype(np.float32)
        return m


# Election groups for validation: a source is one election (or era) of writing, and a model is
# judged on a group it never saw. Sources not listed are their own group.
ELECTION_GROUPS: dict[str, str] = {
    # tweets of about 2017–2019: Pilkada DKI 2017, the 2018 pilkada, Pilpres 2019
    "okkyibrohim_idhsab": "2017-2019",
    # tweets matching "Pemilu 2024", September 2023
    "rizano26_pemilu2024": "2024",
    # news sentences and product/place reviews: no election, always a training group
    "indonlu_posp_news": "news-reviews",
    "indonlu_smsa": "news-reviews",
    # Kompasiana blog articles for or against Ahok, Jokowi, Prabowo, Ridwan Kamil, AHY (written
    # 2014–2018; `benchmarks/screening/corpus/build.py`): measured, not in the shipped model
    "jannati2018_stance": "2017-2019",
    "wardhana2016_stance": "2017-2019",
}
# sources that only ever train: held out with their election group, but never scored (their
# texts are not posts, so scoring them would change what a held-out group's figures mean)
TRAIN_ONLY_SOURCES = frozenset(["jannati2018_stance", "wardhana2016_stance"])
NO_ELECTION_GROUPS = frozenset(["news-reviews"])
LOW_CONFIDENCE_WEIGHT = 0.3  # rows whose re-read label was marked "low" confidence
# the training mix of labels is no prior for the next election (measured: held-out 2017–2019
# macro-F1 0.518 → 0.582, held-out 2024 0.535 → 0.520)
CALIBRATION_WEIGHT = "balanced"
PAST_ELECTIONS_FILE = Path(__file__).with_name("textmodel") / "past-elections.yaml"


def election_group(source: str) -> str:
    return ELECTION_GROUPS.get(source, source)


@dataclass(frozen=True)
class PastElection:
    """A training-only election list (public facts): its candidates' terms become placeholders."""

    era: str  # the election group whose posts it explains
    election: ElectionIn


def past_elections(path: Path = PAST_ELECTIONS_FILE) -> list[PastElection]:
    import yaml

    out = []
    for doc in yaml.safe_load_all(path.read_text(encoding="utf-8")):
        election = ElectionIn.model_validate(doc)
        era = "2024" if election.election.voting_day.year >= 2023 else "2017-2019"
        out.append(PastElection(era, election))
    return out


WEAK_TEMPLATES_FILE = Path(__file__).with_name("textmodel") / "weak-templates.yaml"
WEAK_WEIGHT = 0.3
WEAK_LABELS = True
WEAK_GROUP = "weak-labels"


def weak_posts(
    elections: Sequence[PastElection], *, seed: int = 0, path: Path = WEAK_TEMPLATES_FILE
) -> tuple[list[str], list[int]]:
    """Weak labels from election files: each template filled once per candidate pair."""
    import random

    import yaml

    templates = yaml.safe_load(path.read_text(encoding="utf-8"))
    rng = random.Random(seed)  # noqa: S311 - picks which nickname fills a template
    texts: list[str] = []
    labels: list[int] = []
    for past in elections:
        for cand in past.election.candidates:
            who = [*cand.names, *cand.nicknames]
            parties = cand.parties or ["partai pengusung"]
            for label, lines in templates.items():
                for line in lines:
                    c = rng.choice(who)
                    texts.append(line.format(c=c, p=rng.choice(parties), n=cand.number))
                    labels.append(LABELS.index(label))
    return texts, labels


@dataclass
class _Rows:
    texts: list[str]
    y: NDArray[Any]
    sources: NDArray[Any]
    weights: NDArray[Any]

    @property
    def groups(self) -> NDArray[Any]:
        return np.array([election_group(s) for s in self.sources.tolist()])

    @property
    def train_only(self) -> NDArray[Any]:
        return np.isin(self.sources, sorted(TRAIN_ONLY_SOURCES))

    def subset(self, mask: NDArray[Any]) -> _Rows:
        idx = np.flatnonzero(mask)
        return _Rows(
            [self.texts[i] for i in idx], self.y[idx], self.sources[idx], self.weights[idx]
        )


def _read_rows(
    csv_path: Path, sources: Iterable[str] | None = None, extra: Sequence[Path] = ()
) -> _Rows:
    """The labelled rows of `csv_path` and of the `extra` corpora (same columns), the extra
    corpora's sources always kept."""
    keep = set(sources) if sources is not None else None
    texts: list[str] = []
    labels: list[int] = []
    srcs: list[str] = []
    weights: list[float] = []
    for path in [csv_path, *extra]:
        with open(path, newline="", encoding="utf-8") as fh:
            for row in csv.DictReader(fh):
                label = (row.get("label") or "").strip()
                source = (row.get("source") or "").strip()
                if label not in LABELS:
                    continue
                if path == csv_path and keep is not None and source not in keep:
                    continue
                texts.append((row.get("text") or "")[:MAX_CHARS])
                labels.append(LABELS.index(label))
                srcs.append(source)
                low = (row.get("label_confidence") or "").strip() == "low"
                weights.append(LOW_CONFIDENCE_WEIGHT if low else 1.0)
    return _Rows(texts, np.array(labels, dtype=np.int64), np.array(srcs), np.array(weights))


def _read_csv(csv_path: Path) -> tuple[list[str], NDArray[Any], NDArray[Any]]:
    rows = _read_rows(csv_path)
    return rows.texts, rows.y, rows.sources


class _Model:
    """Featurizer + linear weights + calibrator, as plain arrays (no scikit-learn objects), so
    a saved model loads under any scikit-learn version."""

    def __init__(self, c: float = 0.3, seed: int = 0) -> None:
        self.featurizer = _Featurizer()
        self.c, self.seed = c, seed
        self.coef = np.zeros((len(LABELS), 0), dtype=np.float32)
        self.intercept = np.zeros(len(LABELS), dtype=np.float32)
        self.cal_coef: NDArray[Any] | None = None
        self.cal_intercept: NDArray[Any] | None = None
        self.names: frozenset[str] = frozenset()
        self.threshold = FALLBACK_THRESHOLD

    def features(self, normed: Sequence[str]) -> sp.csr_matrix:
        return self.featurizer.transform(normed)

    def fit_features(self, normed: Sequence[str]) -> sp.csr_matrix:
        return self.featurizer.fit_transform(normed)

    def fit_linear(self, X: sp.csr_matrix, y: NDArray[Any], w: NDArray[Any]) -> None:
        svm = _svm(self.c, self.seed).fit(X, y, sample_weight=w)
        self.coef = np.asarray(svm.coef_, dtype=np.float32)
        self.intercept = np.asarray(svm.intercept_, dtype=np.float32)

    def decision(self, X: sp.csr_matrix) -> NDArray[Any]:
        return np.asarray(X @ self.coef.T) + self.intercept

    def proba_from_scores(self, scores: NDArray[Any]) -> NDArray[Any]:
        z = scores if self.cal_coef is None else scores @ self.cal_coef.T + self.cal_intercept
        e = np.exp(z - z.max(axis=1, keepdims=True))
        return np.asarray(e / e.sum(axis=1, keepdims=True))


def _svm(c: float, seed: int) -> LinearSVC:
    return LinearSVC(C=c, class_weight="balanced", random_state=seed)


class _PastLexicon:
    """The training-only lexicon: the past elections' candidate terms, for masking only."""

    def __init__(self, elections: Sequence[PastElection], common: frozenset[str]) -> None:
        self.lexicon = Lexicon.from_elections([p.election for p in elections])
        self.common = common
        self.names = frozenset(
            n for n in self.lexicon.names if " " not in n and "-" not in n and n not in common
        )

    def _match(self, text: str) -> list[LexiconMatch]:
        if not self.lexicon:
            return generic_number_matches(text)
        return [
            m
            for m in self.lexicon.match(text)
            if m.kind in ("number_call", "hashtag") or m.term.lower() not in self.common
        ]

    def normalise_all(self, texts: Sequence[str], names: frozenset[str]) -> list[str]:
        # only masks: a past election's hashtag is a placeholder here, not a rule that fires
        name_re = name_pattern(names)
        return [normalise(t, self._match(t), names, name_re) for t in texts]


def _fit(
    texts: Sequence[str],
    y: NDArray[Any],
    groups: NDArray[Any],
    *,
    seed: int = 0,
    weights: NDArray[Any] | None = None,
    past: Sequence[PastElection] | None = None,
    weak: bool | None = None,
    train_only: NDArray[Any] | None = None,
) -> tuple[_Model, Calibration]:
    """Fit the model; calibrate and choose the threshold on out-of-election scores.

    `groups` are election groups (`election_group`); `past` the training-only election lists
    whose names are masked (default: all of `past-elections.yaml`); `train_only` marks texts
    that train the model but are not posts, so neither calibrate it nor choose its threshold.
    """
    weak = WEAK_LABELS if weak is None else weak
    w = np.ones(len(y)) if weights is None else np.asarray(weights, dtype=np.float64)
    lists = past_elections() if past is None else list(past)
    plex = _PastLexicon(lists, EVERYDAY_NAME_WORDS)
    model = _Model(seed=seed)
    model.names = learn_names(texts) | plex.names
    real = len(texts)
    if weak:
        wtexts, wlabels = weak_posts(lists, seed=seed)
        texts = [*texts, *wtexts]
        y = np.concatenate([y, np.array(wlabels, dtype=np.int64)])
        groups = np.concatenate([groups, np.full(len(wtexts), WEAK_GROUP)])
        w = np.concatenate([w, np.full(len(wtexts), WEAK_WEIGHT)])
    normed = plex.normalise_all(texts, model.names)
    X = model.fit_features(normed)
    model.fit_linear(X, y, w)

    # calibration and threshold on the real posts only; weak posts only ever train
    oof, method = _out_of_group_scores(X, y, groups, w, model.c, seed)
    posts = np.zeros(len(y), dtype=bool)
    posts[:real] = True if train_only is None else ~np.asarray(train_only, dtype=bool)
    oof, y, w = oof[posts], y[posts], w[posts]
    texts = [t for t, keep in zip(texts, posts, strict=True) if keep]
    choice: ThresholdChoice | str
    cal = LogisticRegression(C=1.0, max_iter=1000, class_weight=CALIBRATION_WEIGHT)
    cal.fit(oof, y, sample_weight=w)
    model.cal_coef = np.asarray(cal.coef_, dtype=np.float64)
    model.cal_intercept = np.asarray(cal.intercept_, dtype=np.float64)
    proba = model.proba_from_scores(oof)
    calls = np.array([any(m.call for m in generic_number_matches(t)) for t in texts], dtype=bool)
    choice = _choose_threshold(proba[:, PARTISAN], calls, y == PARTISAN)
    model.threshold = choice.threshold
    return model, Calibration(method, len(y), choice)


def _out_of_group_scores(
    X: sp.csr_matrix, y: NDArray[Any], groups: NDArray[Any], w: NDArray[Any], c: float, seed: int
) -> tuple[NDArray[Any], str]:
    """Decision scores of each post by a model that never saw its election group.

    When a group cannot be scored so (the other groups hold fewer than `MIN_FOLD_EXAMPLES` real
    posts of some label, e.g. news alone has no partisan posts, or the only partisan post outside
    it is one staff decision), its posts are scored by k-fold cross-fitting instead, which is
    in-source and therefore optimistic; the method string says which was used for how many posts.
    """
    from sklearn.model_selection import StratifiedKFold

    oof = np.full((len(y), len(LABELS)), np.nan)
    weak = groups == WEAK_GROUP  # weak posts train every fold, count for no label, are not scored
    oof[weak] = 0.0
    for group in sorted(set(groups[~weak].tolist())):
        test = groups == group
        if np.bincount(y[~test & ~weak], minlength=len(LABELS)).min() < MIN_FOLD_EXAMPLES:
            continue  # a model that saw one or two posts of a label scores nothing worth using
        oof[test] = (
            _svm(c, seed).fit(X[~test], y[~test], sample_weight=w[~test]).decision_function(X[test])
        )
    held = ~np.isnan(oof[:, 0])
    if held.all():
        return oof, f"out-of-election ({int((~weak).sum())} posts)"
    rest = np.flatnonzero(~held)
    present = np.bincount(y[rest], minlength=len(LABELS)) if len(rest) else np.zeros(1)
    k = max(2, min(5, int(present[present > 0].min()))) if len(rest) else 2
    folds = StratifiedKFold(n_splits=k, shuffle=True, random_state=seed)
    for tr, te in folds.split(rest, y[rest]):
        fit_idx = np.concatenate([np.flatnonzero(held), rest[tr]])
        if len(set(y[fit_idx].tolist())) < len(LABELS):  # a label with a single post: in-sample
            fit_idx = np.arange(len(y))
        svm = _svm(c, seed).fit(X[fit_idx], y[fit_idx], sample_weight=w[fit_idx])
        oof[rest[te]] = svm.decision_function(X[rest[te]])
    return (
        oof,
        f"out-of-election ({int((held & ~weak).sum())} posts) + {k}-fold in-source "
        f"({len(rest)} posts)",
    )


def _choose_threshold(p: NDArray[Any], rule: NDArray[Any], truth: NDArray[Any]) -> ThresholdChoice:
    """Lowest threshold whose held-out partisan precision (rules included) stays ≥ target."""
    goal = TARGET_PRECISION + THRESHOLD_MARGIN
    for t in np.round(np.arange(0.30, 0.99, 0.01), 2):
        pred = rule | (p >= t)
        if pred.sum() < 20:
            break
        prec = float((pred & truth).sum() / pred.sum())
        rec = float((pred & truth).sum() / max(1, truth.sum()))
        if prec >= goal:
            return ThresholdChoice(float(t), oos_precision=round(prec, 4), oos_recall=round(rec, 4))
    return ThresholdChoice(0.9, note=f"precision {goal:.2f} not reached; using 0.9")


# --------------------------------------------------------------------------- decision


def _cue_words(normed: str) -> tuple[list[str], list[str]]:
    tokens = set(normed.split())
    return sorted(tokens & STANCE_WORDS), sorted(tokens & NEUTRAL_CUES)


def _is_political(normed: str) -> bool:
    tokens = set(normed.split())
    return bool(tokens & POLITICAL_CUES or tokens & ROLE_TOKENS)


def _decide(
    proba: NDArray[Any] | None, matches: Sequence[LexiconMatch], threshold: float, normed: str
) -> tuple[str, float, list[str]]:
    why = [m.describe() for m in matches]
    call = any(m.kind == "number_call" and m.call for m in matches)
    campaign = any(m.kind in ("slogan", "hashtag") for m in matches)
    named = any(m.kind in ("name", "nickname", "party", "account") for m in matches)
    reference = any(m.kind == "number_call" and not m.call for m in matches)
    _, neutral = _cue_words(normed)

    if proba is None:  # lexicon and rules only
        if call or campaign:
            why.append("aturan: ajakan nomor urut / slogan / tagar calon berarti keberpihakan")
            return "partisan", RULE_SCORE, why
        if named or reference:
            why.append("aturan: menyebut calon tanpa ajakan (tanpa model: tidak dinilai lebih)")
            return "political_neutral", 0.6, why
        if neutral:
            why.append("kata konteks pemilu netral: " + ", ".join(neutral[:5]))
            return "political_neutral", 0.55, why
        return "other", 0.5, why

    p_part = float(proba[PARTISAN])
    if call or campaign:
        why.append("aturan: ajakan nomor urut / slogan / tagar calon berarti keberpihakan")
        return "partisan", max(p_part, RULE_SCORE), why
    if not (named or reference) and not _is_political(normed):
        why.append("tidak ada kata tentang pemilu, politik, calon atau partai")
        return "other", float(proba[2]), why
    if p_part >= threshold:
        why.append(f"model: P(partisan) {p_part:.2f} ≥ ambang {threshold:.2f}")
        return "partisan", p_part, why
    if named and int(np.argmax(proba)) == PARTISAN:
        why.append(f"calon disebut dan model condong partisan (P {p_part:.2f})")
        return "partisan", p_part, why
    rest = 1 if proba[1] >= proba[2] else 2
    if (named or reference) and rest == 2:
        rest = 1
    label = LABELS[rest]
    if p_part >= 0.35 and label != "partisan":
        why.append(f"model: P(partisan) {p_part:.2f} di bawah ambang {threshold:.2f}")
    if neutral and label == "political_neutral":
        why.append("kata konteks pemilu netral: " + ", ".join(neutral[:5]))
    return label, float(proba[rest]), why


# --------------------------------------------------------------------------- public API

SHIPPED_MODEL_DIR = Path(__file__).with_name("textmodel")
_NPZ, _META = "text-model.npz", "text-model.json"


def train(
    csv_path: Path,
    out_path: Path,
    *,
    seed: int = 0,
    sources: Iterable[str] | None = None,
    portable: bool = False,
    extra_metadata: dict[str, Any] | None = None,
    extra: Sequence[Path] = (),
) -> TrainMetrics:
    """Fit, calibrate, choose the partisan threshold, save; returns the metrics.

    `sources` keeps only those sources' rows (licences: see the shipped model's card).
    `portable` writes a directory of plain arrays (`text-model.npz` + `text-model.json`) that
    loads without pickles under any scikit-learn version; otherwise one joblib file.
    `extra` corpora (same columns, e.g. `benchmarks/screening/corpus/*.csv`) train as well.
    """
    t0 = time.perf_counter()
    rows = _read_rows(Path(csv_path), sources, extra)
    y = rows.y
    if len(set(y[~rows.train_only].tolist())) < len(LABELS):
        raise ValueError(f"{csv_path}: needs posts of every label {LABELS}")
    model, calibration = _fit(
        rows.texts, y, rows.groups, seed=seed, weights=rows.weights, train_only=rows.train_only
    )
    metrics = TrainMetrics(
        posts=len(rows.texts),
        per_label={lab: int((y == i).sum()) for i, lab in enumerate(LABELS)},
        sources=sorted(set(rows.sources.tolist())),
        threshold=model.threshold,
        calibration=calibration.method,
        calibration_posts=calibration.posts,
        threshold_choice=calibration.choice,
        train_seconds=round(time.perf_counter() - t0, 2),
    )
    meta: dict[str, Any] = {
        "version": MODEL_VERSION,
        "created": datetime.now(UTC).isoformat(timespec="seconds"),
        "labels": list(LABELS),
        "threshold": model.threshold,
        "target_precision": TARGET_PRECISION,
        "max_chars": MAX_CHARS,
        "metrics": metrics.as_dict(),  # a dict: the file must not need these classes to load
        "trained_on": Path(csv_path).name,
        "sklearn_version": _sklearn_version(),
        **(extra_metadata or {}),
    }
    out_path = Path(out_path)
    if portable:
        _save_portable(model, meta, out_path)
    else:
        out_path.parent.mkdir(parents=True, exist_ok=True)
        joblib.dump({**meta, "model": model}, out_path, compress=3)
    return metrics


def _sklearn_version() -> str:
    import sklearn

    return str(sklearn.__version__)


def _joined(items: Iterable[str]) -> NDArray[Any]:
    return np.frombuffer("\n".join(items).encode("utf-8"), dtype=np.uint8)


def _split(arr: NDArray[Any]) -> list[str]:
    text = arr.tobytes().decode("utf-8")
    return text.split("\n") if text else []


def _save_portable(model: _Model, meta: dict[str, Any], out_dir: Path) -> None:
    import json

    f = model.featurizer
    out_dir.mkdir(parents=True, exist_ok=True)
    words = sorted(f.word_vocab, key=f.word_vocab.__getitem__)
    chars = sorted(f.char_vocab, key=f.char_vocab.__getitem__)
    assert model.cal_coef is not None and model.cal_intercept is not None
    np.savez_compressed(
        out_dir / _NPZ,
        word_vocab=_joined(words),
        char_vocab=_joined(chars),
        word_idf=f.word_idf.astype(np.float32),
        char_idf=f.char_idf.astype(np.float32),
        char_range=np.array(f.char_range, dtype=np.int64),
        coef=model.coef.astype(np.float32),
        intercept=model.intercept.astype(np.float32),
        cal_coef=model.cal_coef.astype(np.float64),
        cal_intercept=model.cal_intercept.astype(np.float64),
        names=_joined(sorted(model.names)),
        threshold=np.array([model.threshold], dtype=np.float64),
    )
    (out_dir / _META).write_text(
        json.dumps(meta, ensure_ascii=False, indent=1, default=str) + "\n", encoding="utf-8"
    )


def _load_portable(model_dir: Path) -> tuple[_Model, dict[str, Any]]:
    import json

    meta = json.loads((model_dir / _META).read_text(encoding="utf-8"))
    if meta.get("version") != MODEL_VERSION:
        raise ValueError(
            f"{model_dir}: model version {meta.get('version')!r}, expected {MODEL_VERSION!r}; "
            "retrain with `python benchmarks/screening/train_shipped.py`"
        )
    with np.load(model_dir / _NPZ, allow_pickle=False) as z:
        model = _Model()
        f = model.featurizer
        f.char_range = (int(z["char_range"][0]), int(z["char_range"][1]))
        f.word_vocab = {t: i for i, t in enumerate(_split(z["word_vocab"]))}
        f.char_vocab = {t: i for i, t in enumerate(_split(z["char_vocab"]))}
        f.word_idf, f.char_idf = z["word_idf"], z["char_idf"]
        model.coef, model.intercept = z["coef"], z["intercept"]
        model.cal_coef, model.cal_intercept = z["cal_coef"], z["cal_intercept"]
        model.names = frozenset(_split(z["names"]))
        model.threshold = float(z["threshold"][0])
    return model, meta


def evaluate_by_source(
    csv_path: Path,
    *,
    seed: int = 0,
    by: str = "election",
    train_sources: Iterable[str] | None = None,
    election_files: bool = True,
    extra: Sequence[Path] = (),
) -> SourceEvaluation:
    """Leave-one-election-out (``by="election"``, groups `ELECTION_GROUPS`) or leave-one-source-out
    (``by="source"``): each group judged by a model (calibration and threshold included) trained
    on the other groups only. Macro-F1 and partisan P/R overall (pooled) and per group.

    With ``by="election"`` only groups with an election are held out (news and reviews always
    train), and, with `election_files`, the held-out era's candidate lists are loaded as the
    operator's `--election` files would be while the training side never saw them.
    `train_sources` restricts training to those sources (e.g. the ones a shipped model may use);
    every group is still judged. `extra` corpora train (when their group is not held out) and
    are never judged (`TRAIN_ONLY_SOURCES`).
    """
    rows = _read_rows(Path(csv_path), extra=extra)
    groups = rows.groups if by == "election" else rows.sources
    judged = ~rows.train_only
    allowed = set(train_sources) if train_sources is not None else None
    if allowed is not None:
        allowed |= set(rows.sources[~judged].tolist())
    past = past_elections()
    pred = np.full(len(rows.y), -1)
    per_group: dict[str, Scores] = {}
    for group in sorted(set(groups[judged].tolist())):
        if by == "election" and group in NO_ELECTION_GROUPS:
            continue
        held = groups == group
        test = held & judged
        fit = ~held
        if allowed is not None:
            fit &= np.isin(rows.sources, sorted(allowed))
        if len(set(rows.y[fit & judged].tolist())) < len(LABELS):
            continue  # the calibration needs posts of every label (training-only rows are none)
        train_rows = rows.subset(fit)
        era_lists = [p for p in past if p.era == group]
        model, _ = _fit(
            train_rows.texts,
            train_rows.y,
            train_rows.groups,
            seed=seed,
            weights=train_rows.weights,
            past=[p for p in past if p.era != group],
            train_only=train_rows.train_only,
        )
        elections = [p.election for p in era_lists] if election_files else []
        screener = TextScreener._from_model(model, "held-out", elections=elections)
        res = screener.classify_many([rows.texts[i] for i in np.flatnonzero(test)])
        pred[test] = [LABELS.index(r.label) for r in res]
        per_group[group] = replace(_scores(rows.y[test], pred[test]), threshold=model.threshold)
    done = pred >= 0
    return SourceEvaluation(overall=_scores(rows.y[done], pred[done]), per_source=per_group)


def _scores(y: NDArray[Any], pred: NDArray[Any]) -> Scores:
    present = sorted(set(y.tolist()) | set(pred.tolist()))
    p, r, f, _ = precision_recall_fscore_support(y, pred, labels=[0, 1, 2], zero_division=0)
    return Scores(
        posts=len(y),
        macro_f1=round(float(f1_score(y, pred, labels=present, average="macro")), 4),
        accuracy=round(float((y == pred).mean()), 4),
        partisan_precision=round(float(p[0]), 4) if (pred == 0).any() else None,
        partisan_recall=round(float(r[0]), 4) if (y == 0).any() else None,
        partisan_flagged=int((pred == 0).sum()),
        per_label_f1={LABELS[i]: round(float(f[i]), 4) for i in range(3)},
    )


# what a person reads for the placeholders the model sees instead of names and numbers
_PLACEHOLDER_WORDS = {
    "xcalonx": "[nama calon]",
    "xpartaix": "[nama partai]",
    "xkampanyex": "[slogan atau tagar kampanye]",
    "xnomorx": "[nomor urut]",
    "xajakannomorx": "[ajakan memilih nomor urut]",
    "xsikapx": "[kata dukungan atau penolakan]",
    "xnetralx": "[kata penyelenggaraan pemilu]",
    "xadacalonx": "[menyebut calon atau partai]",
    "xtagx": "[tagar]",
    "xuserx": "[akun]",
}
_PLACEHOLDER_RE = re.compile(r"x[a-z]+x")


def _readable_feature(name: str) -> str:
    """A feature as staff read it: placeholders in words, no letter fragments of placeholders."""
    kind, _, rest = name.partition(" ")
    value = rest.strip("'")
    if kind == "kata":
        words = [_PLACEHOLDER_WORDS.get(w, w) for w in value.split()]
        if any(_PLACEHOLDER_RE.fullmatch(w) for w in words):
            return ""  # a placeholder without words for it: not worth showing
        return "kata " + " ".join(w if w.startswith("[") else f"'{w}'" for w in words)
    if "x" in value:  # letters inside a placeholder ('xa', 'nom' of xnomorx) mean nothing to people
        return ""
    return name


class TextScreener:
    """Screens posts. Loads the model once; `classify_many` is the fast path (batches).

    `model_path`: an operator's joblib file (`netral models train`), or a portable model
    directory such as the shipped one (`SHIPPED_MODEL_DIR`, see `TextScreener.shipped`).
    With ``model_path=None`` only the lexicon and the generic rules run (see module doc).
    """

    def __init__(
        self, model_path: Path | None = None, *, elections: Sequence[ElectionIn] = ()
    ) -> None:
        self.lexicon = Lexicon.from_elections(elections)
        self._model: _Model | None = None
        self.model = "netral-text rules-only"
        self.threshold = FALLBACK_THRESHOLD
        self.metadata: dict[str, Any] = {}
        self._name_re: re.Pattern[str] | None = None
        if model_path is None:
            return
        path = Path(model_path)
        if path.is_dir():
            model, meta = _load_portable(path)
            kind = meta.get("kind", "portable")
            self._set_model(model, f"netral-{MODEL_VERSION} {kind} ({meta['created'][:10]})")
            self.metadata = meta
            return
        payload = joblib.load(path)
        if payload.get("version") != MODEL_VERSION:
            raise ValueError(
                f"{model_path}: model version {payload.get('version')!r}, expected "
                f"{MODEL_VERSION!r}; retrain with `netral models train`"
            )
        self._set_model(payload["model"], f"netral-{MODEL_VERSION} operator ({payload['created']})")
        self.metadata = {k: v for k, v in payload.items() if k != "model"}

    @classmethod
    def shipped(cls, *, elections: Sequence[ElectionIn] = ()) -> TextScreener:
        """The model that comes with the package; the lexicon and rules alone if it is absent."""
        if (SHIPPED_MODEL_DIR / _NPZ).is_file():
            return cls(SHIPPED_MODEL_DIR, elections=elections)
        return cls(None, elections=elections)

    @classmethod
    def _from_model(
        cls, model: _Model, name: str, *, elections: Sequence[ElectionIn] = ()
    ) -> TextScreener:
        self = cls(elections=elections)
        self._set_model(model, name)
        return self

    def _set_model(self, model: _Model, name: str) -> None:
        self._model = model
        self.model = name
        self.threshold = model.threshold
        self._names = model.names | frozenset(n for n in self.lexicon.names if " " not in n)
        self._name_re = name_pattern(self._names)
        self._feature_names = model.featurizer.feature_names()
        self._coef = np.asarray(model.coef, dtype=np.float32)

    def classify(self, text: str) -> TextResult:
        return self.classify_many([text])[0]

    def classify_many(self, texts: Sequence[str]) -> list[TextResult]:
        results: list[TextResult | None] = [None] * len(texts)
        todo: list[int] = []
        cut_note: dict[int, str] = {}
        clipped: list[str] = []
        for i, raw in enumerate(texts):
            text = raw if isinstance(raw, str) else ""
            if len(text) > MAX_CHARS:
                cut_note[i] = f"teks dipotong: hanya {MAX_CHARS} karakter pertama yang dinilai"
                text = text[:MAX_CHARS]
            clipped.append(text)
            if not text.strip():
                results[i] = TextResult("other", 1.0, ["teks kosong"], [], self.model)
                continue
            problem = _language_problem(text)
            if problem is not None:
                results[i] = TextResult("other", 0.5, [problem], [], self.model)
                continue
            todo.append(i)

        if todo:
            matches = [self.lexicon.match(clipped[i]) for i in todo]
            names = self._names if self._model is not None else frozenset()
            name_re = self._name_re if self._model is not None else None
            normed = [
                normalise(clipped[i], m, names, name_re) for i, m in zip(todo, matches, strict=True)
            ]
            proba = None
            X = None
            if self._model is not None:
                X = self._model.features(normed)
                proba = self._model.proba_from_scores(self._model.decision(X))
            for k, i in enumerate(todo):
                p = proba[k] if proba is not None else None
                label, score, why = _decide(p, matches[k], self.threshold, normed[k])
                if X is not None:
                    why.extend(self._top_features(X, k, LABELS.index(label)))
                if i in cut_note:
                    why.append(cut_note[i])
                probs = (
                    {lab: round(float(p[j]), 4) for j, lab in enumerate(LABELS)}
                    if p is not None
                    else {}
                )
                results[i] = TextResult(label, round(score, 4), why, matches[k], self.model, probs)
        return [r for r in results if r is not None]

    def _top_features(self, X: sp.csr_matrix, row: int, label: int, n: int = 4) -> list[str]:
        start, end = X.indptr[row], X.indptr[row + 1]
        idx = X.indices[start:end]
        if len(idx) == 0:
            return []
        contrib = X.data[start:end] * self._coef[label, idx]
        # among the strongest, words before letter groups: a person reads words
        strongest = [j for j in np.argsort(-contrib)[: 4 * n] if contrib[j] > 0]
        readable = [_readable_feature(str(self._feature_names[idx[j]])) for j in strongest]
        ranked = [r for r in readable if r.startswith("kata")] + [
            r for r in readable if r and not r.startswith("kata")
        ]
        names = list(dict.fromkeys(ranked))[:n]
        if not names:
            return []
        return [f"ciri teratas untuk '{LABELS[label]}': " + ", ".join(names)]

    def finding(self, text: str) -> Finding:
        t0 = time.perf_counter()
        res = self.classify(text)
        return self.finding_of(res, ms=(time.perf_counter() - t0) * 1000)

    def finding_of(self, res: TextResult, *, ms: float = 0.0) -> Finding:
        """A result of `classify_many` as a finding (bulk scans classify posts in batches)."""
        return Finding(
            kind="text",
            label=res.label,
            score=res.score,
            why=res.why,
            data={
                "matches": [
                    {"term": m.term, "kind": m.kind, "candidate": m.candidate, "span": list(m.span)}
                    for m in res.matches
                ],
                "probabilities": res.probabilities,
                "threshold": self.threshold,
            },
            model=res.model,
            ms=round(ms, 3),
        )
