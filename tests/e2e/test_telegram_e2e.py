"""End to end: the real Telegram channel against the telegram-test-api emulator on 127.0.0.1, driven as a user."""
from __future__ import annotations

import asyncio

import pytest

from bot.settings import TelegramSettings
from bot.telegram import TelegramChannel
from guidance.assistant import Assistant
from guidance.config import Settings
from guidance.store import Store

from tests.e2e.conftest import TOKEN, User

pytestmark = pytest.mark.e2e


async def _session(api: str, db: str, script):
    settings = Settings(database=db)
    assistant = Assistant.from_settings(settings, Store(db))
    app = TelegramChannel(assistant, TelegramSettings(telegram_base_url=api)).build(TOKEN)
    user = User(api)
    async with app:
        await app.start()
        await app.updater.start_polling(poll_interval=0.02)
        try:
            return await script(user)
        finally:
            await app.updater.stop()
            await app.stop()
            await user.http.aclose()


def test_start_question_and_code_command(emulator, tmp_path):
    async def script(user: User):
        await user.say("/start")
        start = await user.replies()
        await user.say("what does C2 mean")
        answer = await user.replies()
        await user.say("/code U")
        code = await user.replies()
        return start, answer, code

    start, answer, code = asyncio.run(_session(emulator, str(tmp_path / "e2e.db"), script))
    assert "children" in start[0]["message"]["text"] and "names" in start[0]["message"]["text"]
    assert "C2" in answer[0]["message"]["text"] and "part-time" in answer[0]["message"]["text"].lower()
    assert "Code U" in code[0]["message"]["text"]


def test_tree_walk_with_buttons_edits_in_place(emulator, tmp_path):
    async def script(user: User):
        await user.say("which code should I use")
        first = (await user.replies())[0]
        keyboard = first["message"]["reply_markup"]["inline_keyboard"]
        data = keyboard[0][0]["callback_data"]
        assert data.startswith("opt:") and len(data.encode()) <= 64
        await user.press(first, data)
        for _ in range(100):
            history = await user.history()
            edited = [m for m in history if m["messageId"] == first["messageId"]]
            if edited and edited[0]["message"]["text"] != first["message"]["text"]:
                return first, edited[0]
            await asyncio.sleep(0.05)
        return first, None

    first, edited = asyncio.run(_session(emulator, str(tmp_path / "e2e.db"), script))
    assert "Which attendance code" in first["message"]["text"]
    assert edited is not None, "the tree message was not edited in place after the button press"
    assert "step 2" in edited["message"]["text"] or "Code" in edited["message"]["text"]


def test_state_survives_a_bot_restart(emulator, tmp_path):
    db = str(tmp_path / "restart.db")

    async def begin(user: User):
        await user.say("which code should I use")
        return (await user.replies())[0]

    async def carry_on(user: User):
        await user.say("1")
        return (await user.replies())[0]

    first = asyncio.run(_session(emulator, db, begin))
    second = asyncio.run(_session(emulator, db, carry_on))
    assert "step 1" in first["message"]["text"]
    assert "step 2" in second["message"]["text"] or "Code" in second["message"]["text"]
