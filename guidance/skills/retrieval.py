"""Retrieval skill: rank entries and walk-throughs by meaning; answer, offer "did you mean", or fall back honestly.
A short follow-up ("what ages?", "who do I send it to?") is read together with the topic of the previous answer."""
from __future__ import annotations

import re
from dataclasses import replace
from functools import lru_cache

from .. import trees
from ..facts import reachable_codes
from ..retrieval import ASKS_MEANING, Match
from ..text import STOP_WORDS, asked_part, asks_for_task, stem, without_asides
from . import Context, Interpretation
from .list_item import place_asked
from .scenario import CODE_TREE, INTENT, RULES_QUESTION, asks_for_a_code, stated, taken_for_granted

SAME_SUBJECT_MIN = 0.4    # a question about "it" that nothing answers closely: the previous answer, this near, again
SAME_SUBJECT_SCORE = 0.5  # ... with this confidence
PART_SHARE = 0.95         # a question read without the situation before it keeps this share of its score
PART_CAP = 0.9            # ... and never more: a reasoned reading of the whole message (a calculation) outranks it
PART_WEIGHT = 3.5         # ... when its words say this much (summed idf): "code?" alone says too little
DROWNING_WORDS = 18       # a situation this long can drown the question in it: it is also read with only its names
PRONOUN_SUBJECT = 7.0     # ... or, with "it" or "them" in it, when its subject words say this much
TELLING_IDF = 3.0         # names in the situation this rare in the knowledge (places, programmes) stay with the question
STANDS_FOR_IDF = 2.0      # ... and words of the situation this rare may be what a demonstrative in the question means
NAMED_WALK = 0.85         # share of its score a walk-through keeps when the message names a code
GLOSSARY_WEIGHT = 0.9     # in open questions, an acronym's expansion is rarely the best answer
SCENARIO_CAP = 0.9        # a retrieved coding situation never outranks a code decided from the stated facts
UNTOLD_SCENARIO = 0.85     # after guidance, a coding situation nobody told weighs this much of its match
SCENARIO_SURE = 0.75      # below this, a retrieved coding situation is offered as a choice, never given as the code
CLOSE_ANSWER = 0.9        # share of its score a guidance answer keeps when others came close (they become buttons)
SUBJECT_FLOOR = 0.6       # after a code, guidance unrelated to it keeps this share of its score
SAME_WITHOUT_WORDS = 0.5  # ... and the code itself, when it lacks the words newly asked, counts this near
SUBJECT_POOL = 30         # candidates weighed for a follow-up
RELATED_BONUS = 0.05      # in a follow-up, the previous answer's links and topic are more likely
FOLLOW_POOL = 30          # a follow-up read in its setting looks this far down for the previous answer itself
FEW_WORDS = 2             # ... three times as likely when the follow-up has no more content words than this
# "where's that from?", "source?", "says who?": where the last answer comes from
_SOURCE_ASKED = re.compile(r"^\W*(?:(?:and|so|ok|okay|but|sorry)\W+)?(?:where(?:'?s| is| does| did| do| has)? (?:that|this|it|"
                           r"that info|this info|that rule|this rule|that guidance|that come|they|you got (?:that|this)|you get "
                           r"(?:that|this))(?: (?:come|coming|came|get|got))?(?: (?:that|this|it))? from|(?:what|which)(?:'?s| is| are)? "
                           r"(?:the |your |its |that.?s )?sources?(?: for (?:that|this|it))?|sources?|says who|who says(?: so| that)?|"
                           r"according to (?:who|whom|what)|(?:is|where(?:'?s| is)?) (?:that|this|it) (?:written|set out|stated)"
                           r"(?: down)?(?: anywhere| somewhere)?)\W*$", re.IGNORECASE)
SOURCE_SCORE = 0.9
_NEXT_ONLY = {"after", "next", "then", "els", "more", "other", "anyth", "happen", "step", "come"}  # "and after that?"
BARE_QUESTION = 6         # a question this short ("does the parent have to agree?") is read in the previous setting
FOLLOW_UP_WORDS = 10      # messages this short may lean on the previous answer
LONGER_FOLLOW_UP_WORDS = 24   # ... and this short when they lean on it and mean nothing close on their own
NEIGHBOUR_SHARE = 0.6     # a follow-up answered from the previous subject's entries must find this share of its words
NEIGHBOUR_IDF = 2.0       # ... including at least one this telling
NEIGHBOUR_BASE, NEIGHBOUR_SPAN = 0.3, 0.4   # its score: 0.54 for 60% of the words, 0.7 for all
ASKING_WORD = 0.5         # a word found in no title counts this much
AGREE_MIN = 0.25          # when both rankings (phrasing similarity and BM25) put the same entry first, this is enough
AGREE_BONUS = 0.25        # how much that agreement adds to the confidence
AGREE_WORDS = 2           # ... provided at least this many of the question's words are in its title or phrasings,
AGREE_KNOWN = 3           # and the question has this many words the knowledge uses (or no word it never uses)
AGREE_AMONG = 3           # ... or each ranking's first is among the other's first this many, on one subject
PAIR_FOREIGN = 1          # ... in a message with no more than this many everyday words the knowledge never uses
AGREE_CAP = 0.9           # agreement never outranks a named code or a reasoned one
AGREE_COVERAGE = 0.5      # a short question the knowledge covers less than this, with as many everyday words it never
FOREIGN_SHORT = 10        # uses ("menu", "car park") as words the answer has: about something else, not lifted
BM25_LEAD = 1.15          # BM25's first choice must lead its second by this ratio to reorder close candidates
TASK_SCORE = 0.5          # a request for a task outranks a coding situation the message only mentions in passing
# An explicit request for a step-by-step walk-through is answered with a walk-through, never a page of guidance.
_WALK = re.compile(r"\b(walk me through|walk through|step[- ]by[- ]step|help me (?:work out|decide|check|choose|figure out)|"
                   r"guide me|take me through|talk me through|run me through|step me through|work through|go through "
                   r"(?:\w+ ){0,5}with me|(?:check|go|work|step|run) (?:\w+ ){1,9}with me|one (?:step |question )?at a "
                   r"time|(?:work|figure|sort) (?:\w+ ){0,3}out (?:\w+ ){0,3}together|(?:is there|have you got|do you have) (?:a|an) "
                   r"(?:\w+ ){0,3}(?:checker|check ?list|decision tree|flow ?chart)|(?:start|open|run|use) (?:the |a )?(?:\w+ ){0,3}"
                   r"(?:walk-?through|walkthrough|checker|tree)|walk-?throughs?|decision trees?|flow ?charts?|"
                   r"the (?:\w+ ){1,3}tree)\b", re.IGNORECASE)
# The words of such a request, taken out before choosing which walk-through is meant.
_WALK_WORDS = re.compile(r"\b(walk me through|walk through|step[- ]by[- ]step|help me (?:work out|decide|check|choose|"
                         r"figure out)|guide me(?: through)?|take me through|talk me through|run me through|step me through|"
                         r"work through|go through|with me|one (?:step |question )?at a time|together|is there|"
                         r"(?:work|figure|sort) (?:it |this |that )?out|let'?s|i'?d like to|i would like to|i want to|"
                         r"have you got|do you have|checker|check ?list|start|open|run|use|"
                         r"walk-?throughs?|walkthroughs?|checker|trees?|decision trees?|flow ?charts?|please|the)\b",
                         re.IGNORECASE)
WALK_MIN = 0.3           # ... when the rest of the request matches a walk-through at least this well
WALK_ASKED = 0.92         # an explicit request for a walk-through, above a code decided from an untold situation
_FOLLOW_UP = re.compile(r"^\s*(?:and|so|but|also|then|ok|okay|what about|how about|what if|is there|are there|"
                        r"does it|do they|does that|is it|is that|who|what|how|which|when|where|why|can they|can I|"
                        r"do I|should I|does|do|is|are|can|must|should|will|would|has|have|any|anything)\b|"
                        r"\b(?:it|that|this|they|them|their|there|those|these|one|he|she|his|her|hers|theirs)\b|"
                        r"\b(?:surely|though|only|even|still)\b",
                        re.IGNORECASE)


# Words that lean on the previous answer ("and after that?", "what should I ask about it?", "how many nationally?").
_LEANS = re.compile(r"^\s*(?:and|so|but|also|then|what about|how about|what if)\b|\b(?:it|that|this|they|them|"
                    r"their|there|those|these|one|he|she|his|her)\b|^\s*(?:\S+\s+){0,3}\S+\s*$|"
                    r"\bthe (?:lad|lass|boy|girl|child|pupil|student|kid|young person|yp)\b", re.IGNORECASE)
# A message announcing a question of its own ("totally diff -", "sorry, unrelated"): it leans on nothing before it.
_NEW_TOPIC = re.compile(r"\b(?:diff|different|unrelated|separate|new|another) (?:question|topic|subject|query)\b|"
                        r"\b(?:totally|completely) (?:diff|different|unrelated)\b|\bunrelated\b|\bchange of (?:subject|topic)\b|"
                        r"\bon another note\b", re.IGNORECASE)
# A fact added to the case just discussed ("the lad's got an EHCP, anything extra?"): what it adds is in its subject
# words, not in how it is asked.
_ADDITION = re.compile(r"\banything (?:extra|else|more|different)\b|\b(?:btw|by the way|as well|too|also)\b|"
                       r"\b(?:does|would|will) (?:that|this|it) change\b|\bchanges? anything\b", re.IGNORECASE)
AS_ASKED = 0.95           # a question matching an entry or walk-through this well is answered as asked
# A pronoun standing for what was just discussed ("what should I ask about it?", "does it count?"): however well the
# words match something else on their own, the question is about the previous answer.
_ABOUT = (r"(?<!come )(?<!comes )(?<!came )(?<!coming )"   # "when does a fine come into it" is an idiom
          r"\b(?:about|for|with|of|on|in|within|regarding|re|into|from|to) ")
_REFERS_BACK = re.compile(_ABOUT + r"(?:it|this|that|them|those|these)\b(?! (?:\w+))|"
                          r"\b(?:in|on) (?:there|here)(?: (?:too|as well|also))?\s*\??\s*$|"
                          r"^\s*(?:and |so |but )?(?:does|do|is|are|can|should|would|will|has|have) (?:it|they|that|this)\b|"
                          r"\b(?:how|why|when|where|who|what|which)(?: \w+){0,2}?(?: (?:are|is|do|does|were|was|can|"
                          r"should|would) |'s )(?:they|it|those|these)\b|"
                          r"\b(?:contact|reach|email|call|phone|ring|refer to|tell|ask|find|get hold of|speak to|talk to|"
                          r"invite|involve|use|apply for|request) (?:them|it|him|her|this|that)\b|"
                          r"\b(?:issue|give|get|send|fill in|complete|book|make|start|need|do) (?:one|it)\s*\??\s*$",
                          re.IGNORECASE)
# ... of which a pronoun after "about", "for", "on" ... is the surest ("what should I ask them about it?")
_REFERS_ABOUT = re.compile(_ABOUT + r"(?:it|this|that)\b(?! (?:\w+))", re.IGNORECASE)
# A question asking for a person ("who has to agree it?", "whose agreement does it need?"): no code answers it
_ASKS_WHO = re.compile(r"^\s*(?:(?:and|so|but|ok|okay|right|then)[,.]? )*(?:who|whose|whom)\b", re.IGNORECASE)
# the word in a reference back that stands for the previous subject ("can a school issue one?")
_STANDS_FOR = re.compile(r"\b(?:it|this|that|them|those|these|they|one)\b", re.IGNORECASE)
# "and SA?", "what about exclusions?": a new subject asked in the previous answer's setting
# ("and the other 2 days?" is the rest of the same case, not a new subject)
_AND_NEW = re.compile(r"^\s*(?:and|and what about|what about|how about|and how about|what of)\s+"
                      r"(?!if\b|(?:the )?(?:other|rest|remaining)\b)(.{2,60}?)\s*\??\s*$", re.IGNORECASE)


# "if it had been longer, from what day...": a supposition about the last situation, however long the question after it
_SUPPOSING = re.compile(r"^\s*(?:(?:and|but|so|ok|okay|right)[,.]? )*(?:what )?if (?:it|he|she|they|that|this|one of (?:them|those|these)|"
                        r"the (?:pupil|child|lad|lass|girl|boy|kid|student|young person))"
                        r"(?:'d|'s|s|'re|re| had| has| was| were| is| are| does ?n.?t| does not| do ?n.?t| do not| did ?n.?t|"
                        r" did not| wo ?n.?t| will not| ca ?n.?t| cannot| never)\b|"
                        # "does that change if one of them is in care?": the last answer's rule, supposed otherwise
                        r"^\s*(?:(?:and|but|so|ok|okay|right)[,.]? )*(?:does|would|will|do|is) (?:that|it|this|any of "
                        r"that|the (?:answer|rule|position)) (?:change|differ|alter|be (?:any )?different|still (?:apply|"
                        r"stand|hold)|apply)(?: at all| much)? (?:if|when|where|for)\b|"
                        # "its been extended, now 8 days. when does ...": news of the same case, then its question
                        r"^\s*(?:update:? |ok,? |so,? |right,? )?(?:it'?s|it has|that'?s|this has|the \w+(?:'s| has)) "
                        r"(?:now |since |just )?(?:been|gone|got|turned) (?:extended|longer|up|on|over|past)\b",
                        re.IGNORECASE)
SUPPOSING_WORDS = 18


def asks_to_walk(text: str) -> bool:
    """True when the message asks to be walked through step by step."""
    return bool(_WALK.search(text))


def is_follow_up(text: str) -> bool:
    """True for a short message that reads as a continuation of the previous answer."""
    return (len(text.split()) <= FOLLOW_UP_WORDS and bool(_FOLLOW_UP.search(text))) or (
        len(text.split()) <= SUPPOSING_WORDS and bool(_SUPPOSING.match(text)))


