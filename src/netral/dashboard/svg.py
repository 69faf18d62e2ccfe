"""Charts as server-side SVG: horizontal bars, day-by-day columns, stacked bars.

Accessible and CSP-safe by construction: each chart is an <svg role="img"> with a <title> and
<desc>, every bar carries its number as text, colours are presentation attributes (no style
attribute, no script, no external font or image). Masked counts ("< 5") draw no bar, only text.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from datetime import date
from xml.sax.saxutils import escape

from markupsafe import Markup

from netral.core.calendar import MONTHS_EN, MONTHS_ID
from netral.dashboard.disclosure import Masked, Value
from netral.web.i18n import gettext_

# colour-blind safe (Okabe-Ito), dark enough for white text where it sits on a bar
PALETTE = ("#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9")
INK = "#1f2933"
MUTED = "#5f6b76"
GRID = "#d9dee3"
FONT = "DejaVu Sans, Verdana, sans-serif"
CHAR_W = 7.4  # DejaVu Sans at 12px, an average glyph: enough room that labels are not cut
_ids = itertools.count(1)


def _num(v: Value) -> str:
    return str(v) if isinstance(v, Masked) else f"{v:,}".replace(",", ".")


def _n(v: Value) -> int:
    return 0 if isinstance(v, Masked) else v


def _text(
    x: float,
    y: float,
    s: str,
    *,
    anchor: str = "start",
    size: int = 12,
    fill: str = INK,
    weight: str = "normal",
) -> str:
    return (
        f'<text x="{x:.1f}" y="{y:.1f}" font-family="{FONT}" font-size="{size}" fill="{fill}" '
        f'text-anchor="{anchor}" font-weight="{weight}">{escape(s)}</text>'
    )


def _open(width: int, height: int, title: str, desc: str) -> tuple[str, str]:
    uid = f"c{next(_ids)}"
    head = (
        f'<svg xmlns="http://www.w3.org/2000/svg" role="img" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" aria-labelledby="{uid}-t {uid}-d" class="chart">'
        f'<title id="{uid}-t">{escape(title)}</title><desc id="{uid}-d">{escape(desc)}</desc>'
    )
    return head, "</svg>"


def _label_width(rows: Sequence[tuple[str, object]], most: int) -> int:
    longest = max((len(r[0]) for r in rows), default=10)
    return min(most, max(90, int(CHAR_W * longest) + 14))


def _clip(label: str, chars: int) -> str:
    return label if len(label) <= chars else label[: chars - 1] + "…"


def hbars(
    rows: Sequence[tuple[str, Value]], *, title: str, width: int = 640, colour: str = PALETTE[0]
) -> Markup:
    """One horizontal bar per row, the row's label left and its number at the bar's end."""
    bar_h, gap, top = 18, 6, 6
    label_w = _label_width(rows, 280)
    plot_w = width - label_w - 70
    peak = max((_n(v) for _, v in rows), default=0) or 1
    height = top * 2 + len(rows) * (bar_h + gap) or 30
    desc = "; ".join(f"{label}: {_num(v)}" for label, v in rows) or gettext_("tidak ada data")
    head, tail = _open(width, max(height, 30), title, desc)
    parts = [head]
    for i, (label, v) in enumerate(rows):
        y = top + i * (bar_h + gap)
        parts.append(
            _text(
                label_w - 8,
                y + bar_h - 5,
                _clip(label, round((label_w - 14) / CHAR_W)),
                anchor="end",
            )
        )
        w = plot_w * _n(v) / peak if not isinstance(v, Masked) else 0
        if w > 0:
            parts.append(
                f'<rect x="{label_w}" y="{y}" width="{max(w, 1):.1f}" height="{bar_h}" '
                f'fill="{colour}"><title>{escape(label)}: {_num(v)}</title></rect>'
            )
        parts.append(_text(label_w + w + 6, y + bar_h - 5, _num(v), weight="bold"))
    if not rows:
        parts.append(_text(8, 20, gettext_("Tidak ada data"), fill=MUTED))
    parts.append(tail)
    return Markup("".join(parts))  # noqa: S704 -- every text in it went through escape()


def _day(d: date, lang: str) -> str:
    return f"{d.day} {(MONTHS_EN if lang == 'en' else MONTHS_ID)[d.month]} {d.year}"


def columns(
    days: Sequence[tuple[date, int]],
    *,
    title: str,
    width: int = 720,
    height: int = 200,
    lang: str = "id",
) -> Markup:
    """Day-by-day columns over a continuous run of days (missing days count as zero)."""
    left, bottom, top, right = 40, 34, 12, 10
    plot_w, plot_h = width - left - right, height - top - bottom
    peak = max((n for _, n in days), default=0)
    step = _nice_step(peak)
    y_max = max(step * -(-peak // step), step)
    if not days:
        desc = gettext_("tidak ada data")
    elif lang == "en":
        desc = (
            f"{len(days)} days, {_day(days[0][0], lang)} to {_day(days[-1][0], lang)}; "
            f"total {sum(n for _, n in days)}, highest {peak}"
        )
    else:
        desc = (
            f"{len(days)} hari, {_day(days[0][0], lang)} s.d. {_day(days[-1][0], lang)}; "
            f"jumlah {sum(n for _, n in days)}, tertinggi {peak}"
        )
    head, tail = _open(width, height, title, desc)
    parts = [head]
    for tick in range(0, y_max + 1, step):
        y = top + plot_h - plot_h * tick / y_max
        parts.append(
            f'<line x1="{left}" y1="{y:.1f}" x2="{width - right}" y2="{y:.1f}" '
            f'stroke="{GRID}" stroke-width="1"/>'
        )
        parts.append(_text(left - 5, y + 4, _num(tick), anchor="end", size=10, fill=MUTED))
    if days:
        slot = plot_w / len(days)
        bar = max(slot * 0.8, 1)
        label_every = max(1, -(-len(days) // 10))
        for i, (day, n) in enumerate(days):
            x = left + i * slot + (slot - bar) / 2
            h = plot_h * n / y_max
            if n:
                parts.append(
                    f'<rect x="{x:.1f}" y="{top + plot_h - h:.1f}" width="{bar:.1f}" '
                    f'height="{h:.1f}" fill="{PALETTE[0]}"><title>{_day(day, lang)}: {n}</title>'
                    "</rect>"
                )
            if i % label_every == 0:
                parts.append(
                    _text(
                        x + bar / 2,
                        height - bottom + 16,
                        f"{day.day}/{day.month}",
                        anchor="middle",
                        size=10,
                        fill=MUTED,
                    )
                )
    else:
        parts.append(_text(left + 8, top + 20, gettext_("Tidak ada data"), fill=MUTED))
    parts.append(tail)
    return Markup("".join(parts))  # noqa: S704 -- every text in it went through escape()


def stacked(
    rows: Sequence[tuple[str, Sequence[Value]]],
    *,
    series: Sequence[str],
    title: str,
    width: int = 640,
) -> Markup:
    """One horizontal bar per row split into its series, with a legend and each part's number."""
    bar_h, gap, legend_h = 20, 8, 24
    label_w = _label_width(rows, 260)
    plot_w = width - label_w - 60
    peak = max((sum(_n(v) for v in vals) for _, vals in rows), default=0) or 1
    height = legend_h + len(rows) * (bar_h + gap) + 6
    desc = "; ".join(
        f"{label}: " + ", ".join(f"{s} {_num(v)}" for s, v in zip(series, vals, strict=True))
        for label, vals in rows
    )
    head, tail = _open(width, max(height, 40), title, desc or gettext_("tidak ada data"))
    parts = [head]
    x = 0.0
    for k, name in enumerate(series):
        parts.append(
            f'<rect x="{x:.1f}" y="4" width="12" height="12" fill="{PALETTE[k % len(PALETTE)]}"/>'
        )
        parts.append(_text(x + 16, 14, name, size=11))
        x += 16 + 7 * len(name) + 18
    for i, (label, vals) in enumerate(rows):
        y = legend_h + i * (bar_h + gap)
        parts.append(
            _text(
                label_w - 8,
                y + bar_h - 6,
                _clip(label, round((label_w - 14) / CHAR_W)),
                anchor="end",
            )
        )
        x = float(label_w)
        for k, v in enumerate(vals):
            w = plot_w * _n(v) / peak
            if w <= 0:
                continue
            parts.append(
                f'<rect x="{x:.1f}" y="{y}" width="{w:.1f}" height="{bar_h}" '
                f'fill="{PALETTE[k % len(PALETTE)]}"><title>{escape(label)}, {escape(series[k])}: '
                f"{_num(v)}</title></rect>"
            )
            if w >= 8 * len(_num(v)) + 4:
                parts.append(
                    _text(
                        x + w / 2,
                        y + bar_h - 6,
                        _num(v),
                        anchor="middle",
                        size=11,
                        fill="#ffffff",
                        weight="bold",
                    )
                )
            x += w
        total = sum(_n(v) for v in vals)
        masked = any(isinstance(v, Masked) for v in vals)
        parts.append(_text(x + 6, y + bar_h - 6, _num(total) + (" +" if masked else ""), size=11))
    if not rows:
        parts.append(_text(8, legend_h + 16, gettext_("Tidak ada data"), fill=MUTED))
    parts.append(tail)
    return Markup("".join(parts))  # noqa: S704 -- every text in it went through escape()


