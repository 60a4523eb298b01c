"""AP hours skill: work out the weekly hours a pupil would spend at an alternative provider and set them against the
18-hour limit for unregistered provision; "what if we cut it to 2 days?" works them out again."""
from __future__ import annotations

import re
from .. import ap_hours
from . import Context, Interpretation

ENTRY = "ap-eighteen-hours"
TITLE = "Hours at the provider against the 18-hour limit"
SCORE = 0.93          # a pattern of days and times at a provider: the hours are what is asked
CHANGED = 0.95        # a changed pattern straight after the hours were worked out
SHORT = 14            # words: a change to the last pattern is short
_REGISTERED_ONLY = re.compile(r"(?<!un)(?<!un-)\bregistered (?:ap|alternative|provi\w*|school|pru)\b", re.IGNORECASE)


def propose(ctx: Context) -> list[Interpretation]:
    """Offer the weekly hours when the message gives a provision's days and times, or changes the last ones."""
    entry = ctx.k.entries.get(ENTRY)
    if entry is None:
        return []
    before = ctx.memory.get("ap_week")
    changing = bool(before) and len(ctx.text.split()) <= SHORT
    week = ap_hours.read(ctx.text, before if changing else None)
    if week is None or (not changing and _REGISTERED_ONLY.search(ctx.text)):
        return []
    if changing and week == ap_hours.Week(**before):
        return []
    reply = ctx.replies.entry(entry, confidence=CHANGED if changing else SCORE, title=TITLE,
                              text=f"{ap_hours.describe(week)}\n\n{entry.answer}")
    return [Interpretation("ap-hours", CHANGED if changing else SCORE, f"{week.hours:g} hours a week at a provider",
                           reply, memory={"entry": ENTRY, "ap_week": week.memory()}, key=f"ap-hours:{week.hours:g}")]
