"""Importing ASN from CSV and XLSX: good files, header spellings, idempotency, and every way a
bad file is refused without changing the database."""

from __future__ import annotations

import csv
import random
from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook
from sqlalchemy import func, select, text
from sqlalchemy.orm import Session

from netral.core.audit import Actor
from netral.core.errors import ValidationFailed
from netral.core.models import AuditEntry
from netral.core.security import Scope
from netral.core.settings import get_settings
from netral.registry import service
from netral.registry.importer import ImportFailed, ImportReport, import_asn
from netral.registry.models import Asn, Opd, SocialAccount
from netral.registry.nip import make_nip

HEADER = [
    "NIP",
    "Nama",
    "Jenis",
    "Jabatan",
    "Golongan",
    "OPD",
    "Unit",
    "Email",
    "Telepon",
    "Akun Medsos",
]
CITY, KAB = "32.73", "32.04"


def nips(n: int, seed: int = 7) -> list[str]:
    rng = random.Random(seed)
    out: list[str] = []
    while len(out) < n:
        nip = make_nip(rng)
        if nip not in out:
            out.append(nip)
    return out


def people(n: int = 5, seed: int = 7) -> list[list[str]]:
    """Rows in HEADER order, spread over the fixture's OPD and units."""
    where = [
        ("DISDIK", "Sekretariat"),
        ("DINKES", "Puskesmas Garuda"),
        ("DISHUB", "Bidang Lalu Lintas"),
        ("DISHUB", ""),
        ("Dinas Kesehatan", ""),
    ]
    rows = []
    for i, nip in enumerate(nips(n, seed)):
        opd, unit = where[i % len(where)]
        contact = i % 2 == 0
        rows.append(
            [
                nip,
                f"Pegawai Nomor {i}",
                "PPPK" if i % 4 == 3 else "PNS",
                f"Staf {i}",
                "IX" if i % 4 == 3 else "III/a",
                opd,
                unit,
                f"pegawai.{i}@bandung.go.id" if contact else "",
                f"0812{i:08d}" if contact else "",
                f"instagram:@pegawai_{seed}_{i}" if i % 3 == 0 else "",
            ]
        )
    return rows


