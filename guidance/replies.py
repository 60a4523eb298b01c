"""Build channel-neutral replies from the knowledge: entries, walk-through steps, help, fallback and escalation."""
from __future__ import annotations

from .actions import open_entry, option, start_tree
from .config import Settings
from .models import Button, Entry, Knowledge, Reply
from .retrieval import Match
from .safeguarding import escalation_text
from .text import clean
from . import trees

MAX_BUTTON_LABEL = 40
ENTRY_KINDS = {"code": "code", "scenario": "code", "glossary": "glossary", "answer": "answer"}
ENTRY_ROLES = {"glossary": "answer"}   # a glossary term explained is guidance like any other answer
SIGNPOSTS = (
    "- Advice about a child's attendance: schools can refer or ask the Inclusion Support Service (ISS) through "
    "the Mendix form \"Attendance: For schools to refer children and request advice from ISS\".\n"
    "- Children in care, previously in care or with a social worker: the Hampshire Virtual School.\n"
    "- Worried about a child's safety: your Designated Safeguarding Lead (DSL), today."
)
SIGNPOST_SOURCE = "000_c17e12f361180603.txt (Who's Who & Contact Details)"
EXPLOITATION_LINKS = ("willow-team", "hscp-exploitation-toolkit")   # where exploitation escalation points next
EXAMPLES = ("what does C2 mean", "arrived 9.20, register closed at 9.00", "160 out of 190 sessions",
            "which code should I use")


