"""Work out a register's figures from the national rules in knowledge/: possible sessions, attendance, persistent and
severe absence, sessions per code, the longest run of absence, N marks left too long and the penalty-notice window."""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date, timedelta

from .calculator import shown
from .models import CodeInfo, RegisterRules
from .register import Mark, Register

ATTENDING = ("present", "approved educational activity")
ABSENT = ("authorised absence", "unauthorised absence")
POSSIBLE = ATTENDING + ABSENT


@dataclass(frozen=True)
class Week:
    """One school week's attendance, for the weekly picture."""

    label: str
    attended: int
    possible: int


@dataclass(frozen=True)
class PenaltyCheck:
    """Whether the penalty-notice threshold is reached within any rolling window of school weeks, and where."""

    status: str               # met | not met | needs dates
    counted: int              # sessions with a counting code in the whole record (on or after the framework date)
    most: int = 0             # the most in any one window
    window: str = ""          # the window with that many (or the first to reach the threshold)
    school_weeks: int = 0     # school weeks in the record
    before_framework: int = 0  # counting sessions dated before the framework came into force


@dataclass(frozen=True)
class Figures:
    """Everything a practitioner needs from one pupil's register."""

    sessions: int
    possible: int
    present: int
    activity: int
    authorised: int
    unauthorised: int
    not_possible: int
    not_collected: int
    by_code: tuple[tuple[str, int], ...]
    not_counted: tuple[tuple[str, int], ...]     # codes present that are not possible sessions or not collected
    persistent: bool
    severe: bool
    longest_run: tuple[Mark, Mark, int] | None    # first and last session of the longest run of absence, its length
    overdue: tuple[Mark, ...]                     # N marks more than the allowed school days before the record's end
    penalty: PenaltyCheck
    weeks: tuple[Week, ...]
    school_days: int

    @property
    def attended(self) -> int:
        """Sessions present or at an approved educational activity: both count as attendance."""
        return self.present + self.activity

    @property
    def absent(self) -> int:
        """Sessions of authorised or unauthorised absence."""
        return self.authorised + self.unauthorised


def tenths(part: int, whole: int) -> int:
    """part / whole as a percentage in tenths, rounded half up (171 of 190 -> 900, i.e. 90.0%)."""
    return (2 * 1000 * part + whole) // (2 * whole)


def percent(part: int, whole: int) -> str:
    """part / whole as a percentage to one decimal place, written as the calculator writes it (85%, 87.5%)."""
    return shown(tenths(part, whole) / 10)


def analyse(register: Register, codes: dict[str, CodeInfo], rules: RegisterRules) -> Figures:
    """The figures for one register; every class and threshold comes from the knowledge."""
    marks = register.marks
    kind = {m: codes[m].statistics for m in {x.mark for x in marks}}
    counts = Counter(x.mark for x in marks)
    classes = Counter(kind[x.mark] for x in marks)
    possible = sum(classes[c] for c in POSSIBLE)
    absent = classes["authorised absence"] + classes["unauthorised absence"]
    persistent = possible > 0 and absent * 100 >= rules.persistent_absence_percent * possible
    severe = possible > 0 and absent * 100 >= rules.severe_absence_percent * possible
    order = {code: i for i, code in enumerate(codes)}
    school = _school_days(marks, rules)
    weeks = _week_keys(register, rules) if register.weeks_known else {}
    return Figures(
        sessions=len(marks), possible=possible, present=classes["present"],
        activity=classes["approved educational activity"], authorised=classes["authorised absence"],
        unauthorised=classes["unauthorised absence"], not_possible=classes["not a possible session"],
        not_collected=classes["not collected"],
        by_code=tuple(sorted(counts.items(), key=lambda item: order.get(item[0], 99))),
        not_counted=tuple(sorted(((c, n) for c, n in counts.items() if kind[c] not in POSSIBLE),
                                 key=lambda item: order.get(item[0], 99))),
        persistent=persistent, severe=severe, longest_run=_longest_absence(marks, kind),
        overdue=_overdue(marks, school, rules), penalty=_penalty(register, weeks, rules),
        weeks=_weeks(register, weeks, kind, rules), school_days=len(school))


def _school_days(marks: tuple[Mark, ...], rules: RegisterRules) -> dict[int, int]:
    """Each register day's number among the school days: a day marked only as closed is not a school day."""
    open_days = sorted({m.day for m in marks if m.mark not in rules.closure_codes})
    return {day: i for i, day in enumerate(open_days)}


