"""The dashboards' filters: a date range (default: the season of the latest election) and one
region within the user's scope."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy.orm import Session

from netral.core.calendar import to_wib_date
from netral.core.db import utcnow
from netral.core.errors import ValidationFailed, problem
from netral.core.security import Scope
from netral.dashboard.sections import Context
from netral.election import service as elections
from netral.registry import service as registry
from netral.rules.schema import Rulebook

# A season runs from two months before the candidates are fixed (pledges, briefings, the first
# reports) to three months after voting day (the PPK's decisions and their execution come late).
SEASON_BEFORE = timedelta(days=60)
SEASON_AFTER = timedelta(days=90)


@dataclass(frozen=True)
class Season:
    since: date
    until: date
    election: str  # the election's name; "" when none is known
    code: str = ""  # the election's code (turnout is counted per election)


def season_of(*, db_session: Session, scope: Scope, region_code: str | None = None) -> Season:
    """The season of the latest election the scope (or the one region) sees."""
    seen = Scope("region", region_code) if region_code else scope
    found = elections.list_elections(db_session=db_session, scope=seen)
    if region_code:
        # the region's own election first; a province's or a national one covers it too
        found = sorted(found, key=lambda e: e.region_code != region_code)
    if not found:
        today = to_wib_date(utcnow())
        return Season(date(today.year, 1, 1), today, "")
    e = found[0]
    first = min(d for d in (e.candidates_fixed_on, e.campaign_start, e.voting_day) if d)
    return Season(first - SEASON_BEFORE, e.voting_day + SEASON_AFTER, e.name, e.code)


def _day(value: str, name: str) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise ValidationFailed(
            problem(
                "dashboard.date",
                f"Tanggal '{value}' tidak sah: gunakan format YYYY-MM-DD.",
                f"Invalid date '{value}': use YYYY-MM-DD.",
                field=name,
            )
        ) from None


@dataclass(frozen=True)
class Filters:
    since: date
    until: date
    region_code: str | None
    season: Season

    def query(self) -> str:
        parts = [f"from={self.since.isoformat()}", f"to={self.until.isoformat()}"]
        if self.region_code:
            parts.append(f"region={self.region_code}")
        return "&".join(parts)


def read_filters(
    *, db_session: Session, scope: Scope, since: str = "", until: str = "", region: str = ""
) -> Filters:
    """Parse and check the filters; the region must be one the user's scope covers."""
    # a region-scoped user has one region: name it, so every aggregate filters by equality
    region_code = region.strip() or (scope.code if scope.kind == "region" else None)
    if region_code and not (
        scope.covers(region_code)
        and region_code in {w.code for w in registry.regions(db_session=db_session, scope=scope)}
    ):
        raise ValidationFailed(
            problem(
                "dashboard.region",
                f"Wilayah '{region_code}' tidak berada dalam cakupan Anda.",
                f"Region '{region_code}' is outside your scope.",
                field="region",
            )
        )
    season = season_of(db_session=db_session, scope=scope, region_code=region_code)
    start = _day(since, "from") or season.since
    end = _day(until, "to") or season.until
    if end < start:
        raise ValidationFailed(
            problem(
                "dashboard.range",
                "Tanggal akhir harus sesudah tanggal awal.",
                "The end date must not be before the start date.",
                field="to",
            )
        )
    if (end - start).days > 3 * 366:
        raise ValidationFailed(
            problem(
                "dashboard.range",
                "Rentang tanggal paling lama tiga tahun.",
                "The date range is at most three years.",
                field="to",
            )
        )
    return Filters(start, end, region_code, season)


def context(
    *,
    db_session: Session,
    scope: Scope,
    filters: Filters,
    rulebook: Rulebook,
    lang: str = "id",
    today: date | None = None,
    opd_id: int | None = None,
) -> Context:
    return Context(
        db_session=db_session,
        scope=scope,
        since=filters.since,
        until=filters.until,
        region_code=filters.region_code,
        today=today or to_wib_date(utcnow()),
        rulebook=rulebook,
        lang=lang,
        opd_id=opd_id,
        election_code=filters.season.code,
    )
