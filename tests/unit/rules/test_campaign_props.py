"""The rulebook's campaign_props: forbidden places, categories apart from the SKB acts, recipients."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from netral.reports.service import point_problems
from netral.rules import PACKAGED_RULEBOOK, RulebookError, load_rulebook


def test_the_four_forbidden_kinds_of_place_with_names_and_basis() -> None:
    props = load_rulebook().campaign_props
    assert props is not None
    assert {p.code for p in props.places} == {
        "gedung_pemerintah",
        "tempat_pendidikan",
        "tempat_ibadah",
        "fasilitas_kesehatan",
    }
    for place in props.places:
        assert place.name.id and place.name.en
        assert any(b.source == "pkpu-13-2024" for b in place.basis)
        # PKPU 13/2024's article numbers are not checked: never written as if they were
        assert all(b.article is None for b in place.basis if b.source == "pkpu-13-2024")
        assert place.confidence in ("N", "K")


def test_prop_categories_are_not_skb_acts_and_recipients_are_satpol_pp_and_kpu() -> None:
    rb = load_rulebook()
    props = rb.campaign_props
    assert props is not None
    assert {c.code for c in props.categories}.isdisjoint(v.code for v in rb.violations)
    assert [r.code for r in props.recipients] == ["satpol_pp", "kpu"]
    # every uncertain fact of the section is listed for a person to check
    listed = {(u.section, u.code) for u in rb.uncertain()}
    assert ("campaign_props.recipients", "satpol_pp") in listed


def _write(tmp_path: Path, mutate) -> Path:  # type: ignore[no-untyped-def]
    data = yaml.safe_load(PACKAGED_RULEBOOK.read_text(encoding="utf-8"))
    mutate(data["campaign_props"])
    path = tmp_path / "rulebook.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    return path


def test_a_category_reusing_a_violation_code_is_refused(tmp_path: Path) -> None:
    path = _write(tmp_path, lambda p: p["categories"][0].update(code="SKB-01"))
    with pytest.raises(RulebookError) as err:
        load_rulebook(path)
    assert "SKB-01" in err.value.message("en") and "violation code" in err.value.message("en")


def test_a_place_with_an_unknown_source_or_duplicate_code_is_refused(tmp_path: Path) -> None:
    def mutate(p: dict) -> None:  # type: ignore[type-arg]
        p["places"][1]["code"] = p["places"][0]["code"]
        p["places"][2]["basis"] = [{"source": "pkpu-99-2099"}]

    with pytest.raises(RulebookError) as err:
        load_rulebook(_write(tmp_path, mutate))
    text = err.value.message("en")
    assert "duplicate code 'gedung_pemerintah'" in text
    assert "pkpu-99-2099" in text


def test_a_place_without_basis_is_refused(tmp_path: Path) -> None:
    path = _write(tmp_path, lambda p: p["places"][0].update(basis=[]))
    with pytest.raises(RulebookError):
        load_rulebook(path)


@pytest.mark.parametrize(
    ("lat", "lon", "point"),
    [
        ("", "", None),
        ("-6.9147", "107.6098", (-6.9147, 107.6098)),
        ("-6,9147", "107,6098", (-6.9147, 107.6098)),  # a decimal comma, as typed in Indonesia
        (" -6.91470012 ", "107.60981234", (-6.9147, 107.609812)),
        ("5.9", "95.3", (5.9, 95.3)),  # Sabang
        ("-8.5", "140.4", (-8.5, 140.4)),  # Merauke
    ],
)
def test_points_inside_indonesia_are_kept(lat: str, lon: str, point: object) -> None:
    assert point_problems(lat, lon) == (point, [])


@pytest.mark.parametrize(
    ("lat", "lon", "code", "field", "words"),
    [
        ("-6.9", "", "report.point_incomplete", "longitude", "keduanya"),
        ("", "107.6", "report.point_incomplete", "latitude", "keduanya"),
        ("abc", "107.6", "report.point_number", "latitude", "angka desimal"),
        ("-6.9", "nan", "report.point_number", "longitude", "angka desimal"),
        ("48.85", "2.35", "report.point_outside", "latitude", "di luar wilayah Indonesia"),
        ("107.6", "-6.9", "report.point_outside", "latitude", "tertukar"),
    ],
)
def test_bad_points_are_refused_in_indonesian(
    lat: str, lon: str, code: str, field: str, words: str
) -> None:
    point, problems = point_problems(lat, lon)
    assert point is None
    assert [(p.code, p.field) for p in problems] == [(code, field)]
    assert words in problems[0].message_id
