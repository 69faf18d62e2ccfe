"""The legal clocks on real cases (SQLite and PostgreSQL): each starts on the event's own date,
the assessment from receipt of the report, Pemilu cases on the Pemilu steps, working days skip
cuti bersama, and a decision after the assessment's due date stays visibly late."""

from __future__ import annotations

import tempfile
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import holidays
import pytest
from sqlalchemy import select

from netral.cases import service
from netral.cases.api import case_out
from netral.cases.deadlines import decision_clock
from netral.cases.models import Case
from netral.cases.schemas import TransitionIn
from netral.core.audit import Actor
from netral.core.closures import calendar_for
from netral.core.models import User
from netral.core.security import Scope
from netral.core.storage import LocalEvidenceStore
from netral.election.service import DEMO_ELECTION, read_election_file, upsert_election
from netral.reports import service as reports
from netral.reports.schemas import ReportIn
from netral.rules import load_rulebook

from support.evidence import minimal_pdf
from support.web import World, seed_world

SCOPE = Scope("region", "32.73")
REFERENCE = holidays.country_holidays(
    "ID", years=range(2024, 2026), categories=(holidays.PUBLIC, holidays.GOVERNMENT)
)


def _at(day: date, hour: int = 3) -> datetime:
    """An instant on `day` in WIB (03:00 UTC is 10:00 WIB)."""
    return datetime(day.year, day.month, day.day, hour, 0, tzinfo=UTC)


def _working(start: date, n: int) -> date:
    """Day-by-day count over `holidays` itself (public holidays and cuti bersama)."""
    d = start
    while n:
        d += timedelta(days=1)
        n -= d.weekday() < 5 and d not in REFERENCE
    return d


@pytest.fixture
def world(db) -> World:
    w = seed_world(db)
    db.commit()
    return w


def _user(db, username: str) -> User:
    user = db.scalar(select(User).where(User.username == username))
    assert user is not None
    return user


def _temuan(db, world: World, opened: date) -> Case:
    case = service.open_case(
        db_session=db,
        scope=SCOPE,
        user=_user(db, "bawaslu_staff"),
        title="Temuan pengawasan",
        origin="temuan",
        region="32.73",
        acts=["SKB-07"],
        asn_ids=[world.bandung_asn[0]],
        now=_at(opened),
    )
    db.commit()
    return case


def _file_report(db, tmp_path: Path, filed: date) -> str:
    receipt = reports.submit_report(
        db_session=db,
        store=LocalEvidenceStore(tmp_path / "evidence"),
        rulebook=load_rulebook(),
        calendar=calendar_for(db),
        form=ReportIn(
            description="Camat berpose tiga jari di samping spanduk paslon 3 di balai RW.",
            kecamatan="32.73.01",
            occurred_on=filed - timedelta(days=1),
            known_on=filed - timedelta(days=1),
            category="SKB-07",
            reported_name="Budi Santoso",
            anonymous=True,
        ),
        now=_at(filed, hour=16),  # 23:00 WIB: still that day in Jakarta
    )
    db.commit()
    return receipt.report.number


PLENARY = ("terbukti", "tidak_terbukti", "bukan_netralitas")
PPK_DECISIONS = ("putusan_ppk", "ppk_tidak_terbukti")


def _document(db, case: Case, kind: str) -> None:
    store = LocalEvidenceStore(Path(tempfile.mkdtemp()) / "evidence")
    service.add_document(db_session=db, store=store, case=case, user=_user(db, "bawaslu_staff"),
                         kind=kind, title=kind,
                         upload=service.upload_from_bytes("d.pdf", minimal_pdf(), "application/pdf"))


def _transition(db, case: Case, code: str, who: str, on: date, **fields) -> Case:
    # the 2024 flow: a plenary decision needs its minutes and the members present; the PPK's
    # decision the examination team's report
    if code in PLENARY:
        _document(db, case, "risalah_pleno")
        fields.setdefault("commissioners_present", ["Ketua A", "Anggota B"])
    if code in PPK_DECISIONS:
        _document(db, case, "bap_pemeriksaan")
    service.transition(
        db_session=db,
        case=case,
        code=code,
        user=_user(db, who),
        fields=TransitionIn(**fields),
        store=LocalEvidenceStore(Path(tempfile.mkdtemp()) / "evidence"),
        now=_at(on),
    )
    db.commit()
    return case


# ---------------------------------------------------------------- where each clock starts


