"""Text screening without the shared data: lexicon patterns, rules, bad input, explanations."""

from __future__ import annotations

import csv
import time
from pathlib import Path

import pytest
import yaml

from netral.election.schemas import ElectionIn
from netral.screening.lexicon import Lexicon, generic_number_matches
from netral.screening.text import MAX_CHARS, TextScreener, train

DEMO = (
    Path(__file__).resolve().parents[3]
    / "src/netral/election/data/demo-pilkada-kota-bandung-2024.yaml"
)


@pytest.fixture(scope="module")
def election() -> ElectionIn:
    return ElectionIn.model_validate(yaml.safe_load(DEMO.read_text()))


@pytest.fixture(scope="module")
def lexicon(election: ElectionIn) -> Lexicon:
    return Lexicon.from_elections([election])


@pytest.mark.parametrize(
    ("text", "number", "call"),
    [
        ("Ayo coblos no 3!", 3, True),
        ("pilih nomor 1 ya", 1, True),
        ("no. 02 pasti menang di pilkada", 2, False),
        ("nomor urut 2", 2, False),
        ("nomer 2 paslon terbaik", 2, False),
        ("paslon 2", 2, False),
        ("paslon nomor 02 hadir", 2, False),
        ("#Coblos2 bro", 2, True),
        ("salam dua jari", 2, True),
        ("salam 3 jari!", 3, True),
        ("dua jari!", 2, True),
        ("coblos tilu", 3, True),
        ("urang mah coblos opat", 4, True),
        ("nyoblos loro wae", 2, True),
        ("dukung paslon nomor urut 01", 1, True),
    ],
)
def test_ballot_number_patterns(lexicon: Lexicon, text: str, number: int, call: bool) -> None:
    hits = [m for m in lexicon.match(text) if m.kind == "number_call"]
    assert len(hits) == 1, hits
    assert hits[0].candidate == number
    assert hits[0].call is call


@pytest.mark.parametrize(
    "text",
    [
        "Persib nomor 2 di klasemen liga",
        "rapat di lantai 3 gedung sate",
        "no 2 HP saya ganti",
        "simpan di no 2 saja",
        "pilih satu menu saja",
        "lebar dua jari",
        "tinggal dua hari lagi",
        "kamar nomor 3 sudah dibersihkan",
        "Kang, punten",
        "Agus makan siang",
        "produk asli bandung",
    ],
)
def test_false_positive_traps(lexicon: Lexicon, text: str) -> None:
    assert lexicon.match(text) == []


def test_generic_patterns_need_no_election() -> None:
    hits = generic_number_matches("Ayo coblos no 3!")
    assert [(h.term, h.candidate) for h in hits] == [("coblos no 3", None)]


@pytest.mark.parametrize(
    ("text", "kind", "number"),
    [
        ("Kang Yudi mantap", "nickname", 3),
        ("yudi permana hebat", "name", 3),
        ("Pak Wiratmaja datang", "name", 1),
        ("ASLI Urang Bandung!", "slogan", 4),
        ("#YuRiJuara", "hashtag", 3),
        ("follow @aryanur.bdg", "account", 1),
        ("Partai Gerak Maju menang", "party", 3),
        ("HeDe untuk Bandung", "nickname", 2),
        ("Dua   Hati Satu Bandung", "slogan", 2),
    ],
)
def test_candidate_terms(lexicon: Lexicon, text: str, kind: str, number: int) -> None:
    hits = lexicon.match(text)
    assert [(h.kind, h.candidate) for h in hits] == [(kind, number)]


def test_empty_lexicon_matches_only_generic() -> None:
    lex = Lexicon.from_elections([])
    assert lex.match("Kang Yudi mantap") == []
    assert lex.match("coblos no 3")[0].kind == "number_call"


# --------------------------------------------------------------------------- screener


@pytest.fixture(scope="module")
def rules(election: ElectionIn) -> TextScreener:
    return TextScreener(None, elections=[election])