def write_csv(
    path: Path, rows: list[list[Any]], header: list[str] = HEADER, delimiter: str = ","
) -> Path:
    with path.open("w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh, delimiter=delimiter)
        w.writerow(header)
        w.writerows(rows)
    return path


def write_xlsx(path: Path, rows: list[list[Any]], header: list[str] = HEADER) -> Path:
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.append(header)
    for r in rows:
        ws.append(r)
    wb.save(path)
    return path


def run(db: Session, path: Path, region: str = CITY, **kw: Any) -> ImportReport:
    report = import_asn(db_session=db, path=path, region_code=region, actor=Actor.system(), **kw)
    db.commit()
    return report


def state(db: Session) -> tuple[int, int, int]:
    """(ASN rows, social accounts, audit rows): what a refused import must leave as it was."""
    db.rollback()
    return (
        db.scalar(select(func.count()).select_from(Asn)) or 0,
        db.scalar(select(func.count()).select_from(SocialAccount)) or 0,
        db.scalar(select(func.count()).select_from(AuditEntry)) or 0,
    )


def refused(db: Session, path: Path, code: str, region: str = CITY, **kw: Any) -> ValidationFailed:
    """Import `path`, expect a refusal with `code` (first problem or any row error), and check
    that nothing changed."""
    before = state(db)
    with pytest.raises(ValidationFailed) as info:
        run(db, path, region, **kw)
    exc = info.value
    codes = {p.code for p in exc.problems}
    if isinstance(exc, ImportFailed):
        codes |= {e.code for e in exc.report.errors}
    assert code in codes, codes
    assert state(db) == before
    return exc


def row_errors(exc: ValidationFailed) -> list[dict[str, Any]]:
    assert isinstance(exc, ImportFailed)
    return [e.as_dict("en") for e in exc.report.errors]


# ------------------------------------------------------------------ good files


def test_good_csv_is_imported_with_units_kinds_and_accounts(db, registry, tmp_path):
    rows = people(10)
    report = run(db, write_csv(tmp_path / "asn.csv", rows))
    assert (report.rows, report.valid, report.error_count) == (10, 10, 0)
    assert (report.inserted, report.updated, report.unchanged) == (10, 0, 0)
    assert report.written
    asn = db.scalar(select(Asn).where(Asn.nip == rows[1][0]))
    assert asn is not None
    assert (asn.name, asn.opd.code, asn.unit.name if asn.unit else None) == (
        "Pegawai Nomor 1",
        "DINKES",
        "Puskesmas Garuda",
    )
    assert asn.region_code == CITY
    pppk = db.scalar(select(Asn).where(Asn.nip == rows[3][0]))
    assert pppk is not None and (pppk.kind, pppk.golongan, pppk.unit_id) == ("PPPK", "IX", None)
    first = db.scalar(select(Asn).where(Asn.nip == rows[0][0]))
    assert first is not None
    assert [(a.platform, a.handle) for a in first.accounts] == [("instagram", "pegawai_7_0")]
    audit = db.scalars(select(AuditEntry).where(AuditEntry.action == "registry.import_asn")).all()
    assert len(audit) == 1 and audit[0].summary["inserted"] == 10


def test_good_xlsx_is_imported(db, registry, tmp_path):
    rows = people(6)
    report = run(db, write_xlsx(tmp_path / "asn.xlsx", rows))
    assert (report.inserted, report.error_count) == (6, 0)
    assert db.scalar(select(func.count()).select_from(Asn)) == 6


def test_header_aliases_from_a_bkpsdm_sheet(db, registry, tmp_path):
    header = [
        "NIP Baru",
        "Nama Lengkap",
        "Status Kepegawaian",
        "Nama Jabatan",
        "Gol/Ruang",
        "Unit Kerja",
        "Sub Unit Kerja",
        "Alamat Email",
        "No. HP",
    ]
    rows = [r[:9] for r in people(4)]
    report = run(db, write_csv(tmp_path / "bkpsdm.csv", rows, header))
    assert report.inserted == 4
    asn = db.scalar(select(Asn).where(Asn.nip == rows[0][0]))
    assert asn is not None and asn.position == "Staf 0" and asn.golongan == "III/a"
    assert service.contact_of(asn) == ("pegawai.0@bandung.go.id", "081200000000")


def test_explicit_mapping_overrides_the_guess(db, registry, tmp_path):
    # "Nama" here is the name of the office; the person's name is in "Pegawai"
    header = ["Nomor", "Pegawai", "Nama", "Kantor"]
    rows = [[r[0], r[1], "ignored office name", r[5]] for r in people(3)]
    path = write_csv(tmp_path / "odd.csv", rows, header)
    report = run(db, path, mapping={"nip": "Nomor", "name": "Pegawai", "opd": "Kantor"})
    assert report.inserted == 3
    assert set(db.scalars(select(Asn.name))) == {r[1] for r in rows}


def test_mapping_to_a_missing_column_is_refused(db, registry, tmp_path):
    path = write_csv(tmp_path / "asn.csv", people(2))
    exc = refused(db, path, "import.mapping_missing", mapping={"name": "Nama Pegawai"})
    assert exc.problems[0].field == "mapping"


def test_semicolon_delimited_csv(db, registry, tmp_path):
    rows = people(5)
    report = run(db, write_csv(tmp_path / "excel-id.csv", rows, delimiter=";"))
    assert (report.inserted, report.error_count) == (5, 0)
    asn = db.scalar(select(Asn).where(Asn.nip == rows[2][0]))
    assert asn is not None and asn.name == "Pegawai Nomor 2"


def test_reimport_is_idempotent_and_updates_by_nip(db, registry, tmp_path):
    rows = people(8)
    path = write_csv(tmp_path / "asn.csv", rows)
    run(db, path)
    ids = dict(db.execute(select(Asn.nip, Asn.id)).all())
    again = run(db, path)
    assert (again.inserted, again.updated, again.unchanged) == (0, 0, 8)
    rows[0][1], rows[5][1] = "Nama Baru Satu", "Nama Baru Dua"
    changed = run(db, write_csv(tmp_path / "asn2.csv", rows))
    assert (changed.inserted, changed.updated, changed.unchanged) == (0, 2, 6)
    db.expire_all()
    assert dict(db.execute(select(Asn.nip, Asn.id)).all()) == ids  # same rows, by NIP
    assert db.scalar(select(Asn.name).where(Asn.nip == rows[5][0])) == "Nama Baru Dua"
    assert db.scalar(select(func.count()).select_from(SocialAccount)) == 3


def test_changed_contact_counts_as_an_update(db, registry, tmp_path):
    rows = people(4)
    run(db, write_csv(tmp_path / "a.csv", rows))
    rows[0][7] = "baru@bandung.go.id"
    report = run(db, write_csv(tmp_path / "b.csv", rows))
    assert (report.updated, report.unchanged) == (1, 3)
    asn = db.scalar(select(Asn).where(Asn.nip == rows[0][0]))
    assert asn is not None and service.contact_of(asn)[0] == "baru@bandung.go.id"


def test_partial_keeps_valid_rows_and_reports_the_bad_ones(db, registry, tmp_path):
    rows = people(6)
    rows[1][0] = rows[1][0][:10] + "x" + rows[1][0][11:]
    rows[4][5] = "DINAS-TIDAK-ADA"
    report = run(db, write_csv(tmp_path / "asn.csv", rows), partial=True)
    assert (report.rows, report.valid, report.inserted, report.error_count) == (6, 4, 4, 2)
    assert [(e.row, e.code) for e in report.errors] == [
        (3, "nip.not_digits"),
        (6, "asn.opd_unknown"),
    ]
    assert db.scalar(select(func.count()).select_from(Asn)) == 4


def test_dry_run_reports_and_writes_nothing(db, registry, tmp_path):
    before = state(db)
    report = run(db, write_csv(tmp_path / "asn.csv", people(5)), dry_run=True)
    assert (report.rows, report.valid, report.error_count, report.written) == (5, 5, 0, False)
    assert state(db) == before


def test_contact_is_encrypted_at_rest(db, registry, tmp_path):
    rows = people(3)
    run(db, write_csv(tmp_path / "asn.csv", rows))
    raw = db.execute(text("SELECT contact_enc FROM asn WHERE nip = :n"), {"n": rows[0][0]}).scalar()
    assert raw is not None
    blob = bytes(raw)
    assert b"pegawai.0" not in blob and b"bandung.go.id" not in blob and b"0812" not in blob
    asn = db.scalar(select(Asn).where(Asn.nip == rows[0][0]))
    assert asn is not None
    assert service.contact_of(asn) == ("pegawai.0@bandung.go.id", "081200000000")
    nobody = db.scalar(select(Asn).where(Asn.nip == rows[1][0]))
    assert nobody is not None and nobody.contact_enc is None
    assert service.contact_of(nobody) == ("", "")


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_export_round_trips_through_import(db, registry, tmp_path, suffix):
    run(db, write_csv(tmp_path / "asn.csv", people(10)))
    out = tmp_path / f"export{suffix}"
    n = service.export_asn(
        db_session=db,
        scope=Scope("national"),
        path=out,
        actor=Actor.system(),
        include_contact=True,
        region_code=CITY,
    )
    db.commit()
    assert n == 10
    report = run(db, out)
    assert (report.rows, report.inserted, report.updated, report.unchanged) == (10, 0, 0, 10)


# ------------------------------------------------------------------ bad rows: nothing written


def test_malformed_nip_is_refused_with_row_column_code_and_message(db, registry, tmp_path):
    rows = people(4)
    rows[2][0] = rows[2][0][:12] + "13" + rows[2][0][14:]  # appointment month 13
    exc = refused(db, write_csv(tmp_path / "asn.csv", rows), "nip.appointment_month")
    (err,) = row_errors(exc)
    assert (err["row"], err["column"], err["code"]) == (4, "nip", "nip.appointment_month")
    assert "appointment month" in err["message"]
    assert "bulan TMT CPNS" in exc.report.errors[0].message  # type: ignore[attr-defined]
    assert exc.code == "import.rows_invalid"


def test_unknown_opd_is_refused(db, registry, tmp_path):
    rows = people(3)
    rows[1][5] = "DISPARBUD-LAMA"
    (err,) = row_errors(refused(db, write_csv(tmp_path / "asn.csv", rows), "asn.opd_unknown"))
    assert (err["row"], err["column"]) == (3, "opd")
    assert "DISPARBUD-LAMA" in err["message"]


def test_unknown_unit_is_refused(db, registry, tmp_path):
    rows = people(3)
    rows[0][6] = "Bidang Tidak Ada"
    (err,) = row_errors(refused(db, write_csv(tmp_path / "asn.csv", rows), "asn.unit_unknown"))
    assert (err["row"], err["column"]) == (2, "unit")
    assert "Bidang Tidak Ada" in err["message"] and "Dinas Pendidikan" in err["message"]


def test_duplicate_nip_in_one_file_names_the_first_row(db, registry, tmp_path):
    rows = people(4)
    rows[3][0] = rows[1][0]
    (err,) = row_errors(refused(db, write_csv(tmp_path / "asn.csv", rows), "asn.duplicate_nip"))
    assert err["row"] == 5
    assert "row 3" in err["message"]


def test_nip_registered_in_another_region_is_refused(db, registry, tmp_path):
    rows = people(3)
    kab = [[rows[0][0], "Pegawai Kabupaten", "PNS", "", "", "DISDIK", "", "", "", ""]]
    run(db, write_csv(tmp_path / "kab.csv", kab), KAB)
    exc = refused(db, write_csv(tmp_path / "kota.csv", rows), "asn.other_region")
    (err,) = row_errors(exc)
    assert (err["row"], err["column"]) == (2, "nip")
    assert KAB in err["message"]
    assert db.scalar(select(Asn.region_code).where(Asn.nip == rows[0][0])) == KAB


def test_social_account_of_another_asn_is_refused(db, registry, tmp_path):
    first = people(3, seed=1)
    run(db, write_csv(tmp_path / "first.csv", first))
    second = people(3, seed=2)
    second[1][9] = "instagram:@pegawai_1_0"  # belongs to first[0]
    exc = refused(db, write_csv(tmp_path / "second.csv", second), "asn.account_taken")
    (err,) = row_errors(exc)
    assert err["row"] == 3 and first[0][0] in err["message"]


def test_same_account_twice_in_one_file_is_refused(db, registry, tmp_path):
    rows = people(3)
    rows[1][9] = rows[0][9]
    refused(db, write_csv(tmp_path / "asn.csv", rows), "asn.account_duplicate")


# ------------------------------------------------------------------ bad files: nothing written

PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00"
    b"\x00\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N"
    b"\x00\x00\x00\x00IEND\xaeB`\x82"
)


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("asn.csv", b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\n"),
        ("asn.csv", b"\x7fELF\x02\x01\x01" + b"\x00" * 9),
        ("asn.xlsx", PNG),
    ],
    ids=["pdf", "elf", "png"],
)
def test_a_file_that_is_not_csv_or_xlsx_is_refused(db, registry, tmp_path, name, content):
    path = tmp_path / name
    path.write_bytes(content)
    exc = refused(db, path, "import.format")
    assert exc.problems[0].field == "file"


