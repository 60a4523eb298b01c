"""Recognise attendance codes named in a question, and decide late marks (L or U) from arrival and closing times."""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

_CANDIDATE = re.compile(r"(?<![\w/\\#.])([/\\#]|[A-Za-z][1-7]?)(?![\w/\\#]|\.\d)")
# Words before a letter that make it a code: "code I", "mark it U", "an I", "is it Y1", "why not O".
_BEFORE = re.compile(r"(?:\bcodes?|\bmarks?|\bcoded|\bmarked|\brecord(?:ed)?(?: (?:it|him|her|them))?(?: as)?|"
                     r"\b(?:code|mark|put|enter|use) (?:it|him|her|them|this|that)(?: as| down as)?|\bas an?|\ban|"
                     r"\bput|\buse|\bused|\busing|\benter|\b(?:wants|says|said|say|suggests|suggested|reckons|reckoned|thinks|thought|told (?:me|us|them)|shows|gives|puts|defaults to)|\b(?:get|gets|give|given|giving)(?: (?:it|him|her|them))?(?: an?)?|\bis it|\bis that|\bis this|\bit'?s|\bbe|\bwhy not|\bnot|"
                     r"\bwhat does|\bwhat is|\bwhat'?s|\bwhats|\bexplain|\bdefine|\bmeaning of|\babout|\bis|\bwith|\bcount(?:s|ed)? as(?: an?)?)"
                     r"(?:\s+(?:still|just|then|now|really|definitely|actually|always|surely|automatically|plain|simply|"
                     r"basically))?\s+['\"]?$",
                     re.IGNORECASE)
# Words after a letter that make it a code: "U code", "C2 mean", "B?" at the end, "B instead".
_AFTER = re.compile(r"^['\"]?\s*(?:codes?\b|marks?\b|bits?\b|sessions\b|ones\b|mean|stand|\?|$|[.!]?\s*$|instead|rather|because\b|"
                    r"again\b(?= ?(?:\?|or\b|then\b|too\b|as well\b|$))|for (?:the|a|an) "
                    r"(?:session|day|morning|afternoon))|^(?:'?s)?\s+(?:count(?:s|ed)?|(?:should|do|does|would) "
                    r"(?:\w+ )?count|(?:are|is) (?:counted|classed|classified|treated))\b|"
                    r"^\s+to (?:be (?:ok|okay|right|used|correct|allowed)|apply|fit)\b|"   # "what has to be true for B to be ok?"
                    r"^\s+(?:week|weeks|days|sessions|one)\b(?=[^.?!]{0,40}\b(?:count|fine|penalt|authori[sz]ed|"
                    r"absence|code|mark))", re.IGNORECASE)   # "the G week, does that go towards a fine?"
_PAIR_WORD = re.compile(r"^\s*(?:or|vs\.?|versus|and|/|,|then|becomes?|turns? into|changes? to|changed to|to|into)\s*$",
                        re.IGNORECASE)
# A year group written like a code ("Y6 girl", "y4 lad") is never read as one.
_PERSON = re.compile(r"^\s*(?:girl|boy|lad|lass|pupil|student|child|kid|class|teacher|group|parent|mum|dad|"
                     r"cohort|sats|transition|residential|trip|s\b|'s|son|daughter|form|tutor|team|year|intake|"
                     r"leaver|footballer|[a-z]+er\b)", re.IGNORECASE)
_DISTINCTIVE = {"C1", "C2", "J1"}
_NUMBER_OF = re.compile(r"\s*of\b")   # "# of days": the sign for "number", not the code


_YEAR_GROUP = re.compile(r"\b(?:yr?\s?(?:[89]|1[0-3])|yr\s?[1-7])\b|\byear\s?\d{1,2}(?=\s*(?:girl|boy|lad|lass|pupil|"
                         r"student|child|kid|son|daughter)s?\b)|\b(?:in|our|my|from|into|a|an|the|of|for|this|"
                         r"his|her|their|whole)\s+y[1-7]\b|\by[1-7](?=\s*(?:girl|boy|lad|lass|pupil|student|child|kid|"
                         r"class|group|cohort|sats|transition|son|daughter|form|tutor|team|intake|leaver|with|who|has|is|"
                         r"was|at|in|on)\b)|\bks\s?[1-5](?=\s*(?:girl|boy|lad|lass|pupil|student|child|kid|learner)s?\b)",
                         re.IGNORECASE)


