"""Region codes in every accepted form, counts, the gap to target, the percent a form sends."""

from __future__ import annotations

import pytest

from netral.core.errors import ValidationFailed
from netral.turnout.checks import CheckError, RegionCode, parse_code, parse_count
from netral.turnout.service import gap_to_target, parse_percent


@pytest.mark.parametrize(
    ("raw", "want"),
    [
        ("32.73.01", RegionCode("kecamatan", "32.73.01", "32.73.01")),
        ("327301", RegionCode("kecamatan", "32.73.01", "32.73.01")),
        ("32.73.01.1001", RegionCode("kelurahan", "32.73.01.1001", "32.73.01", "32.73.01.1001")),
        (" 3273011001 ", RegionCode("kelurahan", "32.73.01.1001", "32.73.01", "32.73.01.1001")),
        ("3204052001", RegionCode("kelurahan", "32.04.05.2001", "32.04.05", "32.04.05.2001")),
        (
            "3273011001003",
            RegionCode("tps", "32.73.01.1001.003", "32.73.01", "32.73.01.1001", 3),
        ),
        (
            "32.73.01.1001.012",
            RegionCode("tps", "32.73.01.1001.012", "32.73.01", "32.73.01.1001", 12),
        ),
        (
            "32.73.01.1001012",
            RegionCode("tps", "32.73.01.1001.012", "32.73.01", "32.73.01.1001", 12),
        ),
    ],
)
def test_every_accepted_form_has_one_stored_form(raw, want):
    assert parse_code(raw) == want
    assert parse_code(raw).region == want.code[:5]


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        ("", "turnout.code_missing"),
        ("32.73", "turnout.code_format"),  # a city, not a kecamatan
        ("32.73.01.3001", "turnout.code_format"),  # a village number starts with 1 or 2
        ("3273011001.3", "turnout.code_format"),
        ("32730110010001", "turnout.code_format"),  # a 4-digit TPS number
        ("32.73.1.1001", "turnout.code_format"),
        ("٣٢٧٣٠١", "turnout.code_format"),  # digits, but not ASCII ones
        ("3273011001000", "turnout.tps_number"),
    ],
)
def test_bad_codes_are_refused_with_a_stable_code(raw, code):
    with pytest.raises(CheckError) as exc:
        parse_code(raw)
    assert exc.value.code == code
    assert exc.value.message_id and exc.value.message_en


@pytest.mark.parametrize(
    ("raw", "want"),
    [
        ("0", 0),
        ("1234", 1234),
        ("1.234", 1234),
        ("1,234", 1234),
        ("1.234.567", 1234567),
        ("12 345", 12345),
        ("12\u00a0345", 12345),
        (250, 250),
        (250.0, 250),
    ],
)
def test_counts_and_thousands_separators(raw, want):
    assert parse_count(raw, label_id="DPT", label_en="DPT") == want


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        ("", "turnout.number_missing"),
        ("-3", "turnout.number_negative"),
        (-3, "turnout.number_negative"),
        ("1,5", "turnout.number_invalid"),
        ("1.23", "turnout.number_invalid"),
        ("1.2345", "turnout.number_invalid"),
        ("1.234,5", "turnout.number_invalid"),
        ("1.234,567", "turnout.number_invalid"),
        ("dua", "turnout.number_invalid"),
        (1.5, "turnout.number_invalid"),
        ("١٢", "turnout.number_invalid"),
    ],
)
def test_what_is_not_a_count(raw, code):
    with pytest.raises(CheckError) as exc:
        parse_count(raw, label_id="DPT", label_en="DPT")
    assert exc.value.code == code


@pytest.mark.parametrize(
    ("dpt", "voters", "target", "gap"),
    [
        (1000, 800, 82.9, 29),
        (1000, 829, 82.9, 0),
        (1000, 900, 82.9, 0),
        (610, 490, 82.9, 16),
        (0, 0, 82.9, 0),
        (1000, 500, None, 0),
        (3, 2, 100, 1),
    ],
)
def test_gap_is_ceil_of_target_times_dpt_minus_voters(dpt, voters, target, gap):
    assert gap_to_target(dpt, voters, target) == gap


def test_percent_from_a_form():
    assert parse_percent("82,9") == 82.9
    assert parse_percent(" 75 % ") == 75.0
    for bad in ("0", "100.1", "-5", "nan", "x", ""):
        with pytest.raises(ValidationFailed):
            parse_percent(bad)
