"""Screenshot netral's pages in headless Chromium, as its users see them.

NETRAL_DATA_DIR=var .venv/bin/netral serve &   # a server with the demo loaded
.venv/bin/python scripts/screenshots.py http://127.0.0.1:8000 out/
"""

from __future__ import annotations

import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
PASSWORD = "netral-demo-2024"
PUBLIC = [("lapor-phone", "/lapor", True), ("cek-phone", "/lapor/cek", True)]
STAFF = [
    ("bawaslu.bdg", "laporan", "/laporan", False),
    ("bawaslu.bdg", "laporan-detail", "/laporan/LAP-2024-000003", False),
    ("bawaslu.bdg", "laporan-detail-phone", "/laporan/LAP-2024-000001", True),
    ("bkpsdm.bdg", "opd", "/opd", False),
    ("admin", "home", "/", False),
]


def main(base: str, out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
        for name, path, phone in PUBLIC:
            page = browser.new_page(
                viewport={"width": 390, "height": 844} if phone else {"width": 1280, "height": 900}
            )
            page.goto(base + path)
            page.screenshot(path=str(out / f"{name}.png"), full_page=True)
            page.close()
        for user, name, path, phone in STAFF:
            ctx = browser.new_context(
                viewport={"width": 390, "height": 844} if phone else {"width": 1280, "height": 900}
            )
            page = ctx.new_page()
            page.goto(base + "/masuk")
            page.fill("#username", user)
            page.fill("#password", PASSWORD)
            page.click("button[type=submit]")
            page.wait_for_load_state()
            page.goto(base + path)
            page.screenshot(path=str(out / f"{name}.png"), full_page=True)
            ctx.close()
        browser.close()


if __name__ == "__main__":
    main(sys.argv[1], Path(sys.argv[2]))
