"""Offline tests of the Telegram channel in python-telegram-bot's own style: a fake Bot API and injected updates."""
import asyncio
import html
import logging
import os
import tempfile

import pytest

from bot.errors import ChannelSetupError
from bot.settings import TelegramSettings
from bot.telegram import (COMMANDS, NOT_YOURS, TelegramChannel, split_message, startup_error, to_html,
                          token_from_environment)
from guidance.assistant import Assistant
from guidance.config import Settings
from guidance.store import Store
from tests.telegram_fake import (FakeTelegram, callback_update, document_update, inline_update, photo_update,
                                 poll_answer_update, text_update)


class Harness:
    """Runs updates through a real Application wired to a fake Bot API. The store is a file database, as in
    production, so the engine runs in the channel's worker pool exactly as it does when serving."""

    def __init__(self, knowledge, settings=None, fail=None, files=None):
        self.fake = FakeTelegram(fail, files)
        self._folder = tempfile.TemporaryDirectory()
        self.store = Store(os.path.join(self._folder.name, "bot.db"))
        self.assistant = Assistant(knowledge, settings or Settings(), self.store)
        self.channel = TelegramChannel(self.assistant)
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
        token_from_environment(TelegramSettings())


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
    message = str(startup_error(exc, TelegramSettings()))
    assert expected in message and unexpected not in message
    if cls in ("InvalidToken", "Forbidden"):
        assert "TELEGRAM_BOT_TOKEN" in message


def test_a_refused_set_my_commands_names_the_call_not_the_network(mini):
    from telegram.error import BadRequest
    h = Harness(mini, fail={"setMyCommands": (400, "Bad Request: command description is too long")})
    with pytest.raises(BadRequest) as caught:
        h.run()
    message = str(startup_error(caught.value, TelegramSettings()))
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
        tg.run(assistant, TelegramSettings())
    assert "setMyCommands" in str(caught.value) and "network" not in str(caught.value).lower().replace(
        "the network is fine", "")


# -- webhook mode and the rate limiter, through the real builder and run() ---------------------------------------------
def _free_port() -> int:
    import socket
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_webhook_mode_serves_with_the_configured_url_port_and_secret_and_refuses_a_wrong_secret(mini, monkeypatch):
    """run() in webhook mode builds the application with the real builder and serves with the settings from
    config.yaml and the secret from the environment; the server it starts refuses an update without that secret."""
    import httpx
    from telegram.ext import Application

    import bot.telegram as tg
    port = _free_port()
    config = TelegramSettings(telegram_mode="webhook", telegram_webhook_url="https://bot.example.org/telegram",
                              telegram_webhook_listen="127.0.0.1", telegram_webhook_port=port,
                              telegram_webhook_secret_env="TEST_TG_SECRET")
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", "1:TEST")
    monkeypatch.setenv("TEST_TG_SECRET", "s3cret-token")
    fake = FakeTelegram()
    build = tg.TelegramChannel.build
    monkeypatch.setattr(tg.TelegramChannel, "build",
                        lambda self, token: build(self, token, request=fake, updates_request=FakeTelegram()))
    served = {}
    monkeypatch.setattr(Application, "run_webhook", lambda app, **kw: served.update(app=app, **kw))
    tg.run(Assistant(mini, Settings(), Store()), config)
    app = served.pop("app")
    assert served == {"listen": "127.0.0.1", "port": port, "url_path": "telegram",
                      "webhook_url": "https://bot.example.org/telegram", "secret_token": "s3cret-token",
                      "allowed_updates": list(__import__("telegram").Update.ALL_TYPES)}

    body = {"update_id": 1, "message": {"message_id": 1, "date": 0, "chat": {"id": 42, "type": "private"},
                                        "from": {"id": 42, "is_bot": False, "first_name": "Ann"},
                                        "text": "how long can the register stay open"}}

    async def go():
        async with app:
            await app.updater.start_webhook(**served)    # the server run_webhook starts, with the same arguments
            await app.start()
            try:
                async with httpx.AsyncClient() as client:
                    url = f"http://127.0.0.1:{port}/telegram"
                    wrong = await client.post(url, json=body, headers={"X-Telegram-Bot-Api-Secret-Token": "guess"})
                    missing = await client.post(url, json=body)
                    right = await client.post(url, json=body,
                                              headers={"X-Telegram-Bot-Api-Secret-Token": "s3cret-token"})
                for _ in range(500):
                    if fake.sent("sendMessage"):
                        break
                    await asyncio.sleep(0.01)
            finally:
                await app.updater.stop()
                await app.stop()
        return wrong.status_code, missing.status_code, right.status_code

    assert asyncio.run(go()) == (403, 403, 200)
    assert fake.sent("setWebhook")[0]["url"] == "https://bot.example.org/telegram"
    assert fake.sent("setWebhook")[0]["secret_token"] == "s3cret-token"
    answered = fake.sent("sendMessage")
    assert len(answered) == 1 and "30 minutes" in answered[0]["text"]   # only the update with the secret


