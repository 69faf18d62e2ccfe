"""Every workflow state belongs to exactly one public stage (the transparency page's grouping)."""

from netral.cases.service import PUBLIC_CASE_STAGES
from netral.cases.workflow import workflow


def test_every_state_in_exactly_one_public_stage():
    placed = [s for *_, states in PUBLIC_CASE_STAGES for s in states]
    assert sorted(placed) == sorted(workflow().states)
