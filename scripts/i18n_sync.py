"""Sync web/i18n/en.po with the message ids in the code and templates.

python scripts/i18n_sync.py            # add new ids (untranslated), drop none, list what is missing
python scripts/i18n_sync.py FILE.json  # also take translations from a {"id": "en"} JSON file
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po, write_po

SRC = Path(__file__).resolve().parent.parent / "src" / "netral"
PO = SRC / "web" / "i18n" / "en.po"
EXTRA = ["Laporan", "Aturan", "Kasus", "Kalender"]  # menu labels passed through _() as variables


def main() -> int:
    with PO.open("rb") as fh:
        old = read_po(fh)
    known = {m.id: m.string for m in old if m.id}
    if len(sys.argv) > 1:
        known.update(json.loads(Path(sys.argv[1]).read_text()))
    method_map = [("**/templates/**.html", "jinja2"), ("**.py", "python")]
    options = {"**/templates/**.html": {"extensions": "jinja2.ext.i18n"}}
    ids = {m[2] for m in extract_from_dir(SRC, method_map, options) if isinstance(m[2], str)}
    ids |= set(EXTRA)
    cat = Catalog(locale="en", project="netral")
    for mid in sorted(ids):
        cat.add(mid, known.get(mid, ""))
    with PO.open("wb") as fh:
        write_po(fh, cat, width=100, no_location=True, omit_header=False)
    missing = sorted(m for m in ids if not known.get(m))
    for m in missing:
        print(f"untranslated: {m}")
    return 1 if missing else 0


if __name__ == "__main__":
    raise SystemExit(main())
