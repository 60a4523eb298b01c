"""Plain-text rendering shared by text-only channels: buttons degrade to numbered choices."""
from __future__ import annotations

from guidance.models import Reply


def as_text(reply: Reply, numbered: bool = True) -> str:
    """Render a reply as plain text, listing its buttons as numbered choices."""
    lines = [reply.text]
    if numbered and reply.buttons:
        lines.append("")
        lines.extend(f"  {i}. {b.label}" for i, b in enumerate(reply.buttons, 1))
    return "\n".join(lines)
