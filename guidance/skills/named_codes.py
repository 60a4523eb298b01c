"""Named-codes skill: a question that names attendance codes ("what does C2 mean", "B or K?") gets their meaning,
rule and the code each is confused with."""
from __future__ import annotations

import re

from ..codes import ruled_out
from ..facts import complete, decide, reachable_codes
from ..models import Button, Reply
from ..replies import label
from ..text import asked_part
from . import Context, Interpretation
from .scenario import CODE_TREE, INTENT, RULES_QUESTION, asks_for_a_code, stated, taken_for_granted

ONE_CODE = 0.9          # a question about one named code
ABOUT_THE_CODE = 0.05   # more when the question asks what it means, how it counts or when to use it
_ABOUT = re.compile(r"\b(mean\w*|stand\w*|authori[sz]ed|unauthori[sz]ed|count\w*|use[ds]?|when|statistic\w*|possible|"
                    r"present|absence|rule|explain|define|definition|difference|how long|how many (?:days|sessions)|stay|replac\w*)\b", re.IGNORECASE)
SITUATION_WORDS = 14    # a message this long that names a code usually describes a situation ("... is it #?")
ASK_INSTEAD = 0.96      # ... whose open question outranks explaining the code it guessed
_DEFINITION = re.compile(r"\b(mean\w*|stand\w*|what is|what'?s|whats|explain|define|definition|difference|"
                         r"when (?:do|can|should|would) (?:i|we|you) use|how (?:does|do) (?:it|they) count)\b",
                         re.IGNORECASE)
COMPARISON = 0.76       # several codes named: the facts of a scenario, when they decide, outrank this
_ONLY_MEANING = re.compile(r"^\W*(?:what(?:'s| is| does)?|whats|explain|define|meaning of|tell me about|code|mark|"
                           r"the|an?|is|about|\s)*\W*\S{1,2}\W*(?:code|mark|mean|means|stand for|stands for|for)?\W*$",
                           re.IGNORECASE)


def propose(ctx: Context) -> list[Interpretation]:
    """Explain the codes the message names; in a situation whose facts do not decide between them, ask the question
    that does rather than lead with a code the message only guessed."""
    named = [c for c in ctx.named if c in ctx.k.codes]
    if not named or all(ruled_out(ctx.text, c) for c in named):
        return []   # "... obviously not O, so what is it": the question is what the code is instead
    if len(ctx.text.split()) >= SITUATION_WORDS and not _DEFINITION.search(ctx.text):
        asked = _ask_instead(ctx, named)
        if asked is not None:
            return [asked]
    if len(named) == 1:
        entry = ctx.k.entries[ctx.k.codes[named[0]].entry_id]
        # ("loads of U's on his printout. what's a U?": the question asked is only what the code means)
        only_meaning = _ONLY_MEANING.match(ctx.text) or _ONLY_MEANING.match(asked_part(ctx.text) or "")
        score = ONE_CODE + (0.05 if only_meaning else ABOUT_THE_CODE if _ABOUT.search(ctx.text) else 0.0)
        implied = taken_for_granted(ctx, named[0])
        # what the code takes for granted, so "what if they came after the register closed?" can be decided
        memory = {"code": named[0], "entry": entry.id, **({"facts": implied} if implied else {})}
        return [Interpretation("named-codes", score, f"names code {named[0]}", ctx.replies.entry(entry, 1.0),
                               memory=memory, key=f"code:{named[0]}")]
    parts, sources = [], []
    for code in named[:3]:
        entry = ctx.k.entries[ctx.k.codes[code].entry_id]
        parts.append(f"{entry.title}\n{entry.answer}")
        sources.extend(s.label() for s in entry.sources)
    buttons = tuple(Button(label(ctx.k.entries[ctx.k.codes[c].entry_id].title), f"open:{ctx.k.codes[c].entry_id}")
                    for c in named[:3])
    title = "Codes " + " and ".join(named[:3])
    text = (f"{title}\n\nWhich one applies depends on the facts: tell me what happened and I will work it out.\n\n"
            + "\n\n".join(parts) + (f"\n\nSources: {'; '.join(dict.fromkeys(sources))}" if sources else ""))
    reply = Reply(kind="code", text=text, id=ctx.k.codes[named[0]].entry_id, title=title, codes=tuple(named[:3]),
                  confidence=COMPARISON, sources=tuple(dict.fromkeys(sources)),
                  suggestions=tuple(b.label for b in buttons), buttons=buttons)
    return [Interpretation("named-codes", COMPARISON, f"compares codes {', '.join(named[:3])}", reply,
                           memory={"code": named[0]}, key="codes:" + "/".join(named[:3]))]


def _ask_instead(ctx: Context, named: list[str]) -> Interpretation | None:
    """The code tree's open question for the facts the message states, led by why: None when the facts decide (the
    scenario skill then answers) or there is no code tree."""
    tree = ctx.k.trees.get(CODE_TREE)
    if tree is None or not stated(ctx.facts) and (ctx.memory.get("facts") or not asks_for_a_code(ctx.text)):
        # a code named of the case just decided ("can't we use # like before?"), or asked about without a situation
        # ("got an N sitting on a kid from a fortnight ago, is that ok?"): nothing is left open to ask
        return None
    if RULES_QUESTION.search(ctx.text) and not INTENT.search(ctx.text):
        return None   # "14 sessions of G and O, does that hit the penalty threshold?" asks the rule, not a code
    step = decide(tree, complete(ctx.facts))
    if step.node.is_outcome:
        return None
    still = reachable_codes(tree, ctx.facts)
    excluded = [c for c in named[:3] if c not in still]
    guessed = " or ".join(named[:3])
    if excluded and len(excluded) == len(named[:3]):
        # "can we mark B for a pupil learning from home?": never B, whatever the reason turns out to be
        never = " or ".join(excluded)
        lead = (f"It is never {never} here: from what you describe, {never} cannot apply, whatever the answer to the "
                "question below. Which code does depends on one more fact.")
    else:
        lead = (f"Whether it is {guessed} depends on the facts, and your message does not settle them. "
                "To choose the right code I need one more fact.")
    return Interpretation("named-codes", ASK_INSTEAD, f"names {guessed} in a situation the facts leave open",
                          ctx.replies.step(step, confidence=ASK_INSTEAD, lead=lead), memory={"facts": ctx.facts},
                          walk=(tree.id, step.path), key=f"ask:{step.node.id}")
