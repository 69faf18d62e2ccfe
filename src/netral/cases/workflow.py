"""The case state machine, read from workflow.yaml: a table of allowed transitions, not `if`s."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from netral.cases.letters import LETTER_KINDS
from netral.core.errors import Conflict, Forbidden, problem

WORKFLOW_FILE = Path(__file__).with_name("workflow.yaml")


@dataclass(frozen=True)
class Transition:
    code: str
    sources: frozenset[str]
    target: str
    roles: frozenset[str]
    requires: tuple[str, ...]
    event: str | None
    letters: tuple[str, ...]  # generated with the transition, in its unit of work
    label_id: str
    label_en: str

    def label(self, lang: str = "id") -> str:
        return self.label_en if lang == "en" else self.label_id


@dataclass(frozen=True)
class Workflow:
    states: dict[str, tuple[str, str]]
    final: frozenset[str]
    start: str
    transitions: dict[str, Transition]

    def state_label(self, state: str, lang: str = "id") -> str:
        pair = self.states.get(state, (state, state))
        return pair[1] if lang == "en" else pair[0]

    def available(self, state: str, role: str | None = None) -> list[Transition]:
        """Transitions out of `state` (for `role`, when given), in the file's order."""
        return [
            t
            for t in self.transitions.values()
            if state in t.sources and (role is None or role in t.roles)
        ]

    def check(self, state: str, code: str, role: str) -> Transition:
        """The transition, or a refusal that says what is allowed instead."""
        t = self.transitions.get(code)
        if t is None or state not in t.sources:
            allowed = ", ".join(x.code for x in self.available(state)) or "-"
            raise Conflict(
                problem(
                    "case.transition_not_allowed",
                    f"Dari status '{self.state_label(state)}' tidak bisa '{code}'. Yang bisa: {allowed}.",
                    f"From state '{self.state_label(state, 'en')}' '{code}' is not allowed. "
                    f"Allowed: {allowed}.",
                    field="transition",
                )
            )
        if role not in t.roles:
            raise Forbidden(
                problem(
                    "case.role_not_allowed",
                    f"Peran '{role}' tidak berwenang melakukan '{t.label_id}'. "
                    f"Berwenang: {', '.join(sorted(t.roles))}.",
                    f"Role '{role}' may not '{t.label_en}'. Allowed: {', '.join(sorted(t.roles))}.",
                    field="transition",
                )
            )
        return t


def _letters(raw: dict[str, Any]) -> tuple[str, ...]:
    letters = tuple(raw.get("letters", []))
    unknown = set(letters) - set(LETTER_KINDS)
    if unknown:
        raise ValueError(f"workflow.yaml: transitions[{raw['code']}]: unknown letters {unknown}")
    return letters


def _parse(data: dict[str, Any]) -> Workflow:
    states = {k: (v["id"], v["en"]) for k, v in data["states"].items()}
    final = frozenset(data["final"])
    transitions: dict[str, Transition] = {}
    for raw in data["transitions"]:
        sources = set(raw["from"])
        if "*" in sources:
            sources = set(states) - final
        unknown = (sources | {raw["to"]}) - set(states)
        if unknown:
            raise ValueError(f"workflow.yaml: transitions[{raw['code']}]: unknown states {unknown}")
        transitions[raw["code"]] = Transition(
            code=raw["code"],
            sources=frozenset(sources),
            target=raw["to"],
            roles=frozenset(raw["roles"]),
            requires=tuple(raw.get("requires", [])),
            event=raw.get("event"),
            letters=_letters(raw),
            label_id=raw["label"]["id"],
            label_en=raw["label"]["en"],
        )
    return Workflow(states=states, final=final, start=data["start"], transitions=transitions)


@cache
def workflow() -> Workflow:
    data: dict[str, Any] = yaml.safe_load(WORKFLOW_FILE.read_text(encoding="utf-8"))
    return _parse(data)
