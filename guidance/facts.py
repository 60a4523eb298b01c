"""Read the facts a coding scenario states (registration, reason, who arranged it, supervision, age, days), with the
vocabulary kept as data in knowledge/scenario-facts.yaml, and run them through the code tree."""
from __future__ import annotations

import re
from dataclasses import dataclass

from . import codes as code_rules
from . import trees
from .models import FactValue, Option, Tree

# Facts whose two values point to different codes: when a message states both, the fact is unclear and the walk
# stops there to ask (a reason, by contrast, has an order of precedence).
DECIDING = {"leave": ({"granted"}, {"refused", "not-asked"}), "provision": ({"none"}, {"arranged"}),
            "days": ({"under-five"}, {"five-plus"})}
UNCLEAR = "unclear"
# (what "no" denies may be a reason or word from home: "no reason a week later" still tells the week)
_NEGATION = re.compile(r"\b(not|no|never|isn'?t|wasn'?t|aren'?t|weren'?t|without|n't)\s+((?!(?:and|but|so|then|reason|"
                       r"explanation|word|news|contact|reply|response|answer|call|note)\b)\w+\s+){0,2}$")
_SPACES = re.compile(r"\s+")
_NEGATED = re.compile(r"(\w)n\.\?t")   # "wouldn.?t" in a pattern


@dataclass(frozen=True)
class _Compiled:
    fact: str
    value: str
    regex: re.Pattern


# A second matter told after a first ("separate thing:", "on a different note,"): the question is about the second.
_SEPARATE_THING = re.compile(r"\b(?:(?:a |on a |another |one more |totally |completely )?(?:separate|different|unrelated|other) "
                             r"(?:thing|matter|issue|question|note|one)|separately|unrelated)\s*[:,;.-]")
# The school days gone by since an absence, told outright ("it's now more than 5 school days since").
_DAYS_SINCE = re.compile(r"\b(?:more than|over|at least|past|beyond|gone) (?:5|five) (?:school |working )?days (?:since|ago|now|"
                         r"have passed|later)\b|"
                         # how long it has lasted so far ("hasn't been in for 10 school days now"), whatever happened on
                         # "day 3" of it
                         r"\b(?:\d\d|[5-9]|five|six|seven|eight|nine|ten|eleven|twelve) (?:school |working )?days "
                         r"(?:now|so far|and counting|running|in a row)\b")
# A reason set aside for the one told after it ("instead of an appt", "rather than the dentist").
_REPLACED = re.compile(r"\b(?:instead of|rather than) (?:an? |the |her |his |their |going to (?:the |an? )?|having (?:an? |the )?)?"
                       r"\w+(?: appointment| appt)?\b")
_BRACKETS = re.compile(r"[()\[\]]")
_CONTRACTION = re.compile(r"\b(has|have|had|did|does|do|is|was|were|could|would|should|are|must|need)n'?t\b")


_HAD = re.compile(r"\b(i|we|you|they|he|she|school|parents?|mum|dad)'d\b")


def _normalise(text: str) -> str:
    """Lower-case with plain apostrophes, negations spelt out ("hasn't" -> "has not"), brackets dropped ("we (the
    school) set it up") and single spaces, so patterns stay simple."""
    text = _BRACKETS.sub(" ", text.lower().replace("’", "'").replace("‘", "'"))
    text = re.sub(r"\bcan'?t\b", "can not", re.sub(r"\bwon'?t\b", "will not", text))
    text = _CONTRACTION.sub(r"\1 not", text)
    text = _HAD.sub(r"\1 had", text)   # "if we'd set it up ourselves": if we had
    return _SPACES.sub(" ", text)


