"""Fuzzy retrieval over titles and phrasings: typo correction, synonyms, acronyms and two confidence thresholds."""
from __future__ import annotations

import math
import re
from collections import defaultdict
from dataclasses import dataclass
from itertools import chain
from operator import itemgetter

import numpy
from rapidfuzz import fuzz, process, utils
from rapidfuzz.distance import OSA, Levenshtein

from .codes import without_year_groups
from .models import Knowledge
from .spelling import everyday_word, near_in_length
from .text import STOP_WORDS, Normaliser, for_lower_case, stem

ANSWER_WEIGHT = 0.6       # a query word found only in an answer counts for less than one in a title or phrasing
UNKNOWN_WEIGHT = 1.0      # share of the highest idf given to words the knowledge never uses
UNKNOWN_FULL = 3         # with more of the knowledge's words than this, unknown words weigh proportionally less
NUMBER_WEIGHT = 0.3        # share of its weight a number in the question keeps
KEYWORD_WEIGHT = 1.6      # a query word that is one of an entry's keywords counts for more
COVERAGE_SHARE = 0.6      # final score = share * coverage + (1 - share) * best phrasing similarity
EXACT_BONUS = 0.05        # breaks ties in favour of an entry whose own phrasing the question repeats
FUZZY_POOL = 30           # how many entries, ranked by coverage, get the (costlier) phrasing comparison
RARE_ACRONYM_DOCS = 2     # an acronym in no more entries than this (its glossary term) reaches entries by its expansion
TYPO_CUTOFF = 84          # rapidfuzz ratio needed to read an unknown word as a known one
CORRECTION_CACHE = 20_000  # words remembered with their correction
SHORT_TYPO_CUTOFF = 90    # short words need a closer match (so "spain" is not read as "span")


TOKEN_CACHE = 64          # questions whose tokens are remembered (several skills read the same question)
STRONG_REPEAT = 2        # in the BM25 ranking, titles and phrasings count twice as much as answer text
BM25_K1, BM25_B = 1.5, 0.75


class _BM25:
    """Okapi BM25 over sparse postings, so ranking cost grows with the query's words, not the knowledge's size."""

    def __init__(self, docs: dict[str, list[str]]):
        postings: dict[str, dict[str, int]] = defaultdict(dict)
        length = {doc_id: len(toks) for doc_id, toks in docs.items()}
        average = (sum(length.values()) / len(length)) if length else 1.0
        for doc_id, toks in docs.items():
            for tok in toks:
                postings[tok][doc_id] = postings[tok].get(doc_id, 0) + 1
        n = len(docs)
        idf = {t: math.log((n - len(p) + 0.5) / (len(p) + 0.5)) for t, p in postings.items()}
        floor = 0.25 * (sum(idf.values()) / len(idf)) if idf else 0.0
        idf = {t: (v if v > 0 else floor) for t, v in idf.items()}
        # each word's contribution to each document's score is fixed, so it is worked out once here
        self.contributions: dict[str, tuple[tuple[str, float], ...]] = {
            tok: tuple((doc_id, idf[tok] * tf * (BM25_K1 + 1)
                        / (tf + BM25_K1 * (1 - BM25_B + BM25_B * length[doc_id] / average)))
                       for doc_id, tf in posting.items())
            for tok, posting in postings.items()}

    def rank(self, tokens: list[str], limit: int = 5) -> list[tuple[str, float]]:
        """The best documents for the query tokens with their BM25 scores, best first."""
        scores: dict[str, float] = defaultdict(float)
        for tok in tokens:
            for doc_id, contribution in self.contributions.get(tok, ()):
                scores[doc_id] += contribution
        return sorted(scores.items(), key=itemgetter(1), reverse=True)[:limit]   # (as heapq.nlargest, faster)


@dataclass(frozen=True)
class Match:
    """A candidate answer: the entry or tree id and its score from 0 to 1."""

    id: str
    score: float
    coverage: float
    similarity: float


# "last yr", "yrs ago": lower-case "yr" is "year" shortened; only "YR" in capitals is Year R (Reception)
_YEAR_SHORT = re.compile(r"\byrs?\b")
# An aside in brackets ("mum of a Y9 (lovely kid, horse mad) is pushing for ..."), read past when finding a situation
_ASIDE = re.compile(r"\s*\([^()]{0,160}\)")