TOY = [
    ("Ayo dukung {n}, pasti menang!", "partisan"),
    ("{n} pemimpin terbaik, lanjutkan dua periode", "partisan"),
    ("jangan pilih {n}, pembohong dan gagal", "partisan"),
    ("#GantiPresiden {n} harus mundur", "partisan"),
    ("{n} hebat, kami relawan siap menangkan", "partisan"),
    ("KPU umumkan jadwal kampanye dan debat pemilu", "political_neutral"),
    ("Bawaslu ingatkan netralitas ASN jelang pilkada", "political_neutral"),
    ("Jangan golput, datang ke TPS pada hari pemungutan suara", "political_neutral"),
    ("Sosialisasi tahapan pemilu oleh KPU kabupaten", "political_neutral"),
    ("rekapitulasi suara di tingkat kecamatan berjalan aman dan kondusif", "political_neutral"),
    ("harga cabai naik lagi di pasar minggu ini", "other"),
    ("makan siang bareng teman kantor, enak banget", "other"),
    ("cuaca hari ini cerah, cocok untuk jalan pagi", "other"),
    ("film baru itu seru, wajib nonton", "other"),
    ("resep nasi goreng kampung yang gampang", "other"),
]
NAMES = ["Budiono", "Sutrisno", "Rahmawan", "Hartawan", "Wijoyo", "Pranoto", "Sulaiman"]


