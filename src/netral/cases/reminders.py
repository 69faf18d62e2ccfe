"""Named reminder jobs: `deadline-reminder` (daily, 08:00 WIB) and `ppk-follow-up-reminder`
(weekly, Monday 08:00 WIB). In-app notices always; e-mail through core.mail (SMTP, or the file outbox without it). One reminder
per case, kind and day, whatever how often the job runs (a unique row decides).

`run_reminders` is the command: the reminders and notices commit in one unit of work, and only
then do the e-mails go out (a rolled-back reminder never e-mails anyone); which were sent is
recorded in a second one. A crash between the two leaves the in-app notice, never a double mail.
"""

from __future__ import annotations

import logging
import smtplib
from dataclasses import dataclass, field
from datetime import date

from huey import crontab
from sqlalchemy import Engine, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from netral.cases.deadlines import clock_status
from netral.cases.models import Case, Notification, Reminder
from netral.cases.workflow import workflow
from netral.core import jobs
from netral.core.calendar import to_wib_date
from netral.core.closures import calendar_for
from netral.core.db import unit_of_work, utcnow
from netral.core.mail import send_mail as _send_mail
from netral.core.models import User
from netral.core.security import Scope
from netral.core.settings import Settings

log = logging.getLogger("netral.reminders")
FOLLOW_UP_ROLES = ("bkpsdm", "ppk")
# BKN has recommended and the PPK has not decided yet
FOLLOW_UP_STATES = ("rekomendasi_bkn", "pemeriksaan_ppk")


@dataclass
class Sent:
    case_number: str
    kind: str
    recipients: list[str]
    emailed: int = 0
    reminder_id: int | None = None
    emails: list[str] = field(default_factory=list)
    subject: str = ""
    body: str = ""


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
    db_session.flush()
    return Sent(
        case.number,
        kind,
        reminder.recipients,
        reminder_id=reminder.id,
        emails=[u.email for u in users if u.email],
        subject=f"[netral] {case.number}: {text[:80]}",
        body=f"{text}\n\n{settings.base_url}/kasus/{case.number}\n",
    )


def deliver(*, settings: Settings, sent: list[Sent]) -> None:
    """E-mail each committed reminder; a dead mail server leaves the in-app notice standing."""
    for s in sent:
        try:
            s.emailed = _send_mail(settings, s.emails, s.subject, s.body)
        except (OSError, smtplib.SMTPException):
            log.exception("reminder e-mail for %s failed; the in-app notice stands", s.case_number)


def run_reminders(
    *, engine: Engine, settings: Settings, job: str, today: date | None = None
) -> list[Sent]:
    """Run a named reminder job as one command: remind, commit, then e-mail and record it."""
    with unit_of_work(engine) as db:
        sent = REMINDER_JOBS[job](db_session=db, settings=settings, today=today)
    deliver(settings=settings, sent=sent)
    mailed = [s.reminder_id for s in sent if s.emailed and s.reminder_id is not None]
    if mailed:
        with unit_of_work(engine) as db:
            for reminder in db.scalars(select(Reminder).where(Reminder.id.in_(mailed))):
                reminder.emailed = True
    return sent


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
    """BKN's recommendations not yet decided by the PPK, to BKPSDM and the PPK's office."""
    today = today or to_wib_date(utcnow())
    calendar = calendar_for(db_session)
    out = []
    for case in db_session.scalars(select(Case).where(Case.state.in_(FOLLOW_UP_STATES))):
        clock = clock_status(case, today, calendar)
        late = clock is not None and clock.status == "overdue"
        text = (
            f"{case.register_number or case.number}: rekomendasi BKN {case.bkn_number or ''} "
            f"belum ditindaklanjuti PPK"
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


@dataclass(frozen=True)
class Mailed:
    username: str
    notices: int


def mail_notices(*, engine: Engine, settings: Settings) -> list[Mailed]:
    """E-mail the notices that wait (something handed to a role), one message per person.

    A notice is e-mailed after its transition committed (it is read from the database), and
    marked sent once the mail server took it: a crash in between sends it again, never loses it.
    """
    if not settings.smtp_host:
        return []
    with unit_of_work(engine) as db:
        pending = list(
            db.execute(
                select(Notification.id, Notification.body, User.username, User.email)
                .join(User, User.id == Notification.user_id)
                .where(Notification.mail_pending.is_(True))
                .order_by(Notification.id)
            )
        )
    by_user: dict[tuple[str, str], list[tuple[int, str]]] = {}
    for nid, body, username, email in pending:
        if email:
            by_user.setdefault((username, email), []).append((nid, body))
    out, sent_ids = [], []
    for (username, email), notices in by_user.items():
        body = "\n".join(f"- {text}" for _, text in notices) + f"\n\n{settings.base_url}/\n"
        subject = f"[netral] {len(notices)} pemberitahuan / notice(s)"
        try:
            _send_mail(settings, [email], subject, body)
        except (OSError, smtplib.SMTPException):
            log.exception("notice e-mail failed; the in-app notices stand and are tried again")
            continue
        sent_ids += [nid for nid, _ in notices]
        out.append(Mailed(username, len(notices)))
    if sent_ids:
        with unit_of_work(engine) as db:
            for n in db.scalars(select(Notification).where(Notification.id.in_(sent_ids))):
                n.mail_pending = False
    return out


REMINDER_JOBS = {
    "deadline-reminder": deadline_reminder,
    "ppk-follow-up-reminder": ppk_follow_up_reminder,
}


def _run(job: str) -> int:
    ctx = jobs.context()
    return len(run_reminders(engine=ctx.engine, settings=ctx.settings, job=job))


def register(ctx: jobs.JobContext) -> None:
    # huey runs in UTC: 08:00 WIB is 01:00 UTC
    ctx.tasks["deadline-reminder"] = ctx.huey.periodic_task(
        crontab(hour="1", minute="0"), name="deadline-reminder"
    )(lambda: _run("deadline-reminder"))
    ctx.tasks["notice-mail"] = ctx.huey.periodic_task(crontab(minute="*/5"), name="notice-mail")(
        lambda: len(mail_notices(engine=ctx.engine, settings=ctx.settings))
    )
    ctx.tasks["ppk-follow-up-reminder"] = ctx.huey.periodic_task(
        crontab(day_of_week="1", hour="1", minute="0"), name="ppk-follow-up-reminder"
    )(lambda: _run("ppk-follow-up-reminder"))
