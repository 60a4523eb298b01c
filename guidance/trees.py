"""Decision-tree walking as pure functions: a tree, the path taken so far and a choice give the next step."""
from __future__ import annotations

from dataclasses import dataclass

from rapidfuzz import fuzz, process, utils

from .models import Node, Tree
from .text import small_number

BACK_WORDS = {"back", "go back", "previous", "undo"}
RESTART_WORDS = {"start again", "restart", "start over", "reset", "from the start"}
LEAVE_WORDS = {"exit", "quit", "leave", "stop", "cancel", "end", "close", "menu"}


class WalkError(ValueError):
    """A choice that does not fit the current step (a stale button or an out-of-range option)."""


@dataclass(frozen=True)
class Step:
    """Where a walk stands: the tree, the path of node ids from the start, and the current node."""

    tree: Tree
    path: tuple[str, ...]

    @property
    def node(self) -> Node:
        """The node the walk is at."""
        return self.tree.nodes[self.path[-1]]


def start(tree: Tree) -> Step:
    """Begin a walk at the tree's first question."""
    return Step(tree, (tree.start,))


def resume(tree: Tree, path: list[str]) -> Step:
    """Rebuild a saved walk, falling back to the start if the tree changed underneath it."""
    valid = [p for p in path if p in tree.nodes]
    if not valid or valid != list(path) or valid[0] != tree.start:
        return start(tree)
    return Step(tree, tuple(valid))


def choose(step: Step, index: int) -> Step:
    """Take option number index (0-based) at the current node."""
    node = step.node
    if node.is_outcome:
        raise WalkError("this walk-through has finished")
    if not 0 <= index < len(node.options):
        raise WalkError(f"choose an option from 1 to {len(node.options)}")
    return Step(step.tree, step.path + (node.options[index].next,))


def facts_chosen(step: Step) -> dict[str, str]:
    """The scenario facts the options taken so far stand for ("afternoon" is session=pm): what a follow-up to the
    outcome ("and the morning one?") changes."""
    facts: dict[str, str] = {}
    for here, there in zip(step.path, step.path[1:]):
        node = step.tree.nodes.get(here)
        option = next((o for o in node.options if o.next == there), None) if node else None
        if node is not None and node.fact and option is not None and len(option.values) == 1:   # one fact, not a group
            facts[node.fact] = option.values[0]
    return facts


def back(step: Step) -> Step:
    """Return to the previous question (or stay at the first)."""
    return Step(step.tree, step.path[:-1]) if len(step.path) > 1 else step


def match_option(step: Step, text: str) -> int | None:
    """Return the option a typed reply means (its number or its label, allowing typos), or None."""
    node = step.node
    if node.is_outcome or not node.options:
        return None
    typed = text.strip().rstrip(".!").strip()
    number = small_number(typed)
    if number is not None:
        return number - 1 if 1 <= number <= len(node.options) else None
    labels = {i: opt.label for i, opt in enumerate(node.options)}
    best = process.extractOne(typed, labels, scorer=fuzz.QRatio, processor=utils.default_process, score_cutoff=85)
    return best[2] if best else None
