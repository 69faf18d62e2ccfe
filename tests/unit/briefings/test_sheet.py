"""Sign-in sheet rules without a database: headers, names, and how each row is matched."""

from __future__ import annotations

import pytest

from netral.briefings.sheet import map_columns, match_rows, normalise_name, read_rows
from netral.core.errors import ValidationFailed
from netral.registry.nip import describe, nip_error
from netral.registry.service import AsnRef

NIP_A = "198503122010011003"
NIP_B = "199001012015032001"
NIP_C = "197205102000031004"


def ref(i: int, nip: str, name: str, opd: str = "Dinas Perhubungan", pos: str = "Staf") -> AsnRef:
    return AsnRef(i, nip, name, "PNS", pos, opd, "32.73", opd_id=10 + i)


PEOPLE = [
    ref(1, NIP_A, "Budi Santoso"),
    ref(2, NIP_B, "Dra. Siti Rahmawati, M.Si.", opd="Dinas Pendidikan"),
    ref(3, NIP_C, "Agus Setiawan", opd="Dinas Perhubungan", pos="Pengatur Lalu Lintas"),
    ref(4, "198001012005011001", "Agus Setiawan", opd="Dinas Pendidikan", pos="Guru"),
]
BY_NIP = {p.nip: p for p in PEOPLE}


def nip_problem(raw: str):
    code = nip_error(raw)
    return describe(code, raw) if code else None


def plan(csv_rows: list[list[str]], header=("nip", "nama", "jabatan", "instansi")):
    rows = read_rows(iter(csv_rows), map_columns(list(header)))
    return match_rows(rows, by_nip=BY_NIP, people=lambda: PEOPLE, nip_problem=nip_problem)


def test_names_lose_titles_degrees_and_punctuation():
    assert normalise_name("Dra. Siti Rahmawati, M.Si.") == "siti rahmawati"
    assert normalise_name("Dr. H. Budi  Santoso, S.H., M.H.") == "budi santoso"
    assert normalise_name("  AGUS setiawan ") == "agus setiawan"


def test_default_header_and_map_override_and_missing_columns():
    assert map_columns(["NIP", "Nama", "Jabatan", "Instansi"]) == {
        "nip": 0,
        "nama": 1,
        "jabatan": 2,
        "instansi": 3,
    }
    assert map_columns(
        ["No", "Nomor Pegawai", "Peserta"], {"nip": "Nomor Pegawai", "nama": "Peserta"}
    ) == {
        "nip": 1,
        "nama": 2,
    }
    with pytest.raises(ValidationFailed) as exc:
        map_columns(["No", "Tanda tangan"])
    assert exc.value.code == "attendance.header_missing"
    with pytest.raises(ValidationFailed) as exc:
        map_columns(["nip"], {"nama": "Peserta"})
    assert exc.value.code == "attendance.mapping_missing"


def test_rows_matched_by_nip_and_row_numbers_count_blank_lines():
    p = plan([[NIP_A, "Budi", "", ""], ["", "", "", ""], [NIP_B, "Siti", "", ""]])
    assert [(m.row, m.asn.id, m.by) for m in p.matches] == [(2, 1, "nip"), (4, 2, "nip")]
    assert p.rows == 2 and not p.errors


def test_unknown_malformed_and_duplicate_nips_are_row_exact_errors():
    p = plan(
        [
            [NIP_A, "Budi", "", ""],
            ["196001012000031999", "Entah", "", ""],  # valid shape, not registered
            ["19850312201001100X", "Rusak", "", ""],
            [NIP_A, "Budi lagi", "", ""],
        ]
    )
    got = [(e.row, e.column, e.code) for e in p.errors]
    assert got == [
        (3, "nip", "attendance.nip_unknown"),
        (4, "nip", "nip.not_digits"),
        (5, "nip", "attendance.duplicate"),
    ]
    assert "baris 2" in p.errors[2].message and "row 2" in p.errors[2].message_en
    assert [m.row for m in p.matches] == [2]


def test_a_unique_name_matches_for_confirmation_even_with_titles():
    p = plan([["", "Siti Rahmawati", "", ""]])
    assert [(m.row, m.asn.nip, m.by, m.written_name) for m in p.by_name] == [
        (2, NIP_B, "name", "Siti Rahmawati")
    ]


def test_a_shared_name_is_ambiguous_until_agency_or_post_narrows_it():
    p = plan([["", "Agus Setiawan", "", ""]])
    assert [e.code for e in p.errors] == ["attendance.name_ambiguous"]
    p = plan([["", "Agus Setiawan", "", "Dinas Pendidikan"]])
    assert [m.asn.id for m in p.by_name] == [4] and not p.errors
    p = plan([["", "Agus Setiawan", "Pengatur Lalu Lintas", ""]])
    assert [m.asn.id for m in p.by_name] == [3]


def test_unknown_name_missing_both_and_name_naming_a_person_twice():
    p = plan(
        [
            ["", "Tidak Ada Orangnya", "", ""],
            ["", "", "Staf", "Dishub"],
            [NIP_A, "Budi", "", ""],
            ["", "Budi Santoso", "", ""],
        ]
    )
    assert [(e.row, e.code) for e in p.errors] == [
        (2, "attendance.name_unknown"),
        (3, "attendance.missing"),
        (5, "attendance.duplicate"),
    ]


def test_the_registry_is_listed_only_when_a_row_needs_a_name_search():
    asked = []

    def people():
        asked.append(1)
        return PEOPLE

    rows = read_rows(iter([[NIP_A, "Budi", "", ""]]), map_columns(["nip", "nama"]))
    match_rows(rows, by_nip=BY_NIP, people=people, nip_problem=nip_problem)
    assert asked == []