def test_a_zip_that_is_not_a_workbook_is_refused(db, registry, tmp_path):
    import zipfile

    path = tmp_path / "asn.xlsx"
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("readme.txt", "not a workbook")
    refused(db, path, "import.format")


def test_xlsx_with_a_formula_is_refused(db, registry, tmp_path):
    rows: list[list[Any]] = [list(r) for r in people(3)]
    rows[1][1] = '=CONCATENATE("Budi", " ", "Santoso")'
    exc = refused(db, write_xlsx(tmp_path / "asn.xlsx", rows), "import.formula")
    assert "Row 3" in exc.message("en")


def test_xlsx_with_merged_header_cells_is_refused(db, registry, tmp_path):
    wb = Workbook()
    ws = wb.active
    assert ws is not None
    ws.append(["Data Pegawai", None, None])
    ws.merge_cells("A1:C1")
    ws.append(["NIP", "Nama", "OPD"])
    ws.append([people(1)[0][0], "Budi", "DISDIK"])
    wb.save(tmp_path / "merged.xlsx")
    exc = refused(db, tmp_path / "merged.xlsx", "import.merged_cells")
    assert "A1:C1" in exc.message("en")


def test_xlsx_with_numeric_nips_is_refused(db, registry, tmp_path):
    rows: list[list[Any]] = [list(r) for r in people(3)]
    for r in rows:
        r[0] = int(r[0])  # what Excel does to a column not formatted as text
    exc = refused(db, write_xlsx(tmp_path / "asn.xlsx", rows), "nip.number_cell")
    errors = row_errors(exc)
    assert [(e["row"], e["column"]) for e in errors] == [(2, "nip"), (3, "nip"), (4, "nip")]
    assert "Text" in errors[0]["message"]


