"""Which ASN a report may be about: NIPs, social handles and names matched against the registry.

It suggests, with a score and a reason; it never attaches anyone to a case. Exact matches (an NIP,
a known handle) score high; a fuzzy name scores by similarity, and a matching position or office
("Camat Sukasari") raises it.
"""

from __future__ import annotations

import re
import time
from dataclasses import asdict, dataclass

from rapidfuzz import fuzz, process
from sqlalchemy.orm import Session

from netral.registry import service as registry
from netral.registry.nip import nip_error
from netral.screening.findings import Finding

MODEL = "identify-1"
NIP_RE = re.compile(r"(?<!\d)(\d{8})\s?(\d{6})\s?(\d)\s?(\d{3})(?!\d)")
HANDLE_RE = re.compile(r"(?<![\w@])@([A-Za-z0-9_.]{3,30})")
NAME_CUTOFF = 86  # token-set similarity (0-100) below which a name is not suggested
MAX_CANDIDATES = 5
# words that start a title or an office, not a name
TITLES = re.compile(
    r"\b(camat|lurah|kepala|kadis|kabid|sekretaris|sekcam|guru|staf|pak|bu|ibu|bapak)\b", re.I
)


@dataclass(frozen=True)
class Candidate:
    asn_id: int
    nip: str
    name: str
    position: str
    opd: str
    score: float
    why: str


def _position_hint(text: str) -> list[str]:
    """'Camat Sukasari', 'Lurah Gegerkalong': an office named in the text."""
    return [
        m.group(0)
        for m in re.finditer(r"\b(camat|lurah)\s+([A-Z][\w-]+(?:\s[A-Z][\w-]+)?)", text, re.I)
    ]


def identify(
    *,
    db_session: Session,
    region_code: str,
    texts: list[str],
    names: list[str] = (),  # type: ignore[assignment]
) -> list[Candidate]:
    """Candidates for the ASN the texts speak of, best first (at most MAX_CANDIDATES)."""
    found: dict[int, Candidate] = {}

    def keep(asn: registry.AsnRef, score: float, why: str) -> None:
        old = found.get(asn.id)
        if old is None or old.score < score:
            found[asn.id] = Candidate(
                asn.id, asn.nip, asn.name, asn.position, asn.opd, round(score, 3), why
            )

    blob = "\n".join(t for t in texts if t)
    nips = {"".join(m.groups()) for m in NIP_RE.finditer(blob)}
    nips = {n for n in nips if nip_error(n) is None}
    for asn in registry.asn_by_nips(db_session=db_session, nips=sorted(nips)).values():
        keep(asn, 1.0, f"NIP {asn.nip} disebut di laporan")
    handles = {h.lower().rstrip(".") for h in HANDLE_RE.findall(blob)}
    for hit in registry.asn_by_handles(
        db_session=db_session, region_code=region_code, handles=handles
    ):
        keep(hit.asn, 0.95, f"akun {hit.platform} @{hit.handle} tercatat milik ASN ini")

    offices = _position_hint(blob) + [n for n in names if TITLES.search(n or "")]
    for office in offices:
        words = office.split()
        if len(words) < 2:
            continue
        role, place = words[0].lower(), " ".join(words[1:])
        for asn in registry.asn_by_office(
            db_session=db_session, region_code=region_code, role=role, place=place, limit=3
        ):
            keep(asn, 0.8, f"jabatan '{asn.position}' cocok dengan '{office}'")

    plain = [TITLES.sub("", n).strip(" ,.-") for n in names if n and n.strip()]
    plain = [n for n in plain if len(n) >= 4 and not n.startswith("(")]
    if plain:
        choices = registry.asn_names(db_session=db_session, region_code=region_code)
        for name in plain:
            hits = process.extract(
                name,
                choices,
                scorer=fuzz.token_set_ratio,
                score_cutoff=NAME_CUTOFF,
                limit=MAX_CANDIDATES,
            )
            matches = registry.asn_by_ids(
                db_session=db_session, asn_ids=[asn_id for _, _, asn_id in hits]
            )
            for _, score, asn_id in hits:
                match = matches.get(asn_id)
                if match is None:
                    continue
                asn = match
                bonus = (
                    0.1
                    if any(
                        o.split()[-1].lower() in asn.position.lower() for o in offices if o.split()
                    )
                    else 0.0
                )
                keep(
                    asn,
                    min(0.9, score / 100 * 0.85 + bonus),
                    f"nama '{name}' mirip '{asn.name}' ({score:.0f}/100)",
                )
    return sorted(found.values(), key=lambda c: -c.score)[:MAX_CANDIDATES]


def identify_finding(
    *,
    db_session: Session,
    region_code: str,
    texts: list[str],
    names: list[str] = (),  # type: ignore[assignment]
) -> Finding:
    started = time.perf_counter()
    candidates = identify(db_session=db_session, region_code=region_code, texts=texts, names=names)
    ms = (time.perf_counter() - started) * 1000
    if not candidates:
        return Finding(
            "identify",
            "no_candidate",
            0.0,
            ["tidak ada NIP, akun atau nama yang cocok dengan registri"],
            {"candidates": []},
            MODEL,
            ms,
        )
    return Finding(
        "identify",
        "asn_candidate",
        candidates[0].score,
        [f"{c.name} ({c.position}, {c.opd}): {c.why}" for c in candidates],
        {"candidates": [asdict(c) for c in candidates]},
        MODEL,
        ms,
    )
