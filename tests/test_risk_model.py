"""The learned risk weights: saved from the current examples, and a second opinion that reads situations, not words."""
from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

from guidance.risk_model import MODEL_PATH, features, learned_risk, score, train
from guidance.text import stem

sys.path.insert(0, str(Path(__file__).parent))
from train_risk_model import trained  # noqa: E402


def test_saved_model_is_trained_from_the_current_examples():
    """Adding an example without `make model` leaves the saved weights stale: retrain and commit them."""
    assert json.loads(MODEL_PATH.read_text()) == trained()


def test_pairs_of_words_are_features():
    assert {"food", "no_food"} <= features("there is no food at home")


def test_training_weighs_words_of_risk_above_ordinary_words():
    weights = train(["he is scared to go home", "scared of her stepdad"] * 2, ["what code for a dentist visit"] * 4)
    assert weights[stem("scared")] > 0 > weights[stem("code")]
    assert score("so scared", weights) > score("which code", weights)


@pytest.mark.parametrize("text", [
    "little one in reception keeps saying there's no tea at home and mummy is always asleep, she's started taking "
    "food from the bins at lunch",
    "yr10 boy has been going off to bournemouth on the train during school, comes back with money and a new phone and "
    "says he can't stop now or someone will hurt his mum",
])
def test_situations_in_new_words_read_as_risk(text):
    assert learned_risk(text)


@pytest.mark.parametrize("text", [
    "y9 boy had an orthodontist appointment this morning and came in at 10.40, register closed at 9.10",
    "what should our training on spotting exploitation cover for lunchtime staff",
    "can we refer a young carer in Eastleigh who looks after her mum",
    "how many days off is 90% attendance over the year",
])
def test_ordinary_questions_do_not_read_as_risk(text):
    assert not learned_risk(text)
