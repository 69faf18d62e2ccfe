"""`pledge-reminder` (weekly, Monday 08:00 WIB): each OPD admin hears how many of their OPD's ASN
have not signed an open campaign. The reminder row is the in-app notice and the dedup key (one per
admin, campaign and week); e-mails go out only after it committed, as in cases.reminders.
"""

from __future__ import annotations

import logging
import smtplib
from dataclasses import dataclass
from datetime import date

from huey import crontab
from sqlalchemy import Engine, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from netral.core import jobs
from netral.core.calendar import to_wib_date
from netral.core.db import unit_of_work, utcnow
from netral.core.mail import send_mail
from netral.core.models import User
from netral.core.security import has_permission
from netral.core.settings import Settings
from netral.pledges import service
from netral.pledges.models import PledgeCampaign, PledgeReminder

log = logging.getLogger("netral.pledges.reminders")
JOB = "pledge-reminder"


@dataclass
class Sent:
    campaign_code: str
    username: str
    opd: str
    unsigned: int
    reminder_id: int
    email: str | None
    subject: str
    body: str
    emailed: int = 0


def pledge_reminder(
    *, db_session: Session, settings: Settings, today: date | None = None
) -> list[Sent]:
    """Remind each OPD admin of an open campaign's unsigned ASN in their OPD, once a week."""
    today = today or to_wib_date(utcnow())
    week = service.week_of(today)
    out: list[Sent] = []
    admins = [
        u
        for u in db_session.scalars(
            select(User).where(User.opd_id.is_not(None), User.is_active.is_(True))
        )
        if has_permission(u, "pledges.record")
    ]
    campaigns = db_session.scalars(
        select(PledgeCampaign).where(PledgeCampaign.opens_on <= today).order_by(PledgeCampaign.id)
    )
    for campaign in campaigns:
        if not service.is_open(campaign, today):
            continue
        coverage = {
            c.opd_id: c
            for c in service.campaign_coverage(
                db_session=db_session, scope=service.NATIONAL, campaign=campaign
            )
        }
        for admin in admins:
            row = coverage.get(admin.opd_id or 0)
            if row is None or row.asn == row.signed:
                continue
            missing = row.asn - row.signed
            text = (
                f"{campaign.title}: {missing} dari {row.asn} ASN {row.opd} belum menandatangani "
                f"pakta integritas ({row.percent:.1f}% sudah)."
            )
            reminder = PledgeReminder(
                campaign_id=campaign.id,
                user_id=admin.id,
                opd_id=row.opd_id,
                for_date=week,
                unsigned=missing,
                body=text,
            )
            try:
                with db_session.begin_nested():
                    db_session.add(reminder)
            except IntegrityError:
                continue  # this week's reminder exists: nobody is reminded twice
            out.append(
                Sent(
                    campaign.code,
                    admin.username,
                    row.opd,
                    missing,
                    reminder.id,
                    admin.email,
                    f"[netral] Ikrar netralitas: {missing} ASN {row.opd} belum menandatangani",
                    f"{text}\n\n{settings.base_url}/ikrar/kampanye/{campaign.code}/lembar\n",
                )
            )
    service.delete_expired_codes(db_session=db_session)
    db_session.flush()
    return out


def run_pledge_reminders(
    *, engine: Engine, settings: Settings, today: date | None = None
) -> list[Sent]:
    """The job as one command: remind and commit, then e-mail, then record what was e-mailed."""
    with unit_of_work(engine) as db:
        sent = pledge_reminder(db_session=db, settings=settings, today=today)
    for s in sent:
        if not s.email:
            continue
        try:
            s.emailed = send_mail(settings, [s.email], s.subject, s.body)
        except (OSError, smtplib.SMTPException):
            log.exception(
                "pledge reminder e-mail to %s failed; the in-app notice stands", s.username
            )
    mailed = [s.reminder_id for s in sent if s.emailed]
    if mailed:
        with unit_of_work(engine) as db:
            for reminder in db.scalars(select(PledgeReminder).where(PledgeReminder.id.in_(mailed))):
                reminder.emailed = True
    return sent


def register(ctx: jobs.JobContext) -> None:
    # huey runs in UTC: Monday 08:00 WIB is Monday 01:00 UTC
    ctx.tasks[JOB] = ctx.huey.periodic_task(
        crontab(day_of_week="1", hour="1", minute="0"), name=JOB
    )(lambda: len(run_pledge_reminders(engine=ctx.engine, settings=ctx.settings)))
