"""Calculator skill: attendance percentages, persistent and severe absence, and days missed, from the figures given."""
from __future__ import annotations

import re
from dataclasses import replace

from .. import calculator, projection, tally
from ..models import Reply
from . import Context, Interpretation

SCORE = 0.95
ASIDE = 0.6     # figures given in passing in a long message that asks something else: guidance answers first
LONG = 15       # words: a message longer than this may mention figures only as background
_ASKS_FIGURES = re.compile(r"\b(calculat\w*|work (?:it |that |this )?out|what(?:'?s| is| would| does) (?:that|this|it|her|his|"
                           r"their)|how many|percent(?:age)?|per ?cent|out of|as a %|(?:a|per|over the|each) (?:year|term)|"
                           r"pa\b|sa\b|persistent\w*|severe\w*|threshold|figures?|rate|in days|over (?:the |a )?(?:whole |full )?"
                           r"(?:school )?year)\b|\b(?:attendance|absence|att) ?%", re.IGNORECASE)
CONVERTED = 0.96   # "how many days is 33 sessions?" asks for the conversion alone, even straight after a calculation
CONVERSION_SOURCE = "School Attendance (Pupil Registration) (England) Regulations 2024, reg 10(1): morning and afternoon sessions"
BY_CODE = 0.97  # sessions given by code ("12 L, 8 U"): counting them is the question, not what the codes mean
ASKED = 0.972  # the percentage asked for outright outranks a code the message names in passing ("coded Y2", "all
#                illness coded I"), even one the facts around it decide
BY_CODE_ASKED = 0.975   # ... and, with sessions given by code, a code decided from the facts around them ("coded B")
_ASKS_PERCENT = re.compile(r"\b(?:attendance|absence) ?(?:%|percent|percentage|rate|figure)|\bpercentage\b|what(?:'?s| is) "
                           r"(?:his|her|their|the) (?:attendance|absence)\b|\b(?:his|her|their|the|its) ?(?:%|per ?cent)(?!\w)|"
                           r"\bwhat (?:does|do|will|would) (?:that|this|it|they) do to (?:his|her|their|the) "
                           r"(?:attendance|figures?|%)|\bwhere (?:does|do|would|will) (?:that|this|it|they) (?:put|leave) "
                           r"(?:him|her|them)\b", re.IGNORECASE)
_ASKS_HOW_MANY = re.compile(r"\bhow many (?:school )?(?:days|sessions|half[- ]days)\b", re.IGNORECASE)
SOURCES = ("Working together to improve school attendance (DfE, August 2024): persistent and severe absence",
           "000_c17e12f361180603.txt (Children with a Social Worker: 90% attendance = 19 days missed)")


# "how many unauthorised sessions is that?", "what's the total?": a count asked of sessions given by code
_ASKS_TOTAL = re.compile(r"\bhow many\b|\b(?:total|altogether|add(?:s|ed)? up|in all|count(?:s|ed)? (?:towards|to))\b|"
                         r"\bthreshold\b", re.IGNORECASE)
TALLY_SOURCES = ("Working together to improve school attendance (DfE, August 2024): codes and penalty notices "
                 "(dfe-attendance-facts.md §1, §2.6)",)


def reply_for(result: calculator.Attendance) -> Reply:
    """The worked figures as a reply."""
    return Reply(kind="calculation", text=calculator.describe(result), title="Attendance calculator",
                 confidence=1.0, sources=SOURCES)


# "why would a social worker care about 90% attendance?", "should school have referred by now? attendance is 75%": a
# percentage told as the situation, with something else asked about it
_ASKS_SOMETHING_ELSE = re.compile(r"^\W*(?:why|should|who|how (?:do|can|should|would) (?:i|we|you))\b|\b(?:should (?:the |"
                                  r"our |his |her )?school|explain|referr?(?:ed|al)?|what (?:should|do|can) (?:i|we))\b",
                                  re.IGNORECASE)
# "... in 10 school weeks, can we fine?": the figures are the situation, the question is the penalty rule
_ASKS_PENALTY = re.compile(r"\b(?:fine|fined|fining|penalty|penalties|prosecut\w*|court)\b", re.IGNORECASE)


