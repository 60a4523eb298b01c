"""Rendering shared by the channels: plain text with numbered choices, and text split into display blocks.

Chat clients disagree about single line breaks (Teams markdown joins them into one line), so
channels that render markdown use ``blocks`` or ``markdown`` rather than sending the engine's text as it is.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from guidance.models import Reply

LIST_ITEM = re.compile(r"^(?:[-*•]|\d{1,3}[.)])\s")


@dataclass(frozen=True)
class Block:
    """A run of text shown together: one plain line, or consecutive list items ("- x" or "1. x")."""

    lines: tuple[str, ...]
    is_list: bool = False
    new_paragraph: bool = False  # True when a blank line (or the start of the text) comes before it


def as_text(reply: Reply, numbered: bool = True, start: int = 1) -> str:
    """Render a reply as plain text, listing its buttons as numbered choices counted from ``start``."""
    lines = [reply.text]
    if numbered and reply.buttons:
        lines.append("")
        lines.extend(f"  {i}. {b.label}" for i, b in enumerate(reply.buttons, start))
    return "\n".join(lines)


def blocks(text: str) -> list[Block]:
    """Split text into display blocks: every plain line on its own, consecutive list items kept together."""
    out: list[Block] = []
    for paragraph in re.split(r"\n\s*\n", (text or "").replace("\r\n", "\n").replace("\r", "\n")):
        first = True
        items: list[str] = []
        for raw in paragraph.split("\n"):
            line = raw.strip()
            if not line:
                continue
            if LIST_ITEM.match(line):
                items.append(line)
                continue
            if items:
                out.append(Block(tuple(items), True, first))
                items, first = [], False
            out.append(Block((line,), False, first))
            first = False
        if items:
            out.append(Block(tuple(items), True, first))
    return out


def markdown(text: str) -> str:
    """The text as markdown whose every line survives: lines and list items separated by blank lines."""
    return "\n\n".join(line for block in blocks(text) for line in block.lines)
