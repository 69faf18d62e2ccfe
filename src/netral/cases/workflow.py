"""The case state machine, read from workflow.yaml: a table of allowed transitions, not `if`s."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import yaml

from netral.cases.letters import LETTER_KINDS
from netral.core.errors import Conflict, Forbidden, problem
from netral.core.security import roles
from netral.reports.service import PUBLIC_STAGES

WORKFLOW_FILE = Path(__file__).with_name("workflow.yaml")


@dataclass(frozen=True)
class TrackMove:
    """A move on a parallel track (the Gakkumdu criminal route): from these track states to one."""

    name: str
    sources: frozenset[str]
    target: str


@dataclass(frozen=True)
class Track:
    name: str
    label_id: str
    label_en: str
    basis: str
    start: str
    states: dict[str, tuple[str, str]]

    def state_label(self, state: str | None, lang: str = "id") -> str:
        pair = self.states.get(state or self.start, (state or "", state or ""))
        return pair[1] if lang == "en" else pair[0]


@dataclass(frozen=True)
class Transition:
    code: str
    sources: frozenset[str]
    target: str | None  # None: the case's state stays as it is (a record, a track move)
    roles: frozenset[str]
    requires: tuple[str, ...]
    event: str | None
    letters: tuple[str, ...]  # generated with the transition, in its unit of work
    label_id: str
    label_en: str
    event_on: str | None = None  # the field whose date the event carries
    public_stage: str | None = None  # what the reporter sees on the receipt page
    notify: tuple[str, ...] = ()  # roles told in-app, in the transition's unit of work
    notice_id: str = ""
    notice_en: str = ""
    register_number: bool = False  # assigns the case its Bawaslu register number
    track: TrackMove | None = None

    def label(self, lang: str = "id") -> str:
        return self.label_en if lang == "en" else self.label_id


@dataclass(frozen=True)
class Recorded:
    """A field a timeline entry records: its label and how its value is shown (workflow.yaml)."""

    label_id: str
    label_en: str
    show: str | None

    def label(self, lang: str = "id") -> str:
        return self.label_en if lang == "en" else self.label_id


@dataclass(frozen=True)
class Workflow:
    states: dict[str, tuple[str, str]]
    final: frozenset[str]
    start: str
    transitions: dict[str, Transition]
    tracks: dict[str, Track]
    records: dict[str, tuple[str, str]] = field(default_factory=dict)
    recorded: dict[str, Recorded] = field(default_factory=dict)

    def entry_label(self, code: str, lang: str = "id") -> str:
        """A timeline entry's name: its transition's label, or a record's (opening, extension)."""
        t = self.transitions.get(code)
        if t is not None:
            return t.label(lang)
        pair = self.records.get(code, (code, code))
        return pair[1] if lang == "en" else pair[0]

    def state_label(self, state: str, lang: str = "id") -> str:
        pair = self.states.get(state, (state, state))
        return pair[1] if lang == "en" else pair[0]

    def available(
        self, state: str, role: str | None = None, tracks: dict[str, str] | None = None
    ) -> list[Transition]:
        """Transitions out of `state` (for `role`, and from the case's `tracks`, when given)."""
        return [
            t
            for t in self.transitions.values()
            if state in t.sources
            and (role is None or role in t.roles)
            and (tracks is None or t.track is None or self.track_state(tracks, t.track.name) in t.track.sources)
        ]

    def waiting_on(self, role: str) -> frozenset[str]:
        """The states whose next step in the main flow is this role's to take (its turn)."""
        return frozenset(
            state
            for t in self.transitions.values()
            if role in t.roles and t.target is not None and t.track is None
            for state in t.sources
            if state in self.states and state not in self.final
        )

    def track_state(self, tracks: dict[str, str], name: str) -> str:
        return tracks.get(name) or self.tracks[name].start

    def check_track(self, t: Transition, tracks: dict[str, str]) -> None:
        """Refuse a track move from a track state it does not leave."""
        if t.track is None:
            return
        now = self.track_state(tracks, t.track.name)
        if now not in t.track.sources:
            track = self.tracks[t.track.name]
            raise Conflict(
                problem(
                    "case.track_transition_not_allowed",
                    f"{track.label_id}: dari '{track.state_label(now)}' tidak bisa '{t.label_id}'.",
                    f"{track.label_en}: from '{track.state_label(now, 'en')}' "
                    f"'{t.label_en}' is not allowed.",
                    field="transition",
                )
            )

    def check(self, state: str, code: str, role: str) -> Transition:
        """The transition, or a refusal that says what is allowed instead."""
        t = self.transitions.get(code)
        if t is None or state not in t.sources:
            # in words: the steps' labels, never their codes
            step_id, step_en = (t.label_id, t.label_en) if t is not None else (code, code)
            allowed_id = "; ".join(x.label_id for x in self.available(state)) or "-"
            allowed_en = "; ".join(x.label_en for x in self.available(state)) or "-"
            raise Conflict(
                problem(
                    "case.transition_not_allowed",
                    f"Dari status '{self.state_label(state)}' tidak bisa '{step_id}'. "
                    f"Yang bisa: {allowed_id}.",
                    f"From state '{self.state_label(state, 'en')}' '{step_en}' is not allowed. "
                    f"Allowed: {allowed_en}.",
                    field="transition",
                )
            )
        if role not in t.roles:
            names = roles()
            who_id = ", ".join(sorted(names[r].name_id for r in t.roles if r in names))
            who_en = ", ".join(sorted(names[r].name_en for r in t.roles if r in names))
            mine = names.get(role)
            raise Forbidden(
                problem(
                    "case.role_not_allowed",
                    f"Peran Anda ({mine.name_id if mine else role}) tidak dapat melakukan "
                    f"'{t.label_id}'. Yang dapat: {who_id}.",
                    f"Your role ({mine.name_en if mine else role}) may not '{t.label_en}'. "
                    f"Who may: {who_en}.",
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


def _tracks(data: dict[str, Any]) -> dict[str, Track]:
    out = {}
    for name, raw in (data.get("tracks") or {}).items():
        states = {k: (v["id"], v["en"]) for k, v in raw["states"].items()}
        if raw["start"] not in states:
            raise ValueError(f"workflow.yaml: tracks[{name}]: unknown start {raw['start']}")
        out[name] = Track(
            name, raw["label"]["id"], raw["label"]["en"], raw.get("basis", ""), raw["start"], states
        )
    return out


def _track_move(raw: dict[str, Any], tracks: dict[str, Track]) -> TrackMove | None:
    spec = raw.get("track")
    if spec is None:
        return None
    track = tracks.get(spec["name"])
    if track is None or ({*spec["from"], spec["to"]} - set(track.states)):
        raise ValueError(f"workflow.yaml: transitions[{raw['code']}]: bad track {spec}")
    return TrackMove(spec["name"], frozenset(spec["from"]), spec["to"])


def _public_stage(raw: dict[str, Any]) -> str | None:
    stage = raw.get("public_stage")
    if stage is not None and stage not in PUBLIC_STAGES:
        raise ValueError(f"workflow.yaml: transitions[{raw['code']}]: unknown public_stage {stage}")
    return stage


def _parse(data: dict[str, Any]) -> Workflow:
    states = {k: (v["id"], v["en"]) for k, v in data["states"].items()}
    final = frozenset(data["final"])
    tracks = _tracks(data)
    transitions: dict[str, Transition] = {}
    for raw in data["transitions"]:
        sources = set(raw["from"])
        if "*" in sources:
            sources = set(states) - final
        target = raw.get("to")
        unknown = (sources | ({target} if target else set())) - set(states)
        if unknown:
            raise ValueError(f"workflow.yaml: transitions[{raw['code']}]: unknown states {unknown}")
        notice = raw.get("notice") or {}
        if raw.get("notify") and not notice:
            raise ValueError(f"workflow.yaml: transitions[{raw['code']}]: notify without notice")
        transitions[raw["code"]] = Transition(
            code=raw["code"],
            sources=frozenset(sources),
            target=target,
            roles=frozenset(raw["roles"]),
            requires=tuple(raw.get("requires", [])),
            event=raw.get("event"),
            letters=_letters(raw),
            label_id=raw["label"]["id"],
            label_en=raw["label"]["en"],
            event_on=raw.get("event_on"),
            public_stage=_public_stage(raw),
            notify=tuple(raw.get("notify", [])),
            notice_id=notice.get("id", ""),
            notice_en=notice.get("en", ""),
            register_number=bool(raw.get("register_number")),
            track=_track_move(raw, tracks),
        )
    return Workflow(
        states=states,
        final=final,
        start=data["start"],
        transitions=transitions,
        tracks=tracks,
        records={k: (v["id"], v["en"]) for k, v in data.get("records", {}).items()},
        recorded={
            k: Recorded(v["id"], v["en"], v.get("show"))
            for k, v in data.get("recorded", {}).items()
        },
    )


@cache
def workflow() -> Workflow:
    data: dict[str, Any] = yaml.safe_load(WORKFLOW_FILE.read_text(encoding="utf-8"))
    return _parse(data)
