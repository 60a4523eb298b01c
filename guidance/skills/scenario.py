"""Coding-scenario skill: read the facts a situation states and run them through the "which code" tree, answering
with the code, the rule and the path taken, or asking the one question the facts leave open."""
from __future__ import annotations

import re

from .. import facts as scenario_facts
from .. import trees
from ..models import Button, Reply
from ..text import asks_for_task
from . import Context, Interpretation

CODE_TREE = "tree-code"
# Words that show the message asks how to record a session, not only about a topic.
INTENT = re.compile(r"\b(what (?:for|stays? on|goes on|stays? in) (?:now|today|yesterday|the (?:register|reg))\b|"
                    r"codes?|coded|coding|marks?|marked|what (?:do|should|would|shall|can) (?:i|we|you) (?:put|"
                     r"record|enter|use|mark|code|do(?! with\b))|how (?:do|should|would|shall|can) (?:i|we|you) (?:record|mark|code|"
                     r"enter|register|show|put)|(?:on|in|for) (?:the|his|her|their|our) (?:register|reg|registers|mis)|register (?:mark|code|it|"
                     r"them|him|her)|record (?:it|this|that|him|her|them|the)(?! (?:anywhere|officially|formally|(?:on|for|in) the census|"
                     r"as an? (?:young carer|carer|child in need|child in care|looked after))\b)|recorded as|what goes (?:in|on|down)|which "
                     r"(?:code|mark)|(?:am|pm|morning|afternoon) (?:session|mark|register|reg)|for (?:the|that|those) "
                     r"(?:am|pm|mornings?|afternoons?|session|sessions|day|days)|what (?:should|does) (?:the|that|this|"
                     r"yesterday|today) (?:day |session )?show|put (?:him|her|them|it) (?:down|in) as|what (?:should|would|must) "
                     r"(?:it|they|those|these|that|this|the) ?(?:\w+ )?(?:\w+ )?(?:be(?! \w+ing\b)|become|change to)|what (?:do|should|would|shall|can) "
                     r"(?:i|we|you) bulk[- ]?(?:enter|mark|code|put)|what (?:should|would|do|does) (?:they|"
                     r"those|these|the sessions|those sessions|the days) show|(?:kids|children|pupils|students) who (?:can'?t|"
                     r"cannot|can not|could ?n'?t|could not) (?:get|make it|come|attend)|what now|now what|which one|"
                     r"what(?:'s| is) (?:the )?right (?:one|thing to put)|(?:should|would|do|does|will|must|can) (?:\w+ ){1,3}be "
                     r"(?:recorded|coded|marked|registered|put down)|what (?:do|does|did|will|should|would) (?:he|she|they|the (?:kids|"
                     r"children|pupils|students|class|child|pupil)|(?:the )?(?:y|yr|year) ?\d+(?:\s*[-–]\s*\d+)?s?|(?:\w+ )?(?:kids|"
                     r"children|pupils)|the (?:extra|additional|other|remaining|rest of the) (?:\w+ )?(?:days?|sessions?|weeks?)) get|(?:(?:what about|and|for) )?(?:the "
                     r"ones|those|them) who|(?:what|how) about (?:the |our |those |these )?(?:\w+ )?(?:kids|children|pupils|"
                     r"students|ones|lot) (?:going|doing|who|that|at|in|on)|should (?:i|we) (?:change|amend|update|correct) "
                     r"(?:it|that|this|the (?:mark|code)|(?:his|her|their) (?:mark|code))|"
                     # "used to put J for this and count it as present?": how it is marked and counted
                     r"(?:put|puts|putting|mark|marks|marking|record|records|recording) (?-i:[A-Z][1-9]?) (?:for|as|on)|"
                     r"count(?:s|ed)? (?:it |this |that |them |him |her )?as (?:an? )?(?:present|absent|absence|attending|"
                     r"attendance|authorised|unauthorised|appointment|illness|medical))\b", re.IGNORECASE)
