"""Read a pupil's register marks (a typed run, a week grid copied from a management information system, or a CSV of
date, session and mark) into sessions in order, with their dates when given. Nothing is guessed: an unknown mark, an
odd number of sessions or an impossible date is reported with its position."""
from __future__ import annotations

import csv
import io
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from typing import NamedTuple
from datetime import date, timedelta

DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
HALVES = ("AM", "PM")
MAX_SESSIONS = 2000           # about five school years: more is not one pupil's register
MAX_FILE_BYTES = 1_000_000
MAX_ERRORS_SHOWN = 5
_SEPARATORS = re.compile(r"[\s,;|]+")
_MONTHS = {m: i + 1 for i, m in enumerate(("jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct",
                                           "nov", "dec"))}
_DATE = re.compile(
    r"(?P<dmy>\b(?P<d>\d{1,2})[/.-](?P<m>\d{1,2})[/.-](?P<y>\d{2}|\d{4})\b)"
    r"|(?P<iso>\b(?P<iy>\d{4})-(?P<im>\d{1,2})-(?P<id>\d{1,2})\b)"
    r"|(?P<text>\b(?P<td>\d{1,2})(?:st|nd|rd|th)?\s+(?P<tm>[A-Za-z]{3,9})\.?,?\s*(?P<ty>\d{4}|\d{2})?\b)")
_LABEL = re.compile(r"^\s*(?:w/?c|w/b|wk|week(?: commencing| beginning| starting)?)\b\.?:?\s*", re.IGNORECASE)
_WEEKDAY = re.compile(r"^\s*(?:mon|tue|tues|wed|thu|thur|thurs|fri)(?:day|nesday|sday|rsday)?\.?,?\s+(?=\d)", re.IGNORECASE)
_WEEK_NUMBER = re.compile(r"^\d{1,2}\s*[:.)-]?\s+")
_HEADER = re.compile(r"^\s*((mon|tue|wed|thu|fri|am|pm|m|t|w|f|date|week|wk|w/c|sessions?|marks?)\b[\s,;|:-]*)+$",
                     re.IGNORECASE)
_HALF_LABEL = re.compile(r"^(am|pm|morning|afternoon)[:.]?$", re.IGNORECASE)
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u2028-\u202e\u2060-\u2064\ufeff]")
_SESSION_WORDS = {"am": 0, "a": 0, "morning": 0, "1": 0, "pm": 1, "p": 1, "afternoon": 1, "2": 1}


class RegisterError(ValueError):
    """The marks cannot be read as a register; the message says which position is wrong and why."""


class Mark(NamedTuple):
    """One session's mark, where it sits in the register (week, school day, half) and its date when known."""

    mark: str
    position: int             # 1-based, in register order
    day: int                  # 0-based school day in the register
    half: int                 # 0 morning, 1 afternoon
    week: int                 # 0-based school week (row of a grid, or calendar week when dated); -1 when unknown
    when: date | None = None

    def where(self) -> str:
        """Where this session is, in the words a practitioner would use to find it."""
        if self.when is not None:
            return f"{DAYS[self.when.weekday()]} {self.when:%d/%m/%Y} {HALVES[self.half]}"
        if self.week >= 0:
            return f"week {self.week + 1}, {DAYS[self.day % 5]} {HALVES[self.half]}"
        return f"day {self.day + 1} {HALVES[self.half]}"


@dataclass(frozen=True)
class Register:
    """A pupil's sessions in order, and what is known about them: dates, and week rows."""

    marks: tuple[Mark, ...]
    form: str                 # run | grid | csv
    dated: bool = False
    weeks_known: bool = False


# --- reading marks ----------------------------------------------------------------------------------------------
@lru_cache(maxsize=4096)
def mark_units(token: str, codes: frozenset[str]) -> tuple[tuple[str, bool], ...]:
    """Every session a token holds, in order: (mark, True) for a code, (characters, False) for a stretch that is
    not one (each stretch stands for one session, so later positions stay right)."""
    out: list[tuple[str, bool]] = []
    i = 0
    while i < len(token):
        if token[i:i + 2] in codes:
            out.append((token[i:i + 2], True))
            i += 2
        elif token[i] in codes:
            out.append((token[i], True))
            i += 1
        else:
            j = i + 1
            while j < len(token) and token[j] not in codes and token[j:j + 2] not in codes:
                j += 1
            out.append((token[i:j], False))
            i = j
    return tuple(out)


