"""Offline tests of the Telegram channel in python-telegram-bot's own style: a fake Bot API and injected updates."""
import asyncio
import html
import logging

import pytest

from bot.errors import ChannelSetupError
from bot.telegram import COMMANDS, TelegramChannel, split_message, to_html, token_from_environment
from guidance.assistant import Assistant
from guidance.config import Settings
from guidance.store import Store
from tests.telegram_fake import (FakeTelegram, callback_update, inline_update, poll_answer_update,
                                 text_update)


class Harness:
    """Runs updates through a real Application wired to a fake Bot API."""

    def __init__(self, knowledge, settings=None):
        self.fake = FakeTelegram()
        self.assistant = Assistant(knowledge, settings or Settings(), Store())
        self.channel = TelegramChannel(self.assistant, settings or Settings())
        self.app = self.channel.build("1:TEST", request=self.fake, updates_request=FakeTelegram())
        self.loop = asyncio.new_event_loop()

    def run(self, *makers):
        async def go():
            async with self.app:
                await self.app.post_init(self.app)
                for make in makers:
                    await self.app.process_update(make(self.app.bot))
        self.loop.run_until_complete(go())
        return self.fake


@pytest.fixture
def harness(mini):
    return Harness(mini)


def test_start_shows_privacy_notice_and_command_menu(harness):
    fake = harness.run(lambda b: text_update(b, "/start"))
    commands = fake.sent("setMyCommands")[0]["commands"]
    assert [c["command"] for c in commands] == [c for c, _ in COMMANDS]
    text = fake.sent("sendMessage")[0]["text"]
    assert "do not type children&#x27;s names" in text and fake.sent("sendMessage")[0]["parse_mode"] == "HTML"


def test_question_answered_with_buttons_within_limits(harness):
    fake = harness.run(lambda b: text_update(b, "how long can the register stay open"))
    sent = fake.sent("sendMessage")[0]
    assert sent["text"].startswith("<b>How long the register may stay open</b>")
    rows = sent["reply_markup"]["inline_keyboard"]
    assert all(len(row[0]["callback_data"].encode()) <= 64 for row in rows)
    assert any(row[0]["callback_data"] == "tree:mini-tree" for row in rows)


def test_tree_walk_edits_message_in_place_and_answers_every_callback(harness):
    fake = harness.run(lambda b: text_update(b, "help me decide if a pupil is late"),
                       lambda b: callback_update(b, "opt:mini-tree:onsite:1"),
                       lambda b: callback_update(b, "back"))
    assert len(fake.sent("answerCallbackQuery")) == 2
    edits = [p["text"] for p in fake.sent("editMessageText")]
    assert "Arrived after the register closed." in edits[0]
    assert "Did the pupil arrive before the register closed?" in edits[1]


def test_code_command_and_cancel(harness):
    fake = harness.run(lambda b: text_update(b, "/code"), lambda b: text_update(b, "/cancel"))
    texts = [p["text"] for p in fake.sent("sendMessage")]
    assert "/code C2" in texts[0] and "Nothing to cancel" in texts[1]


def test_quiz_round_as_native_polls_scored_in_the_store(harness):
    harness.assistant.practice.rng.seed(1)
    fake = harness.run(lambda b: text_update(b, "/quiz"), lambda b: callback_update(b, "quiz:5"))
    poll = fake.sent("sendPoll")[0]
    assert poll["type"] == "quiz" and poll["is_anonymous"] is False
    question = next(q for q in harness.assistant.k.quiz.values() if q.question == poll["question"])
    assert poll["correct_option_ids"] == [question.answer]
    harness.run(lambda b: poll_answer_update(b, "poll1", question.answer))
    assert harness.assistant.store.history("tg:42") == [True]
    assert len(fake.sent("sendPoll")) == 2  # the next question follows


def test_group_answers_mentions_only_and_runs_a_group_round(mini):
    h = Harness(mini)
    fake = h.run(lambda b: text_update(b, "how long can the register stay open", chat_id=-5, chat_type="group"),
                 lambda b: text_update(b, "@guide_bot how long can the register stay open", chat_id=-5,
                                       chat_type="group"))
    assert len(fake.sent("sendMessage")) == 1
    fake = h.run(lambda b: text_update(b, "/quiz", chat_id=-5, chat_type="group"))
    poll = fake.sent("sendPoll")[0]
    question = next(q for q in h.assistant.k.quiz.values() if q.question == poll["question"])
    h.assistant.store.set_leaderboard("tg:7", "Bea")
    h.run(lambda b: poll_answer_update(b, "poll1", question.answer, uid=7, name="Bea"),
          lambda b: poll_answer_update(b, "poll1", (question.answer + 1) % len(question.options), uid=8),
          lambda b: callback_update(b, "grp:end", chat_id=-5, chat_type="group"))
    board = fake.sent("sendMessage")[-1]["text"]
    assert "1. Bea: 1 of 1" in board and "(a participant): 0 of 1" in board


