"""Attendance arithmetic: percentage from sessions, persistent and severe absence, days missed a year."""
from __future__ import annotations

import re
from dataclasses import dataclass

SCHOOL_DAYS_A_YEAR = 190   # the basis of the hub figure "90% attendance = 19 days missed per year"
PERSISTENT_ABSENCE = 10.0  # % of possible sessions missed (DfE)
SEVERE_ABSENCE = 50.0

_NUMBER = r"(\d{1,5}(?:\.\d+)?)"
_FRACTION = re.compile(_NUMBER + r"\s*(?:sessions?\s+|half[- ]days?\s+|days?\s+)?(?:out of|of|/|from)\s*(?:a possible\s+|the\s+|possible\s+)?" + _NUMBER)
_PERCENT = re.compile(_NUMBER + r"\s*(?:%|per\s*cent|percent)", re.IGNORECASE)
_ATTENDANCE_WORDS = re.compile(r"\b(attend\w*|sessions?|present|calculat\w*|attendance|register\w*|marks?|"
                               r"half[- ]days?|days?)\b", re.IGNORECASE)
_MISSED_WORDS = re.compile(r"\b(miss\w*|absent|absence|off|away)\b", re.IGNORECASE)
_DAYS_WORDS = re.compile(r"\b(days?|weeks?|sessions?|lost|missed|mean|means|equivalent|equal\w*|persistent\w*|"
                         r"severe\w*|threshold)\b", re.IGNORECASE)


class CalculationError(ValueError):
    """The numbers given cannot describe attendance (for example more sessions attended than possible)."""


@dataclass(frozen=True)
class Attendance:
    """The result of an attendance calculation."""

    attendance: float      # % of possible sessions attended
    absence: float         # % of possible sessions missed
    attended: float | None = None
    possible: float | None = None

    @property
    def persistent(self) -> bool:
        """Missing 10% or more of possible sessions (DfE)."""
        return self.absence >= PERSISTENT_ABSENCE - 1e-9

    @property
    def severe(self) -> bool:
        """Missing 50% or more of possible sessions (DfE)."""
        return self.absence >= SEVERE_ABSENCE - 1e-9

    @property
    def days_missed_a_year(self) -> float:
        """Days missed over a 190-day school year at this rate."""
        return self.absence / 100 * SCHOOL_DAYS_A_YEAR


def parse(text: str) -> Attendance | None:
    """Find an attendance calculation in a question, or None when it asks for none."""
    fraction = _FRACTION.search(text)
    if fraction and _ATTENDANCE_WORDS.search(text):
        first, second = float(fraction.group(1)), float(fraction.group(2))
        if second <= 0:
            raise CalculationError("the number of possible sessions must be more than 0")
        if first > second:
            raise CalculationError(f"{fraction.group(1)} is more than the {fraction.group(2)} possible sessions")
        before = text[max(0, fraction.start() - 40):fraction.start()]
        after = text[fraction.end():fraction.end() + 25]
        missed = bool(_MISSED_WORDS.search(before + " " + after)) and not re.search(r"attend|present", before, re.I)
        attended = second - first if missed else first
        pct = 100 * attended / second
        return Attendance(round(pct, 1), round(100 - pct, 1), attended, second)
    percent = _PERCENT.search(text)
    if percent and re.search(r"\battend|\babsen", text, re.IGNORECASE) and _DAYS_WORDS.search(text):
        value = float(percent.group(1))
        if value > 100:
            raise CalculationError(f"{percent.group(1)}% is more than 100%")
        is_absence = bool(re.search(r"absen\w*\s+(?:of|at|is|rate\s+of)?\s*" + re.escape(percent.group(0)), text, re.I)
                          or re.search(re.escape(percent.group(0)) + r"\s+(absen|missed)", text, re.I))
        absence = value if is_absence else 100 - value
        return Attendance(round(100 - absence, 1), round(absence, 1))
    return None


def describe(result: Attendance) -> str:
    """Explain a calculation in plain words, with the DfE thresholds and the local definition's difference."""
    lines = []
    if result.possible is not None:
        lines.append(f"Attended {result.attended:g} of {result.possible:g} possible sessions: "
                     f"attendance {result.attendance:.1f}%, absence {result.absence:.1f}%.")
    else:
        lines.append(f"Attendance {result.attendance:.1f}% means absence of {result.absence:.1f}%.")
    if result.severe:
        lines.append("This is severe absence: missing 50% or more of possible sessions. It is also persistent "
                     "absence (10% or more).")
    elif result.persistent:
        lines.append("This is persistent absence: missing 10% or more of possible sessions.")
    else:
        lines.append("This is below the persistent absence threshold (missing 10% or more of possible sessions).")
    days = result.days_missed_a_year
    lines.append(f"Over a school year of {SCHOOL_DAYS_A_YEAR} days that is about {days:.0f} days missed "
                 f"({days * 2:.0f} sessions), on the same basis as the hub figure: 90% attendance = 19 days "
                 "missed per year.")
    if abs(result.absence - PERSISTENT_ABSENCE) < 0.05:
        lines.append("Note: the HSCP briefing describes persistent absence as attendance below 90%, but the DfE "
                     "measure is missing 10% or more, so exactly 90.0% attendance already counts as persistent.")
    lines.append("All absence counts, authorised or not.")
    return "\n".join(lines)
