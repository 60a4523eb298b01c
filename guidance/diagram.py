"""Draw a decision tree as a Mermaid flowchart for the docs."""
from __future__ import annotations

from .models import Tree


def _quote(text: str) -> str:
    return text.replace('"', "'").replace("\n", " ")[:80]


def mermaid(tree: Tree) -> str:
    """Return a Mermaid flowchart of a tree: questions as boxes, outcomes as rounded boxes."""
    ids = {nid: f"n{i}" for i, nid in enumerate(tree.nodes)}
    lines = ["flowchart TD"]
    for nid, node in tree.nodes.items():
        if node.is_outcome:
            label = ", ".join(node.codes) or node.outcome.splitlines()[0]
            lines.append(f'    {ids[nid]}(["{_quote(label)}"])')
        else:
            lines.append(f'    {ids[nid]}["{_quote(node.ask)}"]')
    for nid, node in tree.nodes.items():
        for opt in node.options:
            if opt.next in ids:
                lines.append(f'    {ids[nid]} -->|"{_quote(opt.label)}"| {ids[opt.next]}')
    return "\n".join(lines)
