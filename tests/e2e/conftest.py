"""Shared by the Telegram end-to-end tests: the telegram-test-api emulator on a free loopback port, and a user who
talks to the bot through the emulator's client API."""
from __future__ import annotations

import asyncio
import html
import os
import re
import socket
import subprocess
import time
from pathlib import Path

import httpx
import pytest

HERE = Path(__file__).resolve().parent
TOKEN = "424242:E2E-TOKEN"


def free_port() -> int:
    """A TCP port free on 127.0.0.1 right now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def emulator():
    """Start telegram-test-api on a free loopback port for this module, and stop it after."""
    if not (HERE / "node_modules" / "telegram-test-api").exists():
        pytest.fail("telegram-test-api is not installed: run 'make e2e' (it runs npm ci in tests/e2e)")
    port = free_port()
    proc = subprocess.Popen(["node", str(HERE / "start_tta.js")], cwd=HERE, text=True, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT,
                            env={**os.environ, "TTA_PORT": str(port), "NODE_PATH": str(HERE / "node_modules")})
    line = proc.stdout.readline()
    assert "listening" in line, line
    yield f"http://127.0.0.1:{port}"
    proc.terminate()
    proc.wait(10)


def plain(text: str) -> str:
    """A message's text as a person reads it: the bot's HTML tags removed and entities decoded."""
    return html.unescape(re.sub(r"</?[a-z]+>", "", text or ""))


class User:
    """An emulated Telegram user in a private chat with the bot, speaking through the emulator's client API."""

    def __init__(self, api: str, user_id: int = 77, name: str = "Tess"):
        self.http = httpx.AsyncClient(base_url=api, timeout=5)
        self.user = {"id": user_id, "first_name": name, "is_bot": False}
        self.chat = {"id": user_id, "first_name": name, "type": "private"}

    def _base(self) -> dict:
        return {"botToken": TOKEN, "from": self.user, "chat": self.chat, "date": int(time.time())}

    async def say(self, text: str) -> None:
        body = {**self._base(), "text": text}
        if text.startswith("/"):
            body["entities"] = [{"offset": 0, "length": len(text.split()[0]), "type": "bot_command"}]
        (await self.http.post("/sendCommand" if text.startswith("/") else "/sendMessage", json=body)).raise_for_status()

    async def press(self, bot_message: dict, data: str) -> None:
        message = {"message_id": bot_message["messageId"], "date": int(time.time()), "chat": self.chat,
                   "text": bot_message["message"].get("text", "")}
        body = {"botToken": TOKEN, "from": self.user, "message": message, "data": data, "date": int(time.time())}
        (await self.http.post("/sendCallback", json=body)).raise_for_status()

    async def replies(self, n: int = 1, timeout: float = 8.0) -> list[dict]:
        got, start = [], time.monotonic()
        while len(got) < n and time.monotonic() - start < timeout:
            r = await self.http.post("/getUpdates", json={"token": TOKEN, "chatId": self.chat["id"]})
            got += r.json()["result"]
            if len(got) < n:
                await asyncio.sleep(0.05)
        return got

    async def history(self) -> list[dict]:
        """Every message in the emulator for this bot, as stored now (an edited message shows its new text)."""
        return (await self.http.post("/getUpdatesHistory", json={"token": TOKEN})).json()["result"]

    async def bot_messages(self) -> list[dict]:
        """The bot's messages in this chat, oldest first, as they read now."""
        return [m for m in await self.history() if "messageId" in m
                and str((m.get("message") or {}).get("chat_id")) == str(self.chat["id"])]
