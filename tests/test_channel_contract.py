"""The channel contract: replies say what they are for (role), each channel's limits live in one record that the
adapters and `python -m bot check` share, and the output base class degrades what a channel cannot show."""
import asyncio
import re
import shutil
from dataclasses import replace

import pytest

from bot.limits import CHANNELS, TEAMS, TELEGRAM, Limits, knowledge_problems
from bot.output import CollectingOutput, Pressed
from guidance import trees
from guidance.actions import action_role
from guidance.assistant import Assistant
from guidance.config import Settings
from guidance.models import REPLY_ROLES, Button, Image, Poll, Reply
from guidance.practice import QuizPractice
from guidance.replies import Replies
from guidance.store import Store
from tests.conftest import FIXTURES, ROOT, run_cli

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


# -- 1a. roles -------------------------------------------------------------------------------------------------------
def test_replies_from_the_engine_carry_their_role(mini):
    bot = Assistant(mini, Settings(), Store())
    assert bot.handle("u", text="how long can the register stay open")[0].role == "answer"
    assert bot.handle("u", text="what does HYCA stand for")[0].role == "answer"       # a glossary term
    assert bot.handle("u", text="zzzz qqqq")[0].role == "fallback"
    assert bot.handle("u", text="help")[0].role == "help"
    assert bot.trees_menu().role == "tree-menu"
    step = bot.handle("u", text="help me decide if a pupil is late")[0]
    assert step.role == "tree-step"
    outcome = bot.handle("u", action=next(b.action for b in step.buttons if b.role == "step"))[0]
    assert outcome.role == "tree-step"
    assert bot.handle("u", action="no-such-action")[0].role == "error"
    assert Assistant(mini).answer("my pupil is being hurt at home and is scared to go back").role == "safeguarding"


def test_quiz_replies_carry_question_verdict_and_receipt_roles(mini):
    bot = Assistant(mini, Settings(), Store())
    question = bot.handle("u", action="quiz:5")[0]
    assert question.role == "quiz-question" and question.poll is not None
    answer = next(b for b in question.buttons if b.role == "quiz-answer")
    verdict = bot.handle("u", action=answer.action)[0]
    assert verdict.role == "quiz-verdict" and verdict.title in ("Correct", "Not quite")
    group_question = bot.handle("u", text="group quiz", group="g")[1]
    member_answer = next(b for b in group_question.buttons if b.role == "quiz-answer")
    assert [r.role for r in bot.handle("v", action=member_answer.action, group="g")] == ["receipt"]
    assert [r.role for r in bot.handle("v", action=member_answer.action, group="g")] == ["receipt"]  # again
    assert bot.handle("u", action="grp:end", group="g")[0].role == "quiz"    # the leaderboard is for everyone


def test_roles_are_set_where_replies_are_built_and_every_one_is_documented(mini):
    assert Reply(kind="answer", text="x", role="register").role == "register"
    assert Reply(kind="fallback", text="x").role == "fallback"          # built without a role: its kind's
    replies = Replies(mini, Settings())
    practice = QuizPractice(mini.quiz, mini.entries, None)
    question = next(iter(mini.quiz.values()))
    glossary = next(e for e in mini.entries.values() if e.kind == "glossary")
    tree = next(iter(mini.trees.values()))
    built = {"tree-step": replies.step(trees.start(tree)), "tree-menu": replies.trees_menu(),
             "answer": replies.entry(glossary, 1.0), "quiz-question": practice.question_reply({"ids": [question.id],
                                                                                              "i": 0}),
             "quiz-verdict": practice.feedback(question, question.answer, True), "quiz": practice.menu()}
    assert {role: reply.role for role, reply in built.items()} == {role: role for role in built}
    assert replace(built["tree-step"], text="y").role == "tree-step"   # kept through replace()
    for module in ("guidance/replies.py", "guidance/practice.py", "guidance/session.py"):
        given = set(re.findall(r'role="([a-z-]+)"', (ROOT / module).read_text()))
        assert given <= set(REPLY_ROLES), (module, given - set(REPLY_ROLES))
    kinds = ["answer", "code", "calculation", "did-you-mean", "fallback", "safeguarding", "help", "error", "register"]
    assert {Reply(kind=k, text="x").role for k in kinds} <= set(REPLY_ROLES)


@pytest.mark.parametrize("action, role", [
    ("opt:tree-code:onsite:3", "step"), ("back", "step"), ("restart", "step"), ("resume", "step"),
    ("qa:q1:2", "quiz-answer"), ("grp:3:q1:0", "quiz-answer"), ("grp:next", "command"), ("grp:end", "command"),
    ("open:mini-register", "open"), ("tree:mini-tree", "tree"), ("fb:mini-register:1", "feedback"),
    ("exit", "command"), ("quiz:5", "command"), ("", "command")])
def test_button_roles_come_from_the_engine_grammar(action, role):
    assert action_role(action) == role and Button("x", action).role == role
    assert Button("x", action).target == (action.partition(":")[2] if role in ("open", "tree") else "")