def _longest_absence(marks: tuple[Mark, ...], kind: dict[str, str]) -> tuple[Mark, Mark, int] | None:
    """The longest unbroken run of absence; sessions that are not possible sessions neither break nor extend it."""
    best: tuple[Mark, Mark, int] | None = None
    first, length, last = None, 0, None
    for m in marks:
        statistics = kind[m.mark]
        if statistics in ABSENT:
            first = first or m
            last, length = m, length + 1
            if best is None or length > best[2]:
                best = (first, last, length)
        elif statistics in ATTENDING:
            first, length = None, 0
    return best


def _overdue(marks: tuple[Mark, ...], school: dict[int, int], rules: RegisterRules) -> tuple[Mark, ...]:
    """N marks whose session is more than the allowed number of school days before the last school day recorded."""
    if not school:
        return ()
    last = max(school.values())
    return tuple(m for m in marks if m.mark == rules.n_code and m.day in school
                 and last - school[m.day] > rules.n_code_school_days)


def _week_keys(register: Register, rules: RegisterRules) -> dict[object, list[Mark]]:
    """The record's school weeks in order (calendar weeks when dated, rows of a grid otherwise), each with its
    sessions; a week with no open day is not a school week."""
    weeks: dict[object, list[Mark]] = {}
    last_date, key = None, None
    for m in register.marks:
        if m.when is None:
            key = m.week
        elif m.when != last_date:    # marks come in date order: work out each day's week once
            last_date, key = m.when, m.when - timedelta(days=m.when.weekday())
        found = weeks.get(key)
        if found is None:
            weeks[key] = [m]
        else:
            found.append(m)
    return {key: found for key, found in weeks.items() if any(m.mark not in rules.closure_codes for m in found)}


def _week_label(key: object) -> str:
    """How a school week is named: 'w/c 02/09/2024' when dated, 'week 3' for a row of a grid."""
    return f"w/c {key:%d/%m/%Y}" if isinstance(key, date) else f"week {int(key) + 1}"


def _penalty(register: Register, weeks: dict[object, list[Mark]], rules: RegisterRules) -> PenaltyCheck:
    """The penalty-notice check: the most counting sessions in any rolling window of school weeks."""
    start = date.fromisoformat(rules.penalty_from) if rules.penalty_from else None
    counting = [m for m in register.marks if m.mark in rules.penalty_codes]
    before = {m.position for m in counting if m.when is not None and start is not None and m.when < start}
    counting = [m for m in counting if m.position not in before]
    if not register.weeks_known:
        status = "not met" if len(counting) < rules.penalty_sessions else "needs dates"
        return PenaltyCheck(status, len(counting), most=len(counting))
    keys = list(weeks)
    per_week = [sum(1 for m in weeks[key] if m.mark in rules.penalty_codes and m.position not in before)
                for key in keys]
    size = rules.penalty_school_weeks
    most, window = -1, (0, 0)
    for i in range(max(1, len(keys) - size + 1)):
        total = sum(per_week[i:i + size])
        if total > most and (most < rules.penalty_sessions):
            most, window = total, (i, min(len(keys), i + size) - 1)
    label = f"{_week_label(keys[window[0]])} to {_week_label(keys[window[1]])}" if keys else ""
    status = "met" if most >= rules.penalty_sessions else "not met"
    return PenaltyCheck(status, len(counting), most=max(0, most), window=label, school_weeks=len(keys),
                        before_framework=len(before))


def _weeks(register: Register, weeks: dict[object, list[Mark]], kind: dict[str, str],
           rules: RegisterRules) -> tuple[Week, ...]:
    """Attendance week by week (blocks of a school week's sessions when there are no weeks)."""
    if register.weeks_known:
        groups = [(_week_label(key), found) for key, found in weeks.items()]
    else:
        size = rules.sessions_per_day * rules.school_days_per_week
        groups = [(f"days {i // rules.sessions_per_day + 1}-{min(len(register.marks), i + size) // rules.sessions_per_day}",
                   list(register.marks[i:i + size])) for i in range(0, len(register.marks), size)]
    return tuple(Week(label, sum(1 for m in found if kind[m.mark] in ATTENDING),
                      sum(1 for m in found if kind[m.mark] in POSSIBLE)) for label, found in groups)
