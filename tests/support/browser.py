"""What the browser tests share: Debian's Chromium, started so that it never calls out."""

from __future__ import annotations

import os

CHROMIUM = os.environ.get("NETRAL_CHROMIUM", "/usr/bin/chromium")
# this machine's closed network refuses Chromium's background connections: ask for none
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
