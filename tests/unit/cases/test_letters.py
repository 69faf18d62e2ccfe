"""Letters: rendered to PDF by WeasyPrint, read back with pdftotext, checked for what they say."""

from __future__ import annotations

import shutil
import subprocess
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest

from netral.cases.letters import (
    LETTER_KINDS,
    Letterhead,
    LetterNumbering,
    cite,
    fmt_datetime,
    fmt_nip,
    render_html,
    render_pdf,
    terbilang,
)
from netral.core.errors import NetralError

needs_poppler = pytest.mark.skipif(
    shutil.which("pdftotext") is None or shutil.which("pdftoppm") is None,
    reason="poppler-utils (pdftotext, pdftoppm) not installed: apt-get install poppler-utils",
)

WHEN = date(2024, 10, 16)
SCRIPT = "<script>alert(1)</script>"


def contexts() -> dict[str, dict[str, Any]]:
    """A normal context per kind: fictional people, the 2024 Pilkada season."""
    return {
        "tanda_terima": {
            "report_number": "LAP-2024-000123",
            "received_at": datetime(2024, 10, 16, 3, 15, tzinfo=UTC),  # 10.15 WIB
            "reporter_name": "Siti Rahmawati",
            "reported_name": "Drs. Budi Santoso",
            "reported_position": "Camat Cibeunying Kaler",
            "summary": "Terlapor mengunggah foto bersama pasangan calon nomor urut 2 dengan "
            "pose dua jari di akun Instagram pribadinya.",
            "evidence_count": 3,
            "filing_due_on": date(2024, 10, 20),
            "is_late": False,
        },
        "undangan_klarifikasi": {
            "case_number": "KASUS-2024-000045",
            "addressee_name": "Drs. Budi Santoso",
            "addressee_position": "Camat Cibeunying Kaler",
            "hearing_at": datetime(2024, 10, 21, 2, 0, tzinfo=UTC),  # Monday 09.00 WIB
            "place": "Ruang Rapat Bawaslu Kota Bandung",
            "matter": "unggahan foto dengan pose dua jari di media sosial",
            "contact_officer": {"name": "Rina Kartika", "phone": "0812-0000-0000"},
        },
        "pemberitahuan_status": {
            "report_number": "LAP-2024-000123",
            "case_number": "KASUS-2024-000045",
            "status_label": "Diregistrasi",
            "reason": "Laporan memenuhi syarat formil dan syarat materiel.",
            "decided_on": date(2024, 10, 18),
            "reporter_name": "Siti Rahmawati",
        },
        "rekomendasi": {
            "case_number": "KASUS-2024-000045",
            "asn": [
                {
                    "name": "Drs. Budi Santoso",
                    "nip": "198503122010011003",
                    "position": "Camat Cibeunying Kaler",
                    "opd": "Kecamatan Cibeunying Kaler",
                    "kind": "PNS",
                }
            ],
            "acts": [
                {
                    "code": "7",
                    "name": "Mengunggah foto bersama calon dengan pose jari yang menunjukkan "
                    "keberpihakan",
                    "basis": "SKB 2022 Lampiran II angka 7",
                }
            ],
            "ethics": {
                "name": "Pernyataan secara terbuka",
                "kind": "sanksi moral",
                "basis": "PP 42/2004 Pasal 15",
            },
            "discipline": {
                "level_name": "berat",
                "penalties": [
                    "penurunan jabatan setingkat lebih rendah selama 12 bulan",
                    "pembebasan dari jabatan menjadi jabatan pelaksana selama 12 bulan",
                    "pemberhentian dengan hormat tidak atas permintaan sendiri sebagai PNS",
                ],
                "basis": "PP 94/2021 Pasal 14 huruf i",
            },
            "criminal": None,
            "conflict_note": None,
            "rulebook_version": "2024.10",
            "follow_up_due": date(2024, 11, 5),
            "addressees": [
                "Kepala Badan Kepegawaian Negara",
                "Wali Kota Bandung selaku Pejabat Pembina Kepegawaian",
            ],
            "signatory": {"name": "Dr. Ahmad Fauzi, S.H.", "title": "Ketua Bawaslu Kota Bandung"},
            "tembusan": ["Ketua Bawaslu Provinsi Jawa Barat", "Arsip"],
        },
        "penerusan_bkn": {
            "case_number": "001/Reg/LP/PW/Kota/13.01/X/2024",
            "asn": [
                {
                    "name": "Drs. Budi Santoso",
                    "nip": "198503122010011003",
                    "position": "Camat Cibeunying Kaler",
                    "opd": "Kecamatan Cibeunying Kaler",
                    "kind": "PNS",
                }
            ],
            "acts": [
                {
                    "code": "SKB-07",
                    "name": "Mengunggah foto bersama calon dengan pose jari yang menunjukkan "
                    "keberpihakan",
                    "basis": cite("pp-94-2021", "Pasal 5 huruf n"),
                }
            ],
            "decided_on": date(2024, 10, 18),
            "addressees": ["Kepala Badan Kepegawaian Negara"],
            "signatory": {
                "name": "Rina Kartika, S.H.",
                "title": "Koordinator Divisi Penanganan Pelanggaran",
                "on_behalf_of": "Ketua Bawaslu Kota Bandung",
            },
            "basis": [cite("perbawaslu-8-2020")],
            "lampiran": [
                {"name": "kajian dugaan pelanggaran", "count": 1},
                {"name": "berita acara rapat pleno", "count": 1},
                {"name": "bukti", "count": 3},
            ],
            "tembusan": [
                "Wali Kota Bandung selaku Pejabat Pembina Kepegawaian",
                "Ketua Bawaslu Provinsi Jawa Barat",
                "Ketua Bawaslu Republik Indonesia",
            ],
        },
        "penerusan_apk": {
            "report_number": "LAP-2024-000130",
            "received_at": datetime(2024, 10, 15, 1, 30, tzinfo=UTC),
            "addressees": ["Kepala Satuan Polisi Pamong Praja Kota Bandung"],
            "signatory": {"name": "Rina Kartika, S.H.", "title": "Ketua Bawaslu Kota Bandung"},
            "category": "Alat peraga kampanye dipasang di tempat terlarang",
            "place_kind": "Tempat ibadah",
            "location": "Halaman masjid (contoh), Kecamatan Coblong",
            "point": "-6.921400, 107.611200",
            "occurred_on": date(2024, 10, 14),
            "rule": {
                "name": "larangan memasang alat peraga dan bahan kampanye di tempat ibadah",
                "basis": cite("uu-10-2016", "Pasal 69 huruf i"),
            },
            "request": "menertibkan (menurunkan) alat peraga kampanye tersebut",
            "basis": [cite("pkpu-13-2024")],
            "lampiran": [{"name": "foto alat peraga kampanye", "count": 1}],
            "tembusan": ["Ketua Bawaslu Provinsi Jawa Barat"],
        },
    }


