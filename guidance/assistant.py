"""The conversation: a message or button action in, channel-neutral replies out."""
from __future__ import annotations

import re
from dataclasses import replace

from . import trees
from .access import Access
from .codes import mentioned_codes
from .config import Settings
from .facts import FactReader, about_the_named, reachable_codes
from .loader import load_knowledge
from .models import Button, Knowledge, Reply, Tree, Turn
from .practice import QuizPractice
from .privacy import REMINDER, knowledge_words, looks_identifying
from .replies import Replies, label as _label
from .retrieval import Index, Match
from .safeguarding import RISK_PATTERNS
from .skills import Context, Interpretation
from .skills import calculator as calculator_skill
from .skills import ap_hours as ap_hours_skill
from .skills import age_range as age_range_skill
from .skills import followup, glossary, list_item, named_codes, scenario
from .skills import register as register_skill
from .skills import register_window as register_window_skill
from .skills import retrieval as retrieval_skill
from .skills import safeguarding as safeguarding_skill
from .spelling import Speller, pattern_words
from .session import Session
from .store import Store
from .text import MAX_QUERY_CHARS, clean, small_number
from .validate import validate

MAX_INPUT_CHARS = 4000        # longer messages are cut (and told so) before anything else reads them
CLOSE_CALL = 0.02             # two different answers this close in score: ask which was meant
AGREED = 0.75                 # a retrieved situation this sure, giving a code the message names, is not second-guessed
CONTRADICTED = 0.5            # a retrieved code the stated facts rule out keeps this share of its score
SURE = 0.95                   # at or above this a reading is not second-guessed
FACTS_CACHE = 256             # messages whose stated facts are remembered (read once, used twice)
REASONED = {"safeguarding", "scenario", "follow-up", "calculator", "register", "ages"}   # never traded for a "did you mean"
_QUIZ = re.compile(r"^\s*/?(quiz|quiz me|start (a )?quiz|practice quiz|practise|practice|test me|quiz practice|"
                   r"(give me|start|do|try|have) (a |some )?(practice|quiz|quiz questions?|questions to practise))"
                   r"\s*[!.?]*\s*$", re.IGNORECASE)
_THANKS = re.compile(r"^\W*(?:(?:ok(?:ay)?|great|brill(?:iant)?|perfect|lovely|super|cool|fab|ace|right|got it|understood|"
                     r"that'?s (?:great|helpful|brilliant|perfect|lovely|clear))\W+)?(?:thanks?|thank you|thankyou|ty|cheers|"
                     r"ta)(?: (?:so much|very much|a lot|loads|again|for that|for your help))?\W*x*\W*$", re.IGNORECASE)
_HELP = re.compile(r"^\s*/?(help|start|hi|hello|hey|menu|\?|what can you do|what do you do)\s*[!.?]*\s*$",
                   re.IGNORECASE)
# A message going back to the case before the last one ("back to the AP lad", "for the first one")
_BACK_TO = re.compile(r"\b(?:(?:go(?:ing)? )?back to (?:the|that|my|our|his|her|your) |(?:for|about|on|re|with) the (?:first|"
                      r"earlier|original|other|previous) (?:one|case|kid|pupil|child|lad|girl|boy|situation|question)\b|"
                      r"\bthe (?:first|earlier|original) (?:one|case|situation)\b)", re.IGNORECASE)
SKILLS = (safeguarding_skill, register_skill, followup, scenario, named_codes, calculator_skill, ap_hours_skill,
          register_window_skill, age_range_skill, list_item, glossary, retrieval_skill)


class KnowledgeError(RuntimeError):
    """The knowledge has errors, so the assistant will not start on it."""

    def __init__(self, problems):
        self.problems = problems
        super().__init__(f"{len(problems)} knowledge error(s); run 'python -m bot check' for details")


