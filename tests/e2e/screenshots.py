"""`make screenshots`: the pictures in README.md, from the real channels. The Teams card is the code walk-through's
first step as the Teams adapter sends it; the Telegram conversation is a coding question put to `python -m bot
telegram` through the telegram-test-api emulator, with the bot's reply as it arrived. Both are drawn by headless
Chromium (tests/e2e/render_screenshots.js) into docs/."""
from __future__ import annotations

import asyncio
import json
import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
sys.path.insert(0, str(ROOT))

from bot.teams import TeamsOutput  # noqa: E402
from guidance.assistant import Assistant  # noqa: E402
from guidance.config import Settings  # noqa: E402
from guidance.store import Store  # noqa: E402
from tests.e2e.conftest import TOKEN, User, free_port  # noqa: E402

QUESTION = "Y4 lad wandered in 9.25, reg shuts 9.10, no note"
DOCS = ROOT / "docs"


class Recorder:
    """Stands in for the Agents SDK's TurnContext: keeps what the Teams output sends."""

    def __init__(self) -> None:
        self.sent: list = []

    async def send_activity(self, activity):
        self.sent.append(activity)


def teams_card() -> dict:
    """The Adaptive Card the Teams adapter sends for the first step of the code walk-through."""
    settings = Settings(knowledge_dir=str(ROOT / "knowledge"))
    assistant = Assistant.from_settings(settings, Store(":memory:"))
    recorder = Recorder()
    asyncio.run(TeamsOutput(recorder).deliver(assistant.handle("teams:docs", action="tree:tree-code")))
    return recorder.sent[0].attachments[0].content


def telegram_conversation(question: str) -> list[dict]:
    """Ask the real Telegram bot a question through the emulator; the question and the bot's messages as shown."""
    port = free_port()
    emulator = subprocess.Popen(["node", str(HERE / "start_tta.js")], cwd=HERE, text=True, stdout=subprocess.PIPE,
                                stderr=subprocess.STDOUT,
                                env={**os.environ, "TTA_PORT": str(port), "NODE_PATH": str(HERE / "node_modules")})
    with tempfile.TemporaryDirectory() as tmp:
        config = Path(tmp) / "config.yaml"
        api = f"http://127.0.0.1:{port}"
        config.write_text(f"knowledge_dir: {ROOT / 'knowledge'}\ndatabase: {Path(tmp) / 'bot.db'}\n"
                          f"telegram_base_url: {api}\n")
        bot = None
        try:
            if "listening" not in emulator.stdout.readline():
                raise SystemExit("the Telegram emulator did not start: run 'make e2e' once to install it")
            bot = subprocess.Popen([sys.executable, "-m", "bot", "--config", str(config), "telegram"], cwd=ROOT,
                                   env={**os.environ, "TELEGRAM_BOT_TOKEN": TOKEN}, stdout=subprocess.DEVNULL,
                                   stderr=subprocess.DEVNULL)
            return asyncio.run(_ask(api, question))
        finally:
            if bot is not None:
                bot.send_signal(signal.SIGINT)
                bot.wait(15)
            emulator.terminate()
            emulator.wait(10)


async def _ask(api: str, question: str) -> list[dict]:
    user = User(api, user_id=501, name="Sam")
    try:
        await user.say("/start")
        await user.replies(timeout=30)
        await user.say(question)
        replies = await user.replies(timeout=15)
        if not replies:
            raise SystemExit("the Telegram bot did not answer")
        time.sleep(0.2)
        shown = []
        for message in await user.bot_messages():
            if message["messageId"] in {r["messageId"] for r in replies}:
                keyboard = (message["message"].get("reply_markup") or {}).get("inline_keyboard") or []
                shown.append({"from": "bot", "html": message["message"]["text"],
                              "keyboard": [[b["text"] for b in row] for row in keyboard]})
        return [{"from": "user", "text": question}, *shown]
    finally:
        await user.http.aclose()


def main() -> int:
    """Write docs/teams-walk-through.png and docs/telegram-conversation.png."""
    DOCS.mkdir(exist_ok=True)
    shots = {"teams": {"card": teams_card()}, "telegram": {"messages": telegram_conversation(QUESTION)}}
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False) as f:
        json.dump(shots, f)
    try:
        return subprocess.run(["node", str(HERE / "render_screenshots.js"), f.name, str(DOCS)], cwd=HERE).returncode
    finally:
        os.unlink(f.name)


if __name__ == "__main__":
    sys.exit(main())
