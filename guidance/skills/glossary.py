"""Glossary skill: "what is X" or "what does X stand for" when X is an acronym and nothing more is asked."""
from __future__ import annotations

import re
from dataclasses import replace

from ..text import STOP_WORDS, asked_part, stem
from . import Context, Interpretation
from .list_item import ORDINALS

SCORE = 0.88
SAYS_MEANING = 0.95       # "what does X mean ...": the meaning is asked for in so many words
ONLY_THE_ACRONYM = 1.0    # "what is HYCA": the expansion first, with links to the fuller entry
DEFINITION_FRAMES = {  # what is left of a question once the acronym is removed, when it only asks the meaning
    "", "what is", "what is a", "what is an", "what is the", "what's", "what's a", "what's an", "what's the", "whats",
    "what are", "what are the", "who is", "who are", "who are the", "what does stand for", "what does mean",
    "what does the stand for", "what does the mean", "what do stand for", "what do mean", "meaning", "meaning of",
    "the meaning of", "what is the meaning of", "define", "definition", "definition of", "stand for", "stands for",
    "acronym", "abbreviation", "explain", "full form of", "what is meant by", "what does stands for",
    "what is it", "what's it", "whats a", "whats an", "whats the", "what does it mean", "what does it stand for", "saw", "i saw", "seen", "mean",
    "what is this", "what it is", "what it means", "what's that", "what is that", "what does that mean"}
_COMMON_WORDS = {"as", "at", "in", "it", "is", "or", "on", "do", "go", "la", "sen", "ap"}
_FILLER = re.compile(r"\b(?:please|pls|plz|thanks|thank you|quick question|sorry|hi|hello|hey|in the|in a|in "
                     r"this|on the|on a|from the|report|letter|email|meeting|minutes|form|document|slides?|"
                     r"virtual school|keeps?|coming up|came up|mentioned|used|written|heard|people say|"
                     r"they said|someone said|keep seeing|i keep seeing|what's|whats|saying|says|everyone|everybody|people|"
                     r"new to (?:attendance|this|the job|the role|the team|school|schools))\b", re.IGNORECASE)


_MEANING_CUE = re.compile(r"\b(mean|means|meaning|stand|stands|stand for|what is it|what's it|what is that|acronym|"
                          r"abbreviation|short for|full form|expand|expanded|expansion|in full|spell(?:ed|t)? out)\b")
MAX_CONTEXT_WORDS = 3     # "RHP meaning on a referral form": a few words saying where it was seen are allowed
SUBJECT_IDF = 3.0         # a title word this rare beside the acronym names a subject of its own


_ASKS_WHAT = re.compile(r"^\s*(?:(?:hi|hey|quick one|sorry|so|ok)\W+)*(?:what(?:'s| is| are|s)|what does|what do|who(?:'s| is| are)|"
                        r"define|meaning of|explain) (?:a |an |the )?([A-Za-z][A-Za-z+&]*\+?)\b", re.IGNORECASE)


# every word of the definition frames and of the stop-word list: what is left after them is context
_FRAME_WORDS = frozenset({w for f in DEFINITION_FRAMES for w in f.split()} | STOP_WORDS)


def _only_asks_meaning(rest: str) -> bool:
    """True when what is left asks what the acronym means, plus at most a few words saying where it was seen."""
    if not _MEANING_CUE.search(rest):
        return False
    leftover = [w for w in re.sub(_MEANING_CUE, " ", rest).split() if w not in STOP_WORDS]
    return len(leftover) <= MAX_CONTEXT_WORDS


