"""Region files: the shipped ones are sound and match the official list; bad ones are refused."""

from __future__ import annotations

import os
from collections import Counter
from pathlib import Path

import pytest

from netral.core.errors import ValidationFailed
from netral.registry.wilayah import WilayahRow, read_wilayah_csv, shipped_wilayah_files

REPO = Path(__file__).resolve().parents[3]
TESTDATA = Path(os.environ.get("NETRAL_TESTDATA", REPO.parent / "shared" / "data"))
REFERENCE = TESTDATA / "wilayah" / "kota_bandung.csv"


def shipped(name_start: str) -> Path:
    (path,) = [p for p in shipped_wilayah_files() if p.name.startswith(name_start)]
    return path


def test_shipped_files_are_packaged_and_valid() -> None:
    names = [p.name for p in shipped_wilayah_files()]
    assert "32.73-kota-bandung.csv" in names
    assert "32.04-kabupaten-bandung.csv" in names
    for path in shipped_wilayah_files():
        rows = read_wilayah_csv(path)
        assert rows[0] == WilayahRow("32", "Jawa Barat", "provinsi", None)
        codes = [r.kode for r in rows]
        assert codes == sorted(codes)
        assert path.read_text(encoding="utf-8").startswith("kode,nama,tingkat,induk\n")


def test_kota_bandung_has_30_kecamatan_and_151_kelurahan() -> None:
    rows = read_wilayah_csv(shipped("32.73"))
    counts = Counter(r.tingkat for r in rows)
    assert counts == {"provinsi": 1, "kota": 1, "kecamatan": 30, "kelurahan": 151}
    assert {r.kode: r.nama for r in rows}["32.73"] == "Kota Bandung"


def test_kota_bandung_matches_the_official_list() -> None:
    if not REFERENCE.exists():
        pytest.skip(f"reference region file not found at {REFERENCE} (set NETRAL_TESTDATA)")
    ours = [r for r in read_wilayah_csv(shipped("32.73")) if r.tingkat != "provinsi"]
    theirs = read_wilayah_csv(REFERENCE)
    assert [(r.kode, r.nama, r.tingkat, r.induk) for r in ours] == [
        (r.kode, r.nama, r.tingkat, r.induk) for r in sorted(theirs, key=lambda r: r.kode)
    ]
    assert sum(r.tingkat == "kecamatan" for r in theirs) == 30
    assert sum(r.tingkat == "kelurahan" for r in theirs) == 151


def test_kabupaten_bandung_demo_region() -> None:
    rows = read_wilayah_csv(shipped("32.04"))
    by_level = Counter(r.tingkat for r in rows)
    assert by_level["kabupaten"] == 1
    assert 6 <= by_level["kecamatan"] <= 10
    kecamatan = [r.kode for r in rows if r.tingkat == "kecamatan"]
    for code in kecamatan:
        children = [r for r in rows if r.induk == code]
        assert 2 <= len(children) <= 3
    assert by_level["desa"] > 0 and by_level["kelurahan"] > 0


# --- refusals ----------------------------------------------------------------------------------

GOOD = """kode,nama,tingkat,induk
32,Jawa Barat,provinsi,
32.73,Kota Bandung,kota,32
32.73.01,Sukasari,kecamatan,32.73
32.73.01.1001,Sukarasa,kelurahan,32.73.01
"""


def write(tmp_path: Path, text: str, encoding: str = "utf-8") -> Path:
    path = tmp_path / "wilayah.csv"
    path.write_text(text, encoding=encoding)
    return path


def refusal(path: Path) -> list[tuple[int, str | None, str]]:
    with pytest.raises(ValidationFailed) as caught:
        read_wilayah_csv(path)
    err = caught.value
    assert err.status == 422
    for p in err.problems:
        assert p.message_id and p.message_en and p.message_id != p.message_en
        assert p.extra["file"] == path.name
    return [(p.extra["row"], p.field, p.code) for p in err.problems]


def test_good_file_reads(tmp_path: Path) -> None:
    rows = read_wilayah_csv(write(tmp_path, GOOD))
    assert [r.kode for r in rows] == ["32", "32.73", "32.73.01", "32.73.01.1001"]
    assert rows[-1] == WilayahRow("32.73.01.1001", "Sukarasa", "kelurahan", "32.73.01")


