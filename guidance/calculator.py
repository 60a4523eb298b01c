"""Attendance arithmetic: percentage from sessions or days, persistent and severe absence, days missed."""
from __future__ import annotations

import math
import re
from dataclasses import asdict, dataclass, replace
from functools import lru_cache

MIN_WHOLE = 10             # a fraction of fewer possible sessions ("3/4") is more likely a date than a figure
SCHOOL_DAYS_A_YEAR = 190   # the basis of the hub figure "90% attendance = 19 days missed per year"
PERSISTENT_ABSENCE = 10.0  # % of possible sessions missed (DfE)
SEVERE_ABSENCE = 50.0

# A number, not part of a clock time (9.10), a date (3/4) or a year group (year 10, Y7).
_NUMBER = re.compile(r"(?<![\d.:/£])(?<!\byear )(?<!\byr )(?<!\by)(\d{1,5}(?:\.\d+)?)(?![\d:]|\.\d|/\d)"
                     r"(\s*(?:%|per\s*cent|percent))?", re.IGNORECASE)
_POSSIBLE_BEFORE = re.compile(r"(?:out of|of a possible|of the|possible(?: sessions| days)?(?: (?:so far )?this (?:school )?"
                              r"(?:year|term)| so far)?(?: of| is| was| =|:)?|"
                              r"\bof|/|had|we'?ve had|there(?:'s| has| have) been|total(?: of)?|from|in|over|"
                              r"\b(?:half[- ]?term|term|the year|school year)(?: was| is| has been| had| of|:)?)\s*$",
                              re.IGNORECASE)
_POSSIBLE_AFTER = re.compile(r"^\s*(?:possible|(?:school |teaching )?(?:days|sessions|half[- ]days)\s+(?:so far|this "
                             r"(?:year|term)|possible|in total|altogether|since|in(?:to)? (?:the |this )?(?:school |academic )?(?:year|term)|in\b(?=\s*(?:[,.;?!]|$|"
                             r"(?:what|whats|so|and|now|how)\b)))|"
                             r"(?:school |teaching )?days so far)",
                             re.IGNORECASE)
_POSSIBLE_NEAR = re.compile(r"(?:(?:out )?of the (?:other|remaining)|out of|of a possible|possible(?: sessions| days)?(?: (?:so far )?"
                            r"this (?:school )?(?:year|term)| so far)?(?: of| is| was| =|:)?|we'?ve had|"
                            r"there(?:'s| has| have) been|total(?: of)?)\s*$", re.IGNORECASE)
_MISSED_BEFORE = re.compile(r"(?:miss\w*:?|absent(?: for|:)?|absences?(?: of| is| was| =|:)?|off(?: for)?|away(?: for)?|lost|"
                            r"off school for)\s*$", re.IGNORECASE)
_MISSED_AFTER = re.compile(r"^\s*(?:(?:other|more|further|extra) )?(?:(?:whole |full |school |half[- ])?(?:days|sessions)\s+(?:of\s+)?)?"
                           r"(?:missed|absent|absence|absences|off|"
                           r"on (?:an? )?(?:(?:un)?authori[sz]ed )?(?:holiday|leave)\b|"
                           r"away|lost|(?:un)?authori[sz]ed)\b", re.IGNORECASE)
_ATTENDED_BEFORE = re.compile(r"(?:attended:?|present(?: for|:)?|\bin for|in school for|came in for|been in(?: for)?|was in(?: for)?|"
                              r"been here(?: for)?|"
                              r"were in(?: for)?|came in|here for|on site(?: for)?|in (?:class|lessons) for|"
                              r"attendance(?: is| of| was| =|:)?)\s*$", re.IGNORECASE)
_ATTENDED_AFTER = re.compile(r"^\s*(?:(?:school |half[- ])?(?:days|sessions)\s+)?(?:attended|present|in school)\b",
                             re.IGNORECASE)
_WEEKS_UNIT = re.compile(r"^\s*(?:school |teaching )?weeks?\b", re.IGNORECASE)
_DAYS_UNIT = re.compile(r"^\s*(?:(?:possible|school|teaching|odd|more|other|extra|full|whole|separate|random) )?days?\b",
                        re.IGNORECASE)
_SESSIONS_UNIT = re.compile(r"^\s*(?:possible )?(?:sessions?|half[- ]days?|registers?|registrations?)\b", re.IGNORECASE)
_ATTENDANCE_WORDS = re.compile(r"\b(attend\w*|att|sessions?|present|calculat\w*|attendance|absen\w*|register\w*|"
                               r"half[- ]days?|days?|miss\w*|off|pa|sa|persistent\w*|severe\w*|(?:out )?of \d{1,4} possible)\b",
                               re.IGNORECASE)
# "my yr9 boy is on 87%", "and his sister on 45%?": a pupil's own percentage is their attendance
_PUPIL_ON_PERCENT = re.compile(r"\b(?:he|she|they|him|her|boy|girl|lad|lass|son|daughter|pupil|child|kid|student|sister|"
                               r"brother|sibling|twin)s?\b(?:'s)?[^.?!]{0,30}?\b(?:is |was |'s |are )?(?:on|at) (?:about |around |"
                               r"only |just )?\d{1,3}(?:\.\d+)?\s*(?:%|per ?cent)", re.IGNORECASE)
_ABSENCE_PERCENT = re.compile(r"(absen\w*|missed|miss|off|absent)\s*(?:rate\s*)?(?:of|at|is|was|=|:)?\s*$",
                              re.IGNORECASE)
_ABSENCE_PERCENT_AFTER = re.compile(r"^\s*(absen\w*|missed|off)\b", re.IGNORECASE)
_ATTENDANCE_PERCENT_AFTER = re.compile(r"^\s*(attend\w*|att\b|present|in school)", re.IGNORECASE)
_SO_FAR = re.compile(r"(\d{1,3})\s+(?:school\s+|teaching\s+)?days\s+(?:so far|this (?:year|term)|since)|"
                     r"(?:had|been|there have been|we'?re|after|over|across)\s+(\d{1,3})\s+(?:school\s+|teaching\s+)?"
                     r"days", re.IGNORECASE)


# "15 days off in a year": the year is the possible days; "10% of 190 days": a share of a number of days or sessions;
# "3 days a fortnight": a rate of absence over school weeks of five days
_A_YEAR = re.compile(r"\b(?:in|over|across|during|for|of) (?:a|the|one|the whole|a whole|a full|the full|a normal|"
                     r"a typical) (?:school |academic )?year\b|"
                     r"\b(?:a|per|each) (?:school )?year\b|\bannually\b", re.IGNORECASE)
