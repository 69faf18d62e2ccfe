"""Migration 0025 builds its indexes online: the tables stay writable and readable while it runs."""

from __future__ import annotations

import threading
import time

import pytest
from sqlalchemy import Engine, inspect

from netral.core.migrate import downgrade, upgrade

ROWS = 200_000
# a plain CREATE INDEX holds its SHARE lock for the whole build (seconds on these rows); an
# online one lets every write through at once, so a second is a generous bound for a probe
LOCK_TIMEOUT = "1s"
BTREE = {
    "report": {"ix_report_created", "ix_report_reported_nip"},
    "asn": {"ix_asn_region_name", "ix_asn_name"},
    "case_asn": {"ix_case_asn_nip"},
}


def _fill(engine: Engine) -> None:
    with engine.begin() as conn:
        conn.exec_driver_sql(
            "INSERT INTO wilayah (code, name, level, parent_code, region_code) VALUES "
            "('32', 'Jawa Barat', 'provinsi', NULL, ''), "
            "('32.73', 'Kota Bandung', 'kota', '32', '32.73')"
        )
        conn.exec_driver_sql(
            "INSERT INTO opd (id, region_code, code, name, kind) "
            "VALUES (1, '32.73', 'D1', 'Dinas 1', 'dinas')"
        )
        conn.exec_driver_sql(
            "INSERT INTO asn (nip, name, kind, position, golongan, opd_id, region_code, "
            "is_active, created_at, updated_at) SELECT lpad(g::text, 18, '0'), 'ASN ' || g, "
            "'PNS', 'Staf', 'III/a', 1, '32.73', true, now(), now() "
            f"FROM generate_series(1, {ROWS}) g"
        )
        conn.exec_driver_sql(
            "INSERT INTO report (number, region_code, kind, channel, status, anonymous, "
            "receipt_mac, reported_name, reported_nip, reported_position, reported_address, "
            "reported_phone, description, place, occurred_on, known_on, witnesses, subject, "
            "links, rulebook_version, filing_due_on, is_late, formal_check, status_reason, "
            "created_at, updated_at) SELECT 'LAP-2024-' || lpad(g::text, 6, '0'), '32.73', "
            "'informasi_awal', 'publik', 'baru', true, md5(g::text), 'Terlapor ' || g, "
            "lpad(g::text, 18, '0'), '', '', '', 'uraian', '', '2024-10-01', '2024-10-01', '', "
            "'asn', '[]', '2024.2', '2024-10-08', false, '[]', '', "
            "now() - g * interval '1 minute', now() "
            f"FROM generate_series(1, {ROWS}) g"
        )
        conn.exec_driver_sql("ANALYZE report")
        conn.exec_driver_sql("ANALYZE asn")


def _probe(url: str, stop: threading.Event, waits: list[float], errors: list[str]) -> None:
    """Insert a report and read an ASN, again and again, each allowed LOCK_TIMEOUT to wait."""
    import psycopg

    with psycopg.connect(url.replace("postgresql+psycopg://", "postgresql://")) as conn:
        conn.autocommit = True
        conn.execute(f"SET lock_timeout = '{LOCK_TIMEOUT}'")
        k = 0
        while not stop.is_set():
            k += 1
            t0 = time.perf_counter()
            try:
                conn.execute(
                    "INSERT INTO report (number, region_code, kind, channel, status, anonymous,"
                    " receipt_mac, reported_name, reported_nip, reported_position, "
                    "reported_address, reported_phone, description, place, occurred_on, "
                    "known_on, witnesses, subject, links, rulebook_version, filing_due_on, "
                    "is_late, formal_check, status_reason, created_at, updated_at) VALUES "
                    "(%s, '32.73', 'informasi_awal', 'publik', 'baru', true, 'x', '', '', '',"
                    " '', '', 'probe', '', '2024-11-30', '2024-11-30', '', 'asn', '[]', "
                    "'2024.2', '2024-12-06', false, '[]', '', now(), now())",
                    (f"PROBE-{k:08d}",),
                )
                conn.execute("SELECT name FROM asn WHERE id = %s", (1 + k % ROWS,)).fetchone()
                conn.execute("UPDATE asn SET position = 'Staf' WHERE id = %s", (1 + k % ROWS,))
            except psycopg.errors.LockNotAvailable as e:
                errors.append(str(e).splitlines()[0])
            waits.append(time.perf_counter() - t0)
            time.sleep(0.01)