ADAPTERS = ["bot/telegram.py", "bot/teams.py", "bot/terminal.py", "bot/output.py", "bot/jsonlines.py"]
SPELLING = re.compile(r"""\.startswith\(\s*\(?\s*["'](opt|qa|grp|open|tree|fb|quiz):|STEP_ACTIONS|"""
                      r"""\.title\s*(==|in\b)|\.kind\s*(==|in\b)|action\[\d+:\]""")


@pytest.mark.parametrize("path", ADAPTERS)
def test_adapters_key_on_roles_not_on_titles_kinds_or_action_spellings(path):
    source = (ROOT / path).read_text()
    assert not SPELLING.findall(source), [m for m in SPELLING.finditer(source)]


# -- 1b. one Limits record per channel ---------------------------------------------------------------------------------
def test_telegram_limits_are_the_bot_api_constants():
    from telegram import constants as c
    assert TELEGRAM.message_chars == c.MessageLimit.MAX_TEXT_LENGTH
    assert TELEGRAM.caption_chars == c.MessageLimit.CAPTION_LENGTH
    assert TELEGRAM.callback_bytes == c.InlineKeyboardButtonLimit.MAX_CALLBACK_DATA
    assert TELEGRAM.toast_chars == c.CallbackQueryLimit.ANSWER_CALLBACK_QUERY_TEXT_LENGTH
    assert TELEGRAM.poll_question_chars == c.PollLimit.MAX_QUESTION_LENGTH
    assert TELEGRAM.poll_option_chars == c.PollLimit.MAX_OPTION_LENGTH
    assert TELEGRAM.poll_options[1] == c.PollLimit.MAX_OPTION_NUMBER
    assert TELEGRAM.poll_explanation_chars == c.PollLimit.MAX_EXPLANATION_LENGTH
    assert TELEGRAM.poll_explanation_line_feeds == c.PollLimit.MAX_EXPLANATION_LINE_FEEDS
    assert TELEGRAM.image_bytes == c.FileSizeLimit.PHOTOSIZE_UPLOAD


def test_every_channel_has_one_limits_record_and_the_adapters_use_it():
    from bot.cards import MAX_ROW
    from bot.teams import TeamsOutput, WebhookOutput
    from bot.telegram import TelegramOutput
    from bot.terminal import TerminalOutput
    assert set(CHANNELS) == {"telegram", "teams", "teams-webhook", "terminal"}
    assert TelegramOutput.limits is CHANNELS["telegram"] and TeamsOutput.limits is CHANNELS["teams"]
    assert WebhookOutput().limits is CHANNELS["teams-webhook"] and TerminalOutput.limits is CHANNELS["terminal"]
    assert MAX_ROW == TEAMS.buttons_per_row == 6


def test_poll_limits_say_why_a_question_is_not_a_poll():
    fits = Poll("Which code?", ("L", "U"), 0, "U is after the register closes.")
    assert TELEGRAM.fits_poll(fits) and TELEGRAM.poll_breaks(fits) == []
    assert not TEAMS.fits_poll(fits)  # Teams has no native quiz polls
    long = Poll("Q" * 301, tuple("abcdefghijklm"), 0, "x" * 201 + "\n\n\n")
    breaks = " | ".join(TELEGRAM.poll_breaks(long))
    assert "301 characters" in breaks and "13 options" in breaks and "204 characters" in breaks \
        and "3 line breaks" in breaks


def test_check_reports_entries_steps_and_quiz_questions_over_a_channels_limits(mini):
    tiny = Limits("tiny", message_chars=40, callback_bytes=12, poll_question_chars=10, poll_option_chars=5,
                  poll_options=(2, 3), poll_explanation_chars=10)
    found = knowledge_problems(mini, Settings(), {"tiny": tiny})
    ids = {p.id for p in found}
    assert "mini-register" in ids                             # an entry: its text and its button
    assert any(i.startswith("mini-tree/") for i in ids)       # a walk-through step
    assert set(mini.quiz) & ids                               # a quiz question
    assert all(p.severity == "warning" and p.file and p.line and p.fix for p in found)
    assert any("tiny: the button" in p.message for p in found)
    assert any("not a quiz poll" in p.message for p in found)
    assert knowledge_problems(mini, Settings()) == []          # the real channels take the fixture as it is


def test_the_real_knowledge_fits_every_channel(knowledge):
    assert knowledge_problems(knowledge, Settings()) == []


def warnings_only(tmp_path, folder) -> str:
    """Run `bot check` on a knowledge folder: over-limit content is a warning (exit 0), an error with --strict."""
    config = tmp_path / "config.yaml"
    config.write_text(f"knowledge_dir: {folder}\n")
    result = run_cli("--config", str(config), "check")
    assert result.returncode == 0, result.stdout + result.stderr
    assert run_cli("--config", str(config), "check", "--strict").returncode == 1
    return result.stdout


