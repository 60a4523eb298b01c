"""List-item skill: "and the third?", "what's second on that list?" straight after an answer that lists things gives
that item, with the answer around it."""
from __future__ import annotations

import re

from . import Context, Interpretation

SCORE = 0.96   # a short question asking for one item of the list just given
ORDINALS = {"first": 1, "1st": 1, "one": 1, "second": 2, "2nd": 2, "two": 2, "third": 3, "3rd": 3, "three": 3,
             "fourth": 4, "4th": 4, "four": 4, "fifth": 5, "5th": 5, "five": 5, "sixth": 6, "6th": 6, "six": 6,
             "seventh": 7, "7th": 7, "seven": 7}
_ASKS_ITEM = re.compile(r"^\W*(?:and|so|ok|okay|what about|how about)?\W*(?:what(?:'?s| is| was)?\s+)?(?:the\s+)?"
                        r"(?:(?P<word>first|1st|second|2nd|third|3rd|fourth|4th|fifth|5th|sixth|6th|seventh|7th|last)|"
                        r"(?:number|no\.?|item|point|#)\s*(?P<digit>[1-7]|one|two|three|four|five|six|seven))"
                        r"(?:\s+(?:one|thing|item|point|factor|step|reason|bit))?(?:\s+(?:on|in|of)\s+(?:that|the|this)"
                        r"\s+list)?\W*$", re.IGNORECASE)
_ITEM = re.compile(r"^\s*(?:\d{1,2}[.)]|[-*•])\s+(.+)$")


def propose(ctx: Context) -> list[Interpretation]:
    """The item asked for, when the last answer lists items and the message only asks for one of them."""
    asked = _ASKS_ITEM.match(ctx.text)
    entry = ctx.k.entries.get(ctx.memory.get("entry") or "")
    if not asked or entry is None:
        return []
    items = [m.group(1).strip() for m in map(_ITEM.match, entry.answer.splitlines()) if m]
    word = (asked.group("word") or asked.group("digit") or "").lower()
    if word == "last":
        position = len(items)
    elif word.isdigit():
        position = int(word)
    else:
        position = ORDINALS.get(word, 0)
    if not items or not 1 <= position <= len(items):
        return []
    lead = f"Number {position} of {len(items)} on that list: {items[position - 1]}"
    reply = ctx.replies.entry(entry, confidence=SCORE, text=f"{lead}\n\n{entry.answer}")
    return [Interpretation("list-item", SCORE, f"item {position} of {entry.id}", reply, memory={"entry": entry.id},
                           key=f"item:{entry.id}:{position}")]
