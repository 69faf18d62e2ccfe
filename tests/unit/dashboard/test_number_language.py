"""A dashboard's shares are written in the page's language: 82,9% (1.234) or 82.9% (1,234)."""

from __future__ import annotations

from netral.dashboard import svg
from netral.dashboard.sections import share_of


def test_a_share_in_each_language():
    assert share_of(1234, 2000, "id")[1] == "61,7% (1.234/2.000)"
    assert share_of(1234, 2000, "en")[1] == "61.7% (1,234/2,000)"


def test_the_share_chart_marks_its_target_in_the_page_language():
    rows = [("Sukasari", 61.7, "61.7% (1,234/2,000)")]
    assert "target 82.9%" in svg.shares(rows, title="t", target=82.9, lang="en")
    assert "target 82,9%" in svg.shares(rows, title="t", target=82.9)
