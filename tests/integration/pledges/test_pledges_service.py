"""Signing online and on paper, refusals, coverage and the weekly reminder, on SQLite and PostgreSQL."""

from __future__ import annotations

import io
import json
from datetime import UTC, date, datetime, timedelta

import pytest
from PIL import Image
from sqlalchemy import func, select
from typer.testing import CliRunner

from netral.core.audit import AuditEntry
from netral.core.errors import Conflict, Forbidden, ValidationFailed
from netral.core.security import Scope
from netral.core.settings import get_settings
from netral.core.storage import LocalEvidenceStore
from netral.pledges import service
from netral.pledges.models import PledgeOtp, PledgeReminder, PledgeSignature
from netral.pledges.reminders import run_pledge_reminders

from support.pledges import BUDI, outbox_code

CITY = Scope("region", "32.73")


def _png() -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", (60, 40), "white").save(buf, "PNG")
    return buf.getvalue()


def _sign(db, pw, *, now=None, nip=BUDI, code=None):
    sent = service.request_code(
        db_session=db, settings=pw.settings, campaign=pw.campaign, user=pw.asn_user, now=now
    )
    return sent, service.sign_online(
        db_session=db,
        settings=pw.settings,
        campaign=pw.campaign,
        user=pw.asn_user,
        nip=nip,
        code=code or outbox_code(pw.settings),
        now=now,
    )


def test_an_asn_signs_online_with_their_nip_and_the_mailed_code(db, pw):
    sent, sig = _sign(db, pw, nip="19850312 201001 1 003")
    db.commit()
    assert sent.sent_to == "b***o@bandung.go.id"
    assert (sig.method, sig.nip, sig.recorded_by) == ("online", BUDI, pw.asn_user.id)
    assert (
        sig.document_sha256
        == pw.campaign.document_sha256
        == service.document_hash(
            code="ikrar-pilkada-2024",
            version="2024-09",
            pakta_text="Saya tidak akan berpihak kepada pasangan calon mana pun.",
        )
    )
    assert db.scalar(select(func.count()).select_from(PledgeOtp)) == 0  # the code is spent
    actions = set(db.scalars(select(AuditEntry.action)))
    assert "pledges.sign_online" in actions
    # the code never reaches the audit log
    code_free = db.scalars(select(AuditEntry.summary)).all()
    assert all("code" not in json.dumps(s) for s in code_free)


def test_a_second_signature_is_refused_and_nothing_changes(db, pw):
    _sign(db, pw)
    db.commit()
    with pytest.raises(Conflict) as exc:
        service.request_code(
            db_session=db, settings=pw.settings, campaign=pw.campaign, user=pw.asn_user
        )
    assert exc.value.code == "pledges.already_signed"
    assert "sudah ditandatangani pada" in exc.value.message("id")
    assert db.scalar(select(func.count()).select_from(PledgeSignature)) == 1


def test_an_expired_code_is_refused(db, pw):
    t0 = datetime(2026, 11, 30, 2, 0, tzinfo=UTC)
    service.request_code(
        db_session=db, settings=pw.settings, campaign=pw.campaign, user=pw.asn_user, now=t0
    )
    code = outbox_code(pw.settings)
    with pytest.raises(ValidationFailed) as exc:
        service.sign_online(
            db_session=db,
            settings=pw.settings,
            campaign=pw.campaign,
            user=pw.asn_user,
            nip=BUDI,
            code=code,
            now=t0 + timedelta(minutes=pw.settings.pledge_otp_minutes, seconds=1),
        )
    assert exc.value.code == "pledges.otp_expired"
    assert db.scalar(select(func.count()).select_from(PledgeSignature)) == 0


def test_someone_elses_nip_is_refused(db, pw):
    service.request_code(
        db_session=db, settings=pw.settings, campaign=pw.campaign, user=pw.asn_user
    )
    with pytest.raises(ValidationFailed) as exc:
        service.sign_online(
            db_session=db,
            settings=pw.settings,
            campaign=pw.campaign,
            user=pw.asn_user,
            nip="199001012015032001",
            code=outbox_code(pw.settings),
        )
    assert exc.value.code == "pledges.nip_mismatch"
    assert exc.value.problems[0].field == "nip"


def test_wrong_codes_count_although_refused_and_then_lock(db, pw):
    service.request_code(
        db_session=db, settings=pw.settings, campaign=pw.campaign, user=pw.asn_user
    )
    db.commit()
    good = outbox_code(pw.settings)
    wrong = "000000" if good != "000000" else "111111"
    for _ in range(pw.settings.pledge_otp_attempts):
        with pytest.raises(ValidationFailed) as exc:
            service.sign_online(
                db_session=db, settings=pw.settings, campaign=pw.campaign, user=pw.asn_user,
                nip=BUDI, code=wrong,
            )  # fmt: skip
        assert exc.value.code == "pledges.otp_wrong"
        db.rollback()  # as the refused request does
    with pytest.raises(ValidationFailed) as exc:
        service.sign_online(
            db_session=db, settings=pw.settings, campaign=pw.campaign, user=pw.asn_user,
            nip=BUDI, code=good,
        )  # fmt: skip
    assert exc.value.code == "pledges.otp_locked"


def test_an_asn_without_an_email_is_sent_to_their_opd_admin(db, pw):
    pw.budi.contact_enc = None
    db.commit()
    with pytest.raises(ValidationFailed) as exc:
        service.request_code(
            db_session=db, settings=pw.settings, campaign=pw.campaign, user=pw.asn_user
        )
    assert exc.value.code == "pledges.no_email"
    assert "admin OPD" in exc.value.message("id")