def propose(ctx: Context) -> list[Interpretation]:
    """Propose the best-matching entry or walk-through, a "did you mean", or an honest fallback."""
    if asks_for_task(ctx.text):
        # the situation a task was asked about is remembered ("book the minibus for the Y6 trip"): a question about
        # coding it may follow
        kept = {"situation": dict(ctx.facts)} if ctx.facts and stated(ctx.facts) else None
        return [Interpretation("retrieval", TASK_SCORE, "a request for a task, not a guidance question", ctx.replies.fallback(),
                               memory=kept, key="fallback")]
    previous = ctx.memory.get("entry")
    if previous in ctx.k.entries and _SOURCE_ASKED.match(ctx.text) and ctx.k.entries[previous].sources:
        # "where's that from?", "source?": the sources of the answer just given
        sources = "; ".join(src.label() for src in ctx.k.entries[previous].sources)
        return [_answered_again(ctx, previous, SOURCE_SCORE, "its sources asked", lead=f"That comes from: {sources}.")]
    contextual = bool(previous and previous in ctx.k.entries and is_follow_up(ctx.text))
    matches = _rank(ctx, _search(ctx))
    if previous in ctx.k.entries and not contextual and \
            FOLLOW_UP_WORDS < len(ctx.text.split()) <= LONGER_FOLLOW_UP_WORDS \
            and (_LEANS.search(ctx.text) or _ADDITION.search(ctx.text)) and not _NEW_TOPIC.search(ctx.text) \
            and (not matches or matches[0].score < ctx.settings.suggest_score or (
                matches[0].score < ctx.settings.decisive_score and _REFERS_BACK.search(ctx.text)
                and not INTENT.search(ctx.text) and not _stays_on_subject(ctx, previous, matches[0].id))):
        # longer, but leaning on the last answer ("they") and meaning little without it, or drifting off its subject
        # on the words alone; a code asked of a situation told ("what do I code his farm days?") is the coding's
        contextual = True
    if previous in ctx.k.entries and not contextual and _names_nothing_of(ctx, previous, matches):
        contextual = True   # "who do I send a referral to?" after a young carer: that subject's referral
    if previous in ctx.k.entries and not contextual and _detail_asked(ctx, ctx.k.entries[previous]):
        contextual = True   # "over what time period?": a detail of the last answer
    if previous in ctx.k.entries and not contextual and len(ctx.text.split()) <= TOLD_MORE_WORDS \
            and _TELLS.search(ctx.text) and not _ASKS_ANYTHING.search(ctx.text) and not _NEW_TOPIC.search(ctx.text):
        contextual = True   # "the farm has tractors and machinery": a detail told of the last answer's subject
    if ctx.named and not _WALK.search(ctx.text):
        # a message that names a code asks about it: a walk-through matching its other words ("what does code #
        # mean") is a poor second
        matches = sorted((replace(m, score=round(m.score * NAMED_WALK, 4)) if m.id in ctx.k.trees else m
                          for m in matches), key=lambda m: m.score, reverse=True)
    if _WALK.search(ctx.text):
        # "walk me through" says how to answer, not what about: the walk-through is chosen on the rest
        rest = _WALK_WORDS.sub(" ", ctx.text)
        if not ctx.index.query_tokens(rest)[0] or re.fullmatch(r"[\W_]*(?:(?:what|which|are|is|there|do|you|have|"
                                                                r"list|show|me|all|any|available|can|i)\W*)*", rest, re.I):
            return [Interpretation("retrieval", WALK_ASKED, "the walk-throughs asked for", ctx.replies.trees_menu(),
                                   key="trees")]
        expanded = " ".join([rest, *ctx.index.query_tokens(rest)[1]])   # "YJS" also as "youth justice service"
        walks = [m for m in _rank(ctx, ctx.index.search(expanded, limit=20)) if m.id in ctx.k.trees]
        if walks and walks[0].score >= WALK_MIN and (len(walks) == 1 or walks[0].score - walks[1].score >= 0.02):
            tree = ctx.k.trees[walks[0].id]
            step = trees.start(tree)
            return [Interpretation("retrieval", WALK_ASKED, f"a walk-through asked for: {tree.id}",
                                   ctx.replies.step(step, confidence=WALK_ASKED), walk=(tree.id, step.path),
                                   key=f"tree:{tree.id}")]
        if walks:
            matches = [replace(walks[0], score=max(walks[0].score, ctx.settings.decisive_score))] + walks[1:]
            contextual = False
    # after guidance, a coding situation that reads alike does not make a question clear on its own
    coding_before = contextual and ctx.k.entries[previous].kind in ("code", "scenario")
    as_asked = next((m for m in matches if coding_before or m.id not in ctx.k.entries
                     or ctx.k.entries[m.id].kind not in ("code", "scenario")), None)
    # one word asked ("who do I contact?", "their ages?") says too little to leave the subject on its own, unless it is
    # an entry's own question ("which code should I use?")
    asked_tokens = ctx.index.query_tokens(ctx.corrected or ctx.text)[0]
    one_word_asked = len(asked_tokens) <= 1 and not (
        as_asked is not None and as_asked.id in ctx.index.asked_exactly.get(" ".join(asked_tokens), ()))
    # several answers tied on the words alone ("what if he's on reduced hours?") are not clear on their own either
    rivals = [m for m in matches if m is not as_asked and m.id not in ctx.k.trees
              and as_asked is not None and as_asked.score - m.score < ctx.settings.minimum_gap]
    if contextual and as_asked and not rivals and not _REFERS_BACK.search(ctx.text) and not _AND_NEW.match(ctx.text) \
            and not one_word_asked \
            and _detail_asked(ctx, ctx.k.entries[previous]) not in _ASKED_IN_SO_MANY_WORDS and (
            (as_asked.score >= AS_ASKED and not _SUPPOSING.match(ctx.text)) or (
            as_asked.score >= ctx.settings.decisive_score and not _LEANS.search(ctx.text)
            and not _SUPPOSING.match(ctx.text) and len(ctx.text.split()) > BARE_QUESTION)):
        contextual = False   # clear on its own and leaning on nothing before it: answer it as asked
    plain = matches
    if contextual:
        asked, _ = ctx.index.query_tokens(ctx.corrected or ctx.text)
        entry = ctx.k.entries[previous]
        following = [link for link in entry.see if link in ctx.k.entries]
        if following and set(asked) <= _NEXT_ONLY:
            nxt = ctx.k.entries[following[0]]   # "and after that?": the next step the answer links to
            return [Interpretation("retrieval", 0.8, f"next step after {entry.id}", ctx.replies.entry(nxt, 0.8),
                                   memory={"entry": nxt.id}, key=f"entry:{nxt.id}")]
        matches, asked_as = _with_context(ctx, entry, matches)
        # when nothing answers it decisively, or only an acronym's expansion does ("what about if they have an
        # EHCP?"), the previous subject's own entries holding the words are weighed
        top_is_glossary = bool(matches) and matches[0].id in ctx.k.entries and \
            ctx.k.entries[matches[0].id].kind == "glossary"
        # (a supposition about the case, "what if the kid is looked after?", is weighed on its subject however well
        # another subject matches its words)
        neighbours = _in_neighbourhood(ctx, entry) if not matches or top_is_glossary or \
            matches[0].score < ctx.settings.decisive_score or _SUPPOSING.match(ctx.text) else []
        if neighbours:
            # nothing answers it decisively as read in its setting, and the previous subject's entries hold its words:
            # the answer stays on that subject
            coding = entry.kind in ("code", "scenario")
            on_subject = [m for m in matches if m.id in ctx.k.entries and _related(entry, ctx.k.entries[m.id])
                          and ctx.k.entries[m.id].kind != "glossary"
                          and _has_asked_words(ctx, m.id, rarest=m.id == entry.id)
                          and (coding or ctx.k.entries[m.id].kind not in ("code", "scenario"))]
            matches = sorted(_best_of(on_subject, neighbours).values(), key=lambda m: m.score, reverse=True)
        if (not matches or matches[0].score < ctx.settings.suggest_score) and as_asked is not None \
                and as_asked.score >= ctx.settings.confident_score and not _REFERS_BACK.search(ctx.text) \
                and _detail_asked(ctx, entry) is None:
            # read in the previous setting it matches nothing, but its own words are clear ("who keeps responsibility
            # for safeguarding her there?" after a code): the setting was the wrong one
            contextual, matches = False, plain
            asked_as = _unplaced(ctx, ctx.corrected or ctx.text)
    else:
        # (a "why" is asked the same from anywhere; a reason told without its word is read with it)
        asked_as = " ".join([_unplaced(ctx, ctx.corrected or ctx.text), *_told_words(ctx)])
        if previous in ctx.k.entries and len(ctx.text.split()) <= LONGER_FOLLOW_UP_WORDS and not _NEW_TOPIC.search(ctx.text):
            # a conversation mostly stays on its subject: answers on the last one's subject are a little likelier
            last = ctx.k.entries[previous]
            matches = sorted((replace(m, score=round(m.score + STAYS_ON_SUBJECT, 4))
                              if _stays_on_subject(ctx, previous, m.id) and ctx.k.entries[m.id].kind == "answer"
                              and last.kind == "answer" else m for m in matches), key=lambda m: m.score, reverse=True)
    bm25_ranking = ctx.index.rank_bm25(asked_as, limit=OVERVIEW_POOL)   # a follow-up is judged as read in its setting
    # (an acronym's expansion the message never names, "secondary education" for GCSE, is no second opinion)
    bm25_ranking = [r for r in bm25_ranking if ctx.k.entries.get(r[0]) is None or ctx.k.entries[r[0]].kind != "glossary"
                    or _names_term(ctx, r[0])]
    second_opinion = bm25_ranking[:2]
    best = second_opinion[0][0] if second_opinion else None
    lead = (second_opinion[0][1] / second_opinion[1][1]) if len(second_opinion) > 1 and second_opinion[1][1] > 0 else 1.0
    # an answer named for a rare name the message gives ("in Farnborough") is not overturned by BM25's second opinion
    named = bool(matches) and not contextual and _named_for(ctx, _rare_names(ctx), matches[0].id)
    # ... nor one whose title says everything the question asks ("what does KCSiE 2025 say about AP?")
    named = named or bool(matches) and not contextual and _titled_as_asked(ctx, matches[0].id) \
        and not (best and _titled_as_asked(ctx, best))
    # an answer to "why" (its title says so) is not what a question asking what or how wants, when BM25 prefers a close
    # candidate ("what exactly should I ask about lateness?": what to ask, not why it matters)
    why_not_asked = bool(matches) and matches[0].id in ctx.k.entries and not contextual \
        and _WHY_TITLE.match(ctx.k.entries[matches[0].id].title) and not _ASKS_WHY.search(ctx.text)
    if best and matches and best != matches[0].id and (lead >= BM25_LEAD or why_not_asked) and not named \
            and best in {m.id for m in matches[:3]} \
            and best in ctx.k.entries and not _glossary_aside(ctx, best) \
            and not (contextual and (_linked(ctx, previous, matches[0].id) and not _linked(ctx, previous, best)
                                     or matches[0].id == previous and not _linked(ctx, previous, best)
                                     or ctx.k.entries[best].kind == "glossary")) \
            and (contextual or why_not_asked or not _question_agrees(ctx, matches[0].id)):
        # BM25 clearly prefers another of the close candidates: let it decide between them (a walk-through is started
        # when asked for, not on a second opinion; in a follow-up, an answer the last one links to is not overturned
        # by one it does not link to, the last answer itself not by one it does not link to either, nor by what an
        # acronym in it stands for)
        matches = _put_first(ctx, matches, next(m for m in matches if m.id == best))
    why = _why_answer(ctx, matches) if contextual else None
    if why is not None:
        # "why lateness?" after the social worker's checklist: the answer that says why, when the question's own words
        # are among what it answers, not the item that only reads most like the conversation so far
        matches = _put_first(ctx, matches, why)
    if previous in ctx.k.entries and (ctx.k.entries[previous].kind == "answer" or _ASKS_WHO.match(ctx.text)):
        matches = _untold_situations_down(ctx, ctx.k.entries[previous], matches)
    if contextual:
        matches = _subject_breaks_tie(ctx, ctx.k.entries[previous], matches, best)
    overview = False
    if not contextual and not (matches and _titled_as_asked(ctx, matches[0].id)):
        before = matches[0].id if matches else None
        matches = _overview_first(ctx, matches, dict(bm25_ranking))
        overview = bool(matches) and matches[0].id != before
    # (an overview chosen over its parts is not swapped back for one of them on BM25's word)
    decided = _decide(ctx, matches, contextual, best, swap=not (named or overview),
                      bm25_top=tuple(r[0] for r in bm25_ranking[:AGREE_AMONG]))
    detail = _detail_asked(ctx, ctx.k.entries[previous]) if contextual else None
    if detail is not None and decided.reply.id != previous and (decided.score < ctx.settings.decisive_score
                                                                 or len(asked_tokens) <= 1
                                                                 or len(ctx.text.split()) <= BARE_QUESTION
                                                                 or (detail in _ASKED_IN_SO_MANY_WORDS and not _linked(
                                                                     ctx, previous, decided.reply.id or ""))):
        # "over what time period?", "how much would they pay?": a detail of the subject just answered, which its own
        # answer gives
        giver = _detail_source(ctx, ctx.k.entries[previous], detail)
        return [_answered_again(ctx, giver or previous, DETAIL_SCORE,
                                f"a {detail} the previous answer gives" if giver in (previous, None)
                                else f"a {detail} the answer the previous one links to gives")]
    figure = _CHANGED_FIGURE.match(ctx.text)
    if contextual and figure and ctx.k.entries[previous].kind == "answer" and decided.reply.id != previous and re.search(
            rf"\b{figure.group('unit')}", ctx.k.entries[previous].answer, re.IGNORECASE):
        # "what about 2 days?" after the rules on weekly hours at a provider: the same rules, for another figure
        return [_answered_again(ctx, previous, DETAIL_SCORE, "the previous rules for another figure")]
    rules = _rules_linked(ctx, ctx.k.entries[previous]) if contextual and decided.score < ctx.settings.decisive_score \
        and RULES_QUESTION.search(ctx.text) and _names_nothing_but(ctx, ctx.text, RULES_QUESTION, _HEDGES) else None
    if rules is not None and decided.reply.id != rules:
        # "is it even allowed?" after guidance on a part-time timetable: the rules on it, which that guidance links to
        return [_answered_again(ctx, rules, RULES_LINKED_SCORE, "the rules the previous answer links to")]
    if contextual and _CHALLENGE.search(ctx.text) and decided.reply.id != previous \
            and ctx.k.entries[previous].kind == "answer" and _holds_what_is_named(ctx, previous):
        # "only DTs though, surely?": a doubt about the last answer, which itself says who or what it covers
        return [_answered_again(ctx, previous, CHALLENGE_SCORE, "a doubt about the previous answer")]
    if contextual and decided.reply.kind == "glossary" and decided.reply.id != previous and _STANDS_FOR.search(ctx.text) \
            and not ASKS_MEANING.search(ctx.text) and not _WHAT_IS.match(ctx.text) \
            and _holds_what_is_named(ctx, previous):
        # "do all CLA get one done?" after the SDQ: an acronym used in passing, of the subject the last answer covers
        return [_answered_again(ctx, previous, CHALLENGE_SCORE, "an acronym used of the previous subject")]
    if contextual and decided.key == "fallback" and _PRONOUN.search(ctx.text) and any(
            m.id == previous and m.score >= SAME_SUBJECT_MIN for m in matches[:3]):
        # "what sort of kids is it aimed at?": nothing answers it closely, but "it" is the previous subject and its
        # own answer is among the nearest: that answer again says most about it
        return [_answered_again(ctx, previous, SAME_SUBJECT_SCORE, "the previous subject again")]
    # "what's the number?" (an acronym asked about, "PP+ for them?", names a subject of its own)
    one_word = len(asked_tokens) <= 1 and not any(t in ctx.k.glossary_terms for t in asked_tokens)
    if contextual and decided.reply.kind in ("answer", "code", "glossary") \
            and (decided.score < ctx.settings.decisive_score or one_word):
        entry = ctx.k.entries[previous]
        chosen = ctx.k.entries.get(decided.reply.id or "")
        strictly = chosen is not None and (entry.id == chosen.id or chosen.id in entry.see or entry.id in chosen.see
                                          or (entry.topic and entry.topic == chosen.topic))
        if chosen is not None and (not _related(entry, chosen) or (one_word and not strictly)):
            # a follow-up that lands on an unrelated topic is not answered confidently: offer it instead, unless one
            # of the nearest is the answer the last one links to ("whose job is it to arrange that?" after code E:
            # education from the sixth day)
            near = [m for m in matches if m.id in ctx.k.entries][:3]
            linked = [m for m in near if m.id != entry.id and _linked(ctx, entry.id, m.id)
                      and ctx.k.entries[m.id].kind == "answer"]
            if len(linked) == 1 and not one_word:
                found = _answered_again(ctx, linked[0].id, LINKED_NEAR_SCORE, "the nearest answer the last one links to")
                case = {k: ctx.memory[k] for k in ("facts", "code") if k in ctx.memory}   # (the case coded goes on)
                return [replace(found, memory={**found.memory, **case})]
            return [Interpretation("retrieval", 0.4, "follow-up landed on an unrelated topic",
                                   ctx.replies.did_you_mean(near), key="did-you-mean")]
    if ctx.memory.get("facts") and not contextual and _SUPPOSING.match(ctx.text) and decided.reply.kind == "answer" \
            and decided.score > SUPPOSED_OF_A_CASE:
        # "ok and if it's part of an agreed part-time timetable?" after a case was coded: the case supposed otherwise,
        # which the coding reads first; guidance on the thing supposed is the second reading
        decided = replace(decided, score=SUPPOSED_OF_A_CASE)
    return [decided]


