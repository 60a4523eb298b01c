"""Follow-up skill: a message that changes one fact of the last scenario ("what if it was after the register
closed?"), asks about the last code ("why not O?", "is that authorised?") or changes the last figures ("what if
she had missed 10 fewer sessions?") is answered against what the previous answer left in memory."""
from __future__ import annotations

import re
from dataclasses import replace

from .. import calculator
from ..codes import CORRECTION, spoken_times
from ..facts import EXTRA_DAYS, still_expected
from ..models import Reply
from . import Context, Interpretation
from . import calculator as calculator_skill
from . import scenario

SCORE = 0.95
WHY_NOT = 0.955         # "why not #?" after a code: this case against the other code, before that code's own answer
RESTATED = 1.0          # the last figures restated against the thresholds ("so is she PA?")
BARE_COUNTS_WORDS = 4   # "absence though?", "still counts as present?": how the code just given counts
_HEDGES = re.compile(r"\b(?:still|though|then|even|really|actually|just|surely)\b", re.IGNORECASE)
_COUNTS_WORD = re.compile(r"\b(?:authori[sz]ed|unauthori[sz]ed|absences?|absent|present|counts?)\b", re.IGNORECASE)
SHORT = 16              # words: a follow-up is short ...
SHORT_CORRECTION = 30   # ... unless it says it corrects the last message ("ah no, scrap that, she was in for reg ...")
_CLOCK = re.compile(r"\b\d{1,2}[.:]\d{2}\b|\b(?:at|by) \d{1,2}\b(?![.:]?\d| ?(?:days?|weeks?|sessions?|%))")
_CHANGE = re.compile(r"^\s*(?:(?:and|but|ok|okay|so|sorry)[,.]? )*(?:what |how )?(?:if|about|abt)\b|^\s*(?:and|but|or|sorry|"
                     r"actually|oh|ah|oops|no|nope|wait|hang on|hold on|though|instead|correction|now|update|"
                     r"turns out)\b|\b(?:though|"
                     r"instead|i meant|meant to say|rather|scrap that|ignore that|my mistake|my bad|turns out|"
                     r"it turns out|in the end|after all)\b|"
                     # the arrangement reviewed since: "after the review he's in from reg", "now he does the whole morning"
                     r"\b(?:after|since|following) (?:the|his|her|their|a) review\b|\breviewed (?:it|the (?:timetable|plan|"
                     r"hours))\b|\bnow (?:he|she|they) (?:does|do|is|are|comes?|attends?|gets?)\b|"
                     # the same case with one fact changed: "is that the same if the LA set it up?"
                     r"\b(?:is (?:that|it|this) )?(?:still )?the same if\b|"
                     # news of the same case: "theyve now asked for ...", "mum's since said ..."
                     r"^\s*(?:they'?ve|they have|they|she'?s|he'?s|mum'?s|dad'?s|mum|dad|parents?|the family)"
                     r" (?:now|since|then|also) (?:asked|said|told|rung|rang|emailed|called|been|gone)\b|"
                     r"^\s*(?:they'?ve|they have|she'?s|he'?s|mum'?s|dad'?s|parents have|the family have) (?:just )?"
                     r"(?:asked|rung|rang|emailed|called|written|requested)\b", re.IGNORECASE)
_WHY_NOT = re.compile(r"\bwhy\s+(?:not|isn'?t it|wouldn'?t it be|can'?t (?:i|we|it) (?:use|be)|doesn'?t it|does it "
                      r"have to change from|change from|not just)\b|\b(?:what about|instead of|rather than)\s+\S{1,2}\b|"
                      # "we used # for that last year, can't we carry on?": the code used before, against this one
                      r"\b(?:we|i|they) (?:always |have always |'ve always |'ve )?(?:used|use|put)\s+\S{1,2}\s+(?:for|on|last|before|"
                      r"in the past)\b|\bused to (?:use|put)\b|\bcan'?t (?:i|we) (?:just )?(?:use|put|keep|stick with)\b|"
                      # "how's that different from Q?": this case against another code
                      r"\bhow(?:'s| is| does| do) (?:that|it|this|they) (?:different|differ)\b|\bdifferen\w* (?:from|to)\b|"
                      # "I said V, what's wrong with that?", "are you sure? I thought it was G": this case against theirs
                      r"\b(?:i|we) (?:said|put|went with|chose|picked|thought|reckoned|'d have (?:said|put)|would have "
                      r"(?:said|put)|was going to (?:use|put))\s+(?:it was |it's |it'd be |it would be |it should be )?"
                      r"(?:code |an? )?\S{1,2}\b|\bwhat'?s wrong with\b|\b(?:surely|shouldn'?t) (?:it|that|this) (?:be|is) "
                      r"\S{1,2}\b",
                      re.IGNORECASE)
_AUTHORISED = re.compile(r"\b(authori[sz]ed|unauthori[sz]ed|count(?:s|ed)? (?:as|towards|against|in)|absences?|absent|"
                         r"drag\w* (?:\w+ )?(?:figures?|attendance|percentage|%)|(?:our|his|her|their|the) %|"
                         r"(?:our|the school'?s) (?:figures?|attendance|percentage)|"
                         r"present|possible sessions?|statistic\w*|fine|penalty|(?:approved )?educational activit\w*|"
                         r"aea|attendance figures?|(?:his|her|their) (?:attendance|figures?|percentage))\b|"
                         # "so that doesn't hurt his % then?"
                         r"\b(?:our|his|her|their|the|my) %|\b(?:hurt|affect|harm|damage|dent|lower|ruin)s? (?:his|her|their|"
                         r"our|the|my) (?:%|attendance|figures?|percentage|stats)", re.IGNORECASE)
_PRONOUN = re.compile(r"\b(that|it|its|this|those|these|they|them|that one|this one|the code|that code|that mark|either|"
                      r"neither|both)\b", re.IGNORECASE)
_FEWER = re.compile(r"(\d{1,4})\s+(fewer|less|more|extra)\s+(sessions?|days?|half[- ]days?)?|\b(another|an(?:other)? extra|"
                    r"a further)\s+(\d{1,4})\b", re.IGNORECASE)
