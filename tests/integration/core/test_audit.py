"""The audit log's hash chain: tampering with the database directly is found, at the right row."""

from sqlalchemy import text

from netral.core import audit
from netral.core.audit import Actor, verify


def _write(db, n=5):
    actor = Actor(1, "petugas", "bawaslu_staff")
    for i in range(n):
        audit.record(
            db,
            actor=actor,
            action="test.step",
            object_type="case",
            object_id=i,
            region_code="32.73",
            summary={"i": i, "note": "langkah"},
        )
    db.commit()


def test_an_untouched_chain_verifies(engine, db):
    _write(db)
    result = verify(engine)
    assert result.ok and result.rows == 5


def test_an_altered_row_is_named(engine, db):
    _write(db)
    with engine.begin() as conn:
        conn.execute(text("UPDATE audit_entry SET actor = 'orang lain' WHERE id = 3"))
    result = verify(engine)
    assert not result.ok and result.first_bad_id == 3


def test_a_deleted_row_is_named(engine, db):
    _write(db)
    with engine.begin() as conn:
        conn.execute(text("DELETE FROM audit_entry WHERE id = 2"))
    result = verify(engine)
    assert not result.ok and result.first_bad_id == 2


def test_an_inserted_row_is_named(engine, db):
    _write(db, 3)
    with engine.begin() as conn:
        conn.execute(text("UPDATE audit_entry SET id = id + 10 WHERE id = 3"))
        conn.execute(
            text(
                "INSERT INTO audit_entry (id, at, actor_id, actor, role, action, object_type, "
                "object_id, region_code, summary, prev_hash, hash) "
            "SELECT 3, at, actor_id, 'palsu', "
                "role, action, object_type, object_id, region_code, summary, hash, hash "
                "FROM audit_entry WHERE id = 2"
            )
        )
        conn.execute(text("UPDATE audit_entry SET id = 4 WHERE id = 13"))
    result = verify(engine)
    assert not result.ok and result.first_bad_id == 3


def test_deleting_the_newest_rows_is_found(engine, db):
    _write(db)
    with engine.begin() as conn:
        conn.execute(text("DELETE FROM audit_entry WHERE id = 5"))
    assert not verify(engine).ok