NEAR_READING = 0.1          # a reading this close to the best holding the story's reason is preferred to it
SUPPOSED_OF_A_CASE = 0.9   # guidance matching a supposition about a case being coded, at most this sure
_HEDGES = re.compile(r"\b(?:even|really|actually|just|still|though|surely|then|so|ever)\b", re.IGNORECASE)
RULES_LINKED_SCORE = 0.7   # a bare rules question answered by the one set of rules the last answer links to


def _names_nothing_but(ctx: Context, text: str, *said: re.Pattern) -> bool:
    """Whether a message names no subject of the knowledge once what these patterns say is taken out ("is it even
    allowed?" without the rules words and hedges names nothing)."""
    for pattern in said:
        text = pattern.sub(" ", text)
    return not any(t in ctx.index.postings for t in ctx.index.query_tokens(text)[0])


def _rules_linked(ctx: Context, previous) -> str | None:
    """The one answer titled as rules that the previous answer is or links to ("is that allowed?" asks those)."""
    found = [e.id for e in ([previous] if previous.kind == "answer" else []) + _linked_answers(ctx, previous)
             if re.search(r"\brules?\b", e.title, re.IGNORECASE)]
    return found[0] if len(found) == 1 else None


# A doubt about the last answer ("only DTs though, surely?", "are you sure?", "is that right?").
_CHALLENGE = re.compile(r"\b(?:surely|are you sure|you sure|is that right|is that true|really\s*\?|i thought)\b|"
                        r"^\W*(?:but |so )?only\b[^?]{0,30}\bthough\b", re.IGNORECASE)
CHALLENGE_SCORE = 0.8
LINKED_NEAR_SCORE = 0.6   # a follow-up answered by the one near answer the last one links to


def _holds_what_is_named(ctx: Context, entry_id: str) -> bool:
    """Whether an entry holds every subject a short message names (an acronym counting by its expansion)."""
    named = [t for t in ctx.index.query_tokens(ctx.corrected or ctx.text)[0]
             if t in ctx.index.postings or t in ctx.index.expansions]
    if not named:
        return False

    return all(_holds(ctx, entry_id, t) for t in named)


def _holds(ctx: Context, entry_id: str, token: str) -> bool:
    """Whether an entry holds a word, an acronym counting by its expansion ("PRU": "pupil referral unit")."""
    if entry_id in ctx.index.postings.get(token, {}):
        return True
    spelled = ctx.index.expansions.get(token, [])
    return bool(spelled) and all(entry_id in ctx.index.postings.get(x, {}) for x in spelled)


def _answered_again(ctx: Context, previous: str, score: float, evidence: str, lead: str = "") -> Interpretation:
    """The previous answer given again, for a follow-up it answers best (with a lead line saying what it was asked
    for, when given)."""
    entry = ctx.k.entries[previous]
    text = f"{lead}\n\n{entry.answer}" if lead else None
    return Interpretation("retrieval", score, f"{evidence}: {entry.id}", ctx.replies.entry(entry, confidence=score,
                                                                                          text=text),
                          memory={"entry": entry.id}, key=f"entry:{entry.id}")


# A follow-up that only changes a figure of the case the last answer's rules were asked about ("what about 2 days?",
# "and if it's only 10 hours a week?")
_CHANGED_FIGURE = re.compile(r"^\s*(?:(?:and|but|so|ok|okay)[,.]? )*(?:what about|how about|what if (?:it'?s|it is|it was|"
                             r"they do|he does|she does|they did|we do|we did)|if (?:it'?s|it is|it was)|and)?\s*"
                             r"(?:only |just |about |around )?(?:\d+(?:\.\d+)?|one|two|three|four|five|six|half(?: a)?)\s*"
                             r"(?P<unit>day|hour|session|week|morning|afternoon)s?"
                             r"(?: (?:a|per|each|every) (?:week|day|term))?\s*(?:instead|then|though)?\s*\??\s*$", re.IGNORECASE)
_HOW_OFTEN = re.compile(r"\bhow (?:often|frequently|regularly)\b|\bhow many times a (?:year|term|week|month)\b|"
                        r"\b(?:(?:change|changes|vary|varies|differ|differs) )?year (?:to|on|by) year\b|\b(?:is|are|does|do|will|would) "
                        r"(?:it|that|this|they|them) (?:get |be )?(?:reviewed|renewed|revised|updated|redone|reset|change|"
                        r"changed|topped up|paid) (?:\w+ ){0,2}(?:every|each|per|a) (?:year|term)\b", re.IGNORECASE)
# A short follow-up asking for one kind of detail, and how an answer gives that detail.
_DETAILS = {
    "length of time": (
        re.compile(r"\b(?:how long|for how long|over what (?:time ?)?(?:period|time ?frame|timescale)|over what time|"
                   r"over how long|within what (?:time|period)|in what (?:time|period)|(?:what|which) "
                   r"(?:time ?)?(?:period|time ?frame|timescale)|(?:un)?till? when|when does (?:it|that|this) "
                   r"(?:end|finish|stop|run (?:un)?till?)|(?:funded|running|run|last|lasts|go on) (?:for )?(?:un)?till?|up (?:un)?till? "
                   r"when|up to when|up to what (?:date|point|day))\b",
                   re.IGNORECASE),
        re.compile(r"\b(?:\d+|one|two|three|four|five|six|eight|ten|twelve) (?:school |calendar |rolling )?(?:days?|weeks?|"
                   r"months?|years?|terms?)\b|\buntil (?:\w+ )?(?:19|20)\d\d\b|\b(?:up to|until)(?: and including)? the "
                   r"(?:date|day|end|last)\b|\bshort[- ]term\b|\btime[- ]limit(?:ed)?\b|\bshortest time\b|\bend date\b",
                   re.IGNORECASE)),
    "reason": (
        re.compile(r"\b(?:what|which) (?:reasons?|circumstances|grounds|situations?|cases?)\b|\bwhat would (?:be|count as) "
                   r"(?:an? )?(?:valid|good|acceptable|ok|okay|allowed|proper)\b|\bwhen (?:is|would|could|can) (?:it|that|"
                   r"this|one) (?:be )?(?:ok|okay|allowed|acceptable|appropriate|justified|used)\b", re.IGNORECASE),
        re.compile(r"\b(?:for example|such as|e\.g\.|only (?:in|for|where|when)|circumstances where|because of)\b",
                   re.IGNORECASE)),
    "cost": (
        re.compile(r"\b(?:how much (?:is|are|does|do|would|will|to)|what (?:is|does) (?:it|the) cost|cost|fee|price)\b",
                   re.IGNORECASE),
        re.compile(r"£\s?\d")),
    "day": (
        re.compile(r"\b(?:from|by|on|after|before) (?:what|which) (?:school )?day\b|\bwhat day (?:does|do|must|should|has)\b|"
                   r"\bfrom when (?:do|does|must|should|will|would|has|have|is|are)\b|"
                   r"\bwhen (?:does|do|must|should|would|will|has) (?:\w+ ){1,3}(?:have to |need to |got to )?(?:kick in|start|"
                   r"begin|be (?:arranged|provided|in place))\b", re.IGNORECASE),
        re.compile(r"\b(?:first|second|third|fourth|fifth|sixth|\d+(?:st|nd|rd|th)) (?:consecutive |school )?day\b|"
                   r"\bday (?:\d+|one|two|three|four|five|six)\b", re.IGNORECASE)),
    "limit": (
        re.compile(r"\b(?:max|maximum|the most|upper limit|limit|cap|how many (?:can|could|is|are)|most (?:you|they|we|"
                   r"she|he) can|how many (?:days|sessions|weeks|hours) (?:can|could|may|do|does|are|is) (?:they|we|he|she|you|"
                   r"i|pupils|children|kids|families|the family|a pupil|a child) (?:have|take|get|be given|be allowed|use|book))\b",
                   re.IGNORECASE),
        re.compile(r"\b(?:no more than|not more than|at most|maximum|max|up to|limit(?:ed)? (?:of|to)|only (?:one|a single|1) "
                   r"(?:day|session|week)s?)\b", re.IGNORECASE)),
    "sameness": (
        re.compile(r"\b(?:(?:have|has|need|needs) to|must|should) (?:match|be (?:the )?same|be identical)\b|"
                   r"\bis (?:it|that) the same (?:for|in|at|on)\b", re.IGNORECASE),
        re.compile(r"\bthe same (?:for|in|at|on|across) (?:every|each|all)\b|\b(?:every|each) session\b", re.IGNORECASE)),
    "place it is set out in": (
        re.compile(r"\bwhere (?:do|does|must|should|would|will|has|have) (?:we|i|they|schools?|it|that|this|the \w+) "
                   r"(?:have to |has to |need to |needs to |got to )?(?:be )?(?:set|written|write|put|record|recorded|publish|"
                   r"published|state|stated|document|documented|include|included)\b|\bwhere (?:do|does|must|should|would|will) "
                   r"(?:\w+ ){1,2}(?:need|needs|have|has) (?:writing|putting|recording|setting out|publishing|documenting)\b",
                   re.IGNORECASE),
        re.compile(r"\b(?:set out in|written (?:in|into)|published (?:in|on))\b", re.IGNORECASE)),
    "ages": (
        re.compile(r"\b(?:what|which) (?:ages?|age (?:range|group)s?|year groups?)\b|\bage range\b|\bhow old\b|"
                   r"\bup to what age\b|\bfrom what age\b", re.IGNORECASE),
        re.compile(r"\b(?:compulsory school age|aged? \d+|\d+ to \d+|under[- ]\d+|over[- ]\d+|\d+[- ]year[- ]olds?)\b",
                   re.IGNORECASE)),
    "comparison": (
        re.compile(r"\b(?:how (?:does|do|did) (?:that|it|this|those|these|they|we|hampshire) (?:compare|stack up|measure "
                   r"up)|compared? (?:with|to)|comparison|versus|vs\.?|against) (?:the )?(?:national|england|nationally|"
                   r"average|rest of (?:the country|england))\b", re.IGNORECASE),
        re.compile(r"\b(?:national(?:ly)?|england|average)\b", re.IGNORECASE)),
    "whose agreement": (
        re.compile(r"\bwho (?:has to |needs to |must |should |gets to |have to )?(?:agrees?|signs?(?: it)? off|signs? up|"
                   r"consents?|approves?|says? yes)\b|\bcan (?:the )?(?:parents?|mum|dad|carers?|family) (?:say no|refuse|"
                   r"object|decline|veto|block)\b|\bdo(?:es)? (?:the )?(?:parents?|mum|dad|carers?) (?:have to|need to) "
                   r"(?:agree|consent|sign)\b", re.IGNORECASE),
        re.compile(r"\b(?:agreement|consent) of\b|\b(?:agreed|signed) (?:by|between) (?:both|the school|the parent)",
                   re.IGNORECASE)),
    "decision-maker": (
        re.compile(r"^\W*(?:(?:and|so|but|ok|okay)\W+)?(?:who|whose) (?:decides?|makes (?:the|that) (?:decision|call)|(?:has|gets) "
                   r"the (?:final )?say|(?:is it|'s it) up to|authori[sz]es? (?:it|that|this)|grants? (?:it|that|this))\b",
                   re.IGNORECASE),
        re.compile(r"\bdiscretion\b|\b(?:decides?|decided) (?:by|whether|if)\b|\bdecision (?:is|rests|lies)\b|\bup to the "
                   r"(?:head|headteacher|school|la|local authority)\b", re.IGNORECASE)),
    "phase": (
        re.compile(r"\b(?:first|second|next|1st|2nd|initial|opening) (?:phase|stage|tranche|wave)\b|\b(?:phase|stage) "
                   r"(?:1|one|2|two)\b", re.IGNORECASE),
        re.compile(r"\b(?:phase|stage) (?:1|one|2|two)\b|\b(?:first|initial) (?:phase|stage)\b", re.IGNORECASE)),
    "what comes later": (
        re.compile(r"\b(?:what'?s|whats|what is|what) (?:coming|planned|due|expected) (?:later|next|after (?:that|this)|"
                   r"in future|down the line)|\bwhat comes (?:later|after (?:that|this))|\bwhat else is (?:coming|planned)\b",
                   re.IGNORECASE),
        re.compile(r"\b(?:further (?:offers?|phases?|support)|later phases?|phase 2|in future|likely to include)\b",
                   re.IGNORECASE)),
    "whether in a row": (
        re.compile(r"\b(?:in a row|consecutive(?:ly)?|back to back|(?:all )?in one go|all at once|added up|add up|"
                   r"cumulative(?:ly)?|in total|altogether|spread out|bits and pieces)\b", re.IGNORECASE),
        re.compile(r"\b(?:consecutive|cumulative|in a row|any combination)\b", re.IGNORECASE)),
    # how often: a set frequency ("each term") where one is given, else "regularly"
    "frequency": (
        _HOW_OFTEN,
        re.compile(r"\b(?:half[- ]termly|termly|weekly|monthly|annual(?:ly)?|yearly|each (?:term|year|half[- ]term)|every "
                   r"(?:\w+ )?(?:days?|weeks?|months?|terms?|years?|half[- ]terms?)|at least (?:once|every|half)|once a|"
                   r"twice a)\b", re.IGNORECASE)),
    "regularity": (_HOW_OFTEN, re.compile(r"\bregular(?:ly)?\b", re.IGNORECASE)),
    "part of the guidance": (
        re.compile(r"\b(?:which|what) (?:bits?|parts?|paragraphs?|paras?|sections?|chapters?|pages?)\b(?! of (?:the )?(?:day|"
                   r"week|term|year|timetable|register))|\bwhere in (?:the|it|that|this|kcsie)\b|\bparagraph numbers?\b",
                   re.IGNORECASE),
        re.compile(r"\b(?:paragraphs?|paras?) \d+", re.IGNORECASE)),   # (not an Act's "section 444")
    "date": (
        # asked on its own ("since when?"): "since when has the census collected that?" names its own subject
        re.compile(r"^\W*(?:and |so |ok )?(?:since when|from when|(?:what|which) year|when was (?:that|it|this)|"
                   r"when (?:did|does) (?:that|it|this|they) (?:come out|get published|go live)|how (?:recent|"
                   r"up to date|old) (?:is|are) (?:that|it|this|the figures?))\W*$", re.IGNORECASE),
        re.compile(r"\b(?:19|20)\d\d\b")),
}
TOLD_MORE_WORDS = 8       # a statement this short after an answer tells more of its subject
# a message that asks something: a question mark, or a question's first word
_ASKS_ANYTHING = re.compile(r"\?|^\W*(?:(?:and|so|but|ok|okay)\W+)?(?:who|what|whats|how|which|when|where|why|can|could|do|"
                            r"does|did|is|are|should|would|will|must|has|have|any)\b", re.IGNORECASE)
