"""Weekly hours at an alternative provider, from the days and times a message gives ("3 days a week, 9 till 3.30"),
set against the 18-hour limit for unregistered provision."""
from __future__ import annotations

import re
from dataclasses import asdict, dataclass

from .codes import clock_minutes

LIMIT = 18.0   # hours a week: the hub slides' "18 hours max" / "less than 18 hours a week" at one unregistered provision

_WORD_NUMBERS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "a": 1}
# "3 days a week", "two days per week", "every day": how many days the pupil goes
_DAYS = re.compile(r"\b(\d|one|two|three|four|five)\s+(?:full |whole )?days?\s*(?:a|per|each|every)\s*week\b|"
                   r"\b(\d|one|two|three|four|five)\s+days?\b(?!\s*(?:ago|off|late))", re.IGNORECASE)
_HALF_DAYS = re.compile(r"\b(\d|one|two|three|four|five)\s+(?:mornings|afternoons|half[- ]days)\b", re.IGNORECASE)
# "9 till 3.30", "9am-3pm", "from 9.15 to 2.45"
_SPAN = re.compile(r"\b(\d{1,2})(?:[.:](\d{2}))?\s*(am|pm)?\s*(?:-|–|to|till|til|until)\s*(\d{1,2})(?:[.:](\d{2}))?\s*(am|pm)?"
                   r"\b", re.IGNORECASE)
_HOURS_A_DAY = re.compile(r"\b(\d{1,2}(?:\.\d)?)\s*(?:hours?|hrs?)\s*(?:a|per|each)\s*day\b", re.IGNORECASE)
_PROVISION = re.compile(r"\b(ap|alternative provi\w*|provider|provision|placement|farm|forest school|project|programme)\b",
                        re.IGNORECASE)


@dataclass(frozen=True)
class Week:
    """A pattern of attendance at a provider: days a week and hours a day."""

    days: float
    hours_a_day: float

    @property
    def hours(self) -> float:
        return round(self.days * self.hours_a_day, 2)

    def memory(self) -> dict:
        return asdict(self)


def hours_a_day(text: str) -> float | None:
    """The hours of one day at the provider, from a span of times or an "N hours a day"."""
    stated = _HOURS_A_DAY.search(text)
    if stated:
        return float(stated.group(1))
    span = _SPAN.search(text)
    if span:
        # clock times as the register reads them: an hour below 7 without am or pm is the afternoon
        start = clock_minutes(span.group(1), span.group(2), span.group(3))
        end = clock_minutes(span.group(4), span.group(5), span.group(6))
        if start is not None and end is not None and 0 < end - start <= 10 * 60:
            return round((end - start) / 60, 2)
    return None


def days_a_week(text: str) -> float | None:
    """How many days a week the pupil goes (mornings or afternoons count one each: their times give the hours)."""
    days = _DAYS.search(text)
    if days:
        word = (days.group(1) or days.group(2)).lower()
        return float(_WORD_NUMBERS.get(word) or int(word))
    halves = _HALF_DAYS.search(text)
    if halves:
        word = halves.group(1).lower()
        return float(_WORD_NUMBERS.get(word) or int(word))
    return None


def read(text: str, before: dict | None = None) -> Week | None:
    """The weekly pattern a message gives about a provision, or a change to the one before ("what if we cut it to 2
    days"); None when it gives none."""
    days, per_day = days_a_week(text), hours_a_day(text)
    if before:
        days = days if days is not None else before.get("days")
        per_day = per_day if per_day is not None else before.get("hours_a_day")
    elif not _PROVISION.search(text):
        return None
    if days is None or per_day is None or not 0 < days <= 5:
        return None
    return Week(days, per_day)


def describe(week: Week) -> str:
    """The weekly hours against the 18-hour limit, in plain words."""
    days = f"{week.days:g} day{'s' if week.days != 1 else ''}"
    line = f"{days} a week at {week.hours_a_day:g} hours a day is {week.hours:g} hours a week."
    if week.hours == LIMIT:
        verdict = (f"That is exactly {LIMIT:g}: the hub slides say \"18 hours max\" in one place and \"less than 18 "
                   "hours a week\" in another, so keep it below 18 to meet both.")
    elif week.hours > LIMIT:
        verdict = (f"That is {week.hours - LIMIT:g} hours over the limit: at an unregistered provision keep it below "
                   f"{LIMIT:g} hours a week.")
    else:
        verdict = (f"That is below the {LIMIT:g}-hour limit for a single unregistered provision "
                   f"({LIMIT - week.hours:g} hours under).")
    return f"{line} {verdict}"