_CLOSING = re.compile(r"\b(?:clos\w*|shut\w*|ends?|finish\w*)\b|\b(?:register|reg|registration)\b.{0,20}\b(?:until|till)\b",
                      re.IGNORECASE)
_IN_FOR_IT = re.compile(r"\b(?:came|come|comes|got|was|were) (?:back )?in (?:at \d{1,2}[.:]\d{2} )?(?:for|at|by|in time for) "
                        r"(?:the )?(?:afternoon |pm |morning |am )?(?:reg|registration|register)\b|\b(?:was|were) (?:here|"
                        r"there|in) (?:for|at) (?:the )?(?:afternoon|pm|morning|am) (?:reg|registration|register|session)\b",
                        re.IGNORECASE)
TOPIC_CODE = 0.8   # a code asked for after guidance about a situation: the code for that situation
_WHAT_IF = re.compile(r"\b(?:what if|what about if|and if|if (?:she|he|they) (?:had|'d))\b|^\s*(?:and |so )?(?:what|how) "
                      r"about\b|^\s*(?:and|or)\b", re.IGNORECASE)
_SOME_DAYS = re.compile(r"\b\d{1,3}\s+(?:school\s+)?(?:days?|sessions?|half[- ]days?)\b", re.IGNORECASE)
_NEW_PERCENT = re.compile(r"^\s*(?:and|or|but|so)?\s*(?:what about|how about|what if|if|and for|same for|now)?\s*"
                          # "and if she got up to 95%?": the figure changed, told of the pupil or the attendance
                          r"(?:(?:it|she|he|they|attendance|her attendance|his attendance|(?:his|her|their|the) (?:sister|"
                          r"brother|twin|sibling|cousin|friend|other (?:child|kid|one))|(?:an?|the|another|my|our) (?:\w+ )?(?:y|yr|year) ?\d{1,2}"
                          r"(?: (?:boy|girl|lad|pupil|kid|child|student))?|(?:an?|the|another) (?:other )?(?:pupil|child|kid|"
                          r"boy|girl|lad|student))\s*(?:'s|was|is|were|had|has|got|"
                          r"gets|went|goes|improved|improves|dropped|drops|fell|falls|came|comes|rose|rises|reached|"
                          r"reaches)?\s*(?:up|down|back)?\s*(?:to|at|on)?\s*)?(?:(?:at|on|for|with)\s+)?"
                          r"(\d{1,3}(?:\.\d+)?)\s*(?:%|per\s*cent|percent)\s*(?:then|instead)?\s*\??\s*$",
                          re.IGNORECASE)
_BARE_NUMBER = re.compile(r"^\s*(?:and|or|what about|how about|same for|now)\s+(?:at\s+|for\s+|on\s+)?(\d{2}(?:\.\d+)?)\s*\??\s*$",
                          re.IGNORECASE)
_STILL = re.compile(r"^\s*(?:and |so |but )?(?:would|will|is|does|do|are|was|were)\s+(?:he|she|they|that|it|this|the "
                    r"(?:pupil|child))\b.{0,30}\b(?:pa|sa|persistent\w*|severe\w*|threshold|count(?:s|ed)? as)\b",
                    re.IGNORECASE)
# "so she's not persistently absent yet, right?": where the last figures stand, asked in any words
_STANDING = re.compile(r"\b(?:pa|sa|persistent\w*|severe\w*|threshold)\b|\b(?:under|below|above|over|less than|more "
                       r"than|beneath|at) (?:the )?\d{1,2}(?:\.\d+)?\s*(?:%|per ?cent|percent)?(?!\s*(?:sessions?|days?|"
                       r"weeks?|[\d.:]))\b", re.IGNORECASE)
SHORT_STANDING = 15
# "is there a simpler way to put it, like per couple of weeks?": the last figures again, in everyday terms
_PLAINER = re.compile(r"\b(?:simpler|more simply|plainer|in plain (?:english|words|terms)|in simple (?:terms|words)|"
                      r"layman'?s terms|easier to (?:understand|explain)|(?:put|explain|say) (?:it|that|this) (?:another|"
                      r"a different|a simpler|an easier) way|(?:explain|say|put) (?:it|that|this) (?:again|differently|"
                      r"more simply)|rephrase|per (?:couple of )?(?:weeks?|fortnight)|(?:a|every) (?:couple of weeks|"
                      r"fortnight)|in a (?:normal |typical |school )?(?:week|fortnight))\b", re.IGNORECASE)
# ... unless it asks what the threshold is ("at what point does it count as severe?"): that is for the guidance
_DEFINES = re.compile(r"\b(?:at what|what point|when (?:does|do|is|are|would)|what (?:is|are|counts)|what'?s|defin\w*|"
                      r"mean\w*)\b", re.IGNORECASE)
_DAYS_A_YEAR = re.compile(r"\bhow many days\b|\bin days\b|\bdays? (?:a|per|each|over the|in a) (?:year|term)\b|"
                          r"^\W*(?:and |so |what about )?(?:over|across|in|for) (?:a|the|the whole|a whole|a full) "
                          r"(?:school )?year\W*$",
                          re.IGNORECASE)

# "how many sessions is that?": the last figures restated, whose days missed are also given as sessions
_IN_SESSIONS = re.compile(r"\bhow many (?:sessions|half[- ]days)\b(?!\s+(?:is|are|in|would|does|makes?)\s+\d)|"
                          r"\b(?:in|as) (?:sessions|half[- ]days)\W*$", re.IGNORECASE)
# "of them", "of those days": the possible sessions or days already given
_OF_THEM = r"(?:them|those|these|it|the (?:\d+ )?(?:days|sessions))"
_MISSED_ONLY = re.compile(r"\b(?:missed|off|absent|away)(?: for)? (?:only |just )?(\d{1,4})\b(?!\s*(?:%|per ?cent|days?|"
                          r"sessions?|half|out|of(?! " + _OF_THEM + r")|/|fewer|less|more|extra|instead|rather|other))",
                          re.IGNORECASE)
# "roughly how often is that?": the last figures again, which say how often in a school week
_HOW_OFTEN = re.compile(r"\bhow often\b|\bhow (?:many|much) (?:days? )?(?:a|per|each|every) (?:week|fortnight|month)\b",
                        re.IGNORECASE)
