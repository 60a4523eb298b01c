"""Typo correction that never turns a real word into another: words in an English dictionary or in the knowledge
stay as typed; only unknown words are corrected, to the nearest word the knowledge or its vocabulary uses."""
from __future__ import annotations

import re
from functools import lru_cache
from typing import Iterable

from rapidfuzz import fuzz, process
from spellchecker import SpellChecker

_WORD = re.compile(r"[A-Za-z]+")
# Contractions typed without their apostrophe: words in their own right, never to be "corrected" to another
_UNAPOSTROPHISED = frozenset("""didnt doesnt dont wont cant isnt wasnt hasnt havent hadnt shouldnt wouldnt couldnt
arent werent aint mustnt neednt theyre youre thats whats hes shes theres heres lets ive weve theyve youve
youll theyll shell itll wouldve shouldve couldve""".split())
# School words an English dictionary lacks ("food tech"), never to be read as another word ("teach")
_SCHOOL_WORDS = frozenset("tech pshe rshe rse ict senco sendco ehcp ehcps".split())
MIN_LENGTH = 4            # shorter words are too easily mistaken for others
CUTOFF = 80               # rapidfuzz ratio needed to read an unknown word as a known one
SHORT_CUTOFF = 86         # words of up to six letters need a closer match


@lru_cache(maxsize=1)
def _english() -> SpellChecker:
    """The English word list shipped with pyspellchecker (loaded once per process)."""
    return SpellChecker(language="en", distance=1)


COMMON_WORD = 20_000     # how often a word must appear in the dictionary's corpus to count as an everyday word


def everyday_word(word: str) -> bool:
    """True for a common English word of three letters or more ("send", "met"), as opposed to an acronym that only
    happens to be spelt like a rare word ("la", "pep", "lac")."""
    w = word.lower()
    return len(w) >= 3 and _english().word_frequency[w] >= COMMON_WORD


class Speller:
    """Corrects misspelt words towards the vocabulary the knowledge and its scenario patterns use."""

    def __init__(self, domain_words: Iterable[str]):
        self.domain = sorted({w.lower() for w in domain_words if len(w) >= MIN_LENGTH and w.isalpha()})
        self._domain = set(self.domain)
        self._english = _english()

    def is_word(self, word: str) -> bool:
        """True for a word the knowledge uses or an English dictionary knows (or a contraction typed without its
        apostrophe, "didnt", which the patterns read as it is)."""
        w = word.lower()
        return w in self._domain or w in self._english or w in _UNAPOSTROPHISED or w in _SCHOOL_WORDS

    @lru_cache(maxsize=4096)
    def correct_word(self, word: str) -> str:
        """The nearest knowledge word for a misspelt one, or the word unchanged."""
        w = word.lower()
        if len(w) < MIN_LENGTH or self.is_word(w):
            return word
        cutoff = CUTOFF if len(w) > 6 else SHORT_CUTOFF
        match = process.extractOne(w, self._near_in_length(len(w), cutoff), scorer=fuzz.ratio, score_cutoff=cutoff)
        return match[0] if match else word

    @lru_cache(maxsize=64)
    def _near_in_length(self, length: int, cutoff: float) -> list[str]:
        return near_in_length(self.domain, length, cutoff)

    def correct(self, text: str) -> str:
        """The text with each misspelt word replaced by its correction."""
        return _WORD.sub(lambda m: self.correct_word(m.group(0)), text)


def near_in_length(words: Iterable[str], length: int, cutoff: float | None) -> list[str]:
    """The words whose length lets them match a word this long: a rapidfuzz ratio of `cutoff` (their Indel distance is
    at least the difference in length), or one edit when `cutoff` is None. In their own order, so the first best match
    among them is the one all the words would give."""
    if cutoff is None:
        return [w for w in words if abs(len(w) - length) <= 1]
    return [w for w in words if 100 * (1 - abs(len(w) - length) / (len(w) + length)) >= cutoff]


def pattern_words(patterns: Iterable[str]) -> set[str]:
    """The literal words inside regular expressions, so the fact vocabulary can be a correction target."""
    words: set[str] = set()
    for p in patterns:
        words.update(w for w in re.findall(r"(?<![\\?])\b[a-z]{4,}\b", p))
    return words
