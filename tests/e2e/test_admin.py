"""Admin pages and server limits: closure days move deadlines; oversized requests are refused."""

from support.web import csrf_from


def test_an_admin_adds_a_closure_day_and_deadlines_count_it(as_user, world):
    admin = as_user("admin")
    page = admin.get("/kalender?year=2024")
    assert page.status_code == 200 and "Natal" in page.text  # the national holiday is listed
    assert "Cuti Bersama Hari Raya Natal" in page.text  # so is the shipped cuti bersama
    before = admin.get("/api/v1/rules/deadline/sanction_delivery?start=2024-12-20").json()["due"]
    assert before == "2025-01-14"  # 25 Dec Natal and 26 Dec cuti bersama already skipped
    r = admin.post(
        "/kalender",
        data={
            "day": "2024-12-27",
            "name": "Libur kantor akhir tahun",
            "csrf_token": csrf_from(page.text),
        },
        follow_redirects=False,
    )
    assert r.status_code == 303
    assert "Libur kantor akhir tahun" in admin.get("/kalender?year=2024").text
    after = admin.get("/api/v1/rules/deadline/sanction_delivery?start=2024-12-20").json()["due"]
    assert after > before
    bad = admin.post(
        "/kalender", data={"day": "26-12-2024", "name": "x", "csrf_token": csrf_from(page.text)}
    )
    assert bad.status_code == 422 and "Tanggal tidak sah" in bad.text
    english = admin.get("/kalender?year=2024&lang=en").text
    assert "Christmas Day" in english and "Natal" not in english  # holidays named in English
    assert "Libur kantor akhir tahun" in english  # an operator's own closure keeps its name


def test_staff_cannot_manage_the_calendar(as_user, world):
    assert as_user("bawaslu_staff").get("/kalender").status_code == 403


def test_an_oversized_request_is_refused_before_it_is_read(client, world):
    r = client.post(
        "/api/v1/reports",
        content=b"x",
        headers={
            "content-type": "multipart/form-data; boundary=x",
            "content-length": str(200 * 1024 * 1024),
        },
    )
    assert r.status_code == 413
    assert r.json()["code"] == "request.too_large"
    assert "Kiriman terlalu besar" in r.json()["detail"]
