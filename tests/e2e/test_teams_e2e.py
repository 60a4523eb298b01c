"""End to end: the real Teams bot (`python -m bot teams`, development mode) driven through the Microsoft 365
Agents Playground on 127.0.0.1, over the playground's own REST and WebSocket API."""
from __future__ import annotations

import asyncio
import json
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import aiohttp
import pytest

from guidance.loader import load_knowledge

pytestmark = pytest.mark.e2e
HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
PLAYGROUND = HERE / "node_modules" / "@microsoft" / "m365agentsplayground" / "cli.js"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait(url: str, method: str = "GET", timeout: float = 30) -> None:
    end = time.time() + timeout
    while time.time() < end:
        try:
            urllib.request.urlopen(urllib.request.Request(url, method=method, data=b"" if method == "POST" else None),
                                   timeout=1)
            return
        except urllib.error.HTTPError:
            return  # any HTTP answer means it is listening
        except OSError:
            time.sleep(0.1)
    raise TimeoutError(url)


@pytest.fixture(scope="module")
def playground(tmp_path_factory):
    """Start the Teams bot and the Agents Playground on free loopback ports; stop both afterwards."""
    if not PLAYGROUND.exists():
        pytest.fail("the Agents Playground is not installed: run 'make e2e' (it runs npm ci in tests/e2e)")
    tmp = tmp_path_factory.mktemp("teams")
    bot_port, pg_port = _free_port(), _free_port()
    config = tmp / "config.yaml"
    config.write_text(f"knowledge_dir: {ROOT / 'knowledge'}\ndatabase: {tmp / 'teams.db'}\n"
                      f"teams_development_mode: true\nteams_port: {bot_port}\n")
    bot = subprocess.Popen([sys.executable, "-m", "bot", "--config", str(config), "teams"], cwd=ROOT,
                           stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    pg = subprocess.Popen(["node", "-r", str(HERE / "force_loopback.js"), str(PLAYGROUND), "start",
                           "-e", f"http://127.0.0.1:{bot_port}/api/messages", "-c", "msteams",
                           "-p", str(pg_port), "--dt"], cwd=tmp,
                          env={**os.environ, "TEAMSAPPTESTER_BROWSER": "none"},
                          stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        _wait(f"http://127.0.0.1:{bot_port}/api/messages", "POST")
        _wait(f"http://127.0.0.1:{pg_port}/_internal/v1/config")
        yield f"http://127.0.0.1:{pg_port}"
    finally:
        for proc in (pg, bot):
            proc.terminate()
            proc.wait(10)


class Playground:
    """A Teams user in the playground's personal chat: sends messages and presses card buttons."""

    def __init__(self, base: str):
        self.base = base

    async def __aenter__(self):
        self.http = aiohttp.ClientSession()
        self.cfg = (await (await self.http.get(f"{self.base}/_internal/v1/config")).json())["config"]
        self.conversation = self.cfg["personalChat"]["id"]
        self.user = self.cfg["currentUser"]["id"]
        self.ws = await self.http.ws_connect(f"{self.base}/_ws_conversation/v1/conversations/stream")
        return self

    async def __aexit__(self, *exc):
        await self.ws.close()
        await self.http.close()

    async def _collect(self, expect: int, timeout: float = 8.0) -> list[dict]:
        """The next `expect` messages the bot sends or updates in the chat (an update has "updated": True)."""
        replies, end = [], time.monotonic() + timeout
        while len(replies) < expect and time.monotonic() < end:
            try:
                message = await self.ws.receive(timeout=end - time.monotonic())
            except asyncio.TimeoutError:
                break
            if message.type != aiohttp.WSMsgType.TEXT:
                continue
            event = json.loads(message.data)
            if event.get("action") in ("createMessage", "updateMessage") \
                    and event.get("actionConversationId") == self.conversation:
                replies.append({**event["message"], "updated": event["action"] == "updateMessage"})
        return replies

    async def say(self, text: str, expect: int = 1) -> list[dict]:
        body = {"from": {"id": self.user}, "text": text, "textFormat": "plain"}
        r = await self.http.post(f"{self.base}/_conversation/v1/conversations/{self.conversation}/messages",
                                 json=body)
        r.raise_for_status()
        return await self._collect(expect)

    async def press(self, message: dict, data: dict, expect: int = 1) -> list[dict]:
        body = {"conversation": {"id": self.conversation}, "from": {"id": self.user}, "replyToId": message.get("messageId") or message["id"],
                "value": data}
        r = await self.http.post(f"{self.base}/_conversation/v1/submit", json=body)
        r.raise_for_status()
        return await self._collect(expect)


def _card(message: dict) -> dict | None:
    for attachment in message.get("attachments") or []:
        if attachment.get("contentType") == "application/vnd.microsoft.card.adaptive":
            return attachment["content"]
    return None


def _actions(card: dict | None) -> list[dict]:
    """Every action of a card: the top-level list and each ActionSet row in the body (cards with more than six
    buttons lay them out in rows, since Teams shows at most six in one)."""
    found = list((card or {}).get("actions") or [])
    for item in (card or {}).get("body") or []:
        if item.get("type") == "ActionSet":
            found.extend(item.get("actions") or [])
    return found


def _text(message: dict) -> str:
    card = _card(message)
    if card:
        return "\n".join(block.get("text", "") for block in card["body"])
    return message.get("text") or ""


def test_question_gets_an_answer(playground):
    async def run():
        async with Playground(playground) as pg:
            return await pg.say("what does C2 mean")
    replies = asyncio.run(run())
    assert replies and "C2" in _text(replies[0]) and "part-time" in _text(replies[0]).lower()


def test_full_tree_walk_by_card_actions(playground):
    knowledge = load_knowledge(ROOT / "knowledge")
    tree = knowledge.trees["tree-code"] if "tree-code" in knowledge.trees else next(iter(knowledge.trees.values()))

    async def run():
        async with Playground(playground) as pg:
            message = (await pg.say(tree.questions[0]))[0]
            steps = [message]
            for _ in range(len(tree.nodes)):
                card = _card(message)
                options = [a for a in _actions(card) if a["data"]["action"].startswith("opt:")]
                if not options:
                    break
                message = (await pg.press(message, options[0]["data"]))[0]
                steps.append(message)
            return steps
    steps = asyncio.run(run())
    assert len(steps) >= 2
    assert tree.title in _text(steps[0])
    assert not steps[0]["updated"]
    # every later step replaced the card whose button was pressed, in place
    assert all(step["updated"] and step["messageId"] == steps[0]["messageId"] for step in steps[1:]), \
        [(s["updated"], s["messageId"]) for s in steps]
    outcome = _text(steps[-1])
    assert "Sources:" in outcome, outcome  # every outcome cites its sources
    assert not [a for a in _actions(_card(steps[-1])) if a["data"]["action"].startswith("opt:")]


def test_quiz_question_by_card_actions(playground):
    async def run():
        async with Playground(playground) as pg:
            menu = (await pg.say("quiz"))[0]
            question = (await pg.press(menu, {"action": "quiz:5"}))[0]
            option = next(a for a in _actions(_card(question)) if a["data"]["action"].startswith("qa:"))
            after = await pg.press(question, option["data"], expect=2)
            return menu, question, after
    menu, question, after = asyncio.run(run())
    assert "Quiz practice" in _text(menu)
    assert _text(question).startswith("Question 1 of")
    assert _text(after[0]).startswith(("Correct.", "Not quite"))
    assert _text(after[1]).startswith("Question 2 of")
