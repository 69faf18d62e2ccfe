"""The letters a case produces, read back from their PDFs: signed as the office configures (never
by whoever clicked), dated by the decision, the law by its name, only Bawaslu issues them."""

from __future__ import annotations

import re
import subprocess
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from netral.cases import service
from netral.cases.documents import generate_letter
from netral.cases.letters import LETTER_KINDS
from netral.cases.models import Case
from netral.core.calendar import to_wib_date
from netral.core.closures import calendar_for
from netral.core.db import utcnow
from netral.core.errors import Forbidden
from netral.core.models import User
from netral.core.security import Scope
from netral.core.settings import get_settings
from netral.core.storage import LocalEvidenceStore
from netral.reports import service as reports
from netral.reports.schemas import ReportIn
from netral.rules import load_rulebook

from support.pdf import pdf_text
from support.web import World, seed_world

pytestmark = pytest.mark.skipif(
    subprocess.run(["which", "pdftotext"], capture_output=True).returncode != 0,
    reason="poppler-utils (pdftotext) not installed",
)

SCOPE = Scope("region", "32.73")
DECIDED = date(2024, 10, 18)  # the plenary; the letters are made later, on another day
# what an internal id looks like: "skb-2022", "pp-94-2021", "uu-10-2016", "perbawaslu-8-2020"
INTERNAL_ID = re.compile(r"\b(skb|pp|uu|perbawaslu|se-menpanrb)-\d", re.IGNORECASE)

LETTERHEAD = """\
institution: BADAN PENGAWAS PEMILIHAN UMUM KOTA BANDUNG
short_name: Bawaslu Kota Bandung
address: Jl. Uji No. 1, Kota Bandung
city: Bandung
signatory:
  name: Hana Permata, S.H., M.H.
  title: Koordinator Divisi Penanganan Pelanggaran
  on_behalf_of: Ketua Bawaslu Kota Bandung
tembusan:
  - Ketua Bawaslu Provinsi Jawa Barat
  - Ketua Bawaslu Republik Indonesia
recipients:
  ppk: Wali Kota Bandung selaku Pejabat Pembina Kepegawaian
contact: Sekretariat Bawaslu Kota Bandung
"""


