"""Who listens to what, in one place: every domain's event handlers and jobs, wired explicitly.

Called by the app factory, by `netral worker` and by the CLI commands that write: nothing
subscribes by being imported, so this file is the whole map of the house's events.
"""

from __future__ import annotations

from sqlalchemy import Engine

from netral.briefings import models as briefings_models
from netral.cases import deadlines, reminders, retention
from netral.cases import models as cases_models
from netral.core import anchor, events, jobs, sequences
from netral.core import models as core_models
from netral.core.crypto import keyring
from netral.core.settings import Settings
from netral.election import models as election_models
from netral.pledges import handlers as pledges_handlers
from netral.pledges import models as pledges_models
from netral.pledges import reminders as pledges_reminders
from netral.registry import models as registry_models
from netral.registry.events import AsnChanged
from netral.reports import jobs as reports_jobs
from netral.reports import models as reports_models
from netral.reports import summary as reports_summary
from netral.reports.events import EvidenceAdded, ReportReceived
from netral.rules import load_rulebook
from netral.screening import handlers as screening_handlers
from netral.screening import jobs as screening_jobs
from netral.screening import models as screening_models
from netral.turnout import models as turnout_models

# Every domain's tables, so one metadata holds the whole schema (Alembic, the evidence sweep's
# blob columns, the tests that empty every table).
SCHEMA = (
    core_models,
    sequences,
    registry_models,
    election_models,
    reports_models,
    screening_models,
    cases_models,
    turnout_models,
    pledges_models,
    briefings_models,
)


def subscribe_handlers() -> None:
    """Subscribe every handler (idempotent: it starts from no subscriptions)."""
    events.reset()
    # reports -> screening: the marker is written in the report's own transaction
    events.subscribe(ReportReceived, screening_handlers.queue_report)
    events.subscribe(EvidenceAdded, screening_handlers.queue_evidence)
    screening_handlers.install_session_hooks()
    # reports -> their own day counts: every flush marks the days it changed
    reports_summary.install_session_hooks()
    # registry -> pledges: who works where decides whose signature counts for which OPD
    events.subscribe(AsnChanged, pledges_handlers.recount_on_asn_change)
    # cases -> their own legal clocks
    for event_type in deadlines.CLOCKS:
        events.subscribe(event_type, deadlines.on_clock_event)


def anchor_file(settings: Settings) -> anchor.AnchorFile:
    """Where this deployment checkpoints its audit chain, signed with its own keyring."""
    return anchor.AnchorFile(
        settings.data_dir / "audit" / "checkpoints.log",
        lambda body: keyring(settings).mac("audit-checkpoint|" + body),
    )


def wire(*, settings: Settings, engine: Engine) -> jobs.JobContext:
    """Subscribe every handler and build the job queue with every domain's tasks."""
    subscribe_handlers()
    anchor.anchor_to(engine, anchor_file(settings))
    return jobs.configure(
        settings=settings,
        engine=engine,
        load_rulebook=load_rulebook,
        registrars=[
            screening_jobs.register,
            reminders.register,
            retention.register,
            pledges_reminders.register,
            reports_jobs.register,
        ],
    )