PLACE_GROUP = 3   # entries alike but for their place (local projects), at least this many, name places


def _place_stems(knowledge: Knowledge, normaliser, is_word, title_stems: dict[str, frozenset[str]]) -> frozenset[str]:
    """The places local entries are told apart by ("Fareham" among ten local projects), and the towns their answers
    name that no other of them does ("Rushmoor includes Farnborough"): names even when typed in lower case ("near
    basingstoke"), unless they are also everyday words ("hart", "new forest")."""
    found: set[str] = set()
    for eid, like in knowledge.like_entries.items():
        entry = knowledge.entries[eid]
        if len(like) < PLACE_GROUP or entry.kind == "glossary":
            continue
        others = set().union(*(title_stems[o] for o in like))
        found.update(stem(w) for w in normaliser.words(entry.title)
                     if w.isalpha() and not is_word(w) and stem(w) in title_stems[eid] - others)
        told_elsewhere = set().union(*(normaliser.words(f"{knowledge.entries[o].title} {knowledge.entries[o].answer}",
                                                        limit=None) for o in like))
        found.update(stem(w) for w in set(normaliser.words(entry.answer, limit=None)) - told_elsewhere
                     if len(w) > 3 and w.isalpha() and not is_word(w)
                     and re.search(rf"\b{re.escape(w.capitalize())}\b", entry.answer))
    return frozenset(found)


