"""The conversation: a message or button action in, channel-neutral replies out."""
from __future__ import annotations

import re
import time
from dataclasses import replace

from . import calculator, codes as code_rules, trees
from .access import Access
from .privacy import REMINDER, looks_identifying, redact
from .practice import QuizPractice
from .config import Settings
from .loader import load_knowledge
from .models import Button, Entry, Knowledge, Reply, Tree, Turn
from .retrieval import Index, Match
from .safeguarding import at_immediate_risk, escalation_text
from .store import Store
from .text import MAX_QUERY_CHARS, clean
from .validate import validate

MAX_INPUT_CHARS = 4000        # longer messages are cut (and told so) before anything else reads them
MAX_BUTTON_LABEL = 40
GLOSSARY_WEIGHT = 0.9         # in open questions, an acronym's expansion is rarely the best answer
ENTRY_KINDS = {"code": "code", "scenario": "code", "glossary": "glossary", "answer": "answer"}
_QUIZ = re.compile(r"^\s*/?(quiz|quiz me|start (a )?quiz|practice quiz|practise|practice|test me|quiz practice)"
                   r"\s*[!.?]*\s*$", re.IGNORECASE)
_GROUP_QUIZ = re.compile(r"^\s*/?(group quiz|start (a )?group quiz|quiz (the )?group)\s*[!.?]*\s*$", re.IGNORECASE)
_STATS = re.compile(r"^\s*/?(stats|my progress|my stats|my scores?|progress)\s*[!.?]*\s*$", re.IGNORECASE)
_FORGET = re.compile(r"^\s*/?(forget ?me|forgetme|delete my (data|history|scores))\s*[!.?]*\s*$", re.IGNORECASE)
_OPT_IN = re.compile(r"^\s*(show me on (the )?leaderboards?|leaderboard on|opt in)\s*[!.?]*\s*$", re.IGNORECASE)
_OPT_OUT = re.compile(r"^\s*(hide me from (the )?leaderboards?|leaderboard off|opt out)\s*[!.?]*\s*$",
                      re.IGNORECASE)
_INVITE = re.compile(r"^\s*/?invite\s+(\S+)\s*$", re.IGNORECASE)
_ADMIN = re.compile(r"^\s*/(reload|gaps|usage)\b", re.IGNORECASE)
_HELP = re.compile(r"^\s*/?(help|start|hi|hello|hey|menu|\?)\s*[!.?]*\s*$", re.IGNORECASE)

SIGNPOSTS = (
    "- Advice about a child's attendance: schools can refer or ask the Inclusion Support Service (ISS) through "
    "the Mendix form \"Attendance: For schools to refer children and request advice from ISS\".\n"
    "- Children in care, previously in care or with a social worker: the Hampshire Virtual School.\n"
    "- Worried about a child's safety: your Designated Safeguarding Lead (DSL), today."
)
SIGNPOST_SOURCE = "000_c17e12f361180603.txt (Who's Who & Contact Details)"
EXAMPLES = ("what does C2 mean", "arrived 9.20, register closed at 9.00", "160 out of 190 sessions",
            "which code should I use")


class KnowledgeError(RuntimeError):
    """The knowledge has errors, so the assistant will not start on it."""

    def __init__(self, problems):
        self.problems = problems
        super().__init__(f"{len(problems)} knowledge error(s); run 'python -m bot check' for details")


def _label(text: str) -> str:
    """Shorten a title to fit a button."""
    text = clean(text)
    return text if len(text) <= MAX_BUTTON_LABEL else text[: MAX_BUTTON_LABEL - 1].rstrip() + "…"


