"""Imports every domain's event handlers, so events reach their subscribers. Called at start-up."""

from __future__ import annotations


def wire() -> None:
    from netral.screening import handlers  # noqa: F401
