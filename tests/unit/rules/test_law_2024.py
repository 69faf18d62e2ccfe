"""The 2024 law in the rulebook: PP 94 art. 5(n), election crimes in parallel, bakal calon / calon,
law cited by its real name, acts refused without a basis, and what is still N or K."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import yaml
from typer.testing import CliRunner

from netral.rules import (
    PACKAGED_RULEBOOK,
    Basis,
    Rulebook,
    RulebookError,
    load_rulebook,
    tracks_for,
)
from netral.rules.commands import rules_app

runner = CliRunner()
FIXED = date(2024, 9, 22)  # penetapan pasangan calon, Pilkada 2024


@pytest.fixture(scope="module")
def rb() -> Rulebook:
    return load_rulebook()


def raw() -> dict[str, Any]:
    data = yaml.safe_load(PACKAGED_RULEBOOK.read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


def write(tmp_path: Path, data: Any) -> Path:
    path = tmp_path / "broken.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def index_of(data: dict[str, Any], section: str, code: str) -> int:
    return next(i for i, item in enumerate(data[section]) if item["code"] == code)


# --- PP 94/2021 art. 5(n) points 1-4 ----------------------------------------------------------


@pytest.mark.parametrize(
    ("code", "point", "level"),
    [
        ("DIS-01", 1, "sedang"),
        ("DIS-02", 2, "sedang"),
        ("DIS-03", 3, "berat"),
        ("DIS-04", 4, "berat"),
    ],
)
def test_pp94_art_5n_points(rb: Rulebook, code: str, point: int, level: str) -> None:
    v = rb.violation(code)
    assert (v.ethics, v.discipline, v.dismissal, v.confidence) == (None, [level], None, "N")
    assert v.basis[0] == Basis(source="pp-94-2021", article=f"Pasal 5 huruf n angka {point}")
    if level == "berat":
        assert Basis(source="pp-94-2021", article="Pasal 14 huruf i") in v.basis


def test_official_car_with_campaign_props_is_using_state_facilities(rb: Rulebook) -> None:
    v = rb.violation("DIS-04")
    assert "fasilitas negara" in v.name.id
    assert any("Mobil dinas" in e.id and "alat peraga kampanye" in e.id for e in v.examples)


def test_act_8_conflict_is_still_flagged(rb: Rulebook) -> None:
    v = rb.violation("SKB-08")
    assert v.conflict is not None and v.discipline == ["sedang", "berat"]


def test_dismissal_bases_for_pns_and_pppk(rb: Rulebook) -> None:
    ptdh = rb.dismissal("ptdh")
    bases = {a.asn: (a.confirmed, a.basis) for a in ptdh.applies_to}
    assert bases["PNS"] == (True, [Basis(source="uu-20-2023", article="Pasal 52 ayat (3) huruf c")])
    assert bases["PPPK"] == (
        True,
        [Basis(source="pp-49-2018", article="Pasal 105 ayat (3) huruf c")],
    )
    pppk = next(a for a in rb.violation("SKB-05").applies_to if a.asn == "PPPK")
    assert pppk.confirmed and pppk.basis[0].article == "Pasal 105 ayat (3) huruf c"


# --- election crimes, in parallel ---------------------------------------------------------------

CRIMES = {
    # code: (election, article contains, prison months, fine, custody)
    "pilkada_70_1_b": (
        "pilkada",
        ("70 ayat (1) huruf b", "189"),
        (1, 6),
        (600_000, 6_000_000),
        "penjara",
    ),
    "pilkada_71_1": ("pilkada", ("71 ayat (1)", "188"), (1, 6), (600_000, 6_000_000), "penjara"),
    "pilkada_71_2_3": (
        "pilkada",
        ("71 ayat (2)", "ayat (3)", "190"),
        (1, 6),
        (600_000, 6_000_000),
        "penjara",
    ),
    "pilkada_69_c": ("pilkada", ("69 huruf c", "187"), (3, 18), (600_000, 6_000_000), "penjara"),
    "pemilu_280_3": ("pemilu", ("280 ayat (3)", "494"), (0, 12), (0, 12_000_000), "kurungan"),
}


@pytest.mark.parametrize(("code", "expected"), CRIMES.items())
def test_criminal_articles_with_their_penalties(
    rb: Rulebook,
    code: str,
    expected: tuple[str, tuple[str, ...], tuple[int, int], tuple[int, int], str],
) -> None:
    election, parts, months, fine, custody = expected
    c = rb.criminal_article(code)
    assert c.election == election and c.custody == custody and c.forward_to == "gakkumdu"
    assert all(p in c.article for p in parts), c.article
    assert (c.imprisonment_months.min, c.imprisonment_months.max) == months
    assert (c.fine_idr.min, c.fine_idr.max) == fine
    assert c.penalty.id and c.penalty.en and c.basis
    assert c.confidence in ("N", "K") and c.penalty_confidence in ("N", "K")


def test_every_criminal_article_is_used_and_every_crime_keeps_its_neutrality_track(
    rb: Rulebook,
) -> None:
    used = {code for v in rb.violations for code in v.criminal}
    assert used == set(CRIMES)
    for v in rb.violations:
        if v.criminal:
            assert v.ethics or v.discipline or v.dismissal, v.code


def test_crimes_for_filters_by_election(rb: Rulebook) -> None:
    v = rb.violation("SKB-09")
    assert [c.code for c in rb.crimes_for(v)] == ["pemilu_280_3", "pilkada_70_1_b"]
    assert [c.code for c in rb.crimes_for(v, "pemilu")] == ["pemilu_280_3"]
    assert [c.code for c in rb.crimes_for(v, "pilkada")] == ["pilkada_70_1_b"]
    assert rb.crimes_for(rb.violation("DIS-04")) == []


# --- bakal calon / calon ---------------------------------------------------------------------


def test_the_same_act_on_21_and_23_september_takes_different_tracks(rb: Rulebook) -> None:
    v = rb.violation("SKB-07")
    before = tracks_for(rb, v, date(2024, 9, 21), FIXED)
    after = tracks_for(rb, v, date(2024, 9, 23), FIXED)
    assert (before.ethics, before.discipline) == ("moral", [])
    assert before.phase is not None and before.phase.code == "bakal_calon"
    assert [b.article for b in before.phase.basis] == ["Pasal 11 huruf c", "Pasal 15"]
    assert (after.ethics, after.discipline) == (None, ["berat"])
    assert after.phase is not None and after.phase.code == "calon"
    assert after.phase.basis == [Basis(source="pp-94-2021", article="Pasal 5 huruf n")]


def test_the_day_the_pairs_are_fixed_is_already_calon(rb: Rulebook) -> None:
    t = tracks_for(rb, rb.violation("SKB-07"), FIXED, FIXED)
    assert t.phase is not None and t.phase.code == "calon"


def test_pp94_act_before_the_pairs_are_fixed_is_an_ethics_breach(rb: Rulebook) -> None:
    t = tracks_for(rb, rb.violation("DIS-04"), date(2024, 9, 1), FIXED)
    assert (t.ethics, t.discipline) == ("moral", [])


@pytest.mark.parametrize(
    ("act_date", "fixed"), [(None, FIXED), (date(2024, 9, 21), None), (None, None)]
)
def test_unknown_dates_keep_every_track(
    rb: Rulebook, act_date: date | None, fixed: date | None
) -> None:
    t = tracks_for(rb, rb.violation("SKB-07"), act_date, fixed)
    assert (t.ethics, t.discipline, t.phase) == ("moral", ["berat"], None)


@pytest.mark.parametrize("code", ["SKB-05", "SKB-08", "SKB-11", "ETIK-01"])
def test_acts_outside_the_rule_keep_their_tracks_whatever_the_date(rb: Rulebook, code: str) -> None:
    v = rb.violation(code)
    for day in (date(2024, 9, 1), date(2024, 10, 1)):
        t = tracks_for(rb, v, day, FIXED)
        assert (t.ethics, t.discipline, t.dismissal, t.phase) == (
            v.ethics,
            v.discipline,
            v.dismissal,
            None,
        )


# --- poses -----------------------------------------------------------------------------------


def test_five_fingers_is_an_operator_switch_not_law(rb: Rulebook) -> None:
    five = rb.pose("five")
    assert five.by_operator and five.note is not None and five.confidence == "K"
    assert {b.source for b in five.basis} == {"secondary"}
    listed = [p for p in rb.poses if p.banned and not p.by_operator]
    assert len(listed) == 10, "the published list has ten banned poses"


# --- real names ------------------------------------------------------------------------------


def test_cite_names_the_law_by_its_real_name(rb: Rulebook) -> None:
    basis = Basis(source="pp-94-2021", article="Pasal 5 huruf n angka 4")
    assert rb.cite(basis) == (
        "Pasal 5 huruf n angka 4 Peraturan Pemerintah Nomor 94 Tahun 2021 tentang Disiplin "
        "Pegawai Negeri Sipil"
    )
    assert rb.cite(basis, short=True) == "Pasal 5 huruf n angka 4 PP 94/2021"
    assert rb.cite(Basis(source="uu-7-2017")) == (
        "Undang-Undang Nomor 7 Tahun 2017 tentang Pemilihan Umum"
    )
    crime = rb.criminal_article("pilkada_71_1")
    assert rb.cite(crime).startswith(
        "Pasal 71 ayat (1) jo. Pasal 188 Undang-Undang Nomor 10 Tahun 2016"
    )
    assert rb.cite(rb.violation("SKB-07").basis[0]).startswith("Lampiran II Keputusan Bersama")


def test_cite_of_an_unknown_source_is_a_domain_error(rb: Rulebook) -> None:
    with pytest.raises(RulebookError) as exc:
        rb.cite(Basis(source="pp-1-1900", article="Pasal 1"))
    assert exc.value.code == "rules.unknown_source"


def test_no_citation_carries_an_internal_id(rb: Rulebook) -> None:
    ids = [s.id for s in rb.sources]
    cited: list[Any] = [b for v in rb.violations for b in v.basis]
    cited += [
        b for x in (*rb.discipline_levels, *rb.ethics_sanctions, *rb.dismissals) for b in x.basis
    ]
    cited += list(rb.criminal_articles)
    for c in cited:
        for text in (rb.cite(c), rb.cite(c, short=True)):
            assert not any(i in text for i in ids), text
    for s in rb.sources:
        if s.law:
            assert re.match(r"^(Undang-Undang|Peraturan|Keputusan|Surat Edaran) ", s.title), s.id
            assert "Nomor" in s.title or s.id == "skb-2022", s.id
    assert not rb.source("secondary").law


# --- refused without a basis -----------------------------------------------------------------


def _no_basis(d: dict[str, Any]) -> None:
    del d["violations"][index_of(d, "violations", "DIS-04")]["basis"]


def _empty_basis(d: dict[str, Any]) -> None:
    d["violations"][index_of(d, "violations", "DIS-04")]["basis"] = []


def _only_secondary(d: dict[str, Any]) -> None:
    d["violations"][index_of(d, "violations", "DIS-04")]["basis"] = [{"source": "secondary"}]


def _unknown_crime(d: dict[str, Any]) -> None:
    d["violations"][index_of(d, "violations", "SKB-11")]["criminal"] = ["pilkada_71_9"]


def _candidacy_unknown_act(d: dict[str, Any]) -> None:
    d["candidacy"]["violations"][0] = "SKB-42"


def _operator_pose_without_note(d: dict[str, Any]) -> None:
    del d["poses"][index_of(d, "poses", "five")]["note"]


@pytest.mark.parametrize(
    ("mutate", "where", "why"),
    [
        (_no_basis, "violations[DIS-04].basis", "Field required"),
        (_empty_basis, "violations[DIS-04].basis", "at least 1 item"),
        (_only_secondary, "violations[DIS-04].basis", "at least one basis in law"),
        (
            _unknown_crime,
            "violations[SKB-11].criminal[0]",
            "'pilkada_71_9' is not a criminal article",
        ),
        (_candidacy_unknown_act, "candidacy.violations[0]", "'SKB-42' is not a violation"),
        (_operator_pose_without_note, "poses[five].note", "must say so in a note"),
    ],
)
def test_broken_rulebook_is_refused_naming_file_entry_and_field(
    tmp_path: Path, mutate: Callable[[dict[str, Any]], None], where: str, why: str
) -> None:
    data = raw()
    mutate(data)
    path = write(tmp_path, data)
    with pytest.raises(RulebookError) as exc:
        load_rulebook(path)
    assert exc.value.message("en").startswith(f"broken.yaml: {where}: ")
    assert why in exc.value.message("en")
    assert exc.value.problems[0].field == where


def test_cli_check_refuses_an_act_without_a_basis(tmp_path: Path) -> None:
    data = raw()
    _no_basis(data)
    path = write(tmp_path, data)
    result = runner.invoke(rules_app, ["check", "--file", str(path), "--lang", "en"])
    assert result.exit_code == 1
    assert "broken.yaml: violations[DIS-04].basis: Field required" in result.stderr
    in_indonesian = runner.invoke(rules_app, ["check", "--file", str(path)])
    assert in_indonesian.exit_code == 1
    assert "broken.yaml: violations[DIS-04].basis: wajib diisi" in in_indonesian.stderr


# --- what is still N or K -------------------------------------------------------------------


def test_uncertain_facts_are_listed_k_first(rb: Rulebook) -> None:
    facts = rb.uncertain()
    marks = [u.confidence for u in facts]
    assert set(marks) == {"N", "K"} and marks == sorted(marks, key=lambda m: m != "K")
    found = {(u.section, u.code): u.confidence for u in facts}
    assert found[("deadlines", "ppk_follow_up")] == "K"
    assert found[("poses", "five")] == "K"
    assert found[("violations", "DIS-04")] == "N"
    assert found[("candidacy", "bakal_calon")] == "N"
    assert found[("criminal_articles", "pilkada_71_1.penalty")] == "N"
    assert ("deadlines", "report_filing") not in found  # V: read in the official text


def test_cli_show_lists_what_is_not_confirmed() -> None:
    result = runner.invoke(rules_app, ["show"], env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    assert "Belum pasti (N/K)" in result.stdout
    assert "ppk_follow_up" in result.stdout and "pilkada_71_1" in result.stdout
    assert "Bakal calon" in result.stdout
    english = runner.invoke(rules_app, ["show", "--lang", "en"], env={"COLUMNS": "200"})
    assert "Not yet confirmed (N/K)" in english.stdout
