"""The reports' periodic job: count again the days whose reports changed (`summary`)."""

from __future__ import annotations

from huey import crontab
from sqlalchemy import Engine

from netral.core import jobs
from netral.core.db import unit_of_work
from netral.reports import summary

JOB = "reports-summary"


def run_summary(engine: Engine) -> int:
    """One pass: the changed days counted again, in one transaction. Returns the days."""
    with unit_of_work(engine) as db:
        return summary.summarise(db)


def register(ctx: jobs.JobContext) -> None:
    # every minute: a page reads a changed day from its reports until then, so the figures are
    # right at once; the job only keeps that extra reading small
    ctx.tasks[JOB] = ctx.huey.periodic_task(crontab(minute="*"), name=JOB)(
        lambda: run_summary(ctx.engine)
    )