_YEAR_MOVE = re.compile(r"\b(?:from\s+)?(?:y|yr|year)\s?\d{1,2}\s*(?:to|-|–|into|and)\s*(?:y|yr|year)\s?\d{1,2}\b",
                        re.IGNORECASE)


def without_year_groups(text: str) -> str:
    """The text with year groups ("Y9 lad", "yr10", "our Y5 pupil") blanked out: they name who is asked about,
    never what the question is, and Y1 to Y7 would otherwise be read as the attendance codes they look like."""
    spans = [m.span() for m in _YEAR_MOVE.finditer(text)]   # "Y6 to Y7" names a transition: kept
    return _YEAR_GROUP.sub(lambda m: m.group(0) if any(a <= m.start() < b for a, b in spans) else
                           re.sub(r"(?:y(?:r|ear)?|ks)\s?\d+", " ", m.group(0), flags=re.IGNORECASE), text)


def _year_span(a: str, b: str, between: str) -> bool:
    """True for two year groups joined as a span or a move ("Y6 to Y7", "Y6-Y7"), which are not codes."""
    return (a[0] == b[0] == "Y" and len(a) == len(b) == 2
            and not re.fullmatch(r"\s*(?:or|vs\.?|versus|/|,)\s*", between, re.IGNORECASE))


_RULED_OUT = re.compile(r"\b(?:(?:obviously|definitely|clearly|surely|so|and|but|it'?s|its|it is|"
                        r"that'?s) )?(?:not|isn'?t|is not|can'?t be|cannot be|wouldn'?t be|never)\s+(?:an?\s+|code\s+)?['\"]?$",
                        re.IGNORECASE)

_WHY_NOT = re.compile(r"\bwhy\s+(?:\w+\s+)?not\s+(?:an?\s+)?['\"]?$", re.IGNORECASE)   # asking, not ruling out


def ruled_out(text: str, code: str) -> bool:
    """True when the message names a code only to rule it out ("obviously not O"), never when it asks "why not O"."""
    for m in re.finditer(rf"(?<![\w/\\#]){re.escape(code)}(?![\w/\\#])", text, re.IGNORECASE if len(code) > 1 else 0):
        before = text[max(0, m.start() - 30):m.start()]
        if not _RULED_OUT.search(before) or _WHY_NOT.search(before):
            return False
    return True


# "I" followed by what a person does ("mark I need", "I think", "I'm") is the pronoun
_PRONOUN_I = re.compile(r"\s*(?:need|needs|have|had|put|think|thought|want|wanted|should|can|could|do|did|use|used|am|was|"
                        r"will|would|guess|reckon|mean|meant|know|just|also|got|get|must|'m|'d|'ll|'ve)\b", re.IGNORECASE)
_SYMBOL_WORDS = re.compile(r"\b(?:forward[- ]?slash|back[- ]?slash)\b", re.IGNORECASE)   # the present marks in words


