"""The text model shipped in the package: it loads in a fresh data dir, it transfers to an election
it never saw through the election file's role tokens, and it leaves neutral ASN news alone."""

from __future__ import annotations

import csv
import re
from pathlib import Path

import joblib
import pytest

from netral.election.schemas import ElectionIn
from netral.election.service import DEMO_ELECTION, read_election_file
from netral.rules import load_rulebook
from netral.screening.pipeline import Screeners
from netral.screening.text import SHIPPED_MODEL_DIR, TextScreener, train

DATA = Path(__file__).resolve().parents[2] / "data"
MADE_UP = DATA / "pilkada-rekaan-transfer.yaml"

ASN_NEUTRALITY_NEWS = [
    "Bawaslu ingatkan ASN jaga netralitas selama pilkada",
    "Pemkab gelar apel netralitas ASN jelang Pilkada 2024",
    "ASN yang terbukti tidak netral akan dikenai sanksi disiplin",
    "KASN terima 120 laporan dugaan pelanggaran netralitas ASN",
    "Sekda imbau ASN tidak ikut kampanye dan tidak memberi like pada unggahan calon",
    "ASN dilarang berfoto dengan calon kepala daerah sambil berpose jari",
    "Surat edaran bersama soal netralitas ASN, TNI dan Polri dalam pemilu diteken",
    "Bupati minta camat dan lurah menjaga netralitas ASN di masa kampanye",
    "Netralitas ASN dalam Pilkada diawasi Bawaslu hingga tingkat desa",
    "Sosialisasi netralitas ASN digelar di aula kantor wali kota",
]


@pytest.fixture(scope="module")
def made_up() -> ElectionIn:
    return read_election_file(MADE_UP)


@pytest.fixture(scope="module")
def shipped(made_up: ElectionIn) -> TextScreener:
    return TextScreener.shipped(elections=[made_up])


def test_the_model_ships_with_the_package_and_says_what_it_is() -> None:
    s = TextScreener.shipped()
    assert s.model.startswith("netral-text-") and "shipped" in s.model
    meta = s.metadata
    # licences: the unlicensed 2024 tweets may evaluate it, never train it; NC-SA carries over
    assert "rizano26_pemilu2024" not in meta["metrics"]["sources"]
    assert "NC-SA" in meta["licence"]
    assert (SHIPPED_MODEL_DIR / "MODEL_CARD.md").is_file()
    size = sum(p.stat().st_size for p in SHIPPED_MODEL_DIR.glob("text-model.*"))
    assert size < 5_000_000


def test_a_fresh_data_dir_screens_with_the_shipped_model(tmp_path: Path) -> None:
    screeners = Screeners(rulebook=load_rulebook(), models_dir=tmp_path / "models")
    s = screeners.text([])
    assert "shipped" in s.model
    assert s.classify("harga cabai naik lagi").model == s.model


def test_an_unloadable_own_model_falls_back_to_the_shipped_one(tmp_path: Path) -> None:
    (tmp_path / "text.joblib").parent.mkdir(exist_ok=True)
    joblib.dump({"version": "text-0"}, tmp_path / "text.joblib")
    s = Screeners(rulebook=load_rulebook(), models_dir=tmp_path).text([])
    assert "shipped" in s.model


def test_the_operators_own_model_comes_first(tmp_path: Path) -> None:
    path = tmp_path / "posts.csv"
    with path.open("w", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["text", "label", "source"])
        for k in range(12):
            w.writerow([f"ayo dukung Pak Harun {k}, pasti menang", "partisan", f"s{k % 3}"])
            w.writerow([f"KPU umumkan jadwal debat ke-{k}", "political_neutral", f"s{k % 3}"])
            w.writerow([f"harga cabai naik {k} persen", "other", f"s{k % 3}"])
    train(path, tmp_path / "models" / "text.joblib")
    s = Screeners(rulebook=load_rulebook(), models_dir=tmp_path / "models").text([])
    assert "operator" in s.model