# "what if she'd attended 170?": the same possible sessions or days, that many attended
_ATTENDED_ONLY = re.compile(r"\b(?:attended|been in(?: for)?|was in(?: for)?|present for|made|managed)(?: only| just)? "
                            r"(\d{1,4})\b(?!\s*(?:%|per ?cent|days?|sessions?|half|out|of(?! " + _OF_THEM + r")|/))",
                            re.IGNORECASE)
# "and if it was 28?", "what about 28?": the figure given last time, another value
_ANOTHER_COUNT = re.compile(r"^\s*(?:and|or|so|but)?\s*(?:what about|how about|what if|and if|if)?\s*(?:(?:it|that|they|she|"
                            r"he)\s*(?:'d|had|was|were|is)?\s*(?:been|had|made)?\s*)?(?:only |just )?(\d{1,4})\s*"
                            r"(?:sessions?)?\s*(?:then|instead)?\s*\??\s*$", re.IGNORECASE)
# "and if those 9 L's had been U's?": sessions given by one code counted as another
_RECODED = re.compile(r"(?i:\b(?:if|had|were|say)\b).{0,20}?\b(\d{1,4}) (?:(?i:code|sessions? (?:of|coded|marked)) )?"
                      r"([A-Z][1-9]?)(?:'?s)?(?![\w/])(?: (?i:codes?|marks?|sessions?))?.{0,12}?(?i:\b(?:had been|were|was|"
                      r"been|are|became|changed to|turned into))\s+(?i:(?:coded|marked|recorded) )?(?i:as )?(?i:code )?(?:an? )?"
                      r"([A-Z][1-9]?)(?:'?s)?(?![\w/])")
# "what if it was 30 instead of 38?": one of the last figures replaced by another
_INSTEAD = re.compile(r"(\d{1,4}(?:\.\d+)?)\s*(?:sessions?|days?)?\s+(?:instead of|rather than|not)\s+(\d{1,4}(?:\.\d+)?)\b",
                      re.IGNORECASE)


# "if the head says no and they go anyway?": a fact of the situation supposed, which its code answers
_SUPPOSING_START = re.compile(r"^\W*(?:(?:and|but|ok|okay|so)\W+)*(?:what |and )?if\b", re.IGNORECASE)
_SUPPOSED = re.compile(r"\b(?:if|when|once|instead|now|then)\b", re.IGNORECASE)   # "what happens if the LA arranged it?"
_WH_ASKS = re.compile(r"^\W*(?:\w+\W+){0,6}?(?:who|what(?! if\b| about\b)|how(?! about\b)|where|why|which)\b", re.IGNORECASE)
# "when does it have to start?" asks a time of a rule; "when she's back at the AP?" supposes
_WHEN_ASKS = re.compile(r"^\W*(?:\w+\W+){0,4}?when (?:does|do|did|will|would|should|must|can|is|are|has|have|exactly|"
                        r"roughly)\b", re.IGNORECASE)
_ASKS = re.compile(r"\?|^\W*(?:\w+\W+){0,6}?(?:what|who|how|when|where|why|which|can|could|should|do|does|is|are|"
                   r"will|would|must)\b", re.IGNORECASE)


_EXTRA_DAYS_LEAD = ("Only the day set apart for religious observance is R; the extra days are leave of absence, "
                    "which the head may grant or refuse.")


# Pupils said to be younger than the ones a code is for
_YOUNGER = re.compile(r"\b(?:younger|little) (?:ones|children|kids|pupils|year groups)\b", re.IGNORECASE)


