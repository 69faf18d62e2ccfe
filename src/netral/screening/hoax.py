"""Shared hoaxes: does a post (or a screenshot's text) repeat a claim that has been debunked?

Staff import the debunked claims as CSV (e.g. a fact-checker's export): columns ``claim``,
``verdict``, ``source_url``, ``date``. Header names are tolerant (klaim/claim/judul,
status/verdict/label/kesimpulan, url/source_url/link/sumber, tanggal/date; any case); only the
claim is required. Bad rows are reported all at once with their line numbers
(`ValidationFailed`, code ``hoax_csv_invalid``).

Matching: TF-IDF over word 1–2-grams and over character 3–5-grams inside words, fitted on the
claims. The score is the mean of the two cosine similarities, computed for the whole post and
for each of its sentences, best of both. Words of the post that no claim uses still count in the
post's length (at the highest idf), so a long post does not match a claim just because it
contains a few of its words. A post matches when the best claim scores ≥ `THRESHOLD` (0.45):
on the paraphrases and unrelated posts of the tests, paraphrases of a claim score about
0.50–0.80 and unrelated election posts (even ones sharing words such as "surat suara", "TPS")
0.35 at most. Nothing is downloaded at run time.
"""

from __future__ import annotations

import csv
import math
import re
import time
from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

import numpy as np
import scipy.sparse as sp
from numpy.typing import NDArray
from sklearn.feature_extraction.text import TfidfVectorizer

from netral.core.errors import Problem, ValidationFailed, problem
from netral.screening.findings import Finding

THRESHOLD = 0.45
MAX_CHARS = 5_000
MODEL = "netral-hoax tfidf-1"

_ALIASES = {
    "claim": ("claim", "klaim", "judul", "title", "hoaks", "hoax"),
    "verdict": ("verdict", "status", "label", "rating", "kesimpulan", "putusan"),
    "source_url": ("source_url", "url", "link", "sumber", "source", "tautan"),
    "date": ("date", "tanggal", "tgl", "published", "waktu"),
}
_SENTENCE = re.compile(r"(?<=[.!?])\s+|\n+")
_URL = re.compile(r"https?://\S+|www\.\S+")


@dataclass(frozen=True)
class HoaxClaim:
    claim: str
    verdict: str
    source_url: str
    date: date | None


@dataclass(frozen=True)
class HoaxMatch:
    claim: str
    verdict: str
    source_url: str
    date: date | None
    score: float


def _clean(text: str) -> str:
    return _URL.sub(" ", text[:MAX_CHARS]).lower()


def _parse_date(value: str) -> date:
    for fmt in ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y", "%Y/%m/%d", "%d.%m.%Y"):
        try:
            return datetime.strptime(value, fmt).date()
        except ValueError:
            continue
    return datetime.fromisoformat(value).date()