def test_byte_order_mark_and_trailing_blank_line_are_fine(tmp_path: Path) -> None:
    assert len(read_wilayah_csv(write(tmp_path, GOOD + "\n", encoding="utf-8-sig"))) == 4


def test_a_file_may_start_below_the_province(tmp_path: Path) -> None:
    text = GOOD.replace("32,Jawa Barat,provinsi,\n", "")
    assert len(read_wilayah_csv(write(tmp_path, text))) == 3


@pytest.mark.parametrize(
    "header", ["kode,nama,tingkat", "code,name,level,parent", "kode;nama;tingkat;induk", ""]
)
def test_wrong_header(tmp_path: Path, header: str) -> None:
    text = header + "\n" + GOOD.split("\n", 1)[1] if header else ""
    assert refusal(write(tmp_path, text)) == [(1, None, "wilayah.header")]


def test_wrong_header_message_names_the_expected_one(tmp_path: Path) -> None:
    with pytest.raises(ValidationFailed) as caught:
        read_wilayah_csv(write(tmp_path, "kode,name,tingkat,induk\n"))
    assert "kode,nama,tingkat,induk" in caught.value.message("id")
    assert "kode,nama,tingkat,induk" in caught.value.message("en")


@pytest.mark.parametrize(
    ("line", "column", "code"),
    [
        ("32.73.1,Sukasari,kecamatan,32.73", "kode", "wilayah.kode_shape"),
        ("32.73.01.2001,Sukarasa,kelurahan,32.73.01", "kode", "wilayah.kode_shape"),
        ("32.73.01.1002,Gegerkalong,desa,32.73.01", "kode", "wilayah.kode_shape"),
        ("32.73.01.101,Sukarasa,kelurahan,32.73.01", "kode", "wilayah.kode_shape"),
        ("32.74,Kota Tasikmalaya,kecamatan,32", "kode", "wilayah.kode_shape"),
        ("32.73.01.1002,Sukarasa,dusun,32.73.01", "tingkat", "wilayah.tingkat"),
        ("32.73.01.1002, ,kelurahan,32.73.01", "nama", "wilayah.nama_empty"),
        ("32.73.01.1002,Gegerkalong,kelurahan,32.73.02", "induk", "wilayah.induk"),
        ("32.73.01.1002,Gegerkalong,kelurahan", None, "wilayah.columns"),
        ("32.73.01.1001,Sukarasa,kelurahan,32.73.01", "kode", "wilayah.duplicate"),
        ("32.73.02.1001,Cipaganti,kelurahan,32.73.02", "induk", "wilayah.orphan"),
    ],
)
def test_bad_row_is_refused_with_its_row_number(
    tmp_path: Path, line: str, column: str | None, code: str
) -> None:
    assert refusal(write(tmp_path, GOOD + line + "\n")) == [(6, column, code)]


def test_province_with_a_parent_is_refused(tmp_path: Path) -> None:
    text = GOOD.replace("32,Jawa Barat,provinsi,\n", "32,Jawa Barat,provinsi,3\n")
    assert refusal(write(tmp_path, text)) == [(2, "induk", "wilayah.induk")]


def test_all_errors_are_reported_together_in_row_order(tmp_path: Path) -> None:
    text = GOOD + (
        "32.73.02.1001,Cipaganti,kelurahan,32.73.02\n"  # 6: orphan
        "32.73.01.1001,Sukarasa,kelurahan,32.73.01\n"  # 7: duplicate
        "32.73.01.x,Isola,kelurahan,32.73.01\n"  # 8: shape
        "32.73.01.1004,,kelurahan,32.73.01\n"  # 9: no name
    )
    assert refusal(write(tmp_path, text)) == [
        (6, "induk", "wilayah.orphan"),
        (7, "kode", "wilayah.duplicate"),
        (8, "kode", "wilayah.kode_shape"),
        (9, "nama", "wilayah.nama_empty"),
    ]


def test_duplicate_message_points_at_the_first_row(tmp_path: Path) -> None:
    path = write(tmp_path, GOOD + "32.73.01,Sukasari,kecamatan,32.73\n")
    with pytest.raises(ValidationFailed) as caught:
        read_wilayah_csv(path)
    assert "baris 4" in caught.value.message("id")
    assert "row 4" in caught.value.message("en")
