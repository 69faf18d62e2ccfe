"""Loading and reading the election supervised. Nothing about a real election is in code."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any, cast

import yaml
from pydantic import ValidationError
from sqlalchemy import ColumnElement, or_, select
from sqlalchemy.orm import Session

from netral.core import audit
from netral.core.audit import Actor
from netral.core.errors import NotFound, Problem, ValidationFailed, problem
from netral.core.security import Scope
from netral.election.models import CandidatePair, Election
from netral.election.schemas import ElectionIn

DEMO_ELECTION = Path(__file__).parent / "data" / "demo-pilkada-kota-bandung-2024.yaml"


def read_election_file(path: Path) -> ElectionIn:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise ValidationFailed(
            problem(
                "election.file",
                f"{path.name}: tidak bisa dibaca: {exc}",
                f"{path.name}: cannot be read: {exc}",
                field="file",
            )
        ) from None
    try:
        return ElectionIn.model_validate(data)
    except ValidationError as exc:
        raise ValidationFailed(*[_file_problem(path.name, e) for e in exc.errors()]) from None


# Indonesian for pydantic's own messages (ours carry both languages in their context)
_MESSAGES_ID = {
    "missing": "wajib diisi",
    "extra_forbidden": "kolom tidak dikenal",
    "literal_error": "harus salah satu dari: {expected}",
    "string_pattern_mismatch": "format tidak sah (pola {pattern})",
    "string_too_short": "terlalu pendek (minimal {min_length} huruf)",
    "too_short": "terlalu sedikit (minimal {min_length})",
    "too_long": "terlalu banyak (maksimal {max_length})",
    "date_from_datetime_parsing": "bukan tanggal yang sah (YYYY-MM-DD)",
    "date_parsing": "bukan tanggal yang sah (YYYY-MM-DD)",
    "date_type": "bukan tanggal yang sah (YYYY-MM-DD)",
    "int_parsing": "harus bilangan bulat",
    "int_type": "harus bilangan bulat",
    "greater_than_equal": "harus paling sedikit {ge}",
    "less_than_equal": "harus paling banyak {le}",
    "greater_than": "harus lebih dari {gt}",
    "string_type": "harus teks",
    "list_type": "harus daftar",
    "model_type": "harus berupa pemetaan (kunci: nilai)",
    "dict_type": "harus berupa pemetaan (kunci: nilai)",
}


def _file_problem(file_name: str, error: Any) -> Problem:
    """One pydantic error as a problem naming the file and the field, in both languages."""
    where = ".".join(str(p) for p in error["loc"]) or "(root)"
    ctx = error.get("ctx") or {}
    message_en = str(ctx.get("en") or error["msg"])
    template = _MESSAGES_ID.get(error["type"])
    try:
        message_id = str(ctx.get("id") or (template.format(**ctx) if template else message_en))
    except (KeyError, IndexError):
        message_id = message_en
    if error["type"] == "literal_error":  # "'pilkada' or 'pemilu'"
        message_id = message_id.replace("' or '", "' atau '")
    return problem(
        "election.invalid",
        f"{file_name}: {where}: {message_id}",
        f"{file_name}: {where}: {message_en}",
        field=".".join(str(p) for p in error["loc"]) or None,
    )


def upsert_election(*, db_session: Session, election_in: ElectionIn, actor: Actor) -> Election:
    """Create or replace an election by its code (candidates are replaced as a whole)."""
    info = election_in.election
    election = db_session.scalar(select(Election).where(Election.code == election_in.code))
    fields = {
        "code": election_in.code,
        "name": info.name,
        "kind": info.kind,
        "region_code": info.region,
        "campaign_start": info.campaign_start,
        "campaign_end": info.campaign_end,
        "candidates_fixed_on": info.candidates_fixed_on,
        "voting_day": info.voting_day,
        "turnout_target": info.turnout_target,
    }
    if election is None:
        election = Election(**fields)
        db_session.add(election)
    else:
        for key, value in fields.items():
            setattr(election, key, value)
        election.candidates.clear()
        db_session.flush()
    for c in election_in.candidates:
        election.candidates.append(
            CandidatePair(
                ballot_number=c.number,
                head_name=c.head_name,
                deputy_name=c.deputy_name,
                nicknames=c.nicknames,
                parties=c.parties,
                slogans=c.slogans,
                hashtags=c.hashtags,
                accounts=[a.model_dump() for a in c.accounts],
            )
        )
    db_session.flush()
    audit.record(
        db_session,
        actor=actor,
        action="election.load",
        object_type="election",
        object_id=election.code,
        region_code=election.region_code or "",  # a national election: no region
        summary={"candidates": len(election_in.candidates)},
    )
    return election


def as_election_in(election: Election) -> ElectionIn:
    """An election from the database in the shape the screening reads."""
    return ElectionIn.model_validate(
        {
            "election": {
                "code": election.code,
                "name": election.name,
                "kind": election.kind,
                "region": election.region_code,
                "voting_day": election.voting_day,
                "campaign_start": election.campaign_start,
                "campaign_end": election.campaign_end,
                "candidates_fixed_on": election.candidates_fixed_on,
                "turnout_target": election.turnout_target,
            },
            "candidates": [
                {
                    "number": c.ballot_number,
                    "names": [n for n in (c.head_name, c.deputy_name) if n],
                    "nicknames": c.nicknames,
                    "parties": c.parties,
                    "slogans": c.slogans,
                    "hashtags": c.hashtags,
                    "accounts": c.accounts,
                }
                for c in election.candidates
            ],
        }
    )


@dataclass(frozen=True)
class ElectionRef:
    """What another domain may know of an election: which one, what kind, where (None: national)."""

    id: int
    code: str
    kind: str
    region_code: str | None


def election_regions(*, db_session: Session) -> list[str]:
    """Regions that have a regional election, sorted: where reports are expected from."""
    codes = db_session.scalars(
        select(Election.region_code).where(Election.region_code.is_not(None)).distinct()
    )
    return sorted({c for c in codes if c})


def latest_election_for(*, db_session: Session, region_code: str) -> ElectionRef | None:
    """The election covering a region: its own latest, else its province's, else a national one."""
    # a governor's election covers the province's regencies and cities; a national pemilu, all
    for clause in (
        Election.region_code == region_code,
        Election.region_code == region_code.split(".")[0],
        Election.region_code.is_(None),
    ):
        e = db_session.scalar(
            select(Election).where(clause).order_by(Election.voting_day.desc()).limit(1)
        )
        if e is not None:
            return ElectionRef(e.id, e.code, e.kind, e.region_code)
    return None