# what each letter must say, beyond the kop, the number and the date line
EXPECTED = {
    "tanda_terima": [
        "Tanda Terima Laporan",
        "Yth. Sdr. Siti Rahmawati",
        "LAP-2024-000123",
        "Rabu, 16 Oktober 2024 pukul 10.15 WIB",
        "Drs. Budi Santoso",
        "Camat Cibeunying Kaler",
        "3 (tiga) berkas",
        "20 Oktober 2024",
        "bukan merupakan bukti bahwa laporan telah diregistrasi",
    ],
    "undangan_klarifikasi": [
        "Undangan Klarifikasi",
        "Yth. Sdr. Drs. Budi Santoso",
        "KASUS-2024-000045",
        "Senin, 21 Oktober 2024",
        "09.00 WIB s.d. selesai",
        "Ruang Rapat Bawaslu Kota Bandung",
        "pose dua jari",
        "Rina Kartika (0812-0000-0000)",
    ],
    "pemberitahuan_status": [
        "Pemberitahuan Status Laporan",
        "Yth. Sdr. Siti Rahmawati",
        "LAP-2024-000123",
        "KASUS-2024-000045",
        "Diregistrasi",
        "18 Oktober 2024",
        "memenuhi syarat formil",
    ],
    "rekomendasi": [
        "Yth.",
        "Rekomendasi Penjatuhan Sanksi",
        "Kepala Badan Kepegawaian Negara",
        "Pejabat Pembina Kepegawaian",
        "KASUS-2024-000045",
        "Drs. Budi Santoso",
        "19850312 201001 1 003",
        "PNS",
        "SKB 2022 Lampiran II angka 7",
        "Pernyataan secara terbuka",
        "PP 42/2004 Pasal 15",
        "tingkat berat",
        "penurunan jabatan setingkat lebih rendah",
        "PP 94/2021 Pasal 14 huruf i",
        "paling lambat 5 November 2024",
        "Dr. Ahmad Fauzi, S.H.",
        "Tembusan:",
        "Ketua Bawaslu Provinsi Jawa Barat",
    ],
    "penerusan_apk": [
        "Penerusan Laporan Alat Peraga Kampanye",
        "Yth. Kepala Satuan Polisi Pamong Praja Kota Bandung",
        "LAP-2024-000130",
        "Tempat ibadah",
        "-6.921400, 107.611200",
        "Pasal 69 huruf i Undang-Undang Nomor 10 Tahun 2016",
        "Berdasarkan Peraturan Komisi Pemilihan Umum Nomor 13 Tahun 2024",
        "Lampiran : 1 (satu) berkas foto alat peraga kampanye",
        "kami mohon Kepala Satuan Polisi Pamong Praja Kota Bandung menertibkan",
    ],
    "penerusan_bkn": [
        "Penerusan Dugaan Pelanggaran Netralitas ASN",
        "Yth. Kepala Badan Kepegawaian Negara",
        "001/Reg/LP/PW/Kota/13.01/X/2024",
        "rapat pleno Bawaslu Kota Bandung tanggal 18 Oktober 2024",
        "Drs. Budi Santoso",
        "19850312 201001 1 003",
        "Pasal 5 huruf n Peraturan Pemerintah Nomor 94 Tahun 2021",
        "Berdasarkan Peraturan Badan Pengawas Pemilihan Umum Nomor 8 Tahun 2020",
        "Lampiran : 1 (satu) berkas kajian dugaan pelanggaran, 1 (satu) berkas berita acara "
        "rapat pleno, 3 (tiga) berkas bukti",
        "a.n. Ketua Bawaslu Kota Bandung Koordinator Divisi Penanganan Pelanggaran,",
        "Rina Kartika, S.H.",
        "Tembusan:",
        "Wali Kota Bandung selaku Pejabat Pembina Kepegawaian",
        "Ketua Bawaslu Republik Indonesia",
    ],
}


