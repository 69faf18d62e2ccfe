"""A crawl of every page each demo role can reach, in both languages: no page fails, and no page
shows a person machine text (a snake_case code, a permission name, raw JSON).

The demo season is loaded once per test; each role starts at the home page and follows every
same-site GET link breadth-first (logout and downloads left out), one page per path with its ids
collapsed, at most PAGE_LIMIT pages a role. The figures go to stdout (`-s`) for the report."""

from __future__ import annotations

import html
import re
from collections import deque
from dataclasses import dataclass, field
from urllib.parse import urljoin, urlsplit

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from netral.app import create_app
from netral.core.db import unit_of_work
from netral.core.security import roles
from netral.core.storage import LocalEvidenceStore
from netral.dashboard.board import clear_public_cache
from netral.demo import DEMO_PASSWORD
from netral.demo.loader import DEMO_USERS
from netral.reports.models import Report
from netral.rules import load_rulebook
from netral.screening.pipeline import Screeners, screen_report

from support.demo_season import load_demo_season
from support.evidence import photo_jpeg
from support.web import csrf_from, login

PAGE_LIMIT = 150
HREF = re.compile(r"""(?:href|hx-get)\s*=\s*["']([^"'#]+)""")  # htmx fragments too
SPOKEN = re.compile(r"""\s(?:aria-label|title|alt|placeholder)\s*=\s*"([^"]*)\"""")
SNAKE = re.compile(r"\b[a-z][a-z0-9]*_[a-z0-9_]*[a-z0-9]\b")
# words in snake_case a page may show because they are not codes shown in place of words
ALLOWED_SNAKE = {
    # the column headings a turnout CSV/XLSX must carry: the import page names them verbatim
    "kode_wilayah",
    "nama_wilayah",
    "pengguna_hak_pilih",
}
SKIP_PATH = re.compile(
    r"/(logout|keluar)\b|\.(pdf|csv|xlsx|zip|jpg|jpeg|png|webp|mp4|json)$|^/static/|/unduh|/download|/export|/ekspor|/berkas|/file"
)
PERMISSIONS = sorted(
    {p for role in roles().values() for p in role.permissions}, key=len, reverse=True
)


@dataclass
class Crawl:
    pages: int = 0
    problems: list[str] = field(default_factory=list)


def visible_text(page: str) -> str:
    """What a person reads or hears: the text (scripts, styles and tags out) and the attributes a
    screen reader speaks or a pointer shows (aria-label, title, alt, placeholder), decoded."""
    body = re.sub(r"(?is)<(script|style|template)\b.*?</\1>", " ", page)
    body = re.sub(r"(?s)<!--.*?-->", " ", body)
    spoken = SPOKEN.findall(body)
    body = re.sub(r"<[^>]+>", " ", body)
    return " ".join(html.unescape(" ".join([body, *spoken])).split())


def _key(path: str) -> str:
    """One page per shape: digits, long tokens and receipt codes collapsed to a placeholder."""
    return re.sub(r"/[0-9][^/]*|/[A-Za-z0-9_-]{20,}", "/:id", path.rstrip("/") or "/")


def _findings(text: str) -> list[str]:
    found = []
    snakes = sorted({w for w in SNAKE.findall(text) if w not in ALLOWED_SNAKE})
    if snakes:
        found.append(f"snake_case {snakes[:8]}")
    perms = sorted(
        {p for p in PERMISSIONS if re.search(rf"(?<![\w.]){re.escape(p)}(?![\w])", text)}
    )
    if perms:
        found.append(f"permission names {perms}")
    if '{"' in text or "{'" in text:
        at = text.find('{"') if '{"' in text else text.find("{'")
        found.append(f"raw JSON …{text[max(0, at - 40) : at + 60]}…")
    return found


def crawl(client: TestClient, starts: tuple[str, ...] = ("/",)) -> Crawl:
    out = Crawl()
    seen = {_key(start) for start in starts}
    queue = deque(starts)
    while queue and out.pages < PAGE_LIMIT:
        url = queue.popleft()
        resp = client.get(url)
        out.pages += 1
        if resp.status_code >= 500:
            out.problems.append(f"{url}: HTTP {resp.status_code}")
            continue
        if "text/html" not in resp.headers.get("content-type", ""):
            continue
        for finding in _findings(visible_text(resp.text)):
            out.problems.append(f"{url}: {finding}")
        for href in HREF.findall(resp.text):
            target = urlsplit(urljoin(str(resp.url), html.unescape(href)))
            if target.netloc not in ("", "testserver") or target.scheme not in ("", "http"):
                continue
            if SKIP_PATH.search(target.path) or "lang=" in target.query:
                continue
            key = _key(target.path)
            if key in seen:
                continue
            seen.add(key)
            queue.append(target.path + (f"?{target.query}" if target.query else ""))
    return out


