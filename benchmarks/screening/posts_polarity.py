"""Posts: does a polarity (sentiment) signal help the partisan model on an election it never saw?

Run: python benchmarks/screening/corpus/polarity.py INDONLU_GIT_DIR NUSAX_GIT_DIR  # the corpus
     python benchmarks/screening/posts_polarity.py [--variants none p4 logit local subj
            subjnamed prior0.5 prior1.0] [--polarity-sources indonlu_smsa,indonlu_emot,nusax_id]
            [--binary]

Issue 11: the held-out 2024 partisan posts the model misses mostly *praise* someone named, while
the 2017–2019 tweets teach partisan as attacks. The idea measured here: a polarity model learned
from licensed Indonesian sentiment sentences (SmSA, EmoT, NusaX-senti; CC BY-SA 4.0, see
`corpus/LICENSES.md`) gives the tone of a post, whoever it is about; combined with "a candidate
or party is named here" (the role tokens), praise and blame of someone named should read alike.

The polarity model: word 1–2-gram TF-IDF (sublinear, L2) and a multinomial logistic regression
(C 1, balanced) over positive / neutral / negative. Its outputs join the text model's features
(dense columns after the TF-IDF blocks); everything else is the shipped recipe, judged by
`evaluate_by_source` (leave-one-election-out, calibration and threshold chosen without the
held-out group). Variants (`--variants`):

- ``p4``: P(positive), P(negative), and both again × "a candidate or party is named";
- ``logit``: the positive-minus-negative log-odds split by sign, 1 − P(neutral) × named, and
  the log-odds × named;
- ``local``: P(positive), P(negative) of the post, and of the 4 words either side of each name;
- ``subj``: 1 − P(neutral) (tone of either sign) and the same × named;
- ``subjnamed``: only 1 − P(neutral) × named;
- ``prior0.5`` / ``prior1.0``: 1 − P(neutral) × named added to the partisan SVM score with that
  fixed weight (not learned from the era's posts), in training and in the held-out scoring.

``--binary`` fits positive against negative only (the neutral sentences left out), so every
post with a known word gets a sign; ``--polarity-sources`` picks the corpus's sources.

Not in the shipped model: no variant raised macro-F1 on both groups (BENCHMARKS.md, "Posts").
"""

from __future__ import annotations

import csv
import re
import sys
import time
from collections import Counter
from collections.abc import Sequence
from itertools import pairwise
from pathlib import Path
from typing import Any

import numpy as np
import scipy.sparse as sp
from numpy.typing import NDArray
from posts_variants import ROOT, parser, print_header, print_rows, restored  # beside this script

from netral.screening import text as T

CORPUS = ROOT / "benchmarks" / "screening" / "corpus" / "polarity.csv"
POLARITIES = ("positive", "neutral", "negative")
_TOKEN_RE = re.compile(r"\w+")
_NUMBER_RE = re.compile(r"\b\d+([.,]\d+)*\b")
ROLE_NAMED = ("xcalonx", "xpartaix")


def tokens(text: str) -> list[str]:
    """Lower-case words, numbers as ``0``: as `netral.screening.text.normalise` writes them."""
    return _TOKEN_RE.findall(_NUMBER_RE.sub(" 0 ", text).lower())


