"""The named reminder jobs against a real SMTP server (aiosmtpd) with a fixed clock: who is
reminded, of what, once a day however often the job runs."""

from __future__ import annotations

import socket
import tempfile
from datetime import UTC, date, datetime
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from sqlalchemy import func, select

from netral.cases import service
from netral.cases.models import Notification, Reminder
from netral.cases.reminders import mail_notices, run_reminders
from netral.cases.schemas import TransitionIn
from netral.core.models import User
from netral.core.security import Scope
from netral.core.settings import Settings
from netral.core.storage import LocalEvidenceStore

from support.evidence import minimal_pdf
from support.web import seed_world


class Inbox:
    def __init__(self) -> None:
        self.messages: list[tuple[str, list[str], str]] = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append((envelope.mail_from, list(envelope.rcpt_tos),
                              envelope.content.decode("utf-8", "replace")))
        return "250 OK"


@pytest.fixture
def smtp():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    inbox = Inbox()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    yield inbox, port
    controller.stop()


def _at(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, 3, 0, tzinfo=UTC)


@pytest.fixture
def cases_world(db):
    world = seed_world(db)
    for u in db.scalars(select(User)):
        u.email = f"{u.username}@bawaslu.example"
    db.commit()
    chief = db.scalar(select(User).where(User.username == "bawaslu_commissioner"))
    staff = db.scalar(select(User).where(User.username == "bawaslu_staff"))
    scope = Scope("region", "32.73")
    registered = service.open_case(db_session=db, scope=scope, user=staff, title="Temuan A",
                                   origin="temuan", region="32.73", acts=["SKB-07"],
                                   now=_at(date(2024, 10, 11)))
    service.transition(db_session=db, case=registered, code="registrasi", user=staff,
                       now=_at(date(2024, 10, 11)))
    # forwarded to BKN; BKN's recommendation (16 Oct) starts the PPK's clock
    recommended = service.open_case(db_session=db, scope=scope, user=staff, title="Temuan B",
                                    origin="temuan", region="32.73", acts=["SKB-07"],
                                    asn_ids=[world.bandung_asn[0]],
                                    now=_at(date(2024, 10, 1)))
    recommended.state = "diteruskan_bkn"
    recommended.decision_date = date(2024, 10, 15)  # a decided case has its plenary's date
    recommended.acts[0].proven = True
    db.commit()
    store = LocalEvidenceStore(Path(tempfile.mkdtemp()))
    service.add_document(db_session=db, store=store, case=recommended, user=chief,
                         kind="rekomendasi_bkn", title="Rekomendasi BKN",
                         upload=service.upload_from_bytes("r.pdf", minimal_pdf(), "application/pdf"))
    service.transition(db_session=db, case=recommended, code="rekomendasi_bkn", user=chief,
                       fields=TransitionIn(bkn_number="B-1/BKN/2024", bkn_date=date(2024, 10, 16),
                                           bkn_level="berat"),
                       store=store, now=_at(date(2024, 10, 16)))
    db.commit()  # the caller owns the unit of work
    return registered, recommended


def test_deadline_reminder_reaches_the_owner_once_a_day(db, engine, smtp, cases_world):
    inbox, port = smtp
    registered, _ = cases_world
    settings = Settings(smtp_host="127.0.0.1", smtp_port=port, smtp_from="netral@bawaslu.example")
    # registered 11 Oct, 3 calendar days: due 14 Oct. On the 12th nothing is due yet.
    assert run_reminders(engine=engine, settings=settings, job="deadline-reminder", today=date(2024, 10, 12)) == []
    sent = run_reminders(engine=engine, settings=settings, job="deadline-reminder", today=date(2024, 10, 13))
    assert [(s.case_number, s.recipients, s.emailed) for s in sent] == [
        (registered.number, ["bawaslu_staff"], 1)]
    again = run_reminders(engine=engine, settings=settings, job="deadline-reminder", today=date(2024, 10, 13))
    assert again == []  # idempotent: one reminder per case per day
    late = run_reminders(engine=engine, settings=settings, job="deadline-reminder", today=date(2024, 10, 16))
    assert len(late) == 1 and late[0].case_number == registered.number
    assert len(inbox.messages) == 2
    _, to, body = inbox.messages[1]
    assert to == ["bawaslu_staff@bawaslu.example"]
    assert registered.number in body and "lewat" in body
    db.expire_all()
    # the owner's reminders (BKN's recommendation also told the PPK's office and BKPSDM in-app)
    staff = db.scalar(select(User).where(User.username == "bawaslu_staff"))
    notes = db.scalars(select(Notification.body).where(Notification.user_id == staff.id)).all()
    assert len(notes) == 2
    assert all(r.emailed for r in db.scalars(select(Reminder)))  # recorded once sent