def _normalise(text: str) -> str:
    """Fold look-alike characters people paste (full-width slashes, fancy dashes) and drop control characters."""
    text = re.sub("[\ud800-\udfff]", "\ufffd", text)
    text = unicodedata.normalize("NFKC", text)
    text = text.replace("\u2044", "/").replace("\u2215", "/").replace("\u29f5", "\\").replace("\ufe68", "\\")
    return _CONTROL.sub("", text)


@lru_cache(maxsize=4096)
def _markish(token: str, codes: frozenset[str], upper: bool) -> str:
    """'good' if a token is wholly marks, 'bad' if it is written like marks but holds something that is not one,
    '' if it is ordinary words."""
    if upper:
        token = token.upper()
    if not token or len(token) > 2 * MAX_SESSIONS:
        return ""
    if all(known for _, known in mark_units(token, codes)):
        return "good"
    if ("/" in token or "\\" in token) and re.fullmatch(r"[/\\#A-Za-z0-9*?.+-]+", token) and \
            not _DATE.fullmatch(token):
        return "bad"
    return ""


@dataclass
class _Line:
    """One line of pasted text: its date (if any) and the tokens read as marks."""

    number: int
    when: date | None
    tokens: list[str]
    prose_words: int
    date_written: bool = False    # the row starts with something written as a date, real or not
    half: str = ""                # "AM" or "PM" when the row holds one half of each day (a morning row, an afternoon row)


_ROW_START = re.compile(r"(?=\b(?:w/c|w/b|wk|week(?: commencing| beginning| starting)?)\b)|(?<![\w/])(?=\d{1,2}[/.-]\d{1,2}"
                        r"[/.-]\d{2,4}\b)|(?<![\w-])(?=\d{4}-\d{2}-\d{2}\b)", re.IGNORECASE)


def _rows(text: str) -> list[str]:
    """The text's lines; several dated or labelled weeks written on a single line ("w/c 02/09 ... w/c 09/09 ...") are
    split into a line each."""
    lines = text.splitlines()
    if sum(1 for line in lines if line.strip()) > 1:
        return lines                # already a week a line
    out = []
    for line in lines:
        starts = [m.start() for m in _ROW_START.finditer(line)]
        starts = [p for i, p in enumerate(starts) if i == 0 or p != starts[i - 1]]
        if len(starts) >= 2:
            out.extend(piece for piece in (line[a:b] for a, b in zip([0, *starts], [*starts, len(line)]))
                       if piece.strip())
        else:
            out.append(line)
    return out


def _line_date(text: str, number: int, errors: list[str]) -> tuple[date | None, str, bool]:
    """A date at the start of a grid row (after an optional 'w/c' or 'week' label), and the rest of the line."""
    rest = text
    if _LABEL.match(text):
        rest = _LABEL.sub("", text, count=1)
        if not _DATE.match(rest):
            rest = _WEEK_NUMBER.sub("", rest, count=1)
    rest = _WEEKDAY.sub("", rest, count=1)     # "Mon 2 Sep 2024" is the date 2 Sep 2024
    found = _DATE.match(rest.strip())
    if not found:
        return None, rest, False
    when = parse_date(found.group(0), f"line {number}", errors)
    return when, rest.strip()[found.end():], True