def _ancestors(code: str) -> list[str]:
    """The regions above a region code: "32.73" -> ["32"]."""
    parts = code.split(".") if code else []
    return [".".join(parts[:i]) for i in range(1, len(parts))]


def _in_scope(scope: Scope) -> ColumnElement[bool]:
    """Elections a scope sees: its own regions', the province's above it, and national ones."""
    # the NULL rows are taken by the first term; the scope clause only sees region codes
    regional = cast("ColumnElement[str]", Election.region_code)
    return or_(
        Election.region_code.is_(None),
        scope.clause(regional),
        Election.region_code.in_(_ancestors(scope.code)),
    )


def _covers(scope: Scope, election: Election) -> bool:
    code = election.region_code
    return code is None or scope.covers(code) or code in _ancestors(scope.code)


def election_kind(*, db_session: Session, election_id: int | None) -> str | None:
    """`pilkada` or `pemilu` for an election id; None when there is none (clocks then use Pilkada)."""
    if election_id is None:
        return None
    return db_session.scalar(select(Election.kind).where(Election.id == election_id))


def list_elections(*, db_session: Session, scope: Scope) -> list[Election]:
    return list(
        db_session.scalars(
            select(Election).where(_in_scope(scope)).order_by(Election.voting_day.desc())
        )
    )


def get_election(*, db_session: Session, scope: Scope, code: str) -> Election:
    election = db_session.scalar(select(Election).where(Election.code == code))
    if election is None or not _covers(scope, election):
        raise NotFound(
            problem("election.not_found", "Pemilihan tidak ditemukan.", "Election not found.")
        )
    return election


def elections_for_report(*, db_session: Session, election_id: int | None) -> list[ElectionIn]:
    """The elections a report concerns, in the shape screening reads (none if it names none)."""
    if election_id is None:
        return []
    election = db_session.get(Election, election_id)
    return [as_election_in(election)] if election is not None else []


@dataclass(frozen=True)
class ElectionFacts:
    """The facts of an election the law turns on: its kind, region and key dates."""

    kind: str  # pilkada (UU 10/2016) | pemilu (UU 7/2017)
    region_code: str | None  # None: a national pemilu
    candidates_fixed_on: date | None  # penetapan paslon: before it, a bakal calon (DOMAIN.md)
    voting_day: date


# positional or keyword: other domains call it both ways
def election_facts(db_session: Session, election_id: int | None) -> ElectionFacts | None:
    """The facts of one election, for other domains (None when there is no such election)."""
    if election_id is None:
        return None
    e = db_session.get(Election, election_id)
    if e is None:
        return None
    return ElectionFacts(e.kind, e.region_code, e.candidates_fixed_on, e.voting_day)