class FactReader:
    """Finds the scenario facts a message states, the first-listed value of each fact winning."""

    def __init__(self, facts: dict[str, tuple[FactValue, ...]]):
        self.facts: dict[str, list[_Compiled]] = {}
        for name, values in facts.items():
            compiled = []
            for v in values:
                if not v.patterns:
                    continue
                # negations are spelt out before matching, so "wouldn.?t" must also match "would not"
                joined = "|".join("(?:" + _NEGATED.sub(r"\1 ?n.?o?t", p) + ")" for p in v.patterns)
                compiled.append(_Compiled(name, v.value, re.compile(rf"(?<![\w])(?:{joined})(?:(?<![\w])|(?![\w]))")))
            self.facts[name] = compiled

    @staticmethod
    def _first(name: str, found: list[str]) -> str | None:
        """The value a fact takes from every value the text states of it."""
        if name in DECIDING and sum(1 for group in DECIDING[name] if group & set(found)) > 1:
            return UNCLEAR   # the message says two things about a fact that decides the code: ask, never guess
        return found[0] if found else None

    def negated(self, name: str, value: str, text: str) -> bool:
        """True when the text states this fact value only to deny it ("she wasn't dual registered")."""
        low = _normalise(text)
        for c in self.facts.get(name, ()):
            if c.value == value:
                for m in c.regex.finditer(low):
                    if _NEGATION.search(low[max(0, m.start() - 24):m.start()]) and not _NEGATION.match(m.group(0)):
                        return True
        return False

    def values(self, name: str, text: str) -> list[str]:
        """Every value of a fact a message states, in order of precedence ("rang in sick so didn't go to the
        placement": the placement, then the illness)."""
        return self._values(name, _normalise(text))

    def _values(self, name: str, text: str) -> list[str]:
        """Every value of a fact the text states, in order of precedence."""
        values: list[str] = []
        for c in self.facts.get(name, ()):
            if c.value in values:
                continue
            for m in c.regex.finditer(text):
                if not _NEGATION.search(text[max(0, m.start() - 24):m.start()]) or _NEGATION.match(m.group(0)):
                    values.append(c.value)
                    break
        return values

    def _days_between(self, low: str) -> str | None:
        """School days since the absence when the message gives two dates in a month ("N since the 3rd, it's now the
        12th"): a week or more of calendar days holds at least five school days; under five days cannot."""
        since, today = _SINCE_DATE.search(low), _TODAY_DATE.search(low)
        values = {v.value for v in self.facts.get("days", ())}
        if not since or not today or not {"five-plus", "under-five"} <= values:
            return None
        gap = int(today.group(1)) - int(since.group(1))
        return "five-plus" if gap >= 7 else "under-five" if 0 <= gap <= 4 else None

    def read(self, text: str) -> dict[str, str]:
        """Return the facts a message states, as fact -> value (times become a registration fact)."""
        # "what if instead of an appt she was poorly": the reason replaced is not told
        whole = _REPLACED.sub(" ", _normalise(text))
        # "... agreed leave in feb. separate thing: she missed 3 days last week ...": the case asked about is the one
        # told after the aside (the pupil's age may be told before it)
        aside = None
        for aside in _SEPARATE_THING.finditer(whole):
            pass
        low = whole[aside.end():] if aside else whole
        found: dict[str, str] = {}
        stated = {name: self._values(name, low if name != "age" else whole) for name in self.facts}
        for name, values in stated.items():
            value = self._first(name, values)
            if value is not None:
                found[name] = value
        if found.get("days") == UNCLEAR and _DAYS_SINCE.search(low):
            # "missed 3 days last week ... it's now more than 5 school days since": the time gone by decides
            found["days"] = "five-plus"
        if "days" not in found:
            days = self._days_between(low)
            if days is not None:
                found["days"] = days
        reasons = stated.get("reason", []) if "reason" in found else []   # every reason told, in precedence

        def next_reason(*passed: str) -> str | None:
            """The reason told after the ones set aside."""
            return next((v for v in reasons if v not in passed), None)

        if found.get("reason") == "illness" and "unknown" in reasons and _HEARSAY.search(low):
            # "his brother says he's ill but we've had no call from mum": the reason is not yet established
            found["reason"] = "unknown"
        if found.get("reason") == "illness" and "holiday" in reasons and _BELIED.search(low):
            # "mum rang to say she's poorly but then we saw her posting from a beach in spain": the holiday is the reason
            found["reason"] = "holiday"
        timetabled = _TIMETABLED_FOR.search(low)
        if found.get("reason") == "part-time" and timetabled and found.get("session") == (
                "am" if timetabled.group(1).startswith(("morning", "am")) else "pm"):
            # "timetabled in mornings 9-12. this morning he was off with D&V": the session missed was one he was due
            # in for, so why he missed it decides
            found["reason"] = next_reason("part-time") or found["reason"]
        if found.get("reason") == "part-time" and _DUE_IN.search(low):
            # on a part-time timetable but due in for this session: the reason for missing it decides ("meant to be
            # in this morning but has tonsillitis" is I)
            found["reason"] = next_reason("part-time") or found["reason"]
        if found.get("reason") == "part-time" and "illness" in reasons and _RETURN_LATER.search(low):
            # "off 4 weeks after surgery, then a phased return": the time off is illness; the reduced hours come later
            found["reason"] = "illness"
        if found.get("reason") == "education" and "remote-home" in reasons and _AT_HOME.search(low) \
                and found.get("supervised_by") != "school-staff":
            # "online lessons from home through an AP company": education at home is absence, never B, whoever
            # provides the lessons
            found["reason"] = "remote-home"
        if found.get("reason") == "education" and _MISSED_THE_PROVISION.search(low):
            # "didn't turn up at the AP today": absent from the education, for whatever reason is told (or none yet)
            found["reason"] = next_reason("education") or "unknown"
        if found.get("reason") == "after-last-exam" and _still_expected(low):
            # after the last exam C is only for a pupil the school does not expect in; one still expected who stays
            # away without an acceptable reason is O (dfe-attendance-facts.md §S), or the code of the reason told
            found["reason"] = next_reason("after-last-exam", "study-leave", "unknown") or "kept-off"
        if found.get("leave") == "granted" and _REFUSED_ASKED.search(low):
            # "head authorised 2 and refused the other 8. code for the 8 refused days?": the days asked about
            found["leave"] = "refused"
        session = _session_named(_SESSION_ASKED.search(low))
        if session and found.get("session") not in (None, session):
            # "coming back for afternoon reg. morning code?": the session asked about is the one coded; being at the
            # other session's register says nothing of it
            found["session"] = session
            if found.get("registration") == "present":
                del found["registration"]
        present_for = _session_named(_PRESENT_FOR.search(low))
        if present_for and found.get("registration") == "present" and found.get("session") != present_for:
            # "now he does the whole morning from reg. what for the afternoons he doesn't come to?": present for the
            # other session says nothing of the one asked about
            del found["registration"]
        if found.get("reason") == "religious" and EXTRA_DAYS.search(low):
            # "R for the day itself, and the head agreed the next day too: code for day 2?": only the day the religious
            # body sets apart is R; the days added to it are leave
            found["reason"] = "exceptional-leave"
        if found.get("reason") == "planned-closure" and _OURS_OPEN.search(low):
            # "kept off for 'staff training' but that INSET was at her brother's school, ours was open": kept off
            found["reason"] = next_reason("planned-closure") or "kept-off"
        if found.get("reason") == "traveller" and "holiday" in reasons and not _FOR_WORK.search(low):
            # "Traveller family took the kids on holiday (not for work)": T is for travelling for work, a holiday is
            # a holiday
            found["reason"] = "holiday"
        if found.get("reason") == "exceptional-leave" and "holiday" in reasons:
            # "a family wedding abroad with a bit of holiday tacked on": a holiday is part of it, so refused it is G
            found["reason"] = "holiday"
        if found.get("reason") == "medical" and _LATER_APPOINTMENT.search(low):
            # "an appointment next week about it, but today she's off with tonsillitis": today's reason decides
            found["reason"] = next_reason("medical") or found["reason"]
        if found.get("provision") in ("arranged", UNCLEAR) and _NO_PROVISION.search(low):
            found["provision"] = "none"
        if found.get("reason") == "illness" and _FOR_WELLBEING.search(low):
            # "mum says she 'needs the holiday for her mental health'": a reason given for leave, not an illness
            found["reason"] = next_reason("illness") or found["reason"]
        if found.get("reason") == "illness" and _WELL.search(low):
            # "his sister's got a bug, he's totally fine": not the pupil's illness
            found["reason"] = next_reason("illness") or "kept-off"
        elif found.get("reason") == "illness" and _STAFF_ILL.search(low) \
                and not _PUPIL_ILL.search(_STAFF_ILL.sub(" ", low)):
            reason = next_reason("illness")   # a member of staff's illness says nothing of the pupil's absence
            if reason:
                found["reason"] = reason
            else:
                del found["reason"]
        elif found.get("reason") == "illness" and _SOMEONE_ELSE_ILL.search(low) and not _PUPIL_ILL.search(low):
            # "stayed home to look after mum who has flu": a relative's illness is a reason for leave the school may or
            # may not grant, never the pupil's own illness
            found["reason"] = next_reason("illness") or "exceptional-leave"
        if found.get("reason") in ("trip", "sport", "education") and "holiday" in reasons and (
                found.get("leave") in ("refused", "not-asked") or _NOT_SCHOOL_TRIP.search(low)) \
                and found.get("supervised_by") != "school-staff":
            found["reason"] = "holiday"   # a family trip or holiday the school refused or never agreed, not a school trip
        elif found.get("reason") == "holiday" and "trip" in reasons and found.get("supervised_by") == "school-staff":
            found["reason"] = "trip"      # "the school ski trip with our staff": a school trip, whatever it is called
        elif found.get("reason") == "trip" and _NOT_SCHOOL_TRIP.search(low):
            found["reason"] = next_reason("trip", "sport") or "kept-off"
        elif found.get("reason") in ("trip", "sport") and found.get("leave") in ("refused", "not-asked") \
                and found.get("arranged_by") is None and found.get("supervised_by") != "school-staff":
            # trials or an outing the school never approved: absence the school has not authorised, not P or V
            found["reason"] = next_reason("trip", "sport") or "kept-off"
        if _OVERSTAYED.search(low):
            # staying away beyond the leave agreed ("stayed on another week"): the extra days were never agreed, and a
            # holiday is what they were for when it says so
            found["leave"] = "refused"
            if re.search(r"\b(?:holidays?|hols|vacation)\b", low):
                found["reason"] = "holiday"
        if found.get("registration") == "present" and found.get("session") == "pm" and (
                _LEFT_IN_THE_MORNING.search(low) or _NOT_BACK_FOR_THE_AFTERNOON.search(low) or (
                    _PRESENT_IN_THE_MORNING.search(low)
                    and not _PRESENT_IN_THE_AFTERNOON.search(low))):
            # present at the morning register, sent home before the afternoon one (or only ever in for mornings):
            # the afternoon is decided by why
            del found["registration"]
        if found.get("registration") == "present" and "session" not in found:
            session = _session_from_clock(low)
            if session:
                found["session"] = session   # "marked in at 8.45": the morning register
        if found.get("reason") == "unexpected-closure" and not code_rules.tells_arrival(text):
            return found   # the whole site shut: its times are of the closure ("shut the site, texted parents at 7")
        late = code_rules.decide_late(text)
        if late is not None and late.opened is not None and late.arrival < late.opened \
                and found.get("registration") != "present":
            found["registration"] = "present"   # "got in 8.35, reg starts 8.45": there before the register was taken
        elif late is not None and found.get("registration") != "present":
            found["registration"] = "late-before" if late.code == "L" else "late-after"
            found["arrived"], found["closed"] = code_rules.clock(late.arrival), code_rules.clock(late.close)
        elif "registration" not in found and code_rules.arrived_before_register(text):
            found["registration"] = "present"   # "arrived 12.55, afternoon reg is 1.05"
        elif "registration" not in found and found.get("session") != "pm":
            late_only = code_rules.late_without_register_times(text)
            if late_only is not None:
                # "got in at 11": after any register closed; "got in at 9.50": late, whether it had closed is asked
                found["registration"] = late_only[0]
                if late_only[0] == "late-after":
                    found["arrived"] = code_rules.clock(late_only[1])
        if found.get("reason") == "remote-home" and "supervised_by" not in found:
            # work or lessons at home: nobody the school authorises supervises the pupil there, so it is absence, never
            # B (dfe-attendance-facts.md §2.2)
            found["supervised_by"] = "none"
        if _ASKED_OF_THE_ABSENT.search(low):
            # "... one got a lift in by 9; what code for the three who didn't make it?": the arrival told is another
            # pupil's
            for name in ("registration", "arrived", "closed"):
                found.pop(name, None)
        return found


