"""Attendance looking ahead: what it becomes if the pupil attends (or misses) the sessions to come, and how many must
be attended to get back to a figure ("she's on 85% after 60 days, if she's in every day for the next 40?")."""
from __future__ import annotations

import math
import re
from dataclasses import dataclass

from . import calculator
from .calculator import SESSIONS_A_DAY, Attendance, CalculationError, shown

_COUNT = r"(\d{1,3}(?:\.\d+)?)"
_UNIT = r"(?:\s+(?:school\s+|more\s+)?(days|sessions|half[- ]days))?"
# "for the next 40 days", "all of the remaining 260", "20 days in a row", "the rest of the year (100 days)"
_TO_COME = re.compile(r"\b(?:the\s+)?(?:next|remaining|coming|following|rest of the)\s+" + _COUNT + _UNIT + r"\b|"
                      r"\b" + _COUNT + r"\s+(?:more\s+|further\s+|straight\s+)?(?:school\s+)?(days|sessions)\s+"
                      r"(?:in a row|straight|on the trot|without (?:missing|a day off|an absence))\b", re.IGNORECASE)
# "for the next week", "over the next 3 weeks", "the coming fortnight": five school days a week
_WEEKS_TO_COME = re.compile(r"\b(?:the\s+)?(?:next|coming|following)\s+(?:(\d{1,2})\s+)?(?:school\s+)?(weeks?|fortnight)\b",
                            re.IGNORECASE)
# ... attended: "comes in every day", "attends all", "full attendance", "100%"
_ATTENDING = re.compile(r"\b(?:comes?|coming|came|gets?|is|are|was|were|be) in\b|\battend\w*|\bin school\b|\bpresent\b|"
                        r"\bfull attendance\b|\bperfect attendance\b|\b100\s*%|\bevery (?:day|session)\b|\bin a row\b|"
                        r"\bstraight\b|\bon the trot\b|\bwithout (?:missing|a day off|an absence)\b", re.IGNORECASE)
# ... told as what may happen ("if", "will", "from now"), not the rest of the sessions so far ("84 of the remaining 90")
_AHEAD = re.compile(r"\b(?:if|will|would|going to|from now|from here|until|till|next|'ll)\b", re.IGNORECASE)
_OF_THE = re.compile(r"\d\s+(?:\w+\s+)?(?:of|out of)\s+(?:the\s+)?$", re.IGNORECASE)
# "misses 2 more days", "has another 3 days off", "off for 4 more sessions"
_MORE_MISSED = re.compile(r"\b(?:miss\w*|off|absent|away)\s+(?:for\s+)?(?:another\s+)?" + _COUNT + r"\s+(?:more|further|"
                          r"extra|other)\s+(?:school\s+)?(days|sessions)\b|\banother\s+" + _COUNT + r"\s+(?:school\s+)?"
                          r"(days|sessions)\s+(?:off|missed|absent|of absence)\b", re.IGNORECASE)
# "how many days does she need to attend to get back to 90%?"
_TARGET = re.compile(r"\bhow (?:many|long)\b.{0,80}?\b(?:to|back to|up to|above|over|reach|hit|at)\s+(?:back\s+)?"
                     r"(?:up\s+)?(?:to\s+|above\s+|over\s+)?(\d{2}(?:\.\d+)?)\s*(?:%|per ?cent)", re.IGNORECASE)
_TARGET_UNIT = re.compile(r"\bhow many (?:more )?(?:school )?(days|sessions)\b", re.IGNORECASE)


@dataclass(frozen=True)
class Projection:
    """Attendance now and as it would be: after sessions to come (attended or missed), or when a target is reached."""

    now: Attendance
    then: Attendance | None = None
    more: float = 0.0          # sessions (or days) to come
    attending: bool = True     # whether those to come are attended or missed
    target: float | None = None
    needed: float | None = None


def _now(text: str, statistics: dict[str, str] | None) -> Attendance | None:
    """The attendance so far the message gives, with the sessions (or days) attended and possible."""
    result = calculator.parse(text, statistics)
    if result is None:
        return None
    if result.possible is None and result.days_so_far:
        # "85% after 60 days": that share of the days so far
        attended = round(result.days_so_far * result.attendance / 100, 4)
        return calculator.from_counts(attended, result.days_so_far, "days")
    return result if result.possible is not None else None


def _in_unit(count: float, unit: str | None, wanted: str) -> float:
    """A count of days or sessions in the unit of the figures so far."""
    unit = "sessions" if unit and not unit.lower().startswith("day") else "days" if unit else wanted
    if unit == wanted:
        return count
    return count * SESSIONS_A_DAY if wanted == "sessions" else count / SESSIONS_A_DAY