_PERCENT_OF = re.compile(r"(\d{1,3}(?:\.\d+)?)\s*(?:%|per\s*cent|percent)\s+of\s+(?:a\s+|the\s+)?(\d{1,4})\s*"
                         r"(?:school\s+)?(days?|sessions?)\b", re.IGNORECASE)
_RATE = re.compile(r"\b(\d{1,2}(?:\.\d+)?|one|two|three|four|half a|an?)\s+(?:school\s+)?(days?|sessions?)\s+(?:off\s+|missed\s+)?"
                   r"(?:(?:on top|as well|too|extra)\s+)?(?:a|per|every|each)\s+(week|fortnight)\b", re.IGNORECASE)
_WORD_NUMBERS = {"one": 1.0, "two": 2.0, "three": 3.0, "four": 4.0, "half a": 0.5, "a": 1.0, "an": 1.0}
SCHOOL_DAYS_A_WEEK = 5

_SHARE_OF = r"(?<![\d.:/])(\d{1,5}(?:\.\d+)?)\s*(?:sessions?\s+|half[- ]days?\s+|days?\s+|registers?\s+)?{by}\s*" \
            r"(?:a possible\s+|the\s+|possible\s+)?(\d{1,5}(?:\.\d+)?)(?![\d:])"
_FRACTION = re.compile(_SHARE_OF.replace("{by}", "(?:out of|/)"))
# ... and "7 of 10" too, when telling two shares apart
_SHARE = re.compile(_SHARE_OF.replace("{by}", "(?:out of|of|/)"))


class CalculationError(ValueError):
    """The numbers given cannot describe attendance (for example more sessions attended than possible)."""


@dataclass(frozen=True)
class Attendance:
    """The result of an attendance calculation."""

    attendance: float      # % of possible sessions attended
    absence: float         # % of possible sessions missed
    attended: float | None = None
    possible: float | None = None
    unit: str = "sessions"           # what attended and possible count: sessions or days
    days_so_far: float | None = None  # school days so far this year, when a percentage was given with them
    given: str | None = None          # "attendance" or "absence": which one a figure was given as
    by_code: tuple[tuple[str, float, str], ...] = ()   # sessions counted by code: (code, sessions, how it counts)
    closed: float | None = None       # closure days or sessions taken out of the possible ones

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

    def memory(self) -> dict:
        """The figures a follow-up may change ("what if she had missed 10 fewer sessions?")."""
        return {k: v for k, v in asdict(self).items() if v is not None and k != "by_code"}


def from_counts(attended: float, possible: float, unit: str = "sessions") -> Attendance:
    """Attendance from the sessions (or days) attended and possible."""
    if possible <= 0:
        raise CalculationError("the number of possible sessions must be more than 0")
    if attended > possible:
        raise CalculationError(f"{attended:g} attended is more than the {possible:g} possible {unit}")
    if attended < 0:
        raise CalculationError("fewer than none missed or attended does not fit")
    pct = 100 * attended / possible
    # kept precise (the thresholds are judged on it); shown() rounds it for reading
    return Attendance(round(pct, 4), round(100 - pct, 4), attended, possible, unit)


def missed_at(possible: float, share: float) -> int:
    """The sessions (or days) missed, out of these possible ones, at which a threshold (a % missed) is reached."""
    return math.ceil(possible * share / 100 - 1e-9)


def shown(value: float) -> str:
    """A percentage as a practitioner writes it: to one decimal place rounded half up, as the register reading and
    spreadsheets round, without a trailing ".0" (60%, 87.5%); a value exactly halfway says so ("86.3% (86.25%
    exactly)")."""
    hundredths = round(value * 100)
    halfway = abs(value * 100 - hundredths) < 1e-6 and hundredths % 10 == 5
    text = f"{math.floor(value * 10 + 0.5 + 1e-9) / 10:.1f}".removesuffix(".0") + "%"
    return f"{text} ({hundredths / 100:g}% exactly)" if halfway else text


def from_percent(value: float, is_absence: bool, days_so_far: float | None = None) -> Attendance:
    """Attendance from a percentage of attendance or of absence."""
    if value > 100:
        raise CalculationError(f"{value:g}% is more than 100%")
    absence = value if is_absence else 100 - value
    return Attendance(round(100 - absence, 1), round(absence, 1), days_so_far=days_so_far,
                      given="absence" if is_absence else "attendance")


# A number that is the part of a share ("45 of the 90 sessions", "132 registers out of 150")
_PART_OF = re.compile(r"^\s*(?:(?:sessions?|days?|half[- ]days?|registers?)\s+)?(?:out of|of)\s+(?:the\s+|a possible\s+|"
                      r"possible\s+)?\d", re.IGNORECASE)
# A percentage named ("as a percentage", "%", "per cent")
_A_PERCENTAGE = re.compile(r"%|\bper ?cent|\bpercentage\b", re.IGNORECASE)
# "last week", "this week", "for the week": one school week
_ONE_WEEK = re.compile(r"\b(?:this|last|that|the|one|a) (?:school )?week\b", re.IGNORECASE)
# "84 of the other 90", "out of the remaining 170": possible sessions once some are taken out
_OF_THE_REST = re.compile(r"\b(?:of|out of) the (?:other|remaining|rest of the)\s*$", re.IGNORECASE)
# "12 sessions off ill and 10 on holiday": a second number of sessions missed is added to the first
_ALSO = re.compile(r"(?:\band|\bplus|\+|\bas well as|,)\s*$", re.IGNORECASE)


# "shut for 2 snow days": days the whole school was closed are not possible sessions (codes Y4 and # are not counted)
_CLOSED_BEFORE = re.compile(r"\b(?:shut|closed|closure)\w*\s+(?:for\s+)?(?:an? )?$", re.IGNORECASE)
_CLOSED_AFTER = re.compile(r"^\s*(?:snow|closure|strike|inset|training|bank holiday)\s+days?\b", re.IGNORECASE)
# "arrived after the register closed 9 times (all U)": each is a session missed (U counts as unauthorised absence)
_AFTER_CLOSE_BEFORE = re.compile(r"\b(?:after (?:the )?(?:register|reg|registration) (?:had )?clos\w*|(?:coded|marked|a) U)\s*$",
                                 re.IGNORECASE)


