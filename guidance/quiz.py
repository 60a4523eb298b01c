"""Quiz practice: choose questions for a round, mark answers, and decide what needs review; pure, no I/O."""
from __future__ import annotations

import random
from dataclasses import dataclass

from .models import QuizQuestion

ROUND_SIZES = (5, 10)
RIGHT_TO_CLEAR = 2  # a missed question keeps coming back until answered right this many times


@dataclass(frozen=True)
class Progress:
    """One user's record on one question."""

    question: str
    topic: str
    attempts: int = 0
    correct: int = 0
    needs_review: bool = False
    right_since_wrong: int = 0
    last_round: int = 0


def topics(bank: dict[str, QuizQuestion]) -> dict[str, int]:
    """Return each topic with its number of questions."""
    out: dict[str, int] = {}
    for q in bank.values():
        out[q.topic] = out.get(q.topic, 0) + 1
    return dict(sorted(out.items()))


def pick_round(bank: dict[str, QuizQuestion], size: int, topic: str | None = None,
               seen: dict[str, Progress] | None = None, rng: random.Random | None = None) -> list[str]:
    """Choose up to `size` questions, preferring ones the user has answered least."""
    rng = rng or random.Random()
    pool = [q.id for q in bank.values() if topic is None or q.topic == topic]
    seen = seen or {}
    rng.shuffle(pool)
    pool.sort(key=lambda qid: seen[qid].attempts if qid in seen else 0)
    return pool[:size]


def review_round(progress: dict[str, Progress], bank: dict[str, QuizQuestion], round_number: int,
                 size: int = 10) -> list[str]:
    """Choose missed questions for review, spaced: one answered right last round waits a round."""
    due = [p for p in progress.values() if p.needs_review and p.question in bank
           and (p.right_since_wrong == 0 or round_number - p.last_round >= 2)]
    due.sort(key=lambda p: (p.right_since_wrong, p.last_round))
    return [p.question for p in due[:size]]


def record(progress: Progress | None, question: QuizQuestion, correct: bool, round_number: int) -> Progress:
    """Return the user's progress on a question after one answer."""
    p = progress or Progress(question.id, question.topic)
    if correct:
        right = p.right_since_wrong + 1 if p.needs_review else 0
        needs = p.needs_review and right < RIGHT_TO_CLEAR
        return Progress(p.question, question.topic, p.attempts + 1, p.correct + 1, needs, right if needs else 0,
                        round_number)
    return Progress(p.question, question.topic, p.attempts + 1, p.correct, True, 0, round_number)


def is_correct(question: QuizQuestion, choice: int) -> bool:
    """True when the chosen option is the right one."""
    return choice == question.answer


@dataclass(frozen=True)
class Stats:
    """A user's progress summary."""

    answered: int
    correct: int
    streak: int
    best_streak: int
    weakest: tuple[tuple[str, int, int], ...]  # (topic, correct, answered), weakest first
    to_review: int


def summarise(history: list[bool], progress: dict[str, Progress]) -> Stats:
    """Summarise answers (oldest first) and per-question progress into stats."""
    streak = best = run = 0
    for ok in history:
        run = run + 1 if ok else 0
        best = max(best, run)
    for ok in reversed(history):
        if not ok:
            break
        streak += 1
    by_topic: dict[str, list[int]] = {}
    for p in progress.values():
        t = by_topic.setdefault(p.topic, [0, 0])
        t[0] += p.correct
        t[1] += p.attempts
    weakest = sorted(((t, c, n) for t, (c, n) in by_topic.items() if n), key=lambda x: (x[1] / x[2], -x[2]))
    return Stats(len(history), sum(history), streak, best, tuple(weakest[:3]),
                 sum(1 for p in progress.values() if p.needs_review))
