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


_TOKEN = re.compile(r"[A-Za-z]+(?:['’][A-Za-z]+)?|\d+|[^\sA-Za-z\d]")
PLACEHOLDER = "…"


def knowledge_words(knowledge) -> set[str]:
    """Every word the knowledge uses, lower-cased, plus common function words: the allowlist for what is kept.
    Words the knowledge writes with a capital (places, services) are also kept as written, marked "^Word"."""
    from .text import STOP_WORDS
    words = set(STOP_WORDS) | {f"^{w.capitalize()}" for w in STOP_WORDS}
    texts = [t for e in knowledge.entries.values() for t in (e.title, e.answer, *e.questions, *e.keywords)]
    texts += [t for tree in knowledge.trees.values() for n in tree.nodes.values()
              for t in (n.ask, n.outcome, *(o.label for o in n.options))]
    for text in texts:
        for w in re.findall(r"[A-Za-z]+(?:['’][A-Za-z]+)?", text):
            words.add(w.lower().replace("’", "'"))
            if w[0].isupper():
                words.add("^" + w.replace("’", "'"))
    return words


def keep_known_words(text: str, known: set[str]) -> str:
    """Keep only the words the knowledge itself uses (lower-cased); every other word and every number becomes a
    placeholder, so no name, number, place or handle survives however it is written."""
    out: list[str] = []
    tokens = _TOKEN.findall(text)
    for i, token in enumerate(tokens):
        plain = token.replace("’", "'")
        word = plain.lower()
        if _is_name(tokens, i, known):
            keep = False   # a capitalised word the knowledge never writes so: a name or place
        else:
            keep = word.replace("'", "").isalpha() and word in known
        if keep:
            out.append(word)
        elif not word[0].isalnum() and word not in "@#":
            out.append(word)
        elif not out or out[-1] != PLACEHOLDER:
            out.append(PLACEHOLDER)
    return re.sub(r"\s+([.,;:!?)])", r"\1", " ".join(out))


_NAME_FOLLOWERS = {"has", "is", "was", "had", "missed", "arrived", "came", "comes", "did", "does", "told", "said",
                   "says", "hasn't", "isn't", "wasn't", "and", "'s", "'", "-", "who", "in"}


def _is_name(tokens: list[str], i: int, known: set[str]) -> bool:
    """True for a capitalised word the knowledge never writes with a capital, in a place a name would stand."""
    plain = tokens[i].replace("’", "'")
    if not plain[0].isupper() or ("^" + plain) in known or (plain.isupper() and ("^" + plain) in known):
        return False
    following = tokens[i + 1].lower() if i + 1 < len(tokens) else ""
    return not _sentence_start(tokens, i) or following in _NAME_FOLLOWERS or plain.lower() not in known


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
