"""The rulebook's reporter standing (UU 1/2015 art. 134(2)): checked like every other rule."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from netral.rules import PACKAGED_RULEBOOK, RulebookError, load_rulebook


def raw() -> dict[str, Any]:
    data = yaml.safe_load(PACKAGED_RULEBOOK.read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


def standing(d: dict[str, Any]) -> dict[str, Any]:
    out = d["report_requirements"]["standing"]
    assert isinstance(out, dict)
    return out


def _duplicate(d: dict[str, Any]) -> None:
    standing(d)["choices"].append(dict(standing(d)["choices"][0]))


def _nobody_may_file(d: dict[str, Any]) -> None:
    for c in standing(d)["choices"]:
        c["files_laporan"] = False


def _unknown_source(d: dict[str, Any]) -> None:
    standing(d)["basis"][0]["source"] = "uu-1-2099"


def _no_basis(d: dict[str, Any]) -> None:
    standing(d)["basis"] = []


def _no_confidence(d: dict[str, Any]) -> None:
    del standing(d)["confidence"]


def test_each_standing_that_may_file_has_words_in_both_languages() -> None:
    s = load_rulebook().report_requirements.standing
    assert s.basis and s.confidence == "N"
    for c in s.choices:
        assert c.name.id and c.name.en
    assert s.choice("pemilih") is not None and s.choice("wartawan") is None
    formal = [r.code for r in load_rulebook().report_requirements.formal]
    assert "reporter_standing" in formal


@pytest.mark.parametrize(
    ("mutate", "where", "why"),
    [
        (_duplicate, "report_requirements.standing.choices[pemilih].code", "duplicate code"),
        (_nobody_may_file, "report_requirements.standing.choices", "at least one standing"),
        (_unknown_source, "report_requirements.standing.basis[0].source", "is not a source"),
        (_no_basis, "report_requirements.standing.basis", "at least 1 item"),
        (_no_confidence, "report_requirements.standing.confidence", "Field required"),
    ],
)
def test_a_broken_standing_is_refused_with_its_place(
    tmp_path: Path, mutate: Callable[[dict[str, Any]], None], where: str, why: str
) -> None:
    data = raw()
    mutate(data)
    path = tmp_path / "broken.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    with pytest.raises(RulebookError) as exc:
        load_rulebook(path)
    messages = [p.message_en for p in exc.value.problems]
    assert any(m.startswith(f"broken.yaml: {where}: ") and why in m for m in messages), messages
