"""Sorting a list a page already holds whole (OPD, briefings, campaigns): whitelisted keys only."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, TypeVar

T = TypeVar("T")


def sort_rows(
    rows: Sequence[T], sort: str, keys: dict[str, Callable[[T], Any]], default: str
) -> tuple[list[T], str]:
    """The rows in the order `sort` names ("key" or "-key"); an unknown key means `default`.

    Returns the rows and the sort in force, for the headers' aria-sort.
    """
    if sort.removeprefix("-") not in keys:
        sort = default
    key = keys[sort.removeprefix("-")]
    return sorted(rows, key=key, reverse=sort.startswith("-")), sort
