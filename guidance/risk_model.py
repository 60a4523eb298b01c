"""A learned second opinion on risk: naive Bayes word weights, trained on messages that describe a child at risk and
on ordinary practitioners' questions, so that a disclosure told in words no pattern has seen can still be escalated.
The weights live in guidance/risk_model.json, written by tests/train_risk_model.py (`make model`)."""
from __future__ import annotations

import json
import math
import re
from collections import Counter
from functools import lru_cache
from pathlib import Path

from .text import STOP_WORDS, stem

MODEL_PATH = Path(__file__).with_name("risk_model.json")
SMOOTHING = 1.0        # Laplace smoothing of word counts
MIN_COUNT = 2          # a feature seen fewer times than this in training is not kept
MIN_WORDS = 10         # a message shorter than this has too few words for the learned weights to judge
AT_RISK = 3.0          # the learned score from which a message reads as describing a child at risk
# words left out of pairs: too common to join two words into a feature
_PAIR_STOP = frozenset("the a an and or of to in on at for is was it this that he she they his her their i we you my our "
                       "be been with as by from are have has had do does did".split())
# words that only tell a story ("mum said last night"), never on their own a sign of harm (still part of pairs)
_NARRATIVE = frozenset("mum dad mummy daddy parent parents night say says said tell told phoned rang messaged called "
                       "emailed".split())
_WORD = re.compile(r"[a-z]+")
_NAME = re.compile(r"(?<=[a-z0-9,;)] )[A-Z][a-z]+")


def features(text: str) -> set[str]:
    """The message's telling words (stemmed) and pairs of neighbouring words, which keep "no food" apart from "food"
    and "dad hits" apart from "dad"."""
    # names and places written with a capital ("Basingstoke", "Mia") say nothing about harm; a sentence's first word
    # is kept
    named = _NAME.sub(" ", text.replace("’", "'"))
    words = _WORD.findall(named.lower().replace("'", ""))
    single = {stem(w) for w in words if w not in STOP_WORDS and w not in _NARRATIVE}
    paired = [stem(w) for w in words if w not in _PAIR_STOP]
    return single | {f"{a}_{b}" for a, b in zip(paired, paired[1:])}


def train(risk: list[str], safe: list[str]) -> dict[str, float]:
    """Each feature's log ratio of how often it appears in risk messages against safe ones (rounded, so the saved
    model is the same on every machine)."""
    at_risk = Counter(f for text in risk for f in features(text))
    ordinary = Counter(f for text in safe for f in features(text))
    weights = {}
    for f in sorted(set(at_risk) | set(ordinary)):
        if at_risk[f] + ordinary[f] < MIN_COUNT:
            continue
        weights[f] = round(math.log((at_risk[f] + SMOOTHING) / (len(risk) + 2 * SMOOTHING))
                           - math.log((ordinary[f] + SMOOTHING) / (len(safe) + 2 * SMOOTHING)), 3)
    return weights


def score(text: str, weights: dict[str, float]) -> float:
    """How strongly the words lean towards a child at risk: the weights' sum, scaled by the square root of the number
    of features so that a long message is judged by what it says, not by its length."""
    found = features(text)
    return sum(weights.get(f, 0.0) for f in found) / math.sqrt(len(found) + 1)


@lru_cache(maxsize=1)
def _weights() -> dict[str, float]:
    """The saved weights (none when the model has not been trained: the patterns then decide alone)."""
    if not MODEL_PATH.exists():
        return {}
    return json.loads(MODEL_PATH.read_text())["weights"]


def learned_risk(text: str) -> bool:
    """True when the learned weights read the message as describing a child at risk (a message too short to judge by
    its words, such as "what if he doesn't turn up?", is left to the patterns)."""
    weights = _weights()
    return bool(weights) and len(text.split()) >= MIN_WORDS and score(text, weights) >= AT_RISK
