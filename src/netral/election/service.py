"""Loading and reading the election supervised. Nothing about a real election is in code."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml
from pydantic import ValidationError
from sqlalchemy import select
from sqlalchemy.orm import Session

from netral.core import audit
from netral.core.audit import Actor
from netral.core.errors import NotFound, ValidationFailed, problem
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
        raise ValidationFailed(
            *[
                problem(
                    "election.invalid",
                    f"{path.name}: {'.'.join(str(p) for p in e['loc']) or '(root)'}: {e['msg']}",
                    f"{path.name}: {'.'.join(str(p) for p in e['loc']) or '(root)'}: {e['msg']}",
                    field=".".join(str(p) for p in e["loc"]) or None,
                )
                for e in exc.errors()
            ]
        ) from None


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
        region_code=election.region_code,
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
    """What another domain may know of an election: which one, what kind, where."""

    id: int
    code: str
    kind: str
    region_code: str


def election_regions(*, db_session: Session) -> list[str]:
    """Regions that have an election, sorted: where reports are expected from."""
    return sorted(set(db_session.scalars(select(Election.region_code).distinct())))


def latest_election_for(*, db_session: Session, region_code: str) -> ElectionRef | None:
    """The region's latest election, else its province's (a governor's election covers it)."""
    for code in (region_code, region_code.split(".")[0]):
        e = db_session.scalar(
            select(Election)
            .where(Election.region_code == code)
            .order_by(Election.voting_day.desc())
            .limit(1)
        )
        if e is not None:
            return ElectionRef(e.id, e.code, e.kind, e.region_code)
    return None


def election_kind(*, db_session: Session, election_id: int | None) -> str | None:
    """`pilkada` or `pemilu` for an election id; None when there is none (clocks then use Pilkada)."""
    if election_id is None:
        return None
    return db_session.scalar(select(Election.kind).where(Election.id == election_id))


def list_elections(*, db_session: Session, scope: Scope) -> list[Election]:
    return list(
        db_session.scalars(
            select(Election)
            .where(scope.clause(Election.region_code))
            .order_by(Election.voting_day.desc())
        )
    )


def get_election(*, db_session: Session, scope: Scope, code: str) -> Election:
    election = db_session.scalar(select(Election).where(Election.code == code))
    if election is None or not scope.covers(election.region_code):
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