def test_ppk_follow_up_reminder_goes_to_bkpsdm_and_the_ppk_in_scope(db, engine, smtp, cases_world):
    inbox, port = smtp
    _, recommended = cases_world
    settings = Settings(smtp_host="127.0.0.1", smtp_port=port)
    # 16 Oct + 14 working days = 5 Nov 2024; on 11 Nov it is overdue
    assert recommended.deadline_due == date(2024, 11, 5)
    sent = run_reminders(engine=engine, settings=settings, job="ppk-follow-up-reminder", today=date(2024, 11, 11))
    assert len(sent) == 1
    assert sorted(sent[0].recipients) == ["bkpsdm", "ppk"]
    assert "lewat" in inbox.messages[0][2]
    assert run_reminders(engine=engine, settings=settings, job="ppk-follow-up-reminder", today=date(2024, 11, 11)) == []
    next_week = run_reminders(engine=engine, settings=settings, job="ppk-follow-up-reminder", today=date(2024, 11, 18))
    assert len(next_week) == 1
    assert db.scalar(select(func.count()).select_from(Reminder)) == 2


def test_bkn_recommendation_tells_the_ppk_office_and_bkpsdm_in_app(db, cases_world):
    """Recorded with the transition, in its unit of work: nobody waits for the weekly job."""
    _, recommended = cases_world
    told = {
        db.get(User, n.user_id).username
        for n in db.scalars(select(Notification).where(Notification.case_id == recommended.id))
    }
    assert told == {"ppk", "bkpsdm"}


def test_what_waits_for_the_ppk_office_is_also_e_mailed_once(db, engine, smtp, cases_world):
    """BKN's recommendation waits for the PPK's office and BKPSDM: after the transition commits,
    the notice mailer e-mails each of them once; a second run sends nothing; the reminders'
    own notices (e-mailed by the reminder jobs) are not sent again by it."""
    inbox, port = smtp
    settings = Settings(smtp_host="127.0.0.1", smtp_port=port, smtp_from="netral@bawaslu.example")
    run_reminders(engine=engine, settings=Settings(), job="deadline-reminder", today=date(2024, 10, 13))
    mailed = mail_notices(engine=engine, settings=settings)
    assert sorted(m.username for m in mailed) == ["bkpsdm", "ppk"]
    assert sorted(to[0] for _, to, _ in inbox.messages) == [
        "bkpsdm@bawaslu.example", "ppk@bawaslu.example"]
    assert all("Rekomendasi BKN" in body for _, _, body in inbox.messages)
    assert mail_notices(engine=engine, settings=settings) == []
    assert len(inbox.messages) == 2


def test_a_dead_smtp_server_keeps_notices_waiting(db, engine, cases_world):
    settings = Settings(smtp_host="127.0.0.1", smtp_port=1)  # nothing listens there
    assert mail_notices(engine=engine, settings=settings) == []
    db.expire_all()
    assert db.scalar(
        select(func.count()).select_from(Notification).where(Notification.mail_pending.is_(True))
    ) == 2  # tried again by the next run


def test_a_dead_smtp_server_still_leaves_the_in_app_notice(db, engine, cases_world):
    settings = Settings(smtp_host="127.0.0.1", smtp_port=1)  # nothing listens there
    sent = run_reminders(engine=engine, settings=settings, job="deadline-reminder", today=date(2024, 10, 13))
    assert len(sent) == 1 and sent[0].emailed == 0
    staff = db.scalar(select(User).where(User.username == "bawaslu_staff"))
    assert db.scalar(
        select(func.count()).select_from(Notification).where(Notification.user_id == staff.id)
    ) == 1
