"""Register window skill: "our reg is open 8.40 til 9.20, is that allowed?" is worked out against the rule that a
register stays open for at most 30 minutes, the same for every session."""
from __future__ import annotations

import re

from ..codes import clock, register_times, register_window
from . import Context, Interpretation, scenario

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


TOLD = 0.8             # a register's opening (or closing) time told alone: the latest it may close (earliest open)
SAME_RULE = 0.9        # "and the afternoon one?" after the rule: every session has the same limit
# "what's the latest we can close it?", "when does it have to shut?"
_LATEST_CLOSE = re.compile(r"\b(?:latest|when|what time|how late|by when|by what time)\b[^.?!]{0,40}\b(?:close|closes|"
                           r"shut|shuts|end|ends|finish|closed)\b|\b(?:has|have|need|needs|must|got) to (?:close|shut|end)\b",
                           re.IGNORECASE)
_CLOCK = re.compile(r"\b\d{1,2}(?:[.:]\d{2}|\s*(?:am|pm)\b)|\b(?:till|until|til|by|at|from)\s+\d{1,2}\b", re.IGNORECASE)
# "can the afternoon one be open for a different length?": the other session's register asked about
_OTHER_SESSION_ASKED = re.compile(r"\b(?:afternoon|pm|morning|am)\s+(?:one|register|reg|registration|session)\b[^.?!]{0,40}"
                                  r"\b(?:open|longer|shorter|different|same|length|time)\b", re.IGNORECASE)
# "how long can it stay open?": the window asked of the time told
_HOW_LONG = re.compile(r"\bhow long (?:can|may|should|does|must|is|are)\b", re.IGNORECASE)
# "and the afternoon one?", "same for the pm reg?": the other session, after the rule
_OTHER_SESSION = re.compile(r"^\W*(?:and|so|what about|how about|is it the same for|same for)?\s*(?:the\s+)?(?:afternoon|pm|"
                            r"morning|am)(?:\s+(?:one|register|reg|registration|session))?(?:\s+(?:too|as well))?\W*$",
                            re.IGNORECASE)


def propose(ctx: Context) -> list[Interpretation]:
    """Set a register's stated opening window against the 30-minute limit, when the message asks about it."""
    entry = ctx.k.entries.get(ENTRY)
    if entry is None or ctx.k.register is None:
        return []
    if ctx.facts.get("arrived") and scenario.INTENT.search(ctx.text):
        return []   # a pupil's arrival told around the register's times, and its code asked: the case, not the window
    window = register_window(ctx.text) if _ASKS.search(ctx.text) else None
    if window is None:
        partial = _from_times_told(ctx, entry)
        if partial:
            return partial
        kept = _KEPT_OPEN.search(ctx.text)
        if entry is not None and kept and (kept.group(1).lower() != "it" or ctx.memory.get("code") in ("L", "U")):
            # "can we just leave it open till 9.30?": how long a register may stay open is what is asked
            return [Interpretation("register-window", KEPT_OPEN, "a register kept open longer", ctx.replies.entry(
                entry, confidence=KEPT_OPEN), memory={"entry": ENTRY}, key=f"entry:{ENTRY}")]
        return []
    return [_verdict(ctx, entry, *window)]


def _verdict(ctx: Context, entry, start: int, end: int) -> Interpretation:
    """A register open from `start` to `end`, set against the limit."""
    minutes, limit = end - start, ctx.k.register.register_open_minutes
    verdict = (f"Open from {clock(start)} to {clock(end)} is {minutes} minutes: longer than the {limit} minutes "
               "a register may stay open.") if minutes > limit else (
        f"Open from {clock(start)} to {clock(end)} is {minutes} minutes: within the {limit} minutes a register "
        "may stay open.")
    reply = ctx.replies.entry(entry, confidence=SCORE, text=f"{verdict}\n\n{entry.answer}")
    return Interpretation("register-window", SCORE, f"a register open {minutes} minutes", reply,
                          memory={"entry": ENTRY, "window": {"open": start, "close": end}}, key=f"entry:{ENTRY}")


def _from_times_told(ctx: Context, entry) -> list[Interpretation]:
    """One of a register's times, told now or before: set with the other against the limit ("what if it opened at
    8.30?" after a closing time), or the latest it may close ("reg opens 8.45, what's the latest we can shut it?")."""
    remembered = ctx.memory.get("window") or {}
    on_register = ctx.memory.get("entry") == ENTRY
    opened, closed = register_times(ctx.text, it_is_the_register=on_register)
    if on_register and opened is None and closed is None and (_OTHER_SESSION.match(ctx.text)
                                                              or _OTHER_SESSION_ASKED.search(ctx.text)):
        lead = "Every session has the same limit, and the time must be the same for every session."
        return [Interpretation("register-window", SAME_RULE, "the rule asked again of the other session",
                               ctx.replies.entry(entry, confidence=SAME_RULE, text=f"{lead}\n\n{entry.answer}"),
                               memory={"entry": ENTRY, **({"window": remembered} if remembered else {})},
                               key=f"entry:{ENTRY}")]
    told = opened is not None or closed is not None
    if told and (scenario.stated(ctx.facts) or ctx.memory.get("facts") or len(_CLOCK.findall(ctx.text)) > (opened is not None) + (closed is not None)):
        return []   # a situation told around the register's time ("at the orthodontist 9 till 10.30, reg shuts 9.10"),
        #             or a case being coded ("what if the register closed at 9.10?" after an arrival)
    asked_latest = on_register and bool(remembered) and bool(_LATEST_CLOSE.search(ctx.text))
    if on_register and (told or asked_latest):
        opened = remembered.get("open") if opened is None else opened
        closed = remembered.get("close") if closed is None else closed
    if opened is not None and closed is not None and 0 < closed - opened <= 180:
        return [_verdict(ctx, entry, opened, closed)]
    if not told and not asked_latest:
        return []
    limit = ctx.k.register.register_open_minutes
    if opened is not None:
        lead = f"Opening at {clock(opened)}, the register must close by {clock(opened + limit)} at the latest."
        window = {"open": opened}
    elif closed is not None:
        lead = f"Closing at {clock(closed)}, the register can open no earlier than {clock(closed - limit)}."
        window = {"close": closed}
    else:
        return []
    score = SCORE if _ASKS.search(ctx.text) or _LATEST_CLOSE.search(ctx.text) or _HOW_LONG.search(ctx.text) else TOLD
    return [Interpretation("register-window", score, "a register's time told", ctx.replies.entry(
        entry, confidence=score, text=f"{lead}\n\n{entry.answer}"), memory={"entry": ENTRY, "window": window},
        key=f"entry:{ENTRY}")]
