"""Every Adaptive Card the Teams channel can send, validated by the Adaptive Cards JavaScript SDK under Teams' host
settings (tests/cards/validate_cards.js): each walk-through step of each tree, walked through the real engine, each
quiz question and verdict, each entry's answer, the welcome, a register reading and a did-you-mean."""
from __future__ import annotations

import asyncio
import json
import shutil
import subprocess

import pytest

from bot.teams import WELCOME, TeamsOutput
from guidance.assistant import Assistant
from guidance.config import Settings
from guidance.store import Store
from tests.conftest import ROOT

CARDS = ROOT / "tests" / "cards"
VALIDATOR = CARDS / "validate_cards.js"
ADAPTIVE = "application/vnd.microsoft.card.adaptive"
USER = "teams:cards"
REGISTER = "w/c 02/09/2024 /\\ /\\ NN /\\ II\nw/c 09/09/2024 /\\ /\\ /\\ /\\ /\\"
NEAR_MISSES = ("timetable", "part time timetable", "reduced timetable", "gp letter", "leave")


class Recorder:
    """Stands in for the Agents SDK's TurnContext: keeps every activity the Teams output sends."""

    def __init__(self) -> None:
        self.sent: list = []

    async def send_activity(self, activity):
        self.sent.append(activity)


def teams_cards(replies) -> list[dict]:
    """The Adaptive Cards the Teams channel sends for these replies, as their JSON."""
    recorder = Recorder()
    asyncio.run(TeamsOutput(recorder).deliver(list(replies)))
    return [attachment.content for activity in recorder.sent for attachment in activity.attachments or []
            if attachment.content_type == ADAPTIVE]


def validate(named: list[tuple[str, dict]]) -> dict:
    """Run the SDK validator over (name, card) pairs and return its report."""
    if shutil.which("node") is None:
        pytest.fail("Node.js is needed to validate Adaptive Cards: install Node 20")
    if not (CARDS / "node_modules" / "adaptivecards").exists():
        pytest.fail("the Adaptive Cards SDK is not installed: run 'make test' (it runs npm ci in tests/cards)")
    payload = json.dumps([{"name": name, "card": card} for name, card in named])
    done = subprocess.run(["node", str(VALIDATOR)], input=payload, capture_output=True, text=True, timeout=300)
    assert done.returncode in (0, 1), done.stderr
    return json.loads(done.stdout)


@pytest.fixture(scope="module")
def engine(knowledge):
    """The real engine with an in-memory store, as the Teams channel calls it."""
    return Assistant(knowledge, Settings(), Store(":memory:"))


def tree_cards(engine: Assistant, tree) -> tuple[list[tuple[str, dict]], set[str]]:
    """Walk every node of a tree by pressing its buttons through the engine (an option, then Back), keeping the
    card each step sends and the nodes reached."""
    found: list[tuple[str, dict]] = []
    reached: set[str] = set()

    def press(action: str):
        replies = engine.handle(USER, action=action)
        assert replies and replies[0].role == "tree-step", (action, [r.text[:80] for r in replies])
        return replies

    def visit(node_id: str, replies) -> None:
        reached.add(node_id)
        found.extend((f"{tree.id}/{node_id}", card) for card in teams_cards(replies))
        for button in replies[0].buttons:
            if not button.action.startswith(f"opt:{tree.id}:{node_id}:"):
                continue
            target = tree.nodes[node_id].options[int(button.action.rsplit(":", 1)[1])].next
            if target in reached:
                continue
            visit(target, press(button.action))
            press("back")

    visit(tree.start, press(f"tree:{tree.id}"))
    return found, reached


def test_every_card_passes_the_adaptive_cards_sdk_under_teams_host_settings(engine, knowledge):
    named: list[tuple[str, dict]] = []
    for tree in knowledge.trees.values():
        cards, reached = tree_cards(engine, tree)
        assert reached == set(tree.nodes), f"{tree.id}: not reached {sorted(set(tree.nodes) - reached)}"
        named.extend(cards)
    for question in knowledge.quiz.values():
        named += [(f"quiz/{question.id}", c) for c in teams_cards([engine.practice.question_reply(
            {"ids": [question.id], "i": 0})])]
        for choice in {question.answer, (question.answer + 1) % len(question.options)}:
            verdict = engine.practice.feedback(question, choice, choice == question.answer)
            named += [(f"quiz/{question.id}/verdict", c) for c in teams_cards([verdict])]
    named += [("quiz/round", c) for c in teams_cards(engine.handle(USER, action="quiz:5"))]
    for entry_id in knowledge.entries:
        named += [(f"entry/{entry_id}", c) for c in teams_cards(engine.handle(USER, action=f"open:{entry_id}"))]
    named += [("welcome", c) for c in teams_cards([engine.session.greeting(USER, WELCOME)])]
    named += [("help", c) for c in teams_cards(engine.handle(USER, text="help"))]
    register = engine.handle(USER, text=REGISTER)
    assert register[0].role == "register" and register[0].image is not None
    named += [("register", c) for c in teams_cards(register)]
    near = next((r for q in NEAR_MISSES for r in engine.handle(USER, text=q)[:1] if r.role == "did-you-mean"), None)
    assert near is not None, f"none of {NEAR_MISSES} gave a did-you-mean"
    named += [("did-you-mean", c) for c in teams_cards([near])]

    kinds = {name.split("/")[0] for name, _ in named}
    assert {"welcome", "register", "did-you-mean", "quiz", "entry"} <= kinds
    assert any(c["body"][0]["type"] == "Image" for name, c in named if name == "register")
    steps = sum(1 for name, _ in named if name.startswith("tree-"))
    assert steps >= sum(len(t.nodes) for t in knowledge.trees.values())
    report = validate(named)
    assert report["checked"] == len(named)
    assert not report["problems"], "\n".join(f"{p['name']}: {p['message']}" for p in report["problems"][:40])


def test_the_validator_reports_what_teams_would_not_show():
    row = [{"type": "Action.Submit", "title": str(i), "data": {"action": f"opt:t:n:{i}"}} for i in range(7)]
    good = {"type": "AdaptiveCard", "version": "1.4", "body": [{"type": "TextBlock", "text": "Hi", "wrap": True}]}
    cards = [("good", good),
             ("seven actions", {**good, "actions": row}),
             ("seven in a row", {**good, "body": good["body"] + [{"type": "ActionSet", "actions": row}]}),
             ("unknown element", {**good, "body": [{"type": "Paragraph", "text": "Hi"}]}),
             ("misspelt property", {**good, "body": [{"type": "TextBlock", "text": "Hi", "wrapp": True}]}),
             ("bad value", {**good, "body": [{"type": "TextBlock", "text": "Hi", "size": "Huge"}]}),
             ("too new", {**good, "version": "1.6"})]
    report = validate(cards)
    flagged = {p["name"] for p in report["problems"]}
    assert report["checked"] == len(cards)
    assert flagged == {name for name, _ in cards} - {"good"}, report["problems"]
    assert any("Maximum number of actions" in p["message"] for p in report["problems"] if p["name"] == "seven in a row")
