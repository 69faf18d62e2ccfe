"""What screening says about a piece of evidence: findings that advise, each with its reasons."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass
class Finding:
    """One thing screening noticed. It only advises: a named person decides every case."""

    kind: str  # gesture | ocr | text | hoax | identify
    label: str  # e.g. banned_pose, partisan, political_neutral, other, hoax_match, asn_candidate, nothing
    score: float  # 0..1
    why: list[str]  # human-readable reasons: the landmarks, words or rule that fired
    data: dict[str, Any] = field(default_factory=dict)  # structured detail for pages and the API
    model: str = ""  # model and version that produced it
    ms: float = 0.0  # time taken

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)
