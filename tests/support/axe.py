"""axe-core (vendored, MPL-2.0) in a Playwright page: the WCAG 2 A and AA rules, and the findings a
person using a screen reader, a keyboard or a phone would trip over (serious and critical)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

AXE = Path(__file__).parent / "vendor" / "axe-core" / "axe.min.js"
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
BLOCKING = ("serious", "critical")


def violations(page: Any) -> list[dict[str, Any]]:
    """Every violation axe finds on the page as it is now."""
    if not page.evaluate("typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE))
    result: dict[str, Any] = page.evaluate(
        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})",
        TAGS,
    )
    return list(result["violations"])


def blocking(page: Any) -> list[dict[str, Any]]:
    return [v for v in violations(page) if v.get("impact") in BLOCKING]


def describe(found: list[dict[str, Any]]) -> str:
    """One line per rule, then the elements it names: enough to find the template to fix."""
    lines = []
    for v in found:
        lines.append(f"{v['impact']} {v['id']}: {v['help']}")
        for node in v["nodes"][:6]:
            summary = (node.get("failureSummary") or "").replace("\n", " ")[:200]
            lines.append(f"    {' '.join(map(str, node['target']))} — {summary}")
    return "\n".join(lines)
