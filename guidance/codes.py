"""Recognise attendance codes named in a question, and decide late marks (L or U) from arrival and closing times."""
from __future__ import annotations

import re
from dataclasses import dataclass

_CODE = r"([/\\#]|[A-Za-z][1-7]?)"
_DISTINCTIVE = re.compile(r"(?<![\w/])(C1|C2|J1|Y[1-7])(?![\w])", re.IGNORECASE)
_BARE = re.compile(r"^\s*(?:code\s+|mark\s+)?([/\\#]|[A-Za-z][1-7]?)\s*[?.!]*\s*$", re.IGNORECASE)
_CONTEXT = [
    re.compile(r"\b(?:code|mark)\s+" + _CODE + r"(?![\w/\\#])", re.IGNORECASE),
    re.compile(r"(?<![\w/\\#])" + _CODE + r"\s+(?:code|mark)\b"),
    re.compile(r"\bwhat(?:'s|s| is| does)\s+(?:an?\s+|the\s+)?" + _CODE + r"(?:\s+(?:mean|stand|for|used)|\s*\??\s*$)"),
    re.compile(r"\b(?:explain|define|meaning of|about)\s+(?:the\s+)?" + _CODE + r"(?![\w/\\#])"),
    re.compile(r"\bis\s+" + _CODE + r"\s+(?:an?\s+)?(?:authorised|unauthorised|absence|present|attendance|possible|"
               r"counted|statistical)", re.IGNORECASE),
    re.compile(r"\bwhen\s+(?:do|can|should|would)\s+(?:i|we|you|schools?)\s+use\s+" + _CODE + r"(?![\w/\\#])",
               re.IGNORECASE),
]
_PAIR = re.compile(r"(?<![\w/\\#])" + _CODE + r"\s*(?:vs?\.?|versus|or|and|/)\s*" + _CODE + r"(?![\w/\\#])")
_CHANGE = re.compile(r"(?<![\w/\\#])([A-Z][1-7]?|[/\\#])\s+(?:becomes?|turns? into|changes? to|changed to|then|to|into|"
                     r"or)\s+([A-Z][1-7]?|[/\\#])(?![\w/\\#])")
_COMPARE_WORDS = re.compile(r"\b(difference|differ|vs?\.?|versus|compare|or|which)\b", re.IGNORECASE)


def mentioned_codes(text: str, known: set[str]) -> list[str]:
    """Return the attendance codes a question names explicitly, in order, without guessing from ordinary words."""
    found: list[tuple[int, str]] = []

    def take(pos: int, raw: str) -> None:
        code = raw.upper()
        if code in known and all(code != c for _, c in found):
            found.append((pos, code))

    bare = _BARE.match(text)
    if bare:
        take(0, bare.group(1))
    for m in _DISTINCTIVE.finditer(text):
        take(m.start(1), m.group(1))
    for pattern in _CONTEXT:
        for m in pattern.finditer(text):
            take(m.start(1), m.group(1))
    if _COMPARE_WORDS.search(text):
        for m in _PAIR.finditer(text):
            a, b = m.group(1), m.group(2)
            # single lower-case letters are ordinary words ("a or i"), so pairs need capitals or digits
            if all(x.upper() in known and (x.isupper() or len(x) > 1 or not x.isalpha()) for x in (a, b)):
                take(m.start(1), a)
                take(m.start(2), b)
    for m in _CHANGE.finditer(text):
        if m.group(1) != "I" and m.group(2) != "I":
            take(m.start(1), m.group(1))
            take(m.start(2), m.group(2))
    return [code for _, code in sorted(found)]


_TIME = re.compile(r"\b(\d{1,2})(?:[.:h](\d{2}))?\s*(am|pm|a\.m\.|p\.m\.)?(?![\d%])", re.IGNORECASE)
_ARRIVE = re.compile(r"\b(arriv\w*|came in|comes in|come in|got in|gets in|turn\w* up|walked in|got to school|"
                     r"signed in|in at|late at|reached school|dropped off)\b", re.IGNORECASE)
_CLOSE = re.compile(r"\b(clos\w*|shut\w*|ends?|until|till|finish\w*)\b", re.IGNORECASE)
_RANGE = re.compile(r"\b(\d{1,2}[.:]\d{2})\s*(?:-|–|to|until|till)\s*(\d{1,2}[.:]\d{2})")


@dataclass(frozen=True)
class LateDecision:
    """The mark for a late arrival, with the times it was decided from."""

    code: str
    arrival: int
    close: int
    opened: int | None = None


def _minutes(hour: str, minute: str | None, half: str | None) -> int | None:
    h, m = int(hour), int(minute or 0)
    if m > 59 or h > 23:
        return None
    if half and half.lower().startswith("p") and h < 12:
        h += 12
    return h * 60 + m


def _time_after(pattern: re.Pattern, text: str, window: int = 40) -> int | None:
    """Return the first clock time that follows a cue word within a few characters."""
    for cue in pattern.finditer(text):
        m = _TIME.search(text, cue.end(), cue.end() + window)
        if m is None:
            continue
        on_the_hour = re.search(r"\bat\s*$", text[cue.end():m.start()]) and int(m.group(1)) <= 12
        if m.group(2) or m.group(3) or on_the_hour:
            return _minutes(m.group(1), m.group(2), m.group(3))
    return None


def decide_late(text: str) -> LateDecision | None:
    """Decide L or U when a question gives both an arrival time and the time the register closed."""
    arrival = _time_after(_ARRIVE, text)
    close = _time_after(_CLOSE, text)
    opened = None
    span = _RANGE.search(text)
    if span:
        start, end = (_minutes(*re.split(r"[.:]", s), None) for s in span.groups())
        if start is not None and end is not None:
            opened = start
            close = close if close is not None else end
    if arrival is None or close is None or arrival == opened:
        return None
    return LateDecision("L" if arrival <= close else "U", arrival, close, opened)


def clock(minutes: int) -> str:
    """Format minutes after midnight as 9.05."""
    return f"{minutes // 60}.{minutes % 60:02d}"