@pytest.fixture(scope="module")
def letterhead() -> Letterhead:
    return Letterhead.load()


@pytest.fixture(scope="module")
def numbering() -> LetterNumbering:
    return LetterNumbering()


def pdf(kind: str, context: dict[str, Any], letterhead: Letterhead, seq: int = 1) -> bytes:
    number = LetterNumbering().format(seq=seq, kind=kind, when=WHEN)
    return render_pdf(kind, context, letterhead=letterhead, number=number, when=WHEN)


def pdf_text(data: bytes, tmp_path: Path) -> tuple[str, int]:
    """The text (layout kept, lines joined loosely) and the page count."""
    path = tmp_path / "letter.pdf"
    path.write_bytes(data)
    out = subprocess.run(
        ["pdftotext", "-layout", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout
    pages = out.count("\f") or 1  # pdftotext ends every page with a form feed
    return out, pages


def raw_text(data: bytes, tmp_path: Path) -> str:
    """The text in reading order (no layout): a table cell's lines stay together."""
    path = tmp_path / "letter-raw.pdf"
    path.write_bytes(data)
    return subprocess.run(
        ["pdftotext", str(path), "-"], capture_output=True, text=True, check=True
    ).stdout


def squash(text: str) -> str:
    """Whitespace runs to one space, so a phrase matches across a table's column gaps."""
    return " ".join(text.split())


@pytest.fixture(scope="module")
def rendered(letterhead: Letterhead) -> dict[str, bytes]:
    return {kind: pdf(kind, contexts()[kind], letterhead) for kind in LETTER_KINDS}


# ---------------------------------------------------------------------------------------------
# What each letter says
# ---------------------------------------------------------------------------------------------


@needs_poppler
@pytest.mark.parametrize("kind", LETTER_KINDS)
def test_letter_reads_back_with_its_content_on_one_page(
    kind: str, rendered: dict[str, bytes], numbering: LetterNumbering, tmp_path: Path
) -> None:
    text, pages = pdf_text(rendered[kind], tmp_path)
    flat = squash(text)
    raw = squash(raw_text(rendered[kind], tmp_path))
    assert pages == 1
    assert "BADAN PENGAWAS PEMILIHAN UMUM KOTA BANDUNG" in text
    assert "(contoh)" in text  # the shipped letterhead is an example, and says so
    assert numbering.format(seq=1, kind=kind, when=WHEN) in text
    assert "Bandung, 16 Oktober 2024" in text
    for label in ("Nomor", "Sifat", "Lampiran", "Hal"):
        assert label in text
    assert "Yth." in text
    for expected in EXPECTED[kind]:
        assert squash(expected) in flat or squash(expected) in raw, f"{kind}: {expected!r} missing"
    assert "Halaman 1 dari 1" in text


@needs_poppler
@pytest.mark.parametrize("kind", LETTER_KINDS)
def test_letter_renders_to_png(kind: str, rendered: dict[str, bytes], tmp_path: Path) -> None:
    path = tmp_path / f"{kind}.pdf"
    path.write_bytes(rendered[kind])
    subprocess.run(
        ["pdftoppm", "-png", "-r", "60", str(path), str(tmp_path / kind)],
        check=True,
        capture_output=True,
    )
    pngs = sorted(tmp_path.glob(f"{kind}*.png"))
    assert len(pngs) == 1
    assert pngs[0].read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert pngs[0].stat().st_size > 5_000  # a page with text on it, not a blank


@needs_poppler
def test_anonymous_report_is_recorded_as_initial_information(
    letterhead: Letterhead, tmp_path: Path
) -> None:
    ctx = contexts()["tanda_terima"] | {"reporter_name": "Anonim"}
    flat = squash(pdf_text(pdf("tanda_terima", ctx, letterhead), tmp_path)[0])
    assert "Yth. Penyampai Informasi" in flat
    assert "Anonim (identitas pelapor tidak dicantumkan)" in flat
    assert "dicatat sebagai informasi awal" in flat
    assert "akan diperiksa kelengkapan" not in flat


@needs_poppler
def test_late_report_is_not_registered(letterhead: Letterhead, tmp_path: Path) -> None:
    ctx = contexts()["tanda_terima"] | {"is_late": True}
    flat = squash(pdf_text(pdf("tanda_terima", ctx, letterhead), tmp_path)[0])
    assert "melewati batas waktu 7 (tujuh) hari" in flat
    assert "Pasal 134 UU Nomor 10 Tahun 2016" in flat
    assert "tidak dapat diregistrasi dan dicatat sebagai informasi awal" in flat


@needs_poppler
def test_missing_optional_keys_print_a_dash(letterhead: Letterhead, tmp_path: Path) -> None:
    ctx = contexts()["pemberitahuan_status"]
    del ctx["case_number"], ctx["reporter_name"]
    flat = squash(pdf_text(pdf("pemberitahuan_status", ctx, letterhead), tmp_path)[0])
    assert "Nomor register : –" in flat
    # issue #9: never "Sdr. Pelapor"; a reporter whose name is not given is addressed by the report
    assert "Sdr. Pelapor" not in flat
    assert "Yth. Pelapor Laporan Nomor LAP-2024-000123" in flat
    assert "diregistrasi dengan nomor" not in flat


@needs_poppler
def test_full_recommendation_with_criminal_track_and_conflict(
    letterhead: Letterhead, tmp_path: Path
) -> None:
    """Two ASN, act 8 with its SKB/PP 94 conflict, a criminal article: may run to two pages."""
    ctx = contexts()["rekomendasi"]
    ctx["asn"].append(
        {
            "name": "Dewi Lestari, S.Pd.",
            "nip": "1990 0704 2022 21 2 001",  # spaced as typed: normalised on print
            "position": "Guru Ahli Pertama",
            "opd": "Dinas Pendidikan",
            "kind": "PPPK",
        }
    )
    ctx["acts"].append(
        {
            "code": "8",
            "name": "Mengadakan kegiatan yang mengarah pada keberpihakan",
            "basis": "SKB 2022 Lampiran II angka 8; PP 94/2021 Pasal 14 huruf i",
        }
    )
    ctx["criminal"] = {"article": "Pasal 188 UU 10/2016", "forward_to": "Sentra Gakkumdu"}
    ctx["conflict_note"] = "SKB 2022 menggolongkan perbuatan 8 sedang; PP 94/2021 berat."
    text, pages = pdf_text(pdf("rekomendasi", ctx, letterhead, seq=7), tmp_path)
    flat = squash(text)
    assert pages in (1, 2)
    for expected in (
        "19850312 201001 1 003",
        "19900704 202221 2 001",
        "PPPK",
        "Pasal 188 UU 10/2016",
        "Sentra Gakkumdu",
        "Catatan: SKB 2022 menggolongkan perbuatan 8 sedang; PP 94/2021 berat.",
        "Dr. Ahmad Fauzi, S.H.",
    ):
        assert expected in flat
    if pages == 2:  # later pages repeat the letter number at the top
        assert "Nomor 007/PP.02.00/K.JB-12/10/2024" in text.split("\f")[1]


# ---------------------------------------------------------------------------------------------
# Escaping: a reporter can type anything
# ---------------------------------------------------------------------------------------------


def test_html_in_values_is_escaped(letterhead: Letterhead) -> None:
    ctx = contexts()["tanda_terima"] | {
        "reporter_name": "<script>alert(1)</script>",
        "summary": '<img src="http://example.invalid/x.png"><b>tebal</b>',
    }
    html = render_html("tanda_terima", ctx, letterhead=letterhead, number="001", when=WHEN)
    assert "<script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "<img" not in html
    assert "<b>tebal</b>" not in html


@needs_poppler
def test_script_in_a_name_prints_literally(letterhead: Letterhead, tmp_path: Path) -> None:
    ctx = contexts()["undangan_klarifikasi"] | {"addressee_name": SCRIPT}
    text, pages = pdf_text(pdf("undangan_klarifikasi", ctx, letterhead), tmp_path)
    assert f"Yth. Sdr. {SCRIPT}" in text
    assert pages == 1


# ---------------------------------------------------------------------------------------------
# Bad input
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "key"),
    [
        ("tanda_terima", "report_number"),
        ("tanda_terima", "received_at"),
        ("undangan_klarifikasi", "hearing_at"),
        ("undangan_klarifikasi", "place"),
        ("pemberitahuan_status", "status_label"),
        ("rekomendasi", "asn"),
        ("rekomendasi", "follow_up_due"),
        ("rekomendasi", "signatory"),
    ],
)
def test_missing_required_field_is_refused(kind: str, key: str, letterhead: Letterhead) -> None:
    ctx = contexts()[kind]
    if key == "report_number":
        ctx[key] = ""  # present but empty counts as missing
    else:
        del ctx[key]
    with pytest.raises(NetralError) as caught:
        render_pdf(kind, ctx, letterhead=letterhead, number="001", when=WHEN)
    assert caught.value.code == "letters.missing_field"
    assert caught.value.problems[0].field == key
    assert key in caught.value.message("id")