class HoaxIndex:
    """The debunked claims, indexed for similarity search."""

    def __init__(self, claims: list[HoaxClaim], threshold: float = THRESHOLD) -> None:
        self.claims = claims
        self.threshold = threshold
        self._vecs: list[tuple[TfidfVectorizer, sp.csr_matrix, dict[str, int], NDArray[Any]]] = []
        if not claims:
            return
        texts = [_clean(c.claim) for c in claims]
        for vec in (
            TfidfVectorizer(analyzer="word", ngram_range=(1, 2), sublinear_tf=True),
            TfidfVectorizer(analyzer="char_wb", ngram_range=(3, 5), sublinear_tf=True),
        ):
            matrix = vec.fit_transform(texts).tocsr()
            self._vecs.append((vec, matrix, dict(vec.vocabulary_), np.asarray(vec.idf_)))

    def __len__(self) -> int:
        return len(self.claims)

    @classmethod
    def from_csv(cls, path: Path) -> HoaxIndex:
        path = Path(path)
        with open(path, newline="", encoding="utf-8-sig") as fh:
            reader = csv.reader(fh)
            header = next(reader, None)
            if header is None:
                raise ValidationFailed(
                    problem(
                        "hoax_csv_empty",
                        f"{path.name}: berkas kosong, tidak ada kepala kolom",
                        f"{path.name}: empty file, no header row",
                    )
                )
            columns = cls._columns(header, path)
            claims: list[HoaxClaim] = []
            problems: list[Problem] = []
            for line, row in enumerate(reader, start=2):
                if not any(cell.strip() for cell in row):
                    continue
                claim, err = cls._row(row, columns, line)
                if err:
                    problems.extend(err)
                elif claim is not None:
                    claims.append(claim)
        if problems:
            raise ValidationFailed(*problems)
        return cls(claims)

    @staticmethod
    def _columns(header: list[str], path: Path) -> dict[str, int]:
        names = [h.strip().lower().replace(" ", "_") for h in header]
        columns: dict[str, int] = {}
        for key, aliases in _ALIASES.items():
            for alias in aliases:
                if alias in names:
                    columns[key] = names.index(alias)
                    break
        if "claim" not in columns:
            raise ValidationFailed(
                problem(
                    "hoax_csv_no_claim",
                    f"{path.name}: kolom klaim tidak ada (ditemukan: {', '.join(header)})",
                    f"{path.name}: no claim column (found: {', '.join(header)})",
                    field="claim",
                )
            )
        return columns

    @staticmethod
    def _row(
        row: list[str], columns: dict[str, int], line: int
    ) -> tuple[HoaxClaim | None, list[Problem]]:
        def get(key: str) -> str:
            i = columns.get(key)
            return row[i].strip() if i is not None and i < len(row) else ""

        errors: list[Problem] = []
        claim = re.sub(r"\s+", " ", get("claim"))
        if len(claim.split()) < 3:
            errors.append(
                problem(
                    "hoax_csv_invalid",
                    f"baris {line}: klaim kosong atau terlalu pendek (minimal 3 kata)",
                    f"row {line}: claim empty or too short (at least 3 words)",
                    field="claim",
                    row=line,
                )
            )
        url = get("source_url")
        if url and not re.match(r"https?://\S+$", url):
            errors.append(
                problem(
                    "hoax_csv_invalid",
                    f"baris {line}: tautan '{url}' bukan alamat http(s)",
                    f"row {line}: link '{url}' is not an http(s) address",
                    field="source_url",
                    row=line,
                )
            )
        day: date | None = None
        if raw := get("date"):
            try:
                day = _parse_date(raw)
            except ValueError:
                errors.append(
                    problem(
                        "hoax_csv_invalid",
                        f"baris {line}: tanggal '{raw}' tidak dikenali (pakai YYYY-MM-DD)",
                        f"row {line}: date '{raw}' not recognised (use YYYY-MM-DD)",
                        field="date",
                        row=line,
                    )
                )
        if errors:
            return None, errors
        return HoaxClaim(claim, get("verdict") or "hoaks", url, day), []

    # ------------------------------------------------------------------ matching

    def _query(self, k: int, text: str) -> sp.csr_matrix:
        """The text's TF-IDF row; words no claim uses still add to its length."""
        vec, _, vocab, idf = self._vecs[k]
        counts = Counter(vec.build_analyzer()(text))
        max_idf = float(idf.max())
        cols: list[int] = []
        vals: list[float] = []
        oov = 0.0
        for feat, c in counts.items():
            w = 1.0 + math.log(c)
            j = vocab.get(feat)
            if j is None:
                oov += (w * max_idf) ** 2
            else:
                cols.append(j)
                vals.append(w * float(idf[j]))
        norm = math.sqrt(sum(v * v for v in vals) + oov) or 1.0
        return sp.csr_matrix(
            (np.asarray(vals) / norm, (np.zeros(len(cols), dtype=int), cols)),
            shape=(1, len(vocab)),
        )

    def scores(self, text: str) -> NDArray[Any]:
        """Best similarity of every claim to the post or to one of its sentences."""
        if not self.claims or not text or not text.strip():
            return np.zeros(len(self.claims))
        clean = _clean(text)
        parts = [clean] + [s for s in _SENTENCE.split(clean) if len(s.split()) >= 3]
        best = np.zeros(len(self.claims))
        for part in dict.fromkeys(parts):
            total = np.zeros(len(self.claims))
            for k, (_, matrix, _, _) in enumerate(self._vecs):
                total += np.asarray((matrix @ self._query(k, part).T).todense()).ravel()
            best = np.maximum(best, total / len(self._vecs))
        return best

    def match(self, text: str) -> HoaxMatch | None:
        scores = self.scores(text)
        if scores.size == 0:
            return None
        i = int(scores.argmax())
        if scores[i] < self.threshold:
            return None
        c = self.claims[i]
        return HoaxMatch(c.claim, c.verdict, c.source_url, c.date, round(float(scores[i]), 4))

    def finding(self, text: str) -> Finding:
        t0 = time.perf_counter()
        scores = self.scores(text)
        best = float(scores.max()) if scores.size else 0.0
        m = self.match(text) if best >= self.threshold else None
        data: dict[str, Any] = {"threshold": self.threshold, "claims": len(self.claims)}
        if m is not None:
            when = f", {m.date.isoformat()}" if m.date else ""
            link = f" — {m.source_url}" if m.source_url else ""
            why = [
                "menyebarkan informasi yang telah dibantah",
                f"mirip klaim '{m.claim}' ({m.verdict}{when}){link}",
                f"kemiripan {m.score:.2f} ≥ ambang {self.threshold:.2f}",
            ]
            data |= {
                "claim": m.claim,
                "verdict": m.verdict,
                "source_url": m.source_url,
                "date": m.date.isoformat() if m.date else None,
            }
            label, score = "hoax_match", m.score
        else:
            why = [
                f"tidak mirip klaim yang telah dibantah (kemiripan tertinggi {best:.2f} "
                f"< ambang {self.threshold:.2f})"
                if self.claims
                else "daftar klaim yang telah dibantah kosong"
            ]
            label, score = "no_match", round(best, 4)
        return Finding(
            kind="hoax",
            label=label,
            score=score,
            why=why,
            data=data,
            model=MODEL,
            ms=round((time.perf_counter() - t0) * 1000, 3),
        )
