"""Offline tests of the Telegram channel in python-telegram-bot's own style: a fake Bot API and injected updates."""
import asyncio
import html
import logging
import os
import tempfile

import pytest

from bot.errors import ChannelSetupError
from bot.telegram import (COMMANDS, NOT_YOURS, TelegramChannel, split_message, startup_error, to_html,
                          token_from_environment)
from guidance.assistant import Assistant
from guidance.config import Settings
from guidance.store import Store
from tests.telegram_fake import (FakeTelegram, callback_update, inline_update, poll_answer_update,
                                 text_update)


class Harness:
    """Runs updates through a real Application wired to a fake Bot API. The store is a file database, as in
    production, so the engine runs in the channel's worker pool exactly as it does when serving."""

    def __init__(self, knowledge, settings=None, fail=None):
        self.fake = FakeTelegram(fail)
        self._folder = tempfile.TemporaryDirectory()
        self.store = Store(os.path.join(self._folder.name, "bot.db"))
        self.assistant = Assistant(knowledge, settings or Settings(), self.store)
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


def test_the_engine_runs_in_the_worker_pool_with_a_file_store(harness):
    assert harness.channel.inline_engine is False
    fake = harness.run(lambda b: text_update(b, "how long can the register stay open"))
    assert fake.sent("sendMessage")[0]["text"].startswith("<b>How long the register may stay open</b>")


def test_a_refused_quiz_poll_falls_back_to_text_with_answer_buttons(mini, caplog):
    h = Harness(mini, fail={"sendPoll": (400, "Bad Request: polls can't be sent to this chat")})
    h.assistant.practice.rng.seed(1)
    with caplog.at_level(logging.WARNING, logger="bot.telegram"):
        fake = h.run(lambda b: text_update(b, "/quiz"), lambda b: callback_update(b, "quiz:5"))
    assert len(fake.sent("sendPoll")) == 1  # tried once, then text
    question = fake.sent("sendMessage")[-1]
    actions = [row[0]["callback_data"] for row in question["reply_markup"]["inline_keyboard"]]
    assert any(a.startswith("qa:") for a in actions) and "quiz:stop" in actions
    assert "BadRequest" in caplog.text and "polls can" in caplog.text.lower() and "/quiz" not in caplog.text
    # answering by button scores the question and the next one follows (as text again)
    h.run(lambda b: callback_update(b, next(a for a in actions if a.startswith("qa:"))))
    assert len(h.assistant.store.history("tg:42")) == 1


def test_a_refused_group_quiz_poll_still_gives_the_facilitator_next_and_end(mini, caplog):
    h = Harness(mini, fail={"sendPoll": (400, "Bad Request: polls are not allowed in this chat")})
    with caplog.at_level(logging.WARNING, logger="bot.telegram"):
        fake = h.run(lambda b: text_update(b, "/quiz", chat_id=-5, chat_type="group"))
    question = fake.sent("sendMessage")[-1]
    actions = [row[0]["callback_data"] for row in question["reply_markup"]["inline_keyboard"]]
    assert "grp:next" in actions and "grp:end" in actions
    assert sum(a.startswith("grp:") and a.count(":") == 3 for a in actions) >= 2
    assert "BadRequest" in caplog.text and "polls are not allowed" in caplog.text.lower()
    answer = next(a for a in actions if a.startswith("grp:") and a.count(":") == 3)
    before = len(fake.sent("sendMessage"))
    h.run(lambda b: callback_update(b, answer, uid=7, chat_id=-5, chat_type="group"),
          lambda b: callback_update(b, "grp:end", chat_id=-5, chat_type="group"))
    assert len(fake.sent("answerCallbackQuery")) == 2
    assert "of 1" in fake.sent("sendMessage")[-1]["text"] and len(fake.sent("sendMessage")) == before + 1


def test_edited_messages_are_ignored_quietly(harness, caplog):
    with caplog.at_level(logging.DEBUG, logger="bot.telegram"):
        fake = harness.run(lambda b: text_update(b, "register open", edited=True),
                           lambda b: text_update(b, "/code C2", edited=True),
                           lambda b: text_update(b, "@guide_bot register open", chat_id=-5, chat_type="group",
                                                 edited=True))
    assert fake.sent("sendMessage") == [] and "failed" not in caplog.text and "AttributeError" not in caplog.text
    assert "ignored an edited message" in caplog.text


def test_another_members_walk_through_button_is_answered_privately(harness):
    fake = harness.run(lambda b: text_update(b, "@guide_bot help me decide if a pupil is late", chat_id=-5,
                                             chat_type="group"))
    walk = fake.sent("sendMessage")[0]
    assert any(row[0]["callback_data"].startswith("opt:") for row in walk["reply_markup"]["inline_keyboard"])
    harness.run(lambda b: callback_update(b, "opt:mini-tree:onsite:1", uid=7, chat_id=-5, chat_type="group",
                                          message_id=101))
    alert = fake.sent("answerCallbackQuery")[-1]
    assert alert["text"] == NOT_YOURS and alert["show_alert"] is True
    assert len(fake.sent("sendMessage")) == 1 and fake.sent("editMessageText") == []
    # the owner's own press still moves the walk-through on, in place
    harness.run(lambda b: callback_update(b, "opt:mini-tree:onsite:1", chat_id=-5, chat_type="group",
                                          message_id=101))
    assert "Arrived after the register closed." in fake.sent("editMessageText")[0]["text"]


def _error(cls, message):
    from telegram import error
    exc = getattr(error, cls)(message)
    return exc


@pytest.mark.parametrize("cls, expected, unexpected", [
    ("InvalidToken", "rejected the bot token", "network"),
    ("Forbidden", "not allowed", "Check the network"),
    ("NetworkError", "Could not reach the Telegram Bot API (NetworkError)", "token"),
    ("TimedOut", "Could not reach the Telegram Bot API (TimedOut)", "token"),
    ("BadRequest", "refused the setMyCommands call (BadRequest: commands are invalid)", "Check the network"),
])
def test_start_up_errors_say_what_failed(cls, expected, unexpected):
    exc = _error(cls, "commands are invalid")
    exc.api_method = "setMyCommands"
    message = str(startup_error(exc, Settings()))
    assert expected in message and unexpected not in message
    if cls in ("InvalidToken", "Forbidden"):
        assert "TELEGRAM_BOT_TOKEN" in message


def test_a_refused_set_my_commands_names_the_call_not_the_network(mini):
    from telegram.error import BadRequest
    h = Harness(mini, fail={"setMyCommands": (400, "Bad Request: command description is too long")})
    with pytest.raises(BadRequest) as caught:
        h.run()
    message = str(startup_error(caught.value, Settings()))
    assert "setMyCommands" in message and "description is too long" in message
    assert "could not reach" not in message.lower() and "check the network" not in message.lower()


def test_run_reports_a_refused_set_my_commands_clearly(mini, monkeypatch):
    """The whole start-up path: getMe succeeds, then setMyCommands is refused during run_polling."""
    import bot.telegram as tg
    fake = FakeTelegram({"setMyCommands": (400, "Bad Request: command description is too long")})
    build = tg.TelegramChannel.build
    monkeypatch.setattr(tg.TelegramChannel, "build",
                        lambda self, token: build(self, token, request=fake, updates_request=FakeTelegram()))
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", "1:TEST")
    assistant = Assistant(mini, Settings(), Store())
    with pytest.raises(ChannelSetupError) as caught:
        tg.run(assistant, Settings())
    assert "setMyCommands" in str(caught.value) and "network" not in str(caught.value).lower().replace(
        "the network is fine", "")