@pytest.mark.parametrize(
    ("change", "field"),
    [
        (lambda c: c["asn"][0].pop("nip"), "asn[0].nip"),
        (lambda c: c["acts"][0].update(name=""), "acts[0].name"),
        (lambda c: c["signatory"].pop("name"), "signatory.name"),
        (lambda c: c.update(addressees=[]), "addressees"),
    ],
)
def test_missing_nested_field_names_the_path(
    change: Any, field: str, letterhead: Letterhead
) -> None:
    ctx = contexts()["rekomendasi"]
    change(ctx)
    with pytest.raises(NetralError) as caught:
        render_html("rekomendasi", ctx, letterhead=letterhead, number="001", when=WHEN)
    assert caught.value.code == "letters.missing_field"
    assert caught.value.problems[0].field == field


def test_bad_date_is_refused(letterhead: Letterhead) -> None:
    ctx = contexts()["pemberitahuan_status"] | {"decided_on": "kemarin"}
    with pytest.raises(NetralError) as caught:
        render_html("pemberitahuan_status", ctx, letterhead=letterhead, number="1", when=WHEN)
    assert caught.value.code == "letters.bad_value"
    assert caught.value.problems[0].field == "decided_on"


def test_iso_strings_are_accepted(letterhead: Letterhead) -> None:
    ctx = contexts()["undangan_klarifikasi"] | {"hearing_at": "2024-10-21T09:00:00+07:00"}
    html = render_html("undangan_klarifikasi", ctx, letterhead=letterhead, number="1", when=WHEN)
    assert "Senin, 21 Oktober 2024" in html
    assert "09.00 WIB" in html


