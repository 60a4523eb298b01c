"""The content-gaps report: redacted questions that fell back or were ambiguous, grouped by similarity."""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from rapidfuzz import fuzz, utils

GROUP_SIMILARITY = 70  # token-set similarity at which two logged questions count as the same gap


@dataclass
class Gap:
    """A group of similar unanswered questions with how often they came and what they nearly matched."""

    example: str
    count: int = 0
    kinds: Counter = field(default_factory=Counter)
    variants: list[str] = field(default_factory=list)
    near: Counter = field(default_factory=Counter)


def group_gaps(logged: list[dict]) -> list[Gap]:
    """Group logged questions by similarity, most frequent first."""
    gaps: list[Gap] = []
    for row in logged:
        text = row["text"]
        home = next((g for g in gaps if fuzz.token_set_ratio(text, g.example, processor=utils.default_process)
                     >= GROUP_SIMILARITY), None)
        if home is None:
            home = Gap(example=text)
            gaps.append(home)
        home.count += 1
        home.kinds[row["kind"]] += 1
        if text not in home.variants and len(home.variants) < 5:
            home.variants.append(text)
        for entry_id, _score in row.get("near") or []:
            home.near[entry_id] += 1
    return sorted(gaps, key=lambda g: -g.count)


def report(gaps: list[Gap], feedback: dict[str, tuple[int, int]]) -> str:
    """Render gaps and answer feedback as plain text for an editor."""
    lines = [f"Content gaps: {sum(g.count for g in gaps)} questions in {len(gaps)} groups"]
    for g in gaps:
        kinds = ", ".join(f"{k} {n}" for k, n in g.kinds.items())
        lines.append(f"\n{g.count} x \"{g.example}\" ({kinds})")
        for v in g.variants[1:]:
            lines.append(f"    also: \"{v}\"")
        if g.near:
            lines.append("    nearly matched: " + ", ".join(f"{e} ({n})" for e, n in g.near.most_common(3)))
            lines.append("    fix: add a phrasing to the right entry, or write a new entry")
    if feedback:
        lines.append("\nAnswer feedback (helpful / not helpful), least helpful first:")
        for entry, (yes, no) in sorted(feedback.items(), key=lambda kv: (kv[1][0] - kv[1][1], kv[0])):
            lines.append(f"    {entry}: {yes} / {no}")
    return "\n".join(lines)