class Polarity:
    """Word 1–2-gram TF-IDF + multinomial logistic regression: P(positive, neutral, negative)."""

    def __init__(self) -> None:
        self.vocab: dict[str, int] = {}
        self.idf = np.zeros(0, dtype=np.float32)
        self.coef = np.zeros((3, 0), dtype=np.float32)
        self.intercept = np.zeros(3, dtype=np.float32)

    @staticmethod
    def _grams(words: list[str]) -> list[str]:
        return words + [f"{a} {b}" for a, b in pairwise(words)]

    def fit(self, texts: Sequence[str], labels: Sequence[str], c: float = 1.0) -> Polarity:
        from sklearn.linear_model import LogisticRegression

        docs = [tokens(t) for t in texts]
        df: Counter[str] = Counter()
        for words in docs:
            df.update(set(self._grams(words)))
        kept = sorted(t for t, n in df.items() if n >= 2)
        self.vocab = {t: i for i, t in enumerate(kept)}
        counts = np.array([df[t] for t in kept], dtype=np.float64)
        self.idf = (np.log((1 + len(docs)) / (1 + counts)) + 1).astype(np.float32)
        lr = LogisticRegression(C=c, max_iter=2000, class_weight="balanced")
        y = [POLARITIES.index(lab) for lab in labels]
        lr.fit(self.transform(docs), y)
        if len(set(y)) == 2:  # positive against negative only: a post always has a sign
            w, b = lr.coef_[0] / 2, lr.intercept_[0] / 2
            self.coef = np.stack([-w, 0 * w, w]).astype(np.float32)
            self.intercept = np.array([-b, -1e9, b], dtype=np.float32)
            return self
        self.coef = np.asarray(lr.coef_, dtype=np.float32)
        self.intercept = np.asarray(lr.intercept_, dtype=np.float32)
        return self

    def transform(self, docs: Sequence[list[str]]) -> sp.csr_matrix:
        cols: list[int] = []
        lens: list[int] = []
        for words in docs:
            before = len(cols)
            cols.extend(self.vocab[g] for g in self._grams(words) if g in self.vocab)
            lens.append(len(cols) - before)
        m = sp.csr_matrix(
            (
                np.ones(len(cols), dtype=np.float32),
                (np.repeat(np.arange(len(lens)), lens), np.asarray(cols, dtype=np.int64)),
            ),
            shape=(len(lens), len(self.vocab)),
        )
        m.sum_duplicates()
        m.data = (1.0 + np.log(m.data)) * self.idf[m.indices]
        norms = np.sqrt(np.asarray(m.multiply(m).sum(axis=1)).ravel())
        norms[norms == 0] = 1.0
        m.data /= np.repeat(norms, np.diff(m.indptr)).astype(np.float32)
        return m

    def proba(self, docs: Sequence[list[str]]) -> NDArray[Any]:
        """Per document; one with no known word has no tone (neutral)."""
        X = self.transform(docs)
        z = np.asarray(X @ self.coef.T, dtype=np.float64) + self.intercept
        z[np.diff(X.indptr) == 0] = (0.0, 1.0, 0.0)
        e = np.exp(z - z.max(axis=1, keepdims=True))
        return np.asarray(e / e.sum(axis=1, keepdims=True))


def tone(polarity: Polarity, normed: Sequence[str], mode: str) -> NDArray[Any]:
    docs = [d.split() for d in normed]
    p = polarity.proba(docs)
    named = np.array(["xadacalonx" in d for d in normed], dtype=np.float64)
    pos, neg, subj = p[:, 0], p[:, 2], 1.0 - p[:, 1]
    if mode == "local":
        wins = [
            [w for i, t in enumerate(ws) if t in ROLE_NAMED for w in ws[max(0, i - 4) : i + 5]]
            for ws in docs
        ]
        lp = polarity.proba(wins)
        cols = [pos, neg, lp[:, 0] * named, lp[:, 2] * named]
    elif mode == "logit":
        odds = np.log(p + 1e-6)
        d = odds[:, 0] - odds[:, 2]
        cols = [np.maximum(d, 0) / 4, np.maximum(-d, 0) / 4, subj * named, d / 4 * named]
    elif mode == "subj":
        cols = [subj, subj * named]
    elif mode == "subjnamed" or mode.startswith("prior"):
        cols = [subj * named]
    else:  # p4
        cols = [pos, neg, pos * named, neg * named]
    return np.stack(cols, axis=1)


