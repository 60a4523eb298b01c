"""The pipeline for one inbound message or button action, the only entry point every channel calls: access, then
commands (admin, forget me, progress, leaderboard, feedback), then understanding (the assistant's skills, walks and
quizzes), then feedback buttons, the saved conversation state and the content-gaps log."""
from __future__ import annotations

import math
import re
import time
from dataclasses import replace
from datetime import datetime
from typing import TYPE_CHECKING

from .loader import load_knowledge
from .gaps import group_gaps, report as gaps_report
from .models import Button, Reply, action_role
from .practice import QuizPractice
from .privacy import keep_known_words
from .store import PERSONAL_DATA, as_utc
from .text import MAX_QUERY_CHARS, clean
from .validate import validate

if TYPE_CHECKING:
    from .assistant import Assistant

_GROUP_QUIZ = re.compile(r"^\s*/?(group quiz|start (a )?group quiz|quiz (the )?group)\s*[!.?]*\s*$", re.IGNORECASE)
_STATS = re.compile(r"^\s*/?(stats|my progress|my stats|my scores?|progress|(show |what'?s |what is )?my (quiz )?"
                    r"(progress|score|scores|stats|results)|how am i doing( (on|in|with) (the )?quiz(zes)?)?|"
                    r"how (have|did) i do( (on|in) (the )?quiz(zes)?)?)\s*[!.?]*\s*$", re.IGNORECASE)
_FORGET = re.compile(r"^\s*/?(forget ?me|forgetme|(please )?(delete|remove|erase|wipe|clear) (all )?(of )?my "
                     r"(data|details|history|scores|information|info|records?)( please)?|"
                     r"(please )?forget (about )?me( please)?|forget everything about me)\s*[!.?]*\s*$", re.IGNORECASE)
_OPT_IN = re.compile(r"^\s*(show me on (the )?leaderboards?|leaderboard on|opt in)\s*[!.?]*\s*$", re.IGNORECASE)
_OPT_OUT = re.compile(r"^\s*(hide me from (the )?leaderboards?|leaderboard off|opt out)\s*[!.?]*\s*$",
                      re.IGNORECASE)
_INVITE = re.compile(r"^\s*/?invite\s+(\S+)\s*$", re.IGNORECASE)
_ADMIN = re.compile(r"^\s*/(reload|gaps|usage)\b", re.IGNORECASE)
RETENTION_EVERY = 86_400      # seconds between retention sweeps while messages arrive
GAPS_IN_CHAT = 20             # gap groups (and least helpful answers) the /gaps reply lists; the command line has all
ACCESS_KEPT = "Your access is kept so you can keep using the assistant; ask your administrator to remove it."


def forget_scope() -> str:
    """What forget-me deletes, in plain words, from the store's one declaration of personal data."""
    return "; ".join(item.holds for item in PERSONAL_DATA if item.forget != "keep")


