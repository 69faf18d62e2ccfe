"""Exports never hand a spreadsheet a formula to run, and keep every value."""

from __future__ import annotations

import csv

import pytest
from openpyxl import load_workbook

from netral.core.exports import is_risky, write_table

RISKY = ["=HYPERLINK(\"http://x\",\"klik\")", "@SUM(A1)", "+cmd|'/c calc'!A1", "-2+3", "\tx", "=1+1"]
SAFE = ["Budi Santoso", "-5", "+62", "3.5", "-1,5", "", "Dinas = Perhubungan"]


@pytest.mark.parametrize("value", RISKY)
def test_risky_values_are_recognised(value):
    assert is_risky(value)


@pytest.mark.parametrize("value", SAFE)
def test_plain_values_and_signed_numbers_are_not(value):
    assert not is_risky(value)


def test_csv_writes_risky_text_behind_an_apostrophe(tmp_path):
    path = tmp_path / "x.csv"
    n = write_table(path, sheet="X", headers=["nama", "n"], rows=[[v, 1] for v in RISKY + SAFE])
    assert n == len(RISKY) + len(SAFE)
    with path.open(encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.reader(fh))
    assert rows[0] == ["nama", "n"]
    written = [r[0] for r in rows[1:]]
    assert written[: len(RISKY)] == ["'" + v for v in RISKY]
    assert written[len(RISKY) :] == SAFE


def test_xlsx_keeps_risky_text_as_text_not_formula(tmp_path):
    path = tmp_path / "x.xlsx"
    write_table(path, sheet="Daftar", headers=["nama", "n"], rows=[[v, 7] for v in RISKY])
    ws = load_workbook(path)["Daftar"]
    cells = [row[0] for row in ws.iter_rows(min_row=2)]
    assert [c.value for c in cells] == RISKY  # the exact text, nothing added
    assert all(c.data_type == "s" for c in cells)  # a string, never "f" (formula)
    assert [row[1].value for row in ws.iter_rows(min_row=2)] == [7] * len(RISKY)


def test_unknown_format_is_refused(tmp_path):
    with pytest.raises(ValueError, match="format"):
        write_table(tmp_path / "x.ods", sheet="X", headers=["a"], rows=[])


def test_xlsx_keeps_types_and_drops_what_xml_cannot_hold(tmp_path):
    from datetime import date, datetime

    path = tmp_path / "t.xlsx"
    rows = [[2.5, True, date(2024, 10, 1), datetime(2024, 10, 1, 13, 45, 7), "a\x01b <&>", None]]
    assert write_table(path, sheet="Lap[or]an/1", headers=list("abcdef"), rows=rows) == 1
    ws = load_workbook(path).active
    assert ws.title == "Lap or an 1"
    assert [c.value for c in next(ws.iter_rows(min_row=2))] == [
        2.5, True, datetime(2024, 10, 1), datetime(2024, 10, 1, 13, 45, 7), "ab <&>", None,
    ]  # fmt: skip


def test_xlsx_streams_a_large_list(tmp_path):
    path = tmp_path / "big.xlsx"
    n = write_table(path, sheet="X", headers=["n", "t"], rows=([i, f"baris {i}"] for i in range(50_000)))
    ws = load_workbook(path, read_only=True).active
    assert n == 50_000 and sum(1 for _ in ws.iter_rows()) == 50_001