def _count_kept(text: str) -> dict | None:
    """The one count of sessions or days missed (or attended) a message gives, kept so that the possible ones told
    next ("there's been 180 possible so far") complete a calculation."""
    counts = {role: v for role, v in calculator.counted(text).items() if role in ("missed", "attended")}
    if len(counts) != 1:
        return None
    role, (value, unit) = next(iter(counts.items()))
    return {"count": {"role": role, "value": value, "unit": unit or "sessions"}}


def _completed(ctx: Context) -> Interpretation | None:
    """The count kept from the last message, with the possible sessions or days this one gives, worked out."""
    kept = ctx.memory.get("count")
    counts = calculator.counted(ctx.text) if kept else {}
    if set(counts) != {"possible"}:
        return None
    possible = counts["possible"][0]
    missed = kept["role"] == "missed"
    try:
        result = calculator.from_counts(possible - kept["value"] if missed else kept["value"], possible, kept["unit"])
    except calculator.CalculationError as exc:
        reply = Reply(kind="calculation", title="Attendance calculator", confidence=1.0, text=f"I can't calculate that: {exc}.")
        return Interpretation("calculator", SCORE, "the count kept does not fit", reply, key="calc-error")
    result = replace(result, given="absence" if missed else "attendance")   # (read later as it was given)
    return Interpretation("calculator", ASKED, "the count kept, with the possible sessions now given", reply_for(result),
                          memory={"calc": result.memory()}, key="calc")


def propose(ctx: Context) -> list[Interpretation]:
    """Work out the figures the message gives, or say clearly why they cannot describe attendance."""
    converted = calculator.convert(ctx.text)
    if converted is not None:
        reply = Reply(kind="calculation", text=converted, title="Sessions and school days", confidence=1.0,
                      sources=(CONVERSION_SOURCE,))
        return [Interpretation("calculator", CONVERTED, "sessions and days converted", reply, memory=_count_kept(ctx.text),
                               key="convert")]
    completed = _completed(ctx)
    if completed is not None:
        return [completed]
    counted = tally.read(ctx.text, ctx.k.code_statistics)
    if counted is not None:
        # sessions by code with nothing possible given: counted, and set against the penalty-notice threshold
        asked = bool(_ASKS_TOTAL.search(ctx.text) or _ASKS_PENALTY.search(ctx.text))
        reply = Reply(kind="calculation", title="Sessions counted by code", confidence=1.0,
                      text=tally.describe(counted, ctx.k.register), sources=TALLY_SOURCES)
        return [Interpretation("calculator", BY_CODE if asked else ASIDE, "sessions counted by code", reply,
                               key="tally")]
    try:
        ahead = projection.project(ctx.text, ctx.k.code_statistics, ctx.memory.get("calc"))
        if ahead is not None:
            reply = Reply(kind="calculation", text=projection.describe(ahead), title="Attendance calculator",
                          confidence=1.0, sources=SOURCES)
            return [Interpretation("calculator", ASKED, "attendance so far, looked ahead", reply,
                                   memory={"calc": ahead.now.memory()}, key="calc")]
        result = calculator.parse(ctx.text, ctx.k.code_statistics)
    except calculator.CalculationError as exc:
        reply = Reply(kind="calculation", title="Attendance calculator", confidence=1.0,
                      text=f"I can't calculate that: {exc}. Try '150 out of 180 sessions' or 'missed 12 of 95 days'.")
        return [Interpretation("calculator", 0.9, "figures that cannot be attendance", reply, key="calc-error")]
    if result is None:
        return []
    penalty = bool(_ASKS_PENALTY.search(ctx.text))
    # (the threshold a penalty question asks about is the penalty notice's, not a figure of attendance)
    asks_figures = any(not (penalty and m.group(0).lower() == "threshold") for m in _ASKS_FIGURES.finditer(ctx.text))
    aside = (len(ctx.text.split()) > LONG or penalty or (
        result.possible is None and not result.by_code and bool(_ASKS_SOMETHING_ELSE.search(ctx.text)))) \
        and not asks_figures
    # figures given by code ask for them to be counted as the register counts them, not what the codes mean
    asked = bool(_ASKS_PERCENT.search(ctx.text) or _ASKS_HOW_MANY.search(ctx.text))
    score = ASIDE if aside else (BY_CODE_ASKED if asked else BY_CODE) if result.by_code else ASKED if asked else SCORE
    return [Interpretation("calculator", score,
                           "attendance figures mentioned in passing" if aside else "attendance figures",
                           reply_for(result), memory={"calc": result.memory()}, key="calc")]