def _role(text: str, start: int, end: int) -> str | None:
    """What a number is: possible sessions, sessions missed or sessions attended, from the words beside it."""
    before, after = text[max(0, start - 40):start], text[end:end + 40]
    near = text[max(0, start - 16):start]
    if re.match(r"\s*times\b", after) and _AFTER_CLOSE_BEFORE.search(before):
        return "missed"
    if (_CLOSED_BEFORE.search(before) and not re.search(r"\b(?:register|reg|registration)\s+\S+\s*$", before,
                                                         re.IGNORECASE)) or _CLOSED_AFTER.match(after):
        return "closed"
    for role, cue in (("missed", _MISSED_BEFORE), ("attended", _ATTENDED_BEFORE), ("possible", _POSSIBLE_NEAR)):
        if cue.search(near):
            return role
    if _PART_OF.match(after) and re.search(r"\b(?:in|at)\s*$", near, re.IGNORECASE):
        return "attended"   # "in 45 of the 90 sessions": the part of those possible that the pupil was in for
    for role, cue in (("possible", _POSSIBLE_AFTER), ("missed", _MISSED_AFTER), ("attended", _ATTENDED_AFTER)):
        if cue.match(after):
            return role
    for role, cue in (("missed", _MISSED_BEFORE), ("attended", _ATTENDED_BEFORE), ("possible", _POSSIBLE_BEFORE)):
        if cue.search(before):
            return role
    return None


SESSIONS_A_DAY = 2   # the register is taken for a morning and an afternoon session (reg 10(1))
# "how many days is 33 sessions?", "10 sessions in days", "how many sessions is 5 days?"
_TO_DAYS = re.compile(r"\bhow many (?:school )?days (?:is|are|does|would|makes?|in)\b(?: that)?\s*(\d{1,4}(?:\.\d+)?)\s*"
                      r"(?:sessions?|half[- ]days?)\b|\b(\d{1,4}(?:\.\d+)?)\s*(?:sessions?|half[- ]days?) (?:is |are )?"
                      r"(?:in|as|into) (?:school )?days\b|\b(\d{1,4}(?:\.\d+)?)\s*(?:sessions?|half[- ]days?)\W{0,3}"
                      r"(?:is that|that'?s|thats|so that'?s|=|is it|does that make)\s+(?:about |roughly )?\d{1,4}(?:\.\d+)?"
                      r"\s*(?:school )?days\b|\b(\d{1,4}(?:\.\d+)?)\s*(?:sessions?|half[- ]days?)\b(?: (?:of )?(?:absence|absent|off|"
                      r"missed))?[,.;:=\s-]{0,4}(?:(?:so |then |and )?(?:how many (?:school )?days(?: (?:is|are|does|would) "
                      r"(?:that|this|it|those|they))?|what'?s that in days|what is that in days|in days)\b)", re.IGNORECASE)
_TO_SESSIONS = re.compile(r"\bhow many sessions (?:is|are|does|would|makes?|in)\b(?: that)?\s*(\d{1,4}(?:\.\d+)?)\s*"
                          r"(?:school )?days?\b|\b(\d{1,4}(?:\.\d+)?)\s*(?:school )?days? (?:is |are )?(?:in|as|into) "
                          r"sessions\b|\b(\d{1,4}(?:\.\d+)?)\s*(?:school |full )?days?\b(?: (?:of )?(?:absence|absent|off|missed))?"
                          r"[,.;:=\s-]{0,4}(?:(?:so |then |and )?(?:how many|what'?s that in|what is that in|as|in) "
                          r"(?:half[- ]days|sessions)\b)|"
                          # "how many sessions in a half term of 7 weeks?" (the weeks already written as days)
                          r"\bhow many sessions\s+(?:are there\s+)?(?:in|is|are)\s+(?:a|an|the|one)\s+(?:half[- ]term|term|"
                          r"block|period)\s+(?:of|lasting)\s+(\d{1,4})\s*(?:school\s+)?days\b", re.IGNORECASE)


def counted(text: str) -> dict[str, tuple[float, str]]:
    """The first figure of each role a message gives, with its unit ("missed 23 sessions": missed 23 sessions;
    "180 possible so far": 180 possible), percentages and spans of weeks left out."""
    text = plain_figures(text)
    found: dict[str, tuple[float, str]] = {}
    for m in _NUMBER.finditer(text):
        after = text[m.end(1):m.end(1) + 20]
        if m.group(2) or _WEEKS_UNIT.match(after):
            continue
        role = _role(text, m.start(1), m.end(1))
        unit = "days" if _DAYS_UNIT.match(after) else "sessions" if _SESSIONS_UNIT.match(after) else ""
        if role in ("missed", "attended", "possible") and role not in found:
            found[role] = (float(m.group(1)), unit)
    return found


def convert(text: str) -> str | None:
    """Sessions as school days or days as sessions, when that is all the message asks ("how many days is 33
    sessions?"), or None."""
    text = plain_figures(text)   # "seven and a half days"
    to_days, to_sessions = _TO_DAYS.search(text), _TO_SESSIONS.search(text)
    if to_days:
        sessions = float(next(g for g in to_days.groups() if g))
        return (f"{sessions:g} sessions is {sessions / SESSIONS_A_DAY:g} school days: each school day has two "
                "sessions, morning and afternoon, and the register is taken for each.")
    if to_sessions:
        days = float(next(g for g in to_sessions.groups() if g))
        return (f"{days:g} school days is {days * SESSIONS_A_DAY:g} sessions: each school day has two sessions, "
                "morning and afternoon, and the register is taken for each.")
    return _before_threshold(text) or _share_of_a_number(text) or _of_the_year(text)


# "what is 17 sessions as a percentage of 380?"
_AS_SHARE_OF = re.compile(r"\b(\d{1,4}(?:\.\d+)?)\s*(sessions|days|half[- ]days)?\s+(?:is\s+)?(?:as\s+)?(?:an?\s+|what\s+)?"
                          r"(?:percentage|%|per ?cent|proportion|share)\s+of\s+(?:the\s+)?(\d{1,4}(?:\.\d+)?)\b(?![.:/]\d)",
                          re.IGNORECASE)


def _share_of_a_number(text: str) -> str | None:
    """One number as a percentage of another ("17 sessions as a percentage of 380")."""
    m = _AS_SHARE_OF.search(text)
    if m is None or float(m.group(3)) <= 0:
        return None
    part, whole, unit = float(m.group(1)), float(m.group(3)), (m.group(2) or "sessions").lower()
    if part > whole:
        raise CalculationError(f"{part:g} is more than {whole:g}")
    return (f"{part:g} {unit} is {shown(100 * part / whole)} of {whole:g} {unit}: as missed sessions, attendance of "
            f"{shown(100 - 100 * part / whole)}.")


