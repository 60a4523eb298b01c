"""End to end: the real Telegram channel against the telegram-test-api emulator on 127.0.0.1, driven as a user."""
from __future__ import annotations

import asyncio
import os
import socket
import subprocess
import time
from pathlib import Path

import httpx
import pytest

from bot.telegram import TelegramChannel
from guidance.assistant import Assistant
from guidance.config import Settings
from guidance.store import Store

pytestmark = pytest.mark.e2e
HERE = Path(__file__).resolve().parent
TOKEN = "424242:E2E-TOKEN"
USER = {"id": 77, "first_name": "Tess", "is_bot": False}
CHAT = {"id": 77, "first_name": "Tess", "type": "private"}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def emulator():
    """Start telegram-test-api on a free loopback port for this module, and stop it after."""
    if not (HERE / "node_modules" / "telegram-test-api").exists():
        pytest.fail("telegram-test-api is not installed: run 'make e2e' (it runs npm ci in tests/e2e)")
    port = _free_port()
    proc = subprocess.Popen(["node", str(HERE / "start_tta.js")], cwd=HERE, text=True, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT,
                            env={**os.environ, "TTA_PORT": str(port), "NODE_PATH": str(HERE / "node_modules")})
    line = proc.stdout.readline()
    assert "listening" in line, line
    yield f"http://127.0.0.1:{port}"
    proc.terminate()
    proc.wait(10)


class User:
    """The emulated Telegram user, speaking through the emulator's client API."""

    def __init__(self, api: str):
        self.http = httpx.AsyncClient(base_url=api, timeout=5)

    def _base(self) -> dict:
        return {"botToken": TOKEN, "from": USER, "chat": CHAT, "date": int(time.time())}

    async def say(self, text: str) -> None:
        body = {**self._base(), "text": text}
        if text.startswith("/"):
            body["entities"] = [{"offset": 0, "length": len(text.split()[0]), "type": "bot_command"}]
        (await self.http.post("/sendCommand" if text.startswith("/") else "/sendMessage", json=body)).raise_for_status()

    async def press(self, bot_message: dict, data: str) -> None:
        message = {"message_id": bot_message["messageId"], "date": int(time.time()), "chat": CHAT,
                   "text": bot_message["message"].get("text", "")}
        body = {"botToken": TOKEN, "from": USER, "message": message, "data": data, "date": int(time.time())}
        (await self.http.post("/sendCallback", json=body)).raise_for_status()

    async def replies(self, n: int = 1, timeout: float = 8.0) -> list[dict]:
        got, start = [], time.monotonic()
        while len(got) < n and time.monotonic() - start < timeout:
            r = await self.http.post("/getUpdates", json={"token": TOKEN, "chatId": CHAT["id"]})
            got += r.json()["result"]
            if len(got) < n:
                await asyncio.sleep(0.05)
        return got

    async def history(self) -> list[dict]:
        return (await self.http.post("/getUpdatesHistory", json={"token": TOKEN})).json()["result"]


async def _session(api: str, db: str, script):
    settings = Settings(telegram_base_url=api, database=db)
    assistant = Assistant.from_settings(settings, Store(db))
    app = TelegramChannel(assistant, settings).build(TOKEN)
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