# ... told as a statement ("the farm has tractors"), not a phrase asked on its own ("canteen opening hours")
_TELLS = re.compile(r"\b(?:has|have|had|is|are|was|were|got|gets|uses|runs|does|did|goes|went)\b|\w'(?:s|re)\b",
                    re.IGNORECASE)
DETAIL_WORDS = 8          # a follow-up this short asks for the detail of the subject just answered
# "going back to the reviews, ...": the subject returned to, said before what is asked of it
_RETURNING_TO = re.compile(r"^\W*(?:(?:ok|so|and|right|sorry)\W+)?(?:going |go |coming |come )?back to [^,?.]{1,40}[,.:-]\s*",
                           re.IGNORECASE)
# details asked in so many words that a close reading elsewhere does not outweigh them
_ASKED_IN_SO_MANY_WORDS = ("day", "part of the guidance")
SPECIFIC_DETAIL_WORDS = 12   # ... and this short when it asks the day something starts in so many words
DETAIL_SCORE = 0.6        # ... answered with the previous answer again, when it gives that detail


def _detail_asked(ctx: Context, previous) -> str | None:
    """The kind of detail a short follow-up asks of the previous answer ("over what time period?"), when that answer
    gives it, or None."""
    words = len(_RETURNING_TO.sub("", ctx.text).split())   # ("going back to the reviews, how often?" asks 2 words)
    if previous.kind == "glossary" or words > (SUPPOSING_WORDS if _SUPPOSING.match(ctx.text) else SPECIFIC_DETAIL_WORDS):
        return None
    if words > DETAIL_WORDS and not _SUPPOSING.match(ctx.text) and _HOW_OFTEN.search(ctx.text) \
            and len(_frequency_subject(ctx)) >= OFTEN_SUBJECT_WORDS:
        # longer, but asking how often of something it names that the last answer says is done at set times or
        # regularly ("how often am I supposed to be sharing info with schools?")
        return _frequency_asked(ctx, previous)[0]
    if words > DETAIL_WORDS and not _SUPPOSING.match(ctx.text):
        # longer, but asking in so many words when something starts ("when does education actually have to be in
        # place for him?") or which part of the guidance says it: that detail of the last answer
        return next((name for name in _ASKED_IN_SO_MANY_WORDS if _DETAILS[name][0].search(ctx.text)
                     and _detail_giver(ctx, previous, _DETAILS[name][1]) is not None), None)
    sits = place_asked(ctx.text)
    thing = [t for t in ctx.index.query_tokens(sits)[0]
             if t in ctx.index.postings] if sits and previous.kind == "answer" else []
    if thing and all(_holds(ctx, previous.id, t) for t in thing):
        return "place in it"   # "where do the unregistered providers sit?" after a model that places them
    if _HOW_OFTEN.search(ctx.text):
        return _frequency_asked(ctx, previous)[0]
    return next((name for name, (asks, gives) in _DETAILS.items()
                 if asks.search(ctx.text) and _detail_giver(ctx, previous, gives, name) is not None), None)


def _detail_source(ctx: Context, previous, detail: str) -> str | None:
    """The answer that gives the kind of detail _detail_asked found: the previous one or one it links to."""
    if detail in ("frequency", "regularity"):
        return _frequency_asked(ctx, previous)[1]
    return _detail_giver(ctx, previous, _DETAILS[detail][1], detail) if detail in _DETAILS else previous.id


def _frequency_asked(ctx: Context, previous) -> tuple[str | None, str | None]:
    """How often, asked of the last answer: the kind of frequency and the answer giving it for what is asked about (a
    set frequency said of it there, or in the one answer linked to that says one; else "regularly" there), or None."""
    subject = _frequency_subject(ctx)
    linked = _linked_answers(ctx, previous)
    if _said_near(previous.answer, _DETAILS["frequency"][1], subject):
        return "frequency", previous.id
    setting = [e.id for e in linked if _said_near(e.answer, _DETAILS["frequency"][1], subject)]
    if len(setting) == 1:
        return "frequency", setting[0]   # ("how often should we visit?" after the checks: a visit each term)
    if _said_near(previous.answer, _DETAILS["regularity"][1], subject):
        return "regularity", previous.id
    return None, None


def _frequency_subject(ctx: Context) -> set[str]:
    """What "how often" is asked of: the message's title words, "how often" itself left out."""
    asked = _HOW_OFTEN.sub(" ", ctx.corrected or ctx.text)
    return {t for t in ctx.index.query_tokens(asked)[0] if t in ctx.index.title_words}


OFTEN_SUBJECT_WORDS = 2   # a longer "how often" names at least this much of what it asks about
FREQUENCY_WINDOW = 6   # a frequency this many words from what is asked about is said of it
_SPACE = re.compile(r"\s")


def _said_near(text: str, pattern: re.Pattern, subject: set[str]) -> bool:
    """Whether a text says the pattern of the subject: within a few words of one of its words (anywhere, when the
    question names nothing)."""
    found = [len(_SPACE.findall(text, 0, m.start())) for m in pattern.finditer(text)]   # (as word positions)
    if not found or not subject:
        return bool(found)
    at = [i for i, w in enumerate(_SPACE.split(text)) if stem(re.sub(r"\W", "", w.lower())) in subject]
    return any(abs(a - f) <= FREQUENCY_WINDOW for a in at for f in found)


def _detail_giver(ctx: Context, previous, gives: re.Pattern, name: str = "") -> str | None:
    """The answer giving a detail asked of the previous one: that answer itself, or else the one answer it links to
    that gives it ("how much would they pay?" after the threshold: the amounts it links to). After a code, who must
    agree is asked of the guidance around it, never the code again."""
    if gives.search(previous.answer) and not (name == "whose agreement" and previous.kind != "answer"):
        return previous.id
    linked = [e.id for e in _linked_answers(ctx, previous) if gives.search(e.answer)]
    return linked[0] if len(linked) == 1 else None


def _linked_answers(ctx: Context, entry) -> list:
    """The guidance answers (not codes or glossary terms) an entry links to."""
    return [ctx.k.entries[i] for i in entry.see if i in ctx.k.entries and ctx.k.entries[i].kind == "answer"]


# Questions that ask for something other than a mark ("what should I ask the school", "who do I tell", "how often"):
# a coding situation that reads alike is then less likely to be what is wanted.
_ASKS_OTHER = re.compile(r"\b(?:what (?:should|do|can|must|would) (?:i|we|you) (?:be )?(?:ask(?:ing)?|request(?:ing)?|"
                         r"check(?:ing)?|need|send(?:ing)?|look(?:ing)? for|put(?:ting)? in place)|who (?:should|do|can|must|would|has to|needs? to|decides|agrees)|how "
                         r"(?:often|long|much)|what (?:information|info|evidence|documents?|support|help)|(?:is|are) "
                         r"(?:an? |the )?\w+(?: \w+)? (?:classed|classified|counted|considered|regarded|treated) as|"
                         r"^\W*(?:is|are|can) (?:an? |the |we |i |schools? )?(?:\w+[- ]?){1,3} (?:allowed|permitted|legal|lawful)|"
                         r"\b(?:can|could|may|would|will) (?:the |a |our |your )?(?:head(?:teacher| teacher)?|heads|school|"
                         r"we|i)(?: in \w+)? (?:legally |even |actually )?(?:authori[sz]e|approve|agree|grant|refuse|allow|"
                         r"say yes|sign (?:it )?off))\b",
                         re.IGNORECASE)
ASKS_OTHER_WEIGHT = 0.85
_PRONOUN = re.compile(r"\b(?:it|this|that|them|those|these|they)\b", re.IGNORECASE)
# ... of which these stand for something told ("can it be the only place?"), not people asked ("what do I ask them?")
_STANDS_FOR_TOLD = re.compile(r"\b(?:it|this|that|those|these)\b", re.IGNORECASE)
# "these days", "this year": when the question is asked, not a thing of the story it points back to
_WHEN_SAID = re.compile(r"\b(?:these days|this (?:year|term|week|morning|afternoon)|at this (?:point|stage))\b",
                        re.IGNORECASE)


def _with_context(ctx: Context, previous, matches: list[Match]) -> tuple[list[Match], str]:
    """Re-rank a follow-up in the previous answer's setting: "it" resolved to the previous subject, "and X?" read as X,
    otherwise the previous title added; its links and topic are likelier, walk-throughs are not (a follow-up wants an
    answer), and the previous answer again only if it has the words newly asked. Returns the ranking and the
    question as resolved (for the second opinion)."""
    related = set(previous.see) | ctx.k.linked_from.get(previous.id, frozenset())
    # what "it" stands for: a glossary term's expansion, or the subject before a title's colon ("Penalty notices:
    # the national threshold" is about penalty notices), or the whole title
    head, _, tail = previous.title.partition(": ")
    subject = (tail if previous.kind in ("glossary", "code") else head) if tail else previous.title
    # "Rules for part-time (reduced) timetables": "it" is the timetable, not the rules or the other name in brackets
    subject = re.sub(r"\s*\([a-z][^)]*\)", "", _GENERIC_TAIL.sub("", _GENERIC_HEAD.sub("", subject))).strip() or subject
    # ("what should I ask them about it?": "about it" is the subject, "them" whoever is asked)
    refers = _REFERS_ABOUT.search(ctx.text) or _REFERS_BACK.search(ctx.text)
    # "what should I ask about it?" is read as "what should I ask about <the previous subject>?"
    query = (ctx.text[:refers.start()] + _STANDS_FOR.sub(subject, refers.group(0), count=1) + ctx.text[refers.end():]
             if refers else f"{ctx.text} {previous.title}")
    new_subject = None if refers else _AND_NEW.match(ctx.text)
    if new_subject:
        # "and SA?": the new subject on its own leads; the previous answer's setting only breaks ties
        query = new_subject.group(1)
    if (previous.kind in ("code", "scenario") or refers) and not new_subject:
        # "it" stands for the subject, or the question follows a code ("who has to agree to it?"): every code shares
        # one topic and a code's own title says nothing of what is newly asked
        # news of the same case ("its been extended, now 8 days. when ...?") is asked of the case: its subject is added
        told = f"{ctx.text} {subject}" if previous.kind in ("code", "scenario") and _SUPPOSING.match(ctx.text) else ctx.text
        out = _near_subject(ctx, previous, related, matches, query if refers else told)
        return sorted(out, key=lambda m: m.score, reverse=True), query if refers else (ctx.corrected or ctx.text)
    found = ctx.index.search(query, limit=FOLLOW_POOL)
    # "and the review one?": the previous answer is a candidate too, when it holds what is newly asked
    combined = _best_of(matches, _rank(ctx, found[:10] + [m for m in found[10:] if m.id == previous.id]))
    # "what if he's on reduced hours?" after a social worker's question: that subject's own entry on the new words may
    # sit below several general ones on the words alone
    own = ctx.index.search(ctx.corrected or ctx.text, limit=FOLLOW_POOL)[len(matches):]
    combined = _best_of(list(combined.values()), _rank(ctx, [
        m for m in own if m.id in ctx.k.entries and ctx.k.entries[m.id].kind not in ("glossary", "code", "scenario")
        and (m.id in related or (previous.topic and ctx.k.entries[m.id].topic == previous.topic))]))
    # "who'd be in a TAC for her?": the one guidance an acronym's term points to speaks for it, as well as it was asked
    # (after an acronym's meaning, "and NEET?" asks the next acronym's meaning)
    typed = {ctx.k.glossary_terms[w] for w in ctx.index.normaliser.words(ctx.text) if w in ctx.k.glossary_terms} \
        if previous.kind != "glossary" else set()
    combined = _best_of(list(combined.values()), [
        Match(ctx.k.entries[m.id].see[0], m.score, m.coverage, m.similarity) for m in combined.values()
        if m.id in typed and m.id != previous.id and len(ctx.k.entries[m.id].see) == 1
        and ctx.k.entries[m.id].see[0] in ctx.k.entries and ctx.k.entries[m.id].see[0] != previous.id])
    words = [t for t in ctx.index.query_tokens(ctx.corrected or ctx.text)[0] if not t[0].isdigit()]
    # (a figure alone, "he's 17", asks nothing of the guidance; an acronym, "in a TAC?", names a subject of its own)
    few_words = 1 <= len(words) <= FEW_WORDS and not any(t in ctx.k.glossary_terms for t in words)
    # ... nor do words that several answers match equally well ("on reduced hours?": every part-time timetable entry)
    few_words = few_words or _tied(ctx, matches)
    why_asked = bool(_WHY_ASKED.match(ctx.text))
    code_asked = bool(_CODE_ASKED.search(ctx.text))
    out = []
    for mid, m in combined.items():
        if mid in ctx.k.trees:
            continue
        e = ctx.k.entries[mid]
        if mid == previous.id and new_subject and _has_asked_words(ctx, mid, every=True):
            bonus = RELATED_BONUS * 4   # "and the review one?" when the last answer covers that one too
        elif mid == previous.id:   # the same answer again only when it has the words newly asked
            bonus = 0.0 if _has_asked_words(ctx, mid, every=why_asked, rarest=not why_asked) else -2 * RELATED_BONUS
        elif mid in related or (e.topic and e.topic == previous.topic and e.kind != "glossary"):
            # "what about X?" asks about X in the same setting; a question of a word or two ("how are the sessions
            # coded?") says too little to leave it
            bonus = RELATED_BONUS * (3 if new_subject or few_words else 1)
        elif e.kind in ("code", "scenario") and previous.kind not in ("code", "scenario"):
            bonus = -2 * RELATED_BONUS   # a follow-up on guidance is rarely about coding a session
        elif e.kind == "glossary" and previous.kind != "glossary":
            bonus = -RELATED_BONUS       # ... or about what an acronym stands for (asked outright, that is the glossary's)
        else:
            bonus = 0.0
        if why_asked and mid != previous.id and _GIVES_REASONS.search(e.title):
            bonus += RELATED_BONUS   # "why does X matter?": the guidance that gives the reasons
        elif not why_asked and mid != previous.id and _GIVES_REASONS.search(e.title):
            bonus -= RELATED_BONUS   # ... which says less than the guidance itself to anything else asked
        if code_asked and mid in related and e.codes and e.kind == "answer":
            bonus += RELATED_BONUS   # "which code do they use for it?": the coding guidance the last answer links to
        out.append(replace(m, score=round(m.score + bonus, 4)))
    # the second opinion reads the question as resolved ("it" replaced, or the new subject), never with the previous
    # title appended, which would only pull it back to the previous answer
    return sorted(out, key=lambda m: m.score, reverse=True), query if new_subject else \
        (ctx.corrected or ctx.text)


