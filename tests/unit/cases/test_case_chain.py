"""The case page's chain (report → study/plenary → BKN → PPK → carried out) places every state."""

from datetime import date

import pytest

from netral.cases.models import Case
from netral.cases.service import CASE_CHAIN, CHAIN_STOPS, case_chain
from netral.cases.workflow import workflow

ENDINGS = {"selesai", "dihentikan"}  # placed by what the case had reached when it ended


def test_every_state_has_a_place_in_the_chain():
    on_the_way = [s for *_, states in CASE_CHAIN for s in states]
    assert len(on_the_way) == len(set(on_the_way))
    placed = set(on_the_way) | set(CHAIN_STOPS) | ENDINGS
    assert placed == set(workflow().states)


def _marks(**fields) -> list[str]:
    return [step.status for step in case_chain(Case(**fields))]


@pytest.mark.parametrize(
    ("fields", "marks"),
    [
        ({"state": "diterima"}, ["current", "todo", "todo", "todo", "todo"]),
        ({"state": "kajian"}, ["done", "current", "todo", "todo", "todo"]),
        ({"state": "diteruskan_bkn"}, ["done", "done", "current", "todo", "todo"]),
        ({"state": "putusan_ppk"}, ["done", "done", "done", "current", "todo"]),
        ({"state": "tidak_terbukti"}, ["done", "stopped", "todo", "todo", "todo"]),
        ({"state": "ppk_tidak_terbukti"}, ["done", "done", "done", "stopped", "todo"]),
        (
            {"state": "selesai", "carried_out_on": date(2024, 12, 2)},
            ["done", "done", "done", "done", "done"],
        ),
        (
            {"state": "dihentikan", "register_number": "001/Reg/LP/PB/Kota/13.15/XI/2024"},
            ["done", "stopped", "todo", "todo", "todo"],
        ),
        ({"state": "dihentikan"}, ["stopped", "todo", "todo", "todo", "todo"]),
    ],
)
def test_the_chain_marks_where_a_case_stands(fields, marks):
    assert _marks(**fields) == marks