# A situation ended by a guessed code or a session alone ("... J?", "... afternoons?"): how to mark it is the question.
_ASKED_AS_CODE = re.compile(r"(?:^|[\s.,;:!(-])(?:[A-Z][1-9]?|[/\\#])\s*\?\s*$|(?i:(?:^|[.!?,;:-]\s*|\s)(?:and |what about |"
                            r"for |in )?(?:the )?(?:am|pm|mornings?|afternoons?|sessions?)\s*\?\s*$|(?:^|[.!?,;:-]\s*)(?:and |what about |so |"
                            r"ok )?(?:that|this) (?:one|day|session)\s*\?\s*$|\bchange (?:it|this|that|"
                            r"the \w+) to\b)")
# A question about the rules themselves ("holiday rules", "can we fine for...") is for the guidance, not a code ("they
# weren't allowed to leave the rest centre" tells what happened).
RULES_QUESTION = re.compile(r"\b(rules?|polic(y|ies)|guidance|(?<!n't )(?<!nt )(?<!not )(?<!were )(?<!was )allowed|legal(ly)?|law|is (?:that|this|it) (?:ok|okay|alright|all right|"
                             r"acceptable|appropriate|lawful|right\W*$)|can (?:they|schools?|the school) (?:do|just do) (?:that|this)|"
                             r"\b(?:ok|okay|alright|all right|fine) to (?:do|use|have|let|send|put|place|take|keep) (?:that|this|"
                             r"it|them|him|her)\b|"
                             r"(?:manag|handl|controll?|deal)\w* (?:with )?(?:his |her |their |the |a pupil'?s )?behaviou?r|fined|fines|fining|(?:a|the) fine|penalt\w*|prosecut\w*|"
                             r"how many|how long|who can(?!'?t|not| not)|who(?:'?s| is| are) responsible|responsibilit\w*|who decides|(?:can|could|may|would|will) (a|the|our|your|my) (head|school|principal)|entitled|(?:from|on|by|after) (?:what|which) day|"
                             r"at what point|from when (?:do|does|must|should|will|would|has|have|is|are)\b|(?:leave|keep|hold|kept|left) (?:it|the (?:register|reg)s?|registers?|registration) "
                             r"open|when (?:does|do|must|should|has|have|would|will) (?:\w+ ){0,3}(?:start|begin|kick in|apply|be "
                             r"(?:arranged|provided|in place)))\b", re.IGNORECASE)
# Facts that describe the pupil or the timing but say nothing about why they were away.
BACKGROUND = {"age", "session", "days", "arrived", "closed"}
DECIDED = 0.93           # the facts reach a code and the message asks for one
DECIDED_NAMED = 0.97     # ... and names codes to choose between: the facts decide, not the names
DECIDED_UNTOLD = 0.91    # the facts reach a code and the message only describes the situation
DECIDED_UNASKED = 0.555  # the facts reach a code but the message asks something else: guidance that reads as close
                         # as an answer is preferred, a mere "did you mean" is not
DECIDED_ASIDE = 0.45     # ... and it asks for a task ("book the minibus for the Y6 trip") or about a topic ("what do
                         # we need to check before he starts there?"): the code is not what is asked
# A statement about a topic ("checks needed before we commission an AP") is not a situation to code (a day of staff
# training is a closure told, not a topic).
_TOPIC = re.compile(r"\b((?<!all )(?<!our )checks?(?!-?ups?\b| (?:done|on file|in place|completed|carried out|are done|"
                    r"have been done|made))|rules?|polic(?:y|ies)|guidance|process|procedures?|criteria|framework|lists?|"
                    r"(?<!staff )training(?! cent(?:re|er)| order| day)|steps|duties|duty|responsibilit\w*|requirements?|definition|meaning|template|form)\b",
                    re.IGNORECASE)