# A follow-up asking which code to use ("what code are they meant to use for the sessions she's not in?")
_CODE_ASKED = re.compile(r"\b(?:what|which) (?:code|mark)s?\b|\bhow (?:do|does|should|would|are|is) (?:we|they|you|i|(?:the )?schools?) "
                         r"(?:code|mark|record)\b", re.IGNORECASE)


# Words heading a title that say what kind of guidance it is, not what it is about.
# ... or ending it ("Youth Justice Prevention referral criteria": "it" is the referral, not its criteria)
_GENERIC_TAIL = re.compile(r" (?:rules|guidance|criteria|checklist|checks|steps|duties|advice)$", re.IGNORECASE)
_GENERIC_HEAD = re.compile(r"^(?:(?:the )?(?:rules|guidance|criteria|checks|steps|duties|advice)(?: (?:for|on|about|when|"
                           r"around|before))? )", re.IGNORECASE)


def _in_neighbourhood(ctx: Context, previous) -> list[Match]:
    """A follow-up answered from the previous answer's own subject ("who manages it?", "how far back can the concerns
    go?"): the entries on that subject (the previous one, its links, its topic) that hold the words newly asked,
    anywhere in their text, scored by how much of the question they hold."""
    asked = [t for t in ctx.index.query_tokens(ctx.corrected or ctx.text)[0] if t not in _NEXT_ONLY]
    if _ADDITION.search(ctx.text):   # "... as well, anything extra?": the added fact is in the subject words
        asked = [t for t in asked if t in ctx.index.title_words] or asked
    # words of the knowledge's titles say what is asked about; the others mostly how it is asked ("put", "go")
    weights = {t: ctx.index.idf.get(t, ctx.index.unknown_idf) * (1.0 if t in ctx.index.title_words else ASKING_WORD)
               for t in asked}
    total = sum(weights.values())
    if not asked or total <= 0:
        return []
    related = set(previous.see) | ctx.k.linked_from.get(previous.id, frozenset()) | {previous.id}
    out = []
    for entry in ctx.k.entries.values():
        if entry.kind == "glossary" or not (entry.id in related or (previous.topic and entry.topic == previous.topic)):
            continue
        held = [t for t in asked if entry.id in ctx.index.postings.get(t, {})]
        share = sum(weights[t] for t in held) / total
        if share >= NEIGHBOUR_SHARE and any(weights[t] >= NEIGHBOUR_IDF for t in held):
            # words in its title or phrasings count fully, in its answer less; an entry the previous answer links to
            # is nearer than one that only shares its topic
            strength = sum(weights[t] * min(1.0, ctx.index.postings[t][entry.id]) for t in held) / total
            score = round(NEIGHBOUR_BASE + NEIGHBOUR_SPAN * strength + (RELATED_BONUS if entry.id in previous.see else 0),
                          4)
            out.append(Match(entry.id, score, round(share, 4), 0.0))
    return out


def _near_subject(ctx: Context, previous, related: set[str], matches: list[Match], query: str) -> list[Match]:
    """A short question about the previous subject ("what should I ask about it?", or any question after a code):
    each candidate must match what is asked, and counts fully only as near the subject as it is (linked, or alike)."""
    # the words as typed, and as resolved when "it" was replaced: nearness to the subject then decides
    # (a code is judged on the words as typed: with "it" resolved to the code's meaning, it would match itself)
    resolved = [m for m in _rank(ctx, ctx.index.search(query, limit=SUBJECT_POOL))
                if m.id != previous.id or previous.kind not in ("code", "scenario")]
    asked_words = _best_of(resolved, matches)
    about = " ".join([previous.title, *previous.keywords])
    near = {m.id: m.score for m in ctx.index.search(about, limit=SUBJECT_POOL)}
    same_code = previous.kind in ("code", "scenario") and bool(previous.codes) and not INTENT.search(ctx.text)
    why_asked = bool(_WHY_ASKED.match(ctx.text))
    out = []
    for mid, m in asked_words.items():
        if mid in ctx.k.trees:
            continue
        e = ctx.k.entries[mid]
        if mid == previous.id:
            # the same answer again only when it has the words newly asked ("how is it coded?")
            nearness = 1.0 if _has_asked_words(ctx, mid, rarest=True) else SAME_WITHOUT_WORDS
        elif same_code and e.kind in ("code", "scenario") and e.codes[:1] == previous.codes[:1]:
            nearness = SAME_WITHOUT_WORDS   # the code just given, again, does not answer a question asked of it
        elif mid in related:
            nearness = 1.0
        else:
            nearness = min(1.0, near.get(mid, 0.0))
        score = m.score * (SUBJECT_FLOOR + (1 - SUBJECT_FLOOR) * nearness)
        if why_asked and mid != previous.id and _GIVES_REASONS.search(e.title):
            score += RELATED_BONUS   # "why is X on that list?": the guidance that gives the reasons
        if mid == previous.id and previous.kind == "answer" and _IN_IT.search(ctx.text) and _has_asked_words(ctx, mid):
            score += 2 * RELATED_BONUS   # "where does X sit in that?": inside the guidance just given, which holds X
        out.append(replace(m, score=round(score, 4)))
    return out


# A pronoun for the last answer as the place something is looked for ("where does X sit in that?", "is X in it?").
_IN_IT = re.compile(r"\b(?:in|within|inside|into|under|on) (?:it|that|this|there|them|those)\s*\??\s*$", re.IGNORECASE)


STAYS_ON_SUBJECT = 0.03    # after an answer, how much likelier an answer on its subject is than another
SUBJECT_TIE = 0.02         # in a follow-up, a lead this small over an answer on the subject under discussion is a tie
COMMON_IDF = 2.0          # a word found in this many entries (idf below this) says little of what is asked
TIED = 3                  # this many answers equally close on the words alone: the words do not decide between them


def _tied(ctx: Context, matches: list[Match]) -> bool:
    """Whether several guidance answers match the words alone equally well (the setting must decide)."""
    guidance = [m for m in matches if m.id in ctx.k.entries and ctx.k.entries[m.id].kind == "answer"]
    return len(guidance) >= TIED and guidance[0].score - guidance[TIED - 1].score < 0.001


def _best_of(*rankings: list[Match]) -> dict[str, Match]:
    """Each candidate once, with its best score across several readings of a message."""
    best: dict[str, Match] = {}
    for ranking in rankings:
        for m in ranking:
            if m.id not in best or best[m.id].score < m.score:
                best[m.id] = m
    return best


def _has_asked_words(ctx: Context, entry_id: str, every: bool = False, rarest: bool = False) -> bool:
    """True when the entry has one of the words the message newly asks, all of them when `every`, or the rarest of
    those that name subjects when `rarest` (or the message has none the knowledge uses)."""
    asked = [t for t in ctx.index.query_tokens(ctx.corrected or ctx.text)[0] if t in ctx.index.postings]
    titled = [t for t in asked if t in ctx.index.title_words]   # (words of titles name subjects; others ask)
    if rarest and titled:
        asked = [max(titled, key=lambda t: ctx.index.idf.get(t, 0.0))]
    if every:
        # ("each time he moves placement?": a word as common as "time" names nothing the answer must hold)
        asked = [t for t in asked if ctx.index.idf.get(t, 0.0) >= COMMON_IDF] or asked
    return not asked or (all if every else any)(entry_id in ctx.index.postings[t] for t in asked)


# "why does the lateness bit matter?": a reason asked of something the last answer named; that answer again is no
# answer unless it holds every word asked
_WHY_ASKED = re.compile(r"^\s*(?:and |but |so |ok,? )?why\b", re.IGNORECASE)
_GIVES_REASONS = re.compile(r"\b(?:why|reasons?|matters?)\b", re.IGNORECASE)


# Who is asking ("new designated teacher here", "I'm a social worker"): not what the question is about.
_INTRODUCTION = re.compile(r"^\W*(?:(?:hi|hello|hey|morning|afternoon)\W+)?(?:(?:i'?m|i am|as|speaking as) )?(?:an? |the )?"
                           r"(?:new |newly appointed |trainee |acting )?(?:[a-z]+ ){0,3}?(?:here|speaking)\b|"
                           r"\b(?:i'?m|i am) (?:an? |the )(?:new |trainee |acting )?(?:[a-z]+ ){0,3}?(?:at|in|for|from) "
                           r"(?:an? |the |our )?(?:[a-z]+ ){0,3}?(?:school|academy|college|team|service|council)\b|"
                           # "..., SW here": who is asking, said at the end
                           r"[,.;:–-]\s*(?:(?:i'?m|i am) )?(?:an? |the )?(?:[a-z]+ ){0,2}?(?:sw|social worker|dsl|senco|"
                           r"teacher|head|headteacher|dt|officer|lead|manager|worker|nurse|practitioner|governor|"
                           r"tutor|ta|lsa) (?:here|speaking)\W*$",
                           re.IGNORECASE)


# A name written with a capital inside a sentence ("in Fareham", "the Turnaround scheme"): a place or programme.
_NAMED = re.compile(r"\b[A-Z][A-Za-z0-9]+")


def _search(ctx: Context) -> list[Match]:
    """Search the whole message, and the question in it read on its own (with the rare, telling words of the situation
    around it, such as a place): a long story around a short question otherwise drowns the question."""
    # who is asking ("designated teacher here") is not what they ask about
    # "a plan like a PEP for adopted kids" asks about a plan for adopted children: the PEP is a comparison
    unintroduced = _unplaced(ctx, _INTRODUCTION.sub(" ", _ANALOGY.sub(" ", without_asides(ctx.text))))
    # a holiday told without the word ("fly to orlando while it's cheap") is what the question is about
    told = _told_words(ctx)
    whole = ctx.index.search(" ".join([unintroduced if ctx.index.query_tokens(unintroduced)[0] else ctx.text, *told]),
                             limit=8)
    part = asked_part(ctx.text)
    first = _FIRST_ASKED.match(ctx.text)
    asked_first = bool(part and _PRONOUN.search(part) and first and part not in first.group(0))
    if asked_first:
        # "what's Turnaround? is it the same as the prevention team?": the first question names what "it" is, and
        # what follows asks more of it (no situation around it)
        part = first.group(1)
    if part and _SOCIAL_WORKER_ASKING.search(ctx.text) and not _SOCIAL_WORKER_ASKING.search(part):
        part_read = f"{part} social worker"   # who asks says what "what should I ask the school for?" is about
    else:
        part_read = part
    part_read = _unplaced(ctx, part_read) if part_read else part_read   # (where it is asked from, left out as above)
    # a question that says little itself ("who can support him?") is read with what the situation implies ("gets his
    # sister ready and sorts mum's meds": a young carer); one that says nothing ("can she?") is not read alone
    situation = _INTRODUCTION.sub(" ", ctx.text.replace(part, " ", 1)) if part and not asked_first else ""
    implied = [*ctx.index.implied(situation), *told] if part else []
    says_something = bool(part) and bool(ctx.index.query_tokens(part)[0])
    # (a question with "it" in it leans on the story, unless its own words name a subject: "can the young carers
    # service help with mum's needs or is it just the kid's?")
    # ("... a nightmare behaviour wise. allowed?": a question of one or two words asks it of the whole story)
    pointing = _WHEN_SAID.sub(" ", _ABOUT_THIS_TOO.sub("", part)) if part else ""   # ("these days" points at no story)
    if part and len(part) < len(ctx.text) and len(part.split()) >= MIN_PART_WORDS and (not _STANDS_FOR_TOLD.search(pointing) or asked_first or (
            not _DEMONSTRATIVE.search(pointing) and sum(ctx.index.idf.get(t, 0.0) for t in ctx.index.query_tokens(part)[0]
                                                    if t in ctx.index.title_words) >= PRONOUN_SUBJECT)) and \
            sum(ctx.index.idf.get(t, 0.0) for t in ctx.index.query_tokens(
                " ".join([part_read, *(implied if says_something else [])]))[0]) >= PART_WEIGHT:
        named = {m.group(0).lower() for m in _NAMED.finditer(situation)}
        telling = [w for w in ctx.index.normaliser.words(situation) if (stem(w) in ctx.index.title_words or w in named)
                   and ctx.index.idf.get(stem(w), 0.0) >= TELLING_IDF] if not _asks_the_general(ctx.text) else []
        if _place_is_detail(ctx):
            telling = [w for w in telling if not _is_rare_name(ctx.index, w)]   # where it is asked from
        if _WHAT_IS.match(part):
            telling = [w for w in telling if w not in named]   # "what is X? (the TAC mentioned it)" is about X alone
        # read with the situation's rare title words; and, when that reading clearly answers it, with only its names:
        # many such words can drown the question
        alone = ctx.index.search(" ".join([part_read, *telling, *implied]), limit=8)
        alone_named = _keeping_the_reason(ctx, ctx.index.search(
            " ".join([part_read, *(w for w in telling if w in named), *implied]), limit=8), telling)
        subject = sum(ctx.index.idf.get(t, 0.0) for t in ctx.index.query_tokens(part_read)[0]
                      if t in ctx.index.title_words)
        if not alone_named or alone_named[0].score < ctx.settings.confident_score or subject < PART_WEIGHT \
                or len(ctx.text.split()) < DROWNING_WORDS:
            alone_named = []   # ... and the question names its subject ("a young carer"), not only how it asks
        if not any(m.score >= ctx.settings.confident_score for m in alone + alone_named) and not INTENT.search(part) \
                and not ctx.memory:
            # the situation's words only got in the way ("what's Turnaround? came up at a TAC meeting in
            # Eastleigh"): the question on its own (a code asked for, or anything after an answer, still rests on
            # what was said)
            bare = _keeping_the_reason(ctx, ctx.index.search(part_read, limit=8), telling)
            reason = _reasons_told(ctx, telling)
            if bare and bare[0].score >= ctx.settings.decisive_score and (
                    not reason or any(_holds(ctx, bare[0].id, r) for r in reason)):
                alone = alone + bare   # ... when that alone answers it clearly, and not of another reason than told
        whole = list(_best_of(whole, _capped_in_order(alone + alone_named)).values())
    elif part and len(part) < len(ctx.text) and not asked_first and _ABOUT_THE_TOLD.search(part) \
            and not _asks_the_general(ctx.text):
        # "... senco wants him on a part time timetable. what are the rules on these?": what "these" stands for is
        # in the situation's title words, read with the question (and the rest of the story left out)
        telling = [t for t in ctx.index.query_tokens(situation)[0] if t in ctx.index.title_words
                   and ctx.index.idf.get(t, 0.0) >= STANDS_FOR_IDF and not _is_rare_name(ctx.index, t)]
        if telling:
            found = ctx.index.search(" ".join([part_read, *telling]), limit=8)
            whole = list(_best_of(whole, _capped_in_order(found)).values())
    # (the reason told now, or of the case under discussion: "is it even allowed?" after a reduced timetable)
    reason_words = _TOLD_REASONS.get(ctx.facts.get("reason") or (ctx.memory.get("facts") or {}).get("reason") or "")
    if part and reason_words and RULES_QUESTION.search(part) and _names_nothing_but(ctx, part, RULES_QUESTION):
        # "(he's on mornings only) is that ok?": a rules question that names nothing asks the rules on what is told
        found = _capped_in_order([m for m in ctx.index.search(f"rules on {reason_words}", limit=8)
                                  if m.id in ctx.k.entries and ctx.k.entries[m.id].kind == "answer"])
        whole = list(_best_of(whole, found).values())
    term = _TERM_MET.search(ctx.text)
    if term and (_MEANING_ASKED.search(part or ctx.text) or (part and _WHAT_THEY_ARE.match(part))):
        # "she used the phrase 'micro-transitions'... what did she mean": the term met is what is asked about
        named_term = next(g for g in term.groups() if g)
        found = _capped_in_order(ctx.index.search(f"what is {named_term}", limit=8))
        whole = list(_best_of(whole, found).values())
    return sorted(whole, key=lambda m: m.score, reverse=True)[:8]


