"""The shipped rulebook matches DOMAIN.md; a broken one is refused with file, entry and field."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import holidays
import pytest
import yaml
from typer.testing import CliRunner

from netral.core.calendar import WorkingCalendar
from netral.rules import (
    PACKAGED_RULEBOOK,
    DeadlineResult,
    Rulebook,
    RulebookError,
    commands,
    due_date,
    load_rulebook,
)
from netral.rules.commands import rules_app

runner = CliRunner()


@pytest.fixture(scope="module")
def rb() -> Rulebook:
    return load_rulebook()


def raw() -> dict[str, Any]:
    data = yaml.safe_load(PACKAGED_RULEBOOK.read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


def write(tmp_path: Path, data: Any, name: str = "broken.yaml") -> Path:
    path = tmp_path / name
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def index_of(data: dict[str, Any], section: str, code: str) -> int:
    return next(i for i, item in enumerate(data[section]) if item["code"] == code)


# --- the shipped rulebook ------------------------------------------------------------------


def test_shipped_rulebook_validates_and_is_cached(rb: Rulebook) -> None:
    assert rb.version == "2024.4"
    assert load_rulebook() is rb
    assert load_rulebook(PACKAGED_RULEBOOK) is rb
    assert isinstance(rb.effective_from, date)


# DOMAIN.md, "Violations and their two sanction tracks": act -> (ethics, discipline, dismissal).
DOMAIN_TABLE = {
    "SKB-01": ("1", "moral", ["berat"], None),
    "SKB-02": ("2", "moral", ["berat"], None),
    "SKB-03": ("3", None, ["sedang"], None),
    "SKB-04": ("4", "moral", ["berat"], None),
    "SKB-05": ("5", None, [], "ptdh"),
    "SKB-06": ("6", "moral", ["berat"], None),
    "SKB-07": ("7", "moral", ["berat"], None),
    "SKB-08": ("8", None, ["sedang", "berat"], None),
    "SKB-09": ("9", None, ["berat"], None),
    "SKB-10": ("10", None, ["berat"], None),
    "SKB-11": ("11", None, ["berat"], None),
    "ETIK-01": ("E1", "moral", [], None),
    "ETIK-02": ("E2", "moral", [], None),
}


# DOMAIN.md, "More acts and articles": PP 94/2021 art. 5(n) points 1-4 -> (point, level).
PP94_TABLE = {
    "DIS-01": ("1", "sedang"),
    "DIS-02": ("2", "sedang"),
    "DIS-03": ("3", "berat"),
    "DIS-04": ("4", "berat"),
}


def test_every_violation_of_the_domain_table_is_present(rb: Rulebook) -> None:
    assert [v.code for v in rb.violations] == [*DOMAIN_TABLE, *PP94_TABLE]


@pytest.mark.parametrize(("code", "expected"), DOMAIN_TABLE.items())
def test_violation_sanctions_match_the_domain_table(
    rb: Rulebook, code: str, expected: tuple[str, str | None, list[str], str | None]
) -> None:
    number, ethics, discipline, dismissal = expected
    v = rb.violation(code)
    assert (v.number, v.ethics, v.discipline, v.dismissal) == (
        number,
        ethics,
        discipline,
        dismissal,
    )
    assert v.confidence == "N"
    assert v.name.id and v.name.en and v.description.id and v.description.en
    assert v.examples, "every violation has at least one example"
    assert v.basis[0].source == "skb-2022"
    applies = {a.asn: a.confirmed for a in v.applies_to}
    # Party membership: PPPK are dismissed without honour by PP 49/2018 art. 105(3)(c) [N].
    assert applies == {"PNS": True, "PPPK": code == "SKB-05"}
    pppk = next(a for a in v.applies_to if a.asn == "PPPK")
    assert [b.source for b in pppk.basis] == ["pp-49-2018"]


def test_act_8_keeps_both_levels_and_flags_the_conflict(rb: Rulebook) -> None:
    v = rb.violation("SKB-08")
    assert v.conflict is not None
    positions = {p.source: p.level for p in v.conflict.positions}
    assert positions == {"skb-2022": "sedang", "pp-94-2021": "berat"}
    assert "14" in next(p.article or "" for p in v.conflict.positions if p.source == "pp-94-2021")
    assert all(other.conflict is None for other in rb.violations if other.code != "SKB-08")


def test_act_11_is_also_criminal(rb: Rulebook) -> None:
    v = rb.violation("SKB-11")
    assert v.criminal[0] == "pilkada_71_1"
    crime = rb.crimes_for(v)[0]
    assert crime.source == "uu-10-2016"
    assert "71" in crime.article and "188" in crime.article
    assert (crime.imprisonment_months.min, crime.imprisonment_months.max) == (1, 6)
    assert (crime.fine_idr.min, crime.fine_idr.max) == (600_000, 6_000_000)
    assert crime.forward_to == "gakkumdu"
    # ... and in parallel: the discipline track stays.
    assert v.discipline == ["berat"]


def test_photo_example_mentions_a_finger_pose(rb: Rulebook) -> None:
    assert any("jari" in e.id for e in rb.violation("SKB-07").examples)


def test_ethics_sanction_is_a_written_moral_sanction_by_the_ppk(rb: Rulebook) -> None:
    moral = rb.ethics("moral")
    assert [k.code for k in moral.kinds] == ["tertutup", "terbuka"]
    assert (moral.issued_by, moral.form) == ("ppk", "written")
    assert moral.basis[0].source == "pp-42-2004"


def test_discipline_levels_of_pp_94(rb: Rulebook) -> None:
    assert [lvl.code for lvl in rb.discipline_levels] == ["ringan", "sedang", "berat"]
    assert [lvl.severity for lvl in rb.discipline_levels] == [1, 2, 3]
    assert len(rb.level("ringan").penalties) == 3
    sedang = rb.level("sedang").penalties
    assert [(p.months, p.cut_percent) for p in sedang] == [(6, 25), (9, 25), (12, 25)]
    berat = rb.level("berat").penalties
    assert [p.months for p in berat] == [12, 12, None]
    assert all(b.source == "pp-94-2021" for lvl in rb.discipline_levels for b in lvl.basis)
    assert rb.dismissal("ptdh").name.en.startswith("Dismissal without honour")


# DOMAIN.md, "Deadlines": code -> (days, kind, extension, confidence).
DEADLINES = {
    "report_filing": (7, "calendar", None, "V"),
    "bawaslu_assessment": (3, "calendar", 2, "V"),
    "pemilu_report_filing": (7, "working", None, "N"),
    "pemilu_assessment": (7, "working", 7, "N"),
    "sanction_delivery": (14, "working", None, "N"),
    "ppk_follow_up": (14, "working", None, "K"),
}


@pytest.mark.parametrize(("code", "expected"), DEADLINES.items())
def test_deadlines_match_the_domain_table(
    rb: Rulebook, code: str, expected: tuple[int, str, int | None, str]
) -> None:
    d = rb.deadline(code)
    assert (d.days, d.kind, d.extension_days, d.confidence) == expected


def test_uncertain_day_kinds_explain_the_choice(rb: Rulebook) -> None:
    for code in ("report_filing", "bawaslu_assessment"):
        note = rb.deadline(code).note
        assert note is not None and "calendar" in note.en


def test_poses(rb: Rulebook) -> None:
    banned = {p.code: p.number for p in rb.poses if p.banned}
    assert banned == {
        "index_finger": 1,
        "v_sign": 2,
        "three": 3,
        "four": 4,
        "five": 5,
        "metal": None,
        "ok_three": 3,
        "thumbs_up": 1,
        "finger_heart": None,
        "finger_gun": None,
        "phone": None,
    }
    assert {p.code for p in rb.poses if not p.banned} == {"fist", "hand_on_chest", "finger_on_face"}
    assert all(p.violation == "SKB-07" for p in rb.poses if p.banned)
    assert rb.pose("v_sign").name.id


def test_pose_shapes_and_numbers(rb: Rulebook) -> None:
    """Which straight fingers make which pose, and the number each shows, are data."""
    shapes = {
        frozenset(s.fingers): (p.code, s.shown, s.number if s.number is not None else p.number)
        for p in rb.poses
        for s in p.shapes
    }
    assert shapes[frozenset({"thumb", "index", "pinky"})] == ("metal", 3, 3)
    assert shapes[frozenset({"index", "pinky"})] == ("metal", 2, None)
    assert shapes[frozenset({"thumb", "index"})] == ("finger_gun", 2, 2)
    assert shapes[frozenset({"middle", "ring", "pinky"})] == ("ok_three", 3, 3)
    assert shapes[frozenset({"thumb", "index", "middle", "ring"})] == ("four", 4, 4)
    assert shapes[frozenset()] == ("fist", 0, None)
    assert rb.pose("finger_heart").shapes == []  # told by geometry: no finger held straight
    assert rb.pose_counting is not None and rb.pose_counting.two_hands_add


def test_report_requirements(rb: Rulebook) -> None:
    req = rb.report_requirements
    assert [r.code for r in req.formal] == [
        "reporter_identity",
        "reported_party",
        "on_time",
        "signature",
        "reporter_standing",
    ]
    assert [r.code for r in req.material] == ["time_and_place", "description", "evidence"]
    on_time = next(r for r in req.formal if r.code == "on_time")
    assert "date_known" in on_time.form_fields
    assert on_time.deadlines == ["report_filing", "pemilu_report_filing"]
    assert {b.source for b in req.basis} == {"perbawaslu-8-2020", "perbawaslu-9-2024"}


def test_every_basis_source_is_listed(rb: Rulebook) -> None:
    ids = {s.id for s in rb.sources}
    assert {
        "skb-2022",
        "pp-94-2021",
        "pp-42-2004",
        "uu-10-2016",
        "uu-7-2017",
        "perbawaslu-8-2020",
        "pp-49-2018",
        "se-menpanrb-4-2024",
    } <= ids
    assert rb.source("skb-2022").title.startswith("Keputusan Bersama")


@pytest.mark.parametrize(
    ("lookup", "code", "error"),
    [
        ("violation", "SKB-99", "rules.unknown_violation"),
        ("deadline", "nope", "rules.unknown_step"),
        ("pose", "salute", "rules.unknown_pose"),
        ("level", "berta", "rules.unknown_level"),
        ("source", "pp-1-1900", "rules.unknown_source"),
    ],
)
def test_unknown_codes_are_domain_errors(rb: Rulebook, lookup: str, code: str, error: str) -> None:
    with pytest.raises(RulebookError) as exc:
        getattr(rb, lookup)(code)
    assert exc.value.code == error
    assert code in exc.value.message("en") and code in exc.value.message("id")


# --- broken rulebooks ------------------------------------------------------------------------


def _unknown_level(d: dict[str, Any]) -> None:
    d["violations"][index_of(d, "violations", "SKB-07")]["discipline"][0] = "berta"


def _duplicate_code(d: dict[str, Any]) -> None:
    d["violations"][index_of(d, "violations", "SKB-09")]["code"] = "SKB-08"


def _missing_field(d: dict[str, Any]) -> None:
    del d["violations"][index_of(d, "violations", "SKB-07")]["confidence"]


def _unknown_source(d: dict[str, Any]) -> None:
    d["violations"][index_of(d, "violations", "SKB-08")]["basis"][1]["source"] = "pp-95-2021"


def _unknown_ethics(d: dict[str, Any]) -> None:
    d["violations"][index_of(d, "violations", "SKB-02")]["ethics"] = "shame"


def _extra_field(d: dict[str, Any]) -> None:
    d["violations"][index_of(d, "violations", "SKB-01")]["sanction"] = "berat"


def _zero_days(d: dict[str, Any]) -> None:
    d["deadlines"][index_of(d, "deadlines", "bawaslu_assessment")]["days"] = 0


def _bad_kind(d: dict[str, Any]) -> None:
    d["deadlines"][index_of(d, "deadlines", "ppk_follow_up")]["kind"] = "weekly"


def _bad_confidence(d: dict[str, Any]) -> None:
    d["poses"][index_of(d, "poses", "metal")]["confidence"] = "X"


def _duplicate_source(d: dict[str, Any]) -> None:
    d["sources"].append(dict(d["sources"][0]))


def _unknown_pose_violation(d: dict[str, Any]) -> None:
    d["poses"][index_of(d, "poses", "v_sign")]["violation"] = "SKB-42"


def _shape_of_two_poses(d: dict[str, Any]) -> None:
    d["poses"][index_of(d, "poses", "three")]["shapes"].append({"fingers": ["index", "middle"]})


def _unknown_finger(d: dict[str, Any]) -> None:
    d["poses"][index_of(d, "poses", "v_sign")]["shapes"] = [{"fingers": ["index", "toe"]}]


def _unknown_requirement_deadline(d: dict[str, Any]) -> None:
    d["report_requirements"]["formal"][2]["deadlines"] = ["report_filling"]


@pytest.mark.parametrize(
    ("mutate", "where", "why"),
    [
        (
            _unknown_level,
            "violations[SKB-07].discipline[0]",
            "'berta' is not a discipline level (ringan, sedang, berat)",
        ),
        (_duplicate_code, "violations[SKB-08].code", "duplicate code 'SKB-08'"),
        (_missing_field, "violations[SKB-07].confidence", "Field required"),
        (_unknown_source, "violations[SKB-08].basis[1].source", "'pp-95-2021' is not a source"),
        (_unknown_ethics, "violations[SKB-02].ethics", "'shame' is not an ethics sanction (moral)"),
        (_extra_field, "violations[SKB-01].sanction", "Extra inputs are not permitted"),
        (_zero_days, "deadlines[bawaslu_assessment].days", "greater than 0"),
        (_bad_kind, "deadlines[ppk_follow_up].kind", "'weekly'"),
        (_bad_confidence, "poses[metal].confidence", "'X'"),
        (_duplicate_source, "sources[skb-2022].id", "duplicate id 'skb-2022'"),
        (_unknown_pose_violation, "poses[v_sign].violation", "'SKB-42' is not a violation"),
        (_shape_of_two_poses, "poses[three].shapes[3]", "one pose only"),
        (_unknown_finger, "poses[v_sign].shapes[0].fingers[1]", "'toe'"),
        (
            _unknown_requirement_deadline,
            "report_requirements.formal[on_time].deadlines[0]",
            "'report_filling' is not a deadline",
        ),
    ],
)
def test_broken_rulebook_names_file_entry_and_field(
    tmp_path: Path, mutate: Callable[[dict[str, Any]], None], where: str, why: str
) -> None:
    data = raw()
    mutate(data)
    path = write(tmp_path, data)
    with pytest.raises(RulebookError) as exc:
        load_rulebook(path)
    err = exc.value
    assert err.code == "rules.invalid"
    assert err.message("en").startswith(f"broken.yaml: {where}: ")
    assert why in err.message("en")
    assert err.message("id").startswith(f"broken.yaml: {where}: ")
    first = err.problems[0]
    assert first.field == where
    assert first.extra["file"] == str(path)
    assert isinstance(first.extra["line"], int)
    assert err.problem_json()["field"] == where


def test_every_problem_is_reported_at_once(tmp_path: Path) -> None:
    data = raw()
    _unknown_level(data)
    _unknown_ethics(data)
    with pytest.raises(RulebookError) as exc:
        load_rulebook(write(tmp_path, data))
    fields = {p.field for p in exc.value.problems}
    assert fields == {"violations[SKB-07].discipline[0]", "violations[SKB-02].ethics"}


def test_error_line_points_into_the_file(tmp_path: Path) -> None:
    text = PACKAGED_RULEBOOK.read_text(encoding="utf-8")
    broken = text.replace("    discipline: [sedang]\n", "    discipline: [sedamg]\n", 1)
    assert broken != text
    path = tmp_path / "rulebook.yaml"
    path.write_text(broken, encoding="utf-8")
    with pytest.raises(RulebookError) as exc:
        load_rulebook(path)
    line = exc.value.problems[0].extra["line"]
    assert broken.splitlines()[line - 1].strip() == "discipline: [sedamg]"
    assert exc.value.message("en").startswith("rulebook.yaml: violations[SKB-03].discipline[0]: ")


def test_bad_yaml_gives_file_and_line(tmp_path: Path) -> None:
    lines = PACKAGED_RULEBOOK.read_text(encoding="utf-8").splitlines()
    at = lines.index("  - code: SKB-03")
    lines.insert(at + 1, "   bad: [unclosed")
    path = tmp_path / "broken.yaml"
    path.write_text("\n".join(lines), encoding="utf-8")
    with pytest.raises(RulebookError) as exc:
        load_rulebook(path)
    assert exc.value.code == "rules.yaml_syntax"
    assert exc.value.message("en").startswith("broken.yaml: line ")
    assert abs(exc.value.problems[0].extra["line"] - (at + 2)) <= 1


def test_duplicate_yaml_key_is_refused(tmp_path: Path) -> None:
    text = PACKAGED_RULEBOOK.read_text(encoding="utf-8")
    broken = text.replace("    ethics: null\n", "    ethics: null\n    ethics: moral\n", 1)
    path = tmp_path / "broken.yaml"
    path.write_text(broken, encoding="utf-8")
    with pytest.raises(RulebookError) as exc:
        load_rulebook(path)
    assert "duplicate key 'ethics'" in exc.value.message("en")
    assert exc.value.message("en").startswith("broken.yaml: line ")


@pytest.mark.parametrize("content", ["", "- just\n- a list\n", "version: 1\n"])
def test_not_a_rulebook(tmp_path: Path, content: str) -> None:
    path = tmp_path / "broken.yaml"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(RulebookError) as exc:
        load_rulebook(path)
    assert exc.value.message("en").startswith("broken.yaml: ")


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(RulebookError) as exc:
        load_rulebook(tmp_path / "absent.yaml")
    assert exc.value.code == "rules.unreadable"
    assert "absent.yaml" in exc.value.message("en")


# --- deadlines -------------------------------------------------------------------------------

FRIDAY = date(2024, 9, 6)


@pytest.fixture(scope="module")
def working_rb(tmp_path_factory: pytest.TempPathFactory) -> Rulebook:
    """The shipped rulebook with art. 134 read as working days: the kind is data."""
    data = raw()
    data["deadlines"][index_of(data, "deadlines", "bawaslu_assessment")]["kind"] = "working"
    return load_rulebook(write(tmp_path_factory.mktemp("rb"), data, "working.yaml"))


def test_due_date_in_working_days_skips_the_weekend(working_rb: Rulebook) -> None:
    result = due_date(working_rb, "bawaslu_assessment", FRIDAY)
    assert result == DeadlineResult(
        step="bawaslu_assessment", start=FRIDAY, due=date(2024, 9, 11), days=3, kind="working"
    )


def test_extension_adds_two_days(working_rb: Rulebook, rb: Rulebook) -> None:
    result = due_date(working_rb, "bawaslu_assessment", FRIDAY, extended=True)
    assert (result.days, result.due) == (5, date(2024, 9, 13))
    shipped = due_date(rb, "bawaslu_assessment", FRIDAY, extended=True)
    assert (shipped.days, shipped.due, shipped.kind) == (5, date(2024, 9, 11), "calendar")


def test_shipped_calendar_days_do_not_skip_the_weekend(rb: Rulebook) -> None:
    assert due_date(rb, "bawaslu_assessment", FRIDAY).due == date(2024, 9, 9)
    assert due_date(rb, "report_filing", FRIDAY).due == date(2024, 9, 13)


def test_due_date_uses_the_given_calendar(rb: Rulebook) -> None:
    start = date(2024, 4, 5)
    public_only = WorkingCalendar(cuti_bersama=False)
    plain = due_date(rb, "pemilu_report_filing", start, calendar=public_only)
    assert plain.due == date(2024, 4, 18)
    closures = [date(2024, 4, 8), date(2024, 4, 9), date(2024, 4, 12), date(2024, 4, 15)]
    by_hand = WorkingCalendar(closures, cuti_bersama=False)
    cuti = due_date(rb, "pemilu_report_filing", start, calendar=by_hand)
    assert cuti.due == date(2024, 4, 24)
    # the default calendar already skips the 2024 Lebaran cuti bersama
    assert due_date(rb, "pemilu_report_filing", start).due == date(2024, 4, 24)


def test_unknown_step_lists_the_valid_ones(rb: Rulebook) -> None:
    with pytest.raises(RulebookError) as exc:
        due_date(rb, "appeal", FRIDAY)
    assert exc.value.code == "rules.unknown_step"
    problem = exc.value.problems[0]
    assert problem.extra["valid"] == list(DEADLINES)
    assert "bawaslu_assessment" in exc.value.message("en")


def test_extension_where_there_is_none(rb: Rulebook) -> None:
    with pytest.raises(RulebookError) as exc:
        due_date(rb, "report_filing", FRIDAY, extended=True)
    assert exc.value.code == "rules.no_extension"


def test_result_as_dict(rb: Rulebook) -> None:
    assert due_date(rb, "bawaslu_assessment", FRIDAY).as_dict() == {
        "step": "bawaslu_assessment",
        "from": "2024-09-06",
        "due": "2024-09-09",
        "days": 3,
        "kind": "calendar",
    }


# --- the commands ----------------------------------------------------------------------------


def test_cli_deadline_json() -> None:
    result = runner.invoke(
        rules_app, ["deadline", "bawaslu_assessment", "--from", "2024-09-06", "--json"]
    )
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout) == {
        "step": "bawaslu_assessment",
        "from": "2024-09-06",
        "due": "2024-09-09",
        "days": 3,
        "kind": "calendar",
    }
    extended = runner.invoke(
        rules_app,
        ["deadline", "bawaslu_assessment", "--from", "2024-09-06", "--extended", "--json"],
    )
    assert json.loads(extended.stdout)["days"] == 5


def test_cli_deadline_human_line_is_indonesian() -> None:
    result = runner.invoke(rules_app, ["deadline", "sanction_delivery", "--from", "2024-12-24"])
    assert result.exit_code == 0, result.output
    assert "hari kerja" in result.stdout and "Selasa 2024-12-24" in result.stdout
    # 14 working days skipping 25 Dec, 26 Dec (cuti bersama) and 1 Jan.
    assert "tenggat Kamis 2025-01-16" in result.stdout


def test_cli_calendar_hook(monkeypatch: pytest.MonkeyPatch) -> None:
    closures = [date(2024, 4, 8), date(2024, 4, 9), date(2024, 4, 12), date(2024, 4, 15)]
    monkeypatch.setattr(
        commands, "get_calendar", lambda: WorkingCalendar(closures, cuti_bersama=False)
    )
    result = runner.invoke(
        rules_app, ["deadline", "pemilu_report_filing", "--from", "2024-04-05", "--json"]
    )
    assert json.loads(result.stdout)["due"] == "2024-04-24"


# Around Christmas 2024 (cuti bersama 26 Dec) and Idulfitri 2025 (cuti bersama 28 Mar, 2-4 and
# 7 Apr): every step's due date, from `netral rules deadline --json`, against a day-by-day count.
_HOLIDAYS = holidays.country_holidays(
    "ID", years=range(2024, 2026), categories=(holidays.PUBLIC, holidays.GOVERNMENT)
)
_SEASON_STARTS = [date(2024, 12, 16) + timedelta(days=i) for i in range(14)] + [
    date(2025, 3, 20) + timedelta(days=i) for i in range(14)
]


def _count(start: date, n: int, kind: str) -> date:
    d = start
    while n:
        d += timedelta(days=1)
        if kind == "calendar" or (d.weekday() < 5 and d not in _HOLIDAYS):
            n -= 1
    return d


@pytest.mark.parametrize("step", list(DEADLINES))
def test_cli_deadline_json_around_christmas_and_idulfitri(rb: Rulebook, step: str) -> None:
    d = rb.deadline(step)
    for start in _SEASON_STARTS:
        args = ["deadline", step, "--from", start.isoformat(), "--json"]
        out = runner.invoke(rules_app, args)
        assert out.exit_code == 0, out.output
        assert json.loads(out.stdout)["due"] == _count(start, d.days, d.kind).isoformat(), start
        if d.extension_days:
            longer = json.loads(runner.invoke(rules_app, [*args, "--extended"]).stdout)
            want = _count(start, d.days + d.extension_days, d.kind)
            assert longer["due"] == want.isoformat(), start


def test_cli_deadline_idulfitri_2025_by_hand() -> None:
    # Thu 27 Mar 2025 + 7 working days: 28 Mar cuti, 31 Mar-1 Apr Idulfitri, 2-4 and 7 Apr cuti
    out = runner.invoke(
        rules_app, ["deadline", "pemilu_report_filing", "--from", "2025-03-27", "--json"]
    )
    assert json.loads(out.stdout)["due"] == "2025-04-16"


def test_cli_deadline_bad_date_exits_2() -> None:
    result = runner.invoke(rules_app, ["deadline", "bawaslu_assessment", "--from", "06-09-2024"])
    assert result.exit_code == 2
    assert "YYYY-MM-DD" in result.output


def test_cli_deadline_unknown_step_exits_2() -> None:
    result = runner.invoke(
        rules_app, ["deadline", "appeal", "--from", "2024-09-06", "--lang", "en"]
    )
    assert result.exit_code == 2
    assert "Unknown step 'appeal'" in result.stderr
    assert "bawaslu_assessment" in result.stderr


def test_cli_check_ok(rb: Rulebook) -> None:
    result = runner.invoke(rules_app, ["check"])
    assert result.exit_code == 0, result.output
    assert result.stdout.strip() == (
        f"OK rulebook {rb.version}: 17 violations, 6 deadlines, 14 poses, 5 criminal articles"
    )


def test_cli_check_broken_file_exits_1(tmp_path: Path) -> None:
    data = raw()
    _unknown_level(data)
    path = write(tmp_path, data)
    result = runner.invoke(rules_app, ["check", "--file", str(path), "--lang", "en"])
    assert result.exit_code == 1
    assert (
        "broken.yaml: violations[SKB-07].discipline[0]: "
        "'berta' is not a discipline level (ringan, sedang, berat)"
    ) in result.stderr
    in_indonesian = runner.invoke(rules_app, ["check", "--file", str(path)])
    assert "bukan tingkat hukuman disiplin" in in_indonesian.stderr


def test_cli_show() -> None:
    result = runner.invoke(rules_app, ["show"])
    assert result.exit_code == 0, result.output
    assert "SKB-08" in result.stdout and "bawaslu_assessment" in result.stdout
    dumped = runner.invoke(rules_app, ["show", "--json"])
    data = json.loads(dumped.stdout)
    assert len(data["violations"]) == 17
    assert Rulebook.model_validate(data) == load_rulebook()