def parse_date(text: str, where: str, errors: list[str]) -> date | None:
    """A UK-style date (31/01/2025, 2025-01-31 or 31 Jan 2025), or None with the reason added to errors."""
    found = _DATE.fullmatch(text.strip())
    if not found:
        errors.append(f"{where}: '{text.strip()}' is not a date (write it as 31/01/2025 or 2025-01-31)")
        return None
    try:
        if found.group("dmy"):
            d, m, y = int(found.group("d")), int(found.group("m")), int(found.group("y"))
        elif found.group("iso"):
            d, m, y = int(found.group("id")), int(found.group("im")), int(found.group("iy"))
        else:
            month = _MONTHS.get(found.group("tm")[:3].lower())
            if month is None or found.group("ty") is None:
                errors.append(f"{where}: '{text.strip()}' needs a month name and a year, such as 2 Sep 2024")
                return None
            d, m, y = int(found.group("td")), month, int(found.group("ty"))
        if y < 100:
            y += 2000
        return date(y, m, d)
    except ValueError:
        errors.append(f"{where}: '{text.strip()}' is not a real date")
        return None


def _lines(text: str, codes: set[str]) -> tuple[list[_Line], int, list[str]]:
    """Every line holding marks, with the words outside them counted; date errors are collected."""
    found, prose, errors = [], 0, []
    for number, raw in enumerate(_rows(text), start=1):
        if not raw.strip() or _HEADER.match(raw):
            continue
        when, rest, written = _line_date(raw, number, errors)
        tokens = _slashes_in_prose([t for t in _SEPARATORS.split(rest) if t])
        label = _HALF_LABEL.match(tokens[0]) if len(tokens) > 1 else None
        half = ("AM" if label.group(1).lower() in ("am", "morning") else "PM") if label else ""
        if half:
            tokens = tokens[1:]      # "PM" names the row; it is not the marks P and M
        if tokens and all(_markish(t, codes, False) == "good" for t in tokens):
            found.append(_Line(number, when, tokens, 0, written, half))   # a line of nothing but marks
            continue
        tokens = _capitalised(tokens, codes)
        kinds = [_markish(t, codes, False) for t in tokens]
        # a token that is not a mark but sits between two that are is a mistyped mark, not a word
        for i, kind in enumerate(kinds):
            if not kind and 0 < i < len(kinds) - 1 and kinds[i - 1] and kinds[i + 1] and len(tokens[i]) <= 3:
                kinds[i] = "bad"
        best, most, start, run = (0, 0), 1, None, 0
        for i, kind in enumerate(kinds + [""]):
            if kind:
                start = i if start is None else start
                run += len(mark_units(tokens[i], codes))
            else:
                if start is not None and run > most:
                    best, most = (start, i), run
                start, run = None, 0
        marks = tokens[best[0]:best[1]]
        prose += len(tokens) - len(marks)
        if marks:
            found.append(_Line(number, when, marks, len(tokens) - len(marks), written, half))
        elif when is not None:
            prose += 1
    return found, prose, errors


_WORDS_SLASHED = re.compile(r"[a-z]{2,}(?:/[a-z]{2,})+")


def _slashes_in_prose(tokens: list[str]) -> list[str]:
    """Slashes written as punctuation are not marks: "mon/tue" is two words, and a lone "/" between words ("education
    centres / PRU") separates them (a present mark has other marks beside it, a session or a day long)."""
    out: list[str] = []
    for i, t in enumerate(tokens):
        if _WORDS_SLASHED.fullmatch(t) and any(len(w) >= 3 for w in t.split("/")):
            out.extend(t.split("/"))
        elif t == "/" and not any("/" in n or "\\" in n or len(n) <= 2
                                  for n in tokens[max(0, i - 1):i] + tokens[i + 1:i + 2]):
            continue
        else:
            out.append(t)
    return out


def _capitalised(tokens: list[str], codes: frozenset[str]) -> list[str]:
    """Tokens with a slash are marks whatever their case; lower-case letters ("un nn") are marks only between marks
    (or after marks at the end of the line), since "on", "is" and "experience" are spelt with code letters too."""
    out = [t.upper() if "/" in t or "\\" in t else t for t in tokens]
    is_mark = [_markish(t, codes, False) == "good" for t in out]
    i = 0
    while i < len(out):
        if is_mark[i] or len(out[i]) > 4 or _markish(out[i], codes, True) != "good":
            i += 1
            continue
        j = i
        while j + 1 < len(out) and not is_mark[j + 1] and len(out[j + 1]) <= 4 and \
                _markish(out[j + 1], codes, True) == "good":
            j += 1
        if i > 0 and is_mark[i - 1] and (j == len(out) - 1 or is_mark[j + 1]):
            out[i:j + 1] = [t.upper() for t in out[i:j + 1]]
        i = j + 1
    return out


