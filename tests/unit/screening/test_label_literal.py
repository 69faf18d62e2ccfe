"""Every screening label the API may answer with has a name on the pages, and no name is spare."""

from typing import get_args

from netral.screening.schemas import ScreeningLabel
from netral.screening.service import LABELS, NOTABLE
from netral.screening.text import LABELS as TEXT_LABELS


def test_the_label_literal_and_the_label_names_agree():
    assert set(get_args(ScreeningLabel)) == set(LABELS)
    assert NOTABLE.issubset(LABELS)


def test_the_text_models_labels_are_screening_labels():
    assert set(TEXT_LABELS) <= set(get_args(ScreeningLabel))
