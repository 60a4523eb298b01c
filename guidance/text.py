"""Text normalisation shared by indexing and querying: cleaning, synonyms, stop words and light stemming."""
from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

MAX_QUERY_CHARS = 600  # longer messages are matched on their first part; the rest adds noise, not meaning

STOP_WORDS = frozenset("""
a an the and or but if then so of to in on at by for with from as into onto about over under than this that these
those there here it its is are was were be been being am do does did doing done have has had having i me my we our
you your he him his she her they them their what which who whom whose when where why how can could should would
will shall may might must please thanks thank hi hello hey just really very also any some all each other such
own same too only not no nor yes ok okay get got go going gone want need know tell told say said use used using
one im ive id dont doesnt isnt arent wasnt cant wont shouldnt whats thats theres whos hes shes theyre
mean means meaning way ways hers theirs ours yours surely though tbh tho bc cos coz mainly mostly imo fyi
actually basically literally honestly quickly quick query wondering wonder pls plz cheers thx anyone mention mentioned mentions mentioning
anywhere somewhere anyway whether
""".split())

_CONTRACTIONS = [
    (re.compile(r"\b(can)'?t\b"), r"\1 not"),
    (re.compile(r"\bwon['’]t\b"), "will not"),
    (re.compile(r"\bshan['’]t\b"), "shall not"),
    (re.compile(r"n't\b"), " not"),
    (re.compile(r"'(s|re|ve|ll|d|m)\b"), ""),
    (re.compile(r"\b(\d{1,2}) ?(?:yrs?|y/o|yo)\b"), r"\1 year"),   # "6 yr olds", "14yo": an age, not Year R
]
_TOKEN = re.compile(r"[a-z0-9]+(?:\+)?")
_SURROGATE = re.compile("[\ud800-\udfff]")
_SPACE_RUN = re.compile(r"\s+")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f\u200b-\u200f\u2028-\u202e\u2060-\u206f\ufeff]")


@lru_cache(maxsize=16)
def clean(text: str) -> str:
    """Return printable, valid text: lone surrogates (which no encoder accepts) replaced by U+FFFD, control
    characters removed, Unicode compatibility-normalised, spaces folded (remembered for the last few messages, since
    several skills clean the same one)."""
    text = _SURROGATE.sub("\ufffd", text)
    text = unicodedata.normalize("NFKC", text)
    text = _CONTROL.sub(" ", text)
    return _SPACE_RUN.sub(" ", text).strip()


def for_lower_case(pattern: re.Pattern[str]) -> re.Pattern[str]:
    """The same case-blind pattern for text already lower-cased: without IGNORECASE when it spells no capital letter
    (nor an escape such as \\W), which Python's engine matches about twice as fast."""
    if pattern.flags & re.IGNORECASE and not re.search("[A-Z]", pattern.pattern):
        return re.compile(pattern.pattern, pattern.flags & ~re.IGNORECASE)
    return pattern


def small_number(text: str, digits: int = 3) -> int | None:
    """The number a typed choice or button action means ("2"), or None; only the digits 0 to 9 count, so "¹" or
    "٣" (which str.isdigit accepts) never reach int()."""
    return int(text) if re.fullmatch(f"[0-9]{{1,{digits}}}", text) else None


def stem(word: str) -> str:
    """Reduce a word to a rough stem so plurals and tenses match (absences -> absenc, attended -> attend)."""
    if len(word) <= 3 or word.isdigit():
        return word
    if word.endswith("ies") and len(word) > 4:
        word = word[:-3] + "y"
    elif word.endswith("sses"):
        word = word[:-2]
    elif word.endswith("s") and not word.endswith(("ss", "us", "is")):
        word = word[:-1]
    if word.endswith("ly") and len(word) > 6:
        word = word[:-2]
    if word.endswith("ing") and len(word) > 5:
        word = word[:-3]
    elif word.endswith("ed") and len(word) > 4:
        word = word[:-2]
        if len(word) == 3 and word[1] in "aeiou" and word[2] not in "aeiouwxy":
            word += "e"      # coded -> code, timed -> time: the same stem as the word itself
    if word.endswith("e") and len(word) > 4:
        word = word[:-1]
    return word