def still_expected(text: str) -> bool:
    """True when the message says the school still expects the pupil in ("we did expect her in")."""
    return _still_expected(_normalise(text))


def _still_expected(low: str) -> bool:
    """still_expected() of a message already normalised."""
    return bool(_STILL_EXPECTED.search(low)) and not _NOT_EXPECTED.search(low)


# A pupil the school still expects in ("we still expect him", "she's meant to be in until the end of June")
_STILL_EXPECTED = re.compile(r"\b(?:we|school|the school|they)\b[^.?!]{0,12}\b(?:expect|expects|expected|want|wants|need|"
                             r"needs) (?:him|her|them|the pupil|pupils)\b|\b(?:still )?(?:expected|supposed|meant|due) "
                             r"(?:to be )?(?:in|at school|here)\b")
_NOT_EXPECTED = re.compile(r"\b(?:not|n't|no longer|never)\b (?:\w+ )?(?:expect\w*|want\w*|need\w*|supposed|meant|due)\b")
# The code asked for the pupils who never arrived, after another's arrival was told.
_ASKED_OF_THE_ABSENT = re.compile(r"\b(?:for|about|of) (?:the|those|the other) (?:\w+ )?(?:ones? |kids? |pupils? |children )?"
                                  r"(?:who|that) (?:did ?n.?t|did not|could ?n.?t|could not|never|were ?n.?t able to) "
                                  r"(?:make it|come|get in|turn up|arrive|get there)")