def propose(ctx: Context) -> list[Interpretation]:
    """Answer with the acronym's expansion when the message only asks what it means (or ends by asking it, after
    saying where it was met: "our head keeps mentioning TSMs with ISS. What's a TSM?")."""
    found = _meaning(ctx, ctx.text)
    another = _ANOTHER_TERM.match(ctx.text)
    previous = ctx.k.entries.get(ctx.memory.get("entry") or "")
    if not found and another and previous is not None and previous.kind == "glossary":
        # "CERAF?" then "and CPI?": another acronym asked the same way as the last
        found = [replace(i, score=ANOTHER_TERM, evidence=i.evidence + " (after another acronym)")
                 for i in _meaning(ctx, f"what is {another.group(1)}")]
    part = asked_part(ctx.text) if not found else None
    if part:
        found = [replace(i, score=min(i.score, SCORE), evidence=i.evidence + " (asked after the context)")
                 for i in _meaning(ctx, part)]
    if not found and _TERM_THEN_ASKED.match(ctx.text):
        # "RHP - what does that mean? it's on a plan I've been sent": the term first, then what it means
        term = _TERM_THEN_ASKED.match(ctx.text).group(1)
        found = [replace(i, score=min(i.score, SCORE), evidence=i.evidence + " (named, then asked)")
                 for i in _meaning(ctx, f"what does {term} mean")]
    if not found:
        found = _written_out(ctx)
    if not found:
        found = _several(ctx)
    if not found:
        found = _met_then_asked(ctx)
    if not found:
        # "what does VYED stand for, people kept saying it at the hub": the clause that asks the meaning
        for clause in _CLAUSES.split(ctx.text):
            if clause.strip() and clause.strip() != ctx.text.strip() and (
                    _MEANING_CUE.search(clause.lower()) or _WHATS_ACRONYM.match(clause)):
                found = [replace(i, score=min(i.score, SCORE), evidence=i.evidence + " (asked in one clause)")
                         for i in _meaning(ctx, clause)]
                if found:
                    break
    return found


_TERM_THEN_ASKED = re.compile(r"^\W*([A-Za-z][A-Za-z+&]{1,11}\+?)\s*(?:[-:,?]+|\.{2,}|\s-\s)\s*(?:so |and |but )?what(?:'s| is| does|"
                              r" do)? ?(?:that|it|this)(?: mean| stand for| one)?\b", re.IGNORECASE)
WRITTEN_OUT = 0.93        # "who is the designated teacher?": a term asked about in full, above a reading that only
#                           agrees with BM25, below a fuller entry phrased as asked
WRITTEN_OUT_EXTRA = 4     # ... with at most this many words after it ("for looked after children")
_ASKS_WHO_WHAT = re.compile(r"^\W*(?:who|what)(?:'s| is| are|s) (?:a |an |the )?(.+?)[?!.\s]*$", re.IGNORECASE)


def _written_out(ctx: Context) -> list[Interpretation]:
    """A glossary term asked about by its expansion rather than its acronym ("who is the designated teacher?")."""
    asked = _ASKS_WHO_WHAT.match(ctx.text)
    if not asked:
        return []
    phrase = " ".join(re.findall(r"[a-z+&']+", asked.group(1).lower()))
    for expansion, entry_id in ctx.k.glossary_expansions:
        if (phrase == expansion or phrase.startswith(expansion + " ")) \
                and len(phrase.split()) - len(expansion.split()) <= WRITTEN_OUT_EXTRA:
            entry = ctx.k.entries[entry_id]
            return [Interpretation("glossary", WRITTEN_OUT, f"asks about {expansion} written out",
                                   ctx.replies.entry(entry, 1.0), memory={"entry": entry.id}, key=f"entry:{entry.id}")]
    return []


_CLAUSES = re.compile(r"[,;:.!?]+\s+|\s+[-–—]+\s+")
# a clause asking only what an acronym written in capitals is ("... - whats a TAC?? the SW wrote it")
_WHATS_ACRONYM = re.compile(r"^\W*(?:so |and |but )?(?:what(?:'s| is| are)|whats|wats|wots) (?:a |an |the )?[A-Z][A-Z+&]{1,10}"
                            r"\+?s?\W*$")
# "and CPI?", "what about SDQ?": one more acronym, straight after the meaning of another
_ANOTHER_TERM = re.compile(r"^\W*(?:and|or|also|what about|how about)\s+(?:the\s+|an?\s+)?([A-Za-z][A-Za-z+&]{1,11}\+?)\s*\??\s*$",
                           re.IGNORECASE)
ANOTHER_TERM = 1.0   # (as sure as an acronym asked on its own)


def _asks_about_acronym(hits: set[str], ctx: Context, text: str) -> bool:
    """True when the question names the acronym itself as what it asks about ("what is YJS ...")."""
    term = ctx.k.entries[next(iter(hits))].title.split(":")[0].strip()
    return bool(re.search(rf"\b(?:what (?:does|do|is|'s)|whats) (?:the |an? )?{re.escape(term)}\b", text, re.I))


def _names_another_subject(ctx: Context, rest: str) -> bool:
    """True when the words beside the acronym name a subject of the knowledge's own titles ("Turnaround"), which a
    "what is it?" may be asking about instead."""
    return any(stem(w) in ctx.index.title_words and ctx.index.idf.get(stem(w), 0.0) >= SUBJECT_IDF
               for w in rest.split() if w not in _FRAME_WORDS)