class Normaliser:
    """Turns text into comparable tokens, applying the knowledge's synonym map."""

    def __init__(self, synonyms: dict[str, str] | None = None):
        self.synonyms = dict(synonyms or {})
        phrases = sorted((v for v in self.synonyms if " " in v), key=len, reverse=True)
        self._phrase_re = (re.compile(r"\b(" + "|".join(re.escape(p) for p in phrases) + r")\b")
                           if phrases else None)

    def words(self, text: str, limit: int | None = MAX_QUERY_CHARS) -> list[str]:
        """Return lower-case words with synonyms applied, stop words kept; a message is read up to `limit`
        characters (None: all of it, as for the knowledge's own answers)."""
        text = clean(text)[:limit].lower().replace("’", "'").replace("&", " and ")
        for pattern, repl in _CONTRACTIONS:
            text = pattern.sub(repl, text)
        text = re.sub(r"(\d)[.:](\d\d)\b", r"\1h\2", text)  # keep 9.20 together as one token 9h20
        if self._phrase_re:
            text = self._phrase_re.sub(lambda m: f" {self.synonyms[m.group(1)]} ", text)
        out = []
        for tok in _TOKEN.findall(text):
            out.extend(self.synonyms.get(tok, tok).split())
        return out

    def tokens(self, text: str) -> list[str]:
        """Return stemmed content tokens (stop words removed) for matching."""
        return [stem(w) for w in self.words(text) if w not in STOP_WORDS]

    def phrase(self, text: str) -> str:
        """Return the content tokens joined by spaces, for fuzzy string comparison."""
        return " ".join(self.tokens(text))


# A question put after a situation ("Eastleigh Y5 boy cares for his brother, who can we refer him to?") starts with a
# question word, or is the last sentence and ends with a question mark.
_QUESTION_CUE = re.compile(r"^(?:(?:and|so|but|pls|please|just|ok|also)\s+)?(?:who|what|whats|what's|how|which|where|"
                           r"when|why|can|could|do|does|did|should|shall|is|are|will|would|must|has|have|any|anyone|"
                           r"tell me|need to know|wondering)\b", re.IGNORECASE)
_CLAUSE_BREAK = re.compile(r"(?<=[.?!;])\s+|\n+|,\s+(?!(?:who|which)(?:'s| has(?! to)| had| was| lives| cares| looks)|"
                           r"which (?:i|we|is|seems|sounds|makes|means)\b)|"
                           r"\s+-+\s+", re.IGNORECASE)   # ", who has a drinking problem" describes; it asks nothing


# A remark about the asker after the question ("first time doing one", "thanks!", "don't want to just get a % back"): no
# part of it ("sorry, I meant ..." corrects it, and stays)
# What the answer is for ("for our governors report", "got FGB tonight"): not what it is about.
_FOR_WHAT = re.compile(r"(?:for (?:our|the|a|my) (?:\w+ )?(?:governors?'?|fgb|lgb|board|slt|trust|heads?'?) ?(?:report|meeting|"
                       r"paper|pack|briefing|presentation)|(?:got|have|for) (?:an? |the |our )?(?:fgb|lgb|governors'? meeting|"
                       r"board meeting|slt meeting) (?:tonight|tomorrow|today|later|next week|this week))\W*$", re.IGNORECASE)