def mentioned_codes(text: str, known: set[str]) -> list[str]:
    """Return the attendance codes a question names as codes, in order: never the pronoun "I", the article "a"
    or a year group such as "Y6 girl"."""
    text = _SYMBOL_WORDS.sub(lambda m: "\\" if m.group(0).lower().startswith("back") else "/", text)
    cands = [(m.start(1), m.end(1), m.group(1)) for m in _CANDIDATE.finditer(text)]
    cands = [(a, b, raw) for a, b, raw in cands if raw.upper() in known]
    bare = text.strip().strip("?.!'\" ").strip()
    found: list[str] = []
    for i, (a, b, raw) in enumerate(cands):
        code = raw.upper()
        before, after = text[max(0, a - 30):a], text[b:b + 40]
        if bare.upper() in (code, f"CODE {code}", f"MARK {code}"):
            found.append(code)
            continue
        if code[0] == "Y" and len(code) == 2 and (_PERSON.match(after) or re.search(
                r"\bY[1-9]\d?\s*(?:to|-|–|into|and)\s*$|\bfrom\s*$", before, re.IGNORECASE)
                or re.match(r"\s*(?:to|-|–|into)\s*Y\d", after, re.IGNORECASE)):
            continue  # a year group, or a move between year groups ("from Y6 to Y7")
        if code[0] == "Y" and len(code) == 2 and re.search(
                r"\b(?:kids?|child(?:ren)?|pupils?|boys?|girls?|lads?|students?|someone|sister|brother|son|daughter)"
                r"\s+(?:in|from)\s+$", before, re.IGNORECASE):
            continue  # "a kid in Y5": the pupil's year group
        if code[0] == "Y" and len(code) == 2 and re.match(r"\s*[.!]?\s*$", after) and not _BEFORE.search(before) \
                and re.search(r",\s*$", before) and not re.search(r"\b(?:codes?|mark|register|reg|coded|marked)\b", text, re.I):
            continue  # "who do I refer to in Totton, Y4": a year group added at the end of a statement
        if code == "D" and re.match(r"\s*(?:&|and|\+)\s*V\b", after, re.IGNORECASE):
            continue  # "off with D&V": diarrhoea and vomiting
        if code == "V" and re.search(r"\bD\s*(?:&|and|\+)\s*$", before, re.IGNORECASE):
            continue
        if code == "I" and _PRONOUN_I.match(after):
            continue  # "it's his afternoon mark I need": the pronoun, whatever comes before it
        single = len(raw) == 1 and raw.isalpha()
        if single and not raw.isupper() and not re.search(r"\b(?:code|mark|codes|marks)\s+['\"]?$", before, re.I):
            continue
        asked_alone = bool(re.search(r"(?:^|[.!?]\s+)$", before)) and after.lstrip().startswith("?")
        strong = code in _DISTINCTIVE or (code == "#" and not _NUMBER_OF.match(after)) or bool(_BEFORE.search(before)) \
            or bool(_AFTER.match(after)) or asked_alone
        if code == "I" and not asked_alone and not (_BEFORE.search(before) and not re.search(
                r"\b(?:is|what'?s|whats|what is|about|with|be|it'?s)\s*$", before, re.I)):
            strong = False  # "I" is the pronoun unless written after "code", "mark", "an", "as" ...
        paired = any(_PAIR_WORD.match(text[pb:a] if pb < a else text[b:pa])
                     for j, (pa, pb, praw) in enumerate(cands) if j != i and (pb <= a or pa >= b)
                     and (len(praw) > 1 or praw.isupper() or not praw.isalpha())
                     and abs((pa if pa >= b else a) - (b if pa >= b else pb)) <= 12
                     and not _year_span(code, praw.upper(), text[pb:a] if pb < a else text[b:pa]))
        if (strong or paired) and code not in found:
            found.append(code)
    return found


_TIME = re.compile(r"\b(\d{1,2})(?:[.:h](\d{2}))?\s*(am|pm|a\.m\.|p\.m\.)?(?![\d%])", re.IGNORECASE)
_ARRIVE = re.compile(r"\b(arriv\w*|came in|comes in|come in|got in|gets in|turn\w* up|walked in|wandered in|"
                     r"strolled in|strolls in|wanders in|rolled in|rolls in|rocked up|rocks up|rocking up|(?:walked|wandered|strolled|came|ran|rolled|sauntered|breezed) into "
                     r"(?:school|reception|the office|class|the building|the school|the classroom)|showed up|got here|gets here|got to school|signed in|in at|in by|late at|"
                     r"(?:came|comes|come|got|gets|get|getting|was|is|wandered|walked|strolled|wanders|walks) back|returned|returns|back at|back in at|"
                     r"back from (?:the |her |his |their |an? )?(?:\w+ ){0,2}?(?:dentist|doctor'?s?|gp|hospital|appointment|appt|"
                     r"orthodontist|optician|clinic|physio)\w*|"
                     r"(?:gets?|got|getting|makes? it|made it) (?:to|into) (?:us|school|class|the school|site|our school)|"
                     r"made it in|walks in|ran in|runs in|sauntered in|breezed in|(?:was|is) in at|in school (?:at|by)|back in by|"
                     r"reached school|dropped off|appeared|got to (?:the )?(?:office|reception|class|gate|front desk)|came (?:in )?through (?:the )?(?:doors?|gates?|office|reception|main entrance|front entrance|front door)|came into school|"
                     r"got into school|arrived at school|brought (?:him|her|them)(?: in| into school)?|dropped (?:him|her|them) "
                     r"off|dropped off)\b", re.IGNORECASE)