# "how many sessions can he miss out of 120 before he's PA?": the number missed at which a threshold is reached
_MISSED_BEFORE_THRESHOLD = re.compile(
    r"\bhow many (?:more )?(sessions|days|half[- ]days)\b[^?.]{0,40}?\b(?:miss|have off|take off|be off|be absent|lose)\b"
    r"[^?.]{0,30}?\b(?:out of|of|in|from)\s+(?:the\s+|a possible\s+|a total of\s+)?(\d{1,4})\b(?![.:/]\d)"
    r"(?:\s*(?:possible\s+)?(sessions|days|half[- ]days))?[^?.]{0,40}?\bbefore\b[^?.]{0,40}?"
    r"\b(pa|persistent\w*|persistently|severe\w*|severely|sa)\b", re.IGNORECASE)


def _before_threshold(text: str) -> str | None:
    """How many of the possible sessions (or days) can be missed before persistent or severe absence."""
    m = _MISSED_BEFORE_THRESHOLD.search(text)
    if m is None or float(m.group(2)) <= 0:
        return None
    possible, unit = float(m.group(2)), (m.group(3) or m.group(1)).lower().replace("half-days", "sessions") \
        .replace("half days", "sessions")
    severe = m.group(4).lower().startswith(("severe", "sa"))
    share = SEVERE_ABSENCE if severe else PERSISTENT_ABSENCE
    name = "severe absence" if severe else "persistent absence"
    at = missed_at(possible, share)
    return (f"Out of {possible:g} possible {unit}, {name} (missing {share:g}% or more of possible sessions) starts at "
            f"{at:g} missed, so up to {at - 1:g} can be missed and stay below it. All absence counts, authorised or "
            "not.")


_YEAR = r"(?:the|a|one|a whole|the whole|a full|a normal|a typical|an average) (?:school |academic )?year"
# "how many sessions are there in a school year?"
_IN_A_YEAR = re.compile(r"\bhow many (?:school )?(sessions|days|half[- ]days)\b(?: (?:are|is) there)? (?:in|over) " + _YEAR,
                        re.IGNORECASE)
# "how many sessions is 10% of the school year?"
_SHARE_OF_YEAR = re.compile(r"\b(\d{1,3}(?:\.\d+)?)\s*(?:%|per ?cent|percent) of " + _YEAR, re.IGNORECASE)
# "what's 15 days as a percentage of the school year?", "what % of the year is 15 days?"
_DAYS_OF_YEAR = re.compile(r"\b(\d{1,3}(?:\.\d+)?) (?:school )?(days|sessions) (?:as|is|are|of)? ?(?:an? )?(?:percentage|%|"
                           r"per ?cent|proportion|share) of " + _YEAR + r"|(?:\bpercentage|%|\bper ?cent|\bproportion) of " +
                           _YEAR + r" (?:is|are) (\d{1,3}(?:\.\d+)?) (?:school )?(days|sessions)", re.IGNORECASE)
_YEAR_BASIS = ("on a school year of 190 days (380 sessions), the basis of the hub figure: 90% attendance = 19 days "
               "missed per year")


def _of_the_year(text: str) -> str | None:
    """Shares of a school year ("10% of the school year", "15 days as a % of the year", "sessions in a year")."""
    year_sessions = SCHOOL_DAYS_A_YEAR * SESSIONS_A_DAY
    share, days, whole = _SHARE_OF_YEAR.search(text), _DAYS_OF_YEAR.search(text), _IN_A_YEAR.search(text)
    if share:
        value = float(share.group(1))
        if value > 100:
            raise CalculationError(f"{value:g}% is more than 100%")
        return (f"{value:g}% of a school year is {SCHOOL_DAYS_A_YEAR * value / 100:g} school days "
                f"({year_sessions * value / 100:g} sessions), {_YEAR_BASIS}.")
    if days:
        count, unit = float(days.group(1) or days.group(3)), (days.group(2) or days.group(4)).lower()
        whole_year = SCHOOL_DAYS_A_YEAR if unit == "days" else year_sessions
        if count > whole_year:
            raise CalculationError(f"{count:g} {unit} is more than a school year")
        return (f"{count:g} {unit} is {shown(100 * count / whole_year)} of a school year, {_YEAR_BASIS}. Missing that "
                f"many would leave attendance at {shown(100 - 100 * count / whole_year)}.")
    if whole and not any(m.group(2) for m in _NUMBER.finditer(text)):   # ("70% attendance ... over a full year" is parsed)
        return (f"The hub figure (90% attendance = 19 days missed per year) works on a school year of "
                f"{SCHOOL_DAYS_A_YEAR} school days, which is {year_sessions} sessions: a morning and an afternoon each "
                "day.")
    return None


# Sessions given by code: "12 L", "8 U's", "10 x I", "30 sessions of B", "(code B) for 30", "B: 30". A capital "I"
# followed by a verb is the pronoun ("12 I think").
_CODE = r"(?P<code>[A-Z][1-9]?|[/\\])"
_COUNT_THEN_CODE = re.compile(r"(?<![\d.:/£])(?P<count>\d{1,4})\s*(?:x\s*|×\s*)?(?:sessions?\s+(?:of\s+|as\s+|coded\s+|marked\s+)?)?"
                              r"(?:(?i:code)\s+|(?i:as)\s+)?" + _CODE + r"(?:'?s)?(?![\w/\\])"
                              r"(?!\s+(?i:think|have|had|was|am|would|need|put|want|guess|know|can|will|did|do|said)\b)")
_CODE_THEN_COUNT = re.compile(r"(?<![\w/\\])\(?(?:(?i:code)\s+)?" + _CODE + r"(?:'?s)?\)?\s*(?:[:=×x-]|(?i:for))\s*"
                              r"(?P<count>\d{1,4})(?![\d.:])")
COUNTS_AS = {"present": "present", "approved educational activity": "attending (approved educational activity)",
             "authorised absence": "authorised absence", "unauthorised absence": "unauthorised absence",
             "not a possible session": "not a possible session"}