def test_empty_file_is_refused(db, registry, tmp_path):
    path = tmp_path / "asn.csv"
    path.write_bytes(b"")
    refused(db, path, "import.empty")


def test_header_only_file_is_refused(db, registry, tmp_path):
    refused(db, write_csv(tmp_path / "asn.csv", []), "import.no_rows")


def test_header_only_xlsx_is_refused(db, registry, tmp_path):
    refused(db, write_xlsx(tmp_path / "asn.xlsx", []), "import.no_rows")


def test_missing_required_columns_are_named(db, registry, tmp_path):
    path = write_csv(tmp_path / "asn.csv", [["Budi", "DISDIK"]], ["Nama", "OPD"])
    exc = refused(db, path, "import.header_missing")
    assert "NIP" in exc.message("en")


def test_a_file_over_the_size_limit_is_refused_before_reading(db, registry, tmp_path, monkeypatch):
    monkeypatch.delenv("NETRAL_IMPORT_MAX_MB", raising=False)
    get_settings.cache_clear()
    assert get_settings().import_max_mb == 100
    path = tmp_path / "huge.csv"
    with path.open("wb") as f:
        f.write(b"NIP,Nama,OPD\n")
        f.truncate(200 * 1024 * 1024)  # sparse: costs no disk
    exc = refused(db, path, "import.too_large")
    assert "100 MB" in exc.message("en")


