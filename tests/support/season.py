"""A season's worth of reports and cases written straight into the tables, for the dashboard and
export tests: every row's date, category, place, state and sanction is chosen, so each aggregate
has an exact expected count."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from sqlalchemy.orm import Session

from netral.cases.models import Case, CaseAsn
from netral.core.audit import Actor
from netral.core.calendar import WIB
from netral.core.crypto import keyring
from netral.election.service import DEMO_ELECTION, read_election_file, upsert_election
from netral.registry.models import Asn
from netral.reports.models import Report

SUKASARI, COBLONG = "32.73.01", "32.73.02"
_n = {"report": 0, "case": 0}


def wib(day: date, hour: int = 10) -> datetime:
    """An aware datetime at `hour` WIB on `day`, in UTC as stored."""
    return datetime(day.year, day.month, day.day, hour, tzinfo=WIB).astimezone(UTC)


def add_election(db: Session) -> None:
    upsert_election(
        db_session=db, election_in=read_election_file(DEMO_ELECTION), actor=Actor.system()
    )
    db.flush()


def add_report(
    db: Session,
    *,
    received: datetime,
    region: str = "32.73",
    category: str | None = "SKB-07",
    kecamatan: str | None = SUKASARI,
    status: str = "baru",
    asn_id: int | None = None,
    reporter: str | None = None,
    description: str = "Berfoto dengan pose jari",
    reported_name: str = "Budi Santoso",
) -> Report:
    _n["report"] += 1
    number = f"LAP-2024-{_n['report']:06d}"
    sealed = None
    if reporter is not None:
        sealed = keyring().encrypt(
            json.dumps({"name": reporter, "phone": "081234567890", "email": "p@example.id"}),
            number.encode(),
        )
    # as intake does: the named ASN's OPD is kept on the report
    opd_id = db.get(Asn, asn_id).opd_id if asn_id is not None else None  # type: ignore[union-attr]
    r = Report(
        number=number,
        region_code=region,
        kind="laporan" if reporter else "informasi_awal",
        channel="publik",
        status=status,
        anonymous=reporter is None,
        reporter_enc=sealed,
        receipt_mac="0" * 64,
        reported_name=reported_name,
        reported_phone="0811111111",
        reported_address="Jl. Rahasia 1",
        reported_asn_id=asn_id,
        reported_opd_id=opd_id,
        description=description,
        kecamatan_code=kecamatan,
        occurred_on=received.date() - timedelta(days=1),
        known_on=received.date() - timedelta(days=1),
        category=category,
        rulebook_version="2024.2",
        filing_due_on=received.date() + timedelta(days=6),
        created_at=received,
        updated_at=received,
    )
    db.add(r)
    db.flush()
    return r


def add_case(
    db: Session,
    *,
    opened: datetime,
    state: str,
    region: str = "32.73",
    asn_id: int | None = None,
    deadline: tuple[str, date] | None = None,
    bkn_date: date | None = None,
    sk: tuple[str, str | None, str | None] | None = None,  # (number, level, ethics)
    carried_out_on: date | None = None,
    title: str = "Dugaan pelanggaran netralitas",
) -> Case:
    _n["case"] += 1
    c = Case(
        number=f"KASUS-2024-{_n['case']:06d}",
        region_code=region,
        origin="temuan",
        title=title,
        state=state,
        rulebook_version="2024.2",
        created_at=opened,
        updated_at=opened,
        bkn_date=bkn_date,
        bkn_number="REK-1" if bkn_date else None,
        bkn_level="berat" if bkn_date else None,
        carried_out_on=carried_out_on,
    )
    if deadline:
        c.deadline_step, c.deadline_due = deadline
        c.deadline_start = deadline[1] - timedelta(days=3)
        c.deadline_kind = "working" if deadline[0] != "bawaslu_assessment" else "calendar"
    if sk:
        c.sk_number, c.sanction_level, c.ethics_sanction = sk
        c.sk_date = bkn_date
        c.penalty = "demotion_12m" if sk[1] == "berat" else None
    db.add(c)
    db.flush()
    if asn_id is not None:
        a = db.get(Asn, asn_id)
        assert a is not None
        db.add(
            CaseAsn(
                case_id=c.id,
                asn_id=a.id,
                nip=a.nip,
                name=a.name,
                kind=a.kind,
                position=a.position,
                opd=a.opd.name,
            )
        )
        db.flush()
    return c


@dataclass
class Season:
    """What `seed_season` wrote, as the dashboard should count it."""

    reports_in_window: int
    by_category: dict[str | None, int]
    by_kecamatan: dict[str | None, int]
    by_status: dict[str, int]
    by_day: dict[date, int]
    cases: int
    by_state: dict[str, int]


def seed_season(db: Session, asn: list[int], other_region_asn: list[int]) -> Season:
    """Reports and cases inside the Pilkada 2024 season of Kota Bandung, plus rows that must
    not be counted (another region, before the window)."""
    add_election(db)
    d = date(2024, 10, 8)
    plan = [
        # (day offset, category, kecamatan, status, asn index)
        (0, "SKB-07", SUKASARI, "baru", 0),
        (0, "SKB-07", SUKASARI, "diperiksa", 0),
        (1, "SKB-02", COBLONG, "diteruskan", 1),
        (1, "SKB-07", COBLONG, "baru", None),
        (2, None, None, "ditolak", None),
        (5, "SKB-01", SUKASARI, "diteruskan", 2),
        (5, "SKB-07", SUKASARI, "baru", 1),
    ]
    for offset, cat, kec, status, who in plan:
        add_report(db, received=wib(d + timedelta(days=offset)), category=cat, kecamatan=kec,
                   status=status, asn_id=asn[who] if who is not None else None,
                   reporter="Warga Pelapor" if offset == 1 else None)  # fmt: skip
    # a report at 23:30 WIB on Oct 9 is Oct 9 in Jakarta (16:30 UTC), not the 10th
    add_report(db, received=wib(d + timedelta(days=1), 23), category="SKB-02", kecamatan=COBLONG)
    # not counted: another region, and long before the season
    add_report(db, received=wib(d), region="32.04", kecamatan=None, asn_id=other_region_asn[0])
    add_report(db, received=wib(date(2023, 1, 5)), category="SKB-09")

    by_category = {"SKB-07": 4, "SKB-02": 2, None: 1, "SKB-01": 1}
    by_kecamatan = {SUKASARI: 4, COBLONG: 3, None: 1}
    by_status = {"baru": 4, "diperiksa": 1, "diteruskan": 2, "ditolak": 1}
    by_day = {d: 2, d + timedelta(days=1): 3, d + timedelta(days=2): 1, d + timedelta(days=5): 2}

    today = date(2024, 11, 20)
    opened = wib(date(2024, 10, 11))
    # recommendations: 2 carried out, 1 pending on time, 2 pending overdue, 1 not proven
    add_case(db, opened=opened, state="selesai", asn_id=asn[0], bkn_date=date(2024, 10, 20),
             sk=("SK-1", "berat", "terbuka"), carried_out_on=date(2024, 11, 10))  # fmt: skip
    add_case(db, opened=opened, state="dilaksanakan", asn_id=asn[1], bkn_date=date(2024, 10, 21),
             sk=("SK-2", "sedang", None), carried_out_on=date(2024, 11, 12))  # fmt: skip
    add_case(db, opened=opened, state="rekomendasi_bkn", asn_id=asn[2], bkn_date=date(2024, 11, 15),
             deadline=("ppk_follow_up", today + timedelta(days=5)))  # fmt: skip
    add_case(db, opened=opened, state="pemeriksaan_ppk", asn_id=asn[0], bkn_date=date(2024, 10, 15),
             deadline=("ppk_follow_up", today - timedelta(days=3)))  # fmt: skip
    add_case(db, opened=opened, state="putusan_ppk", asn_id=asn[1], bkn_date=date(2024, 10, 16),
             sk=("SK-3", "berat", None), deadline=("sanction_delivery", today - timedelta(days=1)))  # fmt: skip
    add_case(db, opened=opened, state="ppk_tidak_terbukti", asn_id=asn[2], bkn_date=date(2024, 10, 17),
             sk=("SK-4", None, None))  # fmt: skip
    # before any recommendation
    add_case(db, opened=opened, state="klarifikasi",
             deadline=("bawaslu_assessment", today - timedelta(days=10)))  # fmt: skip
    add_case(
        db,
        opened=opened,
        state="kajian",
        deadline=("bawaslu_assessment", today + timedelta(days=1)),
    )
    # not counted: another region
    add_case(db, opened=opened, state="rekomendasi_bkn", region="32.04", asn_id=other_region_asn[0],
             bkn_date=date(2024, 10, 20))  # fmt: skip
    db.commit()
    by_state = {"selesai": 1, "dilaksanakan": 1, "rekomendasi_bkn": 1, "pemeriksaan_ppk": 1,
                "putusan_ppk": 1, "ppk_tidak_terbukti": 1, "klarifikasi": 1, "kajian": 1}  # fmt: skip
    return Season(8, by_category, by_kecamatan, by_status, by_day, 8, by_state)


TODAY = date(2024, 11, 20)
