"""Coverage reads kept counts (the registry's headcount, the campaign's tally): they must always
say what counting the signatures against the ASN where they work now would say. SQLite and PG."""

from __future__ import annotations

import csv
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import select, text

from netral.core.audit import Actor
from netral.core.migrate import upgrade
from netral.core.security import Scope
from netral.pledges import service
from netral.pledges.models import PledgeTally
from netral.registry.importer import EXPORT_HEADERS, import_asn
from netral.registry.models import Asn

CITY = Scope("region", "32.73")
SITI = "199001012015032001"
ANDI = "199204052020121002"


def _coverage(db, pw) -> dict[str, tuple[int, int]]:
    return {
        r.opd_code: (r.asn, r.signed)
        for r in service.campaign_coverage(db_session=db, scope=CITY, campaign=pw.campaign)
    }


def _tally(db, pw) -> list[tuple[int, int, str, int]]:
    return sorted(
        (t.opd_id, t.unit_key, t.method, t.signed)
        for t in db.scalars(select(PledgeTally).where(PledgeTally.campaign_id == pw.campaign.id))
    )


def _bulk(db, pw, *nips: str, method: str = "paper") -> None:
    people = db.scalars(select(Asn).where(Asn.nip.in_(nips))).all()
    service.bulk_sign(
        db_session=db,
        campaign=pw.campaign,
        rows=[
            service.BulkSignature(a.id, a.nip, method, datetime(2024, 9, 10, tzinfo=UTC))
            for a in people
        ],
    )


def test_each_signature_is_counted_as_a_recount_would_count_it(db, pw) -> None:
    assert _coverage(db, pw) == {"DISHUB": (1, 0), "DISDIK": (2, 0)}
    _bulk(db, pw, SITI)
    _bulk(db, pw, ANDI, method="online")
    db.commit()
    assert _coverage(db, pw) == {"DISHUB": (1, 0), "DISDIK": (2, 2)}
    kept = _tally(db, pw)
    service.recount(db_session=db, campaign=pw.campaign)
    assert _tally(db, pw) == kept
    t = service.totals(db_session=db, scope=CITY)
    assert t is not None and (t.asn, t.signed, t.online, t.paper) == (3, 2, 1, 1)


def _import(db, tmp_path: Path, rows: list[dict[str, str]]) -> None:
    path = tmp_path / "asn.csv"
    with path.open("w", newline="", encoding="utf-8") as f:
        w = csv.DictWriter(f, fieldnames=list(EXPORT_HEADERS.values()))
        w.writeheader()
        for r in rows:
            w.writerow({EXPORT_HEADERS[k]: v for k, v in r.items()})
    import_asn(db_session=db, path=path, region_code="32.73", actor=Actor.system())
    db.commit()


def test_a_signer_who_moves_counts_where_they_work_now(db, pw, tmp_path) -> None:
    _bulk(db, pw, SITI)
    db.commit()
    assert _coverage(db, pw)["DISDIK"] == (2, 1)
    # the next registry file has Siti at Dinas Perhubungan, and a new teacher at Disdik
    _import(
        db,
        tmp_path,
        [
            {"nip": SITI, "name": "Siti Rahmawati", "kind": "PNS", "position": "Staf",
             "golongan": "III/b", "opd": "DISHUB"},
            {"nip": "199305052019032007", "name": "Rina Lestari", "kind": "PNS",
             "position": "Guru", "golongan": "III/a", "opd": "DISDIK"},
        ],
    )  # fmt: skip
    assert _coverage(db, pw) == {"DISHUB": (2, 1), "DISDIK": (2, 0)}
    kept = _tally(db, pw)
    service.recount(db_session=db, campaign=pw.campaign)
    assert _tally(db, pw) == kept


def test_0018_counts_what_was_there_before(empty_engine) -> None:
    upgrade(empty_engine, "0015")
    with empty_engine.begin() as c:
        c.execute(
            text(
                "INSERT INTO wilayah (code, name, level, parent_code, region_code) "
                "VALUES ('32.73', 'Kota Bandung', 'kota', NULL, '32.73')"
            )
        )
        c.execute(
            text(
                "INSERT INTO opd (id, region_code, code, name, kind) "
                "VALUES (7, '32.73', 'DISHUB', 'Dinas Perhubungan', 'dinas')"
            )
        )
        for i, active in ((1, True), (2, True), (3, False)):
            c.execute(
                text(
                    "INSERT INTO asn (id, nip, name, kind, position, golongan, opd_id, "
                    "region_code, is_active, created_at, updated_at) VALUES (:i, :nip, 'X', "
                    "'PNS', '', '', 7, '32.73', :a, '2024-01-01', '2024-01-01')"
                ),
                {"i": i, "nip": f"19800101200501100{i}", "a": active},
            )
        c.execute(
            text(
                "INSERT INTO pledge_campaign (id, code, title, region_code, issuer, ikrar_text, "
                "pakta_text, document_version, document_sha256, opd_ids, opens_on, created_at) "
                "VALUES (1, 'k', 'K', '32.73', 'P', 'i', 'p', '1', 'h', '[]', '2024-09-01', "
                "'2024-09-01')"
            )
        )
        for asn_id in (1, 3):  # the third has left: not counted
            c.execute(
                text(
                    "INSERT INTO pledge_signature (campaign_id, asn_id, nip, method, signed_at, "
                    "document_sha256) VALUES (1, :a, 'n', 'online', '2024-09-02', 'h')"
                ),
                {"a": asn_id},
            )
    upgrade(empty_engine, "0018")
    with empty_engine.begin() as c:
        assert c.execute(text("SELECT opd_id, unit_key, asn FROM asn_headcount")).all() == [
            (7, 0, 2)
        ]
        assert c.execute(
            text("SELECT campaign_id, opd_id, unit_key, method, signed FROM pledge_tally")
        ).all() == [(1, 7, 0, "online", 1)]