@pytest.fixture
def demo_app(db, engine, settings):
    """The demo season with its reports screened, so the findings' pages are crawled too."""
    clear_public_cache()
    app = create_app(settings)
    load_demo_season(db, settings.data_dir, asn=60)
    screeners = Screeners(rulebook=load_rulebook(), models_dir=settings.data_dir / "models")
    store = LocalEvidenceStore(settings.data_dir / "evidence")
    for report_id in db.scalars(select(Report.id)).all():
        with unit_of_work(engine) as session:
            screen_report(
                db_session=session,
                report_id=report_id,
                store=store,
                screeners=screeners,
                force=True,
            )
    return app


def file_a_report(client: TestClient) -> str:
    """The public form, posted as a browser would (a photo, anonymous); then the receipt opened,
    which leaves the status page's cookie on the client. Returns the receipt page."""
    form = client.get("/lapor")
    fields = {
        "csrf_token": csrf_from(form.text),
        "description": "Kepala dinas mengajak pegawai memilih calon nomor 2 saat apel pagi.",
        "occurred_on": "2024-10-08",
        "known_on": "2024-10-09",
        "kecamatan": "32.73.01",
        "anonymous": "true",
    }
    photo = ("foto.jpg", photo_jpeg(400, 300), "image/jpeg")
    receipt = client.post("/lapor", data=fields, files=[("evidence", photo)])
    assert receipt.status_code in (200, 201), receipt.text[:2000]
    number = re.search(r'id="receipt-number"[^>]*>\s*([^<\s]+)', receipt.text)
    code = re.search(r'id="receipt-code"[^>]*>\s*([^<]+?)\s*<', receipt.text)
    assert number and code, receipt.text[:2000]
    lookup = client.get("/lapor/cek")
    opened = client.post(
        "/lapor/cek",
        data={"csrf_token": csrf_from(lookup.text), "number": number[1], "code": code[1]},
    )
    assert opened.status_code == 200 and number[1] in opened.text, opened.text[:2000]
    return receipt.text


USERNAMES = [None] + [u for u, *_ in DEMO_USERS]


@pytest.mark.parametrize("engine", ["sqlite"], indirect=True)
def test_no_page_a_demo_role_reaches_shows_machine_text(demo_app):
    problems: list[str] = []
    for lang in ("id", "en"):
        counts: dict[str, int] = {}
        for username in USERNAMES:
            client = TestClient(demo_app)
            client.cookies.set("lang", lang)
            if username:
                login(client, username, DEMO_PASSWORD)
                result = crawl(client)
            else:  # a citizen: the pages, then a report filed, its receipt and its status page
                result = crawl(client)
                receipt = file_a_report(client)
                result.problems += [f"receipt: {f}" for f in _findings(visible_text(receipt))]
                more = crawl(client, ("/lapor/status",))
                result.pages += more.pages + 1
                result.problems += more.problems
            counts[username or "public"] = result.pages
            problems += [f"[{lang} {username or 'public'}] {p}" for p in result.problems]
        print(f"\ncrawl ({lang}): pages per role {counts}, {sum(counts.values())} in all")
        assert all(n > 1 for n in counts.values()), counts
    assert not problems, f"{len(problems)} findings:\n" + "\n".join(problems)


def test_the_crawl_sees_machine_text_in_a_page():
    page = (
        '<html><script>var a_b = {"x": 1}</script><style>.a_b{}</style>'
        '<p>Status: menunggu_verifikasi</p><p>Izin reports.read</p><pre>{"kind": 1}</pre></html>'
    )
    text = visible_text(page)
    assert "var" not in text and ".a_b" not in text
    found = " ".join(_findings(text))
    assert "menunggu_verifikasi" in found and "reports.read" in found and "raw JSON" in found
    assert _findings(visible_text('<button aria-label="tindak_lanjut">x</button>'))
    assert _findings(visible_text("<p>Kode wilayah 32.73, surel asn.demo@bandung.go.id</p>")) == []
