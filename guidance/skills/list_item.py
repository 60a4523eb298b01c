"""List-item skill: "and the third?", "what's second on that list?" straight after an answer that lists things gives
that item, and "where would PRUs sit?" the items that name it, each with the answer around it."""
from __future__ import annotations

import re

from . import Context, Interpretation

SCORE = 0.96   # a short question asking for one item of the list just given
PLACE_SCORE = 0.97  # "where would X sit / which tier is X in" where X is named in some items of the list just given
ORDINALS = {"first": 1, "1st": 1, "one": 1, "second": 2, "2nd": 2, "two": 2, "third": 3, "3rd": 3, "three": 3,
             "fourth": 4, "4th": 4, "four": 4, "fifth": 5, "5th": 5, "five": 5, "sixth": 6, "6th": 6, "six": 6,
             "seventh": 7, "7th": 7, "seven": 7}
_ASKS_ITEM = re.compile(r"^\W*(?:and|so|ok|okay|what about|how about)?\W*(?:what(?:'?s| is| was)?\s+)?(?:the\s+)?"
                        r"(?:(?P<word>first|1st|second|2nd|third|3rd|fourth|4th|fifth|5th|sixth|6th|seventh|7th|last)|"
                        r"(?:number|no\.?|item|point|#)\s*(?P<digit>[1-7]|one|two|three|four|five|six|seven))"
                        r"(?:\s+(?:one|thing|item|point|factor|step|reason|bit))?(?:\s+(?:on|in|of)\s+(?:that|the|this)"
                        r"\s+list)?\W*$", re.IGNORECASE)
# "where would the education centres sit?", "which tier is ed psych in?", "is X on that list?": where something sits
# in what was just set out
_ASKS_PLACE = re.compile(r"^\W*(?:(?:and|so|ok|okay|but|then)\W+)?(?:(?:where|(?:which|what)\s+(?:tier|level|stage|category|"
                         r"group|section|heading|part|one|bit))\s+(?:would|does|do|did|is|are|will|should|might|could)\s+"
                         r"(?:the\s+|an?\s+)?(?P<a>\w.{0,40}?)\s+(?:sit|fit|go|come|belong|fall|slot|be|count)s?"
                         r"(?:\s+(?:in|into|under|on))?(?:\s+(?:there|then|that list|the list|the model|it|that|this|those|them))?|"
                         r"(?:which|what)\s+(?:tier|level|stage|category|group|section|part)\s+(?:is|are|do|does|would)\s+"
                         r"(?:the\s+|an?\s+)?(?P<b>\w.{0,40}?)(?:\s+(?:in|under|on))?|"
                         r"(?:is|are)\s+(?:the\s+)?(?P<c>\w.{0,40}?)\s+(?:on|in)\s+(?:that|the|this)\s+(?:list|model)|"
                         # "which one is about reintegration?", "what para covers written agreements?"
                         r"(?:which|what)\s+(?:one|ones|paragraph|paragraphs|para|paras|bit|point|item|section|part|tier|"
                         r"line)\s+(?:is|are|covers?|talks?|deals?|says?|mentions?|relates?)\s+(?:about\s+|with\s+|to\s+)?"
                         r"(?:the\s+)?(?P<e>\w.{0,40}?)(?:\s+(?:one|bit|part))?|"
                         # "and which is the LA day 6 one?"
                         r"(?:which|what)(?:'s|\s+is|\s+was)\s+(?:the\s+)?(?P<f>\w.{0,40}?)\s+(?:one|bit|part|para|paragraph|"
                         r"item|point))\W*$",
                         re.IGNORECASE)
# "and ed psych?": a bare name after a list, read as where it sits only when some items name it
_ASKS_BARE = re.compile(r"^\W*(?:and|(?:and\s+|so\s+)?(?:what about|how about))\s+(?:the\s+)?(?P<d>[a-z][a-z /&'-]{1,24}?)\W*$", re.IGNORECASE)
BARE_SCORE = 0.85
PLACE_AGAIN_SCORE = 1.0   # ... right after asking where something else sat (list-item is weighed before retrieval)
_ITEM = re.compile(r"^\s*(?:\d{1,2}[.)]|[-*•])\s+(.+)$")


# "what do I ask about that specifically?", "what should we ask for on suspensions?": the detail of one item
_ASKS_DETAIL = re.compile(r"\bwhat (?:exactly |specifically )?(?:do|should|would|can|shall) (?:i|we|you) (?:ask|request|look "
                          r"for|check|find out|want|need)(?: (?:the school|school|them))?(?: for)? (?:about|on|regarding|re|"
                          r"with)\s+(?P<g>[^?.!]{1,40}?)(?:\s+(?:specifically|exactly|in particular))?\W*$", re.IGNORECASE)
_POINTING = re.compile(r"^(?:that|this|it|them|those|these|that one|this one)$", re.IGNORECASE)
DETAIL_SCORE = 0.96


