"""Register window skill: "our reg is open 8.40 til 9.20, is that allowed?" is worked out against the rule that a
register stays open for at most 30 minutes, the same for every session."""
from __future__ import annotations

import re

from ..codes import clock, register_window
from . import Context, Interpretation

ENTRY = "reg-open-time"
SCORE = 0.965          # a register's own opening and closing times, asked about: the window is what is asked (above
#                        a story naming L and U whose facts leave the code open: "so they get an L not a U")
KEPT_OPEN = 0.9        # asked to keep a register open longer: the rule on how long it may stay open
# ("it" is the register only straight after a late arrival was coded: "we kept it open for the kids who got in" may be
# the school)
_KEPT_OPEN = re.compile(r"\b(?:leave|keep|hold|kept|left|extend)\w* (it|the (?:morning |afternoon |am |pm )?(?:register|reg)s?|"
                        r"registers?|registration) (?:open|going)\b(?! (?:by|because))", re.IGNORECASE)
_ASKS = re.compile(r"\b(?:allowed|ok|okay|alright|legal|legit|right|fine|too long|compliant|permitted|can (?:we|i|they|"
                   r"schools?)|is (?:that|this|it) (?:allowed|ok|okay|right|fine))\b|\?", re.IGNORECASE)


def propose(ctx: Context) -> list[Interpretation]:
    """Set a register's stated opening window against the 30-minute limit, when the message asks about it."""
    entry = ctx.k.entries.get(ENTRY)
    window = register_window(ctx.text) if entry is not None and ctx.k.register is not None \
        and _ASKS.search(ctx.text) else None
    if window is None:
        kept = _KEPT_OPEN.search(ctx.text)
        if entry is not None and kept and (kept.group(1).lower() != "it" or ctx.memory.get("code") in ("L", "U")):
            # "can we just leave it open till 9.30?": how long a register may stay open is what is asked
            return [Interpretation("register-window", KEPT_OPEN, "a register kept open longer", ctx.replies.entry(
                entry, confidence=KEPT_OPEN), memory={"entry": ENTRY}, key=f"entry:{ENTRY}")]
        return []
    start, end = window
    minutes, limit = end - start, ctx.k.register.register_open_minutes
    verdict = (f"Open from {clock(start)} to {clock(end)} is {minutes} minutes: longer than the {limit} minutes "
               "a register may stay open.") if minutes > limit else (
        f"Open from {clock(start)} to {clock(end)} is {minutes} minutes: within the {limit} minutes a register "
        "may stay open.")
    reply = ctx.replies.entry(entry, confidence=SCORE, text=f"{verdict}\n\n{entry.answer}")
    return [Interpretation("register-window", SCORE, f"a register open {minutes} minutes", reply,
                           memory={"entry": ENTRY}, key=f"entry:{ENTRY}")]