@pytest.fixture
def office(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    path = tmp_path / "kop.yaml"
    path.write_text(LETTERHEAD, encoding="utf-8")
    monkeypatch.setenv("NETRAL_LETTERHEAD_FILE", str(path))
    get_settings.cache_clear()
    yield path
    get_settings.cache_clear()


@pytest.fixture
def world(db: Session) -> World:
    return seed_world(db)


@pytest.fixture
def store(tmp_path: Path) -> LocalEvidenceStore:
    return LocalEvidenceStore(tmp_path / "evidence")


def user(db: Session, username: str) -> User:
    found = db.scalar(select(User).where(User.username == username))
    assert found is not None
    return found


def file_report(db: Session, store: LocalEvidenceStore, *, anonymous: bool) -> str:
    today = to_wib_date(utcnow())
    receipt = reports.submit_report(
        db_session=db,
        store=store,
        rulebook=load_rulebook(),
        calendar=calendar_for(db),
        form=ReportIn(
            anonymous=anonymous,
            reporter_name="" if anonymous else "Sri Wahyuni",
            reporter_phone="" if anonymous else "0812-1111-2222",
            reporter_address="" if anonymous else "Jl. Uji No. 2, Bandung",
            description="Kepala seksi berpose dua jari bersama pasangan calon di balai RW.",
            region="32.73",
            occurred_on=today - timedelta(days=2),
            known_on=today - timedelta(days=1),
            reported_name="Budi Santoso",
            category="SKB-07",
        ),
    )
    db.flush()
    return receipt.report.number


def decided_case(db: Session, world: World, report: str | None = None) -> Case:
    """A case proven by the plenary of `DECIDED`, naming the ASN."""
    case = service.open_case(
        db_session=db,
        scope=SCOPE,
        user=user(db, "bawaslu_staff"),
        title="Pose dua jari kepala seksi",
        origin="laporan" if report else "temuan",
        region="32.73",
        report_numbers=[report] if report else [],
        acts=["SKB-07"],
        asn_ids=[world.bandung_asn[0]],
        now=datetime(2024, 10, 10, 3, tzinfo=UTC),
    )
    case.state, case.decision, case.decision_date = "terbukti", "terbukti", DECIDED
    case.acts[0].proven = True
    db.flush()
    return case


def letter_text(
    db: Session, store: LocalEvidenceStore, case: Case, who: str, kind: str, tmp_path: Path
) -> str:
    doc = generate_letter(db_session=db, store=store, case=case, user=user(db, who), kind=kind)
    path = tmp_path / f"{kind}.pdf"
    path.write_bytes(store.read(doc.sha256))
    return pdf_words(path)


def pdf_words(path: Path) -> str:
    """The letter's text twice, whitespace squashed: as laid out (a line across the page reads
    whole) and in reading order (a table cell's lines stay together)."""
    data = path.read_bytes()
    return "\n".join(" ".join(pdf_text(data, layout=layout).split()) for layout in (True, False))


def assert_official(text: str, db: Session) -> None:
    """What every letter of the office must and must not say."""
    assert "Hana Permata, S.H., M.H." in text
    assert "a.n. Ketua Bawaslu Kota Bandung Koordinator Divisi Penanganan Pelanggaran," in text
    for u in db.scalars(select(User)):  # nobody who clicked signs, nor is named at all
        assert u.full_name not in text
    assert not INTERNAL_ID.search(text), INTERNAL_ID.search(text)
    # no software on an official letter: neither its name nor the rulebook's version
    assert not re.search(r"\bnetral\b", text.lower()) and "versi" not in text.lower()
    assert load_rulebook().version not in text


def test_forward_to_bkn_reads_back_as_the_law_wants(
    db: Session, world: World, store: LocalEvidenceStore, office: Path, tmp_path: Path
) -> None:
    case = decided_case(db, world)
    case.bkn_forwarded_on = date(2024, 10, 19)  # the day after the plenary
    text = letter_text(db, store, case, "bawaslu_commissioner", "penerusan_bkn", tmp_path)
    assert_official(text, db)
    assert "Hal : Penerusan Dugaan Pelanggaran Netralitas ASN" in text
    assert "Yth. Kepala Badan Kepegawaian Negara" in text
    assert "Bandung, 19 Oktober 2024" in text  # signed the day it is forwarded, not printed
    assert "rapat pleno Bawaslu Kota Bandung tanggal 18 Oktober 2024" in text
    assert case.number in text and "Budi Santoso" in text and "19850312 201001 1 003" in text
    # the act and the law it breaks, by name
    assert "Keputusan Bersama Menteri Pendayagunaan Aparatur Negara" in text
    assert "Lampiran II" in text
    assert (
        "Lampiran : 1 (satu) berkas kajian dugaan pelanggaran, 1 (satu) berkas berita acara" in text
    )
    assert "Lampiran : –" not in text
    assert (
        "Tembusan: 1. Wali Kota Bandung selaku Pejabat Pembina Kepegawaian 2. Ketua Bawaslu "
        "Provinsi Jawa Barat 3. Ketua Bawaslu Republik Indonesia" in text
    )
    # numbered in the month of the letter's own date
    assert case.documents[-1].number.endswith("/10/2024")


def test_recommendation_is_dated_by_the_decision_and_cites_the_law_by_name(
    db: Session, world: World, store: LocalEvidenceStore, office: Path, tmp_path: Path
) -> None:
    case = decided_case(db, world)
    case.recommendation = {"chosen": {"ethics_kind": "terbuka", "discipline_level": "berat"}}
    text = letter_text(db, store, case, "bawaslu_commissioner", "rekomendasi", tmp_path)
    assert_official(text, db)
    assert "Bandung, 18 Oktober 2024" in text
    assert "Pasal 15 Peraturan Pemerintah Nomor 42 Tahun 2004" in text
    assert "Peraturan Pemerintah Nomor 94 Tahun 2021" in text
    assert "berkas kajian" in text


def test_a_decision_letter_without_a_decision_date_is_refused(
    db: Session, world: World, store: LocalEvidenceStore, office: Path
) -> None:
    case = decided_case(db, world)
    case.decision_date = None
    with pytest.raises(Exception) as caught:
        generate_letter(
            db_session=db,
            store=store,
            case=case,
            user=user(db, "bawaslu_commissioner"),
            kind="penerusan_bkn",
        )
    assert getattr(caught.value, "code", None) == "letters.no_decision"


@pytest.mark.parametrize("who", ["bkpsdm", "ppk"])
@pytest.mark.parametrize("kind", ["penerusan_bkn", "rekomendasi", "undangan_klarifikasi"])
def test_only_bawaslu_issues_bawaslu_letters(
    db: Session, world: World, store: LocalEvidenceStore, office: Path, who: str, kind: str
) -> None:
    case = decided_case(db, world)
    with pytest.raises(Forbidden) as caught:
        generate_letter(db_session=db, store=store, case=case, user=user(db, who), kind=kind)
    assert caught.value.status == 403 and caught.value.code == "letters.not_issuer"
    assert "Bawaslu" in caught.value.message("id") and "Bawaslu" in caught.value.message("en")
    assert case.documents == []


def test_a_bkpsdm_user_cannot_schedule_a_hearing_and_its_invitation(
    db: Session, world: World, store: LocalEvidenceStore, office: Path
) -> None:
    case = decided_case(db, world)
    case.state = "klarifikasi"
    with pytest.raises(Forbidden):
        service.schedule_hearing(
            db_session=db,
            store=store,
            case=case,
            user=user(db, "bkpsdm"),
            party="saksi",
            name="Asep",
            position="Ketua RW",
            scheduled_at=datetime(2024, 10, 14, 2, tzinfo=UTC),
            place="Kantor Bawaslu",
        )


@pytest.mark.parametrize(("party", "label"), [("terlapor", "Terlapor"), ("saksi", "Saksi")])
def test_invitation_says_in_which_capacity_on_what_basis_and_the_register_number(
    db: Session,
    world: World,
    store: LocalEvidenceStore,
    office: Path,
    tmp_path: Path,
    party: str,
    label: str,
) -> None:
    case = decided_case(db, world)
    case.state = "klarifikasi"
    service.schedule_hearing(
        db_session=db,
        store=store,
        case=case,
        user=user(db, "bawaslu_staff"),
        party=party,
        name="Asep Sunandar",
        position="Ketua RW 05",
        scheduled_at=datetime(2024, 10, 14, 2, tzinfo=UTC),
        place="Kantor Bawaslu",
    )
    doc = case.documents[-1]
    path = tmp_path / "inv.pdf"
    path.write_bytes(store.read(doc.sha256))
    text = pdf_words(path)
    assert_official(text, db)
    assert f"mengundang Saudara sebagai {label} untuk hadir" in text
    assert f"nomor register {case.number}" in text
    assert "Pasal 134 Undang-Undang Nomor 10 Tahun 2016" in text
    assert "Peraturan Badan Pengawas Pemilihan Umum Nomor 8 Tahun 2020" in text
    assert "Senin, 14 Oktober 2024" in text and "09.00 WIB" in text
    # an invitation carries its own date of issue
    assert f"Bandung, {to_wib_date(utcnow()).day} " in text


def test_status_notice_names_the_reporter_and_carries_the_decision_date(
    db: Session, world: World, store: LocalEvidenceStore, office: Path, tmp_path: Path
) -> None:
    number = file_report(db, store, anonymous=False)
    case = decided_case(db, world, report=number)
    text = letter_text(db, store, case, "bawaslu_staff", "pemberitahuan_status", tmp_path)
    assert "Yth. Sdr. Sri Wahyuni" in text
    assert "Sdr. Pelapor" not in text
    assert f"{number} yang diregistrasi dengan nomor {case.number}" in text  # the space is back
    assert "Tanggal keputusan : 18 Oktober 2024" in text
    assert "Bandung, 18 Oktober 2024" in text
    assert "Hana Permata, S.H., M.H." in text


def test_an_anonymous_reporter_is_never_named(
    db: Session, world: World, store: LocalEvidenceStore, office: Path, tmp_path: Path
) -> None:
    number = file_report(db, store, anonymous=True)
    case = decided_case(db, world, report=number)
    text = letter_text(db, store, case, "bawaslu_staff", "pemberitahuan_status", tmp_path)
    assert "Yth. Penyampai Informasi" in text
    assert "Sdr." not in text and "Pelapor Laporan" not in text
    assert "Sri Wahyuni" not in text


def test_an_office_replaces_a_template(
    db: Session,
    world: World,
    store: LocalEvidenceStore,
    office: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    own = tmp_path / "templates"
    own.mkdir()
    (own / "penerusan_bkn.html").write_text(
        '{% extends "base.html" %}{% block body %}<p>Templat kantor sendiri untuk '
        "{{ case_number }}.</p>{% endblock %}",
        encoding="utf-8",
    )
    monkeypatch.setenv("NETRAL_LETTER_TEMPLATES_DIR", str(own))
    get_settings.cache_clear()
    case = decided_case(db, world)
    text = letter_text(db, store, case, "bawaslu_commissioner", "penerusan_bkn", tmp_path)
    assert f"Templat kantor sendiri untuk {case.number}." in text
    assert "Hana Permata, S.H., M.H." in text  # the packaged base.html still signs it
    get_settings.cache_clear()


def test_every_kind_has_a_title_and_a_numbering_code() -> None:
    from netral.cases.documents import TITLES
    from netral.cases.letters import DEFAULT_CODES, LetterNumbering, letter_kinds

    assert set(TITLES) == set(DEFAULT_CODES) == set(letter_kinds()) == set(LETTER_KINDS)
    assert set(LetterNumbering.load().codes) == set(LETTER_KINDS)


def test_a_substitute_ppk_takes_the_ppks_copy(
    db: Session, world: World, store: LocalEvidenceStore, office: Path, tmp_path: Path
) -> None:
    """When the person reported is the PPK (a Pj Wali Kota), the forward's copy goes to the
    substitute PPK recorded on the case, not to the Wali Kota's office."""
    case = decided_case(db, world)
    case.bkn_forwarded_on = date(2024, 10, 19)
    case.ppk_substitute, case.ppk_acting = "Menteri Dalam Negeri", "Sekretaris Jenderal"
    db.flush()
    text = letter_text(db, store, case, "bawaslu_commissioner", "penerusan_bkn", tmp_path)
    assert "Menteri Dalam Negeri (Sekretaris Jenderal) selaku Pejabat Pembina" in text
    assert "Wali Kota Bandung selaku Pejabat Pembina Kepegawaian" not in text
