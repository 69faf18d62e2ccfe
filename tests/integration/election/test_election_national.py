"""Elections of both kinds: a national pemilu (no region), a province's and a city's pilkada."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from netral.core.audit import Actor
from netral.core.errors import NetralError, ValidationFailed
from netral.core.security import Scope
from netral.election.service import (
    DEMO_ELECTION,
    ElectionFacts,
    as_election_in,
    election_facts,
    election_regions,
    elections_for_report,
    get_election,
    latest_election_for,
    list_elections,
    read_election_file,
    upsert_election,
)

NATIONAL = Path(__file__).resolve().parents[2] / "data" / "pemilu-nasional-2024.yaml"
NATIONAL_CODE = "uji-pemilu-presiden-2024"
DEMO_CODE = "demo-pilkada-kota-bandung-2024"


def _load(db, path: Path):
    e = upsert_election(db_session=db, election_in=read_election_file(path), actor=Actor.system())
    db.commit()
    return e


def _pilgub(tmp_path: Path) -> Path:
    """A province's pilkada (Jawa Barat, 32), on the same day as the city's."""
    f = tmp_path / "pilgub.yaml"
    f.write_text(
        "election: {code: uji-pilgub-jabar-2024, name: Pilgub Jawa Barat 2024 (uji), "
        "kind: pilkada, region: '32', candidates_fixed_on: 2024-09-22, voting_day: 2024-11-27}\n"
        "candidates:\n  - {number: 1, names: [Satu Orang, Dua Orang]}\n"
    )
    return f


def test_a_national_pemilu_loads_without_a_region(db):
    e = _load(db, NATIONAL)
    assert (e.kind, e.region_code, e.candidates_fixed_on) == ("pemilu", None, date(2023, 11, 13))
    assert [c.ballot_number for c in e.candidates] == [1, 2]
    # a national election is no region a report is expected from
    assert election_regions(db_session=db) == []


def test_the_demo_pilkada_carries_the_day_its_pairs_were_fixed(db):
    e = _load(db, DEMO_ELECTION)
    assert (e.kind, e.region_code, e.candidates_fixed_on) == ("pilkada", "32.73", date(2024, 9, 22))


@pytest.mark.parametrize(
    ("scope", "seen"),
    [
        (Scope("national"), {NATIONAL_CODE, DEMO_CODE, "uji-pilgub-jabar-2024"}),
        (Scope("province", "32"), {NATIONAL_CODE, DEMO_CODE, "uji-pilgub-jabar-2024"}),
        (Scope("region", "32.73"), {NATIONAL_CODE, DEMO_CODE, "uji-pilgub-jabar-2024"}),
        (Scope("region", "32.04"), {NATIONAL_CODE, "uji-pilgub-jabar-2024"}),
        (Scope("region", "31.71"), {NATIONAL_CODE}),
        (Scope("province", "31"), {NATIONAL_CODE}),
    ],
)
def test_every_scope_sees_the_national_election_and_the_ones_over_its_area(
    db, tmp_path, scope, seen
):
    for f in (NATIONAL, DEMO_ELECTION, _pilgub(tmp_path)):
        _load(db, f)
    assert {e.code for e in list_elections(db_session=db, scope=scope)} == seen
    for code in (NATIONAL_CODE, DEMO_CODE, "uji-pilgub-jabar-2024"):
        if code in seen:
            assert get_election(db_session=db, scope=scope, code=code).code == code
        else:
            with pytest.raises(NetralError) as exc:
                get_election(db_session=db, scope=scope, code=code)
            assert exc.value.code == "election.not_found"


def test_a_report_gets_its_region_s_election_then_the_province_s_then_the_national(db, tmp_path):
    assert latest_election_for(db_session=db, region_code="32.73") is None
    national = _load(db, NATIONAL)
    for region in ("32.73", "32.04", "31.71"):
        ref = latest_election_for(db_session=db, region_code=region)
        assert ref is not None and (ref.code, ref.kind, ref.region_code) == (
            NATIONAL_CODE,
            "pemilu",
            None,
        )
        assert ref.id == national.id
    _load(db, _pilgub(tmp_path))
    _load(db, DEMO_ELECTION)

    def code(region: str) -> str | None:
        ref = latest_election_for(db_session=db, region_code=region)
        return ref.code if ref else None

    assert code("32.73") == DEMO_CODE
    assert code("32.04") == "uji-pilgub-jabar-2024"
    assert code("31.71") == NATIONAL_CODE


def test_election_facts_for_other_domains(db):
    national, demo = _load(db, NATIONAL), _load(db, DEMO_ELECTION)
    assert election_facts(db, demo.id) == ElectionFacts(
        kind="pilkada",
        region_code="32.73",
        candidates_fixed_on=date(2024, 9, 22),
        voting_day=date(2024, 11, 27),
    )
    facts = election_facts(db_session=db, election_id=national.id)
    assert facts is not None and (facts.kind, facts.region_code) == ("pemilu", None)
    assert facts.candidates_fixed_on == date(2023, 11, 13)
    assert election_facts(db, None) is None
    assert election_facts(db, national.id + demo.id + 100) is None
    with pytest.raises(AttributeError):
        facts.kind = "pilkada"  # type: ignore[misc]


def test_screening_reads_a_national_election_from_the_database(db):
    national = _load(db, NATIONAL)
    e_in = as_election_in(national)
    assert e_in.election.region is None and e_in.election.national
    assert e_in.election.candidates_fixed_on == date(2023, 11, 13)
    assert e_in.code == NATIONAL_CODE
    [read] = elections_for_report(db_session=db, election_id=national.id)
    assert [c.names for c in read.candidates] == [c.names for c in e_in.candidates]
    assert read.candidates[0].accounts[0].handle == "bara.nusantara"


def _file(tmp_path: Path, text: str) -> Path:
    f = tmp_path / "pemilihan.yaml"
    f.write_text(text)
    return f


@pytest.mark.parametrize(
    ("mutation", "field", "words_id"),
    [
        # a pilkada always has a region; only a pemilu may be national
        (lambda t: t.replace('  region: "32.73"\n', ""), "election.region", "wajib"),
        (lambda t: t.replace('region: "32.73"', "region: null"), "election.region", "wajib"),
        (lambda t: t.replace("kind: pilkada", "kind: pilpres"), "election.kind", "salah satu"),
        (
            lambda t: t.replace(
                "candidates_fixed_on: 2024-09-22", "candidates_fixed_on: 2024-11-28"
            ),
            "election.candidates_fixed_on",
            "harus sebelum hari pemungutan suara",
        ),
        (
            lambda t: t.replace(
                "candidates_fixed_on: 2024-09-22", "candidates_fixed_on: 2024-09-26"
            ),
            "election.candidates_fixed_on",
            "awal kampanye",
        ),
        (
            lambda t: t.replace(
                "candidates_fixed_on: 2024-09-22", "candidates_fixed_on: 22-09-2024"
            ),
            "election.candidates_fixed_on",
            "tanggal",
        ),
        (lambda t: t.replace('region: "32.73"', 'region: "Bandung"'), "election.region", "format"),
    ],
)
def test_a_bad_election_file_is_refused_in_both_languages_naming_the_field(
    tmp_path, mutation, field, words_id
):
    text = DEMO_ELECTION.read_text()
    bad = mutation(text)
    assert bad != text, "the mutation did not apply"
    with pytest.raises(ValidationFailed) as exc:
        read_election_file(_file(tmp_path, bad))
    [p] = [p for p in exc.value.problems if p.field == field]
    assert p.message_id.startswith(f"pemilihan.yaml: {field}: ")
    assert p.message_en.startswith(f"pemilihan.yaml: {field}: ")
    assert words_id in p.message_id, p.message_id
    assert p.message_id != p.message_en


def test_a_regional_pemilu_and_a_national_one_without_dates_are_both_allowed(tmp_path):
    text = NATIONAL.read_text()
    national = read_election_file(
        _file(tmp_path, text.replace("  candidates_fixed_on: 2023-11-13\n", ""))
    )
    assert national.election.region is None and national.election.candidates_fixed_on is None
    regional = read_election_file(
        _file(tmp_path, text.replace("  kind: pemilu\n", '  kind: pemilu\n  region: "32.73"\n'))
    )
    assert regional.election.region == "32.73" and regional.election.kind == "pemilu"
