"""Benchmark: knowledge load and validation, per-question latency, throughput and memory, at 1x and 10x size.

Run with `make bench`. Not a test: it measures and prints; the last line sums it up.
"""
from __future__ import annotations

import random
import resource
import statistics
import sys
import time
from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from guidance.assistant import Assistant  # noqa: E402
from guidance.loader import load_knowledge  # noqa: E402
from guidance.models import Knowledge  # noqa: E402
from guidance.register import read_text  # noqa: E402
from guidance.replies import Replies  # noqa: E402
from guidance.skills import register as register_skill  # noqa: E402
from guidance.validate import validate  # noqa: E402

QUESTIONS = 3000
ROUNDS = 3   # the 1x figures are the median of three rounds, so one burst of load on a shared machine does not decide them
EXTRA = ["what code", "please", "for a pupil", "in year 9", "today", "urgent", "quick question"]


def _typo(word: str, rng: random.Random) -> str:
    if len(word) < 5:
        return word
    i = rng.randrange(1, len(word) - 1)
    return word[:i] + word[i + 1] + word[i] + word[i + 2:]


def make_questions(knowledge: Knowledge, n: int, seed: int = 7) -> list[str]:
    """Build n realistic questions: phrasings with typos, dropped words, additions, and off-topic ones."""
    rng = random.Random(seed)
    phrasings = [q for e in knowledge.entries.values() for q in e.questions] or ["register"]
    out = []
    for i in range(n):
        words = rng.choice(phrasings).split()
        if words and rng.random() < 0.4:
            j = rng.randrange(len(words))
            words[j] = _typo(words[j], rng)
        if len(words) > 3 and rng.random() < 0.3:
            words.pop(rng.randrange(len(words)))
        if rng.random() < 0.3:
            words.append(rng.choice(EXTRA))
        if i % 20 == 0:
            words = ["how", "do", "i", "book", "the", "minibus", "for", "a", "staff", "party"]
        out.append(" ".join(words))
    return out


def scaled(knowledge: Knowledge, factor: int, seed: int = 11) -> Knowledge:
    """Return a synthetic knowledge base `factor` times larger, its copies reworded so they do not collide."""
    rng = random.Random(seed)
    vocab = sorted({w for e in knowledge.entries.values() for w in (e.title + " " + e.answer).split() if w.isalpha()})
    big = Knowledge(codes=knowledge.codes, trees=knowledge.trees, synonyms=knowledge.synonyms,
                    glossary_terms=knowledge.glossary_terms)
    big.entries.update(knowledge.entries)
    for copy in range(1, factor):
        for e in knowledge.entries.values():
            noise = lambda text: text + " " + " ".join(rng.sample(vocab, 3))  # noqa: E731
            big.entries[f"{e.id}-x{copy}"] = replace(e, id=f"{e.id}-x{copy}", title=noise(e.title),
                                                     questions=tuple(noise(q) for q in e.questions),
                                                     see=())
    return big


def latencies(assistant: Assistant, questions: list[str]) -> tuple[list[float], float]:
    """Answer every question; return per-question milliseconds and total seconds."""
    times = []
    start = time.perf_counter()
    for q in questions:
        t = time.perf_counter()
        assistant.answer(q)
        times.append((time.perf_counter() - t) * 1000)
    return times, time.perf_counter() - start


