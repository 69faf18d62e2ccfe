"""Migration 0016 on SQLite and PostgreSQL: the decision table and the superseded mark, down and
up again."""

from __future__ import annotations

from sqlalchemy import inspect

from netral.core.migrate import downgrade, upgrade


def test_0016_adds_decisions_and_the_superseded_mark(empty_engine):
    upgrade(empty_engine)
    inspector = inspect(empty_engine)
    assert "screening_decision" in inspector.get_table_names()
    finding_cols = {c["name"]: c for c in inspector.get_columns("screening_finding")}
    assert finding_cols["superseded_at"]["nullable"]  # findings already stored stay current
    decision_cols = {c["name"] for c in inspector.get_columns("screening_decision")}
    assert {"finding_id", "decision", "reason", "label", "model", "text", "decided_by"} <= (
        decision_cols
    )
    downgrade(empty_engine, "0015")
    inspector = inspect(empty_engine)
    assert "screening_decision" not in inspector.get_table_names()
    assert "superseded_at" not in {c["name"] for c in inspector.get_columns("screening_finding")}
    upgrade(empty_engine)
    assert "screening_decision" in inspect(empty_engine).get_table_names()
