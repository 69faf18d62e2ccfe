"""The election file: loaded as data, refused with the field at fault."""

import pytest

from netral.core.audit import Actor
from netral.core.errors import NetralError, ValidationFailed
from netral.core.security import Scope
from netral.election.service import (
    DEMO_ELECTION,
    get_election,
    read_election_file,
    upsert_election,
)


def test_the_demo_election_loads_and_reloads_in_place(db):
    e_in = read_election_file(DEMO_ELECTION)
    e = upsert_election(db_session=db, election_in=e_in, actor=Actor.system())
    db.commit()
    assert [c.ballot_number for c in e.candidates] == [1, 2, 3, 4]
    assert "#Coblos3" in e.candidates[2].hashtags
    e_in.candidates = e_in.candidates[:2]  # reloading the same code replaces the candidates
    upsert_election(db_session=db, election_in=e_in, actor=Actor.system())
    db.commit()
    again = get_election(db_session=db, scope=Scope("region", "32.73"), code=e_in.code)
    assert len(again.candidates) == 2


def test_a_region_outside_scope_is_not_found(db):
    upsert_election(
        db_session=db, election_in=read_election_file(DEMO_ELECTION), actor=Actor.system()
    )
    db.commit()
    with pytest.raises(NetralError) as exc:
        get_election(
            db_session=db, scope=Scope("region", "32.04"), code="demo-pilkada-kota-bandung-2024"
        )
    assert exc.value.code == "election.not_found"


def test_a_minimal_election_file_is_enough_for_screening(tmp_path):
    f = tmp_path / "pemilu.yaml"
    f.write_text(
        "election: {name: Pilkada Kota Contoh, kind: pilkada, region: '32.73', "
        "voting_day: 2024-11-27}\n"
        "candidates:\n  - {number: 1, names: [Satu Orang]}\n  - {number: 2, names: [Dua Orang]}\n"
    )
    e = read_election_file(f)
    assert e.code == "pilkada-kota-contoh-2024" and e.candidates[1].head_name == "Dua Orang"


@pytest.mark.parametrize(
    ("mutation", "field"),
    [
        (lambda t: t.replace("voting_day: 2024-11-27", "voting_day: 2024-09-01"), "election"),
        (lambda t: t.replace("number: 4", "number: 3"), "(root)"),
        (lambda t: t.replace("kind: pilkada", "kind: pilpres"), "election.kind"),
        (lambda t: t.replace('"#ASLIBandung"', '"#ASLI Bandung"'), "candidates.3.hashtags"),
        (
            lambda t: t.replace("    names: [Agus Salim Ramadhan, Lina Herlina Purnamasari]\n", ""),
            "candidates.3.names",
        ),
    ],
)
def test_a_broken_election_file_names_the_field(tmp_path, mutation, field):
    f = tmp_path / "pemilihan.yaml"
    f.write_text(mutation(DEMO_ELECTION.read_text()))
    with pytest.raises(ValidationFailed) as exc:
        read_election_file(f)
    assert any(
        field in p.message_id and "pemilihan.yaml" in p.message_id for p in exc.value.problems
    ), [p.message_id for p in exc.value.problems]
