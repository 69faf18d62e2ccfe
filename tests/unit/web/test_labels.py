"""Codes shown through their names, in both languages; numbers in each language's format."""

from __future__ import annotations

import pytest

from netral.cases import timeline
from netral.cases.workflow import workflow
from netral.core.models import User
from netral.core.security import check_permission
from netral.web.i18n import current_language
from netral.web.labels import label
from netral.web.templating import fmt_decimal, fmt_int, fmt_percent


@pytest.fixture
def english():
    token = current_language.set("en")
    yield
    current_language.reset(token)


def test_codes_are_named_from_roles_rulebook_and_labels_yaml():
    assert label("bawaslu_commissioner", "role") == "Komisioner Bawaslu"
    assert label("bawaslu_assessment", "deadline", "en") == "Bawaslu acts on a report (Pilkada)"
    assert label("demotion_12m", "penalty").startswith("Penurunan jabatan")
    assert label("berat", "level", "en") != "berat"
    assert label("di_kantor", "check") == "dilengkapi di kantor Bawaslu"
    assert label("SKB-04", "violation") != "SKB-04"
    assert label("no_such_code", "role") == "no_such_code"
    assert label(None, "role") == "–"


def test_a_timeline_entry_reads_as_labelled_lines_in_words():
    fields = {
        "sk_number": "800/1",
        "sk_date": "2024-11-20",
        "ethics": None,
        "level": "berat",
        "penalty": "demotion_12m",
        "examination_report": 7,
        "clock": {
            "step": "ppk_follow_up",
            "due": "2024-11-13",
            "closed_on": "2024-11-20",
            "kind": "working",
            "extended": False,
            "closed_by": "SanctionDecided",
        },
    }
    lines = timeline.lines(workflow(), fields, "id")
    text = " ".join(f"{ln.label}: {ln.text}" for ln in lines)
    assert "Tanggal SK: 20 November 2024" in text
    assert "Jenis hukuman: Penurunan jabatan" in text
    assert "terlambat 7 hari" in text
    for code in ("demotion_12m", "ppk_follow_up", "sk_date", "None", "{", "2024-11-20"):
        assert code not in text
    assert [ln.href for ln in lines if ln.href] == ["/kasus/dokumen/7"]


def test_a_timeline_entry_in_english(english):
    lines = timeline.lines(
        workflow(), {"decision_date": "2024-10-16", "proven_acts": ["SKB-04"]}, "en"
    )
    assert lines[0] == timeline.Line("Decision date", "16 October 2024")
    assert lines[1].label == "Acts proven" and "SKB-04" not in lines[1].text


def test_a_refusal_names_who_may_do_it_in_words():
    from netral.core.errors import NetralError

    with pytest.raises(NetralError) as refused:
        check_permission(User(username="x", role="asn"), "reports.read")
    text_id, text_en = refused.value.message("id"), refused.value.message("en")
    assert text_id.startswith("Hanya Staf Bawaslu atau Komisioner Bawaslu yang berwenang melihat")
    assert "ASN" in text_id and "reports.read" not in text_id and "asn" not in text_id
    assert text_en.startswith("Only Bawaslu staff or Bawaslu commissioner may view")


def test_numbers_in_each_language():
    assert fmt_percent(82.94) == "82,9%" and fmt_percent(50.0) == "50%"
    assert fmt_int(1234) == "1.234" and fmt_decimal(1234.5) == "1.234,5"


def test_numbers_in_english(english):
    assert fmt_percent(82.94) == "82.9%" and fmt_int(1234) == "1,234"
    assert fmt_decimal(1234.5) == "1,234.5"


def test_a_refused_case_step_names_roles_and_steps_in_words():
    from netral.core.errors import NetralError

    wf = workflow()
    with pytest.raises(NetralError) as role_refusal:
        wf.check("diterima", "registrasi", "ppk")
    text = role_refusal.value.message("id")
    assert "Staf Bawaslu" in text and "bawaslu_staff" not in text and "(PPK" in text
    with pytest.raises(NetralError) as state_refusal:
        wf.check("diterima", "putusan_ppk", "ppk")
    text = state_refusal.value.message("en")
    assert "Record the PPK decision (sanction)" in text and "putusan_ppk" not in text
    assert "Register (formal requirements met)" in text and "tolak_registrasi" not in text
