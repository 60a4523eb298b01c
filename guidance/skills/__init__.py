"""Skills: each reads a message its own way and proposes an interpretation with a score and its evidence; the
assistant answers with the best one (safeguarding outranks all) and asks when two different answers are close."""
from __future__ import annotations

from dataclasses import dataclass, field

from ..config import Settings
from ..facts import FactReader
from ..models import Knowledge, Reply
from ..replies import Replies
from ..retrieval import Index


@dataclass(frozen=True)
class Interpretation:
    """One reading of a message: how sure the skill is (0 to 1), why, and the reply it would give."""

    skill: str
    score: float
    evidence: str
    reply: Reply
    memory: dict | None = None          # what a follow-up may refer to (facts, code, entry, figures); never raw text
    walk: tuple[str, tuple[str, ...]] | None = None   # (tree id, path) when the reply leaves a walk-through open
    key: str = ""                       # what the answer is, so two readings with the same answer never conflict


@dataclass
class Context:
    """Everything a skill may read about one message; skills never change it."""

    text: str
    k: Knowledge
    index: Index
    reader: FactReader
    replies: Replies
    settings: Settings
    memory: dict = field(default_factory=dict)   # what the previous answer left for follow-ups
    facts: dict = field(default_factory=dict)    # scenario facts this message states
    named: list = field(default_factory=list)    # attendance codes this message names as codes
    corrected: str = ""                          # the text with misspelt words corrected (real words untouched)
    raw: str = ""                                # the message as sent, line breaks kept (a pasted register's rows)
