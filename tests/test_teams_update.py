"""Teams: a walk-through step reached by pressing a button on the previous step's card updates that card in place
(the connector's update activity on the Action.Submit's replyToId), and falls back to a new message when the update
is refused. Driven through the real bot endpoint and the Agents SDK's turn handling, with a fake Bot Connector on
loopback that records each send and update."""
from __future__ import annotations

import asyncio
import json
import logging

import pytest
from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer

from bot.settings import TeamsSettings
from bot.teams import build_web_app
from guidance.assistant import Assistant
from guidance.config import Settings
from guidance.store import Store

ADAPTIVE = "application/vnd.microsoft.card.adaptive"


class Connector:
    """A fake Bot Connector service: records POSTed (sent) and PUT (updated) activities; `refuse` makes updates
    fail with that HTTP status."""

    def __init__(self, refuse: int | None = None):
        self.calls: list[tuple[str, str, dict]] = []   # (verb, activity id or "", activity)
        self.refuse = refuse
        self.app = web.Application()
        self.app.router.add_post("/v3/conversations/{conversation}/activities", self.send)
        self.app.router.add_post("/v3/conversations/{conversation}/activities/{activity}", self.send)
        self.app.router.add_put("/v3/conversations/{conversation}/activities/{activity}", self.update)

    async def send(self, request: web.Request) -> web.Response:
        self.calls.append(("send", request.match_info.get("activity", ""), await request.json()))
        return web.json_response({"id": f"sent-{len(self.calls)}"})

    async def update(self, request: web.Request) -> web.Response:
        self.calls.append(("update", request.match_info["activity"], await request.json()))
        if self.refuse:
            return web.json_response({"error": {"code": "Forbidden", "message": "no"}}, status=self.refuse)
        return web.json_response({"id": request.match_info["activity"]})


def _activity(service: str, text=None, value=None, reply_to=None) -> bytes:
    data = {"type": "message", "id": "in-1", "channelId": "msteams", "serviceUrl": service,
            "from": {"id": "29:user", "name": "Ann"}, "recipient": {"id": "28:bot", "name": "Guide"},
            "conversation": {"id": "conv-1", "conversationType": "personal"}}
    if text is not None:
        data["text"] = text
    if value is not None:
        data["value"] = value
    if reply_to is not None:
        data["replyToId"] = reply_to
    return json.dumps(data).encode()


def _card_text(activity: dict) -> str:
    return json.dumps([a["content"] for a in activity.get("attachments") or [] if a["contentType"] == ADAPTIVE])


def _turns(mini, connector: Connector, *activities):
    """Run the bot endpoint and the fake connector on loopback; post each activity (built from the connector's
    address) and return every HTTP status."""
    async def go():
        bot = build_web_app(Assistant(mini, Settings(), Store()), TeamsSettings(teams_development_mode=True))
        async with TestServer(connector.app, host="127.0.0.1") as service, \
                TestClient(TestServer(bot, host="127.0.0.1")) as client:
            statuses = []
            for make in activities:
                response = await client.post("/api/messages", data=make(str(service.make_url("/"))),
                                             headers={"Content-Type": "application/json"})
                statuses.append(response.status)
            return statuses
    return asyncio.run(go())


def test_pressing_a_step_button_updates_the_card_it_was_on(mini):
    connector = Connector()
    statuses = _turns(mini, connector,
                      lambda s: _activity(s, text="help me decide if a pupil is late"),
                      lambda s: _activity(s, value={"action": "opt:mini-tree:onsite:0"}, reply_to="card-7"))
    assert all(status in (200, 202) for status in statuses)
    (first_verb, _, first), (verb, activity_id, updated) = connector.calls
    assert first_verb == "send" and "Did the pupil arrive before the register closed?" in _card_text(first)
    assert (verb, activity_id) == ("update", "card-7")
    assert updated["id"] == "card-7" and "Late before the register closed." in _card_text(updated)
    assert len(connector.calls) == 2  # the step was not also sent as a new message


def test_a_refused_update_falls_back_to_a_new_message_and_says_why(mini, caplog):
    connector = Connector(refuse=403)
    with caplog.at_level(logging.WARNING, logger="bot.teams"):
        _turns(mini, connector,
               lambda s: _activity(s, text="help me decide if a pupil is late"),
               lambda s: _activity(s, value={"action": "opt:mini-tree:onsite:1"}, reply_to="card-7"))
    verbs = [(verb, activity_id) for verb, activity_id, _ in connector.calls]
    assert verbs[1:] == [("update", "card-7"), ("send", "in-1")]  # a new message, in reply to the press
    assert "after the register closed" in _card_text(connector.calls[2][2]).lower() \
        or "Code U" in _card_text(connector.calls[2][2])
    assert any("could not update the card in place" in r.getMessage() and "HTTP 403" in r.getMessage()
               for r in caplog.records)


@pytest.mark.parametrize("value, reply_to", [({"action": "opt:mini-tree:onsite:0"}, None),
                                             ({"action": "open:mini-register"}, "card-7")])
def test_no_update_without_the_pressed_card_or_for_anything_but_a_step(mini, value, reply_to):
    connector = Connector()
    _turns(mini, connector,
           lambda s: _activity(s, text="help me decide if a pupil is late"),
           lambda s: _activity(s, value=value, reply_to=reply_to))
    assert [verb for verb, _, _ in connector.calls] == ["send", "send"]