# An appointment still to come ("a GP appointment next week", "seeing the doctor tomorrow"): not today's reason.
_LATER_APPOINTMENT = re.compile(r"\b(?:appointment|appt|seeing the (?:doctor|gp|dentist))\b[^.?!]{0,25}\b(?:next (?:week|month|"
                                r"term)|tomorrow|later (?:this|in the) week|on (?:mon|tues|wednes|thurs|fri)day|soon|coming up|"
                                r"at some point)\b|\b(?:mentioned|said|told us)\b[^.?!]{0,20}\b(?:last week|yesterday|before)\b"
                                r"[^.?!]{0,30}\b(?:appointment|appt)\b|"
                                r"\b(?:next (?:week|month)|tomorrow)\b[^.?!]{0,20}\b(?:appointment|appt)\b|"
                                # ... or one outside the school day ("saw the GP at 4pm yesterday, after school")
                                r"\b(?:appointment|appt|saw the (?:doctor|gp|dentist)|seen by the (?:doctor|gp))\b[^.?!]{0,25}"
                                r"\b(?:after school|before school|at the weekend|at [4-7](?:[.:]\d\d)? ?pm)\b")
# Provision denied outright ("the school hasn't arranged any provision yet"): outranks a day count that implies it.
_NO_PROVISION = re.compile(r"\b(?:not|never|nobody has|no one has) (?:yet |even |actually )?(?:arranged|set up|organi[sz]ed|sorted|"
                           r"provided|found|commissioned|put in place|got) (?:any|some|the|an?|alternative|anything|her|him|them)?"
                           r" ?(?:provision|education|ap|alternative provision|placement|tuition|work|school place|cover)?\b|"
                           r"\bno (?:provision|education|ap|placement|tuition)\b[^.?!]{0,15}\b(?:yet|arranged|in place|set up)\b")
# Away for longer than the leave agreed: "stayed on another week", "extended the trip", "came back a week late".
_OVERSTAYED = re.compile(r"\b(?:stayed|stay|stays|staying|remained) (?:on |away |out there |abroad )?(?:for )?(?:another|an "
                         r"extra|a further|an additional|extra|longer|on longer)\b|\bstayed on (?:in|at|out|there|abroad|for)\b|\b(?:extended|extends|extending) (?:the |"
                         r"their |his |her )?(?:trip|holiday|stay|leave)\b(?! (?:was|were|is|has been|had been) (?:agreed|"
                         r"granted|authori[sz]ed|approved))|\b(?:came|come|comes|got) back (?:\w+ ){0,2}(?:late|later than "
                         r"(?:agreed|planned|arranged))\b")