# How to work with the child ("how do I get a Y2 to tell me why she won't come in?"): practice, not a mark
_PRACTICE_ASKED = re.compile(r"\bhow (?:do|can|should|would|could|might|best to) (?:i |we |you |schools? |staff )?(?:best )?"
                             r"(?:get|help|support|encourage|persuade|engage|reassure|motivate|approach|talk to|speak to|"
                             r"work with)\b", re.IGNORECASE)
# Whether a service would take the child ("could the youth justice prevention team take him?", "would he qualify?"):
# a question about the service, not a mark
_SERVICE_ASKED = re.compile(r"\b(?:could|can|would|will|does|do|might)\s+(?:the\s+)?(?:\w+\s+){0,4}?(?:team|service|project|"
                            r"alliance|charity|virtual school|yjs|iss|hyca|turnaround)\s+(?:take|accept|help|support|work "
                            r"with|see|get involved|be involved|pick (?:him|her|them) up)\b|\b(?:would|does|could|is) "
                            r"(?:he|she|the (?:child|pupil|kid|lad|girl|boy))\s+(?:qualify|be eligible|eligible|meet "
                            r"the criteria)\b", re.IGNORECASE)
_QUESTION = re.compile(r"\?|^\s*(?:from |since |until |till |by )?(what|whats|which|who|whom|how|when|where|why|is|are|do|does|did|can|could|should|would|"
                       r"will|has|have|any|tips|anything (?:else )?(?:we|i|school|you) (?:should|could|can|must|need))\b", re.IGNORECASE)
# A question asked after the situation is told ("..., what should I ask school about them", "... want to know what
# their role is"): the situation is background, not a request for a code.
_ASKED_LATER = re.compile(r"(?:^|[,.;:!–-]\s*|\b(?:and|but|so|just)\s+)(?:what|whats|what's|which|who|how|where|when|why)\b|"
                          # "and is there every morning" tells; "..., is that right?" asks
                          r"(?:^|[,.;:!–-]\s*|\b(?:and|but|so|just)\s+)(?:does|do|is|are|can|should|would|will)\b(?=[^?]*\?)|"
                          # ". does the youth justice service do anything early" asks, question mark or not
                          r"[.!]\s+(?:does|do|is|are|can|could|should|would|will|did|has|have)\s+(?:the|a|an|he|she|they|it|"
                          r"this|that|there|we|i|you|your|our|his|her|their|anyone|anybody|any)\b|"
                          # "..., should i" / "... can we" ending the message asks, question mark or not
                          r"\b(?:should|shall|can|could|would|do|must) (?:i|we)\W*$|\b(?:what|how) (?:should|do|does|can|could|would|is|are|must|"
                          r"will|shall)\b|\b(?:who|which) (?:should|do|does|can|could|would|must|will|shall)\b|\b(?:want(?:s|ed)? to know|wondering|need(?:s)? to know|any (?:advice|"
                          r"tips|ideas|guidance)|tell me|advi[cs]e (?:on|about)|get involved|what (?:their|our|my|the) "
                          r"(?:role|job|part))\b|"
                          # "..., is that ok" (asked without a question mark)
                          r"\b(?:is|are|was|were) (?:that|this|it|they|these|those) (?:ok|okay|alright|all right|allowed|"
                          r"right|fine|legal|correct|true|normal|acceptable)\b", re.IGNORECASE)
# A pupil the situation is about: without one ("PPA time in a bank holiday week") there is no mark to give.
_PUPIL = re.compile(r"\b(?:pupils?|child(?:ren)?|kids?|students?|boys?|girls?|lads?|son|daughter|he|she|him|her|they|"
                    r"them|twins|siblings|learners?|y(?:ea)?r? ?\d{1,2}s?|reception|class|family|families|juniors|infants|seniors|"
                    r"sixth form\w*|year groups?|groups?|everyone|anyone|ones|nursery)\b", re.IGNORECASE)
ASKING = 0.72            # a coding question whose facts leave one question open
ASKING_UNTOLD = 0.5      # ... a situation told without a question, whose facts go part way and leave one open


