from sqlalchemy import inspect

from netral.core.db import current_revision, ensure_migrated, head_revision, make_engine
from netral.core.errors import NetralError


def test_migrated_database_is_at_head(engine):
    assert current_revision(engine) == head_revision()
    ensure_migrated(engine)
    tables = set(inspect(engine).get_table_names())
    assert {"asn", "opd", "wilayah", "user_account", "audit_entry", "election"} <= tables


def test_unmigrated_database_is_refused_with_the_fix(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 'empty.db'}")
    try:
        ensure_migrated(engine)
    except NetralError as exc:
        assert exc.code == "db.not_migrated"
        assert "netral db upgrade" in exc.message("id")
        assert "netral db upgrade" in exc.message("en")
    else:
        raise AssertionError("an unmigrated database was accepted")


def test_sqlite_runs_in_wal_with_foreign_keys(tmp_path):
    engine = make_engine(f"sqlite:///{tmp_path / 'x.db'}")
    with engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1


def test_the_data_directory_and_the_sqlite_files_are_owner_only(tmp_path):
    import stat

    from netral.core.db import harden_data_dir, make_engine
    from netral.core.settings import Settings

    settings = Settings(data_dir=tmp_path / "data")
    harden_data_dir(settings)
    engine = make_engine(settings.database_url)
    with engine.begin() as conn:
        conn.exec_driver_sql("CREATE TABLE t (x INTEGER)")
    engine.dispose()
    mode = stat.S_IMODE
    assert mode((tmp_path / "data").stat().st_mode) == 0o700
    assert mode((tmp_path / "data" / "netral.db").stat().st_mode) == 0o600