# Present in the morning, gone home before the afternoon register ("here at am reg, sent home poorly at 10").
_LEFT_IN_THE_MORNING = re.compile(r"\b(?:(?:am|morning) (?:reg|register|registration|session|mark)|(?:registered|marked (?:in|"
                                  r"present)|present|here|in) (?:in|for|at) the (?:am|morning)|(?:here|in|present) (?:at|for) "
                                  r"(?:the )?(?:reg|register|registration)(?: at \d{1,2}[.:]\d{2})?)\b[^?!]{0,80}\b(?:(?:sent|went|"
                                  r"gone|taken|go|going) (?:her |him |them )?home|collected|picked (?:her |him |them )?up|"
                                  r"fetched|left (?:school|early))\b(?! (?:after|at|(?:at )?(?:the )?end of) (?:the )?(?:pm|"
                                  r"afternoon|school|day))")
# Gone before the afternoon register and not back for it ("didn't come back for the afternoon")
_NOT_BACK_FOR_THE_AFTERNOON = re.compile(r"\b(?:did ?n.?t|did not|never|not|was ?n.?t|was not|wont|won.?t) (?:come|coming|get|"
                                         r"getting|be|make it) back\b[^.?!]{0,25}\b(?:the )?(?:afternoon|pm)\b")
# Present told of the mornings only ("in from registration for the full morning", "here every morning")
_PRESENT_IN_THE_MORNING = re.compile(r"\b(?:(?:is|was|she'?s|he'?s|they'?re|are|were) (?:in|here|present)|attends|attended|"
                                     r"comes in|registered|in from registration|does|did|doing)\b[^.?!]{0,30}\b(?:the )?(?:full |whole )?"
                                     r"(?:morning|mornings|am)\b")
_PRESENT_IN_THE_AFTERNOON = re.compile(r"\b(?:in|here|there|present|attends|attended|comes in|came back|back|registered)\b"
                                       r"[^.?!]{0,40}(?:\b(?:the )?(?:afternoon|afternoons)\b|\d?pm\b)(?! (?:session|code|mark))")
# A phased return told as coming after the time off ("then a phased return", "phased return after that")
_RETURN_LATER = re.compile(r"\b(?:then|followed by|after that|afterwards|before)\b[^.?!]{0,25}\b(?:phased|gradual|staggered) "
                           r"return")
_DUE_IN = re.compile(r"\b(?:meant|supposed|due|timetabled|expected|scheduled) to be (?:in|here|at school)\b|\b(?:was|is) "
                     r"due in\b|\b(?:her|his|their|a) timetabled (?:session|morning|afternoon|day|lesson)s?\b|"
                     r"\b(?:off|ill|sick|poorly|unwell|absent)\b[^.?!]{0,25}\b(?:for |in )?the (?:morning|afternoon|am|pm) (?:too|as well)\b")
# The sessions a part-time timetable keeps ("timetabled in mornings 9-12", "timetabled for afternoons only")
_TIMETABLED_FOR = re.compile(r"\b(?:timetabled|timetable is|timetable's) (?:in |for |on )?(?:the )?"
                             r"(mornings?|afternoons?|am|pm)\b")
# An illness told only by another child ("his brother says he's ill"), while the parent has not been reached
_HEARSAY = re.compile(r"\b(?:brother|sister|sibling|twin|cousin|friend|mate|he|she|they)\b[^.?!]{0,15}\b(?:says?|said|reckons|thinks|told us)\b")
# An illness belied by what was seen ("but then we saw her posting from a beach")
_BELIED = re.compile(r"\b(?:but then|then we saw|turns out|turned out|it turns out|but (?:we|staff|someone) saw|saw (?:her|him|them|"
                     r"photos|pics|posts)|posted|posting|on (?:facebook|instagram|tiktok|snapchat))\b")
# A pupil who did not turn up at the education arranged for them ("didn't show at the AP today"): absent from it, so
# the education is where they should have been, not why they were away
_THE_PROVISION = (r"(?:the |his |her |their |an? |our )?(?:ap|alternative provision|provider|provision|placement|farm|"
                  r"college|centre|course|workshop|pru|education centre|tuition)\b")
_MISSED_THE_PROVISION = re.compile(
    r"\b(?:did ?n.?t|does ?n.?t|did not|does not|never|has ?n.?t|has not|failed to|fails to|not)\s+(?:turn(?:ed)? up|"
    r"show(?:ed)?(?: up)?|attend(?:ed)?|arrive(?:d)?|go(?:ne)?|get|got|make it)\b[^.?!]{0,20}\b(?:at|to|into) " + _THE_PROVISION +
    r"|\b(?:no[- ]?show|absent|missing|not there|was ?n.?t there|was not there)\b[^.?!]{0,10}\b(?:at|from) " + _THE_PROVISION +
    r"|\b(?:off|sick|ill|poorly|unwell|away)\b[^.?!]{0,10}\bfrom " + _THE_PROVISION + r"|\bmiss(?:ed|es|ing)? " + _THE_PROVISION,
    re.IGNORECASE)
_AT_HOME = re.compile(r"\b(?:at|from) home\b|\bhome (?:learning|schooling|tuition online)\b|\b(?:at|from|in) (?:his|her|their) "
                      r"(?:own )?(?:bedroom|room|house|home|kitchen table|laptop at home)\b")
