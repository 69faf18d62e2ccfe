"""The API's Literal types for cases agree with workflow.yaml, which is data and may change."""

from typing import get_args

from netral.cases.schemas import CaseState, Decision, TransitionCode
from netral.cases.workflow import workflow


def test_case_states_are_the_workflow_files_states():
    assert set(get_args(CaseState)) == set(workflow().states)


def test_transition_codes_are_the_workflow_files_transitions():
    assert set(get_args(TransitionCode)) == set(workflow().transitions)


def test_decisions_are_transitions_into_states_of_the_same_name():
    wf = workflow()
    for decision in get_args(Decision):
        assert wf.transitions[decision].target == decision