def label(text: str) -> str:
    """Shorten a title to fit a button, ending with an ellipsis when cut."""
    text = clean(text)
    if len(text) <= MAX_BUTTON_LABEL:
        return text
    cut = text[: MAX_BUTTON_LABEL - 1]
    if " " in cut[MAX_BUTTON_LABEL // 2:]:
        cut = cut[: cut.rindex(" ")]
    return cut.rstrip(" ,;:-") + "…"


class Replies:
    """Turns knowledge entries, tree steps and signposts into replies."""

    def __init__(self, knowledge: Knowledge, settings: Settings):
        self.k = knowledge
        self.settings = settings

    def link_button(self, link: str) -> Button | None:
        """A button that opens an entry or starts a walk-through, or None when the link does not resolve."""
        if link in self.k.entries:
            return Button(label(self.k.entries[link].title), open_entry(link))
        if link in self.k.trees:
            return Button(label(self.k.trees[link].title), start_tree(link))
        return None

    def entry(self, entry: Entry, confidence: float, kind: str | None = None, text: str | None = None,
              title: str | None = None, codes: tuple[str, ...] | None = None) -> Reply:
        """The reply for one entry: its title, answer (or the text given), sources and follow-up buttons."""
        buttons = tuple(b for b in (self.link_button(link) for link in entry.see) if b)
        sources = tuple(s.label() for s in entry.sources)
        body = text if text is not None else entry.answer
        heading = title or entry.title
        kind = kind or ENTRY_KINDS.get(entry.kind, "answer")
        return Reply(kind=kind, role=ENTRY_ROLES.get(kind, kind), id=entry.id, title=heading,
                     text=f"{heading}\n\n{body}" + (f"\n\nSources: {'; '.join(sources)}" if sources else ""),
                     codes=entry.codes if codes is None else codes, confidence=confidence, sources=sources,
                     suggestions=tuple(b.label for b in buttons), buttons=buttons)

    def did_you_mean(self, matches: list[Match]) -> Reply:
        """Offer the nearest candidates as choices instead of guessing between them."""
        buttons, lines = [], []
        for i, m in enumerate(matches, 1):
            if m.id in self.k.trees:
                title, action = self.k.trees[m.id].title, start_tree(m.id)
            else:
                title, action = self.k.entries[m.id].title, open_entry(m.id)
            lines.append(f"{i}. {title}")
            buttons.append(Button(label(title), action))
        text = "I'm not sure which of these you mean. Did you mean:\n" + "\n".join(lines)
        return Reply(kind="did-you-mean", title="Did you mean…", text=text,
                     confidence=min(1.0, matches[0].score) if matches else 0.0,
                     suggestions=tuple(b.label for b in buttons), buttons=tuple(buttons))

    def step(self, step: trees.Step, confidence: float = 1.0, lead: str = "") -> Reply:
        """Show the current question of a walk with its options, or its outcome."""
        node, tree = step.node, step.tree
        nav = []
        if len(step.path) > 1:
            nav.append(Button("Back", "back"))
            nav.append(Button("Start again", "restart"))
        intro = f"{lead}\n\n" if lead else ""
        if node.is_outcome:
            links = tuple(b for b in (self.link_button(x) for x in node.see) if b)
            sources = tuple(s.label() for s in node.sources)
            text = f"{tree.title}\n\n{intro}{node.outcome}" + (f"\n\nSources: {'; '.join(sources)}" if sources else "")
            buttons = links + tuple(nav)
            return Reply(kind="tree", role="tree-step", id=tree.id, title=tree.title, text=text, codes=node.codes,
                         confidence=confidence, sources=sources, suggestions=tuple(b.label for b in buttons),
                         buttons=buttons)
        options = tuple(Button(opt.label, option(tree.id, node.id, i)) for i, opt in enumerate(node.options))
        buttons = options + tuple(nav) + (Button("Leave", "exit"),)
        text = f"{tree.title} (step {len(step.path)})\n\n{intro}{node.ask}"
        return Reply(kind="tree", role="tree-step", id=tree.id, title=tree.title, text=text, confidence=confidence,
                     suggestions=tuple(b.label for b in options), buttons=buttons)

    def trees_menu(self) -> Reply:
        """Offer every decision tree as a button."""
        buttons = tuple(Button(label(t.title), start_tree(t.id)) for t in self.k.trees.values())
        text = "Step-by-step help: choose a walk-through." if buttons else "No walk-throughs are available yet."
        return Reply(kind="tree", role="tree-menu", title="Walk-throughs", text=text, confidence=1.0,
                     suggestions=tuple(b.label for b in buttons), buttons=buttons)

    def help(self, lead: str = "") -> Reply:
        """Explain what the assistant can do, with example questions as buttons."""
        text = (f"{lead}\n\n" if lead else "") + (
            "I answer questions about school attendance in Hampshire: register codes, alternative provision, "
            "Youth Justice and young carer referrals, thresholds, GP letters, the Virtual School and the acronyms "
            "of the field. Paste a pupil's register marks (such as /\\ /\\ L\\ UN NN O/, or a week a line with its "
            "date) and I will work out the attendance, persistent and severe absence and the penalty-notice check. "
            "Please do not type children's names or details that could identify them.\n"
            "Try: " + "; ".join(f"'{e}'" for e in EXAMPLES) + ".")
        buttons = tuple(Button(label(t.title), start_tree(t.id)) for t in self.k.trees.values())[:6]
        return Reply(kind="help", text=text, title="What I can help with", confidence=1.0,
                     suggestions=tuple(b.label for b in buttons), buttons=buttons)

    def safeguarding(self, exploitation: bool = False) -> Reply:
        """Escalation advice first: 999, the DSL today, local referral routes; then, where the words suggest
        exploitation, the local exploitation tools and team."""
        body = escalation_text(self.settings.local_safeguarding_route)
        buttons: tuple[Button, ...] = ()
        if exploitation:
            body += ("\n\nIf this may be exploitation: the Child Exploitation Risk Assessment (CERAF) is part of the "
                     "Child Exploitation Toolkit used across Hampshire, the Isle of Wight, Portsmouth and Southampton, "
                     "and Hampshire's Willow Team works with children at risk of exploitation or who repeatedly go "
                     "missing.")
            buttons = tuple(b for b in (self.link_button(x) for x in EXPLOITATION_LINKS) if b)
        return Reply(kind="safeguarding", title="A child may be at risk: act now", text=body, confidence=1.0,
                     sources=("Keeping children safe in education (DfE): the Designated Safeguarding Lead",),
                     buttons=buttons, suggestions=tuple(b.label for b in buttons))

    def fallback(self, note: str = "") -> Reply:
        """Say honestly that nothing fits, and signpost the people who can help."""
        text = ("I don't have guidance that answers that confidently, so I won't guess.\n"
                f"{SIGNPOSTS}\n"
                "You could also rephrase, for example: " + "; ".join(f"'{e}'" for e in EXAMPLES) + "." + note)
        buttons = tuple(Button(label(t.title), start_tree(t.id)) for t in list(self.k.trees.values())[:2])
        return Reply(kind="fallback", title="No confident answer", text=text, confidence=0.0,
                     sources=(SIGNPOST_SOURCE,), buttons=buttons, suggestions=tuple(b.label for b in buttons))