class ToneFeaturizer(T._Featurizer):
    """The text model's TF-IDF blocks followed by the tone columns."""

    polarity: Polarity
    mode: str

    def transform(self, docs: Sequence[str]) -> sp.csr_matrix:
        X = super().transform(docs)
        return sp.hstack([X, sp.csr_matrix(tone(self.polarity, docs, self.mode))], format="csr")

    def feature_names(self) -> list[str]:
        n = tone(self.polarity, ["x"], self.mode).shape[1]
        return super().feature_names() + [f"nada {i}" for i in range(n)]


def with_tone(polarity: Polarity, mode: str) -> None:
    """Every model `text._fit` builds from now on reads the tone columns too."""
    plain_model, plain_oog = T._Model, T._out_of_group_scores
    prior = float(mode[5:]) if mode.startswith("prior") else 0.0

    class ToneModel(plain_model):  # type: ignore[misc,valid-type]
        def __init__(self, c: float = 0.3, seed: int = 0) -> None:
            super().__init__(c, seed)
            self.featurizer = ToneFeaturizer()
            self.featurizer.polarity, self.featurizer.mode = polarity, mode

        def fit_linear(self, X: sp.csr_matrix, y: NDArray[Any], w: NDArray[Any]) -> None:
            if not prior:
                return super().fit_linear(X, y, w)
            super().fit_linear(X[:, :-1], y, w)  # the tone column's weight is fixed, not learned
            fixed = np.array([[prior], [0.0], [0.0]], dtype=np.float32)
            self.coef = np.hstack([self.coef, fixed])

    def oog(X: sp.csr_matrix, *args: Any) -> tuple[NDArray[Any], str]:
        if not prior:
            return plain_oog(X, *args)
        scores, method = plain_oog(X[:, :-1], *args)
        scores[:, T.PARTISAN] += prior * X[:, -1].toarray().ravel()
        return scores, method

    T._Model = ToneModel  # type: ignore[misc]
    T._out_of_group_scores = oog


def main() -> int:
    ap = parser(__doc__)
    ap.add_argument("--corpus", type=Path, default=CORPUS)
    ap.add_argument("--polarity-sources", default="indonlu_smsa,indonlu_emot,nusax_id")
    ap.add_argument("--variants", nargs="*", default=["none", "p4"])
    ap.add_argument("--binary", action="store_true", help="positive against negative only")
    args = ap.parse_args()
    if not args.corpus.is_file():
        print(f"{args.corpus}: build it with corpus/polarity.py", file=sys.stderr)
        return 2
    keep = set(args.polarity_sources.split(","))
    with open(args.corpus, newline="", encoding="utf-8") as fh:
        rows = [r for r in csv.DictReader(fh) if r["source"] in keep]
    if args.binary:
        rows = [r for r in rows if r["polarity"] != "neutral"]
    texts, labels = [r["text"] for r in rows], [r["polarity"] for r in rows]

    # the polarity model on its own data: 85/15 split, seeded
    from sklearn.metrics import f1_score

    order = np.random.default_rng(0).permutation(len(rows))
    cut = int(0.85 * len(rows))
    probe = Polarity().fit([texts[i] for i in order[:cut]], [labels[i] for i in order[:cut]])
    test = order[cut:]
    pred = probe.proba([tokens(texts[i]) for i in test]).argmax(axis=1)
    truth = [POLARITIES.index(labels[i]) for i in test]
    print(
        f"polarity model, {len(rows)} sentences ({args.polarity_sources}); held-out 15%: "
        f"macro-F1 {f1_score(truth, pred, average='macro'):.3f}"
    )
    polarity = Polarity().fit(texts, labels)
    print_header("variant")
    for variant in args.variants:
        with restored("_Model", "_out_of_group_scores"):
            if variant != "none":
                with_tone(polarity, variant)
            t0 = time.perf_counter()
            ev = T.evaluate_by_source(args.csv)
        print_rows(ev, variant)
        print(f"<!-- {variant}: {time.perf_counter() - t0:.0f} s -->", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