# Health given as the reason for a break ("needs it for her mental health"): a case for leave, not an illness
_FOR_WELLBEING = re.compile(r"\bneeds? (?:it|this|that|the (?:break|holiday|trip|time off|week)|a break|time off) (?:for|because "
                            r"of) (?:her|his|their|my|the (?:child|family)'?s?) (?:mental health|wellbeing|well-being|health)\b")
# The refused part of leave asked about ("what code for the 8 refused days?")
_REFUSED_ASKED = re.compile(r"\b(?:code|mark|put|what) (?:for|on) (?:the |those |these )?(?:\d+ |other |remaining )?"
                            r"(?:refused|unauthori[sz]ed|not agreed|turned down) (?:days?|sessions?)\b")
# The session a code is asked for ("morning code?", "what do I put for the afternoon?")
_SESSION_ASKED = re.compile(r"\b(morning|am|afternoon|pm) (?:code|mark)\b|\b(?:code|mark|put|use|record) (?:for|in) (?:the )?"
                            r"(morning|am|afternoon|pm)\b")


def _session_named(told: re.Match | None) -> str | None:
    """The session ("am" or "pm") a match names in its first group that took part, or None without a match."""
    if told is None:
        return None
    return "am" if next(g for g in told.groups() if g) in ("morning", "am") else "pm"


# Presence told of one session ("does the whole morning from reg", "in for the full afternoon")
_PRESENT_FOR = re.compile(r"\b(?:in|here|present|there|stays?|stayed|does|do|attends?|attending|comes? in|doing) (?:for )?"
                          r"(?:the |a )?(?:whole|full|entire) (morning|afternoon)s?\b|\b(morning|afternoon)s? from "
                          r"(?:reg\w*|the register)\b")
# A closure at another school, while this one was open
_OURS_OPEN = re.compile(r"\b(?:ours|our school|we|this school|school) (?:was|were|is|are) (?:still )?open\b|\bat (?:her|his|their) "
                        r"(?:older |younger |big |little )?(?:brother|sister|sibling|cousin)'?s'? school\b")
# Travelling for work, the only travelling T covers ("not for work" says the opposite)
_FOR_WORK = re.compile(r"(?<!not )\b(?:for|to find|looking for) (?:seasonal |their |his |her )?(?:work|working|jobs?)\b")
# The days added to a day of religious observance ("the next day", "day 2", "the extra days")
EXTRA_DAYS = re.compile(r"\b(?:code|mark|what|for|about|and) (?:for |on )?(?:the |those |these )?(?:next day|following day|day "
                         r"after|day (?:2|two)|second day|other (?:\d |two |three )?days|extra (?:\d |two |three )?days?|rest of "
                         r"the (?:week|days))\b|\b(?:tomorrow|the day after|another day|an extra day|the next day) (?:off )?"
                         r"(?:as well|too)\b|\b(?:the|that) (?:mon|tues|wednes|thurs|fri)day (?:off )?(?:as well|too|also)\b|"
                         r"^\W*(?:the )?(?:second|2nd|third|3rd) day of\b")
# The pupil said to be well ("he's totally fine", "she isn't ill"): an illness told of is someone else's.
_WELL = re.compile(r"\b(?:he|she|they)(?:'s| is| are|'re| was| were) (?:totally |perfectly |completely |absolutely |"
                   r"otherwise )?(?:fine|well|not ill|not poorly|not sick|not unwell)\b|\b(?:isn't|is not|wasn't|was not|"
                   r"aren't|are not) (?:actually )?(?:ill|poorly|sick|unwell)\b")
# An illness told of a relative ("mum's depressed", "dad is in hospital", "looking after nan who has flu") ...
_RELATIVE = (r"(?:mum|mam|mom|mummy|mother|dad|daddy|father|parent|step ?(?:mum|dad)|carer|nan|nanna|nana|gran|granny|"
             r"grandma|grandad|grandpa|grandparent|brother|sister|sibling|baby|aunt(?:ie|y)?|uncle)")
_SOMEONE_ELSE_ILL = re.compile(r"\b" + _RELATIVE + r"(?:'s|s)?\b(?: (?:who|is|has|was|had|got|been|being|s|'s)){0,2} "
                               r"(?:really |very |quite |so |too |badly |seriously )?(?:ill|sick|poorly|unwell|depressed|"
                               r"in hospital|hospitali[sz]ed|in bed|bed ?bound|(?:got |has |with )?(?:flu|covid|a bug|cancer|"
                               r"ms|chemo|the flu|a virus|sickness))\b")
# ... or of staff ("his tutor's off sick so I'm covering the form"): no reason for the pupil at all
_STAFF_ILL = re.compile(r"\b(?:form tutor|tutor|class teacher|teacher|ta|lsa|colleague|senco|dsl|head|headteacher)(?:'s|s)?"
                        r"(?: (?:is|was|has been|been|off|s|'s)){1,2} (?:off )?(?:ill|sick|poorly|unwell)\b")