def test_the_assessment_counts_from_receipt_of_the_report(db, world, tmp_path):
    number = _file_report(db, tmp_path, date(2024, 10, 7))
    case = service.open_case(
        db_session=db,
        scope=SCOPE,
        user=_user(db, "bawaslu_staff"),
        title="Pose tiga jari",
        report_numbers=[number],
        now=_at(date(2024, 10, 9)),
    )
    db.commit()
    _transition(db, case, "registrasi", "bawaslu_staff", date(2024, 10, 10))
    # received Mon 7 Oct (WIB), 3 calendar days: due Thu 10 Oct, not 13 Oct from registration
    assert case.deadline_step == "bawaslu_assessment"
    assert (case.deadline_start, case.deadline_due) == (date(2024, 10, 7), date(2024, 10, 10))


def test_a_finding_counts_from_the_day_it_was_opened(db, world):
    case = _temuan(db, world, date(2024, 10, 7))
    _transition(db, case, "registrasi", "bawaslu_staff", date(2024, 10, 9))
    assert (case.deadline_start, case.deadline_due) == (date(2024, 10, 7), date(2024, 10, 10))


def test_a_pemilu_case_runs_on_the_pemilu_clock_across_idulfitri_2025(db, world, tmp_path):
    demo = read_election_file(DEMO_ELECTION)
    pemilu = demo.model_copy(
        update={
            "election": demo.election.model_copy(
                update={"kind": "pemilu", "code": "pemilu-uji-2025", "voting_day": date(2025, 6, 1)}
            )
        }
    )
    upsert_election(db_session=db, election_in=pemilu, actor=Actor.system())
    db.commit()
    number = _file_report(db, tmp_path, date(2025, 3, 26))
    case = service.open_case(
        db_session=db,
        scope=SCOPE,
        user=_user(db, "bawaslu_staff"),
        title="Pose tiga jari (Pemilu)",
        report_numbers=[number],
        now=_at(date(2025, 3, 27)),
    )
    db.commit()
    _transition(db, case, "registrasi", "bawaslu_staff", date(2025, 3, 27))
    # UU 7/2017 art. 454: 7 working days from registration, skipping 28 Mar (cuti), 31 Mar-1 Apr
    # (Idulfitri), 2-4 and 7 Apr (cuti bersama)
    assert case.deadline_step == "pemilu_assessment" and case.deadline_kind == "working"
    assert case.deadline_start == date(2025, 3, 27)
    assert case.deadline_due == _working(date(2025, 3, 27), 7) == date(2025, 4, 16)
    due = service.extend_deadline(
        db_session=db, case=case, user=_user(db, "bawaslu_staff"), reason="Keterangan tambahan"
    )
    assert due == _working(date(2025, 3, 27), 14)


def test_a_sanction_clock_starts_on_the_sk_date_not_when_it_is_keyed_in(db, world):
    case = _temuan(db, world, date(2024, 12, 2))
    case.state = "pemeriksaan_ppk"  # BKN recommended, the PPK's team examined
    case.acts[0].proven = True
    db.commit()
    # SK signed Fri 20 Dec 2024, keyed in on Mon 6 Jan 2025
    _transition(
        db,
        case,
        "putusan_ppk",
        "ppk",
        date(2025, 1, 6),
        sk_number="800/123/BKPSDM",
        sk_date=date(2024, 12, 20),
        ethics_sanction="terbuka",  # SKB-07 carries both tracks: a sanction on each
        sanction_level="berat",
        penalty="demotion_12m",
    )
    assert case.deadline_step == "sanction_delivery"
    assert case.deadline_start == date(2024, 12, 20)
    # 14 working days skipping 25 Dec (Natal), 26 Dec (cuti bersama) and 1 Jan
    assert case.deadline_due == _working(date(2024, 12, 20), 14) == date(2025, 1, 14)


def test_the_recorded_event_carries_the_users_date(db, world):
    case = _temuan(db, world, date(2024, 10, 11))
    _transition(db, case, "registrasi", "bawaslu_staff", date(2024, 10, 11))
    case.state = "kajian"
    db.commit()
    _transition(
        db,
        case,
        "tidak_terbukti",
        "bawaslu_commissioner",
        date(2024, 10, 21),
        decision_date=date(2024, 10, 13),
        reason="Tidak cukup bukti",
    )
    decided = case.transitions[-1].fields["clock"]
    assert decided["closed_by"] == "CaseDecided" and decided["closed_on"] == "2024-10-13"
    assert case.deadline_step is None  # the decision stops the clock


