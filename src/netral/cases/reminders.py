"""Named reminder jobs: `deadline-reminder` (daily, 08:00 WIB) and `ppk-follow-up-reminder`
(weekly, Monday 08:00 WIB). In-app notices always; e-mail when SMTP is configured. One reminder
per case, kind and day, whatever how often the job runs (a unique row decides)."""

from __future__ import annotations

import logging
import smtplib
from dataclasses import dataclass
from datetime import date
from email.message import EmailMessage

from huey import crontab
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from netral.cases.deadlines import clock_status
from netral.cases.models import Case, Notification, Reminder
from netral.cases.workflow import workflow
from netral.core import jobs
from netral.core.calendar import to_wib_date
from netral.core.closures import calendar_for
from netral.core.db import unit_of_work, utcnow
from netral.core.models import User
from netral.core.security import Scope
from netral.core.settings import Settings

log = logging.getLogger("netral.reminders")
FOLLOW_UP_ROLES = ("bkpsdm", "ppk")


@dataclass(frozen=True)
class Sent:
    case_number: str
    kind: str
    recipients: list[str]
    emailed: int


def _send_mail(settings: Settings, to: list[str], subject: str, body: str) -> int:
    if not settings.smtp_host or not to:
        return 0
    msg = EmailMessage()
    msg["From"], msg["To"], msg["Subject"] = settings.smtp_from, ", ".join(to), subject
    msg.set_content(body)
    with smtplib.SMTP(settings.smtp_host, settings.smtp_port, timeout=10) as smtp:
        if settings.smtp_starttls:
            smtp.starttls()
        if settings.smtp_user:
            smtp.login(settings.smtp_user, settings.smtp_password)
        smtp.send_message(msg)
    return len(to)


def _remind(
    db_session: Session,
    settings: Settings,
    case: Case,
    kind: str,
    today: date,
    users: list[User],
    text: str,
) -> Sent | None:
    """Write the reminder row first: if today's already exists, nobody is reminded twice."""
    reminder = Reminder(
        case_id=case.id, kind=kind, for_date=today, recipients=[u.username for u in users]
    )
    try:
        with db_session.begin_nested():
            db_session.add(reminder)
    except IntegrityError:
        return None
    for u in users:
        db_session.add(Notification(user_id=u.id, case_id=case.id, body=text))
    db_session.commit()
    emails = [u.email for u in users if u.email]
    sent = 0
    try:
        sent = _send_mail(
            settings,
            emails,
            f"[netral] {case.number}: {text[:80]}",
            f"{text}\n\n{settings.base_url}/kasus/{case.number}\n",
        )
    except (OSError, smtplib.SMTPException):
        log.exception("reminder e-mail for %s failed; the in-app notice stands", case.number)
    if sent:
        reminder.emailed = True
        db_session.commit()
    return Sent(case.number, kind, reminder.recipients, sent)


def _in_scope(db_session: Session, roles: tuple[str, ...], region: str) -> list[User]:
    users = db_session.scalars(select(User).where(User.role.in_(roles), User.is_active.is_(True)))
    return [u for u in users if Scope.of(u).covers(region)]


def deadline_reminder(
    *, db_session: Session, settings: Settings, today: date | None = None
) -> list[Sent]:
    """Cases due within a day or overdue, to their owners."""
    today = today or to_wib_date(utcnow())
    calendar = calendar_for(db_session)
    final = workflow().final
    out = []
    for case in db_session.scalars(
        select(Case).where(Case.deadline_due.is_not(None), Case.state.not_in(final))
    ):
        clock = clock_status(case, today, calendar)
        if clock is None or clock.status == "on_time" or case.owner_user_id is None:
            continue
        owner = db_session.get(User, case.owner_user_id)
        if owner is None:
            continue
        text = f"{case.number}: tenggat {case.deadline_step} " + (
            f"lewat {-clock.days_left} hari ({clock.due})"
            if clock.status == "overdue"
            else f"jatuh tempo {clock.due}"
        )
        sent = _remind(db_session, settings, case, "deadline", today, [owner], text)
        if sent:
            out.append(sent)
    return out


def ppk_follow_up_reminder(
    *, db_session: Session, settings: Settings, today: date | None = None
) -> list[Sent]:
    """Recommendations not yet acted on by the PPK, to BKPSDM and the PPK's office."""
    today = today or to_wib_date(utcnow())
    calendar = calendar_for(db_session)
    out = []
    for case in db_session.scalars(select(Case).where(Case.state == "rekomendasi")):
        clock = clock_status(case, today, calendar)
        late = clock is not None and clock.status == "overdue"
        text = (
            f"{case.number}: rekomendasi {case.recommendation_number or ''} belum "
            f"ditindaklanjuti PPK"
            + (
                f"; lewat {-clock.days_left} hari kerja dari tenggat {clock.due}"
                if late and clock
                else ""
            )
        )
        users = _in_scope(db_session, FOLLOW_UP_ROLES, case.region_code)
        sent = _remind(db_session, settings, case, "ppk_follow_up", today, users, text)
        if sent:
            out.append(sent)
    return out


REMINDER_JOBS = {
    "deadline-reminder": deadline_reminder,
    "ppk-follow-up-reminder": ppk_follow_up_reminder,
}


def _run(job: str) -> int:
    ctx = jobs.context()
    with unit_of_work(ctx.engine) as db:
        return len(REMINDER_JOBS[job](db_session=db, settings=ctx.settings))


def register(ctx: jobs.JobContext) -> None:
    # huey runs in UTC: 08:00 WIB is 01:00 UTC
    ctx.tasks["deadline-reminder"] = ctx.huey.periodic_task(
        crontab(hour="1", minute="0"), name="deadline-reminder"
    )(lambda: _run("deadline-reminder"))
    ctx.tasks["ppk-follow-up-reminder"] = ctx.huey.periodic_task(
        crontab(day_of_week="1", hour="1", minute="0"), name="ppk-follow-up-reminder"
    )(lambda: _run("ppk-follow-up-reminder"))