# ... unless the pupil is ill too ("she's poorly as well", "off sick herself")
_PUPIL_ILL = re.compile(r"\b(?:he|she|they)(?:'s| is| are|'re| was| were| has| had| got| feels| felt| has got| has been)? "
                        r"(?:\w+ ){0,2}(?:ill|sick|poorly|unwell|a bug|flu|a temperature|a fever|vomiting|a cold)\b|"
                        r"\b(?:off|home) (?:sick|ill|poorly)\b|\b(?:him|her|them)sel(?:f|ves)\b|\b(?:he|she|they)"
                        r"(?:'s| has|'ve| have)? (?:got|caught|picked up) it\b|\bso (?:is|has|does|did) (?:he|she|they)\b")
# A trip or outing the school did not arrange ("with his Sunday league club, not school-arranged").
_NOT_SCHOOL_TRIP = re.compile(r"\bnot (?:a )?school[- ](?:arranged|organi[sz]ed|trip)\b|\bnot (?:arranged|organi[sz]ed|run) by "
                              r"(?:the |us|our )?(?:school)?\b|\b(?:sunday league|football club|family|friends'?) (?:trip|outing)\b|"
                              r"\btrip with (?:his|her|their) (?:\w+ ){0,2}(?:club|team|family|friends|church|scouts|cadets)\b")
_FIRST_CLOCK = re.compile(r"\b(\d{1,2})[.:h](\d{2})\b(?:\s*(am|pm|a\.m\.|p\.m\.))?")


def _session_from_clock(low: str) -> str | None:
    """The session a registration time belongs to: the first time given, 7 to 11.59 is the morning, 12 to 3.59 the
    afternoon (1.15 with no am or pm is the afternoon in a school day)."""
    m = _FIRST_CLOCK.search(low)
    if not m:
        return None
    hour = int(m.group(1))
    if m.group(3) and m.group(3).startswith("p") and hour < 12:
        hour += 12
    if 7 <= hour <= 11:
        return "am"
    if 12 <= hour <= 15 or 1 <= hour <= 3:
        return "pm"
    return None


_SINCE_DATE = re.compile(r"\b(?:since|from|on|back on) (?:the |(?:mon|tues|wednes|thurs|fri)day (?:the )?)?(\d{1,2})"
                         r"(?:st|nd|rd|th)\b")
_TODAY_DATE = re.compile(r"\b(?:it'?s|it is|now|today is|today'?s|today,?) (?:now )?(?:the |(?:mon|tues|wednes|thurs|fri)day "
                         r"(?:the )?)?(\d{1,2})(?:st|nd|rd|th)\b")


# Reasons that decide the code even when the pupil arrived after the register closed: late after an appointment is
# M, not U (U applies only "where no other code applies", dfe-attendance-facts.md §1); arriving at the time an agreed
# part-time timetable sets is C2 (the session is not timetabled, dfe-attendance-facts.md §2.4).
OUTRANK_LATENESS = frozenset({"medical", "part-time"})
NOT_STATED = "none"


# "... Ella in at 9.02, Jack got in 9.20. code for Jack?": the pupil asked about, by the name the message gives
_ASKED_FOR_NAME = re.compile(r"\b(?:for|about|is|does|did|mark|code)\s+([A-Z][a-z]{2,})\s*\??\s*$")
_CLAUSE_END = re.compile(r"(?<=[,;!?])|(?<=\.)(?=\s)")   # (a full stop inside a clock time, 9.02, ends nothing)


def about_the_named(text: str) -> str:
    """The parts of a message about the one pupil it asks about when it tells of two by name ("Ella in at 9.02, Jack
    got in at 9.20 - code for Jack?"), so another pupil's facts are not read as theirs; otherwise the message."""
    asked = _ASKED_FOR_NAME.search(text.strip())
    if not asked:
        return _about_the_sibling(text)
    name = asked.group(1)
    clauses = [c for c in _CLAUSE_END.split(text) if c]
    starts = [re.match(r"\s*(?:and |but |then |while |whereas )?(?:(?:y|yr|year) ?\d{1,2} )?([A-Z][a-z]{2,})\b", c,
                       re.IGNORECASE) for c in clauses]
    starts = [m if m and m.group(1)[0].isupper() else None for m in starts]
    others = {m.group(1) for m in starts if m and m.group(1) != name}
    if not others or not any(m and m.group(1) == name for m in starts):
        return text
    kept = [c for c, m in zip(clauses, starts) if not (m and m.group(1) in others)]
    return "".join(kept)


# "... but her twin evie didnt arrive till 9.35 ... what do i put for evie": a sibling named and asked about in lower case
_ASKED_FOR_LOWER = re.compile(r"\b(?:for|about|mark|code)\s+([a-z]{3,})\s*\??\s*$")
_CLAUSE_OR_BUT = re.compile(r"(?<=[,;!?])|(?<=\.)(?=\s)|(?=\bbut\b)|(?=\bwhereas\b)|(?=\bwhile\b)")
_CLOCK_TIME = re.compile(r"\b\d{1,2}[.:]\d{2}\b")