def test_webhook_mode_without_a_secret_or_url_does_not_start(mini, monkeypatch):
    import bot.telegram as tg
    monkeypatch.setenv("TELEGRAM_BOT_TOKEN", "1:TEST")
    monkeypatch.delenv("NO_SUCH_TG_SECRET", raising=False)
    config = TelegramSettings(telegram_mode="webhook", telegram_webhook_url="https://bot.example.org/telegram",
                              telegram_webhook_secret_env="NO_SUCH_TG_SECRET")
    with pytest.raises(ChannelSetupError, match="NO_SUCH_TG_SECRET"):
        tg.run(Assistant(mini, Settings(), Store()), config)
    with pytest.raises(ChannelSetupError, match="telegram_webhook_url"):
        tg.webhook_options(TelegramSettings(telegram_mode="webhook"), environ={"TELEGRAM_WEBHOOK_SECRET": "x"})
    with pytest.raises(ChannelSetupError, match="polling' or 'webhook"):
        tg.run(Assistant(mini, Settings(), Store()), TelegramSettings(telegram_mode="carrier-pigeon"))


def test_every_bot_api_call_goes_through_the_rate_limiter(harness, monkeypatch):
    from telegram.ext import AIORateLimiter
    assert isinstance(harness.app.bot.rate_limiter, AIORateLimiter)
    limited = []
    real = AIORateLimiter.process_request

    async def spy(self, callback, args, kwargs, endpoint, data, rate_limit_args):
        limited.append(endpoint)
        return await real(self, callback, args, kwargs, endpoint, data, rate_limit_args)
    monkeypatch.setattr(AIORateLimiter, "process_request", spy)
    fake = harness.run(lambda b: text_update(b, "how long can the register stay open"))
    assert "sendMessage" in limited and len(fake.sent("sendMessage")) == 1


# -- /gaps -------------------------------------------------------------------------------------------------------------
def test_gaps_shows_an_admin_the_report_and_refuses_others(mini):
    h = Harness(mini, Settings(admin_users=("tg:42",)))
    h.store.log_question("tg:7", "fallback", "register snow day", [("mini-register", 0.4)])
    fake = h.run(lambda b: text_update(b, "/gaps", uid=7), lambda b: text_update(b, "/gaps", uid=42))
    refused, report = (html.unescape(p["text"]) for p in fake.sent("sendMessage"))
    assert "administrators only" in refused and "snow" not in refused
    assert "Content gaps: 1 questions in 1 groups" in report and '1 x "register snow day"' in report
    assert "nearly matched: mini-register (1)" in report and "on the server" not in report


def test_gaps_in_chat_lists_the_largest_groups_and_says_where_the_rest_are(mini):
    from guidance.session import GAPS_IN_CHAT
    store = Store()
    bot = Assistant(mini, Settings(admin_users=("a",)), store)
    words = [letter * 6 for letter in "abcdefghijklmnopqrstuvwxyz"][:GAPS_IN_CHAT + 2]
    for word in words + ["aaaaaa"]:
        store.log_question("u", "fallback", word, [])
    text = bot.handle("a", text="/gaps")[0].text
    assert text.startswith(f"Content gaps: {GAPS_IN_CHAT + 3} questions in {GAPS_IN_CHAT + 2} groups")
    assert "python -m bot gaps" in text and '2 x "aaaaaa"' in text
    assert text.count(' x "') == GAPS_IN_CHAT


