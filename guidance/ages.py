"""Read a child's age from everyday words ("who's 17 and a half", "a 6 yr old", "he's still 9") and set it against
the ages a service works with."""
from __future__ import annotations

import re

from .models import AgeRange

_FRACTION = r"(?:\s+and\s+(?P<part>a half|a bit|three quarters|3/4|a quarter|1/4)|(?P<sym>[½¾¼]))?"
_NOT_AN_AGE = (r"(?!\s*(?:(?:to|till|until|-|–)\s*\d|%|am\b|pm\b|[:.]\d|minutes?|mins?|sessions?|days?|hours?|hrs?|weeks?|wks?|months?|"
               r"percent|per cent|o.?clock|times?\b|x\b|of\b|out of|th\b|st\b|nd\b|rd\b|pupils?|children|kids|"
               r"students|people))")
# "a 6 yr old", "17-year-old", "6 yo", "aged 9", "who's 17 and a half", "he's still 9", "turns 18 in May"
_AGE = re.compile(
    r"\b(?P<n>\d{1,2})" + _FRACTION + r"(?:\s*-?\s*(?:years?|yrs?)\s*-?\s*olds?|\s*yo\b)|"
    r"\b(?:aged?|who.?s|he.?s|she.?s|they.?re|is|turned|turns|turning)\s+(?:only |still |just |now |nearly |almost "
    r"|barely |already )?(?P<m>\d{1,2})(?:" + _FRACTION.replace("part", "part2").replace("sym", "sym2") + r")"
    + _NOT_AN_AGE, re.IGNORECASE)
_PARTS = {"a half": 0.5, "a bit": 0.0, "three quarters": 0.75, "3/4": 0.75, "a quarter": 0.25, "1/4": 0.25,
          "½": 0.5, "¾": 0.75, "¼": 0.25}
YOUNGEST_CHILD, OLDEST_CHILD = 2, 25


def read(text: str) -> float | None:
    """The one age the message states, in years; None when it states none, or more than one different age."""
    found = set()
    for m in _AGE.finditer(text):
        whole = int(m.group("n") or m.group("m"))
        part = next((p for p in (m.group("part"), m.group("sym"), m.group("part2"), m.group("sym2")) if p), None)
        age = whole + _PARTS.get(part.lower() if part else "", 0.0)
        if YOUNGEST_CHILD <= age <= OLDEST_CHILD:
            found.add(age)
    return found.pop() if len(found) == 1 else None


def without(text: str) -> str:
    """The message with the ages it states taken out (so "how old" words never name a service on their own)."""
    return _AGE.sub(" ", text)


def spoken(age: float) -> str:
    """An age in words a practitioner would write: 17.5 as "17 and a half"."""
    whole, part = int(age), age - int(age)
    names = {0.25: " and a quarter", 0.5: " and a half", 0.75: " and three quarters"}
    return f"{whole}{names.get(round(part, 2), '')}"


def verdict(age: float, ages: AgeRange) -> str:
    """Whether a child of this age is within the ages a service works with, in one line, with what to do if not."""
    if age < ages.youngest:
        return f"At {spoken(age)}, the child is younger than the {ages.service} age range ({ages.says}). {ages.outside}"
    if age > ages.oldest:
        return f"At {spoken(age)}, the child is older than the {ages.service} age range ({ages.says}). {ages.outside}"
    if age == int(age) and int(age) == int(ages.oldest) and ages.oldest != int(ages.oldest):
        return f"At {spoken(age)}, the child is within the {ages.service} age range ({ages.says}) until they reach " \
               f"{spoken(ages.oldest)}."
    return f"At {spoken(age)}, the child is within the {ages.service} age range ({ages.says})."