def _nice_step(peak: int) -> int:
    """A round tick step giving about four gridlines up to `peak`."""
    for step in (1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000, 2000, 5000, 10000):
        if peak / step <= 5:
            return step
    return int(10 ** len(str(peak)) // 10)


def shares(
    rows: Sequence[tuple[str, float | None, str]],
    *,
    title: str,
    target: float | None = None,
    width: int = 640,
    lang: str = "id",
) -> Markup:
    """One bar per row on a 0–100% scale, its text (e.g. "71% (50 dari 70)") at the bar's end;
    a dashed line marks the target. A row whose percent is None (masked) draws no bar."""
    bar_h, gap, top = 18, 6, 22 if target is not None else 6
    label_w = _label_width([(r[0], None) for r in rows], 260)
    text_w = max((len(r[2]) for r in rows), default=4) * 7 + 10
    plot_w = max(width - label_w - text_w, 120)
    height = top + len(rows) * (bar_h + gap) + 6
    none = gettext_("tidak ada data")
    desc = "; ".join(f"{label}: {text}" for label, _, text in rows) or none
    if target is not None:
        desc = f"target {_pct_text(target, lang)}; " + desc
    head, tail = _open(width, max(height, 30), title, desc)
    parts = [head]
    # the 0..100% track behind every bar, so a short bar still reads as "of the whole"
    for i, (label, pct, text) in enumerate(rows):
        y = top + i * (bar_h + gap)
        parts.append(
            _text(
                label_w - 8,
                y + bar_h - 5,
                _clip(label, round((label_w - 14) / CHAR_W)),
                anchor="end",
            )
        )
        parts.append(
            f'<rect x="{label_w}" y="{y}" width="{plot_w}" height="{bar_h}" fill="{GRID}" '
            'fill-opacity="0.45"/>'
        )
        w = plot_w * min(max(pct, 0.0), 100.0) / 100 if pct is not None else 0.0
        below = target is not None and pct is not None and pct < target
        if w > 0:
            parts.append(
                f'<rect x="{label_w}" y="{y}" width="{max(w, 1):.1f}" height="{bar_h}" '
                f'fill="{PALETTE[1] if below else PALETTE[0]}"><title>{escape(label)}: '
                f"{escape(text)}</title></rect>"
            )
        parts.append(_text(label_w + plot_w + 6, y + bar_h - 5, text, weight="bold", size=11))
    if target is not None and rows:
        x = label_w + plot_w * min(target, 100.0) / 100
        parts.append(
            f'<line x1="{x:.1f}" y1="{top - 4}" x2="{x:.1f}" y2="{height - 4}" stroke="{INK}" '
            'stroke-width="1.5" stroke-dasharray="4 3"/>'
        )
        parts.append(
            _text(x, top - 8, f"target {_pct_text(target, lang)}", anchor="middle", size=10)
        )
    if not rows:
        parts.append(_text(8, 20, gettext_("Tidak ada data"), fill=MUTED))
    parts.append(tail)
    return Markup("".join(parts))  # noqa: S704 -- every text in it went through escape()


def _pct_text(p: float, lang: str = "id") -> str:
    """82.9 -> "82,9%" (Indonesian decimal comma; a point in English), 90.0 -> "90%"."""
    text = f"{p:.1f}".rstrip("0").rstrip(".") + "%"
    return text if lang == "en" else text.replace(".", ",")