def test_a_latin1_csv_is_refused_with_how_to_save_it(db, registry, tmp_path):
    path = tmp_path / "asn.csv"
    path.write_bytes("NIP,Nama,OPD\n198503122010011003,Dédé,DISDIK\n".encode("latin-1"))
    exc = refused(db, path, "import.encoding")
    assert "UTF-8" in exc.message("en")


def test_bulk_first_import_restores_every_constraint(db, registry, tmp_path, monkeypatch):
    """PostgreSQL loads a large first import without asn's constraints; they must come back."""
    from sqlalchemy import inspect
    from sqlalchemy.exc import IntegrityError

    from netral.registry.importer import merge

    def shape() -> tuple[Any, ...]:
        insp = inspect(db.connection())
        return (
            sorted(str(fk["name"]) for fk in insp.get_foreign_keys("asn")),
            sorted(str(u["name"]) for u in insp.get_unique_constraints("asn")),
            sorted(str(i["name"]) for i in insp.get_indexes("asn") if not i.get("unique")),
            sorted((str(c["name"]), str(c.get("default"))) for c in insp.get_columns("asn")),
        )

    before = shape()
    db.rollback()
    monkeypatch.setattr(merge, "BULK_REBUILD_MIN_ROWS", 1)
    rows = people(6)
    assert run(db, write_csv(tmp_path / "asn.csv", rows)).inserted == 6
    assert shape() == before
    stamps = db.execute(text("SELECT DISTINCT is_active, created_at, updated_at FROM asn")).all()
    assert len(stamps) == 1 and stamps[0][0] in (True, 1) and stamps[0][1] == stamps[0][2]
    db.rollback()
    with pytest.raises(IntegrityError):  # the NIP is unique again
        db.execute(
            text(
                "INSERT INTO asn (nip, name, kind, position, golongan, opd_id, "
                "region_code, is_active, created_at, updated_at) VALUES (:n, 'x', 'PNS', "
                "'', '', :o, '32.73', TRUE, CURRENT_TIMESTAMP, CURRENT_TIMESTAMP)"
            ),
            {"n": rows[0][0], "o": registry.id(CITY, "DISDIK")},
        )
        db.flush()
    db.rollback()
    with pytest.raises(IntegrityError):  # and opd_id must name an OPD
        db.execute(text("UPDATE asn SET opd_id = 999999 WHERE nip = :n"), {"n": rows[0][0]})
        db.flush()
    db.rollback()


