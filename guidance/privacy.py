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


def looks_identifying(text: str) -> bool:
    """True when a message seems to contain details that could identify someone."""
    return redact(text) != text
