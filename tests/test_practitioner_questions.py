"""Questions typed the way practitioners type them (teachers, attendance officers, social workers, youth justice and
Virtual School staff), through the whole assistant: each must be answered with the entry that covers it.

Real wording varies more than any phrasing list, so the set as a whole must pass with at most MAX_FAILURE_SHARE
failures; every failure is listed in the assertion message."""
from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest
import yaml

DATA = Path(__file__).parent / "data" / "practitioner_questions.yaml"
CASES = yaml.safe_load(DATA.read_text())
MAX_FAILURE_SHARE = 0.10
AREAS = {"ap", "social-workers", "virtual-school", "youth-justice", "young-carers", "gp-medical",
         "safeguarding-mention", "acronyms", "calculator"}


def _expected(case) -> list[str]:
    expect = case["expect"]
    return list(expect) if isinstance(expect, list) else [expect]


def _answered(case, reply) -> bool:
    """True when the reply is one of the expected entries, or of an expected kind ("kind:calculation")."""
    expected = _expected(case)
    return reply.id in expected or f"kind:{reply.kind}" in expected


def _normalise(text: str) -> str:
    return " ".join(re.findall(r"[a-z0-9]+", str(text).lower()))


def test_the_questions_are_well_formed(knowledge):
    """Each case names a known area and answers that exist; no question is asked twice."""
    known = set(knowledge.entries) | set(knowledge.trees) | {"kind:calculation"}
    problems = [(c.get("question"), sorted(set(_expected(c)) - known)) for c in CASES
                if not c.get("question") or c.get("area") not in AREAS or set(_expected(c)) - known]
    assert not problems, problems
    repeated = [q for q, n in Counter(_normalise(c["question"]) for c in CASES).items() if n > 1]
    assert not repeated, repeated


def test_no_question_is_copied_into_the_knowledge(knowledge):
    """The questions test understanding of new wording: none may be an entry's own phrasing."""
    phrasings = {_normalise(q) for e in knowledge.entries.values() for q in e.questions}
    phrasings |= {_normalise(q) for t in knowledge.trees.values() for q in t.questions}
    copied = [c["question"] for c in CASES if _normalise(c["question"]) in phrasings]
    assert not copied, copied


def test_practitioner_questions_get_the_entry_that_answers_them(assistant):
    """At most a tenth of the questions may miss; each miss is listed with what was answered instead."""
    failures = []
    for case in CASES:
        reply = assistant.answer(case["question"])
        if not _answered(case, reply):
            failures.append(f"[{case['area']}] {case['question']!r}: expected {_expected(case)}, "
                            f"got {reply.kind} {reply.id}")
    allowed = int(MAX_FAILURE_SHARE * len(CASES))
    assert len(failures) <= allowed, (f"{len(failures)} of {len(CASES)} missed (at most {allowed} allowed):\n"
                                      + "\n".join(failures))


@pytest.mark.parametrize("area", sorted(AREAS))
def test_no_area_is_left_behind(assistant, area):
    """No single practice area may miss more than a quarter of its questions, however well the others do."""
    cases = [c for c in CASES if c["area"] == area]
    missed = [c["question"] for c in cases if not _answered(c, assistant.answer(c["question"]))]
    assert len(missed) <= len(cases) // 4, missed


def test_questions_that_mention_safeguarding_are_not_escalated(assistant):
    """A question about safeguarding guidance is answered, not treated as a disclosure."""
    escalated = [c["question"] for c in CASES if c["area"] == "safeguarding-mention"
                 and assistant.answer(c["question"]).kind == "safeguarding"]
    assert not escalated, escalated