# -- pictures ----------------------------------------------------------------------------------------------------------
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def _picture_reply(alt="Bar chart: attendance by week, lowest in week 3 (82%)"):
    from guidance.models import Button, Image, Reply
    return Reply(kind="register", text="Attendance this term: 91%.", image=Image(PNG, alt, "attendance.png"),
                 buttons=(Button("Help", "help"),))


def test_a_picture_is_sent_as_a_photo_captioned_with_its_alt_text(harness):
    harness.assistant.handle = lambda *a, **k: [_picture_reply()]
    fake = harness.run(lambda b: text_update(b, "show me the chart"))
    (name, photo), (next_name, text) = [(n, p) for n, p in fake.calls if n in ("sendPhoto", "sendMessage")]
    assert name == "sendPhoto" and photo["caption"].startswith("Bar chart: attendance by week")
    assert next_name == "sendMessage" and "91%" in text["text"] and "reply_markup" in text


def test_a_long_alt_text_is_cut_to_the_caption_limit(harness):
    harness.assistant.handle = lambda *a, **k: [_picture_reply("Chart: " + "week by week " * 200)]
    fake = harness.run(lambda b: text_update(b, "show me the chart"))
    caption = fake.sent("sendPhoto")[0]["caption"]
    assert len(caption) == 1024 and caption.endswith("…")


def test_a_refused_picture_falls_back_to_its_alt_text_and_logs_why(mini, caplog):
    h = Harness(mini, fail={"sendPhoto": (400, "Bad Request: IMAGE_PROCESS_FAILED")})
    h.assistant.handle = lambda *a, **k: [_picture_reply()]
    with caplog.at_level(logging.WARNING, logger="bot.telegram"):
        fake = h.run(lambda b: text_update(b, "show me the chart"))
    texts = [html.unescape(p["text"]) for p in fake.sent("sendMessage")]
    assert texts[0] == "[Picture: Bar chart: attendance by week, lowest in week 3 (82%)]" and "91%" in texts[1]
    assert "BadRequest" in caplog.text and "image_process_failed" in caplog.text.lower()


# -- uploaded files ----------------------------------------------------------------------------------------------------
CSV = b"Pupil,Date,AM,PM\nA,2026-09-01,/,\\\n"


def _reading(calls):
    from guidance.models import Reply

    def register_file(filename, data):
        calls.append((filename, data))
        return Reply(kind="register", text=f"Read {filename}: {len(data)} bytes.")
    return register_file


def test_a_csv_register_export_is_read_through_the_assistant(mini, monkeypatch):
    calls = []
    h = Harness(mini, files={"f1": CSV})
    monkeypatch.setattr(h.assistant, "register_file", _reading(calls), raising=False)
    fake = h.run(lambda b: document_update(b, "f1", "register.csv", len(CSV)))
    assert calls == [("register.csv", CSV)] and fake.downloads == ["f1"]
    assert f"Read register.csv: {len(CSV)} bytes." in fake.sent("sendMessage")[0]["text"]


@pytest.mark.parametrize("name, size, says", [
    ("register.xlsx", 2000, "not a file I can read"),
    ("notes.pdf", None, "not a file I can read"),
    ("register.csv", 2 * 1024 * 1024, "too large (2.0 MB)"),
])
def test_other_files_get_a_clear_message_and_are_never_fetched(mini, monkeypatch, name, size, says):
    calls = []
    h = Harness(mini, files={"f1": CSV})
    monkeypatch.setattr(h.assistant, "register_file", _reading(calls), raising=False)
    fake = h.run(lambda b: document_update(b, "f1", name, size))
    text = html.unescape(fake.sent("sendMessage")[0]["text"])
    assert says in text and ("1.0 MB" in text)
    assert calls == [] and fake.sent("getFile") == [] and fake.downloads == []


def test_a_file_larger_than_telegram_said_is_refused_after_download(mini, monkeypatch):
    calls = []
    big = b"x" * (1024 * 1024 + 1)
    h = Harness(mini, files={"f1": big})
    monkeypatch.setattr(h.assistant, "register_file", _reading(calls), raising=False)
    fake = h.run(lambda b: document_update(b, "f1", "register.txt", None))
    assert calls == [] and "too large" in fake.sent("sendMessage")[0]["text"]