_CLOSE = re.compile(r"\b(clos\w*|shut\w*|ends?|until|till|til|finish\w*|lock(?:s|ed)?)\b", re.IGNORECASE)
_REGISTER_CLOSE = re.compile(r"\b(?:reg|regs|register|registers|registration)\s+(?:\w+\s+)?(?:clos\w*|shut\w*|ends?|"
                             r"finish\w*|lock(?:s|ed)?)\b", re.IGNORECASE)
_RANGE = re.compile(r"(?:\b|between\s+)(\d{1,2}[.:]\d{2})\s*(?:-|–|to|until|till|'?til|(?<=\d)\s*and(?=\s))\s*"
                    r"(\d{1,2}[.:]\d{2}|\d{1,2}(?=\s*(?:am|a\.m\.)))")   # "8.45 to 9.10", "8.45 to 9am"
_REGISTER_OPEN = re.compile(r"\b(?:reg|regs|register|registers|registration)\s+(?:opens?|opened|starts?|started|begins?|"
                            r"began|is taken|was taken)(?:\s+at)?\s+(?=\d)", re.IGNORECASE)   # (not "open till 9.10")
_OPEN = re.compile(r"\b(opens?|opened|starts?|started|begins?|began|from|taken at|called at)\s*$", re.IGNORECASE)
# Times that are something else happening: leaving, an appointment, a lesson
_OTHER_EVENT = re.compile(r"\b(left|leave|leaves|leaving|collected|picked up|went home|sent home|signed out|appointment|appt|"
                          r"dentist|doctor|gp|hospital|clinic|exam|lesson|period|lunch|break|assembly|bus|train|taxi|"
                          r"opens?|opened|starts?|started|begins?|began|from|taken|called|rang|phoned|emailed|"
                          r"texted|messaged|between)\b[^.?!\d]{0,20}$", re.IGNORECASE)
# An arrival this late in the morning is after any register closes (a register stays open at most 30 minutes)
SURELY_AFTER_CLOSE = 10 * 60 + 30
SURELY_LATE = 9 * 60 + 30        # ... and from this time the morning register has surely been taken: late, but open?


@dataclass(frozen=True)
class LateDecision:
    """The mark for a late arrival, with the times it was decided from."""

    code: str
    arrival: int
    close: int
    opened: int | None = None


AFTERNOON_BEFORE = 7   # a clock hour below this, without am or pm, is in the afternoon of a school day


def clock_minutes(hour: str, minute: str | None, half: str | None) -> int | None:
    """A clock time as minutes after midnight, read as in a school day (None when it is no time)."""
    h, m = int(hour), int(minute or 0)
    if m > 59 or h > 23:
        return None
    if (half and half.lower().startswith("p") and h < 12) or (not half and 1 <= h < AFTERNOON_BEFORE):
        h += 12   # "1.05" in a school day is the afternoon
    return h * 60 + m


def _time_after(pattern: re.Pattern, text: str, window: int = 40) -> int | None:
    """Return the first clock time that follows a cue word within a few characters."""
    for cue in pattern.finditer(text):
        m = _TIME.search(text, cue.end(), cue.end() + window)
        if m is None:
            continue
        gap = text[cue.end():m.start()]
        closing = pattern is not _ARRIVE
        other = _ARRIVE if closing else _CLOSE
        if other.search(gap):
            continue  # the time belongs to the other cue ("got in late, register closes 9.00")
        on_the_hour = (re.search(r"\b(?:at|bang on|dead on|spot on)\s*$", gap) or (closing and re.fullmatch(r"\s*", gap))) \
            and 7 <= int(m.group(1)) <= 12
        if m.group(2) or m.group(3) or on_the_hour:
            return clock_minutes(m.group(1), m.group(2), m.group(3))
    return None


