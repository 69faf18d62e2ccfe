"""Debunked-claim matching: paraphrases match, unrelated posts do not, bad CSVs say which row."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from netral.core.errors import ValidationFailed
from netral.screening.hoax import THRESHOLD, HoaxIndex

CLAIMS_CSV = """\
klaim,status,link,tanggal
Surat suara sudah dicoblos sebelum hari pemungutan suara,Hoaks,https://cekfakta.example/1,2024-11-20
KPU memperpanjang pemungutan suara sampai minggu depan,Salah,https://cekfakta.example/2,2024-11-28
Pemilih yang tidak membawa KTP elektronik tidak boleh mencoblos di TPS,Menyesatkan,https://cekfakta.example/3,2024-11-25
Tinta pemilu mengandung babi sehingga haram,Hoaks,https://cekfakta.example/4,2024-11-26
ASN yang tidak memilih akan dipecat oleh pemerintah,Hoaks,https://cekfakta.example/5,26/11/2024
Server KPU diretas dan hasil suara diubah oleh peretas asing,Hoaks,https://cekfakta.example/6,
"""


@pytest.fixture(scope="module")
def index(tmp_path_factory: pytest.TempPathFactory) -> HoaxIndex:
    path = tmp_path_factory.mktemp("hoax") / "claims.csv"
    path.write_text(CLAIMS_CSV)
    return HoaxIndex.from_csv(path)


def test_loads_tolerant_headers(index: HoaxIndex) -> None:
    assert len(index) == 6
    assert index.claims[4].date == date(2024, 11, 26)
    assert index.claims[5].date is None


@pytest.mark.parametrize(
    ("post", "claim_no"),
    [
        ("Hati-hati! surat suara di TPS kami ternyata sudah dicoblos sebelum hari pencoblosan", 1),
        ("kabarnya pemungutan suara diperpanjang KPU sampai minggu depan, jadi santai aja", 2),
        ("Info: yang tidak bawa e-KTP tidak boleh nyoblos di TPS ya", 3),
        ("tinta pemilu katanya mengandung babi, haram!", 4),
        ("Sebarkan!! PNS yang tidak memilih akan dipecat pemerintah", 5),
        ("Server KPU dibobol peretas asing, hasil suara sudah diubah!", 6),
        ("Selamat pagi semua. Tinta pemilu mengandung babi sehingga haram. Sebarkan ke grup!", 4),
    ],
)
def test_paraphrases_match(index: HoaxIndex, post: str, claim_no: int) -> None:
    m = index.match(post)
    assert m is not None, index.scores(post).max()
    assert m.source_url == f"https://cekfakta.example/{claim_no}"
    assert m.score >= THRESHOLD


@pytest.mark.parametrize(
    "post",
    [
        "Jangan lupa datang ke TPS tanggal 27 November, bawa undangan",
        "KPU Kota Bandung menggelar debat kedua paslon malam ini",
        "harga cabai naik lagi di pasar",
        "Kang Yudi pasti menang, coblos no 3!",
        "Surat suara sudah tiba di gudang KPU dan disortir petugas",
        "Bawaslu mengawasi pemungutan suara di seluruh TPS",
        "",
        "😀😀",
        "kata " * 20_000,
    ],
)
def test_unrelated_posts_do_not_match(index: HoaxIndex, post: str) -> None:
    assert index.match(post) is None
    assert index.finding(post).label == "no_match"


def test_finding_explains(index: HoaxIndex) -> None:
    f = index.finding("tinta pemilu katanya mengandung babi, haram!")
    assert (f.kind, f.label) == ("hoax", "hoax_match")
    assert f.why[0] == "menyebarkan informasi yang telah dibantah"
    assert "Tinta pemilu mengandung babi sehingga haram" in f.why[1]
    assert "https://cekfakta.example/4" in f.why[1]
    assert f.data["source_url"] == "https://cekfakta.example/4"
    assert f.data["date"] == "2024-11-26"


def test_bad_rows_listed_with_line_numbers(tmp_path: Path) -> None:
    path = tmp_path / "bad.csv"
    path.write_text(
        "claim,verdict,source_url,date\n"
        "Surat suara sudah dicoblos sebelum hari pemungutan,hoaks,https://a.example/1,2024-11-20\n"
        ",hoaks,https://a.example/2,2024-11-20\n"
        "KPU memperpanjang pemungutan suara,hoaks,ftp://nope,2024-11-20\n"
        "Tinta pemilu mengandung babi,hoaks,https://a.example/4,kemarin\n"
    )
    with pytest.raises(ValidationFailed) as err:
        HoaxIndex.from_csv(path)
    rows = [p.extra["row"] for p in err.value.problems]
    assert rows == [3, 4, 5]
    assert "baris 3" in err.value.message()
    assert "row 5" in err.value.message("en")


def test_missing_claim_column_and_empty_file(tmp_path: Path) -> None:
    path = tmp_path / "x.csv"
    path.write_text("judul_berita_lain,url\nabc,https://x.example\n")
    path.write_text("foo,url\nabc,https://x.example\n")
    with pytest.raises(ValidationFailed) as err:
        HoaxIndex.from_csv(path)
    assert err.value.code == "hoax_csv_no_claim"
    path.write_text("")
    with pytest.raises(ValidationFailed):
        HoaxIndex.from_csv(path)
    path.write_text("claim,verdict\n")
    empty = HoaxIndex.from_csv(path)
    assert len(empty) == 0 and empty.match("apa saja") is None
    assert empty.finding("apa saja").label == "no_match"