# ------------------------------------------------------------------ the caller owns the transaction


@pytest.mark.parametrize("first", [True, False], ids=["first-import", "re-import"])
def test_the_import_is_written_only_when_the_caller_commits(db, registry, tmp_path, first):
    if not first:
        run(db, write_csv(tmp_path / "before.csv", people(2, seed=3)))
    before = state(db)
    report = import_asn(
        db_session=db,
        path=write_csv(tmp_path / "asn.csv", people(5)),
        region_code=CITY,
        actor=Actor.system(),
    )
    assert report.written and report.inserted == 5
    assert db.scalar(select(func.count()).select_from(Asn)) == before[0] + 5  # flushed
    db.rollback()
    assert state(db) == before


@pytest.mark.parametrize("how", ["refused", "dry-run"])
def test_a_refusal_or_a_dry_run_keeps_the_callers_own_work(db, registry, tmp_path, how):
    rows = people(4)
    if how == "refused":
        rows[1][5] = "DINAS-TIDAK-ADA"
    service.create_opd(
        db_session=db, region_code=CITY, code="BAPPEDA", name="Bappeda", kind="badan"
    )
    path = write_csv(tmp_path / "asn.csv", rows)
    if how == "refused":
        with pytest.raises(ImportFailed):
            import_asn(db_session=db, path=path, region_code=CITY, actor=Actor.system())
    else:
        report = import_asn(
            db_session=db, path=path, region_code=CITY, actor=Actor.system(), dry_run=True
        )
        assert (report.valid, report.written) == (4, False)
    db.commit()
    assert db.scalar(select(func.count()).select_from(Asn)) == 0
    assert db.scalar(select(Opd.name).where(Opd.code == "BAPPEDA")) == "Bappeda"


# ------------------------------------------------------------------ columnar and per-row engines agree


