"""Redact details that could identify a child before anything is logged, and notice when a message has them."""
from __future__ import annotations

import re

_NOT_A_NAME = r"(?!(?:Is|Was|Has|Had|Did|Does|Who|Arrived|Came|Will|Can|And|But|In|On|At|With)\b)"
_RULES: list[tuple[str, re.Pattern]] = [
    ("[email]", re.compile(r"\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+\b")),
    ("[UPN]", re.compile(r"\b[A-Za-z]\s?\d{12}\b")),
    ("[NHS number]", re.compile(r"\b\d{3}[ -]?\d{3}[ -]?\d{4}\b")),
    ("[phone]", re.compile(r"(?<!\w)(?:\+44\s?\(?0?\)?\s?|0)\d(?:[\s-]?\d){8,9}(?!\d)")),
    ("[postcode]", re.compile(r"\b[A-Za-z]{1,2}\d[A-Za-z\d]?\s*\d[A-Za-z]{2}\b")),
    ("[date of birth]", re.compile(
        r"\b(?:d\.?o\.?b\.?|date of birth|born(?: on)?)[:\s]*(?:\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}|"
        r"\d{1,2}(?:st|nd|rd|th)?\s+[A-Za-z]+\s+\d{4}|[A-Za-z]+\s+\d{1,2}(?:st|nd|rd|th)?,?\s+\d{4}|\S+)", re.IGNORECASE)),
    ("[date]", re.compile(r"\b\d{1,2}[/.-]\d{1,2}[/.-](?:\d{4}|\d{2})\b")),
    (r"\1[name]", re.compile(
        r"(\b(?:[Mm]y|[Oo]ur|[Tt]he|[Tt]his) (?:pupil|child|student|son|daughter|learner|boy|girl|young person),? "
        r"(?:called |named )?)" + _NOT_A_NAME + r"[A-Z][a-z'’-]+(?:\s+[A-Z][a-z'’-]+)?")),
    (r"\1[name]", re.compile(r"(\b(?:called|named) )[A-Z][a-z'’-]+(?:\s+[A-Z][a-z'’-]+)?")),
]

REMINDER = ("A reminder: please don't share names, dates of birth or other details that could identify a child. "
            "The guidance doesn't need them.")


def redact(text: str) -> str:
    """Return the text with emails, UPNs, NHS and phone numbers, postcodes, dates of birth and names replaced."""
    for label, pattern in _RULES:
        text = pattern.sub(label, text)
    return text


# An email address, written out or spelt with "dot" and "at" ("will dot smith at gmail dot com").
_SPELT_EMAIL = re.compile(r"[\w.+-]+(?:\s*(?:\.|\bdot\b)\s*[\w+-]+)*\s*(?:@|\(at\)|\[at\]|\bat\b)\s*[\w-]+"
                          r"(?:\s*(?:\.|\bdot\b)\s*[\w-]+)*\s*(?:\.|\bdot\b)\s*(?:com|co|org|net|uk|gov|sch|ac|nhs|"
                          r"edu|io|me)\b(?:\s*(?:\.|\bdot\b)\s*(?:uk|com|org))*", re.IGNORECASE)
_TOKEN = re.compile(r"@\w+|\b[A-Za-z]\d\b|[A-Za-z]+(?:['’][A-Za-z]+)?|\d+|[^\sA-Za-z\d]")
PLACEHOLDER = "…"


def knowledge_words(knowledge) -> set[str]:
    """Every word the knowledge uses, lower-cased, plus common function words: the allowlist for what is kept.
    Words the knowledge writes with a capital (places, services) are also kept as written, marked "^Word"."""
    from .text import STOP_WORDS
    words = set(STOP_WORDS)
    texts = [t for e in knowledge.entries.values() for t in (e.title, e.answer, *e.questions, *e.keywords)]
    texts += [t for tree in knowledge.trees.values() for n in tree.nodes.values()
              for t in (n.ask, n.outcome, *(o.label for o in n.options))]
    for text in texts:
        words.update(code.lower() for code in re.findall(r"\b[A-Za-z]\d\b", text))   # attendance codes: C2, Y1
        for m in re.finditer(r"[A-Za-z]+(?:['’][A-Za-z]+)?", text):
            w = m.group(0)
            words.add(w.lower().replace("’", "'"))
            before = text[:m.start()].rstrip()
            if w[0].isupper() and before and before[-1] not in ".!?:;\n\"'(-":   # capitalised mid-sentence
                words.add("^" + w.replace("’", "'"))
    return words


