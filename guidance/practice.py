"""Quiz practice as a conversation: rounds, answers, review of mistakes, progress, group rounds with a leaderboard."""
from __future__ import annotations

import random

from . import quiz
from .actions import group_answer, open_entry, quiz_answer
from .models import Button, Entry, Poll, QuizQuestion, Reply, Turn
from .store import Store
from .text import small_number

GROUP_ROUND_SIZE = 5
NO_STORE = "Quiz practice needs saved progress, which this interface does not keep. Use the chat to practise."
CHANGED = ("The quiz questions have changed since your round began, so that round has ended. Your answers so far "
           "are saved. Start a fresh round whenever you like.")
GROUP_CHANGED = ("The quiz questions have changed since this group round began, so the round has ended. Start a "
                 "fresh one with 'group quiz'.")


def _topic_label(topic: str) -> str:
    return topic.replace("-", " ").capitalize()


class QuizPractice:
    """Runs quiz rounds for users and groups over one question bank, saving scores in the store."""

    def __init__(self, bank: dict[str, QuizQuestion], entries: dict[str, Entry], store: Store | None,
                 rng: random.Random | None = None):
        self.bank = bank
        self.entries = entries
        self.store = store
        self.rng = rng or random.Random()

    # -- menus ---------------------------------------------------------------------------------
    def menu(self) -> Reply:
        """Offer the kinds of round."""
        buttons = (Button("Quick round of 5", "quiz:5"), Button("Quick round of 10", "quiz:10"),
                   Button("Choose a topic", "quiz:topics"), Button("Review my mistakes", "quiz:review"),
                   Button("My progress", "quiz:stats"))
        text = (f"Quiz practice: {len(self.bank)} questions on coding, alternative provision, referrals, "
                "thresholds and more. Your scores are kept so you can review what you missed.")
        return Reply(kind="quiz", role="quiz", title="Quiz practice", text=text, confidence=1.0,
                     suggestions=tuple(b.label for b in buttons), buttons=buttons)

    def topic_menu(self) -> Reply:
        """Offer a round on one topic."""
        buttons = tuple(Button(f"{_topic_label(t)} ({n})", f"quiz:t:{t}") for t, n in quiz.topics(self.bank).items())
        return Reply(kind="quiz", role="quiz", title="Choose a topic", text="Choose a topic for a round of 5.",
                     confidence=1.0, suggestions=tuple(b.label for b in buttons), buttons=buttons)

    # -- a user's round --------------------------------------------------------------------------
    def start(self, user: str, state: dict, size: int = 5, topic: str | None = None, review: bool = False) -> Turn:
        """Start a round: quick, on a topic, or of the user's mistakes."""
        if self.store is None:
            return Turn([Reply(kind="error", text=NO_STORE)], state)
        progress = self.store.progress(user)
        number = self.store.rounds(user) + 1
        if review:
            ids = quiz.review_round(progress, self.bank, number, size=10)
            if not ids:
                waiting = sum(1 for p in progress.values() if p.needs_review)
                text = ("Nothing to review right now: every question you missed has been answered right twice."
                        if not waiting else f"{waiting} missed question(s) will come back after your next round, "
                                            "so the practice is spaced out. Try a quick round meanwhile.")
                return Turn([Reply(kind="quiz", role="quiz", text=text, confidence=1.0,
                                   buttons=(Button("Quick round of 5", "quiz:5"),))], state)
        else:
            ids = quiz.pick_round(self.bank, size, topic, progress, self.rng)
        if not ids:
            return Turn([Reply(kind="error", text=f"There are no questions on '{topic}'.")], state)
        self.store.new_round(user)
        round_state = {"ids": ids, "i": 0, "right": 0, "round": number, "mode": "review" if review else "quick"}
        new_state = {**state, "quiz": round_state}
        return Turn([self.question_reply(round_state)], new_state)

    def current(self, round_state) -> QuizQuestion | None:
        """The round's current question; None when the saved round is malformed or names a question that is no
        longer in the bank (removed from the knowledge and reloaded)."""
        try:
            qid = round_state["ids"][round_state["i"]]
        except (KeyError, IndexError, TypeError):
            return None
        return self.bank.get(qid) if isinstance(qid, str) else None

    def changed_reply(self) -> Reply:
        """Say that a saved round no longer fits the question bank, offering a fresh start."""
        buttons = (Button("Quick round of 5", "quiz:5"), Button("Quiz menu", "quiz"))
        return Reply(kind="quiz", role="quiz", title="Quiz changed", text=CHANGED, confidence=1.0,
                     suggestions=tuple(b.label for b in buttons), buttons=buttons)

    def _changed(self, state: dict) -> Turn:
        """End a round that names a question no longer in the bank: a clear message and a fresh start."""
        return Turn([self.changed_reply()], {k: v for k, v in state.items() if k != "quiz"})

    def question_reply(self, round_state: dict) -> Reply:
        """Show the current question of a round with its options as buttons (or, when the questions have
        changed since the round began, say so and offer a fresh round)."""
        q = self.current(round_state)
        if q is None:
            return self.changed_reply()
        buttons = tuple(Button(opt, quiz_answer(q.id, i)) for i, opt in enumerate(q.options))
        lines = [f"Question {round_state['i'] + 1} of {len(round_state['ids'])} ({_topic_label(q.topic)})", "",
                 q.question]
        return Reply(kind="quiz", role="quiz-question", id=q.id, title="Quiz", text="\n".join(lines), confidence=1.0,
                     suggestions=tuple(b.label for b in buttons), buttons=buttons + (Button("Stop", "quiz:stop"),),
                     poll=self.poll(q))

    @staticmethod
    def poll(q: QuizQuestion) -> Poll:
        """Return a question in the shape of a native quiz poll."""
        return Poll(q.question, q.options, q.answer, q.explanation)

    def answer(self, user: str, state: dict, qid: str, choice: int) -> Turn:
        """Mark an answer, save it, and show the explanation and the next question (or the round's result)."""
        round_state = state.get("quiz")
        if round_state and self.current(round_state) is None:
            return self._changed(state)
        if not round_state or round_state["ids"][round_state["i"]] != qid:
            lead = Reply(kind="error", text="That answer button is from an earlier question.")
            return Turn([lead] + ([self.question_reply(round_state)] if round_state else []), state)
        q = self.bank[qid]
        if not 0 <= choice < len(q.options):
            return Turn([Reply(kind="error", text=f"Choose an option from 1 to {len(q.options)}.")], state)
        if self.store is None:
            return Turn([Reply(kind="error", text=NO_STORE)], state)
        correct = quiz.is_correct(q, choice)
        progress = quiz.record(self.store.progress(user).get(qid), q, correct, round_state["round"])
        round_state = {**round_state, "i": round_state["i"] + 1, "right": round_state["right"] + int(correct)}
        replies = [self.feedback(q, choice, correct)]
        rest = {k: v for k, v in state.items() if k != "quiz"}
        if round_state["i"] >= len(round_state["ids"]):
            replies.append(self.round_result(round_state))
            new_state = rest
        elif self.current(round_state) is None:
            replies.append(self.changed_reply())
            new_state = rest
        else:
            replies.append(self.question_reply(round_state))
            new_state = {**state, "quiz": round_state}
        # the answer and the state that moves past it are saved in one transaction: a crash between them can
        # neither lose the answer nor let the same question be scored twice
        self.store.record_answer(user, progress, correct, round_state["round"], state=new_state)
        return Turn(replies, new_state)

    def feedback(self, q: QuizQuestion, choice: int, correct: bool) -> Reply:
        """Say whether an answer was right, with the explanation and a link to the full entry."""
        head = "Correct." if correct else f"Not quite: the answer is \"{q.options[q.answer]}\"."
        buttons = ()
        if q.entry in self.entries:
            buttons = (Button("Read the full guidance", open_entry(q.entry)),)
        return Reply(kind="quiz", role="quiz-verdict", id=q.id, title="Correct" if correct else "Not quite",
                     text=f"{head}\n{q.explanation}", confidence=1.0, sources=tuple(s.label() for s in q.sources),
                     suggestions=tuple(b.label for b in buttons), buttons=buttons)

    def round_result(self, round_state: dict) -> Reply:
        """Sum up a finished round."""
        n, right = len(round_state["ids"]), round_state["right"]
        text = f"Round complete: {right} of {n} right."
        if right < n:
            text += " The ones you missed will come back in 'Review my mistakes'."
        buttons = (Button("Another round of 5", "quiz:5"), Button("Review my mistakes", "quiz:review"),
                   Button("My progress", "quiz:stats"))
        return Reply(kind="quiz", role="quiz", title="Round complete", text=text, confidence=1.0,
                     suggestions=tuple(b.label for b in buttons), buttons=buttons)

    def typed(self, user: str, state: dict, text: str) -> Turn | None:
        """Treat typed text mid-round as an answer when it is an option's number or wording."""
        round_state = state.get("quiz")
        if not round_state:
            return None
        typed = text.strip().rstrip(".!").strip().lower()
        q = self.current(round_state)
        number = small_number(typed)
        if q is None:  # the round's question was removed: an answer by number ends it clearly
            return self._changed(state) if number is not None else None
        if number is not None and 1 <= number <= len(q.options):
            return self.answer(user, state, q.id, number - 1)
        for i, opt in enumerate(q.options):
            if typed == opt.lower():
                return self.answer(user, state, q.id, i)
        return None

    def stop(self, state: dict) -> Turn:
        """End the current round; answers already given stay saved."""
        rest = {k: v for k, v in state.items() if k != "quiz"}
        text = "Round stopped. Your answers so far are saved." if "quiz" in state else "No round is running."
        return Turn([Reply(kind="quiz", role="quiz", text=text, confidence=1.0,
                           buttons=(Button("Quiz menu", "quiz"),))], rest)

    def stats(self, user: str) -> Reply:
        """Show answered, correct, streak and weakest topics."""
        if self.store is None:
            return Reply(kind="error", text=NO_STORE)
        s = quiz.summarise(self.store.history(user), self.store.progress(user))
        if not s.answered:
            return Reply(kind="quiz", role="quiz", title="My progress",
                         text="No answers yet. Start a round to practise.", confidence=1.0,
                         buttons=(Button("Quick round of 5", "quiz:5"),))
        lines = [f"Answered: {s.answered}, correct: {s.correct} ({100 * s.correct / s.answered:.0f}%).",
                 f"Current streak: {s.streak} (best {s.best_streak}).",
                 f"Questions to review: {s.to_review}."]
        if s.weakest:
            lines.append("Weakest topics: " + "; ".join(f"{_topic_label(t)} {c}/{n}" for t, c, n in s.weakest) + ".")
        buttons = (Button("Review my mistakes", "quiz:review"), Button("Quick round of 5", "quiz:5"))
        return Reply(kind="quiz", role="quiz", title="My progress", text="\n".join(lines), confidence=1.0,
                     suggestions=tuple(b.label for b in buttons), buttons=buttons)

    # -- group rounds ----------------------------------------------------------------------------
    def group_start(self, group: str, user: str, size: int = GROUP_ROUND_SIZE) -> list[Reply]:
        """Start a round for a group; the starter becomes its facilitator."""
        if self.store is None:
            return [Reply(kind="error", text=NO_STORE)]
        ids = quiz.pick_round(self.bank, size, rng=self.rng)
        row = self.store.start_group_round(group, user, ids)
        intro = Reply(kind="quiz", role="quiz", title="Group quiz", confidence=1.0,
                      text=f"Group quiz: {len(ids)} questions. Everyone answers; the facilitator moves on with "
                           "'Next question'. Only people who opted in are named on the leaderboard.")
        return [intro, self.group_question(row)]

    @staticmethod
    def _group_qid(row: dict) -> str | None:
        """The id of the group's current question as saved, or None when the saved round is malformed."""
        try:
            qid = row["questions"][row["position"]]
        except (KeyError, IndexError, TypeError):
            return None
        return qid if isinstance(qid, str) else None

    def _group_current(self, row: dict) -> QuizQuestion | None:
        """The group's current question; None when it is no longer in the bank."""
        qid = self._group_qid(row)
        return self.bank.get(qid) if qid is not None else None

    def _group_changed(self, group: str, row: dict, before: list[Reply] | None = None) -> list[Reply]:
        """Close a group round whose question was removed from the bank, say so, and show the scores so far."""
        self.store.advance_group_round(group, row["position"], still_open=False)
        return [*(before or []),
                Reply(kind="quiz", role="quiz", title="Quiz changed", text=GROUP_CHANGED, confidence=1.0),
                self.leaderboard(group, row["round"])]

    def group_question(self, row: dict) -> Reply:
        """Show the group's current question with answer buttons for every member."""
        q = self._group_current(row)
        if q is None:
            return Reply(kind="quiz", role="quiz", title="Quiz changed", text=GROUP_CHANGED, confidence=1.0)
        buttons = tuple(Button(opt, group_answer(row["round"], q.id, i)) for i, opt in enumerate(q.options))
        text = f"Question {row['position'] + 1} of {len(row['questions'])}\n\n{q.question}"
        return Reply(kind="quiz", role="quiz-question", id=q.id, title="Group quiz", text=text, confidence=1.0,
                     suggestions=tuple(b.label for b in buttons), poll=self.poll(q),
                     buttons=buttons + (Button("Next question", "grp:next"), Button("End and show scores", "grp:end")))

    def group_answer(self, group: str, user: str, round_number: int, qid: str, choice: int) -> list[Reply]:
        """Record a member's answer to the group's current question, once."""
        row = self.store.group_round(group) if self.store else None
        if not row or not row["open"] or row["round"] != round_number or self._group_qid(row) != qid:
            return [Reply(kind="error", text="That question is no longer open in this group.")]
        q = self._group_current(row)
        if q is None:
            return self._group_changed(group, row)
        if not 0 <= choice < len(q.options):
            return [Reply(kind="error", text="That option is not part of this question.")]
        correct = quiz.is_correct(q, choice)
        user_round = self.store.rounds(user)
        progress = quiz.record(self.store.progress(user).get(qid), q, correct, user_round)
        # the group's record of the answer and the member's own progress are saved in one transaction
        if not self.store.record_group_answer(group, round_number, user, choice, progress, correct, user_round):
            return [Reply(kind="quiz", role="quiz", text="You have already answered this one.", confidence=1.0)]
        return [Reply(kind="quiz", role="quiz", text="Answer recorded.", confidence=1.0)]

    def group_next(self, group: str, user: str) -> list[Reply]:
        """Reveal the answer and move the group on (facilitator only); after the last question, the leaderboard."""
        row = self.store.group_round(group) if self.store else None
        if not row or not row["open"]:
            return [Reply(kind="error", text="No group round is running. Start one with 'group quiz'.")]
        if user != row["facilitator"]:
            return [Reply(kind="error", text="Only the facilitator who started the round can move it on.")]
        q = self._group_current(row)
        if q is None:
            return self._group_changed(group, row)
        reveal = Reply(kind="quiz", role="quiz-verdict", id=q.id, title="Answer", confidence=1.0,
                       text=f"The answer: \"{q.options[q.answer]}\".\n{q.explanation}")
        position = row["position"] + 1
        if position >= len(row["questions"]):
            self.store.advance_group_round(group, row["position"], still_open=False)
            return [reveal, self.leaderboard(group, row["round"])]
        if self._group_current({**row, "position": position}) is None:
            return self._group_changed(group, row, before=[reveal])
        self.store.advance_group_round(group, position, still_open=True)
        return [reveal, self.group_question({**row, "position": position})]

    def group_end(self, group: str, user: str) -> list[Reply]:
        """End the group's round early and show the leaderboard (facilitator only)."""
        row = self.store.group_round(group) if self.store else None
        if not row:
            return [Reply(kind="error", text="No group round to end.")]
        if user != row["facilitator"]:
            return [Reply(kind="error", text="Only the facilitator who started the round can end it.")]
        self.store.advance_group_round(group, row["position"], still_open=False)
        return [self.leaderboard(group, row["round"])]

    def leaderboard(self, group: str, round_number: int) -> Reply:
        """Rank the members of a group round; names only for those who opted in."""
        scores = self.store.group_scores(group, round_number)
        names = self.store.display_names(list(scores))
        ranked = sorted(scores.items(), key=lambda kv: (-kv[1][0], kv[1][1]))
        lines, unnamed = [], 0
        for place, (member, (right, answered)) in enumerate(ranked, 1):
            if member in names:
                lines.append(f"{place}. {names[member]}: {right} of {answered}")
            else:
                unnamed += 1
                lines.append(f"{place}. (a participant): {right} of {answered}")
        if not lines:
            lines = ["Nobody answered this round."]
        if unnamed:
            lines.append(f"{unnamed} participant(s) not named: opt in with 'show me on leaderboards'.")
        return Reply(kind="quiz", role="quiz", title="Leaderboard", text="Leaderboard\n" + "\n".join(lines),
                     confidence=1.0)

    def opt_in(self, user: str, name: str | None) -> Reply:
        """Show a user on leaderboards under a display name (given by the channel), or take them off."""
        if self.store is None:
            return Reply(kind="error", text=NO_STORE)
        if name is None:
            self.store.set_leaderboard(user, None)
            return Reply(kind="quiz", role="quiz", text="You will not be named on leaderboards.", confidence=1.0)
        clean_name = " ".join(name.split())[:40]
        if not clean_name:
            return Reply(kind="error", text="A display name is needed to appear on leaderboards.")
        self.store.set_leaderboard(user, clean_name)
        return Reply(kind="quiz", role="quiz", text=f"You will appear on leaderboards as '{clean_name}'. Use a first "
                                                    "name or nickname, never a child's name.", confidence=1.0)