def code_counts(text: str, statistics: dict[str, str]) -> dict[str, float]:
    """Sessions given against attendance codes ("12 L, 8 U"), for the codes whose statistics are known."""
    found: dict[str, float] = {}
    for pattern in (_COUNT_THEN_CODE, _CODE_THEN_COUNT):
        for m in pattern.finditer(text):
            code = m.group("code")
            if code in statistics and statistics[code] in COUNTS_AS and code not in found:
                found[code] = float(m.group("count"))
    return found


def _with_codes(counts: dict[str, tuple[float, str]], by_code: dict[str, float], statistics: dict[str, str],
                text: str) -> Attendance | None:
    """Attendance when some sessions are given by code: codes that count as attending are added to the sessions
    attended, absence codes to those missed, and codes that are not possible sessions are left out."""
    if "possible" not in counts:
        return None
    possible, unit = counts["possible"]
    if unit == "days":
        return None   # codes are given per session
    kinds = {code: statistics[code] for code in by_code}
    attending = sum(n for c, n in by_code.items() if kinds[c] in ("present", "approved educational activity"))
    absent = sum(n for c, n in by_code.items() if kinds[c].endswith("absence"))
    not_possible = sum(n for c, n in by_code.items() if kinds[c] == "not a possible session")
    if not re.search(r"\bpossible\b", text, re.IGNORECASE):
        possible -= not_possible   # "out of 200" told with 4 X: the X sessions were never possible
    if "attended" in counts:
        attended = counts["attended"][0] + attending
    elif "missed" in counts:
        attended = possible - counts["missed"][0] - absent
    elif absent:
        attended = possible - absent   # "14 U and 9 L": late is attending, so only the U sessions were missed
    else:
        attended = attending
    if attended + absent > possible + 1e-9 and "missed" not in counts:
        raise CalculationError(f"{attended:g} attended and {absent:g} missed is more than the {possible:g} possible "
                               "sessions")
    order = list(COUNTS_AS)   # attending first, then absence, then sessions that were never possible
    rows = tuple((c, by_code[c], COUNTS_AS[kinds[c]]) for c in sorted(by_code, key=lambda c: (order.index(kinds[c]), c)))
    return replace(from_counts(attended, possible, "sessions"), given="attendance", by_code=rows)


_UNITS = {w: i for i, w in enumerate("zero one two three four five six seven eight nine ten eleven twelve thirteen "
                                     "fourteen fifteen sixteen seventeen eighteen nineteen".split())}
_TENS = {w: 10 * i for i, w in enumerate("_ _ twenty thirty forty fifty sixty seventy eighty ninety".split()) if i > 1}
_NUMBER_WORDS = re.compile(r"\b(?:(?:a|one) hundred(?: and)? )?(?:(" + "|".join(_TENS) + r")(?:[- ](" +
                           "|".join(w for w in _UNITS if _UNITS[w]) + r"))?|(" + "|".join(_UNITS) + r"))\b(?! of (?:them|"
                           r"those|these|us))|\b(?:a|one) hundred\b", re.IGNORECASE)
_WEEKDAY = re.compile(r"\b(?:every|each) (?:single )?(other )?(?:monday|tuesday|wednesday|thursday|friday)"
                      r"( (?:morning|afternoon|am|pm)\b)?"
                      r"(?! (?:morning|afternoon)s?\b)\b", re.IGNORECASE)
_SPAN_BEFORE = re.compile(r"\b(?:in|over|across|during|within|last|past|since|into)\s*$", re.IGNORECASE)
_WEEKS = re.compile(r"\b(\d{1,3}|a)[- ](?:school[- ])?weeks?\b", re.IGNORECASE)


# A share written as a fraction of the sessions ("3/4 of her sessions", "2 thirds of the time", "half of the days")
_PARTS = {"half": 2, "halves": 2, "third": 3, "thirds": 3, "quarter": 4, "quarters": 4, "fifth": 5, "fifths": 5,
          "sixth": 6, "sixths": 6, "eighth": 8, "eighths": 8, "tenth": 10, "tenths": 10}
_SHARE_WRITTEN = re.compile(r"\b(?:(\d{1,2})/(\d{1,2})|(\d|an?|one)\s+(" + "|".join(_PARTS) + r")|(half))\s+"
                            r"(?=of (?:the |his |her |their |all |possible )?(?:sessions|days|time|school|registers|marks|"
                            r"lessons)\b)", re.IGNORECASE)


def _as_percent(m: re.Match) -> str:
    """A written share as a percentage ("3/4 " -> "75% "), or the words unchanged when it is no share."""
    if m.group(5):
        parts, whole = 1, 2
    elif m.group(1):
        parts, whole = int(m.group(1)), int(m.group(2))
    else:
        parts, whole = (1 if not m.group(3)[0].isdigit() else int(m.group(3))), _PARTS[m.group(4).lower()]
    if not 0 < parts <= whole:
        return m.group(0)
    return f"{round(100 * parts / whole, 2):g}% "


@lru_cache(maxsize=256)
def plain_figures(text: str) -> str:
    """The figures written as numbers: "twelve days" is 12, "a fortnight off" 10 days, "every Monday" one day a
    week, "3 weeks off" 15 days and "a 12 week term" 60 days (a span, "in 3 weeks", stays weeks)."""
    def number(m: re.Match) -> str:
        low = m.group(0).lower()
        value = (100 if "hundred" in low else 0) + (_TENS.get((m.group(1) or "").lower(), 0) +
                                                    _UNITS.get((m.group(2) or m.group(3) or "").lower(), 0))
        return str(value) if value or "zero" in low else m.group(0)
    text = _NUMBER_WORDS.sub(number, text)
    text = _SHARE_WRITTEN.sub(_as_percent, text)   # "3/4 of her sessions", "two thirds of the time": a percentage
    # "1 day off a fortnight": a rate of absence, not a fortnight off
    text = re.sub(r"\b((?:days?|sessions?)\s+(?:off|missed)\s+)a (fortnight|week)\b", r"\1every \2", text, flags=re.IGNORECASE)
    text = re.sub(r"\b(out of|of) the same (\d)", r"\1 \2", text, flags=re.IGNORECASE)   # "6 out of the same 150"
    # "possible sessions this year 156": a figure for the year, not Year 156
    text = re.sub(r"\b((?:this|the|so far this|last) (?:school |academic )?year)\s+(?=\d)", r"\1: ", text, flags=re.IGNORECASE)
    text = re.sub(r"\b(\d{1,3}) and a half\b", lambda m: f"{m.group(1)}.5", text)
    text = re.sub(r"\bhalf a day\b", "0.5 days", text, flags=re.IGNORECASE)
    in_days = bool(re.search(r"\bdays?\b", text, re.IGNORECASE))
    text = re.sub(r"\b(\d{1,3}) (?:afternoons|mornings|half[- ]days)\b",   # "3 afternoons": sessions, or half days
                  lambda m: f"{int(m.group(1)) / 2:g} days" if in_days else f"{m.group(1)} sessions", text,
                  flags=re.IGNORECASE)
    text = _WEEKDAY.sub(lambda m: f"1 {'session' if m.group(2) else 'day'} a {'fortnight' if m.group(1) else 'week'}", text)
    text = re.sub(r"\b(1|a|an) (?:morning|afternoon|half[- ]day)\b(?= (?:a|per|every|each) (?:week|fortnight)\b)", "1 session",
                  text, flags=re.IGNORECASE)
    text = re.sub(r"(?<!day )(?<!days )(?<!session )(?<!sessions )\ba fortnight\b(?! (?:in|into)\b)", "10 days", text,
                  flags=re.IGNORECASE)

    def weeks(m: re.Match) -> str:
        if _SPAN_BEFORE.search(text[:m.start()]) and not re.match(r"\s*(?:off|missed|absent|away)", text[m.end():]):
            return m.group(0)
        if m.group(1).lower() == "a" and re.search(r"\b(?:days?|sessions?)\s*(?:off\s*|missed\s*)?$", text[:m.start()], re.IGNORECASE):
            return m.group(0)   # "1 day a week": a rate
        n = 1 if m.group(1).lower() == "a" else int(m.group(1))
        return f"{n * SCHOOL_DAYS_A_WEEK} days"
    return _WEEKS.sub(weeks, text)


