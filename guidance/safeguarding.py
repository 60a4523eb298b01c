"""Spot wording that suggests a child may be at risk now, so escalation advice always comes first."""
from __future__ import annotations

import re

_HARM = (r"(hurt\w*|hit\w*|hits|beat\w*|punch\w*|kick\w*|abus\w*|touch\w*|rap\w*|assault\w*|threaten\w*|"
         r"harm\w*|slap\w*|burn\w*|strangl\w*|chok\w*|sexual\w*|molest\w*|raped)")
_DISCLOSURE = re.compile(r"\b(told me|has told|disclos\w*|said (?:that )?(?:her|his|their|my|a|the)|confided|"
                         r"reported to me|says (?:that )?(?:her|his|their))\b.{0,80}\b" + _HARM + r"\b",
                         re.IGNORECASE)
_PATTERNS = [
    _DISCLOSURE,
    re.compile(r"\b(is|are|being|been|was|getting|got)\s+(?:\w+\s+){0,2}(abused|groomed|exploited|trafficked|"
               r"assaulted|raped|beaten|threatened|hit|hurt|harmed|sexually|neglected|radicali[sz]ed)\b",
               re.IGNORECASE),
    re.compile(r"\b(immediate|imminent|serious)\s+(danger|risk|harm)\b", re.IGNORECASE),
    re.compile(r"\bin danger\b", re.IGNORECASE),
    re.compile(r"\b(suicid\w*|kill (?:him|her|them)sel\w*|end (?:his|her|their) life|self[- ]harm\w*|cutting "
               r"(?:him|her|them)sel\w*|overdos\w*)\b", re.IGNORECASE),
    re.compile(r"\b(scared|afraid|frightened|terrified)\s+(to|of)\s+(go(ing)? home|(her|his|their|my) "
               r"(dad|mum|father|mother|step\w*|parent\w*|carer\w*|boyfriend|partner))", re.IGNORECASE),
    re.compile(r"\b(missing|run away|ran away|not come home|didn'?t come home|hasn'?t come home)\b.{0,40}"
               r"\b(now|today|tonight|since|last night|this morning|hours?)\b", re.IGNORECASE),
    re.compile(r"\b(has|carr\w+|brought|with)\s+(a\s+)?(knife|weapon|gun|blade)\b", re.IGNORECASE),
    re.compile(r"\b(fgm|female genital mutilation|forced (?:to )?marr\w*|county lines)\b.{0,60}\b(is|being|will|"
               r"going|planned|at risk|tonight|next week|holiday|summer)\b", re.IGNORECASE),
    re.compile(r"\b(bruis\w*|injur\w*|burns?|cuts|marks)\b.{0,60}\b(says|said|did it|did this|caused|at home|"
               r"dad|mum|father|mother|step\w*|boyfriend|partner|parent\w*|carer\w*)\b|\b(has|had|with|got|showing)\s+"
               r"(unexplained\s+)?(bruis\w*|injur\w*|burn marks)", re.IGNORECASE),
    re.compile(r"\b(to be|being|get|getting|forced to)\s+married\b|\bforced marriage\b", re.IGNORECASE),
    re.compile(r"\b(involved in|part of|running|working for|doing)\s+(county lines|a gang|drug running)\b|"
               r"\bcounty lines\b.{0,40}\b(he|she|they|pupil|child|boy|girl|student|young person)\b", re.IGNORECASE),
    re.compile(r"\b(has|have|had|has just)\s+(run|ran)\s+away\b|\brunning away from home\b", re.IGNORECASE),
    re.compile(r"\b(not|hasn'?t|haven'?t|has not|have not)\s+been\s+seen\b(?!\s+in\s+(?:lessons?|class))\b.{0,40}\b(days?|weeks?|months?|since)\b",
               re.IGNORECASE),
    re.compile(r"\b(doesn'?t|does not|don'?t|do not|won'?t|will not)\s+want\s+to\s+go\s+home\b", re.IGNORECASE),
    re.compile(r"\bright now\b.{0,60}\b(child|pupil|student|girl|boy|she|he|they)\b|\b(child|pupil|student|girl|"
               r"boy)\b.{0,60}\bright now\b", re.IGNORECASE),
]
# General questions about safeguarding topics ("what are the signs of grooming") are not disclosures.
_DEFINITION = re.compile(r"^\s*(what is|what are|what's|define|explain|meaning of)\b", re.IGNORECASE)
_GENERAL = re.compile(r"^\s*(what|which|how|who|where|when|is there|are there|define|explain)\b.{0,60}\b(signs?|"
                      r"indicators?|definition|training|policy|procedure|checks?|guidance|team|service|paragraph|"
                      r"refer\w*|mean\w*)\b", re.IGNORECASE)


def at_immediate_risk(text: str) -> bool:
    """Return True when the words suggest a child may be being harmed or in danger now."""
    hits = [p for p in _PATTERNS if p.search(text)]
    if not hits:
        return False
    if (_GENERAL.search(text) or _DEFINITION.search(text)) and _DISCLOSURE not in hits and not re.search(r"\b(right now|today|tonight)\b",
                                                                            text, re.IGNORECASE):
        return False
    return True


def escalation_text(local_route: str) -> str:
    """Return the escalation advice shown before anything else when a child may be at risk."""
    return (
        "If a child is in immediate danger, call 999 now.\n"
        "Tell your Designated Safeguarding Lead (DSL) today, and write down what you saw or were told, in the "
        "child's words, with the date and time.\n"
        f"Then follow local referral routes: {local_route}\n"
        "Do not promise to keep a disclosure secret and do not investigate yourself."
    )