def test_paper_sheet_records_every_ticked_asn_or_none(db, pw, tmp_path):
    store = LocalEvidenceStore(tmp_path / "evidence")
    disdik = [a.id for a in service.opd_staff(
        db_session=db, scope=CITY, campaign=pw.campaign, opd_id=pw.disdik_id)]  # fmt: skip
    assert len(disdik) == 2

    def record(user, opd_id, ids, data=None):
        return service.record_paper(
            db_session=db,
            store=store,
            scope=CITY,
            campaign=pw.campaign,
            user=user,
            opd_id=opd_id,
            asn_ids=ids,
            signed_on=date(2024, 9, 10),
            upload=service.SheetUpload(io.BytesIO(data or _png()), "lembar.png", "image/png"),
        )

    # an OPD admin records for their own OPD only
    with pytest.raises(Forbidden) as exc:
        record(pw.opd_admin, pw.disdik_id, disdik)
    assert exc.value.code == "pledges.other_opd"
    # someone of another OPD on the sheet: refused whole
    with pytest.raises(ValidationFailed) as exc:
        record(pw.bkpsdm, pw.disdik_id, [*disdik, pw.budi.id])
    assert exc.value.code == "pledges.not_in_opd"
    # not a PDF, JPG or PNG
    with pytest.raises(ValidationFailed) as exc:
        record(pw.bkpsdm, pw.disdik_id, disdik, b"just some plain text, not a scan\n")
    assert exc.value.code == "pledges.sheet_type"
    assert db.scalar(select(func.count()).select_from(PledgeSignature)) == 0

    result = record(pw.bkpsdm, pw.disdik_id, disdik)
    db.commit()
    assert result.signed == 2 and result.sheet.media_type == "image/png"
    sigs = db.scalars(select(PledgeSignature)).all()
    assert {(s.method, s.sheet_sha256) for s in sigs} == {("paper", result.sheet.sha256)}
    assert store.exists(result.sheet.sha256)
    with pytest.raises(Conflict) as exc:
        record(pw.bkpsdm, pw.disdik_id, disdik[:1])
    assert exc.value.code == "pledges.already_signed"


def test_coverage_and_totals_per_opd_and_unit(db, pw, tmp_path):
    _sign(db, pw)
    store = LocalEvidenceStore(tmp_path / "evidence")
    first = service.opd_staff(db_session=db, scope=CITY, campaign=pw.campaign, opd_id=pw.disdik_id)
    service.record_paper(
        db_session=db, store=store, scope=CITY, campaign=pw.campaign, user=pw.bkpsdm,
        opd_id=pw.disdik_id, asn_ids=[first[0].id], signed_on=date(2024, 9, 10),
        upload=service.SheetUpload(io.BytesIO(_png()), "l.png", "image/png"),
    )  # fmt: skip
    db.commit()
    rows = service.coverage_by_opd(db_session=db, scope=CITY)
    assert [(r.opd_code, r.asn, r.signed, r.percent) for r in rows] == [
        ("DISDIK", 2, 1, 50.0),
        ("DISHUB", 1, 1, 100.0),
    ]
    t = service.totals(db_session=db, scope=CITY)
    assert t is not None
    assert (t.campaign_code, t.asn, t.signed, t.online, t.paper) == (
        "ikrar-pilkada-2024", 3, 2, 1, 1)  # fmt: skip
    # the other region's scope sees none of it
    assert service.coverage_by_opd(db_session=db, scope=Scope("region", "32.04")) == []
    units = service.coverage_by_unit(
        db_session=db, scope=CITY, campaign=pw.campaign, opd_id=pw.disdik_id
    )
    assert [(u.unit, u.asn, u.signed) for u in units] == [("", 2, 1)]
    total, people = service.unsigned(db_session=db, scope=CITY, campaign=pw.campaign)
    assert total == 1 and people[0].opd_code == "DISDIK"


def test_weekly_reminder_reaches_the_opd_admin_once_a_week(db, engine, pw):
    monday = date(2026, 11, 30)
    sent = run_pledge_reminders(engine=engine, settings=pw.settings, today=monday)
    assert [(s.username, s.opd, s.unsigned, s.emailed) for s in sent] == [
        ("opd_admin", "Dinas Perhubungan", 1, 1)
    ]
    again = run_pledge_reminders(engine=engine, settings=pw.settings, today=monday + timedelta(3))
    assert again == []  # same week
    db.expire_all()
    notice = db.scalar(select(PledgeReminder))
    assert notice.emailed and notice.for_date == monday and "1 dari 1 ASN" in notice.body
    mails = list((pw.settings.data_dir / "outbox").glob("*.eml"))
    assert len(mails) == 1 and "admin.dishub@bandung.go.id" in mails[0].read_text()
    # once Budi signs, the next week has nothing to remind
    _sign(db, pw)
    db.commit()
    assert (
        run_pledge_reminders(engine=engine, settings=pw.settings, today=monday + timedelta(7)) == []
    )


def test_cli_coverage_json_contract(db, pw, database_url, monkeypatch):
    from netral.cli import app

    monkeypatch.setenv("NETRAL_DATABASE_URL", database_url)
    get_settings.cache_clear()
    try:
        r = CliRunner().invoke(app, ["pledges", "coverage", "--json"])
        assert r.exit_code == 0, r.output
        rows = json.loads(r.stdout)
        assert rows == [
            {"opd": "Dinas Pendidikan", "asn": 2, "signed": 0},
            {"opd": "Dinas Perhubungan", "asn": 1, "signed": 0},
        ]
        r = CliRunner().invoke(app, ["pledges", "coverage", "--campaign", "nope", "--json"])
        assert r.exit_code == 1 and "pledges.not_found" in r.output
    finally:
        get_settings.cache_clear()