def _about_the_sibling(text: str) -> str:
    """The message without the clock times of another pupil's clauses, when it asks about a twin, sibling or friend
    named in lower case ("mia was in at 8.50 but her twin evie got in at 9.35 ... for evie")."""
    asked = _ASKED_FOR_LOWER.search(text.strip())
    if not asked or not re.search(rf"\b(?:twin|brother|sister|sibling|cousin|mate|friend|classmate)\s+{asked.group(1)}\b", text):
        return text
    name = asked.group(1)
    clauses = [c for c in _CLAUSE_OR_BUT.split(text) if c]
    if not any(name in c and _CLOCK_TIME.search(c) for c in clauses):
        return text
    return "".join(c for c in clauses if name in c or not _CLOCK_TIME.search(c) or _REGISTER_WORD.search(c))


_REGISTER_WORD = re.compile(r"\b(?:reg|regs|register|registers|registration)\b")


def situation(facts: dict[str, str]) -> str | None:
    """Work out where the pupil was at registration, the code tree's first question: present, late, or the reason."""
    registration, reason = facts.get("registration"), facts.get("reason")
    if registration == "present":
        return "present"
    if registration == "late-before":
        return "late"
    if registration in ("late-after", "late"):   # ("late": before or after the register closed is asked next)
        return reason if reason in OUTRANK_LATENESS else "late"
    return reason


def complete(facts: dict[str, str]) -> dict[str, str]:
    """Add the facts the stated ones imply (the situation), leaving the stated facts unchanged; a situation chosen in
    a walk-through is kept when the stated facts imply none."""
    out = {k: v for k, v in facts.items() if k != "situation"}
    if out.get("reason") in (None, "kept-off", "staggered-start") and out.get("age") == "below-compulsory" \
            and out.get("registration") in (None, "absent"):
        # below compulsory school age and kept at home or not yet started: not required to attend (X)
        out["reason"] = "not-required"
    if out.get("reason") == "excluded" and out.get("arranged_by") in ("school", "la") and "provision" not in out \
            and out.get("supervised_by") in ("school-staff", "other"):
        # "suspended, we've arranged the inclusion room at our partner school, their staff supervise": provision
        out["provision"] = "arranged"
    where = situation(out) or facts.get("situation")   # one chosen in a walk-through holds when nothing implies one
    if where:
        out["situation"] = where
    return out


def _holds(option: Option, fact: str, facts: dict[str, str]) -> bool:
    """True when the facts choose this option: its values for the node's fact, or all of one 'when' condition."""
    if fact in facts and facts[fact] in option.values:
        return True
    return any(all(facts.get(name, NOT_STATED) in allowed for name, allowed in cond) for cond in option.when)


def decide(tree: Tree, facts: dict[str, str], step: trees.Step | None = None) -> trees.Step:
    """Walk the tree (from the start, or from a step already reached) as far as the facts decide; stop at an
    outcome or at the first question they leave open."""
    step = step or trees.start(tree)
    while not step.node.is_outcome and step.node.fact:
        node = step.node
        index = next((i for i, o in enumerate(node.options) if _holds(o, node.fact, facts)), None)
        if index is None and node.fact not in facts:
            index = next((i for i, o in enumerate(node.options) if o.default), None)
        if index is None:
            break
        step = trees.choose(step, index)
    return step


def path_taken(step: trees.Step) -> list[tuple[str, str]]:
    """Return the (question, answer) pairs a walk went through, for explaining how a code was reached."""
    pairs = []
    for here, there in zip(step.path, step.path[1:]):
        node = step.tree.nodes[here]
        label = next((o.label for o in node.options if o.next == there), "")
        pairs.append((node.ask, label))
    return pairs


def reachable_codes(tree: Tree, facts: dict[str, str]) -> set[str]:
    """Every code the tree can still give once the stated facts have been followed as far as they decide."""
    step = decide(tree, complete(facts))
    found: set[str] = set()
    seen: set[str] = set()
    pending = [step.node.id]
    while pending:
        node = tree.nodes.get(pending.pop())
        if node is None or node.id in seen:
            continue
        seen.add(node.id)
        found.update(node.codes)
        pending.extend(o.next for o in node.options)
    return found


def facts_for_code(tree: Tree, code: str) -> dict[str, str] | None:
    """The stated facts of the simplest situation the tree codes this way (what "code L" takes for granted), so a
    follow-up that changes one of them ("what if they came after the register closed?") can be decided; None when
    the tree reaches the code by no path the facts can describe."""
    def stated(fact: str, value: str) -> dict[str, str]:
        if fact != "situation":
            return {fact: value}
        return {"registration": value if value == "present" else "late-before"} if value in ("present", "late") \
            else {"reason": value}

    def walk(node_id: str, facts: dict[str, str], seen: frozenset):
        node = tree.nodes.get(node_id)
        if node is None or node_id in seen:
            return
        if node.is_outcome:
            if code in node.codes[:1]:
                yield facts
            return
        for option in node.options:
            choices = [stated(node.fact, v) for v in option.values[:1]] or \
                      [{name: allowed[0] for name, allowed in cond if allowed and allowed[0] != NOT_STATED}
                       for cond in option.when[:1]] or ([{}] if option.default else [])
            for extra in choices:
                yield from walk(option.next, {**facts, **extra}, seen | {node_id})

    for found in sorted(walk(tree.start, {}, frozenset()), key=len):   # the fewest facts that decide it
        step = decide(tree, complete(found))
        if step.node.is_outcome and step.node.codes[:1] == (code,):
            return found
    return None