def keep_known_words(text: str, known: set[str]) -> str:
    """Keep only the words the knowledge itself uses (lower-cased); every other word and every number becomes a
    placeholder, so no name, number, place or handle survives however it is written."""
    out: list[str] = []
    tokens = _TOKEN.findall(_SPELT_EMAIL.sub(" @email ", text))
    for i, token in enumerate(tokens):
        plain = token.replace("’", "'")
        word = plain.lower()
        if _is_name(tokens, i, known):
            keep = False   # a capitalised word the knowledge never writes so: a name or place
        else:
            keep = (word.replace("'", "").isalpha() or re.fullmatch(r"[a-z]\d", word)) and word in known
        if keep:
            out.append(word)
        elif len(word) == 1 and not word.isalnum() and word not in "@#":
            out.append(word)   # punctuation
        elif not out or out[-1] != PLACEHOLDER:
            out.append(PLACEHOLDER)
    return re.sub(r"\s+([.,;:!?)])", r"\1", " ".join(out))


# Words that follow a sentence-initial word used as a word, not a name ("Will the LA...", "Mark the register").
_NOT_AFTER_A_NAME = {"he", "she", "it", "they", "you", "i", "we", "the", "a", "an", "this", "that", "there", "my",
                     "our", "your", "his", "her", "their", "be", "not", "anyone", "someone", "them", "him", "as", "if",
                     "all", "any", "each", "every", "no", "some", "what", "which", "how", "when", "where", "why",
                     "who", "is", "are", "was", "were", "do", "does", "did", "can", "could", "should", "would",
                     "will", "to", "of", "for", "in", "on", "at", "by", "with", "and", "or", "but", "so", ",", ".",
                     "?", "!", ":", ";", ""}
_NAME_FOLLOWERS = {"has", "is", "was", "had", "missed", "arrived", "came", "comes", "did", "does", "told", "said",
                   "says", "hasn't", "isn't", "wasn't", "and", "'s", "'", "-", "who", "in"}


def _is_name(tokens: list[str], i: int, known: set[str]) -> bool:
    """True for a capitalised word the knowledge never writes with a capital, in a place a name would stand."""
    plain = tokens[i].replace("’", "'")
    if not plain[0].isupper() or ("^" + plain) in known or re.fullmatch(r"[A-Za-z]\d", plain):
        return False
    nxt = tokens[i + 1] if i + 1 < len(tokens) else ""
    if nxt[:1].isupper() and ("^" + nxt.replace("’", "'")) not in known:
        return True                  # two capitalised words the knowledge never writes: "Will Jones", "Mark SMITH"
    if not _sentence_start(tokens, i):
        return True                  # a capital mid-sentence on a word the knowledge never capitalises
    # at the start of a sentence a capital says nothing: a known word is a name only where a name would stand
    return plain.lower() not in known or nxt.lower() not in _NOT_AFTER_A_NAME


def _sentence_start(tokens: list[str], i: int) -> bool:
    return i == 0 or tokens[i - 1] in (".", "!", "?", ":", ";", "\n")


def looks_identifying(text: str, known: set[str] | None = None) -> bool:
    """True when a message seems to contain details that could identify someone: a number, email, handle, postcode
    or date, or two capitalised words in a row that the knowledge does not use (a full name)."""
    if redact(text) != text or re.search(r"(?<!\w)@\w", text):
        return True
    if known is None:
        return False
    tokens = _TOKEN.findall(text)
    return any(_is_name(tokens, i, known) and tokens[i].lower() not in ("i", "a") for i in range(len(tokens))
               if tokens[i][:1].isalpha() and not tokens[i].isupper())
