"""Asking again before a step that cannot be undone: a page of its own, so it works without
JavaScript; the step happens only on a second POST carrying ``confirm=1``."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from fastapi import Request
from fastapi.responses import Response

from netral.web.templating import render

# never carried over: the page brings a fresh token of its own, and the answer is the button
_NOT_CARRIED = {"csrf_token", "confirm"}


def confirmed(form: Any) -> bool:
    """Whether this POST is the answer "Ya, lanjutkan" to a confirmation page."""
    return str(form.get("confirm", "")) == "1"


def confirm_page(
    request: Request,
    form: Any,
    *,
    title: str,
    consequences: Sequence[str],
    back: str,
) -> Response:
    """The question, with what will happen in words; "Ya, lanjutkan" posts the same fields again
    (to the same address) with confirm=1, "Batal" goes back and changes nothing."""
    carried = [
        (name, value)
        for name, value in form.multi_items()
        if isinstance(value, str) and name not in _NOT_CARRIED
    ]
    return render(
        request,
        "confirm.html",
        {
            "title": title,
            "consequences": list(consequences),
            "action": request.url.path,
            "carried": carried,
            "back": back,
        },
    )
