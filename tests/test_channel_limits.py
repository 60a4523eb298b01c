"""Channel limits the engine cannot see: Teams' six buttons a row and its markdown line breaks, the outgoing
webhook's body reading and size limit, the health check, and the terminal's one numbered list per turn."""
import asyncio
import base64
import io
import json
import re
from dataclasses import replace

import pytest
from aiohttp.test_utils import TestClient, TestServer

from bot import teams
from bot.settings import TeamsSettings
from bot.teams import MAX_WEBHOOK_BODY, activity_for, build_web_app, card, sign
from bot.terminal import TerminalChat
from guidance import trees
from guidance.assistant import Assistant
from guidance.config import Settings
from guidance.models import Button, Reply
from guidance.store import Store

SECRET = base64.b64encode(b"k" * 32).decode()
SINGLE_NEWLINE = re.compile(r"(?<!\n)\n(?!\n)")
TEAMS_ROW = 6


# -- helpers -----------------------------------------------------------------------------------------------------
def _action_lists(node):
    """Every "actions" list anywhere in a card (the card's own and each ActionSet's)."""
    if isinstance(node, dict):
        if isinstance(node.get("actions"), list):
            yield node["actions"]
        for value in node.values():
            yield from _action_lists(value)
    elif isinstance(node, list):
        for value in node:
            yield from _action_lists(value)


def _submitted(content: dict) -> list[str]:
    return [a["data"]["action"] for actions in _action_lists(content) for a in actions]


def _text_blocks(content: dict) -> list[str]:
    return [item["text"] for item in content["body"] if item.get("type") == "TextBlock"]


def _every_step(tree):
    """Every step of every path through a tree (a node already on the path is not entered again)."""
    pending = [trees.start(tree)]
    while pending:
        step = pending.pop()
        yield step
        if step.node.is_outcome:
            continue
        for i in range(len(step.node.options)):
            nxt = trees.choose(step, i)
            if nxt.path[-1] not in step.path:
                pending.append(nxt)


def _assert_card_shows_every_button(reply: Reply):
    content = card(reply)
    for actions in _action_lists(content):
        assert len(actions) <= TEAMS_ROW, (reply.title, [a["title"] for a in actions])
    shown = _submitted(content)
    assert sorted(shown) == sorted(b.action for b in reply.buttons), reply.title
    if len(reply.buttons) <= TEAMS_ROW:  # small cards keep the plain top-level list (the e2e walk reads it)
        assert [a["data"]["action"] for a in content["actions"]] == [b.action for b in reply.buttons]
    return content


# -- 1. Teams cards never hide options -----------------------------------------------------------------------------
def test_every_walk_through_step_of_every_tree_shows_all_options_in_rows_of_six(knowledge):
    assistant = Assistant(knowledge, Settings())
    widest = 0
    for tree in knowledge.trees.values():
        for step in _every_step(tree):
            reply = assistant.step_reply(step)
            options = [f"opt:{tree.id}:{step.node.id}:{i}" for i in range(len(step.node.options))]
            content = _assert_card_shows_every_button(reply)
            assert set(options) <= set(_submitted(content)), (tree.id, step.path)
            widest = max(widest, len(reply.buttons))
    assert widest > TEAMS_ROW  # the code walk-through's first step really has more than six buttons


def test_the_code_walk_through_card_from_the_assistant_lays_out_its_options_in_rows(chat):
    reply = chat.handle("teams:row-test", action="tree:tree-code")[0]
    assert len(reply.buttons) > TEAMS_ROW
    content = _assert_card_shows_every_button(reply)
    rows = [item for item in content["body"] if item.get("type") == "ActionSet"]
    assert len(rows) >= 2 and max(len(r["actions"]) for r in rows) - min(len(r["actions"]) for r in rows) <= 1
    assert "actions" not in content  # every button is in a row in the body


@pytest.mark.parametrize("count", [0, 1, 6, 7, 12, 13, 20])
def test_any_number_of_buttons_fits_in_rows(count):
    reply = Reply(kind="tree", text="Title\n\nPick one", buttons=tuple(Button(f"b{i}", f"a{i}") for i in range(count)))
    content = _assert_card_shows_every_button(reply)
    assert _submitted(content) == [f"a{i}" for i in range(count)]  # in their order