def asks_for_a_code(text: str) -> bool:
    """True when the message asks how to mark something ("what do we put?", "... is it O?")."""
    return bool(INTENT.search(text) or _ASKED_AS_CODE.search(text))


def taken_for_granted(ctx: Context, code: str) -> dict:
    """The facts of the simplest situation the code tree gives this code for (what "code L" takes for granted), so a
    follow-up changing one of them can be decided; empty when the tree describes none."""
    tree = ctx.k.trees.get(CODE_TREE)
    if tree is None:
        return {}
    if _GRANTED[0] is not tree:
        _GRANTED[:] = [tree, {}]
    known = _GRANTED[1]
    if code not in known:
        known[code] = scenario_facts.facts_for_code(tree, code) or {}
    return dict(known[code])


# each code's facts taken for granted, for the one code tree in use (the tree is walked once per code, not per message)
_GRANTED: list = [None, {}]


def stated(facts: dict) -> bool:
    """True when the facts say something about registration or the reason, not only background."""
    return any(k not in BACKGROUND for k in facts)


BARE_SITUATION_WORDS = 5   # a situation this short, put after coding, asks for its code
# ... unless it asks a question of its own ("is she off sick?", "why off sick?")
_ASKS_ITSELF = re.compile(r"^\W*(?:(?:and|so|but|ok)\W+)?(?:who|what|whats|how|which|where|why|when|is|are|was|were|does|"
                          r"do|did|can|could|should|would|will|has|have)\b", re.IGNORECASE)


def propose(ctx: Context) -> list[Interpretation]:
    """Decide the code from the facts this message states."""
    tree = ctx.k.trees.get(CODE_TREE)
    # arrival and closing times are only ever told to ask how to mark the pupil
    intent = asks_for_a_code(ctx.text) or bool(ctx.named) or {"arrived", "closed"} <= set(ctx.facts)
    if not intent and ctx.memory.get("code") and not _QUESTION.search(ctx.text) and not _ASKED_LATER.search(ctx.text) \
            and any(k in ctx.facts for k in ("reason", "registration")):
        intent = True   # straight after a code, another situation told ("diff kid, ...") asks for its code too
    last = ctx.k.entries.get(ctx.memory.get("entry") or "")
    if not intent and not ctx.memory.get("code") and last is not None and last.kind == "answer" and last.codes \
            and len(ctx.text.split()) <= BARE_SITUATION_WORDS and not _ASKS_ITSELF.match(ctx.text) \
            and any(k in ctx.facts for k in ("reason", "registration")):
        intent = True   # "off sick one thursday?" after coding guidance: a situation put to it, for its code
    describes = intent or not _QUESTION.search(ctx.text)
    if tree is None or not stated(scenario_facts.complete(ctx.facts) if describes else ctx.facts):
        return []
    if not intent and RULES_QUESTION.search(ctx.text):
        return []
    return [i for i in [interpret(ctx, ctx.facts, intent, "facts stated")] if i is not None]


