"""Stage (a) of text screening: the election's own lexicon, built from the election data.

Two kinds of patterns:

* **Ballot-number patterns** that hold for every Indonesian election and need no election data
  (`GENERIC` below, also used when training the model): ``coblos no 3``, ``pilih nomor 1``,
  ``#Coblos2``, ``salam dua jari``, ``nomor urut 02``, ``paslon 2``, ``no 2``... Numbers may be
  digits (``2``, ``02``) or words in Indonesian, Sundanese or Javanese (satu/hiji/siji,
  dua/loro, tiga/tilu/telu, empat/opat/papat, ...). Words for numbers only count inside a voting
  context (``coblos tilu``, ``salam dua jari``, ``nomor urut dua``), never on their own.

  - *calls* (``call=True``): a voting verb or gesture with the number (coblos/pilih/contreng/
    dukung/menangkan + number, ``salam N jari``, ``N jari``, ``#CoblosN``). These are partisan
    by themselves: a civil servant has no neutral reason to post "coblos no 3".
  - *references* (``call=False``): ``nomor urut 2``, ``paslon 02``, ``no 2`` / ``nomor 2`` next
    to a voting word (pilkada, pemilu, capres, calon, TPS, ...). KPU notices name ballot numbers
    too, so a reference is evidence for the model, not a verdict.

  Traps that are rejected: a number followed by a non-election noun (``nomor 2 di klasemen``,
  ``lantai 3``, ``no 2 HP``, ``nomor 3 rumah``), and plain ``no N`` with no voting word nearby.

* **Candidate terms** from each `ElectionIn`: full names and their distinctive parts, nicknames,
  parties, slogans, hashtags and social accounts, matched with word boundaries,
  case-insensitively. A single name part counts only when it is distinctive (at least 4 letters,
  not an honorific and not a common given name such as "Agus" or "Siti"): "Kang" or "Agus" alone
  never match, "Wiratmaja" does. A nickname written in capitals or CamelCase ("ASLI", "YuRi")
  is matched with its exact case, so the ordinary word "asli" is not taken for it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Literal

from netral.election.schemas import ElectionIn

Kind = Literal["name", "nickname", "party", "slogan", "hashtag", "number_call", "account"]

NUMBER_WORDS: dict[str, int] = {
    # Indonesian, Sundanese, Javanese
    "satu": 1, "hiji": 1, "siji": 1, "setunggal": 1,
    "dua": 2, "loro": 2, "kalih": 2,
    "tiga": 3, "tilu": 3, "telu": 3, "tigo": 3,
    "empat": 4, "opat": 4, "papat": 4, "sekawan": 4,
    "lima": 5, "lima'": 5, "limo": 5, "gangsal": 5,
    "enam": 6, "genep": 6, "enem": 6,
    "tujuh": 7, "tujuh'": 7, "pitu": 7,
    "delapan": 8, "dalapan": 8, "wolu": 8,
    "sembilan": 9, "salapan": 9, "songo": 9, "sanga": 9,
    "sepuluh": 10, "sapuluh": 10, "sepuluh'": 10,
}  # fmt: skip

_NUM_WORD_RE = "|".join(sorted({w.rstrip("'") for w in NUMBER_WORDS}, key=len, reverse=True))
_DIGITS = r"0?[1-9]|1[0-9]|20"
_NUM = rf"(?P<num>{_DIGITS}|{_NUM_WORD_RE})"
_NUM_DIGIT = rf"(?P<num>{_DIGITS})"
_NO = r"(?:no|nmr|nomor|nomer|nomber|number)\.?"
_VERB = (
    r"(?:coblos|nyoblos|mencoblos|coblosan|pilih|pilihlah|memilih|milih|contreng|dukung|"
    r"mendukung|menangkan|menangin|menangkeun|coblosen|pilihen)"
)
# what may follow a number and makes it not a ballot number
_NOT_BALLOT_AFTER = (
    r"(?:\s*(?:di|dalam|dari)?\s*(?:klasemen|peringkat|ranking|liga|lantai|hp|handphone|wa|"
    r"telp|telepon|rumah|kamar|jalan|jl|gang|gg|rt|rw|halaman|hal|antrean|antrian|kelas|"
    r"sepatu|ukuran|tiket|lagu|resep|menit|jam|hari|bulan|tahun|kg|km|persen|%|juta|ribu|"
    r"orang|kali|dunia|dunia\b|terbaik|teratas|klub|tim|episode|eps|season|chapter|bab|"
    r"ayat|pasal|tahap|gelombang|pintu|loket|kursi|surat|kotak|jenis|macam)\b)"
)
_NOT_BALLOT_BEFORE = re.compile(
    r"(?:lantai|selebar|sebesar|seukuran|lebar|tebal|panjang|tinggi|jarak|kira-kira|kurang|"
    r"sekitar|hanya|cuma|ukuran)\s*$",
    re.IGNORECASE,
)
# words that make "no 2" / "nomor 2" a ballot number
_VOTING_CONTEXT = re.compile(
    r"\b(?:coblos\w*|nyoblos|pilih\w*|memilih|contreng|dukung\w*|paslon|capres|cawapres|"
    r"cagub|cawagub|cabup|cawabup|cawalkot|cawakot|calon|kandidat|pilkada|pilpres|pileg|"
    r"pemilu|pilwalkot|pilbup|pilgub|tps|surat suara|kotak suara|menang\w*|jari|kampanye|"
    r"periode|presiden|gubernur|walikota|wali kota|bupati)\b",
    re.IGNORECASE,
)

_GENERIC_PATTERNS: list[tuple[re.Pattern[str], bool]] = [
    # hashtags: #Coblos2, #Pilih02, #Paslon3, #Nomor1, #SalamDuaJari, #Coblos_Tilu
    (
        re.compile(
            rf"#(?:{_VERB}|paslon|nomor|no|salam)_?(?:no|nomor|nomer)?_?{_NUM}(?:jari)?(?!\w)",
            re.IGNORECASE,
        ),
        True,
    ),
    (re.compile(rf"#salam_?{_NUM}_?jari", re.IGNORECASE), True),
    # coblos no 3 / pilih nomor 1 / coblos nomor urut 02 / dukung paslon 2
    (
        re.compile(
            rf"\b{_VERB}\s+(?:(?:{_NO}|urut|paslon|pasangan|calon|capres|cagub|cabup|cawalkot|"
            rf"kandidat)\s*)+{_NUM}(?![0-9])\b",
            re.IGNORECASE,
        ),
        True,
    ),
    # coblos tilu / nyoblos 2 (a bare number after a ballot verb)
    (
        re.compile(
            rf"\b(?:coblos|nyoblos|mencoblos|contreng|coblosen|nyoblosen)\s+{_NUM}(?![0-9])\b",
            re.IGNORECASE,
        ),
        True,
    ),
    # pilih 2 / dukung 02 (digits only: "pilih satu menu" is not a ballot call)
    (re.compile(rf"\b{_VERB}\s+{_NUM_DIGIT}(?![0-9])\b", re.IGNORECASE), True),
    # salam dua jari / salam 3 jari / dua jari / 02 jari
    (re.compile(rf"\b(?:salam\s+)?{_NUM}\s*jari\b", re.IGNORECASE), True),
    # nomor urut 2 / no. urut 02 / paslon 2 / paslon nomor 02
    (
        re.compile(
            rf"\b(?:{_NO}\s*urut|paslon|pasangan\s+calon|pasangan)\s*(?:{_NO}\s*)?(?:urut\s*)?"
            rf"{_NUM}(?![0-9])\b",
            re.IGNORECASE,
        ),
        False,
    ),
    # no 2 / nomor 2 / nomer 02: only next to a voting word (checked in code)
    (re.compile(rf"\b{_NO}\s*{_NUM_DIGIT}(?![0-9])\b", re.IGNORECASE), False),
]
_CONTEXT_CHECKED = _GENERIC_PATTERNS[-1][0]

HONORIFICS = frozenset(
    [
        "kang",
        "teh",
        "ceu",
        "akang",
        "teteh",
        "mang",
        "bi",
        "abah",
        "ambu",
        "pak",
        "bu",
        "bapak",
        "ibu",
        "mas",
        "mbak",
        "mba",
        "bang",
        "abang",
        "uda",
        "uni",
        "cak",
        "ning",
        "gus",
        "kak",
        "kakak",
        "om",
        "tante",
        "haji",
        "hajjah",
        "hj",
        "h",
        "dr",
        "ir",
        "prof",
        "drs",
        "raden",
        "rd",
        "r",
        "kh",
        "habib",
        "ustadz",
        "ustad",
        "syekh",
        "tuan",
        "nyonya",
        "sdr",
        "saudara",
        "mr",
        "mrs",
    ]
)
# Given names so common that one of them alone says nothing about who is meant.
COMMON_NAME_PARTS = frozenset(
    [
        "muhammad",
        "mohammad",
        "mohamad",
        "muhamad",
        "ahmad",
        "achmad",
        "abdul",
        "agus",
        "budi",
        "siti",
        "sri",
        "dewi",
        "nur",
        "nurul",
        "rina",
        "lina",
        "dian",
        "eko",
        "wahyu",
        "yudi",
        "hendra",
        "arya",
        "andi",
        "adi",
        "ade",
        "asep",
        "dede",
        "ujang",
        "iwan",
        "rudi",
        "rudy",
        "joko",
        "tri",
        "dwi",
        "putri",
        "putra",
        "putera",
        "saputra",
        "saputri",
        "kusuma",
        "lestari",
        "gunawan",
        "setiawan",
        "hidayat",
        "rahman",
        "rahmat",
        "ramadhan",
        "ramadan",
        "wati",
        "yanti",
        "fitri",
        "indah",
        "sari",
        "ayu",
        "rizki",
        "rizky",
        "fajar",
        "ilham",
        "ali",
        "hasan",
        "husein",
        "yusuf",
        "ibrahim",
        "ismail",
        "umar",
        "usman",
        "bambang",
        "heru",
        "dedi",
        "doni",
        "irawan",
        "kurniawan",
        "santoso",
        "susanto",
        "wijaya",
        "pratama",
        "nugraha",
        "permana",
        "hadi",
        "hartono",
        "herlina",
        "marlina",
        "yuliani",
        "yulia",
        "anggraeni",
        "purnama",
        "jaya",
        "indonesia",
        "bandung",
        "kota",
        "rakyat",
        "partai",
        "maju",
        "bersama",
    ]
)
STOP_PARTS = frozenset(["dan", "bin", "binti", "van", "de", "del", "der", "al", "el"])


@dataclass(frozen=True)
class LexiconMatch:
    """One lexicon hit: `candidate` is the ballot number it points at, when known."""

    term: str
    kind: Kind
    candidate: int | None
    span: tuple[int, int]
    call: bool = False  # number_call only: an imperative call ("coblos no 3"), not a reference

    def describe(self) -> str:
        label = {
            "name": "nama calon",
            "nickname": "nama panggilan calon",
            "party": "partai pengusung",
            "slogan": "slogan kampanye",
            "hashtag": "tagar kampanye",
            "account": "akun calon",
            "number_call": "ajakan nomor urut" if self.call else "sebutan nomor urut",
        }[self.kind]
        who = f" (paslon {self.candidate})" if self.candidate is not None else ""
        return f"{label}: '{self.term}'{who}"


def number_value(token: str) -> int | None:
    token = token.lower().strip()
    if token.isdigit():
        return int(token)
    return NUMBER_WORDS.get(token)


_VERB_NEEDLES = ("oblos", "pilih", "milih", "contreng", "dukung", "menang")
# words a pattern cannot match without: a cheap `in` test skips most patterns for most posts
_NEEDLES: list[tuple[str, ...]] = [
    ("#",),
    ("#",),
    _VERB_NEEDLES,
    ("oblos", "contreng"),
    _VERB_NEEDLES,
    ("jari",),
    ("urut", "paslon", "pasangan"),
    ("no", "nmr", "nomber", "number"),
]
_WORD_RE = re.compile(r"\w+")


def generic_number_matches(text: str, numbers: Iterable[int] | None = None) -> list[LexiconMatch]:
    """Ballot-number calls and references that hold for any election (no election data needed).

    `numbers`, when given, maps a number to itself as the candidate it points at (the ballot
    numbers of the loaded elections); otherwise `candidate` stays None.
    """
    lower = text.lower()
    out: list[LexiconMatch] = []
    taken: list[tuple[int, int]] = []
    known = set(numbers) if numbers is not None else set()
    for (pattern, call), needles in zip(_GENERIC_PATTERNS, _NEEDLES, strict=True):
        if not any(n in lower for n in needles):
            continue
        for m in pattern.finditer(text):
            start, end = m.span()
            if any(s < end and start < e for s, e in taken):
                continue
            num_text = m.group("num")
            value = number_value(num_text)
            if value is None:
                continue
            after = text[end : end + 24]
            if re.match(_NOT_BALLOT_AFTER, after, re.IGNORECASE):
                continue
            if _NOT_BALLOT_BEFORE.search(text[max(0, start - 24) : start]):
                continue
            if pattern is _CONTEXT_CHECKED:
                window = text[max(0, start - 60) : min(len(text), end + 60)]
                if not _VOTING_CONTEXT.search(window):
                    continue
            taken.append((start, end))
            cand = value if value in known else None
            out.append(LexiconMatch(m.group(0), "number_call", cand, (start, end), call))
    out.sort(key=lambda x: x.span)
    return out


def _norm_phrase(phrase: str) -> str:
    return re.sub(r"\s+", " ", phrase.strip())


def _phrase_regex(phrase: str) -> str:
    parts = [re.escape(p) for p in _norm_phrase(phrase).split(" ")]
    body = r"[\s_\-]*".join(parts) if len(parts) > 1 else parts[0]
    return rf"(?<![\w@#]){body}(?!\w)"


def _is_camel_or_caps(word: str) -> bool:
    letters = [c for c in word if c.isalpha()]
    if len(letters) < 2:
        return False
    uppers = sum(c.isupper() for c in letters)
    return uppers == len(letters) or (uppers >= 2 and any(c.islower() for c in letters))


class Lexicon:
    """The terms of one or more elections; `match` finds them (and ballot-number patterns)."""

    def __init__(self) -> None:
        self._ci: dict[str, tuple[Kind, int | None]] = {}  # lowercased term -> (kind, candidate)
        self._cs: dict[str, tuple[Kind, int | None]] = {}  # exact-case term -> (kind, candidate)
        self._ci_re: re.Pattern[str] | None = None
        self._cs_re: re.Pattern[str] | None = None
        self.numbers: set[int] = set()
        self.names: set[str] = set()  # lowercased name terms, for masking
        # pre-filter: each term indexed by its longest word, with all its words
        self._index: dict[str, list[frozenset[str]]] = {}

    @classmethod
    def from_elections(cls, elections: Sequence[ElectionIn]) -> Lexicon:
        lex = cls()
        for election in elections:
            for cand in election.candidates:
                lex.numbers.add(cand.number)
                n = cand.number
                for name in cand.names:
                    lex._add_name(name, n)
                for nick in cand.nicknames:
                    lex._add_nickname(nick, n)
                for party in cand.parties:
                    lex._add(party, "party", None if len(election.candidates) > 1 else n)
                    words = _norm_phrase(party).split(" ")
                    if words[0].lower() == "partai" and len(words) >= 3:
                        lex._add(" ".join(words[1:]), "party", None)
                for slogan in cand.slogans:
                    lex._add(slogan, "slogan", n)
                for tag in cand.hashtags:
                    lex._add(tag if tag.startswith("#") else "#" + tag, "hashtag", n)
                for acc in cand.accounts:
                    lex._add("@" + acc.handle.lstrip("@"), "account", n)
                    lex._add(acc.handle.lstrip("@"), "account", n)
        # a party shared by several candidates points at none of them
        party_owner: dict[str, set[int]] = {}
        for election in elections:
            for cand in election.candidates:
                for party in cand.parties:
                    party_owner.setdefault(_norm_phrase(party).lower(), set()).add(cand.number)
        for key, owners in party_owner.items():
            if key in lex._ci and len(owners) == 1:
                lex._ci[key] = ("party", next(iter(owners)))
        lex._compile()
        return lex

    def _add(self, term: str, kind: Kind, cand: int | None, *, exact_case: bool = False) -> None:
        term = _norm_phrase(term)
        if len(term.lstrip("#@")) < 2:
            return
        if exact_case:
            self._cs.setdefault(term, (kind, cand))
        else:
            key = term.lower()
            prev = self._ci.get(key)
            if prev is not None and prev[1] != cand and kind in ("name", "nickname"):
                # the same name part for two candidates: keep it, point at no one
                self._ci[key] = (prev[0], None)
                return
            self._ci.setdefault(key, (kind, cand))
        if kind in ("name", "nickname"):
            self.names.add(term.lower())

    def _add_name(self, name: str, n: int) -> None:
        words = [w for w in re.split(r"[\s,]+", name.strip()) if w]
        core = [w for w in words if w.lower().rstrip(".") not in HONORIFICS]
        self._add(" ".join(words), "name", n)
        if core != words and len(core) >= 2:
            self._add(" ".join(core), "name", n)
        # any two consecutive parts ("Yudi Permana", "Permana Sukmajaya")
        for i in range(len(core) - 1):
            self._add(f"{core[i]} {core[i + 1]}", "name", n)
        # a single distinctive part
        for w in core:
            lw = w.lower()
            if len(lw) >= 4 and lw not in COMMON_NAME_PARTS and lw not in STOP_PARTS:
                self._add(w, "name", n)

    def _add_nickname(self, nick: str, n: int) -> None:
        nick = _norm_phrase(nick)
        words = nick.split(" ")
        if len(words) == 1 and _is_camel_or_caps(nick):
            self._add(nick, "nickname", n, exact_case=True)
            return
        self._add(nick, "nickname", n)
        core = [w for w in words if w.lower() not in HONORIFICS]
        if core and core != words:
            rest = " ".join(core)
            if len(core) > 1 or (
                len(rest) >= 4 and rest.lower() not in COMMON_NAME_PARTS and rest.lower()
            ):
                self._add(rest, "nickname", n)

    def _compile(self) -> None:
        def build(terms: Iterable[str], flags: int) -> re.Pattern[str] | None:
            items = sorted(terms, key=len, reverse=True)
            if not items:
                return None
            return re.compile("|".join(f"(?:{_phrase_regex(t)})" for t in items), flags)

        for term in [*self._ci, *self._cs]:
            words = _WORD_RE.findall(term.lower())
            if words:
                key = max(words, key=len)
                self._index.setdefault(key, []).append(frozenset(words))
        self._ci_re = build(self._ci, re.IGNORECASE)
        self._cs_re = build(self._cs, 0)

    def match(self, text: str) -> list[LexiconMatch]:
        """Every lexicon term and ballot-number pattern in `text`, in reading order."""
        out = generic_number_matches(text, self.numbers)
        if not self._index:
            return out
        tokens = set(_WORD_RE.findall(text.lower()))
        if not any(words <= tokens for t in tokens if t in self._index for words in self._index[t]):
            return out
        taken = [m.span for m in out]
        for regex, table, lower in ((self._ci_re, self._ci, True), (self._cs_re, self._cs, False)):
            if regex is None:
                continue
            for m in regex.finditer(text):
                start, end = m.span()
                if any(s < end and start < e for s, e in taken):
                    continue
                found = _norm_phrase(re.sub(r"[_\-]+", " ", m.group(0)))
                key = found.lower() if lower else found
                hit = table.get(key) or table.get(_norm_phrase(m.group(0)).lower() if lower else "")
                if hit is None:  # separators differed: look up by squashed form
                    squashed = re.sub(r"[\s_\-]+", "", found.lower())
                    hit = next(
                        (
                            v
                            for k, v in table.items()
                            if re.sub(r"[\s_\-]+", "", k.lower()) == squashed
                        ),
                        None,
                    )
                if hit is None:
                    continue
                taken.append((start, end))
                out.append(LexiconMatch(m.group(0), hit[0], hit[1], (start, end)))
        out.sort(key=lambda x: x.span)
        return out

    def __bool__(self) -> bool:
        return bool(self._ci or self._cs)
