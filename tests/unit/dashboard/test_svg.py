"""The SVG renderer: well-formed, accessible (title, desc, text labels), CSP-safe (no style
attribute, no script, nothing external), labels escaped, masked counts drawn without a bar."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from datetime import date, timedelta

from netral.dashboard import svg
from netral.dashboard.disclosure import SMALL

NS = "{http://www.w3.org/2000/svg}"


def _parse(markup: str) -> ET.Element:
    root = ET.fromstring(str(markup))
    assert root.tag == f"{NS}svg" and root.get("role") == "img"
    title, desc = root.find(f"{NS}title"), root.find(f"{NS}desc")
    assert title is not None and title.text and desc is not None and desc.text
    assert set(root.get("aria-labelledby", "").split()) == {title.get("id"), desc.get("id")}
    for el in root.iter():
        assert "style" not in el.attrib and not el.tag.endswith("script")
        assert not any(k.endswith("href") for k in el.attrib)
    return root


def _texts(root: ET.Element) -> list[str]:
    return [t.text or "" for t in root.iter(f"{NS}text")]


def test_bars_carry_their_numbers_as_text_and_scale_to_the_largest():
    root = _parse(
        svg.hbars([("Sukasari", 12), ("Coblong <&>", 6), ("Kosong", 0)], title="Per kecamatan")
    )
    texts = _texts(root)
    assert "Sukasari" in texts and "Coblong <&>" in texts and "12" in texts and "6" in texts
    widths = [float(r.get("width")) for r in root.iter(f"{NS}rect")]
    assert len(widths) == 2 and abs(widths[0] - 2 * widths[1]) < 0.01  # no bar for zero


def test_a_masked_count_draws_no_bar():
    root = _parse(svg.hbars([("A", 20), ("B", SMALL)], title="t"))
    assert len(list(root.iter(f"{NS}rect"))) == 1
    assert "< 5" in _texts(root)


def test_columns_one_per_day_with_gridlines():
    start = date(2024, 10, 1)
    days = [(start + timedelta(days=i), i % 4) for i in range(30)]
    root = _parse(svg.columns(days, title="Per hari"))
    rects = list(root.iter(f"{NS}rect"))
    assert len(rects) == sum(1 for _, n in days if n)
    assert "1/10" in _texts(root)
    assert "30 hari" in root.find(f"{NS}desc").text


def test_stacked_bars_have_a_legend_and_parts():
    root = _parse(
        svg.stacked(
            [("Berat", (3, 2)), ("Sedang", (0, 4))], series=("Dilaksanakan", "Belum"), title="t"
        )
    )
    texts = _texts(root)
    assert "Dilaksanakan" in texts and "Belum" in texts and "Berat" in texts
    assert len([r for r in root.iter(f"{NS}rect") if r.get("width") != "12"]) == 3


def test_empty_charts_still_say_so():
    for markup in (
        svg.hbars([], title="t"),
        svg.columns([], title="t"),
        svg.stacked([], series=("a",), title="t"),
    ):
        assert "Tidak ada data" in " ".join(_texts(_parse(markup)))