def test_0025_builds_its_indexes_while_the_tables_take_writes(empty_engine: Engine) -> None:
    upgrade(empty_engine, "0022")
    if empty_engine.dialect.name == "sqlite":
        upgrade(empty_engine)  # the plain B-tree indexes, no trigram ones
        found = {t: {ix["name"] for ix in inspect(empty_engine).get_indexes(t)} for t in BTREE}
        assert all(BTREE[t] <= found[t] for t in BTREE), found
        downgrade(empty_engine, "0022")
        found = {t: {ix["name"] for ix in inspect(empty_engine).get_indexes(t)} for t in BTREE}
        assert not any(BTREE[t] & found[t] for t in BTREE), found
        return
    _fill(empty_engine)
    url = empty_engine.url.render_as_string(hide_password=False)
    stop, waits, errors = threading.Event(), [], []
    probe = threading.Thread(target=_probe, args=(url, stop, waits, errors))
    probe.start()
    time.sleep(0.3)
    t0 = time.perf_counter()
    try:
        upgrade(empty_engine)
    finally:
        build_s = time.perf_counter() - t0
        stop.set()
        probe.join()
    assert not errors, f"a probe waited more than {LOCK_TIMEOUT} for a lock: {errors[:3]}"
    # the probes ran all through the build, not only before or after it
    assert build_s > 0.5 and len(waits) >= 10, (build_s, len(waits))
    assert max(waits) < 1.0, max(waits)
    with empty_engine.connect() as conn:
        indexes = dict(
            conn.exec_driver_sql(
                "SELECT c.relname, x.indisvalid FROM pg_index x "
                "JOIN pg_class c ON c.oid = x.indexrelid WHERE c.relname LIKE 'ix_%%'"
            ).all()
        )
        trigram = conn.exec_driver_sql(
            "SELECT 1 FROM pg_available_extensions WHERE name = 'pg_trgm'"
        ).scalar()
        plan = "\n".join(
            r[0]
            for r in conn.exec_driver_sql(
                "EXPLAIN SELECT id FROM asn WHERE name ILIKE '%%n 4242%%'"
            )
        )
    expected = set().union(*BTREE.values())
    if trigram:
        expected |= {"ix_report_number_trgm", "ix_asn_name_trgm", "ix_case_asn_name_trgm"}
        assert "ix_asn_name_trgm" in plan, plan
    assert all(indexes.get(name) is True for name in expected), indexes


def test_a_plain_index_build_would_block_the_probe(empty_engine: Engine) -> None:
    """The probe above can fail: a CREATE INDEX that is not concurrent makes it wait."""
    if empty_engine.dialect.name == "sqlite":
        pytest.skip("SQLite has one writer at a time: there is no online index build to show")
    upgrade(empty_engine, "0022")
    _fill(empty_engine)
    url = empty_engine.url.render_as_string(hide_password=False)
    stop, waits, errors = threading.Event(), [], []
    with empty_engine.connect() as conn:
        tx = conn.begin()
        conn.exec_driver_sql("CREATE INDEX ix_probe_plain ON report (created_at, id)")
        probe = threading.Thread(target=_probe, args=(url, stop, waits, errors))
        probe.start()
        time.sleep(1.5)  # the build's lock held, as a long build holds it
        stop.set()
        probe.join()
        tx.rollback()
    assert errors, "a probe went through a plain CREATE INDEX's lock"