def propose(ctx: Context) -> list[Interpretation]:
    """Answer against the previous answer when the message only makes sense as a follow-up to it."""
    out: list[Interpretation] = []
    memory = ctx.memory
    if memory.get("code") == "C2" and "age" not in ctx.facts and _YOUNGER.search(ctx.text):
        # "and for the younger ones?" after C2 (compulsory school age): pupils below that age
        ctx = replace(ctx, facts={**ctx.facts, "age": "below-compulsory"})
    case = memory.get("case")
    if case and not memory.get("facts") and not ctx.named and (
            ctx.facts and scenario.stated(ctx.facts) and (_CHANGE.search(ctx.text) or _SUPPOSED.search(ctx.text))
            or not ctx.facts and scenario.INTENT.search(ctx.text) and _THE_SAME_DAYS.search(ctx.text)
            or _CLOCK.search(ctx.text) and "closed" in case["facts"] and _CHANGE.search(ctx.text)):
        # a changed fact of the case coded before a question of guidance ("ok and if the LA had commissioned it?"), or
        # another arrival time ("if 9.05?"), or its code asked again ("and how do I code his days there?"): the case is
        # taken up again
        memory = {"facts": case["facts"], "code": case["code"]}
    words = len(ctx.text.split())
    short = words <= SHORT or (words <= SHORT_CORRECTION and bool(_CHANGE.search(ctx.text)))
    before, told_more = memory.get("facts") or {}, False
    if not before and memory.get("situation"):
        # a situation told with something else asked (a task), never coded: what is told next completes it
        before, told_more = dict(memory["situation"]), True
    if before and not memory.get("code") and memory.get("entry") and (
            scenario.INTENT.search(ctx.text) or not _ASKS.search(ctx.text)
            or _SUPPOSING_START.match(ctx.text) and _guides_coding(ctx, memory["entry"])) \
            and scenario.stated(ctx.facts):
        # a situation answered with guidance, never coded: what is told next completes it, unless it asks
        # something else ("she's had 3 suspensions too, what do I ask about those?")
        told_more = True
    if not before and ctx.facts and scenario.stated(ctx.facts):
        # after guidance on coding a situation ("which code for a pupil at AP?"), facts told next ("we set it up
        # ourselves, supervised by their staff") complete the situation that guidance is about
        before, told_more = _topic_facts(ctx, memory.get("entry")), True
    if not before and not ctx.facts and short and memory.get("entry") and scenario.INTENT.search(ctx.text) \
            and not ctx.named:
        # "what code are they meant to use for the sessions she's not in?" after guidance on part-time timetables:
        # the situation the guidance (or the coding guidance it links to) is about, coded
        topic = _linked_topic_facts(ctx, memory["entry"])
        found = scenario.interpret(ctx, topic, True, "the code for the situation just discussed") if topic else None
        if found is not None and found.key.startswith("code:"):
            out.append(Interpretation("follow-up", TOPIC_CODE, found.evidence, found.reply, memory=found.memory,
                                      key=found.key))
    if not before and set(ctx.facts) == {"age"} and short and memory.get("entry") and not ctx.named \
            and _ASKS.search(ctx.text):
        # "what about a 4 year old?" after a code or the guidance on it: the situation it codes, for a pupil of that age
        topic = _linked_topic_facts(ctx, memory["entry"])
        found = scenario.interpret(ctx, {**topic, **ctx.facts}, True, "the situation just discussed, at another age",
                                   lead="For a pupil of that age:") if topic else None
        if found is not None:
            out.append(Interpretation("follow-up", TOPIC_CODE, found.evidence, found.reply, memory=found.memory,
                                      walk=found.walk, key=found.key))
    if before and not memory.get("code") and memory.get("entry") and short and not ctx.named \
            and scenario.INTENT.search(ctx.text):
        # guidance was given on a situation told with its facts ("yr10 at an AP we commissioned: can it be his only
        # education?"); "what goes in the reg for his AP days?" codes that situation, with anything newly told
        found = scenario.interpret(ctx, _merge(before, ctx.facts, ctx.text), True, "the code for the situation told")
        if found is not None and found.key.startswith("code:"):
            out.append(Interpretation("follow-up", TOPIC_CODE, found.evidence, found.reply, memory=found.memory,
                                      key=found.key))
        elif found is not None:
            # the situation told so far does not decide the code: the one question that does
            out.append(Interpretation("follow-up", found.score, found.evidence, found.reply, memory=found.memory,
                                      walk=found.walk, key=found.key))
    if before and memory.get("code") in OFF_SITE and short and _NO_SHOW.search(ctx.text):
        # "and if he doesn't turn up at the PRU?": not at the activity is absence, for whatever reason is known
        kept = {k: v for k, v in before.items() if k in ("age", "session")}
        reason = next((r for r in ctx.reader.values("reason", ctx.text) if r not in OFF_SITE_REASONS), None)
        found = scenario.interpret(ctx, {**kept, "reason": reason or "unknown"}, True, "did not attend the activity",
                                   lead=f"Not attending it is absence, so it is not {memory['code']}.")
        if found is not None:
            return [Interpretation("follow-up", SCORE, found.evidence, found.reply, memory=found.memory,
                                   key=found.key)]
    new_time = bool(_CLOCK.search(ctx.text)) and "closed" in before
    # facts the message takes away: "what if she wasn't dual registered?", "what if she'd had no appointment?"
    denied = {name for name, value in before.items()
              if name not in ctx.facts and ctx.reader.negated(name, value, ctx.text)}
    asks_rule = bool(scenario.RULES_QUESTION.search(ctx.text)) and not scenario.INTENT.search(ctx.text)
    background_only = bool(ctx.facts) and set(ctx.facts) == {"age"} and not new_time and not denied \
        and not scenario.INTENT.search(ctx.text) and bool(_WH_ASKS.search(ctx.text))
    # ("back to the yr5, who should be round the table at a TAC?" tells an age and asks something else)
    guidance_only = background_only or bool(before) and bool(memory.get("entry")) and not memory.get("code") and not told_more \
        and not scenario.INTENT.search(ctx.text)   # guidance was given on the situation, and nothing new is told
    # "how often should we review the whole placement?" asks something else of the case; it changes no fact of it
    asks_other = (bool(_WH_ASKS.search(ctx.text)) and not _SUPPOSED.search(ctx.text) or bool(_WHEN_ASKS.search(ctx.text))) \
        and not scenario.INTENT.search(ctx.text) and not _CHANGE.search(ctx.text) and not new_time and not denied
    # "they've asked for the monday too" after a day of religious observance: more days, which are leave
    extra_days = before.get("reason") == "religious" and bool(EXTRA_DAYS.search(ctx.text.lower()))
    # "what if we did expect her in?" after the last exam: not leave the school agreed
    expected_after_exams = before.get("reason") == "after-last-exam" and still_expected(ctx.text)
    if before and (ctx.facts or new_time or denied or extra_days or expected_after_exams) and short and not asks_rule and not guidance_only \
            and not asks_other and (
            told_more or _CHANGE.search(ctx.text) or not scenario.stated(ctx.facts) or len(ctx.text.split()) <= 9):
        changed = {k: v for k, v in _merge(before, ctx.facts, ctx.text).items() if k not in denied}
        # "and the pm?" after a pupil present at the morning register: whether they were there for this one is open
        other_session = changed.get("session") != before.get("session") and "registration" in before \
            and "registration" not in changed
        again = changed == before and bool(memory.get("code")) and bool(scenario.INTENT.search(ctx.text))
        # (the same case asked again, "what goes in the register for his AP days?", gets its code again)
        found = None if changed == before and not again else scenario.interpret(
            ctx, changed, True, "the same case again" if again else "changed fact of the last scenario",
            lead=_EXTRA_DAYS_LEAD if extra_days else "" if told_more or again else "With that change:",
            ask_from_start=bool(denied) or other_session)
        if found is not None:
            out.append(Interpretation("follow-up", SCORE, found.evidence, found.reply, memory=found.memory,
                                      walk=found.walk, key=found.key))
    # "and after that?", or "and if we never get a reason?" (the days allowed told as passing)
    days_pass = ctx.facts in ({}, {"days": "five-plus"}) and (
        _THEN_WHAT.match(ctx.text) is not None or bool(ctx.facts) and bool(_CHANGE.search(ctx.text)))
    if memory.get("code") == "N" and "days" not in before and days_pass:
        # after N's rule, or a pupil coded N: the reason still not known in time
        before = {**before, "reason": "unknown", "days": "under-five"}
    if before.get("days") == "under-five" and days_pass:
        # "and after that?" straight after a reason not yet known: the days for finding it have passed
        found = scenario.interpret(ctx, {**before, "days": "five-plus"}, True, "the days allowed have passed",
                                   lead="Once the days allowed have passed:")
        if found is not None and found.key.startswith("code:"):
            out.append(Interpretation("follow-up", SCORE, found.evidence, found.reply, memory=found.memory,
                                      key=found.key))
    code = memory.get("code")
    if before and code and code in ctx.k.codes and not ctx.facts and not ctx.named and (
            _SAME_AGAIN.match(ctx.text) or _BARE_CODE_ASKED.match(ctx.text) or (scenario.INTENT.search(ctx.text) and (
                _UNTIL_THEN.search(ctx.text) or _THE_SAME_DAYS.search(ctx.text)))):
        # "same for tomorrow?": nothing changed, so the same decision again
        again = scenario.interpret(ctx, before, True, "the same situation again",
                                   lead="" if _BARE_CODE_ASKED.match(ctx.text) else "Nothing has changed, so:")
        if again is not None and again.key == f"code:{code}":
            out.append(Interpretation("follow-up", SCORE, again.evidence, again.reply, memory=again.memory,
                                      key=again.key))
    if code and code in ctx.k.codes and _JUST_WHY.match(ctx.text):
        # "why?": the same decision again, with how it was reached
        again = scenario.interpret(ctx, before, True, "why the last code") if before else None
        if again is not None and again.key == f"code:{code}":
            out.append(Interpretation("follow-up", SCORE, f"why {code}", again.reply, memory=again.memory,
                                      key=f"why:{code}"))
        else:
            entry = ctx.k.entries[ctx.k.codes[code].entry_id]
            out.append(Interpretation("follow-up", SCORE, f"why {code}", ctx.replies.entry(entry, SCORE),
                                      memory={"code": code, "entry": entry.id}, key=f"why:{code}"))
    if code and code in ctx.k.codes and short:
        why = _WHY_NOT.search(ctx.text)
        other = [c for c in ctx.named if c != code]
        if why and not other and _AS_PRESENT.search(ctx.text) and code not in ("/", "\\"):
            # "why not just mark her present?": the present mark of the session asked about
            other = ["\\" if (ctx.memory.get("facts") or {}).get("session") == "pm" else "/"]
        if why and (other or "change from" in why.group(0).lower()):
            out.append(_why_not(ctx, code, other[0] if other else None))
        elif _AUTHORISED.search(ctx.text) and not ctx.facts and (
                (not ctx.named and (_PRONOUN.search(ctx.text) or _names_bare(code, ctx.raw or ctx.text)
                                    or _asks_only_how_it_counts(ctx)))
                or (len(ctx.named) == 1 and ctx.named[0] in ctx.k.codes)):
            # "does that count against her?", "the G week, does that go towards a fine?", "does B go against him?"
            out.append(_counts_as(ctx, ctx.named[0] if ctx.named else code))
    guided = ctx.k.entries.get(memory.get("entry") or "")
    if not code and guided is not None and guided.kind == "answer" and len(guided.codes) == 1 and short \
            and _AUTHORISED.search(ctx.text) and not ctx.facts and not ctx.named and _PRONOUN.search(ctx.text):
        # after guidance that gives one code ("flexi-schooling: C"), "does that go down as absence?" asks how it counts
        out.append(_counts_as(ctx, guided.codes[0]))
    calc = memory.get("calc")
    if calc and short:
        changed = _changed_figures(calc, ctx.text, ctx.k.code_statistics)
        if changed is not None:
            out.append(changed)
    return out


