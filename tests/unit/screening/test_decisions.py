"""Staff decisions as labels: which reasons a finding offers, and what each decision labels."""

from __future__ import annotations

import pytest

from netral.screening.decisions import (
    PHOTO_LABELS,
    TEXT_LABELS,
    decidable,
    reasons,
    reasons_for,
    training_label,
)
from netral.screening.models import ScreeningFinding


def finding(kind: str, label: str) -> ScreeningFinding:
    return ScreeningFinding(kind=kind, label=label, model="m-1", data={})


def test_every_reason_names_known_kinds_and_labels_in_both_languages():
    assert reasons()
    for r in reasons().values():
        assert r.name_id and r.name_en and r.name_id != r.name_en
        assert r.text_label in (None, *TEXT_LABELS)
        assert r.photo_label in (None, *PHOTO_LABELS)
    assert reasons()["lainnya"].needs_note


@pytest.mark.parametrize(
    ("label", "reason", "expected"),
    [
        ("partisan", "berita_netral", "political_neutral"),
        ("partisan", "bukan_politik", "other"),
        ("partisan", "lainnya", "other"),
        ("partisan", "bukan_asn", None),  # about who, not what the post says: no label
        ("political_neutral", "sebenarnya_berpihak", "partisan"),
    ],
)
def test_a_rejected_text_finding_is_labelled_by_its_reason(label, reason, expected):
    f = finding("text", label)
    assert training_label(f, "reject", reasons()[reason]) == expected


@pytest.mark.parametrize("label", TEXT_LABELS)
def test_a_confirmed_text_finding_keeps_its_label(label):
    assert training_label(finding("text", label), "confirm", None) == label


def test_photo_decisions_label_the_photo():
    banned = finding("gesture", "banned_pose")
    assert training_label(banned, "confirm", None) == "banned_pose"
    assert training_label(banned, "reject", reasons()["benda_di_tangan"]) == "no_gesture"
    missed = finding("gesture", "no_gesture")
    assert training_label(missed, "reject", reasons()["pose_terlarang_terlewat"]) == "banned_pose"


def test_a_finding_offers_only_reasons_that_contradict_it():
    neutral = {r.code for r in reasons_for(finding("text", "political_neutral"))}
    assert "berita_netral" not in neutral and "sebenarnya_berpihak" in neutral
    partisan = {r.code for r in reasons_for(finding("text", "partisan"))}
    assert {"berita_netral", "bukan_politik", "lainnya"} <= partisan
    assert "sebenarnya_berpihak" not in partisan and "benda_di_tangan" not in partisan
    photo = {r.code for r in reasons_for(finding("gesture", "banned_pose"))}
    assert "benda_di_tangan" in photo and "berita_netral" not in photo


def test_what_the_screener_did_not_judge_cannot_be_decided():
    assert decidable(finding("text", "partisan"))
    assert not decidable(finding("gesture", "error"))
    assert not decidable(finding("media", "not_screened"))
    assert not decidable(finding("ocr", "text_found"))