def propose(ctx: Context) -> list[Interpretation]:
    """The item asked for by position, or the items naming what the message asks where it sits, or the one item whose
    detail it asks for."""
    return _by_position(ctx) or _by_place(ctx) or _by_detail(ctx)


def _by_position(ctx: Context) -> list[Interpretation]:
    """The item asked for, when the last answer lists items and the message only asks for one of them."""
    asked = _ASKS_ITEM.match(ctx.text)
    entry = ctx.k.entries.get(ctx.memory.get("entry") or "")
    if not asked or entry is None:
        return []
    items = _items(entry)
    word = (asked.group("word") or asked.group("digit") or "").lower()
    if word == "last":
        position = len(items)
    elif word.isdigit():
        position = int(word)
    else:
        position = ORDINALS.get(word, 0)
    if not items or not 1 <= position <= len(items):
        return []
    return [_numbered(ctx, entry, items, position, SCORE, f"item {position} of {entry.id}")]


def _items(entry) -> list[str]:
    """The items an answer lists, one a line ("1. ...", "- ...")."""
    return [m.group(1).strip() for m in map(_ITEM.match, entry.answer.splitlines()) if m]


def _numbered(ctx: Context, entry, items: list[str], position: int, score: float, evidence: str) -> Interpretation:
    """One item of the list just given, by its number, with the answer around it."""
    lead = f"Number {position} of {len(items)} on that list: {items[position - 1]}"
    reply = ctx.replies.entry(entry, confidence=score, text=f"{lead}\n\n{entry.answer}")
    return Interpretation("list-item", score, evidence, reply, memory={"entry": entry.id},
                          key=f"item:{entry.id}:{position}")


def place_asked(text: str) -> str | None:
    """What a message asks the place of in what was just set out ("where do PRUs sit?" -> "PRUs"), or None."""
    asked = _ASKS_PLACE.match(text)
    return next((g for g in asked.group("a", "b", "c", "e", "f") if g), None) if asked else None


def _by_place(ctx: Context) -> list[Interpretation]:
    """The items naming what the message asks about, when it asks where that sits on the list just given."""
    place = place_asked(ctx.text)
    bare = None if place else _ASKS_BARE.match(ctx.text)
    entry = ctx.k.entries.get(ctx.memory.get("entry") or "")
    if not (place or bare) or entry is None:
        return []
    items = _items(entry)
    wanted = ctx.index.normaliser.tokens(place or bare.group("d"))
    if not items or not wanted:
        return []
    naming = [item for item in items if _names(ctx.index.normaliser.tokens(item), wanted, ctx.index.expansions)]
    if not naming or len(naming) == len(items):
        return []
    lead = "On that list it comes under:\n" + "\n".join(f"- {item}" for item in naming)
    # ("and the education centres?" straight after asking where something sat asks the same of them, however well
    # another entry's own words match the name)
    score = (PLACE_AGAIN_SCORE if ctx.memory.get("placed") else BARE_SCORE) if bare else PLACE_SCORE
    reply = ctx.replies.entry(entry, confidence=score, text=f"{lead}\n\n{entry.answer}")
    return [Interpretation("list-item", score, f"{len(naming)} of {len(items)} items of {entry.id} name it", reply,
                           memory={"entry": entry.id, "placed": True}, key=f"place:{entry.id}")]


def _by_detail(ctx: Context) -> list[Interpretation]:
    """The one item of the list just given that the message asks what to ask about ("they've said he's on a reduced
    timetable. what do I ask about that specifically?": the reduced hours item)."""
    asked = _ASKS_DETAIL.search(ctx.text)
    entry = ctx.k.entries.get(ctx.memory.get("entry") or "")
    if not asked or entry is None:
        return []
    items = _items(entry)
    if len(items) < 2:
        return []
    tokens = [set(ctx.index.normaliser.tokens(item)) for item in items]
    named = asked.group("g").strip()
    # "that" points at what the message told before asking; a name is looked for as it is
    words = ctx.index.normaliser.tokens(ctx.text[:asked.start()] if _POINTING.match(named) else named)
    # (words in only one item tell it apart; words most items share, "school", say nothing)
    telling = [w for w in words if sum(1 for t in tokens if w in t) == 1]
    naming = {i for i, t in enumerate(tokens) for w in telling if w in t}
    if len(naming) != 1:
        return []
    position = naming.pop() + 1
    return [_numbered(ctx, entry, items, position, DETAIL_SCORE, f"the detail of item {position} of {entry.id}")]


def _names(item_tokens: list[str], wanted: list[str], expansions: dict[str, list[str]]) -> bool:
    """Whether an item names every word asked about: the word itself, a longer word it starts ("psych",
    "psychology"), or an acronym's expansion ("PRU", "pupil referral unit")."""
    def found(word: str) -> bool:
        if any(t == word or (len(word) >= 2 and t.startswith(word)) for t in item_tokens):
            return True
        return word in expansions and all(w in item_tokens for w in expansions[word])

    return all(found(w) for w in wanted)