def _meaning(ctx: Context, text: str) -> list[Interpretation]:
    """The glossary reading of one question, if it only asks what an acronym means."""
    words = [w.replace("’", "'") for w in re.findall(r"[A-Za-z][A-Za-z+&'’]*(?<!['’])\+?", text)]
    if not words or len(words) > 14:
        return []
    # an acronym that is also an everyday word ("send", "pep") counts only written in capitals or on its own
    hits = {ctx.k.glossary_terms[w.lower()] for w in words if w.lower() in ctx.k.glossary_terms
            and (w.isupper() or len(words) <= 2 or (w.lower() not in _COMMON_WORDS
                                                    and not ctx.index.is_word(w.lower())))}
    asked = _ASKS_WHAT.match(text)
    if asked and re.match(r"\W*what (?:does|do)\b", asked.group(0), re.IGNORECASE) and not _MEANING_CUE.search(
            text.lower()):
        asked = None   # "what does the LA SLA offer" asks what it does, not what it means
    if len(hits) > 1 and asked and asked.group(1).lower() in ctx.k.glossary_terms:
        # "what's a TSM with ISS": the acronym asked about comes first, the others say where it was met
        hits = {ctx.k.glossary_terms[asked.group(1).lower()]}
        term = asked.group(1).lower()
        rest = " ".join(w.lower() for w in words if w.lower() != term)
        if len([w for w in re.sub(_MEANING_CUE, " ", rest).split() if w not in _FRAME_WORDS]) > MAX_CONTEXT_WORDS:
            return []
        rest = "what is"   # only the acronym and where it was met: asks its meaning
    elif len(hits) != 1:
        return []
    else:
        rest = " ".join(w.lower() for w in words if w.lower() not in ctx.k.glossary_terms)
    if _names_another_subject(ctx, _FILLER.sub(" ", rest)) and not _asks_about_acronym(hits, ctx, text):
        return []   # "YJS mentioned Turnaround, what is it?": "it" is the subject named after the acronym
    score = ONLY_THE_ACRONYM if rest in DEFINITION_FRAMES and len(words) == len(rest.split()) + 1 else SCORE
    if score < ONLY_THE_ACRONYM and _MEANING_CUE.search(text.lower()):
        score = SAYS_MEANING   # "what does RHP mean on a timetable" asks for the expansion, whatever else it names
    if rest not in DEFINITION_FRAMES:
        rest = " ".join(re.findall(r"[a-z']+", _FILLER.sub(" ", rest)))
        rest = re.sub(r"\b(is|it|and|the|a|an|what|so)\b(?=.*\b(what|mean)\b)", "", rest).strip()
        rest = " ".join(rest.split())
        if rest not in DEFINITION_FRAMES and not _only_asks_meaning(rest):
            return []
    entry = ctx.k.entries[hits.pop()]
    return [Interpretation("glossary", score, f"asks what {entry.title.split(':')[0]} means",
                           ctx.replies.entry(entry, 1.0), memory={"entry": entry.id}, key=f"entry:{entry.id}")]


# "the adoption SW keeps writing PLAC in emails, what is it?": an acronym met in capitals, then what "it" means
_ASKS_WHAT_IT_IS = re.compile(r"\b(?:what(?:'s| is)|whats) (?:it|that|this)(?: (?:mean|stand for|short for))?\W*$|"
                              r"\bwhat (?:does|do) (?:it|that|this|they) (?:mean|stand for)\W*$", re.IGNORECASE)
_ABOUT_CODING = re.compile(r"\b(?:codes?|coded|mark(?:ed)?|reg|register(?:ed)?|registration|session)\b", re.IGNORECASE)
_CAPITAL_NAME = re.compile(r"(?<![.?!]\s)(?<!^)\b[A-Z][a-z]{3,}\b")


def _met_then_asked(ctx: Context) -> list[Interpretation]:
    """One acronym written in capitals in a story that ends asking what "it" is, when no other name in the story
    (a programme such as "Turnaround") could be what "it" stands for."""
    if not _ASKS_WHAT_IT_IS.search(ctx.text) or ctx.named or _ABOUT_CODING.search(ctx.text):
        return []   # ("... not there at reg, obviously not O, so what is it?" asks for a code)
    terms = {ctx.k.glossary_terms[w.lower()] for w in _capital_acronyms(ctx.text) if w.lower() in ctx.k.glossary_terms}
    terms -= _asker_roles(ctx)
    if len(terms) != 1 or any(stem(w.lower()) in ctx.index.title_words for w in _CAPITAL_NAME.findall(ctx.text)):
        return []
    entry = ctx.k.entries[terms.pop()]
    return [Interpretation("glossary", SCORE, f"asks what {entry.title.split(':')[0]}, met in the story, means",
                           ctx.replies.entry(entry, 1.0), memory={"entry": entry.id}, key=f"entry:{entry.id}")]