_PERIOD = re.compile(r"\b(?:jan|feb|mar|apr|jun|jul|sept?|oct|nov|dec)[a-z]*\b|\b(?:week|wk|half[- ]?term|term)\s*\d\b|"
                     r"\b(?:autumn|spring|summer)\s*(?:\d|term|half)\b", re.IGNORECASE)


def _by_period(text: str) -> Attendance | None:
    """Figures given period by period ("Sept 19 days off 2, Oct 23 days off 5"): each period's larger number is its
    possible days and the smaller its missed (or attended) ones; the periods add up."""
    possible = missed = 0.0
    periods, sense, unit = 0, "", ""
    labels = list(_PERIOD.finditer(text))
    for label, following in zip(labels, labels[1:] + [None]):
        segment = text[label.end():following.start() if following else len(text)]   # "week 2": no figure of its own
        numbers = [float(m.group(1)) for m in _NUMBER.finditer(segment) if not m.group(2)]
        if len(numbers) != 2:
            continue
        cue = "attended" if re.search(r"\b(?:attended|present|in for|was in|came in)\b", segment, re.IGNORECASE) \
            else "missed" if re.search(r"\b(?:off|missed|absent|away)\b", segment, re.IGNORECASE) else ""
        cue = cue or sense   # "week 2 6 of 10": said the same way as the period before
        if not cue or (sense and cue != sense):
            return None
        sense = cue
        unit = unit or ("sessions" if re.search(r"\bsessions?\b", segment, re.IGNORECASE) else "days")
        possible += max(numbers)
        missed += min(numbers)
        periods += 1
    if periods < 2:
        return None
    attended = missed if sense == "attended" else possible - missed
    return replace(from_counts(attended, possible, unit), given="attendance" if sense == "attended" else "absence")



def _one_share(text: str) -> str:
    """With two shares given ("9 of 10 last week ... 112 of 126 over the term"), keep the one the question asks about
    (the span it names last) or else the one over the longest span, so the figures are not mixed."""
    shares = [m for m in _SHARE.finditer(text) if float(m.group(2)) >= MIN_WHOLE]
    if len(shares) < 2:
        return text
    asked = re.findall(r"\b(year|half[- ]?term|term|month|fortnight|week)\b", text[shares[-1].end():], re.IGNORECASE)
    def distance(m: re.Match) -> int:
        spots = [w.start() for w in re.finditer(r"\b" + asked[-1] + r"\b", text, re.IGNORECASE)]
        return min(abs(w - m.start()) if w < m.start() else w - m.end() for w in spots)
    chosen = min(shares, key=distance) if asked and distance(min(shares, key=distance)) <= 40 else \
        max(shares, key=lambda m: float(m.group(2)))
    for m in sorted(shares, key=lambda m: m.start(), reverse=True):
        if m is not chosen:
            text = text[:m.start()] + "(figure set aside)" + text[m.end():]
    return text