def test_menus_and_other_cards_keep_every_button(knowledge):
    assistant = Assistant(knowledge, Settings())
    for reply in (assistant.trees_menu(), assistant.help_reply(), assistant.fallback_reply()):
        _assert_card_shows_every_button(reply)


# -- 2. Teams text keeps its line breaks ----------------------------------------------------------------------------
def _between(text: str, first: str, second: str) -> str:
    return text[text.index(first):text.index(second)]


def test_a_code_answer_keeps_its_lines_as_text_and_as_a_card(assistant):
    reply = assistant.answer("what does code C2 mean")
    assert "Counts as:" in reply.text and "Rule:" in reply.text
    plain = activity_for(replace(reply, buttons=())).text   # without buttons it is sent as text
    assert "\n\n" in _between(plain, "Counts as:", "Rule:")
    assert not SINGLE_NEWLINE.search(plain)
    blocks = _text_blocks(card(replace(reply, buttons=(Button("Back", "back"),))))
    counts = [i for i, t in enumerate(blocks) if "Counts as:" in t]
    rule = [i for i, t in enumerate(blocks) if t.startswith("Rule:")]
    assert counts and rule and counts[0] != rule[0]
    assert not any(SINGLE_NEWLINE.search(t) for t in blocks), blocks


def test_a_code_answer_through_the_bot_endpoint_keeps_its_lines(knowledge):
    app = build_web_app(Assistant(knowledge, Settings(), Store()), TeamsSettings(teams_development_mode=True))
    activity = {"type": "message", "id": "1", "channelId": "msteams", "serviceUrl": "http://127.0.0.1:9/unused",
                "deliveryMode": "expectReplies", "from": {"id": "29:user"}, "recipient": {"id": "28:bot"},
                "conversation": {"id": "conv-1", "conversationType": "personal"}, "text": "what does code C2 mean"}

    async def go():
        async with TestClient(TestServer(app, host="127.0.0.1")) as client:
            response = await client.post("/api/messages", json=activity)
            return response.status, await response.json()
    status, data = asyncio.run(go())
    assert status == 200
    sent = data["activities"][0]
    if sent.get("attachments"):  # a card (the reply has buttons): the lines are separate TextBlocks
        blocks = _text_blocks(sent["attachments"][0]["content"])
        assert any(t.startswith("Counts as:") for t in blocks) and any(t.startswith("Rule:") for t in blocks)
        assert not any(SINGLE_NEWLINE.search(t) for t in blocks)
    else:
        text = sent["text"]
        assert "\n\n" in _between(text, "Counts as:", "Rule:") and not SINGLE_NEWLINE.search(text)


def test_list_lines_survive_as_markdown_lists(assistant):
    reply = assistant.fallback_reply()
    items = [line for line in reply.text.split("\n") if line.startswith("- ")]
    assert len(items) == 3
    blocks = _text_blocks(card(reply))
    listed = [t for t in blocks if t.startswith("- ")]
    assert listed and all(line.startswith("- ") for t in listed for line in t.split("\r"))
    assert [line for t in listed for line in t.split("\r")] == items  # one list, every item, in order
    assert not any(SINGLE_NEWLINE.search(t) for t in blocks)
    plain = activity_for(replace(reply, buttons=())).text
    assert all(f"\n\n{item}" in plain for item in items) and not SINGLE_NEWLINE.search(plain)


def test_no_card_text_anywhere_relies_on_a_single_line_break(knowledge):
    assistant = Assistant(knowledge, Settings())
    replies = [assistant.entry_reply(entry_id) for entry_id in knowledge.entries]
    replies += [assistant.step_reply(step) for tree in knowledge.trees.values() for step in _every_step(tree)]
    replies += [assistant.help_reply("A lead line."), assistant.trees_menu(), assistant.fallback_reply()]
    for reply in replies:
        forced = replace(reply, buttons=reply.buttons or (Button("Help", "help"),))
        for text in _text_blocks(card(forced)):
            assert not SINGLE_NEWLINE.search(text), (reply.id, text)
        assert not SINGLE_NEWLINE.search(activity_for(replace(reply, buttons=())).text), reply.id


