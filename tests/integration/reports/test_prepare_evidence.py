"""The intake's second half (`prepare_evidence`, run by the screening job): a photo's clean copy
and pHash, then duplicates against earlier reports only, once. SQLite and PostgreSQL."""

from __future__ import annotations

import io
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from PIL import Image
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from netral.core.closures import calendar_for
from netral.core.storage import LocalEvidenceStore
from netral.reports import service as reports
from netral.reports.models import DuplicateSuggestion, Report
from netral.reports.schemas import ReportIn
from netral.rules import load_rulebook

from support.evidence import jpeg_with_gps, photo_jpeg
from support.web import seed_world

TODAY = date.today()


@pytest.fixture
def store(tmp_path: Path) -> LocalEvidenceStore:
    return LocalEvidenceStore(tmp_path / "evidence")


def form(description: str) -> ReportIn:
    data: dict[str, Any] = {
        "description": description,
        "occurred_on": TODAY - timedelta(days=1),
        "known_on": TODAY,
        "kecamatan": "32.73.01",
        "place": "Balai RW 05",
        "category": "SKB-07",
        "anonymous": True,
    }
    return ReportIn.model_validate(data)


def file(db: Session, store: LocalEvidenceStore, description: str, photo: bytes) -> Report:
    receipt = reports.submit_report(
        db_session=db,
        store=store,
        rulebook=load_rulebook(),
        calendar=calendar_for(db),
        form=form(description),
        uploads=[reports.Upload("IMG_1.jpg", io.BytesIO(photo), "image/jpeg")],
    )
    db.commit()
    return receipt.report


def suggestions(db: Session) -> list[tuple[int, int, str]]:
    return [
        (s.report_id, s.other_id, s.basis)
        for s in db.scalars(select(DuplicateSuggestion).order_by(DuplicateSuggestion.id))
    ]


def test_the_job_makes_the_copy_and_pairs_a_report_with_earlier_ones_only(
    db: Session, store: LocalEvidenceStore
) -> None:
    seed_world(db)
    db.commit()
    photo = jpeg_with_gps(Image.open(io.BytesIO(photo_jpeg(640, 480))))
    first = file(db, store, "Camat membagikan kaos paslon di balai warga pada sore hari.", photo)
    second = file(db, store, "Lurah memasang stiker paslon di pos ronda dekat pasar.", photo)
    # filed: kept as sent, nothing derived, no duplicate looked for yet
    assert all(r.evidence[0].preparing and r.evidence[0].phash is None for r in (first, second))
    assert suggestions(db) == []

    # the later report's job may run first (two workers): the earlier photo has no hash yet
    assert (
        reports.prepare_evidence(db_session=db, store=store, report_id=second.id, duplicates=True)
        == 1
    )
    assert (
        reports.prepare_evidence(db_session=db, store=store, report_id=first.id, duplicates=True)
        == 1
    )
    db.commit()
    ev = second.evidence[0]
    assert not ev.preparing and ev.phash and {ev.width, ev.height} == {640, 480}  # turned
    derived = store.open(ev.derivative_sha256).read()
    assert b"Exif" not in derived and Image.open(io.BytesIO(derived)).getexif() == {}
    # so no photo match (a known limit of out-of-order jobs; the texts differ too), and the
    # first's job never names the later report, whose own check covers the pair
    pairs = suggestions(db)
    assert pairs == []

    # a retry of the later report's job (its screening failed once): both hashes exist now,
    # so the photo pair is found; run once more, nothing is doubled
    for _ in range(2):
        made = reports.prepare_evidence(
            db_session=db, store=store, report_id=second.id, duplicates=True
        )
        db.commit()
        assert made == 0  # the copy is never made twice
        assert suggestions(db) == [(second.id, first.id, "foto")]


def test_a_photo_duplicate_is_found_when_the_earlier_report_is_prepared(
    db: Session, store: LocalEvidenceStore
) -> None:
    seed_world(db)
    db.commit()
    photo = photo_jpeg(640, 480)
    first = file(db, store, "Camat membagikan kaos paslon di balai warga pada sore hari.", photo)
    reports.prepare_evidence(db_session=db, store=store, report_id=first.id, duplicates=True)
    db.commit()
    second = file(db, store, "Foto kiriman grup: lurah di acara kampanye.", photo + b"\x00")
    reports.prepare_evidence(db_session=db, store=store, report_id=second.id, duplicates=True)
    db.commit()
    assert suggestions(db) == [(second.id, first.id, "foto")]
    total = db.scalar(select(func.count()).select_from(DuplicateSuggestion))
    assert total == 1
