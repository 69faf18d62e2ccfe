"""recommendation_options: the act's date picks the bakal calon / calon track; crimes add to it."""

from __future__ import annotations

from datetime import date

import pytest

from netral.cases.models import Case, CaseAct, CaseAsn
from netral.cases.schemas import RecommendationOptionsOut
from netral.cases.service import recommendation_options

FIXED = date(2024, 9, 22)  # penetapan pasangan calon, Pilkada 2024


def case_with(*codes: str, kind: str = "PNS") -> Case:
    """A transient case: recommendation_options reads only its acts and its ASN kinds."""
    case = Case(number="KASUS-2024-000001", region_code="32.73", origin="temuan", title="uji")
    case.acts = [CaseAct(code=c, proven=True) for c in codes]
    case.asn = [CaseAsn(asn_id=1, nip="1" * 18, name="X", kind=kind, position="-", opd="-")]
    return case


def test_without_dates_every_track_is_offered() -> None:
    opts = recommendation_options(case_with("SKB-07"))
    assert [e["code"] for e in opts["ethics"]] == ["moral"]
    assert [lvl["code"] for lvl in opts["discipline"]] == ["berat"]
    assert opts["acts"][0]["phase"] is None


@pytest.mark.parametrize(
    ("act_date", "phase", "ethics", "levels"),
    [
        (date(2024, 9, 21), "bakal_calon", ["moral"], []),
        (date(2024, 9, 23), "calon", [], ["berat"]),
    ],
)
def test_the_act_date_picks_the_track(
    act_date: date, phase: str, ethics: list[str], levels: list[str]
) -> None:
    opts = recommendation_options(case_with("SKB-07"), act_date=act_date, candidates_fixed_on=FIXED)
    assert [e["code"] for e in opts["ethics"]] == ethics
    assert [lvl["code"] for lvl in opts["discipline"]] == levels
    act = opts["acts"][0]
    assert act["phase"] == phase and act["phase_basis"]
    assert not any("pp-" in b or "skb-" in b for b in act["phase_basis"] + act["basis"])
    RecommendationOptionsOut.model_validate(opts)


def test_a_criminal_act_keeps_its_neutrality_track() -> None:
    opts = recommendation_options(case_with("SKB-11"))
    assert [lvl["code"] for lvl in opts["discipline"]] == ["berat"]
    crimes = {c["code"]: c for c in opts["criminal"]}
    assert set(crimes) == {"pilkada_71_1", "pilkada_71_2_3"}
    assert crimes["pilkada_71_1"]["citation"].startswith(
        "Pasal 71 ayat (1) jo. Pasal 188 Undang-Undang Nomor 10 Tahun 2016"
    )
    out = RecommendationOptionsOut.model_validate(opts)
    assert out.criminal[0].liable == "asn"


def test_criminal_articles_follow_the_election_kind() -> None:
    pemilu = recommendation_options(case_with("SKB-09"), election_kind="pemilu")
    assert [c["code"] for c in pemilu["criminal"]] == ["pemilu_280_3"]
    assert [lvl["code"] for lvl in pemilu["discipline"]] == ["berat"]
    pilkada = recommendation_options(case_with("SKB-09"), election_kind="pilkada")
    assert [c["code"] for c in pilkada["criminal"]] == ["pilkada_70_1_b"]


def test_official_car_act_is_berat_from_the_fixed_date() -> None:
    opts = recommendation_options(
        case_with("DIS-04"), act_date=date(2024, 11, 2), candidates_fixed_on=FIXED
    )
    assert [lvl["code"] for lvl in opts["discipline"]] == ["berat"]
    assert opts["ethics"] == []
    assert opts["pppk_unconfirmed"] == []
    assert recommendation_options(case_with("DIS-04", kind="PPPK"))["pppk_unconfirmed"] == [
        "DIS-04"
    ]