def project(text: str, statistics: dict[str, str] | None = None, kept: dict | None = None) -> Projection | None:
    """Read a look ahead from the message, or None when it asks none (or gives no attendance so far); `kept` is the
    last calculation's figures, which a follow-up ("and if she's in every day for the next 30?") looks ahead from."""
    target, ahead = _TARGET.search(text), bool(_AHEAD.search(text))
    coming = None if target or not ahead else next(
        (m for pattern in (_TO_COME, _WEEKS_TO_COME) for m in pattern.finditer(text)
         if _ATTENDING.search(text[max(0, m.start() - 60):m.end() + 20])
         and not _OF_THE.search(text[max(0, m.start() - 25):m.start()])), None)
    missing = None if target or coming or not ahead else _MORE_MISSED.search(text)
    if not (target or coming or missing):
        return None
    clause = target or coming or missing
    now = _now(text[:clause.start()] + " " + text[clause.end():], statistics)
    if now is None and kept and kept.get("attended") is not None and kept.get("possible"):
        now = calculator.from_counts(kept["attended"], kept["possible"], kept.get("unit") or "sessions")
    if now is None or now.attended is None or now.possible is None:
        return None
    if target:
        goal = float(target.group(1))
        if not 0 < goal < 100:
            raise CalculationError(f"{goal:g}% cannot be reached by attending more")
        asked = _TARGET_UNIT.search(text)
        if asked and asked.group(1).lower() != now.unit and now.unit in ("days", "sessions"):
            # asked in the other unit: worked out in it (a day is two sessions)
            unit = asked.group(1).lower()
            now = calculator.from_counts(_in_unit(now.attended, now.unit, unit), _in_unit(now.possible, now.unit, unit),
                                         unit)
        needed = math.ceil(max(0.0, (goal / 100 * now.possible - now.attended) / (1 - goal / 100)) - 1e-9)
        then = calculator.from_counts(now.attended + needed, now.possible + needed, now.unit)
        return Projection(now, then, float(needed), True, goal, float(needed))
    found = coming or missing
    if found.re is _WEEKS_TO_COME:
        weeks = float(found.group(1) or 1) * (2 if found.group(2).lower() == "fortnight" else 1)
        count, unit = weeks * calculator.SCHOOL_DAYS_A_WEEK, "days"
    else:
        count = float(next(g for g in found.groups()[0::2] if g))
        unit = next((g for g in found.groups()[1::2] if g), None)
    more = _in_unit(count, unit, now.unit)
    attended = now.attended + more if coming else now.attended
    return Projection(now, calculator.from_counts(attended, now.possible + more, now.unit), more, bool(coming))


def describe(p: Projection) -> str:
    """The look ahead in plain words, with where it leaves the pupil against the thresholds."""
    now, then, unit = p.now, p.then, p.now.unit
    lines = [f"Now: attended {now.attended:g} of {now.possible:g} possible {unit}, attendance {shown(now.attendance)}."]
    if p.target is not None:
        if not p.needed:
            lines.append(f"That is already at or above {p.target:g}%.")
        else:
            lines.append(f"To reach {p.target:g}% the pupil needs to attend {p.needed:g} more {unit} in a row "
                         f"without missing any: {then.attended:g} of {then.possible:g}, attendance "
                         f"{shown(then.attendance)}.")
    else:
        how = "attends every one of" if p.attending else "misses"
        lines.append(f"If the pupil {how} the next {p.more:g} {unit}: attended {then.attended:g} of "
                     f"{then.possible:g} possible {unit}, attendance {shown(then.attendance)}.")
    if p.target is not None and p.needed and then.persistent and not then.severe:
        # exactly the threshold still counts: one more session (or day) attended takes the pupil below it
        below = (now.possible - now.attended) * 100 / calculator.PERSISTENT_ABSENCE - now.possible
        below = max(p.needed, math.floor(below + 1e-9) + 1)
        lines.append(f"At exactly {shown(then.attendance)} that still counts as persistent absence (missing 10% or "
                     f"more); attending {below:g} in a row takes the pupil below it.")
    elif then.severe:
        lines.append("That is still severe absence (missing 50% or more of possible sessions).")
    elif then.persistent:
        lines.append("That is still persistent absence (missing 10% or more of possible sessions).")
    else:
        lines.append("That is below the persistent absence threshold (missing 10% or more of possible sessions).")
    lines.append("All absence counts, authorised or not.")
    return "\n".join(lines)