def _mixed_rows(n: int = 400) -> list[list[str]]:
    """A file with every kind of row error spread through it: bad NIPs, a duplicate, unknown OPD
    and unit, bad e-mail, phone, golongan and accounts, an empty record."""
    rows = people(n, seed=11)
    for i in range(0, n, 37):
        rows[i][0] = rows[i][0][:12] + "13" + rows[i][0][14:]
    for i in range(5, n, 53):
        rows[i][5] = "DINAS-TIDAK-ADA"
    for i in range(9, n, 61):
        rows[i][6] = "Bidang Tidak Ada"
    for i in range(13, n, 71):
        rows[i][7] = "bukan email"
    for i in range(17, n, 67):
        rows[i][8] = "08-12 (34)"
    for i in range(19, n, 89):
        rows[i][4] = "III/z"
    for i in range(23, n, 97):
        rows[i][9] = "myspace:budi"
    rows[n - 10][0] = rows[n - 30][0]  # a copy of a bad NIP: no duplicate, the NIP's own error
    rows[n - 5][0] = rows[n - 31][0]  # a duplicate of a good one
    rows[n // 2 + 40] = [""] * len(HEADER)  # a blank line
    return rows


def _state_rows(db: Session) -> list[tuple[Any, ...]]:
    db.rollback()
    out = []
    for asn in db.scalars(select(Asn).order_by(Asn.nip)):
        out.append(
            (
                asn.nip,
                asn.name,
                asn.kind,
                asn.position,
                asn.golongan,
                asn.opd_id,
                asn.unit_id,
                asn.region_code,
                asn.is_active,
                service.contact_of(asn),
                sorted((a.platform, a.handle) for a in asn.accounts),
            )
        )
    return out


def _import_both_ways(
    db: Session, path: Path, before: Path | None = None, **kw: Any
) -> tuple[Any, Any]:
    """Import `path` with the per-row engine and with the columnar one, each time from the same
    starting registry (empty, or holding `before`); return both outcomes."""
    outcomes = []
    for engine in ("rows", "columns"):
        if before is not None:
            run(db, before, engine="rows")
        try:
            report = run(db, path, engine=engine, **kw)
            outcome: Any = (report.as_dict("en"), _state_rows(db))
        except ValidationFailed as exc:
            report_of = exc.report.as_dict("en") if isinstance(exc, ImportFailed) else None
            outcome = ("refused", report_of, exc.message("en"), state(db)[:2])
        outcomes.append(outcome)
        db.execute(text("DELETE FROM social_account"))
        db.execute(text("DELETE FROM asn"))
        db.commit()
    return outcomes[0], outcomes[1]


@pytest.mark.parametrize("bulk", [False, True], ids=["small", "bulk"])
@pytest.mark.parametrize("partial", [True, False])
def test_columnar_first_import_reports_exactly_like_the_per_row_engine(
    db, registry, tmp_path, monkeypatch, partial, bulk
):
    from netral.registry.importer import merge

    if bulk:  # the load that detaches asn's indexes (and on PostgreSQL its constraints)
        monkeypatch.setattr(merge, "BULK_REBUILD_MIN_ROWS", 1)
    rows, columns = _import_both_ways(
        db, write_csv(tmp_path / "mixed.csv", _mixed_rows()), partial=partial
    )
    assert columns == rows
    if partial:
        report = rows[0]
        assert report["error_count"] > 10 and report["inserted"] == report["valid"] > 300
        assert len(rows[1]) == report["inserted"]
        codes = {e["code"] for e in report["errors"]}
        assert {"nip.appointment_month", "asn.duplicate_nip", "asn.opd_unknown"} <= codes
        assert {"asn.unit_unknown", "asn.email", "asn.phone", "asn.golongan"} <= codes
        assert {"asn.accounts", "nip.empty", "asn.name_empty"} <= codes
    else:
        assert rows[0] == "refused"


def test_columnar_reimport_over_a_registry_matches_the_per_row_engine(db, registry, tmp_path):
    before = people(300, seed=11)[:200]
    for r in before[:20]:
        r[1] = "Nama Lama"
    rows = _mixed_rows()
    rows[30][9] = before[9][9] = "tiktok:@sudah_dipakai"  # taken by another ASN in the registry
    both = _import_both_ways(
        db,
        write_csv(tmp_path / "mixed.csv", rows),
        before=write_csv(tmp_path / "before.csv", before),
        partial=True,
    )
    assert both[1] == both[0]
    report = both[0][0]
    assert report["updated"] >= 10 and report["unchanged"] > 100 and report["inserted"] > 100
    assert any(e["code"] == "asn.account_taken" for e in report["errors"])


@pytest.mark.parametrize(
    "case",
    [
        "duplicate-first-row-bad",
        "account-twice",
        "spaced-nips",
        "blank-lines",
        "quoted-newline",
        "ragged",
        "xlsx",
        "semicolon",
        "odd-cells",
    ],
)
def test_columnar_and_per_row_engines_agree_on_awkward_files(db, registry, tmp_path, case):
    rows = people(60, seed=3)
    header, suffix, delimiter = HEADER, ".csv", ","
    if case == "duplicate-first-row-bad":
        rows[50][0] = rows[4][0]
        rows[4][5] = "DINAS-TIDAK-ADA"  # the first row is refused too, and still named
        rows[55][0] = rows[4][0]
    elif case == "account-twice":
        rows[10][9] = rows[40][9] = "tiktok:@sama"
        rows[20][9] = "instagram:@x; tiktok:@sama"
    elif case == "spaced-nips":
        for r in rows[::3]:
            r[0] = f"{r[0][:8]} {r[0][8:14]} {r[0][14]} {r[0][15:]}"
        rows[40][0] = rows[39][0][:8] + " " + rows[39][0][8:]  # a duplicate once spaces go
    elif case == "quoted-newline":
        for r in rows[10:20]:
            r[3] = "Staf\nBidang"
    elif case == "xlsx":
        suffix = ".xlsx"
        rows[7][0] = rows[3][0]
        rows[9][4] = "III/z"
    elif case == "semicolon":
        delimiter = ";"
        rows[12][7] = "bukan email"
    elif case == "odd-cells":
        rows[1][1] = "\u2003Nama Dengan Spasi Lebar\u3000"
        rows[2][1] = "\x1c"  # str.strip() takes it: an empty name
        rows[3][7] = "  pegawai@bandung.go.id "
        rows[4][7] = "p\u00e9gawai@bandung.go.id"
        rows[5][8] = " 0812-3456-7890 "
        rows[6][8] = "1234567"
        rows[7][6] = " sekretariat "
        rows[8][5] = "dinas kesehatan"
        rows[9][2] = " p3k "
        rows[10][2] = ""
        rows[11][4] = " iv/e "
        rows[13][0] = "#NUM:1985031220100110"
        rows[14][0] = "19850312201001100"
        rows[15][0] = ""
        rows[16][0] = "20991231201001 1 003"
    path = tmp_path / f"asn{suffix}"
    if suffix == ".xlsx":
        write_xlsx(path, rows, header)
    else:
        write_csv(path, rows, header, delimiter)
    if case == "blank-lines":
        text_ = path.read_text()
        lines = text_.splitlines(keepends=True)
        path.write_text(
            "".join([*lines[:5], "\n", "\r\n", *lines[5:30], "\n", *lines[30:]]) + "\n\n"
        )
    elif case == "ragged":
        lines = path.read_text().splitlines(keepends=True)
        lines[8] = lines[8].rstrip("\r\n").rsplit(",", 3)[0] + "\r\n"  # short: padded
        lines[9] = lines[9].rstrip("\r\n") + ",extra\r\n"  # long: the extra cell is ignored
        path.write_text("".join(lines))
    rows_outcome, columns_outcome = _import_both_ways(db, path, partial=True)
    assert columns_outcome == rows_outcome
    assert rows_outcome[0]["inserted"] > 30


def test_columnar_reports_the_first_thousand_errors_like_the_per_row_engine(db, registry, tmp_path):
    rows = people(1500, seed=2)
    for r in rows[::2]:
        r[5] = "DINAS-TIDAK-ADA"
        r[7] = "bukan email"
    path = write_csv(tmp_path / "many.csv", rows)
    by_rows, by_columns = _import_both_ways(db, path)
    assert by_columns == by_rows
    assert by_rows[1]["error_count"] == 1500 and len(by_rows[1]["errors"]) == 1000
