"""A finding's stored explanation is shown in the page's language, quoted text untouched."""

from __future__ import annotations

from netral.screening.why import why_text


def test_ocr_steps_read_in_indonesian():
    assert why_text("grayscale", "id") == "skala abu-abu"
    assert why_text("dark mode inverted (background luminance 30)", "id") == (
        "mode gelap dibalik (luminans latar 30)"
    )


def test_indonesian_explanations_read_in_english_and_quotes_stay():
    line = "ajakan nomor urut: 'COBLOS NO. 3 kata' (paslon 3)"
    assert (
        why_text(line, "en")
        == "call to vote by ballot number: 'COBLOS NO. 3 kata' (candidate pair 3)"
    )
    assert (
        why_text("5 kata terbaca, keyakinan rata-rata 85%", "en")
        == "5 words read, mean confidence 85%"
    )
    assert why_text("tidak ada tangan terdeteksi di foto", "en") == "no hand detected in the photo"


def test_unknown_lines_are_shown_as_stored():
    assert why_text("sesuatu yang baru", "en") == "sesuatu yang baru"
    assert why_text("uraian laporan", "id") == "uraian laporan"


def test_the_text_models_class_is_named_in_words_not_by_its_code():
    line = "ciri teratas untuk 'political_neutral': kata 'komentar', kata 'lurah'"
    assert (
        why_text(line, "id") == "ciri teratas untuk politik netral: kata 'komentar', kata 'lurah'"
    )
    assert why_text(line, "en").startswith("top features for political, neutral: word 'komentar'")
    assert "political_neutral" not in why_text(line, "en")
