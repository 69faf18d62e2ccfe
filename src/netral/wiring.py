"""Imports every domain's event handlers, so events reach their subscribers. Called at start-up."""

from __future__ import annotations


def wire() -> None:
    from netral.cases import deadlines, reminders  # noqa: F401
    from netral.screening import handlers, jobs  # noqa: F401