def looks_like_register(text: str, codes: set[str]) -> bool:
    """A message that is mostly register marks (six sessions or more), whatever words come with it."""
    codes = frozenset(codes)
    lines, prose, _ = _lines(_normalise(text), codes)
    sessions = sum(len(mark_units(t, codes)) for line in lines for t in line.tokens)
    tokens = sum(len(line.tokens) for line in lines)
    slashes = any("/" in t or "\\" in t for line in lines for t in line.tokens)
    # without a slash, capitals alone could be a shouted sentence ("PERSISTENT ABSENCE" is spelt in code letters):
    # marks are then written a session or a day at a time ("NN NN OO II"), never in word-like lengths
    sizes = [len(mark_units(t, codes)) for line in lines for t in line.tokens]
    spaced = bool(sizes) and max(sizes) <= 2 and len(set(sizes[:-1])) <= 1
    enough = sessions >= 4 if slashes else spaced and tokens >= 4 and sessions >= 8 and prose <= tokens // 2
    return bool(lines) and enough and prose <= max(12, sessions)


def read_text(text: str, codes: set[str], per_day: int = 2, days_per_week: int = 5) -> Register:
    """Read typed or pasted marks: one run (AM then PM for each day) or a grid of one week a row, with optional
    dates. Raises RegisterError naming every wrong position."""
    codes = frozenset(codes)
    lines, _, errors = _lines(_normalise(text), codes)
    if any(line.half for line in lines):
        lines = _pair_halves(lines, codes, errors)
        if errors:
            raise RegisterError(_listed(errors))
    if not lines:
        raise RegisterError("I couldn't find any register marks. Send them as they appear in the register, for "
                            "example /\\ /\\ L\\ UN NN O/, or a week a line.")
    row = per_day * days_per_week
    units = [[u for token in line.tokens for u in mark_units(token, codes)] for line in lines]
    counts = [len(u) for u in units]
    total = sum(counts)
    dated = any(line.date_written for line in lines)
    # several lines mostly of a week's marks each are a week grid (a short row is then a mistake to report);
    # lines of other lengths, such as a day a line, are one run
    grid = dated or (len(lines) > 1 and (all(c == row for c in counts[:-1])
                                         or 2 * sum(c == row for c in counts) > len(lines)))
    if dated and not all(line.date_written for line in lines):
        missing = next(line.number for line in lines if not line.date_written)
        errors.append(f"line {missing}: some rows have dates and this one does not; give every row its date or "
                      "none")
    if grid:
        _check_rows(lines, counts, row, per_day, days_per_week, errors)
    marks: list[Mark] = []
    position = 0
    if grid:
        rows = _row_days(lines, counts, per_day, days_per_week)
        ranks = {d: i for i, d in enumerate(sorted({d for days, _ in rows for d in days if d is not None}))}
        for index, ((days, offset), line_units) in enumerate(zip(rows, units)):
            # each weekday of the row once: its date and its school-day number (a spare slot for marks beyond it)
            slots = [(when, ranks[when] if when is not None else index * days_per_week + weekday)
                     for weekday, when in enumerate([*days, days[-1]])]
            for slot, (mark, known) in enumerate(line_units, start=offset * per_day):
                weekday, half = divmod(slot, per_day)
                when, day = slots[weekday] if weekday <= days_per_week else slots[-1]
                position += 1
                placed = Mark(mark, position, day, half, index, when)
                if known:
                    marks.append(placed)
                else:
                    errors.append(f"session {position} ({placed.where()}): '{mark[:10]}' is not an attendance code")
    else:
        for mark, known in (u for line_units in units for u in line_units):
            placed = Mark(mark, position + 1, position // per_day, position % per_day, -1)
            position += 1
            if known:
                marks.append(placed)
            else:
                errors.append(f"session {position} ({placed.where()}): '{mark[:10]}' is not an attendance code")
    if not grid and total % per_day:
        errors.append(f"{total} marks is an odd number: each day has a morning and an afternoon mark, so the "
                      f"last day (day {total // per_day + 1}) has only its morning")
    if total > MAX_SESSIONS:
        errors.append(f"{total} sessions is more than one pupil's register holds; send at most {MAX_SESSIONS}")
    if errors:
        raise RegisterError(_listed(errors))
    return Register(tuple(marks), form="grid" if grid else "run", dated=dated, weeks_known=grid)


def _pair_halves(lines: list[_Line], codes: frozenset[str], errors: list[str]) -> list[_Line]:
    """Join a morning row and the afternoon row after it into one row of sessions in order (AM, PM, AM, PM...)."""
    rows = []
    for i in range(0, len(lines), 2):
        am, pm = lines[i], lines[i + 1] if i + 1 < len(lines) else None
        if am.half != "AM" or pm is None or pm.half != "PM":
            errors.append(f"line {am.number}: a morning (AM) row must be followed by its afternoon (PM) row")
            break
        mornings = [u for t in am.tokens for u, _ in mark_units(t, codes)]
        afternoons = [u for t in pm.tokens for u, _ in mark_units(t, codes)]
        if len(mornings) != len(afternoons):
            errors.append(f"lines {am.number} and {pm.number}: {len(mornings)} morning marks but {len(afternoons)} "
                          "afternoon marks")
            break
        joined = [mark for pair in zip(mornings, afternoons) for mark in pair]
        rows.append(_Line(am.number, am.when or pm.when, joined, am.prose_words + pm.prose_words,
                          am.date_written or pm.date_written))
    return rows


def _row_days(lines: list[_Line], counts: list[int], per_day: int, days_per_week: int
              ) -> list[tuple[list[date | None], int]]:
    """For each week row, the date of each weekday it covers (None when undated) and the weekday it starts on."""
    rows = []
    for line, count in zip(lines, counts):
        if line.when is None or line.when.weekday() >= days_per_week:
            rows.append(([None] * days_per_week, 0))
            continue
        offset = line.when.weekday()
        used = offset + (count + per_day - 1) // per_day
        rows.append(([line.when + timedelta(days=i - offset) if offset <= i < used else None
                      for i in range(days_per_week)], offset))
    return rows


def _check_rows(lines: list[_Line], counts: list[int], row: int, per_day: int, days_per_week: int,
                errors: list[str]) -> None:
    """Each week row fits its week: whole days, no more sessions than the week has left, dates in order."""
    previous_end: date | None = None
    for index, line in enumerate(lines):
        label = f"week {index + 1} (line {line.number})"
        offset = 0
        if line.when is not None:
            if line.when.weekday() >= days_per_week:
                errors.append(f"{label}: {line.when:%d/%m/%Y} is a {DAYS[line.when.weekday()]}, not a school day")
                continue
            if previous_end is not None and line.when <= previous_end:
                errors.append(f"{label}: {line.when:%d/%m/%Y} is not after the previous week's last day "
                              f"({previous_end:%d/%m/%Y})")
            offset = line.when.weekday()
            previous_end = line.when + timedelta(days=max(0, counts[index] - 1) // per_day)
        room = row - offset * per_day
        if counts[index] > room:
            errors.append(f"{label} has {counts[index]} marks: the week holds at most {room} from {DAYS[offset]} "
                          f"({per_day} a day, {DAYS[0]} to {DAYS[days_per_week - 1]})")
        elif line.when is None and index < len(lines) - 1 and counts[index] != row:
            errors.append(f"{label} has {counts[index]} marks: each week row needs {row} ({per_day} a day, "
                          f"{DAYS[0]} to {DAYS[days_per_week - 1]})")
        elif counts[index] % per_day:
            errors.append(f"{label} has {counts[index]} marks, an odd number: each day has a morning and an "
                          "afternoon mark")


def read_csv(data: bytes, codes: set[str]) -> Register:
    """Read a CSV of date, session (AM or PM) and mark, one session a row, with or without a header row."""
    if len(data) > MAX_FILE_BYTES:
        raise RegisterError(f"the file is {len(data) // 1000} KB; a register export is at most "
                            f"{MAX_FILE_BYTES // 1000} KB")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        try:
            text = data.decode("cp1252")
        except UnicodeDecodeError:
            raise RegisterError("the file is not text: send a CSV of date, session and mark") from None
    text = _normalise(text)
    try:
        dialect = csv.Sniffer().sniff(text[:2000], delimiters=",;\t")
    except csv.Error:
        dialect = csv.excel
    rows = [(n, [c.strip() for c in row]) for n, row in enumerate(csv.reader(io.StringIO(text), dialect), start=1)
            if any(c.strip() for c in row)]
    if not rows:
        raise RegisterError("the file is empty: send a CSV with a row for each session (date, session, mark)")
    columns = (0, 1, 2)
    header = [c.lower() for c in rows[0][1]]
    if any(h in ("date", "session", "mark", "code", "am/pm", "period") for h in header):
        columns = (_column(header, ("date", "day")), _column(header, ("session", "am/pm", "period", "am_pm", "half")),
                   _column(header, ("mark", "code", "attendance", "attendance mark")))
        if -1 in columns:
            raise RegisterError("line 1: the header needs date, session and mark columns")
        rows = rows[1:]
    errors: list[str] = []
    seen: dict[tuple[date, int], int] = {}
    found: list[tuple[date, int, str]] = []
    for number, row in rows:
        if len(row) <= max(columns):
            errors.append(f"line {number}: expected date, session and mark, found {len(row)} column(s)")
            continue
        when = parse_date(row[columns[0]], f"line {number}", errors)
        half = _SESSION_WORDS.get(row[columns[1]].lower().rstrip("."))
        if half is None:
            errors.append(f"line {number}: session '{row[columns[1]][:12]}' should be AM or PM")
        mark = row[columns[2]].upper()
        if not mark:
            errors.append(f"line {number}: no mark")
        elif mark not in codes:
            errors.append(f"line {number}: '{mark[:10]}' is not an attendance code")
        if when is None or half is None or not mark or mark not in codes:
            continue
        if when.weekday() >= 5:
            errors.append(f"line {number}: {when:%d/%m/%Y} is a {DAYS[when.weekday()]}, not a school day")
            continue
        if (when, half) in seen:
            errors.append(f"line {number}: {when:%d/%m/%Y} {HALVES[half]} is already given on line "
                          f"{seen[(when, half)]}")
            continue
        seen[(when, half)] = number
        found.append((when, half, mark))
    if len(found) > MAX_SESSIONS:
        errors.append(f"{len(found)} sessions is more than one pupil's register holds; send at most {MAX_SESSIONS}")
    if errors:
        raise RegisterError(_listed(errors))
    found.sort()
    days = {d: i for i, d in enumerate(sorted({d for d, _, _ in found}))}
    weeks = {w: i for i, w in enumerate(sorted({d - timedelta(days=d.weekday()) for d, _, _ in found}))}
    marks = tuple(Mark(mark, i + 1, days[d], half, weeks[d - timedelta(days=d.weekday())], d)
                  for i, (d, half, mark) in enumerate(found))
    return Register(marks, form="csv", dated=True, weeks_known=True)


def _column(header: list[str], names: tuple[str, ...]) -> int:
    """The index of the first header cell naming one of these columns, or -1."""
    return next((i for i, h in enumerate(header) if h in names), -1)


def _listed(errors: list[str]) -> str:
    """The first few problems, one a line, and how many more there are."""
    shown = errors[:MAX_ERRORS_SHOWN]
    more = len(errors) - len(shown)
    text = "\n".join(f"- {e}" for e in shown)
    return text + (f"\n- and {more} more" if more else "")