# -- 3. the outgoing webhook reads the whole body, and refuses an oversized one first --------------------------------
@pytest.fixture
def hook_app(mini, monkeypatch):
    monkeypatch.setenv("TEST_OWH_SECRET", SECRET)
    teams = TeamsSettings(teams_development_mode=True, teams_webhook_secret_env="TEST_OWH_SECRET")
    return build_web_app(Assistant(mini, Settings(), Store()), teams)


BODY = json.dumps({"type": "message", "text": "<at>Guide</at> how long can the register stay open",
                   "from": {"id": "29:abc", "name": "Ann"}}).encode()


def _in_pieces(body: bytes, size: int):
    async def pieces():
        for at in range(0, len(body), size):
            yield body[at:at + size]
            await asyncio.sleep(0.02)  # each piece its own write on the wire
    return pieces()


def test_a_signed_body_sent_in_two_chunks_is_read_whole(hook_app):
    async def go():
        async with TestClient(TestServer(hook_app, host="127.0.0.1")) as client:
            response = await client.post("/api/webhook", data=_in_pieces(BODY, len(BODY) // 2 + 1),
                                         headers={"Authorization": sign(BODY, SECRET)})
            return response.status, await response.json()
    status, data = asyncio.run(go())
    assert status == 200 and "30 minutes" in data["text"]


def test_a_signed_body_with_content_length_in_two_tcp_writes_is_read_whole(hook_app):
    async def go():
        server = TestServer(hook_app, host="127.0.0.1")
        await server.start_server()
        try:
            reader, writer = await asyncio.open_connection(server.host, server.port)
            head = (f"POST /api/webhook HTTP/1.1\r\nHost: {server.host}\r\nContent-Type: application/json\r\n"
                    f"Content-Length: {len(BODY)}\r\nAuthorization: {sign(BODY, SECRET)}\r\n"
                    "Connection: close\r\n\r\n").encode()
            half = len(BODY) // 2
            writer.write(head + BODY[:half])
            await writer.drain()
            await asyncio.sleep(0.05)
            writer.write(BODY[half:])
            await writer.drain()
            response = await reader.read()
            writer.close()
            return response
        finally:
            await server.close()
    response = asyncio.run(go())
    assert response.startswith(b"HTTP/1.1 200"), response[:200]
    assert b"30 minutes" in response


@pytest.mark.parametrize("streamed", [False, True])
def test_an_oversized_body_is_413_before_any_signature_check(hook_app, monkeypatch, streamed):
    checked = []
    monkeypatch.setattr(teams, "verify", lambda *args: checked.append(args) or False)
    big = b'{"text": "' + b"x" * MAX_WEBHOOK_BODY + b'"}'

    async def go():
        async with TestClient(TestServer(hook_app, host="127.0.0.1")) as client:
            data = _in_pieces(big, 64 * 1024) if streamed else big
            response = await client.post("/api/webhook", data=data, headers={"Authorization": "HMAC AAAA"})
            return response.status, await response.json()
    status, data = asyncio.run(go())
    assert status == 413 and data["type"] == "message"
    assert checked == []


def test_a_body_at_the_limit_is_still_checked(hook_app):
    body = b" " * (MAX_WEBHOOK_BODY - len(BODY)) + BODY

    async def go():
        async with TestClient(TestServer(hook_app, host="127.0.0.1")) as client:
            response = await client.post("/api/webhook", data=_in_pieces(body, 50 * 1024),
                                         headers={"Authorization": sign(body, SECRET)})
            return response.status
    assert asyncio.run(go()) == 200


# -- 4. health check ---------------------------------------------------------------------------------------------------
def test_healthz_answers_ok(hook_app):
    async def go():
        async with TestClient(TestServer(hook_app, host="127.0.0.1")) as client:
            response = await client.get("/healthz")
            return response.status, response.content_type, await response.json()
    assert asyncio.run(go()) == (200, "application/json", {"status": "ok"})


def test_healthz_needs_no_credentials_in_authenticated_mode(mini):
    app = build_web_app(Assistant(mini), TeamsSettings(), environ={"MICROSOFT_APP_ID": "id",
                                                              "MICROSOFT_APP_PASSWORD": "secret"})

    async def go():
        async with TestClient(TestServer(app, host="127.0.0.1")) as client:
            response = await client.get("/healthz")
            return response.status, await response.json()
    assert asyncio.run(go()) == (200, {"status": "ok"})


# -- 5. terminal: one numbered list per turn ----------------------------------------------------------------------------
class TwoReplies:
    """A stand-in assistant whose answer to any question is two replies with buttons."""

    store = None

    def __init__(self):
        self.calls = []

    def handle(self, user, text=None, action=None, **kwargs):
        self.calls.append(("text", text) if action is None else ("action", action))
        if action is not None:
            return [Reply(kind="answer", text=f"You chose {action}")]
        return [Reply(kind="answer", text="First", buttons=(Button("A", "a"), Button("B", "b"))),
                Reply(kind="tree", text="Second", buttons=(Button("C", "c"), Button("D", "d"), Button("E", "e")))]


class Terminal:
    """A TerminalChat with a fake output: send a line, get what it printed for that line."""

    def __init__(self, assistant):
        self.out = io.StringIO()
        self.chat = TerminalChat(assistant, out=self.out, user="terminal-test")

    def say(self, line: str) -> str:
        start = len(self.out.getvalue())
        self.chat.send(line)
        return self.out.getvalue()[start:]


def _numbers(text: str) -> list[int]:
    return [int(n) for n in re.findall(r"^  (\d+)\. ", text, re.MULTILINE)]


def test_two_replies_in_one_turn_share_one_continuous_numbered_list():
    fake = TwoReplies()
    term = Terminal(fake)
    shown = term.say("which code")
    assert "  1. A\n  2. B" in shown and "  3. C\n  4. D\n  5. E" in shown
    assert _numbers(shown) == [1, 2, 3, 4, 5]
    assert "You chose d" in term.say("4")
    assert fake.calls[-1] == ("action", "d")
    term.say("which code")
    assert "You chose a" in term.say("1")
    term.say("which code")
    assert "You chose e" in term.say("5")  # every number is choosable, the last reply's included


@pytest.mark.parametrize("typed", ["6", "0", "42", "999"])
def test_a_number_off_the_list_gets_the_valid_range_not_a_search(typed):
    fake = TwoReplies()
    term = Terminal(fake)
    term.say("which code")
    calls = len(fake.calls)
    shown = term.say(typed)
    assert "1 to 5" in shown
    assert len(fake.calls) == calls  # not sent to the assistant as a question
    assert "You chose b" in term.say("2")  # and the list is still live


def test_quiz_feedback_and_next_question_are_numbered_on_from_each_other(chat):
    term = Terminal(chat)
    menu = term.say("quiz")
    assert _numbers(menu)[:1] == [1]
    question = term.say("1")  # quick round of 5
    assert question.startswith("Question 1 of")
    after = term.say("1")  # answer the first option
    numbers = _numbers(after)
    assert "Question 2 of" in after and numbers == list(range(1, len(numbers) + 1))
    stop = numbers[-1]  # the question's last button is Stop, numbered after any feedback button
    assert after.rstrip().endswith(f"{stop}. Stop")
    assert "There is no choice" in term.say(str(stop + 1))
    stopped = term.say(str(stop))
    assert "Question 3 of" not in stopped and "There is no choice" not in stopped


def test_button_labels_are_cut_at_a_word_with_an_ellipsis():
    """A long title on a button ends at a whole word with "…", never mid-word, and short titles are untouched."""
    from guidance.replies import MAX_BUTTON_LABEL, label
    title = "Social workers: asking about suspensions and exclusions for a child on the caseload"
    cut = label(title)
    assert len(cut) <= MAX_BUTTON_LABEL and cut.endswith("…")
    assert title.startswith(cut[:-1]) and title[len(cut) - 1] == " "
    assert label("Walk through it step by step") == "Walk through it step by step"