def test_portable_model_predicts_as_the_trained_one(tmp_path: Path) -> None:
    path = tmp_path / "posts.csv"
    with path.open("w", newline="") as fh:
        w = csv.writer(fh)
        w.writerow(["text", "label", "source"])
        for k in range(12):
            w.writerow([f"coblos Bu Sekar {k}, pasti menang", "partisan", f"s{k % 3}"])
            w.writerow([f"Bawaslu awasi tahapan pemilu {k}", "political_neutral", f"s{k % 3}"])
            w.writerow([f"resep sambal terasi {k}", "other", f"s{k % 3}"])
    train(path, tmp_path / "a.joblib")
    train(path, tmp_path / "portable", portable=True)
    a, b = TextScreener(tmp_path / "a.joblib"), TextScreener(tmp_path / "portable")
    texts = ["dukung Bu Sekar!", "jadwal pemilu", "sambal enak", ""]
    assert [r.label for r in a.classify_many(texts)] == [r.label for r in b.classify_many(texts)]
    assert [r.score for r in a.classify_many(texts)] == pytest.approx(
        [r.score for r in b.classify_many(texts)], abs=1e-4
    )


@pytest.mark.parametrize(
    "text",
    [
        "Dukung terus Bu Laras, pasti menang!",
        "Pak Tanto pemimpin terbaik, lanjutkan!",
        "Ayo menangkan Sutanto Mangkubumi satu putaran",
    ],
)
def test_role_tokens_carry_what_was_learned_to_a_new_election(
    shipped: TextScreener, text: str
) -> None:
    res = shipped.classify(text)
    assert res.label == "partisan", res
    assert any("nama" in w and "paslon" in w for w in res.why), res.why


def test_without_the_election_file_the_names_mean_nothing() -> None:
    res = TextScreener.shipped().classify("Dukung terus Bu Laras, pasti menang!")
    assert not any("paslon" in w for w in res.why), res.why


@pytest.mark.parametrize(
    "text",
    [
        "Bu Laras meresmikan jembatan baru bersama warga",
        "KPU menetapkan Sutanto Mangkubumi sebagai calon bupati",
    ],
)
def test_naming_a_candidate_is_not_taking_a_side(shipped: TextScreener, text: str) -> None:
    assert shipped.classify(text).label == "political_neutral"


def test_several_elections_at_once(made_up: ElectionIn) -> None:
    demo = read_election_file(DEMO_ELECTION)
    s = TextScreener.shipped(elections=[made_up, demo])
    a = s.classify("Salam dua jari, Pak Tanto pasti menang")
    b = s.classify("Dukung terus Kang Hendra dan Ceu Dewi #HeDe2024")
    assert a.label == b.label == "partisan"
    assert any("Pak Tanto" in w for w in a.why) and any("#HeDe2024" in w for w in b.why)


@pytest.mark.parametrize("with_election", [False, True])
def test_neutral_asn_news_is_never_partisan(made_up: ElectionIn, with_election: bool) -> None:
    s = TextScreener.shipped(elections=[made_up] if with_election else [])
    got = {t: s.classify(t).label for t in ASN_NEUTRALITY_NEWS}
    assert "partisan" not in got.values(), got


@pytest.mark.parametrize(
    "text",
    [
        "Ayo coblos nomor 2, pasti menang!",
        "Dukung terus Pak Wali, lanjutkan dua periode #BandungJuara",
        "KPU Kota Bandung mengumumkan jadwal rekapitulasi suara di kecamatan.",
        "Mantap acaranya tadi, makanannya enak sekali",
    ],
)
def test_the_why_has_no_machine_placeholders(shipped: TextScreener, text: str) -> None:
    """Staff read the explanation: the model's stand-ins for names and numbers appear in words
    ("[nama calon]"), never as `xcalonx`, and no letter group cut out of one is shown."""
    why = " ".join(shipped.classify(text).why)
    assert not re.search(r"x[a-z]+x", why), why
    assert not re.search(r"huruf '[^']*x[^']*'", why), why
