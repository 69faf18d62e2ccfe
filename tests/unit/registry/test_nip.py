"""NIP parsing: every rule, the space-separated form, and parse_nip == nip_error everywhere."""

from __future__ import annotations

import random
from datetime import date, timedelta

import pytest
from hypothesis import assume, example, given, settings
from hypothesis import strategies as st

from netral.core.errors import ValidationFailed
from netral.registry.nip import (
    CODES,
    MESSAGES,
    Nip,
    describe,
    make_nip,
    nip_error,
    parse_nip,
)

TODAY = date(2024, 11, 27)  # voting day, Pilkada 2024
VALID = "198503122010011003"


def test_valid_nip_is_split_into_its_parts() -> None:
    nip = parse_nip(VALID, today=TODAY)
    assert nip == Nip(
        value=VALID,
        birth_date=date(1985, 3, 12),
        appointment=(2010, 1),
        sex="L",
        sequence=3,
    )
    assert nip.formatted() == "19850312 201001 1 003"
    assert str(nip) == VALID
    assert nip_error(VALID, TODAY) is None


def test_woman_is_p() -> None:
    assert parse_nip("199001012015032001", today=TODAY).sex == "P"


@pytest.mark.parametrize(
    "raw",
    [
        "19850312 201001 1 003",
        "  19850312 201001 1 003  ",
        "19850312  201001  1  003",
        "198503122010011003\n",
        "1985 0312 2010 0110 03",
    ],
)
def test_spaces_are_accepted_and_dropped(raw: str) -> None:
    assert nip_error(raw, TODAY) is None
    assert parse_nip(raw, today=TODAY).value == VALID


@pytest.mark.parametrize(
    "raw", ["19850312-201001-1-003", "19850312.201001.1.003", "19850312_2010011003"]
)
def test_other_separators_are_refused(raw: str) -> None:
    assert nip_error(raw, TODAY) == "nip.not_digits"


@pytest.mark.parametrize(
    ("raw", "code"),
    [
        ("", "nip.empty"),
        ("   ", "nip.empty"),
        ("19850312201001100", "nip.length"),  # 17 digits
        ("1985031220100110030", "nip.length"),  # 19 digits
        ("19850312201001100X", "nip.not_digits"),
        ("1985031220100110\t3", "nip.not_digits"),  # a tab is not a separator
        ("１９８５０３１２２０１００１１００３", "nip.not_digits"),  # full-width digits
        ("19850312201001100³", "nip.not_digits"),  # str.isdigit says yes; we say no
        ("198502302010011003", "nip.birth_date"),  # 30 February
        ("198513012010011003", "nip.birth_date"),  # month 13
        ("193912312010011003", "nip.birth_date"),  # before 1940
        ("202412012010011003", "nip.birth_date"),  # born after TODAY
        ("198503122010131003", "nip.appointment_month"),  # month 13
        ("198503122010001003", "nip.appointment_month"),  # month 00
        ("194003121959121003", "nip.appointment_month"),  # before 1960
        ("198503122024121003", "nip.appointment_future"),  # December 2024 > Nov 2024
        ("198503122003021003", "nip.appointment_before_18"),  # turned 18 in March 2003
        ("198503122010013003", "nip.sex"),
        ("198503122010010003", "nip.sex"),
        ("198503122010011000", "nip.sequence"),
    ],
)
def test_each_rule_has_its_code(raw: str, code: str) -> None:
    assert nip_error(raw, TODAY) == code
    with pytest.raises(ValidationFailed) as caught:
        parse_nip(raw, today=TODAY)
    err = caught.value
    assert err.code == code
    assert err.status == 422
    (p,) = err.problems
    assert p.field == "nip"
    assert p.extra == {"value": raw}
    assert p.message_id and p.message_en and p.message_id != p.message_en


def test_appointed_in_the_month_of_the_18th_birthday_is_fine() -> None:
    assert nip_error("198503122003031003", TODAY) is None
    assert nip_error("198503122024111003", TODAY) is None  # appointed this very month


def test_messages_explain() -> None:
    p = describe("nip.length", "19850312201001100")
    assert p.message_id == "NIP harus 18 digit angka; yang diberikan 17 karakter"
    assert p.message_en == "NIP must be 18 digits; the value given has 17 characters"
    p = describe("nip.appointment_before_18", "198503122003021003", today=TODAY)
    assert "2003-02" in p.message_id and "2003-03" in p.message_id
    assert "turned 18" in p.message_en
    p = describe("nip.not_digits", "19850312201001100X")
    assert "'X'" in p.message_en and "18" in p.message_en
    p = describe("nip.not_digits", "19850312-201001-1-003")
    assert "'-'" in p.message_id and "posisi 9" in p.message_id


