"""Teams channel units: Adaptive Card rendering, the webhook's HMAC check, and the bot endpoint in process."""
import asyncio
import base64
import json

import pytest
from aiohttp.test_utils import TestClient, TestServer

from bot.errors import ChannelSetupError
from bot.teams import build_web_app, card, sign, strip_mentions, verify
from guidance.assistant import Assistant
from guidance.config import Settings
from guidance.models import Button, Reply
from guidance.store import Store

SECRET = base64.b64encode(b"k" * 32).decode()


def test_card_renders_title_text_and_submit_actions():
    reply = Reply(kind="tree", text="Which code?\n\nIs the pupil on site?\n\nSecond paragraph",
                  buttons=(Button("Yes", "opt:t:n:0"), Button("No", "opt:t:n:1")))
    c = card(reply)
    assert c["type"] == "AdaptiveCard" and c["version"] == "1.4"
    assert c["body"][0] == {"type": "TextBlock", "text": "Which code?", "weight": "Bolder", "size": "Medium",
                            "wrap": True}
    assert [b["text"] for b in c["body"][1:]] == ["Is the pupil on site?", "Second paragraph"]
    assert c["actions"] == [{"type": "Action.Submit", "title": "Yes", "data": {"action": "opt:t:n:0"}},
                            {"type": "Action.Submit", "title": "No", "data": {"action": "opt:t:n:1"}}]


def test_mentions_are_stripped():
    assert strip_mentions("<at>Attendance Guide</at> what does C2 mean") == "what does C2 mean"


def test_hmac_good_bad_missing_and_changed_body():
    body = b'{"type":"message","text":"<at>Guide</at> code U"}'
    header = sign(body, SECRET)
    assert verify(body, header, SECRET)
    assert not verify(body, "HMAC AAAA", SECRET)
    assert not verify(body, "", SECRET)
    assert not verify(body.replace(b"code U", b"code N"), header, SECRET)  # a replayed signature on a changed body
    assert not verify(body, header, base64.b64encode(b"other" * 8).decode())
    assert not verify(body, header, "not base64!")


def _posts(app, *requests):
    """Send (path, body, headers) requests to the app on one loop; return (status, json) for each."""
    async def go():
        out = []
        async with TestClient(TestServer(app, host="127.0.0.1")) as client:
            for path, body, headers in requests:
                response = await client.post(path, data=body, headers=headers)
                out.append((response.status, await response.json()))
        return out
    return asyncio.run(go())


def _post(app, path, body: bytes, headers: dict):
    return _posts(app, (path, body, headers))[0]


@pytest.fixture
def web_app(mini, monkeypatch):
    monkeypatch.setenv("TEST_OWH_SECRET", SECRET)
    settings = Settings(teams_development_mode=True, teams_webhook_secret_env="TEST_OWH_SECRET")
    return build_web_app(Assistant(mini, settings, Store()), settings)


def test_webhook_answers_signed_requests_and_refuses_others(web_app):
    body = json.dumps({"type": "message", "text": "<at>Guide</at> how long can the register stay open",
                       "from": {"id": "29:abc", "name": "Ann"}}).encode()
    changed = body.replace(b"register", b"registers")
    good, bad, missing, replayed = _posts(web_app, ("/api/webhook", body, {"Authorization": sign(body, SECRET)}),
                                          ("/api/webhook", body, {"Authorization": "HMAC AAAA"}),
                                          ("/api/webhook", body, {}),
                                          ("/api/webhook", changed, {"Authorization": sign(body, SECRET)}))
    assert good[0] == 200 and good[1]["type"] == "message" and "30 minutes" in good[1]["text"]
    assert bad[0] == missing[0] == replayed[0] == 401


def test_webhook_not_configured_says_so(mini):
    settings = Settings(teams_development_mode=True, teams_webhook_secret_env="NO_SUCH_SECRET_VARIABLE")
    app = build_web_app(Assistant(mini, settings, Store()), settings)
    assert _post(app, "/api/webhook", b"{}", {"Authorization": "HMAC x"})[0] == 503


def _activity(text=None, value=None, conversation_type="personal"):
    data = {"type": "message", "id": "1", "channelId": "msteams", "serviceUrl": "http://127.0.0.1:9/unused",
            "deliveryMode": "expectReplies", "from": {"id": "29:user", "name": "Ann"},
            "recipient": {"id": "28:bot", "name": "Guide"},
            "conversation": {"id": "conv-1", "conversationType": conversation_type}}
    if text is not None:
        data["text"] = text
    if value is not None:
        data["value"] = value
    return json.dumps(data).encode()


def test_bot_endpoint_answers_with_cards_and_card_actions(web_app):
    json_header = {"Content-Type": "application/json"}
    (status, data), (_, after) = _posts(
        web_app, ("/api/messages", _activity("help me decide if a pupil is late"), json_header),
        ("/api/messages", _activity(value={"action": "opt:mini-tree:onsite:0"}), json_header))
    assert status == 200
    reply = data["activities"][0]
    content = reply["attachments"][0]["content"]
    assert reply["attachments"][0]["contentType"] == "application/vnd.microsoft.card.adaptive"
    assert content["actions"][0] == {"type": "Action.Submit", "title": "Yes",
                                     "data": {"action": "opt:mini-tree:onsite:0"}}
    assert "Late before the register closed." in json.dumps(after["activities"])


def test_authenticated_mode_needs_app_id_and_secret(mini):
    with pytest.raises(ChannelSetupError, match="MICROSOFT_APP_ID"):
        build_web_app(Assistant(mini), Settings(), environ={})
    app = build_web_app(Assistant(mini), Settings(), environ={"MICROSOFT_APP_ID": "id",
                                                              "MICROSOFT_APP_PASSWORD": "secret"})
    status, _ = _post(app, "/api/messages", _activity("hello"), {"Content-Type": "application/json"})
    assert status == 401  # no bearer token: refused by JWT validation


def test_welcome_when_the_bot_is_added(web_app):
    activity = json.dumps({
        "type": "conversationUpdate", "id": "2", "channelId": "msteams", "serviceUrl": "http://127.0.0.1:9/unused",
        "deliveryMode": "expectReplies", "from": {"id": "29:user"}, "recipient": {"id": "28:bot"},
        "conversation": {"id": "conv-2"}, "membersAdded": [{"id": "29:user"}]}).encode()
    status, data = _post(web_app, "/api/messages", activity, {"Content-Type": "application/json"})
    assert status == 200
    assert "don't type children's names" in json.dumps(data["activities"])
