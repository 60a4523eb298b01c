"""End to end through the real entry point: `python -m bot telegram` (long polling, as deployed) against the
telegram-test-api emulator on 127.0.0.1, and a user who walks every outcome of every walk-through by pressing the
buttons on the bot's messages."""
from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from guidance.loader import load_knowledge
from tests.e2e.conftest import TOKEN, User, plain

pytestmark = pytest.mark.e2e
ROOT = Path(__file__).resolve().parent.parent.parent
KNOWLEDGE = load_knowledge(ROOT / "knowledge")
STEP_SECONDS = 10.0


@pytest.fixture(scope="module")
def bot(emulator, tmp_path_factory):
    """Start `python -m bot telegram` with the token in the environment and the Bot API pointed at the emulator;
    stop it with SIGINT (as Ctrl+C does) afterwards."""
    tmp = tmp_path_factory.mktemp("telegram-bot")
    config = tmp / "config.yaml"
    config.write_text(f"knowledge_dir: {ROOT / 'knowledge'}\ndatabase: {tmp / 'bot.db'}\n"
                      f"telegram_base_url: {emulator}\n")
    log = (tmp / "bot.log").open("w")
    proc = subprocess.Popen([sys.executable, "-m", "bot", "--config", str(config), "telegram"], cwd=ROOT,
                            env={**os.environ, "TELEGRAM_BOT_TOKEN": TOKEN}, stdout=log, stderr=subprocess.STDOUT)
    try:
        yield emulator
    finally:
        proc.send_signal(signal.SIGINT)
        try:
            proc.wait(15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(5)
        log.close()
        print((tmp / "bot.log").read_text()[-3000:])


def _button(message: dict, label: str) -> str:
    """The callback data of the button with this label on a bot message (failing when it is not there)."""
    rows = (message["message"].get("reply_markup") or {}).get("inline_keyboard") or []
    found = [b["callback_data"] for row in rows for b in row if b["text"] == label]
    assert found, f"no button '{label}' on: {plain(message['message'].get('text'))[:200]} {rows}"
    return found[0]


async def _await_text(user: User, message_id, wanted: str, timeout: float = STEP_SECONDS) -> dict:
    """Wait until the bot's message `message_id` (edited in place), or a newer bot message, reads `wanted`; return
    that message as stored."""
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        for message in reversed(await user.bot_messages()):
            if int(message["messageId"]) >= int(message_id) and wanted in plain(message["message"].get("text")):
                return message
        await asyncio.sleep(0.02)
    latest = (await user.bot_messages())[-1:]
    raise AssertionError(f"'{wanted[:80]}' never arrived; last message: "
                         f"{plain(latest[0]['message'].get('text'))[:300] if latest else None}")


async def _walk_every_outcome(user: User, tree) -> tuple[set[str], int, set]:
    """Open the walk-through from /tree, then reach every node by pressing its option buttons (and Back to return),
    checking each step's question or outcome arrives. Returns the outcomes reached, the presses made and the ids
    of the messages the steps were shown in."""
    await user.say("/tree")
    menu = (await user.replies())[0]
    await user.press(menu, _button(menu, next(b["text"] for row in menu["message"]["reply_markup"]["inline_keyboard"]
                                              for b in row if b["callback_data"] == f"tree:{tree.id}")))
    current = await _await_text(user, int(menu["messageId"]) + 1, f"(step 1)\n\n{tree.nodes[tree.start].ask}")
    outcomes: set[str] = set()
    shown_in = {current["messageId"]}
    reached = {tree.start}
    presses = 1

    def expected(node_id: str, depth: int) -> str:
        """What the step shows: an outcome's first line, or the step number and question (two steps may ask the
        same question, as when a list of areas runs over two steps)."""
        node = tree.nodes[node_id]
        return node.outcome.strip().splitlines()[0] if node.is_outcome else f"(step {depth})\n\n{node.ask}"

    async def visit(node_id: str, message: dict, depth: int = 1) -> dict:
        nonlocal presses
        for option in tree.nodes[node_id].options:
            if option.next in reached:
                continue
            reached.add(option.next)
            await user.press(message, _button(message, option.label))
            presses += 1
            message = await _await_text(user, message["messageId"], expected(option.next, depth + 1))
            shown_in.add(message["messageId"])
            if tree.nodes[option.next].is_outcome:
                assert tree.nodes[option.next].outcome.strip() in plain(message["message"]["text"])
                outcomes.add(option.next)
            else:
                message = await visit(option.next, message, depth + 1)
            await user.press(message, _button(message, "Back"))
            presses += 1
            message = await _await_text(user, message["messageId"], expected(node_id, depth))
        return message

    await visit(tree.start, current)
    await user.say("/cancel")
    await user.replies()
    return outcomes, presses, shown_in


@pytest.mark.parametrize("tree_id", list(KNOWLEDGE.trees))
def test_every_outcome_of_every_walk_through_by_pressing_buttons(bot, tree_id):
    tree = KNOWLEDGE.trees[tree_id]
    user_id = 1000 + list(KNOWLEDGE.trees).index(tree_id)

    async def run():
        user = User(bot, user_id=user_id, name="Walker")
        try:
            await user.say("/start")
            assert (await user.replies(timeout=30))[0]["message"]["text"], "the bot did not answer /start"
            return await _walk_every_outcome(user, tree)
        finally:
            await user.http.aclose()

    outcomes, presses, shown_in = asyncio.run(run())
    assert outcomes == {n for n, node in tree.nodes.items() if node.is_outcome}
    assert presses >= 2 * len(outcomes)
    assert len(shown_in) == 1, "each step should replace the previous one in the same message"
