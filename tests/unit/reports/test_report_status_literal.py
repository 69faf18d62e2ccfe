"""ReportStatus, as the API answers it, agrees with the inbox's status table and state machine."""

from typing import get_args

from netral.reports.schemas import ReportStatus
from netral.reports.service import STATUS_LABELS, TRANSITIONS


def test_report_statuses_are_the_status_table():
    statuses = set(get_args(ReportStatus))
    assert statuses == set(STATUS_LABELS) == set(TRANSITIONS)
    assert {to for targets in TRANSITIONS.values() for to in targets} <= statuses