_HOURS = {w: i for i, w in enumerate("one two three four five six seven eight nine ten eleven twelve".split(), 1)}
_SPOKEN = re.compile(r"\b(half|quarter|ten|twenty|five|twenty[- ]five)\s+(past|to|after)?\s*(" + "|".join(_HOURS) +
                     r")\b|\b(" + "|".join(_HOURS) + r")\s+o'?\s?clock\b|\bhalf\s+(" + "|".join(_HOURS) + r")\b|"
                     r"\b(?:just|shortly|a bit|a little|a few minutes?|a couple of minutes|not long)\s+(before|after|past)\s+(" +
                     "|".join(_HOURS) + r"|[7-9]|1[0-2])\b(?![.:]\d)(?!\s*(?:minutes?|mins?|hours?|o'?clock|past|to|am|pm)\b)", re.IGNORECASE)
_MINUTES = {"half": 30, "quarter": 15, "ten": 10, "twenty": 20, "five": 5, "twenty-five": 25, "twenty five": 25}


def spoken_times(text: str) -> str:
    """Write times said in words as clock times: "half nine" -> 9.30, "quarter to ten" -> 9.45."""
    def convert(m: re.Match) -> str:
        if m.group(6):   # "just before ten" is a few minutes before the hour, "just after ten" a few after
            hour = _HOURS[m.group(7).lower()] if m.group(7).lower() in _HOURS else int(m.group(7))
            return f"{hour - 1}.55" if m.group(6).lower() == "before" else f"{hour}.05"
        if m.group(4):
            return f"{_HOURS[m.group(4).lower()]}.00"
        if m.group(5):
            return f"{_HOURS[m.group(5).lower()]}.30"
        minutes, direction, hour = _MINUTES[m.group(1).lower().replace("-", " ")], (m.group(2) or "").lower(), \
            _HOURS[m.group(3).lower()]
        if direction == "to":
            return f"{hour - 1}.{60 - minutes:02d}"
        if direction or m.group(1).lower() == "half":
            return f"{hour}.{minutes:02d}"
        return m.group(0)
    text = _SPOKEN.sub(convert, text)
    # "got in at twenty past nine, registers shut at ten past": a time past no hour is past the hour just told
    hours = re.findall(r"\b(\d{1,2})\.\d{2}\b", text)
    if hours:
        text = _PAST_NO_HOUR.sub(lambda m: f"{hours[0]}.{_MINUTES[m.group(1).lower().replace('-', ' ')]:02d}", text)
    return text


_PAST_NO_HOUR = re.compile(r"\b(half|quarter|ten|twenty|five|twenty[- ]five) past\b(?!\s*(?:" + "|".join(_HOURS) +
                           r"|\d))", re.IGNORECASE)


def tells_arrival(text: str) -> bool:
    """True when the message says when or that a pupil arrived ("got in at 9.20"), not only times of other events."""
    return bool(_ARRIVE.search(_times_told(text)))


def decide_late(text: str) -> LateDecision | None:
    """Decide L or U when a question gives both an arrival time and the time the register closed."""
    text = _times_told(text)
    arrival = _time_after(_ARRIVE, text)
    # the register's own closing time first ("school closed at 12 ... reg closes 9.10")
    close = _time_after(_REGISTER_CLOSE, text) or _time_after(_CLOSE, text)
    opened = None
    span = _RANGE.search(text)
    if span:
        start, end = (clock_minutes(*(re.split(r"[.:]", s) + [None])[:2], None) for s in span.groups())
        if start is not None and end is not None:
            opened = start
            close = close if close is not None else end
    if opened is None:
        opened = _time_after(_REGISTER_OPEN, text, window=12)   # "reg started 8.45 and closes 9.15"
    if close is None:
        close = _close_from_length(text, opened)   # "shuts 25 mins after it opens at 8.35"
    corrected = _corrected_time(text)
    if corrected is not None and arrival is not None:
        arrival = corrected   # "got here at 9.05, actually scrap that, it was 9.25"
    if arrival is None and close is not None:
        arrival = _only_other_time(text, close, opened)
    if arrival is None or close is None or arrival == opened:
        return None
    return LateDecision("L" if arrival <= close else "U", arrival, close, opened)