def _capital_acronyms(text: str) -> list[str]:
    """Acronyms written in capitals, in the order they appear."""
    return re.findall(r"\b[A-Z][A-Z+&]{1,10}\+?(?![\w+])", text)


# Who is asking ("new DT at a Romsey primary", "DSL here", "as the SENCo"): their role, not what they ask about
_ROLE = re.compile(r"^\W*(?:(?:hi|hello|hey|morning)\W+)?(?:i'?m (?:an? |the )?|i am (?:an? |the )?|as (?:an? |the )?)?(?:new |newly "
                   r"qualified |acting |deputy )?([A-Z][A-Za-z]{1,5})\b(?= (?:at|for|in|here|from|with)\b)")


def _asker_roles(ctx: Context) -> set[str]:
    """The glossary entries of the asker's own role, named as they introduce themselves."""
    role = _ROLE.match(ctx.text)
    return {ctx.k.glossary_terms[role.group(1).lower()]} if role and role.group(1).lower() in ctx.k.glossary_terms \
        else set()


# "what do they stand for", "no idea what either is": the meanings of every acronym named are asked at once
_ASKS_THEIR_MEANINGS = re.compile(r"\bwhat (?:do|does) (?:they|these|those|both|either|the two|all) (?:\w+ )?(?:stand for|mean)\b|"
                                  r"\bwhat (?:either|both|each) (?:of them )?(?:is|are|means?|stands? for)\b|"
                                  r"\bwhat (?:they|these|those) (?:mean|stand for)\b", re.IGNORECASE)
SEVERAL = 0.95     # two or three acronyms, and what they stand for asked
# an acronym describing the child ("a LAC yr9's file", "our CIN kid"): who it is about, not what is asked
_DESCRIBING = re.compile(r"\b[A-Z][A-Z+&]{1,10}\+?(?= (?:y(?:r|ear)? ?\d{1,2}|kid|child|pupil|boy|girl|lad|student|"
                         r"young person|yp|case|family)\b)")


def _several(ctx: Context) -> list[Interpretation]:
    """Two or three acronyms named in capitals with their meanings asked together: each expansion, the first
    acronym's entry kept as the subject and every one remembered, so "the second one?" can follow."""
    if not _ASKS_THEIR_MEANINGS.search(ctx.text):
        return []
    roles = _asker_roles(ctx)
    ids: list[str] = []
    for word in _capital_acronyms(_DESCRIBING.sub(" ", ctx.text)):
        entry_id = ctx.k.glossary_terms.get(word.lower())
        if entry_id and entry_id not in ids and entry_id not in roles and entry_id in ctx.k.entries:
            ids.append(entry_id)
    if not 2 <= len(ids) <= 3:
        return []
    entries = [ctx.k.entries[i] for i in ids]
    text = "\n\n".join(f"{e.title}\n{e.answer.strip()}" for e in entries)
    reply = ctx.replies.entry(entries[0], confidence=SEVERAL, text=text,
                              title=" and ".join(e.title.split(":")[0] for e in entries))
    return [Interpretation("glossary", SEVERAL, f"asks what {len(ids)} acronyms stand for", reply,
                           memory={"entry": ids[0], "terms": ids}, key="terms:" + "/".join(ids))]


_ORDINAL_TERM = re.compile(r"\b(?:the )?(first|1st|second|2nd|third|3rd|last|other)(?: one| acronym| term| form)?\b",
                           re.IGNORECASE)


def term_meant(context: dict | None, text: str) -> tuple[dict | None, str]:
    """After several acronyms explained at once, "the second one" is the subject of what follows: it becomes the
    last answer, and the message asks about "it"."""
    terms = (context or {}).get("terms")
    said = _ORDINAL_TERM.search(text) if terms else None
    if not said:
        return context, text
    word = said.group(1).lower()
    index = -1 if word == "last" else 1 if word == "other" else ORDINALS[word] - 1   # ("the other one" of two)
    if not -len(terms) <= index < len(terms):
        return context, text
    return {**context, "entry": terms[index]}, f"{text[:said.start()]}it{text[said.end():]}"