def _asks_only_how_it_counts(ctx: Context) -> bool:
    """A few words asking only how the last code counts ("absence though?", "still counts as present?"), naming
    nothing else ("persistent absence?" names a subject of its own)."""
    return len(ctx.text.split()) <= BARE_COUNTS_WORDS and bool(_COUNTS_WORD.search(ctx.text)) \
        and not ctx.index.query_tokens(_HEDGES.sub(" ", _COUNTS_WORD.sub(" ", ctx.text)))[0]


def _names_bare(code: str, text: str) -> bool:
    """Whether a message names the code just given as a bare capital ("does B go against his attendance?"), which
    on its own is not read as naming a code."""
    return re.search(rf"(?<![\w\\/#]){re.escape(code)}(?![\w\\/#])", text) is not None


def _guides_coding(ctx: Context, entry_id: str) -> bool:
    """True when guidance is about how to code (it gives codes, or links to a code's own answer), so a fact supposed
    of the situation it was given on asks for that situation's code."""
    entry = ctx.k.entries.get(entry_id)
    return entry is not None and entry.kind == "answer" and (bool(entry.codes) or any(
        ctx.k.entries[link].kind == "code" for link in entry.see if link in ctx.k.entries))


def _topic_facts(ctx: Context, entry_id: str | None) -> dict:
    """The situation a coding answer is about, read from its title ("How to code attendance at alternative provision"
    is education away from school); nothing for guidance that codes no situation."""
    entry = ctx.k.entries.get(entry_id or "")
    if entry is None or not entry.codes or entry.kind == "glossary":
        return {}
    facts = ctx.reader.read(entry.title)
    return facts if scenario.stated(facts) else {}


def _linked_topic_facts(ctx: Context, entry_id: str) -> dict:
    """The situation guidance is about, from its own coding or from the coding answers it links to (when they agree)."""
    own = _topic_facts(ctx, entry_id)
    if own:
        return own
    entry = ctx.k.entries.get(entry_id)
    situations = [_topic_facts(ctx, link) for link in (entry.see if entry else ()) if link in ctx.k.entries
                  and ctx.k.entries[link].kind == "answer"]
    situations = [s for s in situations if s]
    return situations[0] if situations and all(s == situations[0] for s in situations) else {}   # (one, or none)


# Something said never to have been arranged ("the LA never sorted any")
_NOT_ARRANGED = re.compile(r"\b(?:never|not|n'?t|yet to|failed to)\b[^.?!]{0,15}\b(?:arrang\w*|provid\w*|sort\w*|set (?:\w+ )?up|"
                           r"book\w*|organi[sz]\w*|put (?:\w+ )?on)", re.IGNORECASE)