def test_bot_check_names_an_entry_too_long_for_telegram(tmp_path):
    """Within the engine's own answer length, but Telegram counts the text after HTML escaping (' is six
    characters), so it goes out in two messages: check says so."""
    folder = tmp_path / "knowledge"
    shutil.copytree(FIXTURES / "mini", folder)
    long = "\n".join(f"      Paragraph {i}: " + "the pupil's parent's 'reason' " * 10 for i in range(11))
    (folder / "long.yaml").write_text(
        "version: 1\ntopic: long\nentries:\n  - id: long-answer\n    title: A very long answer\n"
        "    questions: [a very long answer about registers]\n    answer: |\n" + long + "\n"
        "    sources:\n      - doc: 000_c17e12f361180603.txt\n        where: Registers\n"
        "    reviewed: \"2026-11-22\"\n")
    output = warnings_only(tmp_path, folder)
    line = next(x for x in output.splitlines() if "[long-answer]" in x)
    assert "long.yaml:4" in line and "telegram" in line and "4,096" in line and "Fix:" in line


# -- 1c. the output base class degrades --------------------------------------------------------------------------------
def _deliver(replies, pressed=None, output=None):
    output = output or CollectingOutput()
    asyncio.run(output.deliver(replies, pressed))
    return output


def test_a_channel_that_only_sends_text_still_shows_everything():
    step = Reply(kind="tree", role="tree-step", id="t", text="Late?\n\nArrived before close?",
                 buttons=(Button("Yes", "opt:t:n:0"), Button("No", "opt:t:n:1")))
    quiz = Reply(kind="quiz", role="quiz-question", id="q", text="Question 1 of 5\n\nWhich code?",
                 buttons=(Button("L", "qa:q:0"),),
                 poll=Poll("Which code?", ("L",), 0, "why"))
    picture = Reply(kind="register", text="Attendance 91%", image=Image(PNG, "Bar chart: 91% attendance"))
    out = _deliver([step, quiz, picture], Pressed("opt:t:m:0"))
    assert out.texts[0].endswith("  1. Yes\n  2. No")                      # buttons as numbered choices
    assert out.texts[1].endswith("  3. L")                                 # the poll as its answer buttons
    assert out.texts[2] == "[Picture: Bar chart: 91% attendance]" and out.texts[3] == "Attendance 91%"
    assert [b.action for b in out.choices] == ["opt:t:n:0", "opt:t:n:1", "qa:q:0"]   # number -> button


def test_an_edit_replaces_the_pressed_message_only_for_a_walk_through_step():
    class Editing(CollectingOutput):
        def __init__(self):
            super().__init__()
            self.edited = []

        async def edit(self, pressed, reply):
            self.edited.append((pressed.message, reply.text))
            return True

    step = Reply(kind="tree", role="tree-step", id="t", text="Next step", buttons=(Button("Back", "back"),))
    out = _deliver([step], Pressed("opt:t:n:0", "message-7"), Editing())
    assert out.edited == [("message-7", "Next step")] and out.texts == []
    out = _deliver([step], Pressed("open:mini-register", "message-7"), Editing())   # not a step button
    assert out.edited == [] and out.texts
    out = _deliver([Reply(kind="answer", text="An answer")], Pressed("back", "message-7"), Editing())
    assert out.edited == [] and out.texts == ["An answer"]
    # without edits (the base class), the step comes as a new message
    assert _deliver([step], Pressed("opt:t:n:0", "message-7")).texts == ["Next step\n\n  1. Back"]


def test_each_turn_numbers_its_choices_afresh():
    out = CollectingOutput()
    asyncio.run(out.deliver([Reply(kind="help", text="a", buttons=(Button("A", "a"),))]))
    asyncio.run(out.deliver([Reply(kind="help", text="b", buttons=(Button("B", "b"),))]))
    assert out.texts[-1].endswith("  1. B") and [b.action for b in out.choices] == ["b"]


def test_bot_check_reports_a_quiz_question_and_a_step_beyond_telegrams_limits(tmp_path):
    """The knowledge validator keeps no copy of Telegram's limits: check measures quiz polls and button data
    against the Telegram Limits record, and says what happens in that channel."""
    folder = tmp_path / "knowledge"
    shutil.copytree(FIXTURES / "mini", folder)
    mini = folder / "mini.yaml"
    text = mini.read_text()
    text = text.replace("question: How long at most may the register stay open?",
                        "question: " + "How long at most may the register stay open? " * 8)
    long_tree, long_node = "mini-tree-with-a-long-walk-identifier", "did-they-arrive-in-time"  # each id within its rule
    mini.write_text(text.replace("  - id: mini-tree\n", f"  - id: {long_tree}\n").replace(
        "see: [mini-tree]", f"see: [{long_tree}]").replace("start: onsite", f"start: {long_node}").replace(
        "- id: onsite", f"- id: {long_node}"))
    output = warnings_only(tmp_path, folder)
    quiz = next(x for x in output.splitlines() if "[quiz-mini-open]" in x)
    assert "warning" in quiz and "telegram" in quiz and "not a quiz poll" in quiz and "(a poll takes 300)" in quiz
    step = next(x for x in output.splitlines() if f"[{long_tree}/{long_node}]" in x and "telegram" in x)
    assert "bytes (a button takes 64)" in step
