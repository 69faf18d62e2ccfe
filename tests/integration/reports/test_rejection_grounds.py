"""A report not taken further tells its reporter why, in the rulebook's words: staff choose a
ground, the receipt shows its public wording, and the note staff typed (which may name people)
never reaches the reporter. A missing or unknown ground changes nothing. SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from netral.core.audit import Actor
from netral.core.errors import ValidationFailed
from netral.core.models import AuditEntry, User
from netral.reports import service as reports
from netral.reports.models import Report
from netral.rules import load_rulebook

from support.season import add_report

NOTE = "Terlapor Budi Santoso ternyata pegawai swasta (dicek oleh petugas)."


def test_the_reporter_reads_the_ground_and_never_the_staff_note(db: Session, staff: User) -> None:
    report = add_report(db, received=datetime(2024, 10, 8, 3, tzinfo=UTC))
    reports.change_status(
        db_session=db,
        report=report,
        actor=Actor.of(staff),
        to="ditolak",
        reason=NOTE,
        ground="bukan_asn",
    )
    db.commit()
    ground = load_rulebook().report_requirements.rejection_ground("bukan_asn")
    assert ground is not None
    lines = reports.public_progress(db_session=db, report=report)
    rejected = [line for line in lines if line.stage == "ditolak"]
    assert len(rejected) == 1
    assert rejected[0].label("id") == f"Tidak dapat ditindaklanjuti: {ground.public.id}"
    assert rejected[0].label("en") == f"Cannot be taken further: {ground.public.en}"
    for line in lines:
        assert "Budi" not in line.label("id") and "swasta" not in line.label("en")
    # staff keep their note; the audit trail holds the ground as a code
    assert report.status_reason == NOTE
    summary = db.scalar(
        select(AuditEntry.summary)
        .where(AuditEntry.action == "report.status", AuditEntry.object_id == report.number)
        .order_by(AuditEntry.id.desc())
    )
    assert summary is not None and summary["ground"] == "bukan_asn"


@pytest.mark.parametrize("ground", ["", "bosan", "BUKAN_ASN"])
def test_a_rejection_without_a_known_ground_changes_nothing(
    db: Session, staff: User, ground: str
) -> None:
    report = add_report(db, received=datetime(2024, 10, 8, 3, tzinfo=UTC))
    db.commit()
    audits = db.scalar(select(func.count()).select_from(AuditEntry))
    with pytest.raises(ValidationFailed) as caught:
        reports.change_status(
            db_session=db,
            report=report,
            actor=Actor.of(staff),
            to="ditolak",
            reason=NOTE,
            ground=ground,
        )
    problems = caught.value.problems
    assert [p.field for p in problems] == ["ground"]
    assert "dasar penolakan" in problems[0].message_id
    db.rollback()
    assert db.scalar(select(Report.status).where(Report.id == report.id)) == "baru"
    assert db.scalar(select(func.count()).select_from(AuditEntry)) == audits


def test_every_ground_is_worded_for_the_reporter_in_both_languages() -> None:
    grounds = load_rulebook().report_requirements.rejection_grounds
    assert {"terlambat", "syarat_formil", "syarat_materiil", "bukan_asn"} <= {
        g.code for g in grounds
    }
    for g in grounds:
        assert g.public.id.strip() and g.public.en.strip() and g.basis
