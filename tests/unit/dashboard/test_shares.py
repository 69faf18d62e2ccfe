"""Percent texts, shares of masked counts, and the share chart (a bar per row on 0–100%, the
target as a dashed line, no bar where the count is masked)."""

from __future__ import annotations

import re

from netral.dashboard import svg
from netral.dashboard.disclosure import HIDDEN, SMALL
from netral.dashboard.sections import Figure, percent_text, share_of


def test_percent_text_uses_the_indonesian_decimal_comma():
    assert percent_text(82.9) == "82,9%"
    assert percent_text(82.9, "en") == "82.9%"
    assert percent_text(70.0) == "70%"
    assert percent_text(97.5904) == "97,6%"
    assert percent_text(None) == "–"


def test_share_of_counts_and_of_masked_counts():
    assert share_of(7, 10) == (70.0, "70% (7/10)")
    assert share_of(1620, 1660)[1] == "97,6% (1.620/1.660)"
    assert share_of(0, 0) == (None, "–")
    # a percent of a masked count would give the count back: no percent, only the masks
    assert share_of(HIDDEN, 30) == (None, "≥ 5/30")
    assert share_of(SMALL, 30)[0] is None


def test_the_share_chart_draws_target_and_leaves_masked_rows_bare():
    chart = svg.shares(
        [("Bandung Kulon", 76.1, "76,1%"), ("Coblong", 88.2, "88,2%"), ("Camat", None, "≥ 5/30")],
        title="Partisipasi <per> kecamatan",
        target=82.9,
    )
    assert chart.startswith("<svg") and 'role="img"' in chart
    assert "Partisipasi &lt;per&gt; kecamatan" in chart and "<per>" not in chart
    assert chart.count('stroke-dasharray="4 3"') == 1 and "target 82,9%" in chart
    bars = re.findall(
        r'<rect x="[\d.]+" y="\d+" width="([\d.]+)" height="18" fill="(#\w+)">', chart
    )
    assert len(bars) == 2  # the masked row has its grey track only
    (w_low, c_low), (w_high, c_high) = bars
    assert float(w_low) < float(w_high)
    assert c_low == svg.PALETTE[1] and c_high == svg.PALETTE[0]  # below the target: the warm colour


def test_a_share_figure_keeps_text_cells_in_its_table_and_prints_a_head():
    fig = Figure(
        "per_opd",
        "Ikrar per OPD",
        "share",
        "OPD",
        ("ASN", "Sudah", "Belum", "%"),
        tuple((f"OPD {i}", (10, i, 10 - i, f"{10 * i}%")) for i in range(10)),
        share=(1, 0),
    )
    header, body = fig.table()
    assert header == ["OPD", "ASN", "Sudah", "Belum", "%"]
    assert body[3] == ["OPD 3", 10, 3, 7, "30%"]
    assert "30% (3/10)" in fig.chart()
    head = fig.head(4)
    assert len(head.rows) == 4 and head.share == (1, 0) and len(fig.rows) == 10