def interpret(ctx: Context, facts: dict, intent: bool, evidence: str, lead: str = "",
              ask_from_start: bool = False) -> Interpretation | None:
    """Run facts through the code tree and build the reply: a decided code, or the question still open (even the
    first one, when a fact the code rested on has just been taken away)."""
    tree = ctx.k.trees[CODE_TREE]
    full = scenario_facts.complete(facts)
    step = scenario_facts.decide(tree, full)
    memory = {"facts": facts}
    if step.node.is_outcome and step.node.codes:
        code = step.node.codes[0]
        untold = not _QUESTION.search(ctx.text) and not _ASKED_LATER.search(ctx.text) and not _TOPIC.search(ctx.text) \
            and not asks_for_task(ctx.text)   # "print the slips for the Y4 trip" asks for a task, not its code
        if not intent and not untold and not _PUPIL.search(ctx.text):
            return None   # asked about something else, and about no pupil ("PPA time in a bank holiday week")
        score = (DECIDED_NAMED if ctx.named else DECIDED) if intent else DECIDED_UNTOLD if untold else \
            DECIDED_ASIDE if asks_for_task(ctx.text) or _TOPIC.search(ctx.text) or _PRACTICE_ASKED.search(ctx.text) \
            or _SERVICE_ASKED.search(ctx.text) \
            else DECIDED_UNASKED
        reply = decided_reply(ctx, step, facts, score, lead)
        entry = {"entry": reply.id} if reply.id in ctx.k.entries else {}
        return Interpretation("scenario", score, f"{evidence}: {', '.join(f'{k}={v}' for k, v in full.items())}",
                              reply, memory={**memory, "code": code, **entry},
                              key=f"code:{code}")
    told = not intent and len(step.path) > 1 and not _QUESTION.search(ctx.text)
    if not (intent or told) or len(step.path) == 1 and not ask_from_start \
            and not any(k in facts for k in ("reason", "registration")):
        return None
    # a situation told without asking for a code, part way down the tree: asking is still better than a code that
    # only reads alike (which the stated facts may rule out)
    score = ASKING if intent else ASKING_UNTOLD
    intro = (lead + "\n\n" if lead else "") + "To choose the right code I need one more fact."
    reply = ctx.replies.step(step, confidence=score, lead=intro)
    return Interpretation("scenario", score, f"{evidence}; open question: {step.node.id}", reply, memory=memory,
                          walk=(tree.id, step.path), key=f"ask:{step.node.id}")


def decided_reply(ctx: Context, step: trees.Step, facts: dict, score: float, lead: str = ""):
    """The code, why, the rule and the path through the tree, with a button to walk it step by step."""
    node = step.node
    code = node.codes[0]
    info = ctx.k.codes.get(code)
    heading = f"Code {code}: {info.meaning}" if info else f"Code {code}"
    parts = [lead] if lead else []
    if ctx.named and code not in ctx.named:
        parts.append(f"From what you describe, it is {code}, not {' or '.join(ctx.named)}.")
    if "arrived" in facts and "closed" in facts:
        parts.append(f"The pupil arrived at {facts['arrived']}; the register closed at {facts['closed']}.")
    elif "arrived" in facts and facts.get("registration") == "late-after":
        parts.append(f"The pupil arrived at {facts['arrived']}. A register may stay open for at most 30 minutes, so it "
                     "had closed by then; if your register was still open, tell me and it is L.")
    body = node.outcome.split("\n", 1)[1].strip() if "\n" in node.outcome else node.outcome
    parts.append(body)
    path = scenario_facts.path_taken(step)
    if path:
        parts.append("How this was decided:\n" + "\n".join(f"- {q} {a}" for q, a in path))
    example = ("what if it was before the register closed?" if facts.get("registration") == "late-after"
               else "what if it was after the register closed?" if facts.get("registration") == "late-before"
               else "what if the reason was different?")
    parts.append(f"If a fact is different, tell me (for example \"{example}\"), or walk through it step by step.")
    sources = tuple(s.label() for s in node.sources)
    text = f"{heading}\n\n" + "\n\n".join(parts) + (f"\n\nSources: {'; '.join(sources)}" if sources else "")
    buttons = tuple(b for b in (ctx.replies.link_button(x) for x in node.see) if b)
    buttons += (Button("Walk through it step by step", f"tree:{CODE_TREE}"),)
    return Reply(kind="code", id=info.entry_id if info else step.tree.id, title=heading, text=text, codes=(code,),
                 confidence=score, sources=sources, suggestions=tuple(b.label for b in buttons), buttons=buttons)


def continue_walk(step: trees.Step, facts: dict) -> trees.Step:
    """After a button press in a walk started from a scenario, go on as far as the remembered facts decide."""
    return scenario_facts.decide(step.tree, scenario_facts.complete(facts), step)
