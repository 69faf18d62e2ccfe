"""What the rulebook API answers besides the rulebook itself."""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel, ConfigDict, Field

from netral.rules import DeadlineResult
from netral.rules.schema import DayKind


class DueDateOut(BaseModel):
    model_config = ConfigDict(populate_by_name=True)

    step: str
    from_: date = Field(alias="from", description="The day the count starts from (not counted)")
    due: date
    days: int
    kind: DayKind

    @classmethod
    def of(cls, result: DeadlineResult) -> DueDateOut:
        return cls(
            step=result.step, from_=result.start, due=result.due, days=result.days, kind=result.kind
        )
