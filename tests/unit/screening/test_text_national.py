"""Text screening with a national pemilu (candidates of no region), alone or beside a pilkada."""

from __future__ import annotations

from pathlib import Path

import pytest

from netral.election.schemas import ElectionIn
from netral.election.service import DEMO_ELECTION, read_election_file
from netral.rules import load_rulebook
from netral.screening.lexicon import Lexicon
from netral.screening.pipeline import Screeners, screen_text
from netral.screening.text import TextScreener

NATIONAL = Path(__file__).resolve().parents[2] / "data" / "pemilu-nasional-2024.yaml"


@pytest.fixture(scope="module")
def national() -> ElectionIn:
    e = read_election_file(NATIONAL)
    assert e.election.region is None
    return e


@pytest.fixture(scope="module")
def city() -> ElectionIn:
    return read_election_file(DEMO_ELECTION)


def test_the_lexicon_reads_a_national_election(national: ElectionIn) -> None:
    lex = Lexicon.from_elections([national])
    assert lex.numbers == {1, 2}
    hits = {(m.kind, m.candidate) for m in lex.match("Mas Bagas hadir, #JoAnTeduh rame")}
    assert ("nickname", 1) in hits and ("hashtag", 2) in hits


def test_the_rules_flag_a_national_candidate(national: ElectionIn) -> None:
    s = TextScreener(None, elections=[national])
    res = s.classify("Ayo dukung #BaRaBangkit, coblos no 1!")
    assert res.label == "partisan", res
    assert any("paslon 1" in w for w in res.why), res.why
    assert s.classify("harga cabai naik").label == "other"


def test_both_kinds_together(national: ElectionIn, city: ElectionIn, tmp_path: Path) -> None:
    s = TextScreener(None, elections=[national, city])
    assert s.classify("#YuRiJuara bareng warga").label == "partisan"
    assert s.classify("Nusantara Bangkit Bareng BaRa!").label == "partisan"
    [finding] = screen_text(
        "Pak Tirta hadir di acara warga",
        [national, city],
        screeners=Screeners(rulebook=load_rulebook(), models_dir=tmp_path),
    )
    assert finding.kind == "text" and finding.label == "political_neutral"