def pct(values: list[float], p: float) -> float:
    """Return the p-th percentile of values."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * (len(ordered) - 1))))]


def year_of_marks(weeks: int = 38, seed: int = 5) -> str:
    """A school year as a dated week grid (380 sessions): mostly present, with some absence of every kind."""
    rng = random.Random(seed)
    marks = ["/\\"] * 30 + ["II", "MM", "NN", "OO", "GG", "UU", "L\\", "/U", "BB", "C2C2", "##", "Y1Y1"]
    start = date(2024, 9, 2)
    rows = []
    for week in range(weeks):
        monday = start + timedelta(weeks=week + (2 if week >= 7 else 0))   # a half-term break after week 7
        rows.append(f"w/c {monday:%d/%m/%Y} " + " ".join(rng.choice(marks) for _ in range(5)))
    return "\n".join(rows)


def register_latencies(knowledge: Knowledge, runs: int = 300) -> tuple[list[float], float]:
    """Milliseconds to read a year of marks and work out its figures and reply (no chart), and one chart's time."""
    text = year_of_marks()
    codes, rules = set(knowledge.codes), knowledge.register
    replies = Replies(knowledge, Assistant(knowledge).settings)
    times = []
    for _ in range(runs):
        t = time.perf_counter()
        register_skill.reading_reply(read_text(text, codes, rules.sessions_per_day, rules.school_days_per_week),
                                     knowledge, replies, chart=False)
        times.append((time.perf_counter() - t) * 1000)
    register_skill.reading_reply(read_text(text, codes), knowledge, replies)   # first chart loads the library
    t = time.perf_counter()
    register_skill.reading_reply(read_text(text, codes), knowledge, replies)
    return times, (time.perf_counter() - t) * 1000


def main() -> None:
    """Run the whole benchmark and print a summary line."""
    folder = ROOT / "knowledge"
    loads = []
    for _ in range(5):
        t = time.perf_counter()
        knowledge = load_knowledge(folder)
        validate(knowledge)
        Assistant(knowledge)
        loads.append((time.perf_counter() - t) * 1000)
    load_ms = statistics.median(loads)
    print(f"knowledge: {len(knowledge.entries)} entries, {len(knowledge.trees)} trees; "
          f"load + validate + index: median {load_ms:.0f} ms over 5 runs")

    assistant = Assistant(knowledge)
    latencies(assistant, make_questions(knowledge, 200, seed=1))  # warm up
    rounds = []
    for r in range(ROUNDS):
        # fresh questions each round, so no round is answered from what an earlier one left in the caches
        questions = make_questions(knowledge, QUESTIONS, seed=7 + r)
        times, total = latencies(assistant, questions)
        rounds.append((pct(times, 50), pct(times, 90), pct(times, 99), max(times), len(questions) / total))
        print(f"1x round {r + 1}: {len(questions)} questions, p50 {rounds[-1][0]:.2f} ms, p90 {rounds[-1][1]:.2f} ms, "
              f"p99 {rounds[-1][2]:.2f} ms, max {rounds[-1][3]:.2f} ms, {rounds[-1][4]:.0f} q/s")
    p50, p90, p99, _, qps = (statistics.median(values) for values in zip(*rounds))
    print(f"1x: median of {ROUNDS} rounds, p50 {p50:.2f} ms, p90 {p90:.2f} ms, p99 {p99:.2f} ms, {qps:.0f} q/s")

    big = scaled(knowledge, 10)
    t = time.perf_counter()
    big_assistant = Assistant(big)
    build_ms = (time.perf_counter() - t) * 1000
    big_questions = make_questions(big, QUESTIONS // 3, seed=9)
    big_times, big_total = latencies(big_assistant, big_questions)
    big_p99 = pct(big_times, 99)
    print(f"10x: {len(big.entries)} entries, index built in {build_ms:.0f} ms, p50 {pct(big_times, 50):.2f} ms, "
          f"p99 {big_p99:.2f} ms, {len(big_questions) / big_total:.0f} q/s")

    reg_times, chart_ms = register_latencies(knowledge)
    reg_p99 = pct(reg_times, 99)
    print(f"register: a year of marks (380 sessions), p50 {pct(reg_times, 50):.2f} ms, p99 {reg_p99:.2f} ms to read "
          f"and work out the figures and reply without the chart; with the chart {chart_ms:.0f} ms")

    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"bench: load {load_ms:.0f} ms, p50 {p50:.2f} ms, p99 {p99:.2f} ms, {qps:.0f} q/s, rss {rss_mb:.0f} MB, "
          f"10x p99 {big_p99:.2f} ms, register p99 {reg_p99:.2f} ms")


if __name__ == "__main__":
    main()