# How long the register stays open, told instead of its closing time ("shuts 25 mins after it opens at 8.35",
# "opens 8.50 and is open a full 30 minutes").
_OPEN_FOR = re.compile(r"\b(?:shuts?|shut it|closes?|close it|closed|open(?: for)?|runs? from \S+ for)\s+(?:a (?:full )?|the full |full |for "
                       r"(?:the )?(?:full )?)?(\d{1,2}|half an hour|half hour|twenty|fifteen|ten|thirty|twenty[- ]five)\s*"
                       r"(?:mins?|minutes|(?<=hour)|(?<=half an hour))(?:\s+(?:later|after that))?"
                       r"(?:\s+(?:after|from)\s+(?:it\s+)?(?:opens?|opening|starts?|begins?|is taken)(?:\s+at)?\s*"
                       r"(\d{1,2}[.:]\d{2})?)?", re.IGNORECASE)
_OPENS_AT = re.compile(r"\b(?:opens?|opened|starts?|begins?|runs? from)(?:\s+at)?\s+(?=\d)", re.IGNORECASE)


def _close_from_length(text: str, opened: int | None) -> int | None:
    """The register's closing time worked out from the time it opens and how long it stays open."""
    told = _OPEN_FOR.search(text)
    if told is None:
        return None
    start = told.group(2)
    base = clock_minutes(*re.split(r"[.:]", start)[:2], None) if start else \
        (opened if opened is not None else _time_after(_OPENS_AT, text, window=12))
    said = told.group(1).lower().replace("-", " ")
    length = int(said) if said.isdigit() else _LENGTH_WORDS[said]
    return base + length if base is not None and 0 < length <= 60 else None


_LENGTH_WORDS = {"half an hour": 30, "half hour": 30, "twenty": 20, "fifteen": 15, "ten": 10, "thirty": 30,
                 "twenty five": 25}


def register_window(text: str) -> tuple[int, int] | None:
    """The times a register opens and closes, when a message gives both ("our reg is open 8.40 til 9.20", "reg opens
    8.45 and closes 9.20") and tells no arrival: how long it stays open is what is asked."""
    text = _times_told(text)
    return None if tells_arrival(text) else _window_told(text)


def _window_told(text: str) -> tuple[int, int] | None:
    """Both of a register's times in a message already read for spoken times and known to tell no arrival."""
    if not re.search(r"\b(?:reg|regs|register|registers|registration)\b", text, re.IGNORECASE):
        return None
    span = _RANGE.search(text)
    if span:
        start, end = (clock_minutes(*(re.split(r"[.:]", s) + [None])[:2], None) for s in span.groups())
    else:
        start = _time_after(_REGISTER_OPEN, text, window=12)
        end = _time_after(_REGISTER_CLOSE, text) or _time_after(_CLOSE, text)
    if start is None or end is None or not 0 < end - start <= 180:
        return None
    return start, end


def register_times(text: str, it_is_the_register: bool = False) -> tuple[int | None, int | None]:
    """The time a register opens and the time it closes, each when the message gives it ("reg opens 8.45", or "what if
    it opened at 8.30?" when "it" is the register just discussed) and tells no arrival; None for either not told."""
    text = _times_told(text)
    if tells_arrival(text):
        return None, None
    told = _window_told(text)
    if told is not None:
        return told
    opened, closed = _time_after(_REGISTER_OPEN, text, window=12), _time_after(_REGISTER_CLOSE, text)
    if it_is_the_register:
        opened = opened or _time_after(_IT_OPENED, text, window=12)
        closed = closed or _time_after(_IT_CLOSED, text)
    return opened, closed


# "if it opened at 8.30", "and if it shut at 9.20": a register's time told of "it" after the register was discussed
_IT_OPENED = re.compile(r"\b(?:it|that|ours|the morning one|the afternoon one)\s+(?:opens?|opened|starts?|started|"
                        r"began|begins)(?:\s+at)?\s+(?=\d)", re.IGNORECASE)
_IT_CLOSED = re.compile(r"\b(?:it|that|ours|the morning one|the afternoon one)\s+(?:closes?|closed|shuts?|shut|ends?|"
                        r"ended)(?:\s+at)?\s+(?=\d)", re.IGNORECASE)


