"""A user of a province or the nation gets no filter list of thousands of OPD and kecamatan."""

from sqlalchemy import insert

from netral.registry.models import Opd, Wilayah
from netral.reports.pages import FILTER_OPTIONS_MAX


def _many_opd_and_kecamatan(db, n: int) -> None:
    db.execute(
        insert(Opd),
        [{"region_code": "32.04", "code": f"X{k:04d}", "name": f"Dinas Tambahan {k:04d}",
          "kind": "dinas"} for k in range(n)],
    )  # fmt: skip
    db.execute(
        insert(Wilayah),
        [{"code": f"32.04.9{k:03d}", "name": f"Kecamatan Tambahan {k:03d}", "level": "kecamatan",
          "parent_code": "32.04", "region_code": "32.04"} for k in range(n)],
    )  # fmt: skip
    db.commit()


def test_wide_scopes_list_no_thousand_options_but_keep_the_chosen_one(as_user, db, world):
    _many_opd_and_kecamatan(db, FILTER_OPTIONS_MAX + 1)
    jabar = as_user("bawaslu_jabar")  # the province: both regions
    inbox = jabar.get("/laporan")
    assert inbox.status_code == 200
    assert "Dinas Tambahan 0001" not in inbox.text
    assert "Kecamatan Tambahan 001" not in inbox.text
    chosen = jabar.get("/laporan?kecamatan=32.04.9007")
    assert chosen.status_code == 200
    assert "Kecamatan Tambahan 007" in chosen.text and "Kecamatan Tambahan 008" not in chosen.text
    asn = jabar.get("/asn")
    assert asn.status_code == 200 and "Dinas Tambahan 0001" not in asn.text
    # a region's own user, with fewer choices than the bound, still gets them all
    city = as_user("bawaslu_staff")
    page = city.get("/laporan").text
    assert "Sukasari" in page