def _reasons_told(ctx: Context, telling: list[str]) -> list[str]:
    """The telling words of a story that name a reason for absence ("suspension"), as stems."""
    return [stem(w) for w in telling if ctx.reader.values("reason", w)]


def _keeping_the_reason(ctx: Context, found: list[Match], telling: list[str]) -> list[Match]:
    """A question read without its story, unless a near reading holds the reason the story tells ("got a 10 day
    suspension ... who has to provide education?": the suspension, not providers in general): then those readings."""
    reason = _reasons_told(ctx, telling)
    if not reason or not found or any(_holds(ctx, found[0].id, r) for r in reason):
        return found
    return [m for m in found if any(_holds(ctx, m.id, r) for r in reason)
            and m.score >= found[0].score - NEAR_READING] or found


def _told_words(ctx: Context) -> list[str]:
    """The word the knowledge files a reason under, when the message tells the reason without it ("fly to orlando
    while it's cheap": holiday)."""
    return [words for reason, words in _TOLD_REASONS.items() if ctx.facts.get("reason") == reason
            and re.split(r"[- ]", words)[0] not in ctx.text.lower()]


# Reasons the facts read in everyday words, and the word the knowledge files them under
_TOLD_REASONS = {"holiday": "holiday", "part-time": "part-time timetable"}


MIN_PART_WORDS = 2   # a question part read on its own has at least this many words


# "something like a PEP for ...", "an equivalent of the PEP for ...": what is compared with, not what is asked about
_ANALOGY = re.compile(r"\b(?:(?:a bit |sort of |kind of )?like|similar to|equivalent (?:of|to)|the same as|a version of) "
                      r"(?:an? |the )(?:\w+)(?= (?:but )?for\b)", re.IGNORECASE)


# "what are the rules on these?": a question ending on what the situation before it told
_ABOUT_THE_TOLD = re.compile(_ABOUT + r"(?:these|those|this|that|them|it)\W*$", re.IGNORECASE)
# "what counts as registered AP and is this one?": a general question, then whether the case told is one
_ABOUT_THIS_TOO = re.compile(r",? (?:and|but|or) (?:is|does|would|will|could|can|should) (?:this|that|it|he|she|they)"
                             r"(?: one| place| provision| provider)?\b[^?]{0,30}\??\s*$", re.IGNORECASE)


# "... the LA's 'key objectives' for using AP ... what are they?": what the quoted term names is asked for
_WHAT_THEY_ARE = re.compile(r"^\W*(?:so |and |ok )?(?:what(?:'s| is| are)|whats|where (?:are|is|do i find)|can you (?:list|"
                            r"tell me)) (?:they|them|it|those|these|that)\W*$", re.IGNORECASE)


def _capped_in_order(found: list[Match]) -> list[Match]:
    """A part of the message read on its own, its scores shared down to PART_CAP without tying at the cap: the best
    reading of the term asked about still leads the others."""
    top = max((m.score for m in found), default=0.0)
    scale = min(PART_SHARE, PART_CAP / top) if top else PART_SHARE
    return [replace(m, score=round(m.score * scale, 4)) for m in found]


# "should I put that on the form?": a word pointing at what was told, which the question cannot do without
_DEMONSTRATIVE = re.compile(r"\b(?:that|this|those|these)\b(?! (?:\w+ )?(?:is|are|was|were|has|have)\b)", re.IGNORECASE)
# A title answering only why ("Why each item on the checklist matters", not "Why young carers are hidden, and what
# they ask of professionals")
_WHY_TITLE = re.compile(r"^why\b(?!.*\b(?:what|how|who|when|where|which)\b)", re.IGNORECASE)
# A question asking why, or the point of something ("what's the point asking about suspensions?")
_ASKS_WHY = re.compile(r"\bwhy\b|\bwhat'?s the (?:point|reason|use)\b|\b(?:does|do|would|will) (?:it|that|they|this|those) "
                       r"(?:even |really |actually )?matter\b|\bmatters?\b|\bimportan\w*\b|\bpurpose\b|\bbother\b",
                       re.IGNORECASE)
def _put_first(ctx: Context, matches: list[Match], chosen: Match) -> list[Match]:
    """The candidates with the chosen one first, at the leader's score, and the others a clear gap below it."""
    lead = matches[0].score
    return [replace(chosen, score=lead)] + [replace(m, score=round(min(m.score, lead - ctx.settings.minimum_gap), 4))
                                            for m in matches if m.id != chosen.id]


STORY_WORDS = 6   # a story around a question has at least this many words


def _question_agrees(ctx: Context, found: str) -> bool:
    """True when the question asked within a longer message, complete on its own, puts the same guidance answer first
    by BM25 too: the story around it ("dad keeps taking the kids out odd days") then does not overturn it ("when does a fine
    have to be considered?" is the threshold, not the amounts)."""
    part = asked_part(ctx.text)
    entry = ctx.k.entries.get(found)
    if entry is None or entry.kind != "answer" or not part or len(part.split()) < MIN_PART_WORDS \
            or len(ctx.text.split()) - len(part.split()) < STORY_WORDS or _PRONOUN.search(part):
        return False   # (a code rests on the story's facts, and a question pointing back into the story on the story;
        # who is asking, "SW here", is no story, and says whose guidance is wanted)
    ranking = ctx.index.rank_bm25(part, limit=1)
    return bool(ranking) and ranking[0][0] == found


WHY_AMONG = 3     # an answer saying why is preferred from this far down, when "why" is asked ...
WHY_SHARE = 0.5   # ... and its title or questions hold this share of the weight of the words asked about


def _why_answer(ctx: Context, matches: list[Match]) -> Match | None:
    """Among the nearest candidates below the first, the answer titled as saying why, when the message asks why and
    most of what it asks about is in that answer's title or questions; else None."""
    if len(matches) < 2 or not _ASKS_WHY.search(ctx.text) or (
            matches[0].id in ctx.k.entries and _WHY_TITLE.match(ctx.k.entries[matches[0].id].title)):
        return None
    own = {t: ctx.index.idf[t] for t in ctx.index.query_tokens(ctx.text)[0] if t in ctx.index.postings}
    said = sum(own.values())
    return next((m for m in matches[1:WHY_AMONG] if m.id in ctx.k.entries
                 and _WHY_TITLE.match(ctx.k.entries[m.id].title) and said > 0
                 and sum(w for t, w in own.items() if ctx.index.postings[t].get(m.id, 0.0) >= 1.0) >= WHY_SHARE * said),
                None)


# A message opening by asking what something is ("whats turnaround? ..."), the thing asked about
_FIRST_ASKED = re.compile(r"^\W*((?:(?:hi|hey|ok|so|quick one)\W+)?(?:what(?:'?s| is| are)|whats|who(?:'?s| is| are)|"
                          r"tell me about) [^?]{2,50}?(?:\?|\s+-+\s+))", re.IGNORECASE)


# A term someone used, quoted or called a phrase or word ("the phrase 'micro-transitions'", "kept saying 'PLAC'") ...
_TERM_MET = re.compile(r"['\u2018\"\u201c]([A-Za-z][\w +&-]{2,40})['\u2019\"\u201d]|\b(?:phrase|term|word|expression) "
                       r"(?!(?:is|was|that|this|it|they|she|he)\b)([A-Za-z][\w+&-]{2,30}(?: [\w+&-]{2,20})?)")
# ... and asked what it means, with a pronoun standing for it ("what did she mean?", "what's that?")
_MEANING_ASKED = re.compile(r"['\u2019\u201d\"]\s*(?:actually |really |exactly |even )?means?\b|"   # "what 'PA' actually means"
                            r"\bwhat (?:did|does|do) (?:she|he|they|it|that|this|you) mean\b|\bwhat(?:'s| is) (?:that|"
                            r"this|it)\b|\bwhat (?:does|did) (?:that|this|it) (?:mean|stand for)\b|\bmeaning\b",
                            re.IGNORECASE)


# A social worker saying who they are ("SW in the CIN team", "I'm a social worker"): the guidance written for social
# workers is likelier what they want.
_SOCIAL_WORKER_ASKING = re.compile(r"^\W*(?:(?:hi|hiya|hello|hey|morning|afternoon),? )?(?:i'?m an? |i am an? |as an? )?"
                                   r"(?:(?:new(?:ly (?:qualified|allocated|appointed))?|newish|recently allocated|allocated|"
                                   r"duty) )?"
                                   r"(?:sw|social worker)\b(?! (?:says|said|told|thinks|wants|asked))|\b(?:i'?m|i am) "
                                   r"(?:an?|the) (?:\w+ )?(?:sw|social worker)\b|\bas (?:his|her|their|the child'?s|the "
                                   r"young person'?s) (?:sw|social worker)\b|\b(?:new to|i work in|i'?m in|i am in|working in) "
                                   r"(?:the )?(?:cin|cp|child in need|child protection|children'?s services|social care|"
                                   r"children in care|cla|lac) (?:team|work|service)\b|"
                                   # "my child protection case", "a girl on my caseload": the social worker's own case
                                   r"\bmy (?:cp|child protection|cin|child in need|cic|cla|lac|looked after) (?:case|kid|"
                                   r"child|girl|boy|lad|young person|yp)\b|\bon my (?:case ?load|cases)\b|"
                                   # "CIN yr7 ... what should i be checking?": a case's status, then what to check at school
                                   r"^\W*(?:cin|cp|child in need|child protection|cic|cla|lac)\b[^?]{0,200}\bwhat (?:should|do|must|"
                                   r"can) i (?:be )?(?:check|ask|look|request|find out)\w*", re.IGNORECASE)
SOCIAL_WORKER_TOPIC = "social-workers"
ROLE_BONUS = 0.05


_WHAT_IS = re.compile(r"^\W*(?:(?:hi|hey|hello|ok|so|and|but)\W+)?(?:what(?:'?s| is| are| does)|whats|who (?:is|are|runs)|"
                      r"tell me (?:about|what)|explain)\b", re.IGNORECASE)
OVERVIEW_MARGIN = 0.05    # an overview this close to the best, with two or more of its parts as close ...
OVERVIEW_POOL = 6         # ... (among this many candidates) ...
OVERVIEW_BONUS = 0.05     # ... is the answer, this much ahead of its parts
OVERVIEW_PARTS = 1
OVERVIEW_BM25 = 0.97      # ... and BM25 ranks it (nearly) first: a question as specific as one part is that part's


def _overview_first(ctx: Context, matches: list[Match], second_opinion: dict[str, float]) -> list[Match]:
    """When the nearest answers are parts of one overview that links to them ("current attendance", "lateness" and
    "the child's voice" are all items of the social worker's checklist), the question is the overview's: it answers
    them together, and its parts become its buttons. Of two close answers linking to each other, the one linking to
    more of the close answers (then to more answers) is the overview."""
    if len(matches) < 2 or matches[0].score < ctx.settings.suggest_score:
        return matches   # (nothing close enough to answer: no overview of it either)
    top = matches[0].score
    close = {m.id for m in matches if m.score >= top - OVERVIEW_MARGIN}
    # BM25 ranks it (nearly) first: of everything when the question asks what something is ("what's Turnaround?" is
    # the part's, however much the overview says of it), otherwise among the close answers
    ranked = second_opinion.items() if _WHAT_IS.match(ctx.text) else \
        ((k, v) for k, v in second_opinion.items() if k in close)
    enough = OVERVIEW_BM25 * max((v for _, v in ranked), default=0.0)

    def breadth(entry_id: str) -> tuple[int, int]:
        see = set(ctx.k.entries[entry_id].see) if entry_id in ctx.k.entries else set()
        return len(close & see), len(see)

    candidates = []
    for m in matches[:OVERVIEW_POOL]:
        entry = ctx.k.entries.get(m.id)
        if entry is None or entry.kind in ("code", "scenario", "glossary") or m.id not in close \
                or second_opinion.get(m.id, 0.0) < enough:
            continue
        parts = close & set(entry.see)
        if any(ctx.k.entries[p].kind in ("code", "scenario") for p in parts if p in ctx.k.entries):
            continue   # a code is among them: the code's own answer, never an overview around it
        if len(parts) >= OVERVIEW_PARTS:
            candidates.append(m)
    overview = max(candidates, key=lambda m: breadth(m.id), default=None)
    if overview is None or overview.id == matches[0].id or breadth(overview.id) <= breadth(matches[0].id):
        return matches

    chosen = replace(overview, score=round(top + OVERVIEW_BONUS, 4))
    return [chosen] + [replace(o, score=min(o.score, top)) for o in matches if o.id != overview.id]


NAME_IDF = 4.5            # a name in the message (a town, a programme) this rare in the knowledge ...
NAME_BONUS = 0.08         # ... makes an entry with that name in its title this much likelier


def _rare_names(ctx: Context) -> set[str]:
    """The rare names a message gives (capitalised words the knowledge's titles use, such as a town): an entry titled
    with one is about that very thing. Not when the question asks what something counts as ("would she count as a
    young carer?") or why: the definition, or the reason, is the same wherever it is asked."""
    if _place_is_detail(ctx):
        return set()
    return {stem(w.lower()) for w in _names(ctx.index, ctx.text)}


# A capitalised word inside a sentence (not the first word of one): a name, such as a town or a programme.
_CAPITALISED = re.compile(r"(?<!^)(?<![.?!]\s)\b[A-Z][a-z]{3,}\b")


_LOWER_WORD = re.compile(r"\b[a-z]{4,}\b")


@lru_cache(maxsize=512)
def _names(index, text: str) -> tuple[str, ...]:
    """The rare names a message gives, as typed: capitalised words inside a sentence, and places however typed."""
    found = [w for w in _CAPITALISED.findall(text) if _is_rare_name(index, w)]
    if index.place_stems:
        found += [w for w in _LOWER_WORD.findall(text) if stem(w) in index.place_stems and _is_rare_name(index, w)]
    return tuple(found)