@pytest.fixture(scope="module")
def model_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A tiny synthetic corpus (three 'sources') so the unit tests exercise the model path."""
    path = tmp_path_factory.mktemp("text") / "toy.csv"
    with open(path, "w", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["text", "label", "source", "original_label"])
        for k in range(6):
            for i, (tpl, label) in enumerate(TOY):
                name = f"Pak {NAMES[(i + k) % len(NAMES)]}"
                w.writerow([tpl.format(n=name) + f" {k}", label, f"src{k % 3}", ""])
    out = path.parent / "text.joblib"
    metrics = train(path, out)
    assert metrics.posts == 90 and 0 < metrics.threshold < 1
    return out


@pytest.fixture(scope="module")
def screener(model_path: Path, election: ElectionIn) -> TextScreener:
    return TextScreener(model_path, elections=[election])


@pytest.mark.parametrize("which", ["rules", "screener"])
def test_bad_input_never_crashes(request: pytest.FixtureRequest, which: str) -> None:
    s: TextScreener = request.getfixturevalue(which)
    empty = s.classify("   ")
    assert (empty.label, empty.why) == ("other", ["teks kosong"])
    for text in (
        "The weather is nice today and we are going to the beach with the kids",
        "الانتخابات القادمة في المدينة مهمة جدا للجميع",
        "😀😀🎉🎉🔥🔥",
        "\x00\x01\x02",
    ):
        res = s.classify(text)
        assert res.label == "other" and res.score <= 0.5, (text, res)
    long = "coblos no 3 " + "kata biasa " * 10_000  # 110,000 characters
    t0 = time.perf_counter()
    res = s.classify(long)
    assert time.perf_counter() - t0 < 1.0
    assert res.label == "partisan"
    assert any(str(MAX_CHARS) in w for w in res.why)


def test_rules_only(rules: TextScreener) -> None:
    res = rules.classify("Ayo coblos no 3!")
    assert res.label == "partisan"
    assert "ajakan nomor urut: 'coblos no 3' (paslon 3)" in res.why
    assert rules.classify("#YuRiJuara bareng warga").label == "partisan"
    assert rules.classify("Kang Yudi hadir di acara warga").label == "political_neutral"
    assert rules.classify("KPU umumkan jadwal debat").label == "political_neutral"
    assert rules.classify("harga cabai naik").label == "other"
    assert rules.model == "netral-text rules-only"


def test_model_and_lexicon_explain(screener: TextScreener) -> None:
    res = screener.classify("Ayo dukung Yudi Permana, pasti menang!")
    assert res.label == "partisan", res
    assert "nama calon: 'Yudi Permana' (paslon 3)" in res.why
    assert any(w.startswith("ciri teratas untuk 'partisan'") for w in res.why)
    assert 0 <= res.score <= 1 and set(res.probabilities) == {
        "partisan",
        "political_neutral",
        "other",
    }
    neutral = screener.classify("Bawaslu ingatkan netralitas ASN jelang pilkada")
    assert neutral.label == "political_neutral"
    assert screener.classify("harga cabai naik lagi di pasar").label == "other"


def test_finding(screener: TextScreener) -> None:
    f = screener.finding("salam tilu jari, coblos no 3!")
    assert (f.kind, f.label) == ("text", "partisan")
    assert f.model.startswith("netral-text-") and f.ms >= 0
    assert f.data["matches"][0]["kind"] == "number_call"
    assert screener.metadata["threshold"] == screener.threshold


def test_classify_many_equals_classify(screener: TextScreener) -> None:
    texts = [t.format(n="Kang Hendra") for t, _ in TOY] + ["", "😀", "coblos no 2"]
    many = screener.classify_many(texts)
    assert many == [screener.classify(t) for t in texts]


def test_wrong_model_version(tmp_path: Path) -> None:
    import joblib

    bad = tmp_path / "old.joblib"
    joblib.dump({"version": "text-0"}, bad)
    with pytest.raises(ValueError, match="retrain"):
        TextScreener(bad)


def _toy_sources(path: Path, *, one_decision: bool) -> Path:
    """Tweets of every label, news without partisan posts, and maybe one staff decision."""
    with open(path, "w", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["text", "label", "source"])
        for k in range(8):
            for i, (tpl, label) in enumerate(TOY):
                name = NAMES[(i + k) % len(NAMES)]
                w.writerow([tpl.format(n=f"Pak {name}") + f" {k}", label, "tweets"])
                if label != "partisan":
                    w.writerow([tpl.format(n=f"Bu {name}") + f" berita {k}", label, "news"])
        if one_decision:
            w.writerow(["Pak Budiono pasti menang, dukung terus!", "partisan", "staff-decisions"])
    return path


def test_one_post_of_a_label_elsewhere_does_not_calibrate_a_group(tmp_path: Path) -> None:
    """Held-out scoring of the tweets needs several partisan posts outside them: one staff
    decision is not enough, so they stay cross-fitted and the threshold does not move."""
    without = train(_toy_sources(tmp_path / "a.csv", one_decision=False), tmp_path / "a.joblib")
    with_one = train(_toy_sources(tmp_path / "b.csv", one_decision=True), tmp_path / "b.joblib")
    assert "in-source (120 posts)" in without.calibration
    assert "in-source (120 posts)" in with_one.calibration, with_one.calibration
    assert "out-of-election (81 posts)" in with_one.calibration
    assert with_one.threshold == without.threshold


def test_no_word_about_politics_is_other_whatever_the_model_says(screener: TextScreener) -> None:
    res = screener.classify("dasar bodoh, kamu pembohong dan gagal total")
    assert res.label == "other", res
    assert "tidak ada kata tentang pemilu, politik, calon atau partai" in res.why
    # a loaded candidate or a political word keeps the post political
    assert screener.classify("Kang Yudi pembohong dan gagal total").label != "other"
    assert screener.classify("partai itu pembohong dan gagal total").label != "other"


def test_an_extra_corpus_trains_but_is_never_judged_nor_calibrates(tmp_path: Path) -> None:
    """A training-only corpus (blog articles, `TRAIN_ONLY_SOURCES`) joins the training rows, but
    neither calibrates the model nor appears among the judged groups."""
    from netral.screening.text import TRAIN_ONLY_SOURCES, evaluate_by_source

    source = sorted(TRAIN_ONLY_SOURCES)[0]
    posts = _toy_sources(tmp_path / "posts.csv", one_decision=False)
    extra = tmp_path / f"{source}.csv"
    with open(extra, "w", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["text", "label", "source", "original_label"])
        for k in range(12):
            w.writerow([f"Artikel {k}: Pak Budiono layak memimpin, dukung dia", "partisan", source])
    without = train(posts, tmp_path / "a.joblib")
    with_extra = train(posts, tmp_path / "b.joblib", extra=[extra])
    assert source in with_extra.sources
    assert with_extra.posts == without.posts + 12
    assert with_extra.per_label["partisan"] == without.per_label["partisan"] + 12
    assert with_extra.calibration_posts == without.calibration_posts

    # the tweets held out leave news and articles: no partisan *post* to calibrate on, so that
    # fold stays unjudged as it is without the articles; the articles themselves are never judged
    plain, judged = evaluate_by_source(posts), evaluate_by_source(posts, extra=[extra])
    assert source not in judged.per_source
    assert {g: s.posts for g, s in judged.per_source.items()} == {
        g: s.posts for g, s in plain.per_source.items()
    }
