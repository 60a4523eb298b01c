"""Frozen data classes shared by the loader, the validator, the engine and the channels."""
from __future__ import annotations

import re

from dataclasses import dataclass, field
from functools import cached_property

from .actions import action_role, target


@dataclass(frozen=True)
class Source:
    """Where a fact comes from: a seed file name or a national guidance title, and the section.

    ``doc`` is always what the knowledge file cites (for a seed document, its file name). ``title`` is the
    readable title from knowledge/documents.yaml, filled in by the loader once every file is read.
    """

    doc: str
    where: str = ""
    title: str = ""

    def label(self) -> str:
        """Return the source as one short line for a reply: the document's readable title where it has one."""
        if self.title:
            return f"{self.title}: {self.where}" if self.where else self.title
        return f"{self.doc} ({self.where})" if self.where else self.doc

    def cite(self) -> str:
        """Return the label with the cited file name kept, for exports and checks: "title: where (file)"."""
        return f"{self.label()} ({self.doc})" if self.title else self.label()


@dataclass(frozen=True)
class Document:
    """A source document's readable title and date (knowledge/documents.yaml), keyed by its file name."""

    file: str
    title: str
    date: str
    short: str = ""        # the title shown in replies when the full title is long
    source_file: str = ""  # the knowledge file that describes it
    line: int = 0

    @property
    def label(self) -> str:
        """The title replies show."""
        return self.short or self.title


@dataclass(frozen=True)
class AgeRange:
    """The ages a service works with, in years (17.75 is 17 and three quarters), as the source words them, and what
    to do for a child outside them."""

    service: str            # "Youth Justice Prevention"
    youngest: float
    oldest: float
    says: str               # "10 to 17 and three quarters"
    outside: str            # advice for a child outside the range


@dataclass(frozen=True)
class Entry:
    """One answerable piece of guidance: an ordinary entry, a code, a coding scenario or a glossary term."""

    id: str
    title: str
    answer: str
    kind: str = "answer"  # answer | code | scenario | glossary
    topic: str = ""
    questions: tuple[str, ...] = ()
    keywords: tuple[str, ...] = ()
    see: tuple[str, ...] = ()
    codes: tuple[str, ...] = ()
    sources: tuple[Source, ...] = ()
    reviewed: str = ""
    file: str = ""
    line: int = 0
    ages: AgeRange | None = None     # the ages the service it describes works with, when the source gives them


@dataclass(frozen=True)
class CodeInfo:
    """One national attendance code with its category, statistical treatment, rule and usual confusions."""

    code: str
    meaning: str
    category: str
    statistics: str
    rule: str
    confused_with: tuple[tuple[str, str], ...] = ()
    entry_id: str = ""


@dataclass(frozen=True)
class FactValue:
    """One value a scenario fact can take and the word patterns that state it."""

    fact: str
    value: str
    patterns: tuple[str, ...]
    line: int = 0
    never: tuple[str, ...] = ()    # codes no walk-through outcome reached through this value can give


@dataclass(frozen=True)
class Option:
    """A choice at a tree node: its button label and the node it leads to."""

    label: str
    next: str
    line: int = 0
    values: tuple[str, ...] = ()   # the node's fact values that choose this option when a scenario states them
    when: tuple[tuple[tuple[str, tuple[str, ...]], ...], ...] = ()  # or any condition: every (fact, values) holds
    default: bool = False          # chosen when the scenario does not state the node's fact at all


@dataclass(frozen=True)
class Node:
    """A tree node: either a question with options or an outcome with its text, codes and sources."""

    id: str
    ask: str = ""
    fact: str = ""                 # the scenario fact this question decides (see scenario-facts.yaml)
    options: tuple[Option, ...] = ()
    outcome: str = ""
    codes: tuple[str, ...] = ()
    see: tuple[str, ...] = ()
    sources: tuple[Source, ...] = ()
    line: int = 0

    @property
    def is_outcome(self) -> bool:
        """True when this node ends the walk."""
        return bool(self.outcome)


@dataclass(frozen=True)
class Tree:
    """A step-by-step decision tree and the phrasings that start it."""

    id: str
    title: str
    start: str
    nodes: dict[str, Node]
    questions: tuple[str, ...] = ()
    file: str = ""
    line: int = 0