def test_every_code_has_both_messages() -> None:
    assert set(MESSAGES) == set(CODES)
    for code in CODES:
        problem = describe(code, "garbage 12")  # must not crash on any input
        assert problem.code == code
        assert problem.as_dict("en")["field"] == "nip"
    with pytest.raises(KeyError):
        describe("nip.nope", VALID)


def test_today_defaults_to_the_real_date() -> None:
    tomorrow = date.today() + timedelta(days=1)
    born_tomorrow = f"{tomorrow:%Y%m%d}2010011003"
    assert nip_error(born_tomorrow) == "nip.birth_date"
    assert nip_error(VALID) is None
    assert parse_nip(VALID).value == VALID


def test_a_today_far_ahead_still_agrees() -> None:
    far = date(2090, 6, 1)
    raw = "207005012088051003"  # born after the precomputed table ends
    assert nip_error(raw, far) is None
    assert parse_nip(raw, today=far).birth_date == date(2070, 5, 1)
    assert nip_error("207002302088051003", far) == "nip.birth_date"
    assert nip_error(raw, TODAY) == "nip.birth_date"


def test_make_nip_honours_its_arguments() -> None:
    rng = random.Random(7)
    for _ in range(500):
        raw = make_nip(rng, birth_year_range=(1970, 1971), sex="P", today=TODAY)
        nip = parse_nip(raw, today=TODAY)
        assert 1970 <= nip.birth_date.year <= 1971
        assert nip.sex == "P"
    with pytest.raises(ValueError):
        make_nip(rng, birth_year_range=(2020, 2022), today=TODAY)


# --- properties --------------------------------------------------------------------------------

todays = st.dates(min_value=date(1990, 1, 1), max_value=date(2100, 12, 31))


def verdict(raw: str, today: date) -> str | None:
    try:
        parse_nip(raw, today=today)
    except ValidationFailed as err:
        return err.code
    return None


@given(seed=st.integers(0, 2**32), today=todays)
def test_make_nip_is_always_valid(seed: int, today: date) -> None:
    raw = make_nip(random.Random(seed), birth_year_range=(1940, 2100), today=today)
    assert nip_error(raw, today) is None
    assert parse_nip(raw, today=today).value == raw


@given(digits=st.text(alphabet="0123456789", min_size=18, max_size=18), today=todays)
def test_any_18_digits_parse_or_fail_with_one_known_code(digits: str, today: date) -> None:
    code = nip_error(digits, today)
    assert code is None or code in CODES
    assert code not in ("nip.empty", "nip.not_digits", "nip.length")
    assert verdict(digits, today) == code


@given(raw=st.text(), today=todays)
@example(raw="", today=TODAY)
@example(raw="\u00a0198503122010011003", today=TODAY)
@example(raw="198503122010011003\u2003", today=TODAY)
def test_parse_and_fast_path_agree_on_any_text(raw: str, today: date) -> None:
    assert nip_error(raw, today) == verdict(raw, today)


@st.composite
def mutated_nips(draw: st.DrawFn) -> str:
    raw = make_nip(random.Random(draw(st.integers(0, 2**32))), birth_year_range=(1940, 2006))
    chars = list(raw)
    for _ in range(draw(st.integers(1, 3))):
        i = draw(st.integers(0, len(chars)))
        action = draw(st.sampled_from(["replace", "insert", "delete", "space"]))
        ch = draw(st.sampled_from("0123456789 -x"))
        if action == "replace" and i < len(chars):
            chars[i] = ch
        elif action == "insert":
            chars.insert(i, ch)
        elif action == "delete" and i < len(chars):
            del chars[i]
        else:
            chars.insert(i, " ")
    return "".join(chars)


@settings(max_examples=500)
@given(raw=mutated_nips(), today=todays)
def test_parse_and_fast_path_agree_on_mutated_nips(raw: str, today: date) -> None:
    assert nip_error(raw, today) == verdict(raw, today)


@given(seed=st.integers(0, 2**32))
def test_formatted_round_trips(seed: int) -> None:
    nip = parse_nip(make_nip(random.Random(seed)))
    again = parse_nip(nip.formatted())
    assert again == nip
    assert len(nip.formatted()) == 21


@given(seed=st.integers(0, 2**32), today=todays)
def test_a_valid_nip_with_its_sequence_zeroed_fails_on_sequence(seed: int, today: date) -> None:
    raw = make_nip(random.Random(seed), birth_year_range=(1940, 2100), today=today)
    assume(nip_error(raw, today) is None)
    assert nip_error(raw[:15] + "000", today) == "nip.sequence"
