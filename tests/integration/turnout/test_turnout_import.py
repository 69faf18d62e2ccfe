"""Turnout imports on SQLite and PostgreSQL: every level, the checks, partial, dry run, re-import."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from netral.core.audit import Actor, AuditEntry
from netral.core.security import Scope
from netral.election.service import DEMO_ELECTION, read_election_file, upsert_election
from netral.registry import service as registry
from netral.turnout import service
from netral.turnout.models import TurnoutRow
from netral.turnout.service import TurnoutImportFailed

CODE = "demo-pilkada-kota-bandung-2024"
NATIONAL = Scope("national")
HEADER = "kode_wilayah,nama_wilayah,dpt,pengguna_hak_pilih\n"
# Sukasari (32.73.01) has four kelurahan; two TPS each in the first two, one in the others
TPS = [
    ("3273011001001", "TPS 001 Sukarasa", 300, 250),
    ("3273011001002", "TPS 002 Sukarasa", 280, 230),
    ("3273011002001", "TPS 001 Gegerkalong", 310, 240),
    ("32.73.01.1002.002", "TPS 002 Gegerkalong", 290, 260),
    ("32.73.01.1003001", "TPS 001 Isola", 250, 200),
    ("3273011004001", "TPS 001 Sarijadi", 270, 220),
    ("3273021001001", "TPS 001 Cipaganti", 400, 300),  # Coblong
]
KELURAHAN = [
    ("3273011001", "Sukarasa", 580, 480),
    ("32.73.01.1002", "Gegerkalong", 600, 500),
    ("3273011003", "Isola", 250, 200),
    ("3273011004", "Sarijadi", 270, 220),
    ("3273021001", "Cipaganti", 400, 300),
]
KECAMATAN = [("327301", "Sukasari", 1700, 1400), ("32.73.02", "Coblong", 400, 300)]


@pytest.fixture
def election(db: Session) -> str:
    registry.load_shipped_wilayah(db_session=db, actor=Actor.system())
    upsert_election(
        db_session=db, election_in=read_election_file(DEMO_ELECTION), actor=Actor.system()
    )
    db.commit()
    return CODE


def write(tmp_path: Path, rows, name: str = "t.csv", header: str = HEADER) -> Path:
    path = tmp_path / name
    with path.open("w", newline="", encoding="utf-8") as fh:
        fh.write(header)
        csv.writer(fh).writerows(rows)
    return path


def load(db: Session, path: Path, **kw):
    report = service.import_turnout(
        db_session=db,
        scope=kw.pop("scope", NATIONAL),
        election_code=CODE,
        path=path,
        actor=Actor.system(),
        **kw,
    )
    db.commit()
    return report


def stored(db: Session, level: str) -> dict[str, tuple[int, int]]:
    rows = db.execute(
        select(TurnoutRow.code, TurnoutRow.dpt, TurnoutRow.voters).where(TurnoutRow.level == level)
    ).all()
    return {c: (d, v) for c, d, v in rows}


def refused(db: Session, path: Path, **kw) -> list[dict]:
    with pytest.raises(TurnoutImportFailed) as exc:
        service.import_turnout(
            db_session=db,
            scope=kw.pop("scope", NATIONAL),
            election_code=CODE,
            path=path,
            actor=Actor.system(),
            **kw,
        )
    db.rollback()
    return [e.as_dict() for e in exc.value.report.errors]


def test_all_three_levels_load_and_agree(db, election, tmp_path):
    r = load(db, write(tmp_path, TPS))
    assert (r.level, r.rows, r.valid, r.replaced, r.written) == ("tps", 7, 7, 0, True)
    assert stored(db, "tps")["32.73.01.1002.002"] == (290, 260)  # one stored form for every input
    assert load(db, write(tmp_path, KELURAHAN)).valid == 5
    assert load(db, write(tmp_path, KECAMATAN), level="kecamatan").valid == 2
    items = service.by_kecamatan(db_session=db, scope=NATIONAL, election_code=CODE)
    assert [(k.code, k.name, k.dpt, k.voters) for k in items] == [
        ("32.73.02", "Coblong", 400, 300),  # 75% : lowest first
        ("32.73.01", "Sukasari", 1700, 1400),  # 82.35%
    ]
    coblong, sukasari = items
    assert (coblong.percent, coblong.target, coblong.gap) == (75.0, 82.9, 32)  # ceil(331.6) - 300
    assert (sukasari.percent, sukasari.gap) == (82.35, 10)  # ceil(1409.3) - 1400
    total = service.totals(db_session=db, scope=NATIONAL, election_code=CODE)
    assert total is not None
    assert (total.dpt, total.voters, total.levels) == (
        2100,
        1700,
        ("kecamatan", "kelurahan", "tps"),
    )
    assert total.gap == 41  # ceil(0.829 × 2100 = 1740.9) - 1700
    actions = db.scalars(select(AuditEntry.action).where(AuditEntry.action == "turnout.import"))
    assert len(list(actions)) == 3


def test_kecamatan_figures_are_the_sums_of_tps_when_only_tps_are_loaded(db, election, tmp_path):
    load(db, write(tmp_path, TPS))
    items = {
        k.code: k for k in service.by_kecamatan(db_session=db, scope=NATIONAL, election_code=CODE)
    }
    assert (items["32.73.01"].dpt, items["32.73.01"].voters) == (1700, 1400)
    assert service.totals(db_session=db, scope=NATIONAL, election_code=CODE).levels == ("tps",)


def test_a_kelurahan_that_disagrees_with_its_tps_is_named_with_both_numbers(db, election, tmp_path):
    load(db, write(tmp_path, TPS))
    bad = [("3273011001", "Sukarasa", 590, 480), *KELURAHAN[1:]]
    errors = refused(db, write(tmp_path, bad))
    assert errors == [
        {
            "row": 2,
            "column": "dpt",
            "code": "turnout.sum_mismatch",
            "message": "DPT Sukarasa (32.73.01.1001): tingkat kelurahan/desa 590, tetapi jumlah "
            "tingkat TPS di dalamnya 580",
        }
    ]
    assert stored(db, "kelurahan") == {}


def test_tps_that_disagree_with_a_loaded_kecamatan_are_refused(db, election, tmp_path):
    load(db, write(tmp_path, KECAMATAN))
    bad = [*TPS[:-1], ("3273021001001", "TPS 001 Cipaganti", 400, 301)]
    errors = refused(db, write(tmp_path, bad))
    assert [(e["row"], e["column"], e["code"]) for e in errors] == [
        (8, "pengguna_hak_pilih", "turnout.sum_mismatch")
    ]
    assert "Coblong (32.73.02)" in errors[0]["message"] and "300" in errors[0]["message"]
    # partial keeps Sukasari's TPS and drops Coblong's, whose sum disagrees
    r = load(db, write(tmp_path, bad), partial=True)
    assert (r.valid, r.error_count, r.written) == (6, 1, True)
    assert "32.73.02.1001.001" not in stored(db, "tps")


def test_every_row_error_is_listed_at_once_with_row_and_column(db, election, tmp_path):
    rows = [
        ("3273011001001", "ok", 300, 250),
        ("3273011001001", "again", 300, 250),  # duplicate of row 2
        ("3273011999001", "no such kelurahan", 100, 50),
        ("3204052001001", "Kabupaten Bandung", 100, 50),  # outside the city's election
        ("3273011002001", "too many voters", 100, 101),
        ("3273011003001", "thousands", "1.234", "1,000"),  # read as 1234 and 1000
        ("3273011004001", "decimal", "12,5", "-3"),
        ("327301100400", "bad code", 1, 1),
        ("3273011004000", "TPS 000", 1, 1),
        ("3273011004", "a kelurahan in a TPS file", 1, 1),
    ]
    errors = refused(db, write(tmp_path, rows))
    got = [(e["row"], e["column"], e["code"]) for e in errors]
    assert got == [
        (3, "kode_wilayah", "turnout.duplicate"),
        (4, "kode_wilayah", "turnout.unknown_region"),
        (5, "kode_wilayah", "turnout.outside_election"),
        (6, "pengguna_hak_pilih", "turnout.voters_exceed_dpt"),
        (8, "dpt", "turnout.number_invalid"),
        (8, "pengguna_hak_pilih", "turnout.number_negative"),
        (9, "kode_wilayah", "turnout.code_format"),
        (10, "kode_wilayah", "turnout.tps_number"),
        (11, "kode_wilayah", "turnout.level_mismatch"),
    ]
    by_code = {e["code"]: e["message"] for e in errors}
    assert by_code["turnout.duplicate"].startswith("wilayah 32.73.01.1001.001 sudah ada di baris 2")
    assert (
        "101" in by_code["turnout.voters_exceed_dpt"]
        and "100" in by_code["turnout.voters_exceed_dpt"]
    )
    assert stored(db, "tps") == {}  # all or nothing
    r = load(db, write(tmp_path, rows), partial=True)
    assert (r.rows, r.valid, r.error_count) == (10, 2, 9)
    assert stored(db, "tps") == {"32.73.01.1001.001": (300, 250), "32.73.01.1003.001": (1234, 1000)}


def test_dry_run_checks_everything_and_writes_nothing(db, election, tmp_path):
    r = load(db, write(tmp_path, TPS), dry_run=True)
    assert (r.valid, r.written, r.error_count) == (7, False, 0)
    assert db.scalar(select(func.count()).select_from(TurnoutRow)) == 0
    assert (
        db.scalar(
            select(func.count())
            .select_from(AuditEntry)
            .where(AuditEntry.action == "turnout.import")
        )
        == 0
    )


def test_reimport_replaces_the_level_and_says_so(db, election, tmp_path):
    load(db, write(tmp_path, TPS))
    r = load(db, write(tmp_path, TPS[:2]))
    assert (r.valid, r.replaced) == (2, 7)
    assert "menggantikan 7 baris" in r.summary("id")
    assert sorted(stored(db, "tps")) == ["32.73.01.1001.001", "32.73.01.1001.002"]


def test_header_map_and_xlsx(db, election, tmp_path):
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.append(["Kode Kelurahan", "Nama", "Jumlah Pemilih DPT", "Pemilih Hadir"])
    for code, name, dpt, voters in KELURAHAN:
        ws.append([int(code.replace(".", "")), name, dpt, voters])
    path = tmp_path / "kpu.xlsx"
    wb.save(path)
    r = load(db, path, mapping={"dpt": "Jumlah Pemilih DPT"})
    assert (r.level, r.valid) == ("kelurahan", 5)
    missing = refused(db, path, mapping={"dpt": "DPT Final"})
    assert [(e["row"], e["code"]) for e in missing] == [(1, "turnout.map_missing")]


def test_a_number_cell_with_a_fraction_is_not_a_count(db, election, tmp_path):
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.append(["kode_wilayah", "nama_wilayah", "dpt", "pengguna_hak_pilih"])
    ws.append(["3273011001", "Sukarasa", 1.234, 1])
    path = tmp_path / "f.xlsx"
    wb.save(path)
    assert [e["code"] for e in refused(db, path)] == ["turnout.number_invalid"]


def test_a_file_without_the_columns_names_them(db, election, tmp_path):
    errors = refused(db, write(tmp_path, TPS, header="kode,nama,jumlah\n"))
    assert [(e["row"], e["column"], e["code"]) for e in errors] == [(1, "header", "turnout.header")]
    assert "dpt, pengguna_hak_pilih" in errors[0]["message"]


def test_a_region_user_cannot_load_outside_the_scope(db, election, tmp_path):
    from netral.core.errors import NotFound

    with pytest.raises(NotFound):
        load(db, write(tmp_path, TPS), scope=Scope("region", "32.04"))


def test_the_target_defaults_to_the_election_file_and_changes_are_audited(db, election):
    info = service.target_info(db_session=db, scope=NATIONAL, election_code=CODE)
    assert (info.percent, info.from_file, info.set_by) == (82.9, 82.9, None)
    service.set_target(
        db_session=db, scope=NATIONAL, election_code=CODE, percent="85,5", actor=Actor.system()
    )
    db.commit()
    assert service.target_info(db_session=db, scope=NATIONAL, election_code=CODE).percent == 85.5
    entry = db.scalar(select(AuditEntry).where(AuditEntry.action == "turnout.target"))
    assert entry is not None and entry.summary == {"from": 82.9, "to": 85.5}
    from netral.core.errors import ValidationFailed

    for bad in ("0", "101", "abc"):
        with pytest.raises(ValidationFailed) as exc:
            service.set_target(
                db_session=db, scope=NATIONAL, election_code=CODE, percent=bad, actor=Actor.system()
            )
        assert exc.value.code == "turnout.target_invalid"


def test_a_file_whose_codes_are_all_unreadable_lists_each_row(db, election, tmp_path):
    errors = refused(db, write(tmp_path, [("abc", "x", 1, 1), ("", "y", 1, 1)]))
    assert [(e["row"], e["code"]) for e in errors] == [
        (2, "turnout.code_format"),
        (3, "turnout.code_missing"),
    ]
    assert refused(db, write(tmp_path, []))[0]["code"] == "turnout.no_rows"
