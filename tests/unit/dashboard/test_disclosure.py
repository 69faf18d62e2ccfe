"""The "< 5" rule: small counts masked, and no masked small count can be worked back out of the
total and the counts still shown (checked by brute force over every table consistent with what
is shown)."""

from __future__ import annotations

import itertools

from hypothesis import given, settings
from hypothesis import strategies as st

from netral.dashboard.disclosure import HIDDEN, SMALL, THRESHOLD, Masked, protect


def test_counts_under_five_are_masked_and_the_rest_shown():
    values, total = protect([12, 3, 0, 7], 22)
    assert values[1] is SMALL and values[2] is SMALL
    assert values[0] == 12 and values[3] == 7 and total == 22


def test_one_small_count_beside_a_shown_total_hides_another():
    # 12 - 9 = 3: with only the 3 hidden, the total would give it back
    values, total = protect([9, 3], 12)
    assert total == 12
    assert values == [HIDDEN, SMALL]


def test_the_smallest_other_count_is_the_one_hidden():
    values, _ = protect([40, 2, 9, 30], 81)
    assert values == [40, SMALL, HIDDEN, 30]


def test_a_small_total_masks_everything():
    values, total = protect([1, 2], 3)
    assert total is SMALL and values == [SMALL, SMALL]


def test_two_zeros_beside_a_total_would_be_read_as_zero_and_are_protected():
    # hidden 0 and 0: total minus the shown counts is 0, so both would be known exactly
    values, total = protect([10, 0, 0], 10)
    shown = [v for v in values if not isinstance(v, Masked)]
    assert sum(shown) != 10 or total is HIDDEN


def test_without_a_total_only_the_small_counts_are_masked():
    values, total = protect([3, 8], None)
    assert values == [SMALL, 8] and total is None


def _consistent(values, total):
    """Every table of counts that shows exactly what `protect` showed (bounded search)."""
    ranges = []
    for v in values:
        if v is SMALL:
            ranges.append(range(THRESHOLD))
        elif v is HIDDEN:
            ranges.append(range(THRESHOLD, 60))
        else:
            ranges.append(range(v, v + 1))
    for combo in itertools.product(*ranges):
        if isinstance(total, int) and sum(combo) != total:
            continue
        if total is SMALL and sum(combo) >= THRESHOLD:
            continue
        if total is HIDDEN and sum(combo) < THRESHOLD:
            continue
        yield combo


@settings(max_examples=300, deadline=None)
@given(st.lists(st.integers(min_value=0, max_value=25), min_size=1, max_size=4))
def test_no_small_count_can_be_derived(counts):
    values, total = protect(counts, sum(counts))
    seen: dict[int, set[int]] = {i: set() for i, v in enumerate(values) if v is SMALL}
    for combo in _consistent(values, total):
        for i in seen:
            seen[i].add(combo[i])
    for i, possible in seen.items():
        assert counts[i] in possible
        assert len(possible) > 1, (counts, values, total, i, possible)