def parse(text: str, statistics: dict[str, str] | None = None) -> Attendance | None:
    """Find an attendance calculation in a question, or None when it asks for none; `statistics` (each code's
    statistical category) lets sessions given by code ("12 L, 8 U") count the way the register counts them."""
    if not _ATTENDANCE_WORDS.search(text) and not _PUPIL_ON_PERCENT.search(text) and not (
            _FRACTION.search(text) and _A_PERCENTAGE.search(text)):
        return None   # ("what is 160 out of 180 as a percentage?" is asked here only of attendance)
    text = plain_figures(text)
    share = _PERCENT_OF.search(text)
    if share:
        value, whole, unit = float(share.group(1)), float(share.group(2)), share.group(3).lower()
        if value > 100:
            raise CalculationError(f"{value:g}% is more than 100%")
        unit = "days" if unit.startswith("day") else "sessions"
        return from_counts(round(whole * (100 - value) / 100, 2), whole, unit)
    rates = list(_RATE.finditer(text))
    attending = re.search(r"\b(?:attend\w*|in school|comes? in|came in|in)\s+(?:for\s+)?(?:only\s+|just\s+)?$",
                          text[:rates[0].start()], re.IGNORECASE) if rates else None
    if rates and attending and len(rates) == 1:
        # "he attended 3 days a week all term": that share of the week attended
        rate = rates[0]
        count = _WORD_NUMBERS.get(rate.group(1).lower()) or float(rate.group(1))
        unit, period = rate.group(2).lower().rstrip("s"), rate.group(3).lower()
        span = SCHOOL_DAYS_A_WEEK * (2 if period == "fortnight" else 1) * (SESSIONS_A_DAY if unit == "session" else 1)
        if count > span:
            raise CalculationError(f"{count:g} {unit}s is more than the {span} school {unit}s in a {period}")
        return from_percent(round(100 * count / span, 4), False)
    if rates and re.search(r"\b(miss\w*|off|absent|absence|away)\b", text, re.IGNORECASE):
        share = 0.0   # "every Friday afternoon and one morning a fortnight": each rate adds its share of the week
        for rate in rates:
            count = _WORD_NUMBERS.get(rate.group(1).lower()) or float(rate.group(1))
            unit, period = rate.group(2).lower().rstrip("s"), rate.group(3).lower()
            span = SCHOOL_DAYS_A_WEEK * (2 if period == "fortnight" else 1) * (SESSIONS_A_DAY if unit == "session" else 1)
            if count > span:
                raise CalculationError(f"{count:g} {unit}s is more than the {span} school {unit}s in a {period}")
            share += count / span
        if share > 1:
            raise CalculationError("those absences add up to more than every session")
        return from_percent(round(100 * share, 4), True)
    by_period = _by_period(text)
    if by_period is not None:
        return by_period
    text = _one_share(text)
    counts: dict[str, tuple[float, str]] = {}
    percents: list[re.Match] = []
    unplaced: list[tuple[float, str]] = []   # "100 sessions, ...": a count of sessions that no word places
    weeks: list[float] = []
    for m in _NUMBER.finditer(text):
        if m.group(2):
            percents.append(m)
            continue
        after = text[m.end(1):m.end(1) + 20]
        if _WEEKS_UNIT.match(after):
            weeks.append(float(m.group(1)))   # "in 3 weeks": a span of school weeks, not a count of sessions
            continue
        role = _role(text, m.start(1), m.end(1))
        unit = "days" if _DAYS_UNIT.match(after) else "sessions" if _SESSIONS_UNIT.match(after) else ""
        if role and role not in counts:
            counts[role] = (float(m.group(1)), unit)
        elif role is None and unit and "missed" in counts and _ALSO.search(text[max(0, m.start(1) - 12):m.start(1)]):
            counts["missed"] = (counts["missed"][0] + float(m.group(1)), counts["missed"][1] or unit)   # "plus 4 odd days"
        elif role is None and unit and not percents:
            unplaced.append((float(m.group(1)), unit))
        elif role == "possible" and _OF_THE_REST.search(text[max(0, m.start(1) - 25):m.start(1)]):
            counts[role] = (float(m.group(1)), unit or counts[role][1])   # "84 of the other 90": the rest are not possible
        elif role == "closed":
            counts["closed"] = (counts.get("closed", (0.0, ""))[0] + float(m.group(1)), unit)
        elif role == "missed" and (_ALSO.search(text[max(0, m.start(1) - 12):m.start(1)]) or
                                   re.match(r"\s*(?:other|more|further|extra)\b", after, re.IGNORECASE)):
            counts[role] = (counts[role][0] + float(m.group(1)), counts[role][1] or unit)   # "12 ill and 10 on holiday"
        elif role == "missed" and re.match(r"^\s*(?:(?:un)?authori[sz]ed)\b", after, re.IGNORECASE):
            counts[role] = (counts[role][0] + float(m.group(1)), counts[role][1] or unit)   # authorised + unauthorised
    if "possible" not in counts and ("missed" in counts or "attended" in counts) and _A_YEAR.search(text) \
            and not percents:
        counts["possible"] = (float(SCHOOL_DAYS_A_YEAR), "days")
    given = [v for role, (v, _) in counts.items() if role in ("missed", "attended")]
    if "possible" not in counts and given and weeks and not unplaced:
        unit = next((u for role, (_, u) in counts.items() if role in ("missed", "attended") and u), "sessions")
        per_week = SCHOOL_DAYS_A_WEEK * (SESSIONS_A_DAY if unit == "sessions" else 1)
        counts["possible"] = (weeks[0] * per_week, unit)   # "12 sessions missed in 3 weeks": of 30 possible
    if "possible" not in counts and "attended" in counts and "missed" in counts and not percents \
            and len({counts["attended"][1], counts["missed"][1]} - {""}) <= 1:
        # "76 sessions attended, 4 missed": together they are every possible session
        counts["possible"] = (counts["attended"][0] + counts["missed"][0], counts["attended"][1] or counts["missed"][1])
    if "possible" not in counts and given and not weeks and not unplaced and _ONE_WEEK.search(text) \
            and (_A_PERCENTAGE.search(text) or re.search(r"\battendance\b", text, re.IGNORECASE)):
        # "missed 3 days last week, his attendance for the week?": the five school days of that week
        unit = next((u for role, (_, u) in counts.items() if role in ("missed", "attended") and u), "days")
        counts["possible"] = (float(SCHOOL_DAYS_A_WEEK * (SESSIONS_A_DAY if unit == "sessions" else 1)), unit)
    if "possible" not in counts and given and unplaced and max(unplaced)[0] > max(given):
        counts["possible"] = max(unplaced)   # "100 sessions, 6 absences": the largest unplaced count is the whole
    fraction = _FRACTION.search(text)
    if fraction and "possible" in counts and not ({"missed", "attended"} & set(counts)):
        counts["attended"] = (float(fraction.group(1)), counts["possible"][1])
    elif fraction and not counts and not percents and float(fraction.group(2)) >= MIN_WHOLE:
        # "150/180 sessions attended": a share written as a fraction, of sessions or days
        after = text[fraction.end():fraction.end() + 30]
        unit = "days" if _DAYS_UNIT.match(after) else "sessions" if _SESSIONS_UNIT.match(after) else ""
        before = text[max(0, fraction.start() - 16):fraction.start()]
        sense = "missed" if _MISSED_AFTER.match(after) or _MISSED_BEFORE.search(before) else "attended"
        if unit or _ATTENDED_AFTER.match(after) or sense == "missed" or \
                re.search(r"\b(?:what'?s|what is|work out)\b.{0,25}\battendance\b", text, re.IGNORECASE) or \
                re.match(r"\s*(?:as |for )?(?:an? |the |his |her |their )?(?:attendance|%|per ?cent|percentage)", after,
                         re.IGNORECASE):
            counts["possible"] = (float(fraction.group(2)), unit)
            counts[sense] = (float(fraction.group(1)), unit)
    by_code = code_counts(text, statistics) if statistics else {}
    if by_code and not percents:
        with_codes = _with_codes(counts, by_code, statistics, text)
        if with_codes is not None:
            return with_codes
    if "possible" in counts and ("missed" in counts or "attended" in counts) and not percents:
        possible, unit_p = counts["possible"]
        closed, unit_c = counts.get("closed", (0.0, ""))
        if closed and (unit_c or "days") == (unit_p or "days") and closed < possible:
            possible -= closed   # closure days were never possible sessions
        given_unit = (counts.get("attended") or counts.get("missed"))[1]
        if given_unit == "sessions" and unit_p == "days":
            possible, unit_p = possible * SESSIONS_A_DAY, "sessions"   # "23 sessions off in a 12 week term"
        if "attended" in counts:
            attended, unit_a = counts["attended"]
            if unit_a == "days" and unit_p == "sessions":
                attended, unit_a = attended * SESSIONS_A_DAY, "sessions"
        else:
            missed, unit_a = counts["missed"]
            if unit_a == "days" and unit_p == "sessions":
                missed, unit_a = missed * SESSIONS_A_DAY, "sessions"   # "4 days off out of 120 sessions"
            if missed > possible:
                raise CalculationError(f"{missed:g} missed is more than the {possible:g} possible")
            attended = possible - missed
        unit = unit_a or unit_p or "sessions"
        return replace(from_counts(attended, possible, unit), given="attendance" if "attended" in counts else "absence",
                       closed=closed if possible < counts["possible"][0] else None)
    if percents and (re.search(r"\b(attend\w*|att|absen\w*|miss\w*|off|away|pa|sa|persistent\w*|severe\w*|days?)\b", text,
                               re.IGNORECASE) or _PUPIL_ON_PERCENT.search(text)):
        m = percents[0]
        value = float(m.group(1))
        before, after = text[max(0, m.start() - 25):m.start()], text[m.end():m.end() + 15]
        # the word right after the figure says what it is ("days off is 90% attendance" is attendance)
        is_absence = bool(_ABSENCE_PERCENT_AFTER.match(after)) or (
            not _ATTENDANCE_PERCENT_AFTER.match(after) and bool(_ABSENCE_PERCENT.search(before)))
        so_far = _SO_FAR.search(text)
        days = float(so_far.group(1) or so_far.group(2)) if so_far else None
        possible, unit = counts.get("possible", (None, ""))
        if days is None and possible and (unit == "days" or not unit and re.search(r"\bdays?\b", text, re.IGNORECASE)):
            days = possible   # "93.5%, how many days missed out of 120?": the days so far are the 120
        if days is None and possible and (unit == "sessions" or not unit and re.search(r"\bsessions?\b", text,
                                                                                        re.IGNORECASE)):
            # "72% with 340 possible sessions, how many has he missed?": that share of the sessions given
            attendance = 100 - value if is_absence else value
            return replace(from_counts(round(possible * attendance / 100, 2), possible, "sessions"),
                           given="absence" if is_absence else "attendance")
        return from_percent(value, is_absence, days)
    return None