def test_unknown_kind_is_refused(letterhead: Letterhead, numbering: LetterNumbering) -> None:
    for call in (
        lambda: render_pdf("surat_cinta", {}, letterhead=letterhead, number="1", when=WHEN),
        lambda: render_html("surat_cinta", {}, letterhead=letterhead, number="1", when=WHEN),
        lambda: numbering.format(seq=1, kind="surat_cinta", when=WHEN),
    ):
        with pytest.raises(NetralError) as caught:
            call()
        assert caught.value.code == "letters.unknown_kind"
        assert "surat_cinta" in caught.value.message("en")


# ---------------------------------------------------------------------------------------------
# Numbering, letterhead, formatting
# ---------------------------------------------------------------------------------------------


def test_numbering_default_format(numbering: LetterNumbering) -> None:
    when = date(2024, 11, 4)
    assert numbering.format(seq=1, kind="undangan_klarifikasi", when=when) == (
        "001/PP.01.02/K.JB-12/11/2024"
    )
    assert numbering.format(seq=1, kind="tanda_terima", when=when).split("/")[1] == "PP.01.00"
    assert numbering.format(seq=1, kind="pemberitahuan_status", when=when).split("/")[1] == (
        "PP.01.03"
    )
    assert numbering.format(seq=1234, kind="rekomendasi", when=when) == (
        "1234/PP.02.00/K.JB-12/11/2024"
    )


