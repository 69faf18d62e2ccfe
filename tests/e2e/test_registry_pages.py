"""Registry pages as a user reads them: search, filters, an ASN's page, OPD counts, English."""

import re

from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po

from netral.web.i18n import CATALOGS


def test_asn_search_by_name_and_by_nip_prefix(as_user, world):
    c = as_user("bawaslu_staff")
    page = c.get("/asn?q=siti").text
    assert "Siti Rahmawati" in page and "Budi Santoso" not in page
    page = c.get("/asn?q=198503").text
    assert "Budi Santoso" in page and "Siti Rahmawati" not in page


def test_asn_filters_by_opd_and_kind_and_htmx_gets_only_the_rows(as_user, world):
    c = as_user("bawaslu_staff")
    page = c.get(f"/asn?opd={world.dishub_id}").text
    assert "Budi Santoso" in page and "Siti Rahmawati" not in page
    page = c.get("/asn?kind=PPPK").text
    assert "Andi Pratama" in page and "Budi Santoso" not in page
    rows = c.get("/asn?q=andi", headers={"HX-Request": "true"}).text
    assert "Andi Pratama" in rows and "<html" not in rows


def test_asn_page_explains_the_nip(as_user, world):
    page = as_user("bawaslu_staff").get(f"/asn/{world.bandung_asn[0]}").text
    assert "19850312 201001 1 003" in page
    assert "12 Maret 1985" in page and "Laki-laki" in page and "Dinas Perhubungan" in page


def test_opd_list_counts_asn_per_agency(as_user, world):
    page = as_user("bawaslu_staff").get("/opd").text
    row = re.search(r"Dinas Pendidikan</a></td>.*?</tr>", page, re.S).group(0)
    cells = re.findall(r'class="num">(?:<a [^>]+>)?(\d+)', row)
    assert cells == ["0", "1", "1", "2"]  # units, PNS, PPPK, total


def test_pages_switch_to_english(as_user, world):
    c = as_user("bawaslu_staff")
    page = c.get("/asn?lang=en").text
    assert "ASN list" in page and "Daftar ASN" not in page
    assert "ASN list" in c.get("/asn").text  # the choice sticks in a cookie


def test_every_message_id_has_an_english_translation():
    with (CATALOGS / "en.po").open("rb") as fh:
        catalog = read_po(fh)
    translated = {m.id for m in catalog if m.id and m.string}
    src = CATALOGS.parent.parent
    method_map = [("**/templates/**.html", "jinja2"), ("**.py", "python")]
    options = {"**/templates/**.html": {"extensions": "jinja2.ext.i18n"}}
    missing = {
        msg[2] for msg in extract_from_dir(src, method_map, options) if isinstance(msg[2], str)
    } - translated
    assert not missing, f"add these to en.po: {sorted(missing)}"


def test_the_api_describes_itself_and_its_docs_need_no_internet(client):
    spec = client.get("/api/v1/openapi.json").json()
    for path in ("/api/v1/asn", "/api/v1/reports", "/api/v1/receipts/lookup", "/api/v1/cases",
                 "/api/v1/cases/{number}/transitions/{code}", "/api/v1/rules"):
        assert path in spec["paths"], path
    docs = client.get("/api/docs").text
    assert "/static/swagger/swagger-ui-bundle.js" in docs and "cdn" not in docs.lower()
    assert client.get("/static/swagger/swagger-ui-bundle.js").status_code == 200


def test_the_rulebook_page_shows_the_candidacy_rule_and_what_is_not_yet_confirmed(as_user, world):
    """A person who knows the law reads, on the page, which track an act takes before and after
    the pairs are fixed, and which facts are still N or K (not only through the CLI)."""
    from html import escape

    from netral.rules import load_rulebook
    from netral.web.labels import rule_fact

    rb = load_rulebook()
    c = as_user("bawaslu_staff")
    page = c.get("/aturan").text
    assert "Bakal calon atau calon" in page and "Belum pasti (N/K)" in page
    assert "PP 42/2004" in page and "PP 94/2021" in page
    uncertain = rb.uncertain()
    # each fact in words (its section and name from the rulebook), never as its code
    assert uncertain and all(escape(rule_fact(u.section, u.code, "id")) in page for u in uncertain)
    assert "ppk_follow_up" not in page and "criminal_articles" not in page
    english = c.get("/aturan?lang=en").text
    assert "the track follows the date of the act" in english and "Not yet confirmed" in english