def _merge(old: dict, new: dict, text: str) -> dict:
    """The previous facts with the new ones laid over; a new registration fact drops the old clock times, and a new
    time changes the arrival (or the closing time, when it says so)."""
    if new.get("registration") == "late" and "closed" in old:
        # "what if he'd rolled in at 9.40?": late, read without a closing time, against the one already told
        new = {k: v for k, v in new.items() if k != "registration"}
    merged = {**old, **new}
    other_session = bool(new.get("session") and new["session"] != old.get("session") and "registration" not in new)
    if other_session and _IN_FOR_IT.search(text):
        merged["registration"] = "present"   # "what about the afternoon? she came in for afternoon reg"
    elif other_session and merged.get("reason") == "part-time":
        # a part-time timetable decides the other session: arriving late for the morning's hour says nothing of it
        for name in ("registration", "arrived", "closed"):
            merged.pop(name, None)
    elif other_session and new["session"] == "pm" and old.get("registration") in ("late-before", "late-after") \
            and _morning(old.get("arrived")):
        merged["registration"] = "present"   # back by 11 after the dentist: in school for the afternoon register
        merged.pop("arrived", None)
        merged.pop("closed", None)
    elif other_session and old.get("registration") == "present" and not CORRECTION.search(text):
        # there for the morning register says nothing of the afternoon one (unless the session was told wrongly:
        # "sorry, I meant the afternoon register")
        merged.pop("registration")
    if new.get("reason") == "remote-home" and old.get("reason") != "remote-home":
        # "what if he just does work at home instead?": who arranged and supervised the placement says nothing of it
        for name in ("supervised_by", "arranged_by"):
            if name not in new:
                merged.pop(name, None)
    if old.get("reason") == "transport-failed" and new.get("arranged_by") == "la" and _NOT_ARRANGED.search(text):
        # "and if the LA never arranged any?" after the usual transport failing: none was arranged to fail (Q)
        merged["reason"] = "transport-not-arranged"
        merged.pop("arranged_by", None)
    if old.get("reason") == "remote-home" and new.get("reason") not in (None, "remote-home") and "supervised_by" not in new:
        # "what if he goes to a farm placement we've arranged?" after work at home: nobody supervising him at home
        # says nothing of the placement
        merged.pop("supervised_by", None)
    if "registration" not in new and _LEFT_BEFORE_REGISTER.search(text):
        # "what if he'd left before the afternoon register?": not there when it was taken
        for name in ("registration", "arrived", "closed"):
            merged.pop(name, None)
    if old.get("reason") == "after-last-exam" and new.get("reason") in (None, "unknown") and still_expected(text):
        # still expected in after the last exam: away without an acceptable reason is O (dfe-attendance-facts.md §S)
        merged["reason"] = "kept-off"
    if old.get("reason") == "religious" and "reason" not in new and EXTRA_DAYS.search(text.lower()):
        # "and the day after as well, head agreed": only the day set apart is religious observance; the rest is leave
        merged["reason"] = "exceptional-leave"
    if old.get("days") == "under-five" and "days" not in new and _TIME_PASSED.search(text):
        merged["days"] = "five-plus"   # "and if we still don't know by then?": the five days have passed
    if "registration" not in new and _ALL_DAY.search(text):
        # "and if she'd been off all day instead?": no arrival, no register time
        for name in ("registration", "arrived", "closed"):
            merged.pop(name, None)
    if "registration" in new and "arrived" not in new:
        merged.pop("arrived", None)
        merged.pop("closed", None)
    if "closed" in old and "registration" not in new:
        time = re.search(r"\b(\d{1,2})[.:](\d{2})\b|\b(?:at|by) (\d{1,2})\b(?![.:]?\d| ?(?:days?|weeks?|sessions?|%))",
                         spoken_times(text))
        if time:
            hours, minutes = (int(time.group(1)), int(time.group(2))) if time.group(1) else (int(time.group(3)), 0)
            changed = f"{hours}.{minutes:02d}"
            closing = bool(_CLOSING.search(text[:time.start()] + " " + text[time.end():time.end() + 12]))
            arrived_at = old.get("arrived") if closing else changed
            closed_at = changed if closing else old["closed"]
            if arrived_at:
                a_h, a_m = (int(x) for x in arrived_at.split("."))
                c_h, c_m = (int(x) for x in closed_at.split("."))
                merged["registration"] = "late-before" if a_h * 60 + a_m <= c_h * 60 + c_m else "late-after"
                merged["arrived"], merged["closed"] = arrived_at, closed_at
    return merged


# Codes for attending education away from school, and the reasons that lead to them: not going is absence (not going
# on a trip, a match or an interview may mean the pupil was in school instead, so those are not assumed).
OFF_SITE = {"B", "W", "K", "D"}
OFF_SITE_REASONS = {"education", "trip", "sport", "work-experience", "dual-registration", "interview", "excluded"}
_NO_SHOW = re.compile(r"\b(?:does ?n'?t|did ?n'?t|does not|did not|never|wo ?n'?t|will not|not) (?:even )?(?:turn(?:s|ed)? "
                      r"up|show(?:s|ed)? up|go|goes|went|attend|arrive|get there|make it)\b|\bno[- ]show\b",
                      re.IGNORECASE)
# Gone before the register was taken ("what if he'd left before the afternoon register?")
_LEFT_BEFORE_REGISTER = re.compile(r"\b(?:left|gone|went|collected|picked up|signed out)\b[^.?!]{0,20}\bbefore (?:the )?(?:am |pm |"
                                   r"morning |afternoon )?(?:reg|register|registration)\b", re.IGNORECASE)
# Absent for the whole day: nothing of an arrival told before still holds
_ALL_DAY = re.compile(r"\b(?:off|absent|away|out|at home|home|not in|off sick|poorly|ill|sick) (?:for )?(?:all|the (?:whole|entire|full)|"
                      r"a (?:whole|full)) (?:day|morning|afternoon|session)\b|\b(?:stayed|stays|stopped|kept|was|were) "
                      r"(?:at )?home (?:all|the whole|the entire) (?:day|morning|afternoon)\b|\b(?:did ?n'?t|did not|never) (?:come|came|get) in at all\b|\bnot in at all\b",
                      re.IGNORECASE)
# Time passing beyond the limit just given ("if we still don't know by then?", "and after that?")
_THEN_WHAT = re.compile(r"^\W*(?:and |so |ok )?(?:(?:what )?(?:happens |about )?after that|then what|what then|what (?:do we "
                        r"do|happens) (?:after that|then|next)|and then|what (?:does|do|will|would) (?:it|that|they|the n) "
                        r"(?:turn into|become|change to|get changed to|go to)|what (?:does|do) (?:it|that|they) (?:turn|change) "
                        r"(?:into|to)|(?:change|turn|switch|swap) (?:it|that|them|the n) (?:in)?to what|(?:change|turn|switch|swap) (?:it|that|"
                        r"them|the n) to)\W*$", re.IGNORECASE)
