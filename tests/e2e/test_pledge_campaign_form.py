"""BKPSDM creates a pledge campaign from the page; bad input names each field and creates nothing."""

from __future__ import annotations

from sqlalchemy import func, select

from netral.pledges.models import PledgeCampaign

from support.web import csrf_from

GOOD = {
    "title": "Ikrar Netralitas ASN Pilkada 2024",
    "code": "ikrar-pilkada-2024",
    "region": "32.73",
    "election": "",
    "issuer": "PEMERINTAH KOTA BANDUNG",
    "ikrar": "Kami ASN Pemerintah Kota Bandung berikrar menjaga netralitas.",
    "pakta_integritas": "Saya tidak akan berpihak kepada pasangan calon mana pun.",
    "document_version": "2024-09",
    "opens_on": "2024-09-02",
    "closes_on": "",
}


def _post(client, data, opd=()):
    form = client.get("/ikrar/kampanye/baru")
    assert form.status_code == 200
    body = {**data, "csrf_token": csrf_from(form.text), "opd": list(opd)}
    return client.post("/ikrar/kampanye/baru", data=body, follow_redirects=False)


def test_bkpsdm_creates_a_campaign_for_chosen_opd(as_user, db):
    client = as_user("bkpsdm")
    r = _post(client, GOOD, opd=["DISHUB"])
    assert r.status_code == 303 and r.headers["location"] == "/ikrar/kampanye/ikrar-pilkada-2024"
    campaign = db.scalar(select(PledgeCampaign))
    assert campaign.title == GOOD["title"] and len(campaign.opd_ids) == 1
    page = client.get(r.headers["location"])
    assert page.status_code == 200 and GOOD["title"] in page.text


def test_bad_input_names_every_field_in_indonesian_and_creates_nothing(as_user, db):
    client = as_user("bkpsdm")
    bad = {**GOOD, "code": "Bukan Kode!", "ikrar": "", "opens_on": "2024-09-02",
           "closes_on": "2024-08-01"}  # fmt: skip
    r = _post(client, bad)
    assert r.status_code == 422
    assert r.text.count('class="field-error"') >= 2  # code and ikrar, together
    assert "Wajib diisi." in r.text
    assert 'value="Bukan Kode!"' in r.text  # what was typed stays
    assert db.scalar(select(func.count()).select_from(PledgeCampaign)) == 0


def test_a_region_outside_the_scope_is_refused(as_user, db):
    r = _post(as_user("bkpsdm"), {**GOOD, "region": "32.04"})
    assert r.status_code == 422 and "di luar cakupan" in r.text
    assert db.scalar(select(func.count()).select_from(PledgeCampaign)) == 0


def test_only_managers_reach_the_form(as_user):
    assert as_user("opd_admin").get("/ikrar/kampanye/baru").status_code == 403
    assert as_user("asn").get("/ikrar/kampanye/baru").status_code == 403