class Index:
    """An inverted index of content tokens plus the phrasings of every entry and tree."""

    def __init__(self, knowledge: Knowledge, is_word=None):
        self._corrected: dict[str, str] = {}
        self.is_word = is_word or (lambda word: False)   # a real English word is never "corrected" to another
        self._token_cache: dict[str, tuple[list[str], list[str]]] = {}
        self.normaliser = Normaliser(knowledge.synonyms)
        # each concept's topic words, and its patterns as one, matched against the lower-cased message
        self.concepts = [(self.normaliser.words(words),
                          for_lower_case(re.compile("|".join(f"(?:{p})" for p in patterns), re.IGNORECASE)))
                         for words, patterns in knowledge.concepts]
        self.expansions: dict[str, list[str]] = {}
        for term, entry_id in knowledge.glossary_terms.items():
            entry = knowledge.entries.get(entry_id)
            if entry and ":" in entry.title:
                expansion = entry.title.split(":", 1)[1]
                self.expansions[term] = [t for t in self.normaliser.tokens(expansion)]
        # the acronym a query token stands for (tokens are stemmed: "kcsie" is asked as "kcsi")
        self.acronym_of_token = {stem(term): term for term in self.expansions}
        self.phrasings: dict[str, list[str]] = defaultdict(list)
        self.exact: dict[str, set[str]] = defaultdict(set)  # normalised phrasing -> ids that claim it
        self.asked_exactly: dict[str, set[str]] = defaultdict(set)  # ... of those, the titles and questions
        self.postings: dict[str, dict[str, float]] = defaultdict(dict)
        vocabulary: set[str] = set()
        docs: list[tuple[str, list[str], str, tuple[str, ...]]] = []
        for e in knowledge.entries.values():
            docs.append((e.id, [e.title, *e.questions, *e.keywords], e.answer, e.keywords))
        for t in knowledge.trees.values():
            docs.append((t.id, [t.title, *t.questions], "", ()))
        # words of titles: what the knowledge is about (a place, a programme), as opposed to how people ask
        self.title_stems = {doc_id: frozenset(stem(w) for w in self.normaliser.words(texts[0]) if w not in STOP_WORDS)
                            for doc_id, texts, _, _ in docs}
        self.title_words = set().union(*self.title_stems.values())
        self.place_stems = _place_stems(knowledge, self.normaliser, self.is_word, self.title_stems)
        for doc_id, strong_texts, weak_text, keywords in docs:
            strong: set[str] = set()
            for text in strong_texts:
                words = self.normaliser.words(text)
                vocabulary.update(w for w in words if len(w) >= 4 and w.isalpha())
                toks = [stem(w) for w in words if w not in STOP_WORDS]
                strong.update(toks)
                if toks:
                    self.phrasings[doc_id].append(" ".join(toks))
                    self.exact[" ".join(toks)].add(doc_id)
                    if text not in keywords:
                        self.asked_exactly[" ".join(toks)].add(doc_id)   # a title or question, not a topic word
            weak_words = self.normaliser.words(weak_text, limit=None)   # an answer is indexed whole
            vocabulary.update(w for w in weak_words if len(w) >= 4 and w.isalpha())
            weak = {stem(w) for w in weak_words if w not in STOP_WORDS} - strong
            keyword_tokens = {stem(w) for k in keywords for w in self.normaliser.words(k) if w not in STOP_WORDS}
            for tok in strong:
                self.postings[tok][doc_id] = KEYWORD_WEIGHT if tok in keyword_tokens else 1.0
            for tok in weak:
                self.postings[tok][doc_id] = ANSWER_WEIGHT
        self._sorted_phrasings = {d: [_sorted_tokens(p) for p in ps] for d, ps in self.phrasings.items()}
        self._phrasing_lengths = {d: [max(1, len(p.split())) for p in ps] for d, ps in self.phrasings.items()}
        n = max(len(docs), 1)
        self.idf = {tok: math.log((n + 1) / (len(p) + 0.5)) for tok, p in self.postings.items()}
        self.bm25 = _BM25({doc_id: [stem(w) for text in strong_texts for w in self.normaliser.words(text)
                                    if w not in STOP_WORDS] * STRONG_REPEAT
                           + [stem(w) for w in self.normaliser.words(weak_text, limit=None) if w not in STOP_WORDS]
                           for doc_id, strong_texts, weak_text, _ in docs})
        self.unknown_idf = UNKNOWN_WEIGHT * math.log((n + 1) / 0.5)
        # acronyms that are also everyday words ("SEND", "MET"): typed in lower case they are the word ("who do I send
        # it to?"), and never lead to the acronym's glossary entry
        self.word_acronyms: dict[str, tuple[str, str]] = {
            stem(term): (term.upper(), entry_id) for term, entry_id in knowledge.glossary_terms.items()
            if term.isalpha() and term == term.lower() and everyday_word(term) and entry_id in knowledge.entries}
        self.vocabulary = sorted(vocabulary)
        self._by_length: dict[tuple[int, float | None], list[str]] = {}
        self._known = set(vocabulary)

    def correct(self, word: str) -> str:
        """Return the nearest knowledge word for a misspelt one, or the word unchanged (remembered, since the same
        unknown words, such as place names, come back often)."""
        found = self._corrected.get(word)
        if found is None:
            if len(self._corrected) >= CORRECTION_CACHE:
                self._corrected.clear()
            found = self._corrected[word] = self._correct(word)
        return found

    def _correct(self, word: str) -> str:
        if len(word) < 4 or not word.isalpha() or word in self._known or word in STOP_WORDS \
                or stem(word) in self.postings or self.is_word(word):
            return word
        cutoff = TYPO_CUTOFF if len(word) > 5 else SHORT_TYPO_CUTOFF
        match = process.extractOne(word, self._near_in_length(len(word), cutoff), scorer=fuzz.ratio,
                                   score_cutoff=cutoff)
        if match:
            return match[0]
        if len(word) >= 5:   # two neighbouring letters swapped ("socail", "attednance")
            swap = process.extractOne(word, self._near_in_length(len(word), None), scorer=OSA.distance,
                                      score_cutoff=1)
            if swap and Levenshtein.distance(word, swap[0]) == 2:
                return swap[0]
        return word

    def _near_in_length(self, length: int, cutoff: float | None) -> list[str]:
        """The knowledge words that could match a word this long (worked out once per length and cutoff)."""
        key = (length, cutoff)
        if key not in self._by_length:
            self._by_length[key] = near_in_length(self.vocabulary, length, cutoff)
        return self._by_length[key]

    def query_tokens(self, text: str) -> tuple[list[str], list[str]]:
        """Return the query's content tokens and the optional tokens its acronyms expand to (remembered for the last
        few questions, since several skills read the same one)."""
        cached = self._token_cache.get(text)
        if cached is None:
            if len(self._token_cache) >= TOKEN_CACHE:
                self._token_cache.clear()
            cached = self._token_cache[text] = self._query_tokens(text)
        return list(cached[0]), list(cached[1])

    def _query_tokens(self, text: str) -> tuple[list[str], list[str]]:
        text = _YEAR_SHORT.sub("year", without_year_groups(text))
        # Unknown capitalised words are usually names ("Jo Smith"): they say nothing about the question.
        names = {w.lower() for w in re.findall(r"\b[A-Z][a-z'’]+\b", text)}
        words = [self.correct(w) for w in self.normaliser.words(text)
                 if not (w in names and w not in self._known and stem(w) not in self.postings)]
        # a situation told in everyday words ("helps his little sister get ready") implies the topic it belongs to
        words += [w for w in self.implied(text) if w not in words]
        tokens = [stem(w) for w in words if w not in STOP_WORDS]
        optional: list[str] = []
        capitals = set(re.findall(r"\b[A-Z]{2,}\b", text))
        for w in words:
            if w in self.expansions and (w.upper() in capitals or not self.is_word(w)):
                optional.extend(self.expansions[w])   # an acronym that is also a word ("send") only in capitals
        return list(dict.fromkeys(tokens)), [t for t in dict.fromkeys(optional) if t not in tokens]

    def implied(self, text: str) -> list[str]:
        """The topic words a situation told in everyday words implies ("helps his little sister get ready": young
        carer)."""
        low = text.lower()
        readings = (low, _ASIDE.sub(" ", low)) if "(" in low else (low,)   # (with and without its asides)
        return [w for words, pattern in self.concepts if any(pattern.search(r) for r in readings) for w in words]

    def _similarities(self, query: str, query_len: int, doc_ids: list[str]) -> list[float]:
        """Each document's best phrasing similarity to the query, 0 to 1: word order ignored (token sort), and when one
        is only a subset of the other ("code" within "late code before registers close") it scores in proportion to
        their lengths (token set). All the candidates' phrasings are scored in two rapidfuzz calls."""
        phrasings = list(chain.from_iterable(map(self.phrasings.__getitem__, doc_ids)))
        if not phrasings:
            return [0.0] * len(doc_ids)
        sorted_phrasings = list(chain.from_iterable(map(self._sorted_phrasings.__getitem__, doc_ids)))
        lengths = numpy.fromiter(chain.from_iterable(map(self._phrasing_lengths.__getitem__, doc_ids)), dtype=float,
                                 count=len(phrasings))
        sort = process.cdist([_sorted_tokens(query)], sorted_phrasings, scorer=fuzz.ratio, dtype=numpy.float64)[0]
        subset = process.cdist([query], phrasings, scorer=fuzz.token_set_ratio, dtype=numpy.float64)[0]
        subset *= numpy.minimum(query_len, lengths) / numpy.maximum(numpy.maximum(query_len, lengths), 1)
        best = numpy.maximum(sort, subset) / 100
        counts = [len(self.phrasings[doc_id]) for doc_id in doc_ids]
        starts = numpy.cumsum([0] + [c for c in counts if c][:-1])
        peaks = iter(numpy.maximum.reduceat(best, starts).tolist())   # each document's best phrasing, in one call
        return [next(peaks) if count else 0.0 for count in counts]

    def rank_bm25(self, text: str, limit: int = 5) -> list[tuple[str, float]]:
        """The BM25 ranking of entries and trees for a question (a second opinion on search)."""
        tokens, _ = self.query_tokens(text)
        skip = {entry_id for _, entry_id in self.words_not_acronyms(text, tokens)}
        return [r for r in self.bm25.rank(tokens, limit + len(skip)) if r[0] not in skip][:limit]

    def words_not_acronyms(self, text: str, tokens: list[str]) -> list[tuple[str, str]]:
        """The query's words that spell an acronym but are typed as words ("send", not "SEND"), with the acronym's
        glossary entry, which they must not lead to."""
        if ASKS_MEANING.search(text):
            return []   # "what does send stand for": the acronym, whatever its case
        return [(tok, self.word_acronyms[tok][1]) for tok in tokens if tok in self.word_acronyms
                and self.word_acronyms[tok][0] not in text]

    def search(self, text: str, limit: int = 5) -> list[Match]:
        """Rank entries and trees for a question, best first."""
        tokens, optional = self.query_tokens(text)
        if not tokens:
            return []
        # words the knowledge never uses say the question may be about something else; in a long message that uses
        # many of the knowledge's words they are detail (a diagnosis, a street), and count for less
        known = sum(1 for t in tokens if t in self.idf)
        unknown = self.unknown_idf * min(1.0, UNKNOWN_FULL / known) if known else self.unknown_idf
        # a figure ("3 days", "9 till 3.30") is detail of the case more often than what is asked about
        weights = {t: self.idf.get(t, unknown) * (NUMBER_WEIGHT if t[0].isdigit() else 1.0) for t in tokens}
        total = sum(weights.values()) or 1.0
        gathered: dict[str, float] = defaultdict(float)
        for tok, w in weights.items():
            for doc_id, strength in self.postings.get(tok, {}).items():
                gathered[doc_id] += w * strength
        # an acronym's expansion counts towards entries the question already reaches, and, when the acronym itself
        # is in little but its glossary term ("who'd be in a TAC?"), reaches the entries that spell it out
        rare_acronym = any(len(self.postings.get(t, {})) <= RARE_ACRONYM_DOCS for t in tokens if t in self.expansions)
        # an expansion's words count where the acronym is, or where all of them are ("education, health and care
        # plan"), never scattered through an entry that lacks both ("health and safety", "care", "plan")
        expanded = set(optional)
        for tok in (t for t in tokens if t in self.acronym_of_token):
            words = [w for w in self.expansions[self.acronym_of_token[tok]] if w in expanded]
            if not words:
                continue
            spelt_out = set(self.postings.get(words[0], {})).intersection(*(self.postings.get(w, {}) for w in words[1:]))
            for doc_id in spelt_out | set(self.postings.get(tok, {})):
                if doc_id in gathered or rare_acronym:
                    gathered[doc_id] += sum(0.5 * self.idf.get(w, 0.0) * self.postings.get(w, {}).get(doc_id, 0.0)
                                            for w in words)
        for tok, entry_id in self.words_not_acronyms(text, tokens):
            gathered.pop(entry_id, None)
        if not gathered:
            return []
        query_phrase = " ".join(tokens)
        exact = self.exact.get(query_phrase, set())
        by_strength = (lambda kv: (kv[0] in exact, kv[1])) if exact else itemgetter(1)
        pool = sorted(gathered.items(), key=by_strength, reverse=True)[:FUZZY_POOL]
        similarities = self._similarities(query_phrase, len(tokens), [doc_id for doc_id, _ in pool])
        scored = []
        for (doc_id, raw), similarity in zip(pool, similarities):
            coverage = min(raw / total, 1.0)
            score = COVERAGE_SHARE * coverage + (1 - COVERAGE_SHARE) * similarity
            if doc_id in exact:
                score += EXACT_BONUS  # the question is one of this entry's own phrasings
            scored.append((round(score, 4), doc_id, coverage, similarity))
        scored.sort(key=itemgetter(0), reverse=True)   # (stable: ties keep their order by coverage)
        return [Match(doc_id, score, round(coverage, 4), round(similarity, 4))
                for score, doc_id, coverage, similarity in scored[:limit]]


# A message asking what a word or acronym means ("what does X stand for")
ASKS_MEANING = re.compile(r"\b(stands? for|mean|means|meaning|acronym|abbreviation|short for|expand|in full|"
                          r"spell(?:ed|t)? out)\b", re.IGNORECASE)


def _sorted_tokens(text: str) -> str:
    """The text's words in sorted order (what token_sort_ratio compares)."""
    return " ".join(sorted(text.split()))


def suggest_id(name: str, choices) -> str | None:
    """Return the closest id or command for a mistyped one (for "did you mean")."""
    match = process.extractOne(name, list(choices), processor=utils.default_process, score_cutoff=70)
    return match[0] if match else None