@dataclass(frozen=True)
class QuizQuestion:
    """A multiple-choice practice question with one correct option and a short explanation."""

    id: str
    topic: str
    question: str
    options: tuple[str, ...]
    answer: int
    explanation: str
    entry: str = ""
    sources: tuple[Source, ...] = ()
    file: str = ""
    line: int = 0


@dataclass(frozen=True)
class Problem:
    """A knowledge problem found by loading or validation, naming where it is and how to fix it."""

    file: str
    line: int
    id: str
    message: str
    fix: str = ""
    severity: str = "error"  # error | warning

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        ident = f" [{self.id}]" if self.id else ""
        fix = f" Fix: {self.fix}" if self.fix else ""
        return f"{where}{ident}: {self.severity}: {self.message}.{fix}"


@dataclass(frozen=True)
class RegisterRules:
    """The figures for reading a pupil's register: thresholds, the penalty-notice window and the N-code deadline."""

    sessions_per_day: int = 2
    school_days_per_week: int = 5
    closure_codes: tuple[str, ...] = ("#",)
    persistent_absence_percent: int = 10
    severe_absence_percent: int = 50
    register_open_minutes: int = 30
    local_wording: str = ""
    penalty_sessions: int = 10
    penalty_school_weeks: int = 10
    penalty_codes: tuple[str, ...] = ()
    penalty_from: str = ""
    penalty_wording: str = ""
    n_code: str = "N"
    n_code_school_days: int = 5
    n_code_replace_with: str = "O"
    next_steps: tuple["NextStep", ...] = ()
    sources: tuple[Source, ...] = ()
    file: str = ""
    line: int = 0


@dataclass(frozen=True)
class NextStep:
    """One next step a register reading can suggest: when it applies, what it says and the guidance it links."""

    when: str                       # concern | no-concern | overdue-n | always
    text: str
    links: tuple[str, ...] = ()


@dataclass(frozen=True)
class Button:
    """A choice offered with a reply: the label a person sees and the action sent back when chosen."""

    label: str
    action: str

    @property
    def role(self) -> str:
        """What pressing it does (guidance.actions.action_role), so a channel never reads the action's spelling."""
        return action_role(self.action)

    @property
    def target(self) -> str:
        """The entry or walk-through an open or tree button leads to; empty for other buttons."""
        return target(self.action)


@dataclass(frozen=True)
class Poll:
    """A quiz question in the shape channels with native quiz polls need."""

    question: str
    options: tuple[str, ...]
    correct: int
    explanation: str


@dataclass(frozen=True)
class Image:
    """A picture sent with a reply (a PNG), with the words that stand in for it where a channel cannot show it."""

    png: bytes
    alt: str
    filename: str = "chart.png"


@dataclass(frozen=True)
class Reply:
    """A channel-neutral reply: what kind it is, the part it plays in the conversation (role), the text, and what a
    channel may render better.

    ``kind`` says where the reply came from (the ask interface reports it); ``role`` says what it is for, so a channel
    can lay it out without reading its words: a walk-through step may replace the message whose button moved it on,
    a quiz verdict can be left out where the channel has shown it already, a receipt goes to the person who pressed.
    Whoever builds a reply sets its role (REPLY_ROLES lists them); a reply built without one plays the role its
    kind names."""

    kind: str
    text: str
    id: str | None = None
    title: str | None = None
    codes: tuple[str, ...] = ()
    confidence: float = 0.0
    sources: tuple[str, ...] = ()
    suggestions: tuple[str, ...] = ()
    buttons: tuple[Button, ...] = ()
    poll: Poll | None = None
    image: Image | None = None
    role: str = ""

    def __post_init__(self) -> None:
        if not self.role:  # a reply whose kind says what it is for
            object.__setattr__(self, "role", self.kind)

    def to_dict(self, query: str | None = None) -> dict:
        """Return the reply as the JSON object the ask and converse interfaces write."""
        data = {
            "kind": self.kind,
            "role": self.role,
            "id": self.id,
            "title": self.title,
            "text": self.text,
            "codes": list(self.codes),
            "confidence": round(min(1.0, max(0.0, float(self.confidence))), 3),
            "sources": list(self.sources),
            "suggestions": list(self.suggestions),
            "buttons": [{"label": b.label, "action": b.action} for b in self.buttons],
        }
        if self.poll is not None:
            data["poll"] = {"question": self.poll.question, "options": list(self.poll.options),
                            "correct": self.poll.correct, "explanation": self.poll.explanation}
        if self.image is not None:
            data["image"] = {"alt": self.image.alt, "filename": self.image.filename, "bytes": len(self.image.png)}
        if query is not None:
            data = {"query": query, **data}
        return data