class Session:
    """Runs each message or action through access, commands, understanding and state, for one assistant."""

    def __init__(self, assistant: "Assistant"):
        self.a = assistant
        self._retention_checked = 0.0
        self._enforce_retention()

    def refusal(self) -> Reply:
        """The reply for someone not (yet) allowed to use the assistant."""
        return Reply(kind="error", title="Invite only", text=(
            "This assistant is for invited users. Send 'invite' followed by the code from your administrator."
            if self.a.access.invite_code() else "This assistant is only open to configured users. Ask your "
                                                "administrator for access."))

    def greeting(self, user: str, lead: str = "") -> Reply:
        """The welcome and help for an allowed user; for anyone else, the lead (such as the privacy notice) and how
        to get access, so no entry point shows more than the access check allows."""
        if self.a.access.allowed(user):
            return self.a.help_reply(lead)
        refusal = self.refusal()
        return replace(refusal, text=f"{lead}\n\n{refusal.text}" if lead else refusal.text)

    def menu(self, user: str) -> Reply:
        """The walk-through menu for an allowed user, the access message for anyone else."""
        return self.a.trees_menu() if self.a.access.allowed(user) else self.refusal()

    def answer(self, user: str, text: str) -> Reply:
        """Answer one question statelessly for a user (Telegram inline mode), after the same access check."""
        if not self.a.access.allowed(user):
            return self.refusal()
        return self.a.answer(text)

    def invite(self, user: str, code: str, now: datetime | None = None) -> Reply:
        """Redeem an invite code, saying clearly when too many wrong codes mean waiting before trying again."""
        outcome = self.a.access.redeem(user, code, now=now)
        if outcome.accepted:
            return self.a.help_reply("Welcome: your invite code was accepted.")
        if not self.a.access.invite_code():
            return self.refusal()
        if outcome.locked_until is not None:
            minutes = max(1, math.ceil((outcome.locked_until - as_utc(now)).total_seconds() / 60))
            return Reply(kind="error", title="Too many wrong invite codes", text=(
                f"Too many wrong invite codes. Please try again after {outcome.locked_until:%H:%M} UTC (in {minutes} "
                f"minute{'s' if minutes != 1 else ''}). Check the code with your administrator."))
        return Reply(kind="error", title="Invite code not accepted", text=(
            f"That invite code was not accepted. Check it with your administrator and send 'invite' followed by "
            f"the code; {outcome.tries_left} more wrong code{'s' if outcome.tries_left != 1 else ''} and you will "
            "have to wait before trying again."))

    def handle(self, user: str, text: str | None = None, action: str | None = None, group: str | None = None,
               name: str | None = None, now: datetime | None = None) -> list[Reply]:
        """Take one message or button action from a user (in a group, if given), using and saving their state.
        `now` (UTC) is for tests of the invite lockout; the current time otherwise."""
        if not self.a.access.allowed(user):
            invite = _INVITE.match(text or "")
            if invite:
                return [self.invite(user, invite.group(1), now=now)]
            return [self.refusal()]
        if text is not None and _ADMIN.match(text):
            return [self.admin_command(user, _ADMIN.match(text).group(1).lower())]
        if group is not None and action is not None and action.startswith("grp:"):
            replies = self.a.group_action(group, user, action)
            if action_role(action) == "quiz-answer":  # "answer recorded" is for the member who answered alone
                replies = [replace(r, role="receipt") for r in replies]
            return replies
        if group is not None and text is not None and _GROUP_QUIZ.match(text):
            return self.a.practice.group_start(group, user)
        if action is None and text is not None:
            if _FORGET.match(text):
                return [Reply(kind="help", title="Forget me", confidence=1.0, buttons=(
                    Button("Yes, delete everything", "forget:yes"), Button("No, keep it", "help")),
                    text="This deletes everything stored about you for this account in this channel (ids are per "
                         f"channel, so your account in another channel is not affected): {forget_scope()}. "
                         f"{self._access_note()}Are you sure?")]
            if _STATS.match(text):
                return [self.a.practice.stats(user)]
            if _OPT_IN.match(text) or _OPT_OUT.match(text):
                return [self.a.practice.opt_in(user, (name or "") if _OPT_IN.match(text) else None)]
        if action == "forget:yes":
            if not self.a.store:
                return [Reply(kind="help", confidence=1.0, text="Nothing is stored about you: this assistant keeps "
                                                                "no database.")]
            self.a.store.forget(user)
            return [Reply(kind="help", title="Forgotten", confidence=1.0, text=(
                f"Done: deleted for this account in this channel: {forget_scope()}. {self._access_note()}").strip())]
        if action == "quiz:optin":
            return [self.a.practice.opt_in(user, name or "")]
        if action == "quiz:optout":
            return [self.a.practice.opt_in(user, None)]
        if action is not None and action.startswith("fb:"):
            return [self.feedback(user, action)]
        self._enforce_retention()
        state = self.a.store.state(user) if self.a.store else {}
        turn = self.a.act(action, state, user) if action is not None else self.a.converse(text or "", state, user)
        if self.a.store and turn.state != state:
            self.a.store.save_state(user, turn.state)
        if text is not None and action is None:
            self._learn(user, text, turn.replies)
        return [self._with_feedback(r) for r in turn.replies]

    def handle_file(self, user: str, filename: str, data: bytes) -> list[Reply]:
        """Take one uploaded file (a register export): access first, then read it; nothing of it is stored."""
        if not self.a.access.allowed(user):
            return [self.refusal()]
        return [self.a.register_file(filename, data)]

    def _access_note(self) -> str:
        """The sentence saying the invite grant or allowlist place survives forget-me, when access is restricted."""
        return ACCESS_KEPT + " " if self.a.access.restricted() else ""

    def _with_feedback(self, reply: Reply) -> Reply:
        """Add helpful / not helpful buttons to answers from the knowledge."""
        if not self.a.store or reply.kind not in ("answer", "code", "glossary") or not reply.id:
            return reply
        return replace(reply, buttons=reply.buttons + (Button("Helpful", f"fb:{reply.id}:1"),
                                                        Button("Not helpful", f"fb:{reply.id}:0")))

    def feedback(self, user: str, action: str) -> Reply:
        """Record whether an answer helped."""
        _, entry, value = (action.split(":") + ["", ""])[:3]
        if entry not in self.a.k.entries or value not in ("0", "1"):
            return Reply(kind="error", text="I couldn't record that feedback: the answer may have changed.")
        if self.a.store:
            self.a.store.add_feedback(user, entry, value == "1")
        return Reply(kind="help", confidence=1.0, text="Thank you: your feedback helps keep the guidance right." + (
            "" if value == "1" else " If something is wrong or missing, tell your hub lead too."))

    def _learn(self, user: str, text: str, replies: list[Reply]) -> None:
        """Log questions that fell back or were ambiguous for the content-gaps report, keeping only the words the
        knowledge itself uses (names, numbers, places and handles become placeholders)."""
        if not self.a.store or not replies or replies[0].kind not in ("fallback", "did-you-mean"):
            return
        cleaned = clean(text)[:MAX_QUERY_CHARS]
        if not cleaned:
            return
        near = [(m.id, m.score) for m in self.a.index.search(cleaned, limit=3)]
        self.a.store.log_question(user, replies[0].kind, keep_known_words(cleaned, self.a.vocabulary), near,
                                raw=cleaned if self.a.settings.store_message_text else None)

    def _enforce_retention(self) -> None:
        """Apply the retention period on start-up and then at most once a day."""
        if self.a.store and time.time() - self._retention_checked > 86_400:
            self.a.store.enforce_retention(self.a.settings.retention_days)
            self._retention_checked = time.time()

    def admin_command(self, user: str, command: str) -> Reply:
        """Run an admin command for an admin; refuse everyone else clearly."""
        if not self.a.access.is_admin(user):
            return Reply(kind="error", text="That command is for administrators only.")
        if command == "reload":
            return self.reload()
        if command == "usage":
            return self.usage()
        return self.gaps()

    def gaps(self) -> Reply:
        """The content-gaps report for an administrator's chat: the largest groups of unanswered and ambiguous
        questions (already redacted when logged) and the least helpful answers; 'python -m bot gaps' lists all."""
        if not self.a.store:
            return Reply(kind="help", title="Content gaps", confidence=1.0,
                         text="Content gaps: no database is configured, so no questions are logged.")
        groups = group_gaps(self.a.store.logged_questions())
        feedback = self.a.store.feedback_counts()
        least = dict(sorted(feedback.items(), key=lambda kv: (kv[1][0] - kv[1][1], kv[0]))[:GAPS_IN_CHAT])
        text = gaps_report(groups[:GAPS_IN_CHAT], least)
        if len(groups) > GAPS_IN_CHAT or len(feedback) > GAPS_IN_CHAT:
            rest = text.partition("\n")[2]
            text = (f"Content gaps: {sum(g.count for g in groups)} questions in {len(groups)} groups (the "
                    f"{min(len(groups), GAPS_IN_CHAT)} largest groups and the {min(len(feedback), GAPS_IN_CHAT)} least "
                    f"helpful answers shown here; 'python -m bot gaps' on the server lists them all)\n{rest}")
        return Reply(kind="help", title="Content gaps", confidence=1.0, text=text)

    def usage(self, now: datetime | None = None) -> Reply:
        """Knowledge counts and, with a store, usage counts."""
        k = self.a.k
        lines = [f"Knowledge: {len(k.entries)} entries, {len(k.codes)} codes, {len(k.trees)} trees, "
                 f"{len(k.quiz)} quiz questions."]
        if self.a.store:
            u = self.a.store.usage(now)
            lines += [f"Questions logged for the gaps report: {u['questions_logged']}.",
                      f"Answer feedback: {u['feedback']}.",
                      f"Quiz answers: {u['quiz_answers']}.",
                      f"Conversations: {u['active_conversations']} active in the last 24 hours, "
                      f"{u['conversations']} saved.",
                      f"Failed invite codes: {u['failed_invites']} ({u['failed_invites_recent']} in the last 24 "
                      f"hours); invite grants: {u['invite_grants']}.",
                      f"Logged questions, feedback and failed invite codes are kept for "
                      f"{self.a.settings.retention_days} days (retention_days)."]
        else:
            lines.append("No database is configured, so nothing about usage is stored.")
        return Reply(kind="help", title="Usage", confidence=1.0, text="\n".join(lines))

    def reload(self) -> Reply:
        """Reload knowledge from disk; keep serving the last good knowledge if the new files have errors."""
        knowledge = load_knowledge(self.a.settings.knowledge_path())
        errors = [p for p in validate(knowledge) if p.severity == "error"]
        if errors:
            listed = "\n".join(str(p) for p in errors[:10])
            return Reply(kind="error", title="Reload refused", text=(
                f"The knowledge files have {len(errors)} error(s), so I kept the last good knowledge.\n{listed}"))
        self.a._use(knowledge)
        self.a.practice = QuizPractice(knowledge.quiz, knowledge.entries, self.a.store, self.a.practice.rng)
        return Reply(kind="help", title="Reloaded", confidence=1.0, text=(
            f"Knowledge reloaded: {len(knowledge.entries)} entries, {len(knowledge.trees)} trees, "
            f"{len(knowledge.quiz)} quiz questions."))