_TIME_PASSED = re.compile(r"\b(?:by then|after that|past that|beyond that|longer than that|any longer|after (?:five|5) "
                          r"(?:school )?days|still (?:do ?n'?t|do not|don'?t|no|have ?n'?t|not|have not) (?:know|knowing|"
                          r"heard|have|got))\b", re.IGNORECASE)


# "why?", "how come?", "why that one?": asks the reason for the last code
_JUST_WHY = re.compile(r"^\s*(?:but |and |ok,? |so )?(?:why|how come|why is that|why'?s that|why that(?: one| code)?|why is it|"
                       r"on what basis|what makes it that)\s*[?!.]*\s*$", re.IGNORECASE)
# "same for tomorrow?", "and the same again on Friday?": the last situation again, unchanged
# "what do we code til then?": the same case, until what the last answer said would change it
_UNTIL_THEN = re.compile(r"\b(?:un)?till? then\b|\bin the meantime\b|\bmeanwhile\b|\bfor now\b|\b(?:days?|sessions?) "
                         r"(?:before|up to|until|till) (?:that|then|it|day \w+)\b|\buntil (?:that|it) (?:happens|"
                         r"starts|is sorted)\b|\bbefore (?:it|that|then|anything|the (?:provision|placement|tuition)) "
                         r"(?:starts|begins|kicks in|is (?:arranged|sorted|set up|in place))\b|\b(?:the )?first (?:few |couple "
                         r"of |\d+ |two |three |four |five )?(?:days?|sessions?)\b", re.IGNORECASE)
# The days of the case just coded, asked about again ("how do I code his days there?")
_THE_SAME_DAYS = re.compile(r"\b(?:his|her|their|those|these|the|them) (?:days?|sessions?|mornings?|afternoons?) (?:there|at it|"
                            r"with them|at the (?:\w+ )?(?:place|provision|provider|centre|farm|project|placement|ap))\b|"
                            # "the days she's off with it": the absence the case was about
                            r"\b(?:the|those|these|any) (?:days?|sessions?|mornings?|afternoons?) (?:(?:she|he|they)(?:'s|'re|"
                            r" is| are| was| were)? )?(?:off|out|away|absent|home|not in) (?:with|because of|for) (?:it|that|"
                            r"this|them)\b", re.IGNORECASE)
# "code?", "so the code is?": the code of the case just discussed, asked for on its own
_BARE_CODE_ASKED = re.compile(r"^\W*(?:and |so |ok,? )?(?:the |which |what )?(?:code|mark)(?: (?:is|then|for it|for that))?\W*$",
                              re.IGNORECASE)
_SAME_AGAIN = re.compile(r"^\W*(?:and |so |ok,? )?(?:is it |it'?s |would it be |do we (?:put|use) )?(?:the )?same "
                         r"(?:again |code |mark |thing )?(?:for|on|tomorrow|again|the rest)\b[^?]{0,30}\??\s*$",
                         re.IGNORECASE)


def _morning(clock: str | None) -> bool:
    """True for a remembered clock time ("11.00") before midday."""
    return bool(clock) and 7 <= int(clock.split(".")[0]) < 12


# The present mark asked for in words ("why not just mark her present?")
_AS_PRESENT = re.compile(r"\b(?:mark|put|code|record|have|count)\w* (?:(?:him|her|them|it) )?(?:down )?(?:as )?(?:in|present)\b",
                         re.IGNORECASE)


def _why_not(ctx: Context, code: str, other: str | None) -> Interpretation:
    """Explain why this case is the remembered code and how the other code differs."""
    info = ctx.k.codes[code]
    lines = [f"For this case the code is {code}: {info.meaning}.", f"Rule for {code}: {info.rule.strip()}"]
    if other and other in ctx.k.codes:
        alt = ctx.k.codes[other]
        lines.append(f"{other} is {alt.meaning[0].lower() + alt.meaning[1:]}.")
        difference = dict(info.confused_with).get(other) or dict(alt.confused_with).get(code)
        if difference:
            lines.append(f"The difference: {difference}")
        lines.append(f"Rule for {other}: {alt.rule.strip()}")
    entry = ctx.k.entries[info.entry_id]
    sources = tuple(s.label() for s in entry.sources)
    title = f"Why {code}" + (f", not {other}" if other else "")
    reply = Reply(kind="code", id=entry.id, title=title, text=f"{title}\n\n" + "\n".join(lines) +
                  (f"\n\nSources: {'; '.join(sources)}" if sources else ""), codes=(code,), confidence=SCORE,
                  sources=sources)
    return Interpretation("follow-up", WHY_NOT, f"why {code} rather than {other}", reply,
                          memory={"code": code, "entry": entry.id}, key=f"why:{code}")


def _counts_as(ctx: Context, code: str) -> Interpretation:
    """Say how the remembered code counts: present, approved activity, authorised or unauthorised absence."""
    info = ctx.k.codes[code]
    entry = ctx.k.entries[info.entry_id]
    rules = ctx.k.register
    if rules is not None and rules.penalty_codes:
        towards = (f" It counts towards the penalty notice threshold: {rules.penalty_sessions} sessions of unauthorised "
                   f"absence within a rolling {rules.penalty_school_weeks} school weeks.") \
            if code in rules.penalty_codes else " It does not count towards a penalty notice."
    else:
        towards = " It counts towards the penalty notice threshold." if info.statistics == "unauthorised absence" else ""
    text = f"Code {code} ({info.meaning}) counts as {info.statistics}.{towards}\n\n{entry.answer}"
    sources = tuple(s.label() for s in entry.sources)
    reply = Reply(kind="code", id=entry.id, title=f"How code {code} counts", text=f"How code {code} counts\n\n{text}"
                  + (f"\n\nSources: {'; '.join(sources)}" if sources else ""), codes=(code,), confidence=SCORE,
                  sources=sources)
    return Interpretation("follow-up", SCORE, f"how {code} counts", reply, memory={"code": code, "entry": entry.id},
                          key=f"counts:{code}")