class Assistant:
    """Answers questions and walks decision trees over one loaded knowledge base."""

    def __init__(self, knowledge: Knowledge, settings: Settings | None = None, store: Store | None = None):
        self.k = knowledge
        self.settings = settings or Settings()
        self.store = store
        self.index = Index(knowledge)
        self.known_codes = set(knowledge.codes)
        self.practice = QuizPractice(knowledge.quiz, knowledge.entries, store)
        self.access = Access(self.settings, store)
        self._retention_checked = 0.0
        self._enforce_retention()

    @classmethod
    def from_settings(cls, settings: Settings, store: Store | None = None) -> "Assistant":
        """Load and validate the configured knowledge; refuse to start on knowledge with errors."""
        knowledge = load_knowledge(settings.knowledge_path())
        errors = [p for p in validate(knowledge) if p.severity == "error"]
        if errors:
            raise KnowledgeError(errors)
        return cls(knowledge, settings, store)

    # -- single questions ----------------------------------------------------------------------
    def answer(self, text: str) -> Reply:
        """Answer one question with no conversation state (the ask interface)."""
        return self._answer(text, {}).replies[0]

    def _answer(self, raw: str, state: dict) -> Turn:
        turn = self._choose(raw, state)
        if turn.replies and looks_identifying(clean(raw or "")[:MAX_INPUT_CHARS]):
            first = turn.replies[0]
            turn.replies[0] = replace(first, text=f"{first.text}\n\n{REMINDER}")
        return turn

    def _choose(self, raw: str, state: dict) -> Turn:
        text = clean(raw or "")
        note = ""
        if len(text) > MAX_INPUT_CHARS:
            text = text[:MAX_INPUT_CHARS]
        if len(text) > MAX_QUERY_CHARS:
            note = f"\n\n(Your message was long: I read its first {MAX_QUERY_CHARS} characters.)"
        if not text:
            return Turn([self.help_reply("Please type a question.")], state)
        if _HELP.match(text):
            return Turn([self.help_reply()], state)
        if _QUIZ.match(text) and self.k.quiz:
            return Turn([self.practice.menu()], state)
        if at_immediate_risk(text):
            return Turn([self._with_note(self.safeguarding_reply(text), note)], state)
        for handler in (self._late_mark, self._calculation, self._named_codes, self._glossary):
            reply = handler(text)
            if reply is not None:
                return Turn([self._with_note(reply, note)], state)
        matches = self._prefer_full_entries(self.index.search(text, limit=6))
        return self._decide(matches, state, note)

    def _prefer_full_entries(self, matches: list[Match]) -> list[Match]:
        """Rank glossary matches below guidance entries (acronym questions were answered earlier), and drop one
        that ties with the full entry it links to: the entry says more."""
        matches = sorted((replace(m, score=round(m.score * GLOSSARY_WEIGHT, 4))
                          if self.k.entries.get(m.id) and self.k.entries[m.id].kind == "glossary" else m
                          for m in matches), key=lambda m: m.score, reverse=True)
        linked = {link for m in matches if m.id in self.k.entries and self.k.entries[m.id].kind == "glossary"
                  for link in self.k.entries[m.id].see}
        best = {m.id: m.score for m in matches}
        return [m for m in matches if not (self.k.entries.get(m.id) and self.k.entries[m.id].kind == "glossary"
                                           and any(best.get(l, 0) >= m.score - 0.02 for l in
                                                   self.k.entries[m.id].see))] or matches

    @staticmethod
    def _with_note(reply: Reply, note: str) -> Reply:
        if not note:
            return reply
        return replace(reply, text=reply.text + note)

    def _late_mark(self, text: str) -> Reply | None:
        decision = code_rules.decide_late(text)
        if decision is None or decision.code not in self.k.codes:
            return None
        info = self.k.codes[decision.code]
        arrived, closed = code_rules.clock(decision.arrival), code_rules.clock(decision.close)
        if decision.code == "U":
            why = (f"The pupil arrived at {arrived}, after the register closed at {closed}, so they are recorded "
                   "as absent for the session: unauthorised, code U (not L).")
        else:
            why = (f"The pupil arrived at {arrived}, before the register closed at {closed}: code L, late before "
                   "the register closed, which counts as attending.")
        if decision.opened is not None and decision.close - decision.opened > 30:
            why += " Note: the register must not stay open for more than 30 minutes after it begins."
        entry = self.k.entries[info.entry_id]
        text_out = f"{why}\n\n{entry.answer}"
        return self._entry_reply(entry, confidence=1.0, kind="code", text=text_out,
                                 title=f"Late arrival: code {decision.code}")

    def _calculation(self, text: str) -> Reply | None:
        try:
            result = calculator.parse(text)
        except calculator.CalculationError as exc:
            return Reply(kind="calculation", text=f"I can't calculate that: {exc}. Try '150 out of 180 sessions'.",
                         title="Attendance calculator", confidence=1.0)
        if result is None:
            return None
        sources = ("Working together to improve school attendance (DfE, August 2024): persistent and severe absence",
                   "000_c17e12f361180603.txt (Children with a Social Worker: 90% attendance = 19 days missed)")
        return Reply(kind="calculation", text=calculator.describe(result), title="Attendance calculator",
                     confidence=1.0, sources=sources)

    def _named_codes(self, text: str) -> Reply | None:
        named = code_rules.mentioned_codes(text, self.known_codes)
        if not named:
            return None
        if len(named) == 1:
            entry = self.k.entries[self.k.codes[named[0]].entry_id]
            return self._entry_reply(entry, confidence=1.0)
        # A comparison: put first the code a confident scenario match recommends, if it is one of those named.
        best = self.index.search(text, limit=3)
        for m in best:
            e = self.k.entries.get(m.id)
            if e and e.kind == "scenario" and e.codes and e.codes[0] in named and m.score >= self.settings.suggest_score:
                named.remove(e.codes[0])
                named.insert(0, e.codes[0])
                break
        parts, sources = [], []
        for code in named[:3]:
            entry = self.k.entries[self.k.codes[code].entry_id]
            parts.append(entry.answer)
            sources.extend(s.label() for s in entry.sources)
        buttons = tuple(Button(_label(self.k.entries[self.k.codes[c].entry_id].title), f"open:{self.k.codes[c].entry_id}")
                        for c in named[:3])
        return Reply(kind="code", text="\n\n".join(parts), id=self.k.codes[named[0]].entry_id,
                     title="Codes " + " and ".join(named[:3]), codes=tuple(named[:3]), confidence=1.0,
                     sources=tuple(dict.fromkeys(sources)), suggestions=tuple(b.label for b in buttons),
                     buttons=buttons)

    def _glossary(self, text: str) -> Reply | None:
        """Answer "what is X" / "what does X stand for" when X is an acronym and the question asks nothing more."""
        words = re.findall(r"[A-Za-z][A-Za-z+&]*\+?", text)
        if not words or len(words) > 8:
            return None
        hits = {self.k.glossary_terms[w.lower()] for w in words if w.lower() in self.k.glossary_terms
                and (w.isupper() or len(words) <= 3 or w.lower() not in _COMMON_WORDS)}
        if len(hits) != 1:
            return None
        rest = " ".join(w.lower() for w in words if w.lower() not in self.k.glossary_terms)
        if rest not in _DEFINITION_FRAMES:
            return None  # more is asked than what the acronym means: let retrieval find the right entry
        return self._entry_reply(self.k.entries[hits.pop()], confidence=1.0)

    def _decide(self, matches: list[Match], state: dict, note: str) -> Turn:
        s = self.settings
        if not matches or matches[0].score < s.suggest_score:
            return Turn([self.fallback_reply(note)], state)
        matches = [m for m in matches if m.id in self.k.entries or m.id in self.k.trees]
        top = matches[0]
        runner = matches[1] if len(matches) > 1 else None
        clear_lead = (runner is None or top.score - runner.score >= s.minimum_gap or self._same_answer(top, runner)
                      or (top.score >= s.decisive_score and top.score - runner.score >= s.minimum_gap / 2))
        if top.score >= s.confident_score and clear_lead:
            if top.id in self.k.trees:
                tree = self.k.trees[top.id]
                step = trees.start(tree)
                return Turn([self._with_note(self.step_reply(step, confidence=min(1.0, top.score)), note)],
                            {**state, "tree": tree.id, "path": list(step.path)})
            reply = self._entry_reply(self.k.entries[top.id], confidence=min(1.0, top.score))
            return Turn([self._with_note(reply, note)], state)
        close = [m for m in matches if m.score >= max(s.suggest_score, top.score - 0.15)][:4]
        return Turn([self._with_note(self.did_you_mean_reply(close), note)], state)

    def _same_answer(self, a: Match, b: Match) -> bool:
        """True when two matches give the same code, so choosing between them changes nothing."""
        ea, eb = self.k.entries.get(a.id), self.k.entries.get(b.id)
        return bool(ea and eb and ea.codes and eb.codes and ea.kind in ("code", "scenario")
                    and eb.kind in ("code", "scenario") and ea.codes[0] == eb.codes[0])

    # -- replies -------------------------------------------------------------------------------
    def _entry_reply(self, entry: Entry, confidence: float, kind: str | None = None, text: str | None = None,
                     title: str | None = None) -> Reply:
        buttons = tuple(b for b in (self._link_button(link) for link in entry.see) if b)
        sources = tuple(s.label() for s in entry.sources)
        body = text if text is not None else entry.answer
        return Reply(kind=kind or ENTRY_KINDS.get(entry.kind, "answer"), id=entry.id, title=title or entry.title,
                     text=f"{title or entry.title}\n\n{body}" + (f"\n\nSources: {'; '.join(sources)}" if sources else ""),
                     codes=entry.codes, confidence=confidence, sources=sources,
                     suggestions=tuple(b.label for b in buttons), buttons=buttons)

    def entry_reply(self, entry_id: str) -> Reply | None:
        """Return the full reply for one entry, or None when there is no such entry."""
        entry = self.k.entries.get(entry_id)
        return self._entry_reply(entry, confidence=1.0) if entry else None

    def trees_menu(self) -> Reply:
        """Offer every decision tree as a button."""
        buttons = tuple(Button(_label(t.title), f"tree:{t.id}") for t in self.k.trees.values())
        text = "Step-by-step help: choose a walk-through." if buttons else "No walk-throughs are available yet."
        return Reply(kind="tree", title="Walk-throughs", text=text, confidence=1.0,
                     suggestions=tuple(b.label for b in buttons), buttons=buttons)

    def _link_button(self, link: str) -> Button | None:
        if link in self.k.entries:
            return Button(_label(self.k.entries[link].title), f"open:{link}")
        if link in self.k.trees:
            return Button(_label(self.k.trees[link].title), f"tree:{link}")
        return None

    def help_reply(self, lead: str = "") -> Reply:
        """Explain what the assistant can do, with example questions as buttons."""
        text = (f"{lead}\n\n" if lead else "") + (
            "I answer questions about school attendance in Hampshire: register codes, alternative provision, "
            "Youth Justice and young carer referrals, thresholds, GP letters, the Virtual School and the acronyms "
            "of the field. Please do not type children's names or details that could identify them.\n"
            "Try: " + "; ".join(f"'{e}'" for e in EXAMPLES) + ".")
        buttons = tuple(Button(t.title[:MAX_BUTTON_LABEL], f"tree:{t.id}") for t in self.k.trees.values())[:6]
        return Reply(kind="help", text=text, title="What I can help with", confidence=1.0,
                     suggestions=tuple(b.label for b in buttons), buttons=buttons)

    def safeguarding_reply(self, text: str) -> Reply:
        """Escalation advice first, then a pointer to related guidance."""
        body = escalation_text(self.settings.local_safeguarding_route)
        return Reply(kind="safeguarding", title="A child may be at risk: act now", text=body, confidence=1.0,
                     sources=("Keeping children safe in education (DfE): the Designated Safeguarding Lead",))

    def fallback_reply(self, note: str = "") -> Reply:
        """Say honestly that nothing fits, and signpost the people who can help."""
        text = ("I don't have guidance that answers that confidently, so I won't guess.\n"
                f"{SIGNPOSTS}\n"
                "You could also rephrase, for example: " + "; ".join(f"'{e}'" for e in EXAMPLES) + "." + note)
        buttons = tuple(Button(_label(t.title), f"tree:{t.id}") for t in list(self.k.trees.values())[:2])
        return Reply(kind="fallback", title="No confident answer", text=text, confidence=0.0,
                     sources=(SIGNPOST_SOURCE,), buttons=buttons, suggestions=tuple(b.label for b in buttons))

    def did_you_mean_reply(self, matches: list[Match]) -> Reply:
        """Offer the nearest candidates as choices instead of guessing between them."""
        buttons, codes_seen, lines = [], [], []
        for i, m in enumerate(matches, 1):
            if m.id in self.k.trees:
                title, action = self.k.trees[m.id].title, f"tree:{m.id}"
            else:
                entry = self.k.entries[m.id]
                title, action = entry.title, f"open:{m.id}"
                codes_seen.extend(c for c in entry.codes if c not in codes_seen)
            lines.append(f"{i}. {title}")
            buttons.append(Button(_label(title), action))
        text = "I'm not sure which of these you mean. Did you mean:\n" + "\n".join(lines)
        return Reply(kind="did-you-mean", title="Did you mean…", text=text, codes=tuple(codes_seen),
                     confidence=min(1.0, matches[0].score) if matches else 0.0, suggestions=tuple(b.label for b in buttons),
                     buttons=tuple(buttons))

    def step_reply(self, step: trees.Step, confidence: float = 1.0) -> Reply:
        """Show the current question of a walk with its options, or its outcome."""
        node, tree = step.node, step.tree
        nav = []
        if len(step.path) > 1:
            nav.append(Button("Back", "back"))
            nav.append(Button("Start again", "restart"))
        if node.is_outcome:
            links = tuple(b for b in (self._link_button(x) for x in node.see) if b)
            sources = tuple(s.label() for s in node.sources)
            text = f"{tree.title}\n\n{node.outcome}" + (f"\n\nSources: {'; '.join(sources)}" if sources else "")
            buttons = links + tuple(nav)
            return Reply(kind="tree", id=tree.id, title=tree.title, text=text, codes=node.codes,
                         confidence=confidence, sources=sources, suggestions=tuple(b.label for b in buttons),
                         buttons=buttons)
        options = tuple(Button(opt.label, f"opt:{tree.id}:{node.id}:{i}") for i, opt in enumerate(node.options))
        buttons = options + tuple(nav) + (Button("Leave", "exit"),)
        text = f"{tree.title} (step {len(step.path)})\n\n{node.ask}"
        return Reply(kind="tree", id=tree.id, title=tree.title, text=text, confidence=confidence,
                     suggestions=tuple(b.label for b in options), buttons=buttons)

    # -- conversations -------------------------------------------------------------------------
    def handle(self, user: str, text: str | None = None, action: str | None = None, group: str | None = None,
               name: str | None = None) -> list[Reply]:
        """Take one message or button action from a user (in a group, if given), using and saving their state."""
        if not self.access.allowed(user):
            invite = _INVITE.match(text or "")
            if invite and self.access.redeem(user, invite.group(1)):
                return [self.help_reply("Welcome: your invite code was accepted.")]
            return [Reply(kind="error", title="Invite only", text=(
                "This assistant is for invited users. Send 'invite' followed by the code from your administrator."
                if self.access.invite_code() else "This assistant is only open to configured users. Ask your "
                                                  "administrator for access."))]
        if text is not None and _ADMIN.match(text):
            return [self.admin_command(user, _ADMIN.match(text).group(1).lower())]
        if group is not None and action is not None and action.startswith("grp:"):
            return self.group_action(group, user, action)
        if group is not None and text is not None and _GROUP_QUIZ.match(text):
            return self.practice.group_start(group, user)
        if action is None and text is not None:
            if _FORGET.match(text):
                return [Reply(kind="help", title="Forget me", confidence=1.0, buttons=(
                    Button("Yes, delete everything", "forget:yes"), Button("No, keep it", "help")),
                    text="This deletes everything stored about you: conversation state, quiz answers, scores and "
                         "leaderboard name, in every channel. Are you sure?")]
            if _STATS.match(text):
                return [self.practice.stats(user)]
            if _OPT_IN.match(text) or _OPT_OUT.match(text):
                return [self.practice.opt_in(user, (name or "") if _OPT_IN.match(text) else None)]
        if action == "forget:yes":
            if self.store:
                self.store.forget(user)
            return [Reply(kind="help", text="Done: everything stored about you has been deleted.", confidence=1.0)]
        if action == "quiz:optin":
            return [self.practice.opt_in(user, name or "")]
        if action == "quiz:optout":
            return [self.practice.opt_in(user, None)]
        if action is not None and action.startswith("fb:"):
            return [self.feedback(user, action)]
        self._enforce_retention()
        state = self.store.state(user) if self.store else {}
        turn = self.act(action, state, user) if action is not None else self.converse(text or "", state, user)
        if self.store and turn.state != state:
            self.store.save_state(user, turn.state)
        if text is not None and action is None:
            self._learn(user, text, turn.replies)
        return [self._with_feedback(r) for r in turn.replies]

    def _with_feedback(self, reply: Reply) -> Reply:
        """Add helpful / not helpful buttons to answers from the knowledge."""
        if not self.store or reply.kind not in ("answer", "code", "glossary") or not reply.id:
            return reply
        return replace(reply, buttons=reply.buttons + (Button("Helpful", f"fb:{reply.id}:1"),
                                                        Button("Not helpful", f"fb:{reply.id}:0")))

    def feedback(self, user: str, action: str) -> Reply:
        """Record whether an answer helped."""
        _, entry, value = (action.split(":") + ["", ""])[:3]
        if entry not in self.k.entries or value not in ("0", "1"):
            return Reply(kind="error", text="I couldn't record that feedback: the answer may have changed.")
        if self.store:
            self.store.add_feedback(user, entry, value == "1")
        return Reply(kind="help", confidence=1.0, text="Thank you: your feedback helps keep the guidance right." + (
            "" if value == "1" else " If something is wrong or missing, tell your hub lead too."))

    def _learn(self, user: str, text: str, replies: list[Reply]) -> None:
        """Log questions that fell back or were ambiguous, redacted first, for the content-gaps report."""
        if not self.store or not replies or replies[0].kind not in ("fallback", "did-you-mean"):
            return
        cleaned = clean(text)[:MAX_QUERY_CHARS]
        if not cleaned:
            return
        near = [(m.id, m.score) for m in self.index.search(cleaned, limit=3)]
        self.store.log_question(user, replies[0].kind, redact(cleaned), near,
                                raw=cleaned if self.settings.store_message_text else None)

    def _enforce_retention(self) -> None:
        """Apply the retention period on start-up and then at most once a day."""
        if self.store and time.time() - self._retention_checked > 86_400:
            self.store.enforce_retention(self.settings.retention_days)
            self._retention_checked = time.time()

    def admin_command(self, user: str, command: str) -> Reply:
        """Run an admin command for an admin; refuse everyone else clearly."""
        if not self.access.is_admin(user):
            return Reply(kind="error", text="That command is for administrators only.")
        if command == "reload":
            return self.reload()
        if command == "usage":
            k = self.k
            return Reply(kind="help", title="Usage", confidence=1.0, text=(
                f"Knowledge: {len(k.entries)} entries, {len(k.codes)} codes, {len(k.trees)} trees, "
                f"{len(k.quiz)} quiz questions."))
        return Reply(kind="help", title="Content gaps", confidence=1.0,
                     text="Content gaps are listed by 'python -m bot gaps' on the server.")

    def reload(self) -> Reply:
        """Reload knowledge from disk; keep serving the last good knowledge if the new files have errors."""
        knowledge = load_knowledge(self.settings.knowledge_path())
        errors = [p for p in validate(knowledge) if p.severity == "error"]
        if errors:
            listed = "\n".join(str(p) for p in errors[:10])
            return Reply(kind="error", title="Reload refused", text=(
                f"The knowledge files have {len(errors)} error(s), so I kept the last good knowledge.\n{listed}"))
        self.k = knowledge
        self.index = Index(knowledge)
        self.known_codes = set(knowledge.codes)
        self.practice = QuizPractice(knowledge.quiz, knowledge.entries, self.store, self.practice.rng)
        return Reply(kind="help", title="Reloaded", confidence=1.0, text=(
            f"Knowledge reloaded: {len(knowledge.entries)} entries, {len(knowledge.trees)} trees, "
            f"{len(knowledge.quiz)} quiz questions."))

    def group_action(self, group: str, user: str, action: str) -> list[Reply]:
        """Handle a group-quiz button: an answer, next question or end."""
        if action == "grp:next":
            return self.practice.group_next(group, user)
        if action == "grp:end":
            return self.practice.group_end(group, user)
        parts = action.split(":")
        if len(parts) == 4 and _small_number(parts[1]) and _small_number(parts[3]):
            return self.practice.group_answer(group, user, int(parts[1]), parts[2], int(parts[3]))
        return [Reply(kind="error", text="I don't recognise that group quiz button.")]

    def _walk(self, state: dict) -> trees.Step | None:
        tree: Tree | None = self.k.trees.get(state.get("tree", ""))
        if tree is None:
            return None
        return trees.resume(tree, list(state.get("path") or []))

    @staticmethod
    def _walk_state(state: dict, step: trees.Step | None) -> dict:
        rest = {k: v for k, v in state.items() if k not in ("tree", "path")}
        return rest if step is None else {**rest, "tree": step.tree.id, "path": list(step.path)}

    def converse(self, text: str, state: dict, user: str = "") -> Turn:
        """Handle typed text: mid-walk or mid-quiz it may answer the current question; else it is a new question."""
        step = self._walk(state)
        typed = clean(text).lower().strip(" .!?")
        if "quiz" in state:
            if typed in trees.LEAVE_WORDS:
                return self.practice.stop(state)
            answered = self.practice.typed(user, state, text)
            if answered is not None:
                return answered
        if _QUIZ.match(text) and self.k.quiz:
            return Turn([self.practice.menu()], state)
        if step is not None:
            if typed in trees.BACK_WORDS:
                return self.act("back", state)
            if typed in trees.RESTART_WORDS:
                return self.act("restart", state)
            if typed in trees.LEAVE_WORDS:
                return self.act("exit", state)
            choice = trees.match_option(step, text)
            if choice is not None:
                nxt = trees.choose(step, choice)
                return Turn([self.step_reply(nxt)], self._walk_state(state, nxt))
        turn = self._answer(text, state)
        if "quiz" in state and turn.replies and turn.replies[0].kind != "quiz":
            first = turn.replies[0]
            turn.replies[0] = replace(first, buttons=first.buttons + (Button("Back to the quiz", "quiz:resume"),))
        if step is not None and not step.node.is_outcome and turn.state.get("tree") == step.tree.id \
                and list(turn.state.get("path", [])) == list(step.path):
            extra = Button(_label(f"Back to: {step.tree.title}"), "resume")
            first = turn.replies[0]
            turn.replies[0] = replace(first, buttons=first.buttons + (extra, Button("Leave the walk-through", "exit")))
        return turn

    def act(self, action: str, state: dict, user: str = "") -> Turn:
        """Handle a button action: open an entry, start or move through a tree or a quiz, or navigate."""
        action = clean(action or "")
        kind, _, rest = action.partition(":")
        step = self._walk(state)
        if kind in ("quiz", "qa"):
            return self.quiz_action(action, state, user)
        if kind == "open" and rest in self.k.entries:
            return Turn([self._entry_reply(self.k.entries[rest], confidence=1.0)], state)
        if kind == "tree" and rest in self.k.trees:
            nxt = trees.start(self.k.trees[rest])
            return Turn([self.step_reply(nxt)], self._walk_state(state, nxt))
        if kind == "opt":
            parts = rest.split(":")
            if step is None or len(parts) != 3 or parts[0] != step.tree.id or parts[1] != step.node.id \
                    or not _small_number(parts[2]):
                return self._stale(step, state)
            try:
                nxt = trees.choose(step, int(parts[2]))
            except trees.WalkError as exc:
                return Turn([Reply(kind="error", text=f"That choice doesn't fit this step: {exc}.")], state)
            return Turn([self.step_reply(nxt)], self._walk_state(state, nxt))
        if action in ("back", "restart", "resume"):
            if step is None:
                return self._stale(None, state)
            nxt = {"back": trees.back, "restart": lambda s: trees.start(s.tree), "resume": lambda s: s}[action](step)
            return Turn([self.step_reply(nxt)], self._walk_state(state, nxt))
        if action == "cancel":
            rest = {k: v for k, v in state.items() if k not in ("tree", "path", "quiz")}
            text = "Cancelled. Ask me anything." if rest != state else "Nothing to cancel."
            return Turn([Reply(kind="help", text=text, confidence=1.0)], rest)
        if action == "exit":
            message = "You have left the walk-through. Ask me anything." if step else "Nothing to leave."
            return Turn([Reply(kind="help", text=message, confidence=1.0)], self._walk_state(state, None))
        if action == "help":
            return Turn([self.help_reply()], state)
        return Turn([Reply(kind="error", text=f"I don't recognise that action ('{action[:40]}'). It may come from "
                                              "an old message: please ask again or type help.")], state)

    def quiz_action(self, action: str, state: dict, user: str) -> Turn:
        """Handle a quiz button: menus, starting rounds, answers, stopping and progress."""
        practice = self.practice
        if action == "quiz":
            return Turn([practice.menu()], state)
        if action in ("quiz:5", "quiz:10"):
            return practice.start(user, state, size=int(action.split(":")[1]))
        if action == "quiz:topics":
            return Turn([practice.topic_menu()], state)
        if action.startswith("quiz:t:"):
            return practice.start(user, state, size=5, topic=action[len("quiz:t:"):])
        if action == "quiz:review":
            return practice.start(user, state, review=True)
        if action == "quiz:stop":
            return practice.stop(state)
        if action == "quiz:stats":
            return Turn([practice.stats(user)], state)
        if action == "quiz:resume":
            if "quiz" not in state:
                return Turn([Reply(kind="error", text="No round is running.", buttons=(Button("Quiz menu", "quiz"),))],
                            state)
            return Turn([practice.question_reply(state["quiz"])], state)
        parts = action.split(":")
        if parts[0] == "qa" and len(parts) == 3 and _small_number(parts[2]):
            return practice.answer(user, state, parts[1], int(parts[2]))
        return Turn([Reply(kind="error", text=f"I don't recognise that quiz button ('{action[:40]}').")], state)

    def _stale(self, step: trees.Step | None, state: dict) -> Turn:
        if step is None:
            return Turn([Reply(kind="error", text="That button belongs to a walk-through that has ended. "
                                                  "Type your question, or 'help' to start again.")], state)
        lead = Reply(kind="error", text="That button is from an earlier step. Here is where you are now:")
        return Turn([lead, self.step_reply(step)], state)


def _small_number(text: str) -> bool:
    """True for the short digit strings button actions carry (never a huge number from crafted input)."""
    return text.isdigit() and len(text) <= 6


_DEFINITION_FRAMES = {  # what is left of a question once the acronym is removed, when it only asks the meaning
    "", "what is", "what is a", "what is an", "what is the", "what's", "what's a", "what's an", "what's the", "whats",
    "what are", "what are the", "who is", "who are", "who are the", "what does stand for", "what does mean",
    "what does the stand for", "what does the mean", "what do stand for", "what do mean", "meaning", "meaning of",
    "the meaning of", "what is the meaning of", "define", "definition", "definition of", "stand for", "stands for",
    "acronym", "abbreviation", "explain", "full form of", "what is meant by", "what does stands for"}
_COMMON_WORDS = {"as", "at", "in", "it", "is", "or", "on", "do", "go", "la", "sen", "ap", "it"}
