"""Count sessions given by code with no possible sessions ("4 days of G and 3 U"): totals by how the register counts
them, and where unauthorised ones stand against the penalty-notice threshold."""
from __future__ import annotations

import re
from dataclasses import dataclass

from .calculator import SESSIONS_A_DAY, code_counts, plain_figures
from .models import RegisterRules

_CODE = r"(?P<code>[A-Z][1-9]?)"
# "4 days of G", "2 days G", "2 days holiday (G)", "3 days coded O": days given by code, two sessions each
_DAYS_BY_CODE = re.compile(r"(?<![\d.:/£])(?P<count>\d{1,3}(?:\.5)?)\s*(?:(?i:school|whole|full)\s+)?(?i:days?)\s+"
                           r"(?:(?i:of|as|coded|marked)\s+)?(?:(?i:code)\s+)?(?:" + _CODE + r"(?:'?s)?(?![\w/\\])|"
                           r"[a-z' ]{1,30}\((?:(?i:code)\s+)?(?P<code2>[A-Z][1-9]?)\))")
# "2 of O", "3 x U": sessions given by code in a list ("6 sessions of N and 2 of O")
_SESSIONS_OF = re.compile(r"(?<![\d.:/£])(?P<count>\d{1,3})\s*(?:(?i:of|x)|×)\s*(?:(?i:code)\s+)?" + _CODE +
                          r"(?:'?s)?(?![\w/\\])")
# figures with the sessions that were possible belong to the attendance calculator
_POSSIBLE = re.compile(r"\b(?:out of|possible|of a possible|so far this|attendance ?%|percent\w*|%)|\b(?:half[- ]?term|term|"
                       r"year|week)s? (?:was|is|has been|had|of|lasted) \d|\b\d{1,3} (?:school )?(?:days|sessions) (?:in|this) "
                       r"(?:the )?(?:half[- ]?)?(?:term|year)\b|\bof (?:the )?\d", re.IGNORECASE)
_WEEKS = re.compile(r"\b(?:in|over|within|across|during)? ?(?:the )?(?:last|past)? ?(\d{1,2}) (?:school )?weeks?\b",
                    re.IGNORECASE)


@dataclass(frozen=True)
class Tally:
    """Sessions counted by code, and the window of school weeks they fell in when told."""

    sessions: tuple[tuple[str, float, str], ...]   # (code, sessions, how the register counts it)
    days: tuple[tuple[str, float], ...] = ()        # codes given in days, with the days told
    weeks: float | None = None


def read(text: str, statistics: dict[str, str]) -> Tally | None:
    """Sessions given by code with no possible sessions, or None (then it is no tally, or the calculator's)."""
    text = plain_figures(text)
    if _POSSIBLE.search(text):
        return None
    found: dict[str, float] = {}
    days: dict[str, float] = {}
    spans: list[tuple[int, int]] = []
    for m in _DAYS_BY_CODE.finditer(text):
        code = m.group("code") or m.group("code2")
        if code in statistics and code not in found:
            days[code] = float(m.group("count"))
            found[code] = days[code] * SESSIONS_A_DAY
            spans.append(m.span())
    rest = text
    for start, end in reversed(spans):   # (what was read as days is not read again as sessions)
        rest = rest[:start] + " " * (end - start) + rest[end:]
    for code, count in code_counts(rest, statistics).items():
        found.setdefault(code, count)
    for m in _SESSIONS_OF.finditer(rest):
        if m.group("code") in statistics:
            found.setdefault(m.group("code"), float(m.group("count")))
    if not found:
        return None
    weeks = _WEEKS.search(text)
    return Tally(sessions=tuple((code, n, statistics[code]) for code, n in found.items()),
                 days=tuple(days.items()), weeks=float(weeks.group(1)) if weeks else None)


def describe(tally: Tally, rules: RegisterRules | None) -> str:
    """The sessions by code, their totals, and where the ones that count towards a penalty notice stand."""
    days = dict(tally.days)
    rows = "; ".join(f"{code} {n:g} sessions" + (f" ({days[code]:g} days)" if code in days else "") + f" ({kind})"
                     for code, n, kind in tally.sessions)
    lines = [f"Counted by code: {rows}."]
    totals: dict[str, float] = {}
    for _, n, kind in tally.sessions:
        totals[kind] = totals.get(kind, 0.0) + n
    lines.append("In total: " + ", ".join(f"{n:g} sessions of {kind}" for kind, n in totals.items()) + ".")
    if rules is not None and rules.penalty_codes:
        counted = sum(n for code, n, _ in tally.sessions if code in rules.penalty_codes)
        window = f"{rules.penalty_sessions} sessions of unauthorised absence within a rolling {rules.penalty_school_weeks} " \
                 f"school weeks (codes {', '.join(rules.penalty_codes)})"
        if counted >= rules.penalty_sessions and (tally.weeks is None or tally.weeks <= rules.penalty_school_weeks):
            where = "" if tally.weeks is not None else ", if they fall within that window"
            lines.append(f"{counted:g} sessions count towards a penalty notice: that reaches the national threshold of "
                         f"{window}{where}.")
        elif counted >= rules.penalty_sessions:
            lines.append(f"{counted:g} sessions count towards a penalty notice; whether they reach the national "
                         f"threshold depends on how many fall within a rolling {rules.penalty_school_weeks} school "
                         f"weeks (the threshold is {window}).")
        else:
            lines.append(f"{counted:g} sessions count towards a penalty notice: below the national threshold of "
                         f"{window}.")
        if counted >= rules.penalty_sessions and rules.penalty_wording:
            lines.append(rules.penalty_wording)
    return "\n".join(lines)