# ---------------------------------------------------------------- a late decision shows


def _decide(db, world, decided_on: date, *, extend: bool = False) -> Case:
    case = _temuan(db, world, date(2024, 10, 11))
    _transition(db, case, "registrasi", "bawaslu_staff", date(2024, 10, 11))  # due 14 Oct
    if extend:
        service.extend_deadline(
            db_session=db, case=case, user=_user(db, "bawaslu_staff"), reason="Minta keterangan"
        )
        db.commit()
    case.state = "kajian"
    db.commit()
    return _transition(
        db,
        case,
        "terbukti",
        "bawaslu_commissioner",
        date(2024, 10, 25),  # keyed in long after: the decision's own date is what counts
        decision_date=decided_on,
        reason="Terbukti",
        proven_acts=["SKB-07"],
    )


def test_a_decision_after_the_assessment_deadline_is_late(db, world):
    case = _decide(db, world, date(2024, 10, 16))
    out = case_out(case, db)
    assert out.decided_late is True and out.decided_days_late == 2
    assert out.decision_deadline is not None
    assert out.decision_deadline.due == date(2024, 10, 14)
    assert out.decision_deadline.extended is False
    assert out.decision_deadline.closed_on == date(2024, 10, 16)


def test_a_decision_on_the_due_day_is_on_time(db, world):
    out = case_out(_decide(db, world, date(2024, 10, 14)), db)
    assert out.decided_late is False and out.decided_days_late is None
    assert out.decision_deadline is not None and out.decision_deadline.days_late == 0


def test_a_recorded_extension_moves_the_due_date_and_shows(db, world):
    on_time = case_out(_decide(db, world, date(2024, 10, 16), extend=True), db)
    assert on_time.decided_late is False
    assert on_time.decision_deadline is not None
    assert on_time.decision_deadline.extended is True
    assert on_time.decision_deadline.due == date(2024, 10, 16)
    late = case_out(_decide(db, world, date(2024, 10, 17), extend=True), db)
    assert late.decided_late is True and late.decided_days_late == 1


def test_reopening_forgets_the_decision_and_its_lateness(db, world):
    case = _decide(db, world, date(2024, 10, 16))
    case.state = "selesai"
    db.commit()
    _transition(db, case, "buka_kembali", "bawaslu_commissioner", date(2024, 10, 28), reason="x")
    assert decision_clock(case, calendar_for(db)) is None
    assert case_out(case, db).decided_late is False


def test_the_running_clock_names_its_basis(db, world):
    case = _temuan(db, world, date(2024, 10, 11))
    _transition(db, case, "registrasi", "bawaslu_staff", date(2024, 10, 11))
    deadline = case_out(case, db).deadline
    assert deadline is not None and deadline.counts_from == "receipt"
    assert deadline.confidence == "V"
    assert any("Nomor 10 Tahun 2016" in b and "Pasal 134" in b for b in deadline.basis)
    assert all("uu-10-2016" not in b for b in deadline.basis)  # titles, never internal ids


# ---------------------------------------------------------------- bakal calon / calon


@pytest.mark.parametrize(
    ("acted", "discipline"),
    [(date(2024, 9, 20), False), (date(2024, 9, 24), True)],
    ids=["bakal_calon", "calon"],
)
def test_the_sanction_track_follows_the_act_date_against_the_fixing_of_the_pairs(
    db, world, tmp_path, acted, discipline
):
    """Before the pairs were fixed (22 Sep 2024 in the demo election) the act is an ethics
    breach (PP 42/2004 art. 11(c)); from that day a discipline breach (PP 94/2021 art. 5(n))."""
    upsert_election(
        db_session=db, election_in=read_election_file(DEMO_ELECTION), actor=Actor.system()
    )
    db.commit()
    number = _file_report(db, tmp_path, acted + timedelta(days=1))
    case = service.open_case(
        db_session=db,
        scope=SCOPE,
        user=_user(db, "bawaslu_staff"),
        title="Pose tiga jari",
        report_numbers=[number],
        acts=["SKB-07"],
        now=_at(acted + timedelta(days=1)),
    )
    db.commit()
    ctx = service.law_context(case)
    assert ctx["act_date"] == acted and ctx["candidates_fixed_on"] == date(2024, 9, 22)
    options = service.recommendation_options(case, **ctx)
    assert bool(options["discipline"]) is discipline, options
    assert bool(options["ethics"]) is not discipline, options  # bakal calon: the code of ethics