def _changed_figures(calc: dict, text: str, statistics: dict[str, str] | None = None) -> Interpretation | None:
    """Recalculate with fewer or more sessions missed, or restate the last figures as days a year."""
    text = calculator.plain_figures(text)   # "three fewer days"
    if calculator.parse(text) is not None:
        return None   # the message gives figures of its own: a new calculation, not a change to the last one
    fewer = _FEWER.search(text)
    instead = _INSTEAD.search(text)
    restated = False
    try:
        if instead and calc.get("possible") is not None:
            new, old = float(instead.group(1)), float(instead.group(2))
            possible, attended = calc["possible"], calc["attended"]
            if old == possible - attended:
                attended = possible - new   # the sessions missed
            elif old == attended:
                attended = new
            elif old == possible:
                possible = new
            else:
                return None
            result = calculator.from_counts(attended, possible, calc.get("unit", "sessions"))
        elif calc.get("possible") is not None and set(counts := calculator.counted(text)) == {"possible"}:
            # "what about 200 possible?": the same sessions missed, out of that many possible
            possible = counts["possible"][0]
            result = calculator.from_counts(possible - (calc["possible"] - calc["attended"]), possible,
                                            calc.get("unit", "sessions"))
        elif calc.get("possible") is not None and _WHAT_IF.search(text) and _MISSED_ONLY.search(text):
            # "what if she'd only missed 20?": the same possible sessions or days, that many missed
            missed = float(_MISSED_ONLY.search(text).group(1))
            result = calculator.from_counts(calc["possible"] - missed, calc["possible"], calc.get("unit", "sessions"))
        elif calc.get("possible") is not None and _RECODED.search(text) and statistics:
            n, was, now = _RECODED.search(text).groups()
            attending = {k for k, v in statistics.items() if v in ("present", "approved educational activity")}
            absent = {k for k, v in statistics.items() if v.endswith("absence")}
            if was in attending and now in absent:
                change = -float(n)
            elif was in absent and now in attending:
                change = float(n)
            elif {was, now} <= attending or {was, now} <= absent:
                change = 0.0   # counted the same way either way
            else:
                return None
            result = calculator.from_counts(calc["attended"] + change, calc["possible"], calc.get("unit", "sessions"))
        elif calc.get("possible") is not None and _WHAT_IF.search(text) and _ATTENDED_ONLY.search(text):
            attended = float(_ATTENDED_ONLY.search(text).group(1))
            result = calculator.from_counts(attended, calc["possible"], calc.get("unit", "sessions"))
        elif calc.get("possible") is not None and calc.get("given") and _ANOTHER_COUNT.match(text) \
                and (_WHAT_IF.search(text) or text.strip().endswith("?")):
            # the figure given last time ("missed 38"), another value: read as that one was
            value = float(_ANOTHER_COUNT.match(text).group(1))
            attended = calc["possible"] - value if calc["given"] == "absence" else value
            result = calculator.from_counts(attended, calc["possible"], calc.get("unit", "sessions"))
        elif fewer and calc.get("possible") is not None:
            n = float(fewer.group(1) or fewer.group(5))   # "3 more", or "another 3"
            missed = calc["possible"] - calc["attended"]
            change = -n if (fewer.group(2) or "").lower() in ("fewer", "less") else n
            if re.search(r"\battend\w*\b", text, re.IGNORECASE):
                change = -change
            result = calculator.from_counts(calc["possible"] - (missed + change), calc["possible"],
                                            calc.get("unit", "sessions"))
        elif (_DAYS_A_YEAR.search(text) or _IN_SESSIONS.search(text) or _HOW_OFTEN.search(text)) \
                and "attendance" in calc:
            # the same figures again: counted ones keep their sessions missed, a percentage its days a year
            result = calculator.Attendance(**calc) if calc.get("possible") is not None else \
                replace(calculator.from_percent(calc["absence"], True, calc.get("days_so_far")),
                        given=calc.get("given"))   # (a later "and 95%?" is read as the first figure was)
        elif calc.get("possible") is not None and _WHAT_IF.search(text) and _SOME_DAYS.search(text):
            # "what if she'd only had 9 days off?": the same possible sessions or days, another figure
            # read as the last figure was: "12 days off", then "what about 9 days?" is 9 days off
            sense = "" if re.search(r"\b(off|miss\w*|absen\w*|away|attend\w*|present|in school)\b", text, re.I) else \
                " missed" if calc.get("given") == "absence" else " attended" if calc.get("given") == "attendance" else ""
            figures = _SOME_DAYS.search(text).group(0) + sense
            result = calculator.parse(f"{text.rstrip(' ?!.')} ({figures}) out of {calc['possible']:g} "
                                      f"{calc.get('unit', 'sessions')}")
            if result is None:
                return None
        elif (_NEW_PERCENT.match(text) or (_BARE_NUMBER.match(text) and calc.get("possible") is None)) \
                and calc.get("given"):
            # "and 85%?" (or "and 85?" after a percentage): the same question with another percentage, read as the
            # last one was
            value = float((_NEW_PERCENT.match(text) or _BARE_NUMBER.match(text)).group(1))
            result = calculator.from_percent(value, calc["given"] == "absence", calc.get("days_so_far"))
        elif (_STILL.search(text) or (_STANDING.search(text) and len(text.split()) <= SHORT_STANDING
                                      and not _DEFINES.search(text)) or _PLAINER.search(text)) \
                and "attendance" in calc:
            # "would he still be PA then?": the last figures, with where they stand against the thresholds
            result = calculator.Attendance(**calc)
            restated = True
        else:
            return None
    except calculator.CalculationError as exc:
        reply = Reply(kind="calculation", title="Attendance calculator", confidence=1.0,
                      text=f"I can't calculate that: {exc}.")
        return Interpretation("follow-up", SCORE, "changed figures do not fit", reply, key="calc-error")
    if result.given is None and calc.get("given"):
        result = replace(result, given=calc["given"])   # a later "and if it was 28?" reads as the first figure was
    # "is that PA?" straight after the figures asks where they stand, whatever guidance it also matches word for word
    return Interpretation("follow-up", RESTATED if restated else SCORE, "changed figures",
                          calculator_skill.reply_for(result), memory={"calc": result.memory()}, key="calc")
