"""Age range skill: a child's age set against the ages a service works with ("can YJS work with a 9 year old?",
"and his cousin who's 17 and a half?" after the Youth Justice criteria), with what to do outside them."""
from __future__ import annotations

import re

from .. import ages
from . import Context, Interpretation
from .scenario import stated

SCORE = 0.92          # the message gives an age and asks whether the service it is about works with that child
FOLLOW_SCORE = 0.99    # ... or gives only an age straight after an answer about such a service
FOLLOW_WORDS = 16     # words: a follow-up giving only an age is short
# asking whether a service works with a child, not how to reach it
_ASKS_WHETHER = re.compile(r"\b(?:can|could|will|would|does|do|is|are|am)\b[^?.!]{0,80}\b(?:work(?:s|ing)? with|take|"
                           r"accept|support|see|cover|help|involve|eligible|qualify|too (?:young|old)|old enough|"
                           r"young enough|in (?:the )?(?:age )?range|count)\b|\b(?:eligible|too (?:young|old)|"
                           r"old enough|age (?:limit|range)|what ages?)\b", re.IGNORECASE)
# a follow-up asking something else as well ("and for a 12 year old, who do I email?")
_ASKS_ELSE = re.compile(r"\b(?:who(?!.?s\b| is\b)|where|when|how|which|email|form|contact|phone|number|codes?|"
                        r"coded|mark|register|authori[sz]\w*|unauthori[sz]\w*|sessions?)\b", re.IGNORECASE)


# "what ages do they take?" straight after an answer about a service: its age range, no child's age given
_WHAT_AGES = re.compile(r"\b(?:what|which) ages?\b|\bage (?:range|limit|group)s?\b|\bhow (?:old|young)\b",
                        re.IGNORECASE)


def propose(ctx: Context) -> list[Interpretation]:
    """Offer the age verdict when the message states a child's age and is about a service with an age range."""
    age = ages.read(ctx.text)
    if age is None and _WHAT_AGES.search(ctx.text) and len(ctx.text.split()) <= FOLLOW_WORDS and not stated(ctx.facts):
        return _range_of_last(ctx)
    if age is None or stated(ctx.facts):   # a coding situation that mentions an age is about the mark
        return []
    found = ctx.index.search(ages.without(ctx.corrected or ctx.text), limit=1)
    named = _ranged_near(ctx, found[0].id) if found and found[0].score >= ctx.settings.suggest_score else None
    previous = ctx.k.entries.get(ctx.memory.get("entry", ""))
    following = previous is not None and len(ctx.text.split()) <= FOLLOW_WORDS and not _ASKS_ELSE.search(ctx.text)
    # the service the message names, or, in a short follow-up giving only an age, the previous answer's
    if following and (named is None or found[0].score < ctx.settings.confident_score):
        entry, score = _ranged_near(ctx, previous.id), FOLLOW_SCORE
    else:
        entry, score = (named if _ASKS_WHETHER.search(ctx.text) or following else None), SCORE
    if entry is None:
        return []
    lead = ages.verdict(age, entry.ages)
    reply = ctx.replies.entry(entry, confidence=score, text=f"{lead}\n\n{entry.answer}")
    return [Interpretation("ages", score, f"age {ages.spoken(age)} against {entry.ages.service} {entry.ages.says}", reply,
                           memory={"entry": entry.id}, key=f"ages:{entry.id}:{age:g}")]


def _ranged_near(ctx: Context, entry_id: str):
    """The entry with an age range on the same subject as this one: itself, one it links to or from, or its topic's."""
    entry = ctx.k.entries.get(entry_id)
    if entry is None or entry.kind == "glossary" and not entry.see:
        return None
    ranged = ctx.k.ranged_entries
    for e in ranged:
        if e.id == entry.id or e.id in entry.see or entry.id in e.see:
            return e
    same_topic = [e for e in ranged if entry.topic and e.topic == entry.topic]
    return same_topic[0] if len(same_topic) == 1 else None


def _range_of_last(ctx: Context) -> list[Interpretation]:
    """The age range of the service the last answer was about ("what ages do they take?")."""
    previous = ctx.k.entries.get(ctx.memory.get("entry", ""))
    entry = _ranged_near(ctx, previous.id) if previous is not None else None
    if entry is None:
        return []
    lead = f"{entry.ages.service} works with children aged {entry.ages.says}."
    reply = ctx.replies.entry(entry, confidence=FOLLOW_SCORE, text=f"{lead}\n\n{entry.answer}")
    return [Interpretation("ages", FOLLOW_SCORE, f"the ages {entry.ages.service} works with", reply,
                           memory={"entry": entry.id}, key=f"ages:{entry.id}")]