def test_numbering_is_configurable() -> None:
    numbering = LetterNumbering(
        pattern="{code}-{seq:04d}/{office}/{month_roman}/{year}",
        office="BWS.KOTA",
        codes={"rekomendasi": "HK.01"},
    )
    assert numbering.format(seq=5, kind="rekomendasi", when=date(2024, 12, 2)) == (
        "HK.01-0005/BWS.KOTA/XII/2024"
    )
    with pytest.raises(NetralError):
        numbering.format(seq=5, kind="tanda_terima", when=date(2024, 12, 2))
    with pytest.raises(NetralError) as caught:
        numbering.format(seq=0, kind="rekomendasi", when=date(2024, 12, 2))
    assert caught.value.code == "letters.bad_value"


def test_packaged_numbering_matches_the_defaults() -> None:
    loaded = LetterNumbering.load()
    default = LetterNumbering()
    assert (loaded.pattern, loaded.office, loaded.codes) == (
        default.pattern,
        default.office,
        default.codes,
    )


def test_letterhead_from_a_deployment_file(tmp_path: Path) -> None:
    from PIL import Image

    Image.new("RGB", (40, 40), (200, 0, 0)).save(tmp_path / "logo.png")
    path = tmp_path / "kop.yaml"
    path.write_text(
        "institution: BADAN PENGAWAS PEMILIHAN UMUM KOTA CONTOH\n"
        "address: Jl. Contoh No. 1\n"
        "city: Contoh\n"
        "logo_path: logo.png\n"
        "numbering: {office: K.XX-01}\n",
        encoding="utf-8",
    )
    head = Letterhead.load(path)
    assert head.city == "Contoh"
    assert head.logo_path == (tmp_path / "logo.png").resolve()
    assert LetterNumbering.load(path).office == "K.XX-01"
    ctx = contexts()["pemberitahuan_status"]
    html = render_html("pemberitahuan_status", ctx, letterhead=head, number="1", when=WHEN)
    assert 'src="data:image/png;base64,' in html
    assert "Contoh, 16 Oktober 2024" in html
    data = render_pdf("pemberitahuan_status", ctx, letterhead=head, number="1", when=WHEN)
    assert data.startswith(b"%PDF-")


def test_letterhead_with_unknown_key_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "kop.yaml"
    path.write_text("institution: X\naddress: Y\nadres: typo\n", encoding="utf-8")
    with pytest.raises(NetralError) as caught:
        Letterhead.load(path)
    assert caught.value.code == "letters.letterhead_invalid"
    assert "adres" in caught.value.message("en")


def test_formatting_helpers() -> None:
    assert fmt_nip("198503122010011003") == "19850312 201001 1 003"
    assert fmt_nip("12345") == "12345"  # not a NIP: printed as given, never guessed
    # naive datetimes are UTC, as stored; shown in WIB, with Indonesian day and month names
    assert fmt_datetime(datetime(2024, 11, 26, 17, 30)) == "Rabu, 27 November 2024 pukul 00.30 WIB"
    assert fmt_datetime(date(2024, 8, 17)) == "Sabtu, 17 Agustus 2024"
    assert [terbilang(n) for n in (0, 3, 11, 15, 21, 100, 118, 1001)] == [
        "nol",
        "tiga",
        "sebelas",
        "lima belas",
        "dua puluh satu",
        "seratus",
        "seratus delapan belas",
        "seribu satu",
    ]
