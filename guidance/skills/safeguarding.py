"""Safeguarding skill: wording that suggests a child may be at risk now gets escalation advice before anything."""
from __future__ import annotations

from ..safeguarding import at_immediate_risk, suggests_exploitation
from . import Context, Interpretation


def propose(ctx: Context) -> list[Interpretation]:
    """Propose escalation, scored above every other skill, when the message describes a child at risk now."""
    if not (at_immediate_risk(ctx.text) or (ctx.corrected and ctx.corrected != ctx.text
                                            and at_immediate_risk(ctx.corrected))):
        return []
    reply = ctx.replies.safeguarding(exploitation=suggests_exploitation(ctx.text))
    return [Interpretation("safeguarding", 1.0, "words describing immediate risk", reply, key="safeguarding")]