_ASIDE = re.compile(r"^(?:(?:and|but|so)\s+)?(?:thanks|thank you|many thanks|cheers|lol|haha|hope (?:that|this) makes "
                    r"sense|first time (?:i'?ve|i have|doing|dealing|having|handling)|(?:i'?m|i am|still|bit|quite) new|"
                    r"new to (?:this|the role|the job|the team|attendance)|(?:i |we )?(?:do ?n'?t|do not|dont) (?:want|need) (?:to )?(?:just |only )?"
                    r"(?:get|have|be given|receive|end up with)|(?:i'?m |we'?re )?not (?:just )?(?:after|looking for|wanting)|"
                    # who asked the asker, and how that went ("our new governor asked and i fumbled it")
                    r"(?:our|my|the|a) (?:new |link )?(?:governor|head|headteacher|manager|boss|colleague|senco|dsl|line "
                    r"manager|team|parent|mum|dad|trainee|student) (?:asked|was asking|wants to know|wanted to know|"
                    r"put me on the spot)|i (?:fumbled|blanked|froze|forgot|was ?n.?t sure|was not sure|did ?n.?t know|"
                    r"did not know|could ?n.?t answer|could not answer|had no idea)|" + _FOR_WHAT.pattern + r")\b",
                    re.IGNORECASE)


# A question reported rather than asked ("mum asking me how many days off before a fine"), told first
_REPORTED_QUESTION = re.compile(r"\b(?:asking|asked|asks|wants to know|wanted to know|want to know|wondering|wondered)(?: me| us| "
                                r"the school| school)?\s+((?:how|what|why|when|whether|if|who|which|where)\b.*)$", re.IGNORECASE)
TRAILING_WORDS = 8   # words after a question mark that still belong to the question ("... for? first time, thanks")


@lru_cache(maxsize=512)
def without_asides(text: str) -> str:
    """The message without clauses that only say what the answer is for ("for our governors report", "got FGB
    tonight"), when anything else is left."""
    parts = [p.strip() for p in _CLAUSE_BREAK.split(text) if p and p.strip()]
    kept = [p for p in parts if not _FOR_WHAT.match(p)]
    return " ".join(kept) if kept and len(kept) < len(parts) else text


def asked_part(text: str) -> str | None:
    """The question a longer message ends with, after the situation it describes (None when the whole message is the
    question, or there is no question part)."""
    parts = [p.strip() for p in _CLAUSE_BREAK.split(text) if p and p.strip()]
    for i in range(len(parts) - 1, 0, -1):
        if _QUESTION_CUE.match(parts[i]) or parts[i].endswith("?"):
            after = [p for p in parts[i + 1:] if not _ASIDE.match(p)]   # ("... for? first time doing one, thanks")
            if parts[i].endswith("?") and sum(len(p.split()) for p in after) > TRAILING_WORDS:
                after = []   # a question, then the situation told at length after it: the question is its own part
            return " ".join([parts[i], *after])
    if len(parts) > 1 and parts[0].endswith("?"):
        return parts[0]   # "does HYCA work with 6 year olds? got a little one in Y1 ...": asked first, then told
    reported = _REPORTED_QUESTION.search(parts[0]) if len(parts) > 1 else None
    if reported:
        return parts[0][reported.start(1):]   # "parent asking me how many days before a fine, their yr7 has ..."
    return None


# Requests to do a task rather than questions about guidance ("translate this", "book the hall") are out of scope.
_TASK = re.compile(r"^\s*(?:hi,? |hey,? |ok,? |so,? )?(?:can you |could you |would you |will you |please |pls |i need "
                   r"you to |i want you to )?(?:please )?(translate|book|reserve|reset|recommend|suggest|order|buy|"
                   r"write me|draft|compose|send|email(?! (?:address(?:es)?|for|of|contact|to (?:refer|use|contact)))|print|schedule|remind(?! (?:me|us) (?:again )?(?:what|who|how|where|why|which|whether))|play|sing|convert|summari[sz]e this|"
                   r"proofread|fix my|find me|show me the weather)\b|\b(?:reset|change|forgot(?:ten)?|unlock) (?:my|the|a|"
                   r"our) (?:\w+ )?(?:password|log ?in|pin|account)\b|\bhow (?:do|can|should|would) (?:i|we) (?:book|reserve|"
                   r"order|buy|hire) (?:the |a |an |our )?(?:school )?(?:minibus|coach|hall|room|pitch|photographer|"
                   r"tickets?|supplies|uniform)\b", re.IGNORECASE)


def asks_for_task(text: str) -> bool:
    """True when the message asks for something to be done ("book the minibus"), not a guidance question."""
    return bool(_TASK.search(text))