def test_an_outsiders_file_is_refused_before_it_is_fetched(mini, monkeypatch):
    calls = []
    h = Harness(mini, Settings(allowed_users=("tg:1",)), files={"f1": CSV})
    monkeypatch.setattr(h.assistant, "register_file", _reading(calls), raising=False)
    fake = h.run(lambda b: document_update(b, "f1", "register.csv", len(CSV)))
    assert calls == [] and fake.sent("getFile") == [] and "configured users" in fake.sent("sendMessage")[0]["text"]


def test_a_file_in_a_group_is_not_read_and_a_private_chat_is_asked_for(mini, monkeypatch):
    calls = []
    h = Harness(mini, files={"f1": CSV})
    monkeypatch.setattr(h.assistant, "register_file", _reading(calls), raising=False)
    fake = h.run(lambda b: document_update(b, "f1", "register.csv", len(CSV), chat_id=-5, chat_type="group"),
                 lambda b: document_update(b, "f1", "register.csv", len(CSV), chat_id=-5, chat_type="group",
                                           caption="@guide_bot can you read this"))
    assert calls == [] and fake.sent("getFile") == []
    sent = fake.sent("sendMessage")
    assert len(sent) == 1 and "private chat" in sent[0]["text"]


def test_a_file_that_cannot_be_fetched_says_so(mini, monkeypatch, caplog):
    calls = []
    h = Harness(mini, fail={"getFile": (400, "Bad Request: file is too big")})
    monkeypatch.setattr(h.assistant, "register_file", _reading(calls), raising=False)
    with caplog.at_level(logging.WARNING, logger="bot.telegram"):
        fake = h.run(lambda b: document_update(b, "f1", "register.csv", 100))
    assert calls == [] and "couldn't fetch that file" in html.unescape(fake.sent("sendMessage")[0]["text"])
    assert "BadRequest" in caplog.text


def test_a_photo_gets_a_clear_message(harness):
    fake = harness.run(lambda b: photo_update(b))
    text = html.unescape(fake.sent("sendMessage")[0]["text"])
    assert "can't read pictures" in text and ".csv or .txt" in text and fake.sent("getFile") == []


# -- the contract: roles, not words ------------------------------------------------------------------------------------
def test_a_quiz_verdict_is_left_out_after_a_poll_answer_by_its_role_not_its_words(harness):
    from guidance.models import Reply
    harness.store.channel_put("telegram", "poll:p9", {"chat": 42, "qid": "q1", "answers": ["qa:q1:0", "qa:q1:1"],
                                                      "user": "tg:42"})
    pressed = []

    def handle(user, text=None, action=None, **kwargs):
        pressed.append(action)
        return [Reply(kind="quiz", role="quiz-verdict", id="q1", title="Bravo", text="Bravo! That is right."),
                Reply(kind="quiz", role="quiz", text="Round complete: 1 of 1 right.")]
    harness.assistant.handle = handle
    fake = harness.run(lambda b: poll_answer_update(b, "p9", 1))
    assert pressed == ["qa:q1:1"]
    assert [p["text"] for p in fake.sent("sendMessage")] == ["Round complete: 1 of 1 right."]


def test_a_question_beyond_the_poll_limits_goes_as_text_without_trying_a_poll(harness):
    from guidance.models import Button, Poll, Reply
    long = Poll("Which code? " + "x" * 300, ("L", "U"), 0, "why")
    reply = Reply(kind="quiz", role="quiz-question", id="q1", text="Which code? ...", poll=long,
                  buttons=(Button("L", "qa:q1:0"), Button("U", "qa:q1:1")))
    harness.assistant.handle = lambda *a, **k: [reply]
    fake = harness.run(lambda b: text_update(b, "quiz me"))
    assert fake.sent("sendPoll") == []
    keyboard = fake.sent("sendMessage")[0]["reply_markup"]["inline_keyboard"]
    assert [row[0]["callback_data"] for row in keyboard] == ["qa:q1:0", "qa:q1:1"]


def test_a_title_and_text_at_the_limit_still_fit_in_one_message_with_the_bold_tags():
    text = "Title\n\n" + "x" * 5000
    for i, piece in enumerate(split_message(text)):
        sent = to_html(piece) if i == 0 else html.escape(piece)
        assert len(sent) <= 4096