# "didn't get to school until 10.40", "wasn't in till 11": the time after it is when the pupil arrived
_NOT_UNTIL = re.compile(r"\b(?:did ?n'?t|did not|was ?n'?t|was not|not)\s+(?:get|arrive|come|turn up|show up|make it|in)"
                        r"(?:\s+(?:in|to school|to us|here|into school|at school))?\s+(?:until|till|'?til)\b", re.IGNORECASE)


@lru_cache(maxsize=16)
def _times_told(text: str) -> str:
    """The message with spoken times as clock times, and "didn't get in until 10.40" read as an arrival (remembered
    for the last few messages, which several readings of times start from)."""
    text = spoken_times(text)
    held_up = _NOT_UNTIL.search(text)
    return text[:held_up.start()] + " arrived at " + text[held_up.end():] if held_up else text


# A message correcting itself ("actually scrap that, it was 9.25", "sorry, I meant the afternoon"): what follows
# replaces what was said before.
CORRECTION = re.compile(r"\b(?:scrap that|sorry|i meant|meant to say|actually|correction|no wait|my mistake|i mean)\b",
                        re.IGNORECASE)


def _corrected_time(text: str) -> int | None:
    """The clock time a message gives just after correcting itself, unless it is a closing time."""
    corrections = list(CORRECTION.finditer(text))
    if not corrections:
        return None
    last = corrections[-1]
    m = _TIME.search(text, last.end(), last.end() + 30)
    if m is None or not m.group(2) or _CLOSE.search(text[last.end():m.start()]):
        return None
    return clock_minutes(m.group(1), m.group(2), m.group(3))


# The time the register is taken ("afternoon reg is 1.05", "register taken at 8.45").
_REGISTER_AT = re.compile(r"\b(?:reg|register|registration)\b(?: (?:is|was|opens?|starts?|taken|called|done|at)){1,3}\s*$",
                          re.IGNORECASE)


def arrived_before_register(text: str) -> bool:
    """True when the message gives an arrival time before the time the register is taken, and no closing time: the
    pupil was there when it was taken."""
    text = _times_told(text)
    arrival = _time_after(_ARRIVE, text)
    if arrival is None or _time_after(_CLOSE, text) is not None or _RANGE.search(text):
        return False
    for m in _TIME.finditer(text):
        if m.group(2) and _REGISTER_AT.search(text[max(0, m.start() - 30):m.start()]):
            taken = clock_minutes(m.group(1), m.group(2), m.group(3))
            return taken is not None and arrival < taken
    return False


def late_without_register_times(text: str) -> tuple[str, int] | None:
    """How late a morning arrival is when the message gives no register times, with the arrival time: "late-after"
    from 10.30 to 11.59 (any register had closed: it may stay open at most 30 minutes), "late" from 9.30 to 10.29 (the
    register was surely taken; whether it had closed is the question left); None otherwise."""
    text = _times_told(text)
    arrival = _time_after(_ARRIVE, text)
    if arrival is None or _time_after(_CLOSE, text) is not None or _RANGE.search(text):
        return None
    if SURELY_AFTER_CLOSE <= arrival < 12 * 60:
        return "late-after", arrival
    return ("late", arrival) if SURELY_LATE <= arrival < SURELY_AFTER_CLOSE else None


def _only_other_time(text: str, close: int, opened: int | None) -> int | None:
    """The arrival when the message gives the closing time and just one other clock time, which no other event
    claims ("reg closes 9.05, she gets to us about 8.58")."""
    others = set()
    for m in _TIME.finditer(text):
        if not (m.group(2) or m.group(3)):
            continue
        minutes = clock_minutes(m.group(1), m.group(2), m.group(3))
        before = text[max(0, m.start() - 30):m.start()]
        if minutes is None or minutes in (close, opened) or _OTHER_EVENT.search(before) or _OPEN.search(before):
            continue
        others.add(minutes)
    return others.pop() if len(others) == 1 else None


def clock(minutes: int) -> str:
    """Format minutes after midnight as 9.05 (the afternoon as 1.25, as a school day is spoken of)."""
    hour = minutes // 60
    return f"{hour - 12 if hour > 12 else hour}.{minutes % 60:02d}"