def _is_rare_name(index, word: str) -> bool:
    """True for a word the knowledge's titles use and few entries hold (a town, a programme)."""
    key = stem(word.lower())
    return (key in index.title_words or key in index.place_stems) and index.idf.get(key, 0.0) >= NAME_IDF


# "who supports young carers round here?": the place is the one named earlier in the conversation
_LOCAL = re.compile(r"\b(?:(?:a)?round here|near (?:us|here|me)|nearby|locally|(?:any|anything|something|what'?s) local\b|"
                    r"local (?:one|service|project|team|"
                    r"support|group|charity|organisation|contact)s?|in (?:our|my|this|the) (?:area|patch|district|"
                    r"town|neck of the woods)|our (?:area|patch|way|district))\b", re.IGNORECASE)


def _glossary_aside(ctx: Context, entry_id: str) -> bool:
    """True for an acronym's expansion when the question asked names it only in the situation around it ("what is
    Turnaround? someone in the TAC mentioned it" asks about Turnaround, not TAC)."""
    entry = ctx.k.entries.get(entry_id)
    part = asked_part(ctx.text)
    if entry is None or entry.kind != "glossary" or not part:
        return False
    return not (set(ctx.index.query_tokens(part)[0]) & ctx.index.title_stems.get(entry_id, frozenset()))


@lru_cache(maxsize=512)
def _asks_the_general(text: str) -> bool:
    """True when the question asks what something counts as, or why: nothing local answers it."""
    part = asked_part(text) or text
    return bool(_COUNTS_AS.search(part) or _WHY_ASKED.match(part) or _WHY_ASKED.match(text))


def _unplaced(ctx: Context, text: str) -> str:
    """The message without the places it names when it asks why or what counts, or asks nothing local: where it is
    asked from ("we're a Havant school") does not change the answer. When the place is what is asked about, words
    saying "local" add nothing to it ("we're in Basingstoke, anything local?")."""
    if not _place_is_detail(ctx):
        return _LOCAL.sub(" ", text) if _names(ctx.index, text) else text
    return _without_places(ctx.index, text)


def _without_places(index, text: str) -> str:
    """The text with its rare names (towns, programmes the knowledge titles entries with) left out."""
    names = set(_names(index, text))
    return re.sub(r"\b\w+\b", lambda m: " " if m.group(0) in names else m.group(0), text) if names else text


def _place_is_detail(ctx: Context) -> bool:
    """True when the places a message names do not change its answer: it asks why or what something counts as, or,
    read without the place, what answers it is not the local service the place's own entry belongs to ("do we have
    to record young carers anywhere? we're in Hart" asks about recording, wherever the school is)."""
    if _asks_the_general(ctx.text):
        return True
    key = (id(ctx.index), ctx.text, ctx.memory.get("entry"))
    if key not in _PLACE_DETAIL:
        if len(_PLACE_DETAIL) >= PLACE_CACHE:
            _PLACE_DETAIL.clear()
        _PLACE_DETAIL[key] = _asks_nothing_local(ctx)
    return _PLACE_DETAIL[key]


def _asks_nothing_local(ctx: Context) -> bool:
    """True when the message names a place an entry is titled with, and without the place the nearest answers are
    neither that entry, nor what it links to, nor one of its like entries for other places."""
    names = {stem(w.lower()) for w in _names(ctx.index, ctx.text)}
    titled = [e for e in ctx.k.entries.values() if _named_for(ctx, names, e.id)] if names else []
    # an entry for one place among like entries for others (the same links): a programme's name is its subject
    like = set().union(*(ctx.k.like_entries.get(e.id, frozenset()) for e in titled))
    if not like or _LOCAL.search(ctx.text):
        return False   # (and "what's there locally?" asks for the local one)
    local = like | {link for e in titled for link in (e.id, *e.see)}
    if ctx.memory.get("entry") in local:
        return False   # "and if the family lived in Fareham?" after another town's service
    asked = ctx.index.query_tokens(_without_places(ctx.index, ctx.text))[0]
    held = [t for t in asked if any(e.id in ctx.index.postings.get(t, {}) for e in titled)]
    if not held:
        # nothing else asked is on the place's subject: the place only says where ("an AP in Basingstoke"), when what
        # is left is answered well without it ("the weather in Winchester" is not)
        # (the question asked in it read alone too, unless the conversation is already on the place's subject: "who
        # do I refer to? they live near Winchester" after what a young carer is)
        previous = ctx.k.entries.get(ctx.memory.get("entry") or "")
        on_its_subject = previous is not None and any(previous.topic == e.topic for e in titled)
        found = [ctx.index.search(_without_places(ctx.index, reading), limit=1)
                 for reading in (ctx.text, None if on_its_subject else asked_part(ctx.text)) if reading]
        return any(f and f[0].score >= ctx.settings.confident_score for f in found)
    if not _DEFINITION_ASKED.match(ctx.text) and all(any(e.id in ctx.index.postings.get(t, {}) for e in titled) for t in asked):
        return False   # the place's entry holds all else asked ("young carers in the New Forest?")
    part = asked_part(ctx.text)
    for reading in (ctx.text, *([part] if part else [])):
        found = [m for m in ctx.index.search(_without_places(ctx.index, reading), limit=PLACE_POOL)
                 if m.id in ctx.k.entries]
        if not found or {m.id for m in found if m.score >= found[0].score - PLACE_MARGIN} & local:
            return False
    return True


_PLACE_DETAIL: dict[tuple[int, str, str | None], bool] = {}
# "what is a young carer? we're in Andover": what a thing is does not depend on the place
_DEFINITION_ASKED = re.compile(r"^\W*(?:(?:so|ok|and|hi|hey),? )?(?:what(?:'s| is)|whats) an? \w", re.IGNORECASE)
PLACE_CACHE = 256
PLACE_POOL = 5            # read without its place, a message's nearest answers (within this margin of the best) ...
PLACE_MARGIN = 0.02       # ... must include the place's own entry, its links or its like, for the place to matter


def place_named(index, text: str) -> str | None:
    """A rare name in the message that the knowledge titles an entry with (a town such as "Fareham"), as typed: kept
    for a later question about "round here"."""
    return next(iter(_names(index, text)), None)


def with_place(index, text: str, place: str | None) -> str:
    """The question with the place named earlier, when it asks about "round here" and names no place of its own."""
    if place and _LOCAL.search(text) and place_named(index, text) is None:
        return f"{text} (in {place})"
    return text


def _named_for(ctx: Context, names: set[str], entry_id: str) -> bool:
    """True when the entry is titled with one of the names, or is the local entry whose answer names the place."""
    return bool(names & ctx.index.title_stems.get(entry_id, frozenset())) or any(
        name in ctx.index.place_stems and name not in ctx.index.title_words and entry_id in ctx.k.like_entries
        and entry_id in ctx.index.postings.get(name, {}) for name in names)


_COUNTS_AS = re.compile(r"\b(?:count(?:s|ed)?|class(?:ed)?|classified|considered|regarded|qualif(?:y|ies)) as\b|"
                        r"\b(?:is|would) (?:she|he|they|this child|the child) (?:be )?an? (?:young carer|child in need)\b|"
                        r"\b(?:does|would|do|could) (?:that|this|it|all that|these) (?:make|makes) (?:him|her|them|"
                        r"the child|this child) (?:an? )?(?:young carers?|child in need)\b",
                        re.IGNORECASE)


def _rank(ctx: Context, matches: list[Match]) -> list[Match]:
    """Weigh glossary matches below guidance, cap coding situations, and drop a glossary term that ties with the
    entry it links to (the entry says more)."""
    out = []
    asks_other = bool(_ASKS_OTHER.search(ctx.text))
    social_worker = bool(_SOCIAL_WORKER_ASKING.search(ctx.text))
    names = _rare_names(ctx)
    asked = ctx.index.query_tokens(ctx.corrected or ctx.text)[0] if names else []
    titled = [m.id for m in matches if m.id in ctx.k.entries and _named_for(ctx, names, m.id)]
    names = names if len(titled) == 1 else set()   # one entry named for it, or the name decides nothing
    # "and if they lived in Fareham?" after another town's service: the like entry for the town now named
    previous = ctx.k.entries.get(ctx.memory.get("entry") or "")
    for m in matches:
        e = ctx.k.entries.get(m.id)
        if social_worker and e is not None and e.topic == SOCIAL_WORKER_TOPIC:
            m = replace(m, score=round(m.score + ROLE_BONUS, 4))   # the guidance written for the one asking
        if names and e is not None and _named_for(ctx, names, m.id) \
                and (any(m.id in ctx.index.postings.get(t, {}) for t in asked if t not in names)
                     or (previous is not None and previous.id in ctx.k.like_entries.get(e.id, frozenset()))):
            # "in Gosport": the entry named for Gosport, when it also holds something else asked ("the weather in
            # Winchester" is not about Winchester's young carers)
            m = replace(m, score=round(m.score + NAME_BONUS, 4))
        if e is not None and e.kind == "glossary":
            m = replace(m, score=round(m.score * GLOSSARY_WEIGHT, 4))
        elif e is not None and e.kind == "scenario":
            m = replace(m, score=min(m.score, SCENARIO_CAP) * (ASKS_OTHER_WEIGHT if asks_other else 1.0))
        out.append(m)
    out.sort(key=lambda m: m.score, reverse=True)
    best = {m.id: m.score for m in out}
    kept = [m for m in out if not (ctx.k.entries.get(m.id) and ctx.k.entries[m.id].kind == "glossary"
                                   and any(best.get(link, 0) >= m.score - 0.02 for link in ctx.k.entries[m.id].see))]
    return [m for m in (kept or out) if m.id in ctx.k.entries or m.id in ctx.k.trees]


def _names_nothing_of(ctx: Context, previous: str, matches: list[Match]) -> bool:
    """True when a short question after an answer finds another subject's entry on words that name none of that
    entry's subject ("who do I send a referral to?" reaches the youth justice referral after a young carer): the
    question is asked of the subject under discussion."""
    if not matches or len(ctx.text.split()) > LONGER_FOLLOW_UP_WORDS or _NEW_TOPIC.search(ctx.text) \
            or ctx.named or INTENT.search(ctx.text) or _stays_on_subject(ctx, previous, matches[0].id):
        return False
    found, last = ctx.k.entries.get(matches[0].id), ctx.k.entries[previous]
    if found is None or found.kind == "glossary" or last.kind != "answer" or found.topic == last.topic:
        return False   # (after a code, or within one topic, the words alone decide)
    asked = set(sum(ctx.index.query_tokens(ctx.corrected or ctx.text), []))   # (an acronym names its expansion)
    return not asked & ctx.index.title_stems.get(found.id, frozenset())


def _stays_on_subject(ctx: Context, previous: str, found: str) -> bool:
    """True when what the words alone found is on the previous answer's subject (so they need no setting)."""
    a, b = ctx.k.entries.get(previous), ctx.k.entries.get(found)
    return bool(a and b and b.kind != "glossary" and _related(a, b))


def _coding_situation(entry) -> bool:
    """True for an entry that codes a situation: a scenario, or a coding answer ("the family's own car broke down")."""
    return entry.kind == "scenario" or (entry.kind == "answer" and bool(entry.codes) and entry.topic == "attendance-codes")


def _untold_situations_down(ctx: Context, previous, matches: list[Match]) -> list[Match]:
    """Coding situations a follow-up does not ask for: none when it asks who ("who has to agree it?" wants a person),
    and after guidance, when it tells no situation, those off that guidance's subject weigh less ("he already had one
    last year" after penalty amounts is not Year 11's last exam). A code asked for keeps them all."""
    if INTENT.search(ctx.text):
        return matches
    if _ASKS_WHO.match(ctx.text):
        return [m for m in matches if m.id not in ctx.k.entries or not _coding_situation(ctx.k.entries[m.id])]
    if ctx.facts and stated(ctx.facts):
        return matches
    return sorted((replace(m, score=round(m.score * UNTOLD_SCENARIO, 4))
                   if m.id in ctx.k.entries and ctx.k.entries[m.id].kind == "scenario"
                   and not _related(previous, ctx.k.entries[m.id]) else m
                   for m in matches), key=lambda m: m.score, reverse=True)


def _subject_breaks_tie(ctx: Context, previous, matches: list[Match], bm25_best: str | None) -> list[Match]:
    """In a follow-up, a near tie between an answer off the subject under discussion and one on it goes to the one on
    it, unless the question's own words (BM25) chose the other ("what if it's just one child, but looked after?" after
    the registration rules stays on registration)."""
    if len(matches) < 2 or matches[0].id not in ctx.k.entries or matches[0].id == bm25_best \
            or _related(previous, ctx.k.entries[matches[0].id]):
        return matches
    top = matches[0]
    on_subject = next((m for m in matches[1:] if top.score - m.score < SUBJECT_TIE and m.id in ctx.k.entries
                       and ctx.k.entries[m.id].kind != "glossary" and _related(previous, ctx.k.entries[m.id])), None)
    if on_subject is None:
        return matches
    return [replace(on_subject, score=top.score)] + [m for m in matches if m.id != on_subject.id]


def _related(a, b) -> bool:
    """True when two entries are on one subject: the same entry or topic, linked either way, sharing a link, or one
    of them a glossary term (which belongs to no subject of its own)."""
    return (a.id == b.id or a.topic == b.topic or b.id in a.see or a.id in b.see or bool(set(a.see) & set(b.see))
            or "glossary" in (a.kind, b.kind))


def _linked(ctx: Context, a: str, b: str) -> bool:
    """True when either entry links to the other (one subject, so choosing between them changes little)."""
    ea, eb = ctx.k.entries.get(a), ctx.k.entries.get(b)
    return bool(ea and eb and (b in ea.see or a in eb.see))


def _agreement_counts(ctx: Context, top: Match) -> bool:
    """True when both rankings' shared first choice rests on enough of the question's own words to trust it."""
    if top.score < AGREE_MIN:
        return False
    tokens, _ = ctx.index.query_tokens(ctx.corrected or ctx.text)
    known = [t for t in tokens if t in ctx.index.postings]
    in_title = sum(1 for t in known if ctx.index.postings[t].get(top.id, 0) >= 1.0)
    foreign = len(_foreign_words(ctx))
    if top.coverage < AGREE_COVERAGE and foreign and (foreign >= in_title and len(tokens) <= FOREIGN_SHORT
                                                      or foreign > 2 * in_title):
        return False   # ... or, in a longer one, more than twice as many
    return in_title >= AGREE_WORDS and (len(known) >= AGREE_KNOWN or len(known) == len(tokens))


def _same_subject_first(ctx: Context, matches: list[Match], bm25_top: tuple[str, ...]) -> bool:
    """True when both rankings put the same subject first, though not the same entry: each one's first is among the
    other's first three, the two on one subject (the rules on term-time leave and the coding of leave refused, whose
    code those rules link to)."""
    if len(matches) < 2 or len(bm25_top) < 2 or matches[0].id not in bm25_top[:AGREE_AMONG] \
            or bm25_top[0] not in {m.id for m in matches[:AGREE_AMONG]} or len(_foreign_words(ctx)) > PAIR_FOREIGN:
        return False   # (nor with everyday words the knowledge never uses: "PPA time in a bank holiday week")
    return _one_subject(ctx, matches[0].id, bm25_top[0])


