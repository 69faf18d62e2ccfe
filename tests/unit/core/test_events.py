"""Events: nothing subscribes by being imported, and an event nobody handles is an error."""

from __future__ import annotations

from dataclasses import dataclass

import pytest

from netral.core import events
from netral.core.events import Event, UnhandledEvent


@dataclass(frozen=True)
class Nobody(Event):
    n: int


def _every_event_type() -> set[type[Event]]:
    import netral.wiring  # noqa: F401  (loads every domain that publishes)

    found: set[type[Event]] = set()
    todo = list(Event.__subclasses__())
    while todo:
        cls = todo.pop()
        found.add(cls)
        todo.extend(cls.__subclasses__())
    return {c for c in found if c.__module__.startswith("netral.")}


def test_publishing_an_event_nobody_handles_fails_and_names_it():
    with pytest.raises(UnhandledEvent, match="Nobody has no handler"):
        events.publish(None, Nobody(1))  # type: ignore[arg-type]


def test_without_wiring_nothing_is_subscribed(monkeypatch):
    from netral.reports.events import ReportReceived

    monkeypatch.setattr(events, "_handlers", {})
    import netral.cases.deadlines
    import netral.screening.handlers  # noqa: F401

    with pytest.raises(UnhandledEvent):
        events.publish(None, ReportReceived(1, "LAP-2024-000001", "32.73"))  # type: ignore[arg-type]


def test_wiring_subscribes_a_handler_to_every_event_a_domain_publishes():
    from netral.wiring import subscribe_handlers

    subscribe_handlers()
    subscribe_handlers()  # twice: still one subscription each
    concrete = {t for t in _every_event_type() if t.__name__ != "CaseEvent"}
    assert concrete, "no domain events found"
    missing = sorted(t.__name__ for t in concrete if not events.handlers_for(t))
    assert missing == []
    assert all(len(events.handlers_for(t)) == 1 for t in concrete)
