"""Pledges in a real browser: an ASN signs online with the mailed code and downloads the signed
PDF; an OPD admin uploads a scanned sheet and ticks who signed. Screenshots for a person to see."""

from __future__ import annotations

import io
import shutil
import subprocess

import pytest
from PIL import Image, ImageDraw
from playwright.sync_api import expect
from sqlalchemy import func, select

from netral.core.audit import Actor
from netral.core.crypto import keyring
from netral.core.models import User
from netral.pledges import service
from netral.pledges.models import PledgeSignature
from netral.registry.models import Asn

from support.browser import CHROMIUM
from support.pledges import BUDI, campaign_in, outbox_code
from support.web import PASSWORD

pytestmark = pytest.mark.skipif(not shutil.which(CHROMIUM), reason=f"no Chromium at {CHROMIUM}")
CODE = "ikrar-pilkada-2024"


@pytest.fixture
def pledge_world(db, world):
    budi = db.scalar(select(Asn).where(Asn.nip == BUDI))
    budi.contact_enc = keyring().encrypt("budi.santoso@bandung.go.id\x1f", BUDI.encode())
    users = {u.username: u for u in db.scalars(select(User))}
    users["asn"].nip = BUDI
    disdik = db.scalar(select(Asn.opd_id).where(Asn.nip == "199001012015032001"))
    users["opd_admin"].opd_id = disdik
    campaign = service.create_campaign(
        db_session=db, campaign_in=campaign_in(), actor=Actor.system()
    )
    for name, office in (("Ir. Wahyu Santika", "Penjabat Wali Kota Bandung"),
                         ("Dewi Anggraeni, S.H.", "Komisioner KPU Kota Bandung")):  # fmt: skip
        service.add_joint_signatory(
            db_session=db, campaign=campaign, name=name, office=office,
            signed_on=campaign.opens_on, actor=Actor.system(),
        )  # fmt: skip
    db.commit()
    return world


def _sign_in(page, server, username, then):
    page.goto(f"{server}{then}")
    assert "/masuk" in page.url
    page.fill("#username", username)
    page.fill("#password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{server}{then}*")


def _render_pdf(data: bytes, out) -> None:
    pdf = out.with_suffix(".pdf")
    pdf.write_bytes(data)
    subprocess.run(["pdftoppm", "-png", "-r", "60", str(pdf), str(out)], check=True)


@pytest.mark.parametrize("engine", ["sqlite"], indirect=True)
def test_an_asn_signs_online_and_downloads_the_signed_pdf(
    server, browser, shots, pledge_world, settings, db
):
    page = browser.new_page(viewport={"width": 1280, "height": 1000})
    _sign_in(page, server, "asn", "/ikrar")
    expect(page.locator("main h2")).to_contain_text("Ikrar Netralitas ASN Pilkada 2024")
    page.click("#minta-kode")
    expect(page.locator("p.notice")).to_contain_text("b***o@bandung.go.id")
    page.screenshot(path=str(shots / "ikrar-code-sent.png"), full_page=True)
    code = outbox_code(settings)
    # someone else's NIP first: refused with the reason beside the field
    page.fill("#nip", "199001012015032001")
    page.fill("#code", code)
    page.click("#tandatangani")
    expect(page.locator(".field-error")).to_contain_text("bukan NIP Anda")
    page.fill("#nip", BUDI)
    page.fill("#code", code)
    page.click("#tandatangani")
    expect(page.locator(".ok-box")).to_contain_text("Anda sudah menandatangani pada")
    page.screenshot(path=str(shots / "ikrar-signed.png"), full_page=True)
    link = page.locator("a[href$='ikrar.pdf']")
    response = page.request.get(server + link.get_attribute("href"))
    assert response.ok and response.body().startswith(b"%PDF")
    _render_pdf(response.body(), shots / "ikrar-signed-pdf")
    assert (shots / "ikrar-signed-pdf-1.png").exists()
    db.expire_all()
    assert db.scalar(select(PledgeSignature.method)) == "online"


@pytest.mark.parametrize("engine", ["sqlite"], indirect=True)
def test_an_opd_admin_uploads_a_sheet_and_ticks_who_signed(
    server, browser, shots, pledge_world, db, tmp_path
):
    scan = tmp_path / "lembar.png"
    img = Image.new("RGB", (400, 560), "white")
    ImageDraw.Draw(img).text((20, 20), "LEMBAR IKRAR DINAS PENDIDIKAN", fill="black")
    buf = io.BytesIO()
    img.save(buf, "PNG")
    scan.write_bytes(buf.getvalue())

    page = browser.new_page(viewport={"width": 1280, "height": 1000})
    _sign_in(page, server, "opd_admin", f"/ikrar/kampanye/{CODE}/lembar")
    page.set_input_files("#sheet", str(scan))
    boxes = page.locator("input[name=asn_ids]")
    assert boxes.count() == 2
    boxes.nth(0).check()
    boxes.nth(1).check()
    page.screenshot(path=str(shots / "ikrar-sheet-form.png"), full_page=True)
    page.click("#simpan-lembar")
    expect(page.locator(".ok-box")).to_contain_text("2 ASN")
    assert page.locator("input[name=asn_ids]").count() == 0  # both now shown as signed
    page.screenshot(path=str(shots / "ikrar-sheet-saved.png"), full_page=True)
    db.expire_all()
    assert db.scalar(select(func.count()).select_from(PledgeSignature)) == 2

    # the campaign page as BKPSDM sees it: bars, who has not signed, the joint declaration
    page2 = browser.new_page(viewport={"width": 1280, "height": 1000})
    _sign_in(page2, server, "bkpsdm", f"/ikrar/kampanye/{CODE}")
    expect(page2.locator("#belum")).to_contain_text("(1)")
    assert "Budi Santoso" in page2.inner_text("main")
    assert "Penjabat Wali Kota Bandung" in page2.inner_text("main")
    page2.screenshot(path=str(shots / "ikrar-campaign.png"), full_page=True)
    joint = page2.request.get(f"{server}/ikrar/kampanye/{CODE}/deklarasi.pdf")
    assert joint.ok and joint.body().startswith(b"%PDF")
    _render_pdf(joint.body(), shots / "ikrar-joint-pdf")
    csv = page2.request.get(f"{server}/ikrar/kampanye/{CODE}/ekspor/belum?fmt=csv")
    assert csv.ok and BUDI in csv.text()