_WEEKS_IN_WORDS = {2.0: "two", 3.0: "three", 4.0: "four", 5.0: "five", 6.0: "six", 8.0: "eight", 10.0: "ten"}


def _how_often(absence: float) -> str:
    """Absence as a rhythm a parent recognises: "about one day every two weeks" (10%), "about 2 days a week" (40%)."""
    per_week = absence / 100 * 5
    if per_week <= 0:
        return ""
    if 0.7 <= per_week < 0.95:
        return "nearly one day a week"
    if per_week < 0.7:
        weeks = 1 / per_week
        weeks = float(round(weeks)) if abs(weeks - round(weeks)) < 0.15 else round(weeks, 1)
        named = _WEEKS_IN_WORDS.get(weeks)
        return f"about one day every {named or f'{weeks:g}'} weeks"
    return f"about {round(per_week, 1):g} day{'s' if round(per_week, 1) != 1 else ''} a week"


def describe(result: Attendance) -> str:
    """Explain a calculation in plain words, with the DfE thresholds and the local definition's difference."""
    lines = []
    if result.possible is not None:
        unit = result.unit
        missed = result.possible - result.attended
        sessions = f", {missed * 2:g} sessions" if unit == "days" else f", {missed / 2:g} days"
        lines.append(f"Attended {result.attended:g} of {result.possible:g} possible {unit} ({missed:g} missed"
                     f"{sessions}): attendance {shown(result.attendance)}, absence {shown(result.absence)}.")
        if result.closed:
            lines.append(f"The {result.closed:g} {unit} the school was closed are taken out: a whole-school closure "
                         "is not a possible session.")
        if result.by_code:
            lines.append("Counted by code: " + "; ".join(f"{code} {n:g} ({counts})" for code, n, counts in result.by_code)
                         + ". Present and approved educational activity codes count as attending; every absence "
                         "code, authorised or not, counts as missed.")
    else:
        lines.append(f"Attendance {shown(result.attendance)} means absence of {shown(result.absence)}.")
        if result.days_so_far:
            missed = result.absence / 100 * result.days_so_far
            lines.append(f"Over the {result.days_so_far:g} school days so far that is {missed:g} days missed "
                         f"({missed * 2:g} sessions).")
    if result.severe:
        lines.append("This is severe absence: missing 50% or more of possible sessions. It is also persistent "
                     "absence (10% or more).")
    elif result.persistent:
        lines.append("This is persistent absence: missing 10% or more of possible sessions. It is not severe absence "
                     "(missing 50% or more).")
    else:
        lines.append("This is below the persistent absence threshold (missing 10% or more of possible sessions); "
                     "severe absence is missing 50% or more.")
        if result.possible is not None:
            # the sessions (or days) missed out of these possible ones at which the pupil would be persistently absent
            at = missed_at(result.possible, PERSISTENT_ABSENCE)
            more = at - (result.possible - result.attended)
            lines.append(f"Out of these {result.possible:g} possible {result.unit}, persistent absence starts at {at:g} "
                         f"missed: {more:g} more than now.")
    days = result.days_missed_a_year
    lines.append(f"Over a school year of {SCHOOL_DAYS_A_YEAR} days that is about {round(days, 1):g} days missed "
                 f"({round(days * 2):g} sessions), on the same basis as the hub figure: 90% attendance = 19 days "
                 "missed per year.")
    how_often = _how_often(result.absence)
    if how_often:
        lines.append(f"In a five-day school week that is {how_often}.")
    if abs(result.absence - PERSISTENT_ABSENCE) < 0.05:
        lines.append("Note: the HSCP briefing describes persistent absence as attendance below 90%, but the DfE "
                     "measure is missing 10% or more, so exactly 90% attendance already counts as persistent.")
    lines.append("All absence counts, authorised or not.")
    return "\n".join(lines)