class Assistant:
    """Answers questions and walks decision trees over one loaded knowledge base."""

    def __init__(self, knowledge: Knowledge, settings: Settings | None = None, store: Store | None = None):
        self.settings = settings or Settings()
        self.store = store
        self._use(knowledge)
        self.practice = QuizPractice(knowledge.quiz, knowledge.entries, store)
        self.access = Access(self.settings, store)
        self.session = Session(self)

    def _use(self, knowledge: Knowledge) -> None:
        """Build everything that depends on the knowledge (on start and on reload)."""
        self.k = knowledge
        english = Speller(())
        self.index = Index(knowledge, is_word=english.is_word)
        patterns = [p for values in knowledge.facts.values() for v in values for p in v.patterns]
        self.speller = Speller([*self.index.vocabulary, *pattern_words(patterns), *pattern_words(RISK_PATTERNS)])
        self.reader = FactReader(knowledge.facts)
        self.vocabulary = knowledge_words(knowledge)   # the only words ever kept from what users type
        self.replies = Replies(knowledge, self.settings)
        self.known_codes = set(knowledge.codes)
        self._told: dict[str, dict] = {}

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
        if turn.replies and turn.replies[0].kind != "register" and \
                looks_identifying(clean(raw or "")[:MAX_INPUT_CHARS], self.vocabulary):
            first = turn.replies[0]
            turn.replies[0] = replace(first, text=f"{first.text}\n\n{REMINDER}")
        return turn

    def interpretations(self, text: str, memory: dict | None = None, raw: str = "") -> list[Interpretation]:
        """Every skill's reading of a message, best first (for answering, and for seeing why an answer won); `raw`
        is the message as sent, line breaks kept, for the skills that read its layout."""
        corrected = self.speller.correct(text)
        ctx = Context(text=text, k=self.k, index=self.index, reader=self.reader, replies=self.replies,
                      settings=self.settings, memory=dict(memory or {}), facts=self.told(text, corrected),
                      named=mentioned_codes(text, self.known_codes), corrected=corrected,
                      raw=(raw or text)[:MAX_INPUT_CHARS * 4])
        proposed = [i for skill in SKILLS for i in skill.propose(ctx)]
        tree = self.k.trees.get(scenario.CODE_TREE)
        if tree is not None and scenario.stated(ctx.facts):
            # a coding situation that only reads alike, whose code the stated facts rule out, is not given
            allowed = reachable_codes(tree, ctx.facts)
            proposed = [replace(i, score=round(i.score * CONTRADICTED, 4)) if i.skill == "retrieval"
                        and i.key.startswith("code:") and i.key[5:] not in allowed else i for i in proposed]
        found = sorted(proposed, key=lambda i: i.score, reverse=True)
        if found and found[0].skill == "named-codes" and found[0].key.startswith("ask:") and any(
                i.skill == "retrieval" and i.key[5:] in ctx.named and i.score >= AGREED
                for i in found if i.key.startswith("code:")):
            found.pop(0)   # a coding situation much like this one gives a code the message names: they agree
        reasoned = next((i for i in found if i.skill in ("scenario", "follow-up")
                         and i.key.startswith(("code:", "ask:"))), None)
        if found and reasoned is not None and found[0].skill == "retrieval" and found[0].key.startswith("code:"):
            # a code reasoned from the stated facts, or the one question they leave open, outranks a coding
            # situation that only reads alike
            found.remove(reasoned)
            found.insert(0, reasoned)
        elif found and reasoned is not None and reasoned.key.startswith("code:") and memory \
                and found[0].key == f"tree:{scenario.CODE_TREE}" and not retrieval_skill.asks_to_walk(text):
            # "what code?" straight after a situation: its code, not the walk-through from the first question
            found.remove(reasoned)
            found.insert(0, reasoned)
        elif found and reasoned is not None and reasoned.skill == "follow-up" and reasoned.key.startswith("code:") \
                and found[0].skill == "retrieval" and found[0].key.startswith("entry:") and not ctx.named \
                and scenario.INTENT.search(text) and not found[0].reply.codes:
            # "and the register code for those days?" about the situation discussed: its code, not guidance on
            # keeping registers that shares the words
            found.remove(reasoned)
            found.insert(0, reasoned)
        return found

    def told(self, text: str, corrected: str | None = None) -> dict:
        """The situation facts a message states, read (with its spelling corrected) once per message: the skills read
        them, and the conversation keeps them."""
        facts = self._told.get(text)
        if facts is None:
            if len(self._told) >= FACTS_CACHE:
                self._told.clear()
            corrected = self.speller.correct(text) if corrected is None else corrected
            facts = self._told[text] = self.reader.read(about_the_named(corrected))
        return dict(facts)

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
        if _THANKS.match(text):
            # a thank-you asks nothing: acknowledged, and the case under discussion kept for what follows
            return Turn([Reply(kind="help", confidence=1.0, text="You're welcome. Ask more about the same case, or "
                                                                  "something new, whenever you need.")], state)
        if _QUIZ.match(text) and self.k.quiz:
            return Turn([self.practice.menu()], state)
        place = retrieval_skill.place_named(self.index, text) or state.get("place")
        asked = retrieval_skill.with_place(self.index, text, state.get("place"))
        # "back to the AP lad...", "for the first one, can they be fined?": the case before the last one
        context = state.get("earlier") if _BACK_TO.search(text) and state.get("earlier") else state.get("context")
        context, asked = glossary.term_meant(context, asked)
        ranked = self.interpretations(asked, context, raw=raw or "")
        best = ranked[0] if ranked else None
        if best is not None and best.skill == "register":
            return Turn([best.reply], state)      # a register is read whole and forgotten: nothing of it is kept
        if best is None:
            return Turn([self._with_note(self.fallback_reply(), note)], state)
        runner = next((i for i in ranked[1:] if i.key != best.key), None)
        if runner is not None and not {best.skill, runner.skill} & REASONED and best.score < SURE \
                and best.score - runner.score < CLOSE_CALL \
                and runner.score >= self.settings.confident_score and best.reply.id and runner.reply.id \
                and best.reply.id in self.k.entries and runner.reply.id in self.k.entries \
                and best.reply.id != runner.reply.id:
            choices = [Match(best.reply.id, best.score, 0, 0), Match(runner.reply.id, runner.score, 0, 0)]
            return Turn([self._with_note(self.replies.did_you_mean(choices), note)], state)
        if best.skill == "safeguarding" and best.memory is None:
            # escalation comes first, and the conversation goes on about what was asked ("what does CERAF stand
            # for?" after a disclosure): the best other reading's subject is kept for the follow-ups
            aside = next((i for i in ranked[1:] if i.memory and i.skill != "safeguarding"
                          and i.score >= self.settings.confident_score), None)
            if aside is not None:
                best = replace(best, memory=aside.memory)
        new_state = {k: v for k, v in state.items() if k not in ("walk_facts",)}
        if place:
            new_state["place"] = place   # a town named once is "round here" for the rest of the conversation
        told = self.told(asked)
        if best.memory is None and best.reply.kind in ("did-you-mean", "fallback") and best.skill == "retrieval":
            if scenario.stated(told) and not (context or {}).get("code"):
                # nothing answered it surely, but the situation told is kept: "if we say no and they go anyway, what
                # code?" next codes it (a case already coded stays the case: what could not be answered changed none
                # of its facts)
                new_state["context"] = {"facts": told}
        if best.memory is not None:
            before = context or {}
            if scenario.stated(told) and not {"facts", "code", "calc", "situation"} & set(best.memory):
                # guidance given on a stated situation keeps its facts, so "and what goes in the register for him?"
                # or "back to the AP lad" later codes that situation
                new_state["context"] = {**best.memory, "facts": told}
            elif "facts" not in best.memory and before.get("facts") and best.memory.get("code") == before.get("code"):
                # a follow-up about the same code ("does that count as absence?") keeps the case's facts, so a later
                # "what if the school had set it up?" still changes one fact of it
                new_state["context"] = {**best.memory, "facts": before["facts"]}
            elif "facts" not in best.memory and before.get("facts") and best.memory.get("entry") == before.get("entry"):
                # the same answer again for a detail of it ("how long can it sit as that?"): the case and its code stay
                new_state["context"] = {**before, **best.memory}
            elif not {"facts", "code", "calc", "situation"} & set(best.memory) and (
                    before.get("facts") and before.get("code") or before.get("case")):
                # guidance asked in the middle of a coded case ("who holds safeguarding while he's at the farm?"):
                # the case is kept aside, so "and if the LA had commissioned it?" still changes one fact of it
                case = {"facts": before["facts"], "code": before["code"]} if before.get("facts") else before["case"]
                new_state["context"] = {**best.memory, "case": case}
            else:
                new_state["context"] = best.memory
            if state.get("context") and new_state["context"] != state["context"]:
                new_state["earlier"] = state["context"]   # kept for a later "back to the first one"
        if best.walk is not None:
            new_state.update({"tree": best.walk[0], "path": list(best.walk[1])})
            if best.memory and best.memory.get("facts"):
                new_state["walk_facts"] = best.memory["facts"]
        return Turn([self._with_note(best.reply, note)], new_state)

    @staticmethod
    def _with_note(reply: Reply, note: str) -> Reply:
        if not note:
            return reply
        return replace(reply, text=reply.text + note)

    # -- replies -------------------------------------------------------------------------------
    def entry_reply(self, entry_id: str) -> Reply | None:
        """Return the full reply for one entry, or None when there is no such entry."""
        entry = self.k.entries.get(entry_id)
        return self.replies.entry(entry, confidence=1.0) if entry else None

    def trees_menu(self) -> Reply:
        """Offer every decision tree as a button."""
        return self.replies.trees_menu()

    def help_reply(self, lead: str = "") -> Reply:
        """Explain what the assistant can do, with example questions as buttons."""
        return self.replies.help(lead)

    def fallback_reply(self, note: str = "") -> Reply:
        """Say honestly that nothing fits, and signpost the people who can help."""
        return self.replies.fallback(note)

    def step_reply(self, step: trees.Step, confidence: float = 1.0) -> Reply:
        """Show the current question of a walk with its options, or its outcome."""
        return self.replies.step(step, confidence)

    # -- conversations -------------------------------------------------------------------------
    def handle(self, user: str, text: str | None = None, action: str | None = None, group: str | None = None,
               name: str | None = None) -> list[Reply]:
        """Take one message or button action from a user through the session pipeline (access first)."""
        return self.session.handle(user, text=text, action=action, group=group, name=name)

    def register_file(self, filename: str, data: bytes) -> Reply:
        """Read an uploaded register file (CSV of date, session and mark, or text of marks); nothing is kept."""
        return register_skill.file_reply(filename, data, self.k, self.replies)

    def handle_file(self, user: str, filename: str, data: bytes) -> list[Reply]:
        """Take one uploaded file (a register CSV) through the session pipeline (access first)."""
        return self.session.handle_file(user, filename, data)

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

    def _advance(self, state: dict, step: trees.Step, index: int) -> Turn:
        """Take an option; in a walk begun from a typed scenario, go on as far as its remembered facts decide."""
        nxt = trees.choose(step, index)
        facts = state.get("walk_facts")
        if not facts:
            new_state = self._walk_state(state, nxt)
            chosen = trees.facts_chosen(nxt) if nxt.node.is_outcome else {}
            if chosen:   # the outcome's facts, for a follow-up that changes one ("and the morning one?")
                new_state["context"] = {"facts": chosen, **({"code": nxt.node.codes[0]} if nxt.node.codes else {})}
            return Turn([self.step_reply(nxt)], new_state)
        option = step.node.options[index]
        facts = dict(facts)
        if step.node.fact and option.values:
            facts[step.node.fact] = option.values[0]
        nxt = scenario.continue_walk(nxt, facts)
        new_state = {**self._walk_state(state, nxt), "walk_facts": facts}
        if nxt.node.is_outcome:
            new_state.pop("walk_facts")
            new_state["context"] = {"facts": facts, **({"code": nxt.node.codes[0]} if nxt.node.codes else {})}
        return Turn([self.step_reply(nxt)], new_state)

    @staticmethod
    def _walk_state(state: dict, step: trees.Step | None) -> dict:
        rest = {k: v for k, v in state.items() if k not in ("tree", "path", "walk_facts")}
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
                return self._advance(state, step, choice)
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
            return Turn([self.replies.entry(self.k.entries[rest], confidence=1.0)], state)
        if kind == "tree" and rest in self.k.trees:
            nxt = trees.start(self.k.trees[rest])
            return Turn([self.step_reply(nxt)], self._walk_state(state, nxt))
        if kind == "opt":
            parts = rest.split(":")
            if step is None or len(parts) != 3 or parts[0] != step.tree.id or parts[1] != step.node.id \
                    or not _small_number(parts[2]):
                return self._stale(step, state)
            try:
                return self._advance(state, step, int(parts[2]))
            except trees.WalkError as exc:
                return Turn([Reply(kind="error", text=f"That choice doesn't fit this step: {exc}.")], state)
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
            if practice.current(state["quiz"]) is None:   # the questions changed since the round began
                return Turn([practice.changed_reply()], {k: v for k, v in state.items() if k != "quiz"})
            return Turn([practice.question_reply(state["quiz"])], state)
        parts = action.split(":")
        if parts[0] == "qa" and len(parts) == 3 and _small_number(parts[2]):
            return practice.answer(user, state, parts[1], int(parts[2]))
        return Turn([Reply(kind="error", text=f"I don't recognise that quiz button ('{action[:40]}').")], state)

    def _stale(self, step: trees.Step | None, state: dict) -> Turn:
        """Answer a button from an earlier step, or from a walk-through that has since changed or ended."""
        if step is None:
            return Turn([Reply(kind="error", text="That button belongs to a walk-through that has ended. "
                                                  "Type your question, or 'help' to start again.")],
                        self._walk_state(state, None))
        if list(state.get("path") or []) != list(step.path):   # the walk-through's steps changed since
            lead = Reply(kind="error", text="This walk-through has changed since you started it, so here it is "
                                            "from the beginning:")
            return Turn([lead, self.step_reply(step)], self._walk_state(state, step))
        lead = Reply(kind="error", text="That button is from an earlier step. Here is where you are now:")
        return Turn([lead, self.step_reply(step)], state)


def _small_number(text: str) -> bool:
    """True for the short digit strings button actions carry (never a huge number from crafted input)."""
    return small_number(text, 6) is not None