def test_inline_mode_offers_answers(harness):
    fake = harness.run(lambda b: inline_update(b, "register open"))
    results = fake.sent("answerInlineQuery")[0]["results"]
    assert results and "How long the register may stay open" in results[0]["title"]


def test_long_replies_split_and_escape():
    text = "Title\n\n" + "\n\n".join(f"Paragraph {i} <b>&" + "x" * 900 for i in range(12))
    pieces = split_message(text)
    assert len(pieces) > 1 and all(len(html.escape(p)) <= 4096 for p in pieces)
    assert "".join(pieces).replace("\n", "") == text.replace("\n", "")
    assert to_html("A <title>\n\nbody & more") == "<b>A &lt;title&gt;</b>\n\nbody &amp; more"


def test_errors_are_logged_without_message_text(harness, caplog):
    async def boom(update, context):
        raise RuntimeError("secret pupil name")
    harness.app.add_handler(__import__("telegram.ext", fromlist=["x"]).MessageHandler(
        __import__("telegram.ext", fromlist=["x"]).filters.ALL, boom), group=-1)
    with caplog.at_level(logging.ERROR, logger="bot.telegram"):
        harness.run(lambda b: text_update(b, "my pupil Jo Bloggs"))
    assert "RuntimeError" in caplog.text and "Jo Bloggs" not in caplog.text and "secret" not in caplog.text


def test_missing_token_is_a_clear_error(monkeypatch):
    monkeypatch.delenv("TELEGRAM_BOT_TOKEN", raising=False)
    with pytest.raises(ChannelSetupError, match="TELEGRAM_BOT_TOKEN"):
        token_from_environment(Settings())


def test_long_callback_actions_are_kept_in_the_store(harness):
    action = "open:" + "x" * 80
    data = harness.channel.callback_data(action)
    assert len(data.encode()) <= 64 and harness.channel.action_for(data) == action


def test_inline_mode_needs_the_same_access_as_messages(mini):
    h = Harness(mini, Settings(allowed_users=("tg:42",)))
    fake = h.run(lambda b: inline_update(b, "register open", uid=99), lambda b: text_update(b, "register open", uid=99),
                 lambda b: inline_update(b, "register open", uid=42))
    outsider, member = fake.sent("answerInlineQuery")
    assert outsider["results"] == [] and "Invite only" in str(outsider.get("button"))
    assert "30 minutes" not in str(outsider) and "open to configured users" in fake.sent("sendMessage")[0]["text"]
    assert member["results"] and "How long the register may stay open" in member["results"][0]["title"]


def test_inline_mode_opens_after_an_invite_is_redeemed(mini, monkeypatch):
    monkeypatch.setenv("GUIDANCE_INVITE_CODE", "letmein")
    settings = Settings(invite_code_env="GUIDANCE_INVITE_CODE")
    h = Harness(mini, settings)
    fake = h.run(lambda b: inline_update(b, "register open", uid=77), lambda b: text_update(b, "invite letmein", uid=77),
                 lambda b: inline_update(b, "register open", uid=77))
    before, after = fake.sent("answerInlineQuery")
    assert before["results"] == [] and after["results"]


def test_a_failing_update_gets_a_friendly_message(harness, caplog):
    from bot.errors import BUSY_TEXT
    from guidance.store import StoreBusy

    def busy(*args, **kwargs):
        raise StoreBusy("locked")
    harness.assistant.handle = busy
    with caplog.at_level(logging.ERROR, logger="bot.telegram"):
        fake = harness.run(lambda b: text_update(b, "register open"))
    assert fake.sent("sendMessage")[-1]["text"] == BUSY_TEXT and "StoreBusy" in caplog.text


def test_start_help_and_tree_menu_pass_the_same_access_check(mini):
    """/start shows an outsider the privacy notice and how to get access, never the menu; members get both."""
    h = Harness(mini, Settings(allowed_users=("tg:42",)))
    fake = h.run(lambda b: text_update(b, "/start", uid=99), lambda b: text_update(b, "/tree", uid=99),
                 lambda b: text_update(b, "/start", uid=42))
    outsider_start, outsider_tree, member_start = fake.sent("sendMessage")[:3]
    assert "open to configured users" in outsider_start["text"] and "reply_markup" not in outsider_start
    assert "open to configured users" in outsider_tree["text"]
    assert "open to configured users" not in member_start["text"] and "reply_markup" in member_start
