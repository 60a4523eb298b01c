"""The button-action grammar in one place: how replies spell the actions their buttons send back, and what each
action does, so channels lay buttons out by role and never read an action's spelling.

    open:<entry>                  open an entry              tree:<tree>            start a walk-through
    opt:<tree>:<node>:<n>         take option n at a step    back, restart, resume  move within a walk-through
    qa:<question>:<n>             answer a quiz question     grp:<round>:<question>:<n>  answer in a group round
    fb:...                        rate an answer             anything else          a command (menus, leave, quiz)
"""
from __future__ import annotations

STEP_COMMANDS = ("back", "restart", "resume")


def open_entry(entry_id: str) -> str:
    """The action that opens an entry."""
    return f"open:{entry_id}"


def start_tree(tree_id: str) -> str:
    """The action that starts a walk-through."""
    return f"tree:{tree_id}"


def option(tree_id: str, node_id: str, index: int) -> str:
    """The action that takes option `index` at a walk-through's step."""
    return f"opt:{tree_id}:{node_id}:{index}"


def quiz_answer(question_id: str, index: int) -> str:
    """The action that answers a quiz question in a person's own round."""
    return f"qa:{question_id}:{index}"


def group_answer(round_number: int, question_id: str, index: int) -> str:
    """The action that answers a question of a group round."""
    return f"grp:{round_number}:{question_id}:{index}"


def action_role(action: str) -> str:
    """What a button action does: "step" moves a walk-through on (an option, back, start again, resume),
    "quiz-answer" answers a quiz question (alone or in a group round), "open" opens an entry, "tree" starts a
    walk-through, "feedback" rates an answer, and "command" is anything else (menus, leave, quiz controls)."""
    head, _, rest = (action or "").partition(":")
    if head == "opt" or action in STEP_COMMANDS:
        return "step"
    if head == "qa" or (head == "grp" and rest.count(":") == 2):
        return "quiz-answer"
    if head in ("open", "tree"):
        return head
    if head == "fb":
        return "feedback"
    return "command"


def target(action: str) -> str:
    """The entry or walk-through an open or tree action leads to; empty for other actions."""
    return action.partition(":")[2] if action_role(action) in ("open", "tree") else ""