RULES_AMONG = 4   # a rules question's answer is looked for this far down, under coding situations of its subject


def _rules_before_situations(ctx: Context, matches: list[Match]) -> list[Match]:
    """A rules question ("can the head agree it?") put first to the guidance on the subject of the coding situations
    that read nearest: which code a situation takes is not what is asked."""
    top = ctx.k.entries.get(matches[0].id)
    if top is None or top.kind != "scenario":
        return matches
    rules = next((m for m in matches[1:RULES_AMONG] if m.id in ctx.k.entries and ctx.k.entries[m.id].kind == "answer"
                  and _one_subject(ctx, top.id, m.id)), None)
    if rules is None:
        return matches
    return [replace(rules, score=matches[0].score)] + [m for m in matches if m.id != rules.id]


def _bm25_subject_first(ctx: Context, matches: list[Match], bm25_best: str | None) -> list[Match]:
    """BM25's first choice put first when it is among the nearest few and on the subject of the nearest (an exclusion
    story asking from when education is due: the sixth-day rule, not the coding of a day without it)."""
    among = [m for m in matches[1:AGREE_AMONG] if m.id == bm25_best]
    chosen = ctx.k.entries.get(bm25_best or "")
    if not among or chosen is None or chosen.kind != "answer" or not _one_subject(ctx, matches[0].id, chosen.id) \
            or not _agreement_counts(ctx, among[0]) or _foreign_words(ctx):   # ("the school wifi": something else)
        return matches
    return [replace(among[0], score=matches[0].score)] + [m for m in matches if m.id != chosen.id]


def _one_subject(ctx: Context, a: str, b: str) -> bool:
    """True when two entries are on one subject: related, linked from one entry, or a coding situation and guidance
    that links to its code."""
    first, other = ctx.k.entries.get(a), ctx.k.entries.get(b)
    if first is None or other is None:
        return False
    return _related(first, other) or bool(ctx.k.linked_from.get(first.id, frozenset())
                                          & ctx.k.linked_from.get(other.id, frozenset())) \
        or any(code in ctx.k.codes and ctx.k.codes[code].entry_id in y.see
               for x, y in ((first, other), (other, first)) for code in x.codes[:1] if x.kind == "scenario")


TITLED_WORDS = 3   # a question of at least this many words the knowledge uses, every one in an entry's title, is its


def _titled_as_asked(ctx: Context, entry_id: str) -> bool:
    """True when the entry's title holds every word of the question asked that the knowledge uses (the story around
    it left out), and there are enough of them to say something."""
    part = asked_part(ctx.text) or ctx.text
    asked = [t for t in ctx.index.query_tokens(part)[0] if t in ctx.index.postings or t in ctx.index.expansions]
    title = ctx.index.title_stems.get(entry_id, frozenset())
    return len(asked) >= TITLED_WORDS and all(t in title or (ctx.index.expansions.get(t) and all(
        x in title for x in ctx.index.expansions[t])) for t in asked)   # (an acronym by its expansion: "AP")


def _names_term(ctx: Context, entry_id: str) -> bool:
    """True when the message names the glossary entry's term or one of its variants ("GCSE", "PP+")."""
    text = (ctx.corrected or ctx.text).lower()
    return any(re.search(rf"(?<!\w){re.escape(term)}(?!\w)", text) for term in ctx.k.terms_of.get(entry_id, ()))


def _foreign_words(ctx: Context) -> list[str]:
    """Everyday English words of the message that the knowledge never uses ("menu", "wifi", "parking"): a question
    about something else."""
    words = ctx.index.normaliser.words(ctx.corrected or ctx.text)
    return [w for w in words if len(w) >= 3 and w.isalpha() and w not in STOP_WORDS
            and stem(w) not in ctx.index.postings and ctx.index.is_word(w)]


SETTLING_IDF = 2.0        # the words newly asked must say this much to pick one of a subject's close answers
IN_SETTING_EASING = 0.06  # read in the previous answer's setting, an answer needs this much less confidence


def _settled_in_setting(ctx: Context, close: list[Match], bm25_best: str | None):
    """The guidance entry among close candidates that a follow-up to guidance picks out by its own words (BM25's
    first choice, on the previous answer's subject), when it asks for no code; else None."""
    previous = ctx.k.entries.get(ctx.memory.get("entry") or "")
    if previous is None or previous.kind != "answer" or ctx.named or INTENT.search(ctx.text):
        return None
    chosen = ctx.k.entries.get(bm25_best or "")
    if chosen is not None and chosen.kind == "answer" and bm25_best in {m.id for m in close[:3]}:
        return chosen if _related(previous, chosen) else None
    # BM25 looked elsewhere: the one guidance answer on the subject that holds the words newly asked ("he keeps
    # kicking off in class" after the part-time timetable rules: the rules that say it is not for behaviour)
    asked = [t for t in ctx.index.query_tokens(ctx.corrected or ctx.text)[0]
             if t in ctx.index.postings and t not in ctx.index.title_stems.get(previous.id, frozenset())]
    holding = {m.id: sum(ctx.index.idf.get(t, 0.0) for t in asked if m.id in ctx.index.postings[t]) for m in close[:3]
               if ctx.k.entries.get(m.id) is not None and ctx.k.entries[m.id].kind == "answer"
               and _related(previous, ctx.k.entries[m.id])}
    ranked = sorted(holding.items(), key=lambda kv: kv[1], reverse=True)
    if ranked and ranked[0][1] >= SETTLING_IDF and (len(ranked) == 1 or ranked[0][1] > ranked[1][1]):
        return ctx.k.entries[ranked[0][0]]
    return None


def _among_close(ctx: Context, entry, others: list[Match], confidence: float, evidence: str) -> Interpretation:
    """The entry's answer, with (up to two of) the other close candidates offered first among its buttons."""
    offered = tuple(b for b in (ctx.replies.link_button(m.id) for m in others) if b)[:2]
    reply = ctx.replies.entry(entry, confidence=confidence)
    reply = replace(reply, buttons=offered + tuple(b for b in reply.buttons if b not in offered),
                    suggestions=tuple(b.label for b in offered) + reply.suggestions)
    return Interpretation("retrieval", confidence, evidence, reply, memory={"entry": entry.id}, key=f"entry:{entry.id}")


def _same_answer(ctx: Context, a: Match, b: Match) -> bool:
    """True when two matches give the same code, so choosing between them changes nothing."""
    ea, eb = ctx.k.entries.get(a.id), ctx.k.entries.get(b.id)
    return bool(ea and eb and ea.codes and eb.codes and ea.kind in ("code", "scenario")
                and eb.kind in ("code", "scenario") and ea.codes[0] == eb.codes[0])


LONG_STORY_WORDS = 30     # a message this long is mostly story ...
LONG_STORY_FLOOR = 0.28   # ... whose nearest answer, this alike at least ...
LONG_STORY_SCORE = 0.6    # ... is given with this confidence when both rankings agree on its subject (above a code
                          # the story only implies)


def _one_subject_of_a_long_story(ctx: Context, matches: list[Match], bm25_best: str | None) -> bool:
    """True when a long message's nearest guidance is too faint to give on its own, but BM25's choice is among the
    nearest and on the same subject (the same topic of guidance, not a code)."""
    if not matches or len(ctx.text.split()) < LONG_STORY_WORDS or not (
            LONG_STORY_FLOOR <= matches[0].score < ctx.settings.suggest_score):
        return False
    top, best = ctx.k.entries.get(matches[0].id), ctx.k.entries.get(bm25_best or "")
    return top is not None and best is not None and top.kind == best.kind == "answer" and bool(top.topic) \
        and top.topic == best.topic and best.id in {m.id for m in matches[:5]}


def _case_of_code(ctx: Context, code: str) -> dict:
    """The situation a code answered from guidance takes for granted, with the pupil and session already told, so a
    follow-up changing one fact ("and the afternoons?") can be decided; nothing when the tree cannot describe it."""
    implied = taken_for_granted(ctx, code)
    if not implied:
        return {}
    told = {k: v for k, v in (ctx.memory.get("facts") or {}).items() if k in ("age", "session")}
    case = {**told, **implied}
    own = {**case, **ctx.facts}
    tree = ctx.k.trees.get(CODE_TREE)
    if ctx.facts.get("reason") and tree is not None and code in reachable_codes(tree, own):
        case = own   # the situation the message told, where it can lead to this code ("a family wedding abroad": C)
    return {"facts": case}


def _decide(ctx: Context, matches: list[Match], contextual: bool, bm25_best: str | None,
            swap: bool = True, bm25_top: tuple[str, ...] = ()) -> Interpretation:
    """Answer with the best match when it is clear, offer the close ones when not, or fall back honestly (swap: BM25
    may reorder two close linked answers; bm25_top: BM25's first few choices)."""
    s = ctx.settings
    if swap and len(matches) > 1 and bm25_best == matches[1].id and _linked(ctx, matches[0].id, matches[1].id) \
            and matches[0].score - matches[1].score < s.minimum_gap and not any(
                ctx.k.entries[m.id].codes for m in matches[:2]):
        # the two nearest are linked entries on one subject and BM25 prefers the second: take it first
        matches[0], matches[1] = replace(matches[1], score=matches[0].score), matches[0]
    if matches and RULES_QUESTION.search(ctx.text) and not INTENT.search(ctx.text) and not ctx.named:
        situation = matches[0].id
        matches = _rules_before_situations(ctx, matches)
        if bm25_best == situation:
            bm25_best = matches[0].id   # (BM25's agreement on the situation is agreement on its subject's rules)
    if not contextual and matches and matches[0].score < s.suggest_score and bm25_best != matches[0].id:
        matches = _bm25_subject_first(ctx, matches, bm25_best)   # (nothing close on its own: BM25 picks the subject's)
    if matches and matches[0].score < AGREE_CAP and _agreement_counts(ctx, matches[0]) and (
            bm25_best == matches[0].id or _same_subject_first(ctx, matches, bm25_top)):
        # both rankings put it first; or each one's first is near the top of the other, on one subject, which says
        # less: just enough to answer
        top = matches[0]
        bonus = AGREE_BONUS if bm25_best == top.id else 0.0
        matches[0] = replace(top, score=round(min(AGREE_CAP, max(top.score + bonus,
                                                                 s.confident_score + s.minimum_gap)), 4))
        matches.sort(key=lambda m: m.score, reverse=True)
    if not contextual and _one_subject_of_a_long_story(ctx, matches, bm25_best):
        # a long story drowns any one phrasing's likeness, but both rankings put it on one subject: the nearest answer
        # on it is given
        matches[0] = replace(matches[0], score=LONG_STORY_SCORE)
    evidence = "follow-up read with the previous topic" if contextual else "retrieval"
    if not matches or matches[0].score < s.suggest_score:
        return Interpretation("retrieval", 0.05, f"{evidence}: nothing close", ctx.replies.fallback(), key="fallback")
    top = matches[0]
    runner = matches[1] if len(matches) > 1 else None
    clear_lead = (runner is None or top.score - runner.score >= s.minimum_gap or _same_answer(ctx, top, runner)
                  or (top.score >= s.decisive_score and top.score - runner.score >= s.minimum_gap / 2))
    score = min(1.0, top.score)
    top_entry = ctx.k.entries.get(top.id)
    guessing_code = top_entry is not None and top_entry.kind == "scenario" and top.score < SCENARIO_SURE
    if top.score >= s.confident_score - (IN_SETTING_EASING if contextual else 0.0) and clear_lead and not guessing_code:
        if top.id in ctx.k.trees:
            tree = ctx.k.trees[top.id]
            step = trees.start(tree)
            return Interpretation("retrieval", score, f"{evidence}: walk-through {tree.id}",
                                  ctx.replies.step(step, confidence=score), walk=(tree.id, step.path),
                                  key=f"tree:{tree.id}")
        entry = ctx.k.entries[top.id]
        memory = {"entry": entry.id}
        key = f"entry:{entry.id}"
        if entry.codes and entry.kind in ("code", "scenario"):
            memory["code"] = entry.codes[0]
            key = f"code:{entry.codes[0]}"
            memory.update(_case_of_code(ctx, entry.codes[0]))
        return Interpretation("retrieval", score, f"{evidence}: {entry.id} {top.score:.2f}",
                              ctx.replies.entry(entry, confidence=score), memory=memory, key=key)
    close = [m for m in matches if m.score >= max(s.suggest_score, top.score - 0.15)][:4]
    if len(close) == 1 and not guessing_code:
        entry_or_tree = close[0]
        if entry_or_tree.id in ctx.k.entries:  # one candidate is an answer, not a question
            entry = ctx.k.entries[entry_or_tree.id]
            return Interpretation("retrieval", score * 0.95, f"{evidence}: single near match {entry.id}",
                                  ctx.replies.entry(entry, confidence=score), memory={"entry": entry.id},
                                  key=f"entry:{entry.id}")
    top_entry = ctx.k.entries.get(top.id)
    # (a rules question, "is that allowed?", or one asking for something other than a mark, "what should I ask the
    # school for?", puts no code at stake however alike a coding situation reads)
    rules_asked = bool(RULES_QUESTION.search(ctx.text) or not contextual and _ASKS_OTHER.search(ctx.text)) \
        and not INTENT.search(ctx.text)
    if top_entry is not None and top_entry.kind == "answer" and top.score >= s.confident_score and (rules_asked or not any(
            ctx.k.entries.get(m.id) is not None and ctx.k.entries[m.id].kind in ("code", "scenario") for m in close)):
        # close guidance answers (no code at stake): give the best, and offer the others as buttons
        return _among_close(ctx, top_entry, close[1:3], score * CLOSE_ANSWER, f"{evidence}: {top_entry.id} among close "
                            "guidance")
    chosen = next((m for m in close if m.id == bm25_best), None)
    chosen_entry = ctx.k.entries.get(bm25_best or "")
    if top.id in ctx.k.trees and chosen is not None and chosen_entry is not None and chosen_entry.kind == "answer" \
            and chosen.score >= s.confident_score and not asks_for_a_code(ctx.text) and not ctx.named:
        # a walk-through and a guidance answer close, no code asked for, and BM25 picks the answer: the question
        # asks for that guidance ("how do I tell if an AP is registered?"), and the walk-through is offered with it
        return _among_close(ctx, chosen_entry, [m for m in close if m.id != chosen.id], score * CLOSE_ANSWER,
                            f"{evidence}: {chosen_entry.id} chosen by BM25 over a walk-through")
    settled = _settled_in_setting(ctx, close, bm25_best) if contextual else None
    if settled is not None and top.score >= s.confident_score - IN_SETTING_EASING:
        # a follow-up on guidance that asks no code, where the candidates are one subject's entries: the one the
        # question's own words pick out (BM25) answers, the others are offered
        return _among_close(ctx, settled, [m for m in close if m.id != settled.id], score * CLOSE_ANSWER,
                            f"{evidence}: {settled.id} settled in its setting")
    return Interpretation("retrieval", min(0.55, score), f"{evidence}: {len(close)} close",
                          ctx.replies.did_you_mean(close), key="did-you-mean")