# What each reply is for. A reply built without a role has its kind as its role.
REPLY_ROLES: dict[str, str] = {
    "answer": "guidance from an entry, or a glossary term explained",
    "code": "an attendance code explained, or the code a described situation needs",
    "calculation": "attendance figures worked out",
    "tree-step": "one step of a walk-through: a question with its options, or where the walk ends",
    "tree-menu": "the walk-throughs to choose from",
    "quiz-question": "a quiz question (it carries a poll for channels with native quizzes)",
    "quiz-verdict": "whether a quiz answer was right, with the explanation (or a group round's answer revealed)",
    "quiz": "other quiz messages: menus, progress, round results, leaderboards",
    "receipt": "a short acknowledgement meant only for the person who pressed a button (a group quiz answer)",
    "did-you-mean": "the close candidates offered as choices instead of a guess",
    "fallback": "no confident answer, with signposts",
    "safeguarding": "escalation advice when a child may be at risk",
    "help": "greetings, help, confirmations and administration",
    "error": "something could not be done, and why",
    "register": "the reading of an uploaded register export",
}


@dataclass
class Turn:
    """What one input did: the replies to send and the conversation state to save afterwards."""

    replies: list[Reply]
    state: dict


@dataclass
class Knowledge:
    """Everything loaded from knowledge/: entries by id, codes, trees, quiz questions and vocabulary."""

    entries: dict[str, Entry] = field(default_factory=dict)
    codes: dict[str, CodeInfo] = field(default_factory=dict)
    trees: dict[str, Tree] = field(default_factory=dict)
    quiz: dict[str, QuizQuestion] = field(default_factory=dict)
    synonyms: dict[str, str] = field(default_factory=dict)
    glossary_terms: dict[str, str] = field(default_factory=dict)  # lower-case term or variant -> entry id
    facts: dict[str, tuple[FactValue, ...]] = field(default_factory=dict)  # fact -> its values, by precedence
    register: RegisterRules | None = None
    concepts: list[tuple[str, tuple[str, ...]]] = field(default_factory=list)  # topic words, situation patterns
    problems: list[Problem] = field(default_factory=list)

    @cached_property
    def linked_from(self) -> dict[str, frozenset[str]]:
        """For each entry, the entries whose "see" lists it (links followed backwards), worked out once."""
        back: dict[str, set[str]] = {}
        for entry in self.entries.values():
            for target in entry.see:
                back.setdefault(target, set()).add(entry.id)
        return {target: frozenset(ids) for target, ids in back.items()}

    @cached_property
    def terms_of(self) -> dict[str, tuple[str, ...]]:
        """For each glossary entry, its term and variants (lower case), worked out once."""
        terms: dict[str, list[str]] = {}
        for term, entry_id in self.glossary_terms.items():
            terms.setdefault(entry_id, []).append(term)
        return {entry_id: tuple(found) for entry_id, found in terms.items()}

    @cached_property
    def like_entries(self) -> dict[str, frozenset[str]]:
        """For each entry that shares its exact "see" links with others (one local project among ten), those others,
        worked out once."""
        groups: dict[tuple[str, ...], set[str]] = {}
        for entry in self.entries.values():
            if entry.see:
                groups.setdefault(tuple(entry.see), set()).add(entry.id)
        return {eid: frozenset(ids - {eid}) for ids in groups.values() if len(ids) > 1 for eid in ids}

    @cached_property
    def code_statistics(self) -> dict[str, str]:
        """Each code's statistical treatment ("present", "unauthorised absence", ...), worked out once."""
        return {code: info.statistics for code, info in self.codes.items()}

    @cached_property
    def glossary_expansions(self) -> tuple[tuple[str, str], ...]:
        """Each glossary term's expansion in lower-case words (from "DT: Designated Teacher"), with its entry id."""
        out = []
        for e in self.entries.values():
            if e.kind == "glossary" and ": " in e.title:
                expansion = " ".join(re.findall(r"[a-z+&']+", e.title.split(": ", 1)[1].lower()))
                if expansion:
                    out.append((expansion, e.id))
        return tuple(out)

    @cached_property
    def ranged_entries(self) -> tuple[Entry, ...]:
        """The entries describing a service with an age range, found once."""
        return tuple(e for e in self.entries.values() if e.ages is not None)
