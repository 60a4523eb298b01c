"""Teams channel units: Adaptive Card rendering, the webhook's HMAC check, and the bot endpoint in process."""
import asyncio
import base64
import json
import logging

import pytest
from aiohttp.test_utils import TestClient, TestServer

from bot.errors import BUSY_TEXT, FAILED_TEXT, ChannelSetupError
from bot.settings import TeamsSettings
from bot.teams import TeamsChannel, build_web_app, card, sign, strip_mentions, verify
from guidance.assistant import Assistant
from guidance.config import Settings
from guidance.models import Button, Reply
from guidance.store import Store, StoreBusy

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


def test_card_leaves_out_a_title_the_text_already_starts_with():
    feedback = Reply(kind="quiz", title="Correct", text="Correct.\nMissing education can signal neglect.",
                     buttons=(Button("Read the full guidance", "open:x"),))
    assert [b["text"] for b in card(feedback)["body"]] == ["Correct.", "Missing education can signal neglect."]
    other = Reply(kind="fallback", title="No confident answer", text="I won't guess.", buttons=(Button("Help", "help"),))
    assert [b["text"] for b in card(other)["body"]] == ["No confident answer", "I won't guess."]


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
    teams = TeamsSettings(teams_development_mode=True, teams_webhook_secret_env="TEST_OWH_SECRET")
    return build_web_app(Assistant(mini, Settings(), Store()), teams)


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
    teams = TeamsSettings(teams_development_mode=True, teams_webhook_secret_env="NO_SUCH_SECRET_VARIABLE")
    app = build_web_app(Assistant(mini, Settings(), Store()), teams)
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
        build_web_app(Assistant(mini), TeamsSettings(), environ={})
    app = build_web_app(Assistant(mini), TeamsSettings(), environ={"MICROSOFT_APP_ID": "id",
                                                                   "MICROSOFT_APP_PASSWORD": "secret"})
    status, _ = _post(app, "/api/messages", _activity("hello"), {"Content-Type": "application/json"})
    assert status == 401  # no bearer token: refused by JWT validation


def _members_added() -> bytes:
    """The activity Teams sends when someone adds the bot."""
    return json.dumps({
        "type": "conversationUpdate", "id": "2", "channelId": "msteams", "serviceUrl": "http://127.0.0.1:9/unused",
        "deliveryMode": "expectReplies", "from": {"id": "29:user"}, "recipient": {"id": "28:bot"},
        "conversation": {"id": "conv-2"}, "membersAdded": [{"id": "29:user"}]}).encode()


def test_welcome_when_the_bot_is_added(web_app):
    status, data = _post(web_app, "/api/messages", _members_added(), {"Content-Type": "application/json"})
    assert status == 200
    assert "don't type children's names" in json.dumps(data["activities"])


# -- errors never reach people as exception text; bad requests are refused with the right status --------------
def _failing(app_assistant, exc):
    def boom(*args, **kwargs):
        raise exc
    app_assistant.handle = boom


@pytest.fixture
def dev(mini, monkeypatch):
    """A development-mode app and its assistant, so a test can make the assistant fail."""
    monkeypatch.setenv("TEST_OWH_SECRET", SECRET)
    teams = TeamsSettings(teams_development_mode=True, teams_webhook_secret_env="TEST_OWH_SECRET")
    assistant = Assistant(mini, Settings(), Store())
    return build_web_app(assistant, teams), assistant


def test_a_failing_turn_shows_a_friendly_message_not_the_exception(dev, caplog):
    app, assistant = dev
    _failing(assistant, RuntimeError("secret pupil name Jo Bloggs"))
    with caplog.at_level(logging.ERROR):
        status, data = _post(app, "/api/messages", _activity("what does code U mean"),
                             {"Content-Type": "application/json"})
    assert status == 200
    shown = json.dumps(data)
    assert "Exception caught" not in shown and "Jo Bloggs" not in shown and "RuntimeError" not in shown
    assert FAILED_TEXT in shown
    assert "RuntimeError" in caplog.text and "Jo Bloggs" not in caplog.text


def test_an_error_while_sending_is_still_friendly(dev, monkeypatch):
    app, _ = dev

    def broken(reply):
        raise ValueError("secret pupil name Jo Bloggs")
    monkeypatch.setattr("bot.teams.activity_for", broken)
    status, data = _post(app, "/api/messages", _activity("hello"), {"Content-Type": "application/json"})
    shown = json.dumps(data)
    assert status == 200 and "Exception caught" not in shown and "Jo Bloggs" not in shown and FAILED_TEXT in shown


def test_the_adapter_turn_error_hook_is_replaced(dev):
    app, _ = dev
    sent = []

    class Context:
        async def send_activity(self, activity):
            sent.append(activity.text)
    assert app["adapter"].on_turn_error is TeamsChannel.on_turn_error
    asyncio.run(app["adapter"].on_turn_error(Context(), RuntimeError("secret pupil name")))
    asyncio.run(app["adapter"].on_turn_error(Context(), StoreBusy("locked")))
    assert sent == [FAILED_TEXT, BUSY_TEXT]


def test_a_locked_database_says_busy_in_teams_and_the_webhook(dev):
    app, assistant = dev
    _failing(assistant, StoreBusy("locked"))
    body = json.dumps({"type": "message", "text": "code U", "from": {"id": "29:abc"}}).encode()
    (_, bot), (status, hook) = _posts(app, ("/api/messages", _activity("code U"), {"Content-Type": "application/json"}),
                                      ("/api/webhook", body, {"Authorization": sign(body, SECRET)}))
    assert BUSY_TEXT in json.dumps(bot) and status == 200 and hook["text"] == BUSY_TEXT


def _unsigned_jwt() -> str:
    def part(data: dict) -> str:
        return base64.urlsafe_b64encode(json.dumps(data).encode()).rstrip(b"=").decode()
    return f"{part({'alg': 'none', 'typ': 'JWT'})}.{part({'aud': 'id', 'iss': 'https://api.botframework.com'})}."


@pytest.mark.parametrize("header", [f"Bearer {_unsigned_jwt()}", "Bearer not.a.jwt", "Bearer x", "Basic abc",
                                    "Bearer " + "e30." * 3])
def test_unsigned_or_malformed_tokens_are_401_not_500(mini, header):
    app = build_web_app(Assistant(mini), TeamsSettings(), environ={"MICROSOFT_APP_ID": "id",
                                                                   "MICROSOFT_APP_PASSWORD": "secret"})
    status, data = _post(app, "/api/messages", _activity("hello"), {"Content-Type": "application/json",
                                                                    "Authorization": header})
    assert status == 401 and "Exception" not in json.dumps(data)


@pytest.mark.parametrize("body", [b"[1, 2]", b"[]", b"42", b'"text"', b"null", b"true", b"not json", b"\xff\xfe",
                                  b"[" * 5000 + b"]" * 5000, b'{"type": 5, "conversation": []}'])
def test_bot_endpoint_refuses_bodies_that_are_not_an_activity_object(web_app, body):
    status, data = _post(web_app, "/api/messages", body, {"Content-Type": "application/json"})
    assert status == 400 and "error" in data


@pytest.mark.parametrize("body", [b"[1, 2]", b"42", b'"text"', b"null", b"[" * 5000 + b"]" * 5000])
def test_webhook_refuses_signed_bodies_that_are_not_objects(web_app, body):
    status, data = _post(web_app, "/api/webhook", body, {"Authorization": sign(body, SECRET)})
    assert status == 400 and data["type"] == "message" and "Exception" not in data["text"]


def test_webhook_failure_is_friendly_and_surrogates_are_safe(dev):
    app, assistant = dev
    real = assistant.handle

    def fails_on_boom(user, text=None, **kwargs):
        if text == "boom":
            raise KeyError("secret pupil name")
        return real(user, text=text, **kwargs)
    assistant.handle = fails_on_boom
    odd = b'{"type": "message", "text": "\\ud800 register open", "from": {"id": "\\udfff", "name": "\\ud800"}}'
    boom = json.dumps({"type": "message", "text": "boom", "from": {"id": "29:abc"}}).encode()
    (status, data), (failed, shown) = _posts(app, ("/api/webhook", odd, {"Authorization": sign(odd, SECRET)}),
                                             ("/api/webhook", boom, {"Authorization": sign(boom, SECRET)}))
    assert status == 200 and data["text"] and failed == 200 and shown["text"] == FAILED_TEXT


def test_welcome_for_an_outsider_says_how_to_get_access(mini):
    """The welcome passes the same access check: an outsider is told how to get access, not shown the menu."""
    app = build_web_app(Assistant(mini, Settings(allowed_users=("teams:someone-else",))),
                        TeamsSettings(teams_development_mode=True), environ={})
    status, data = _post(app, "/api/messages", _members_added(), {"Content-Type": "application/json"})
    assert status == 200
    sent = json.dumps(data["activities"])
    assert "open to configured users" in sent and "tree:" not in sent


# -- pictures ----------------------------------------------------------------------------------------------------------
PNG = b"\x89PNG\r\n\x1a\n" + b"\x01" * 64
ALT = "Bar chart: attendance by week, lowest in week 3 (82%)"


def _picture(png=PNG):
    from guidance.models import Image
    return Reply(kind="register", text="Attendance this term: 91%.", image=Image(png, ALT, "attendance.png"),
                 buttons=(Button("Help", "help"),))


def test_a_picture_is_shown_in_a_card_with_its_alt_text_before_the_reply(dev):
    app, assistant = dev
    assistant.handle = lambda *a, **k: [_picture()]
    status, data = _post(app, "/api/messages", _activity("show the chart"), {"Content-Type": "application/json"})
    assert status == 200
    picture, body = data["activities"]
    content = picture["attachments"][0]["content"]
    image = content["body"][0]
    assert image["type"] == "Image" and image["altText"] == ALT and content["body"][1]["text"] == ALT
    assert image["url"].startswith("data:image/png;base64,")
    assert base64.b64decode(image["url"].split(",", 1)[1]) == PNG
    assert "91%" in json.dumps(body) and body["attachments"][0]["content"]["actions"][0]["data"] == {"action": "help"}


def test_a_picture_too_large_for_teams_is_its_alt_text(dev):
    from bot.limits import TEAMS
    app, assistant = dev
    assistant.handle = lambda *a, **k: [_picture(PNG + b"\x00" * TEAMS.image_bytes)]
    _, data = _post(app, "/api/messages", _activity("show the chart"), {"Content-Type": "application/json"})
    assert data["activities"][0]["text"] == f"[Picture: {ALT}]" and "base64" not in json.dumps(data)


def test_the_outgoing_webhook_sends_a_pictures_alt_text(dev):
    app, assistant = dev
    assistant.handle = lambda *a, **k: [_picture()]
    body = json.dumps({"type": "message", "text": "chart", "from": {"id": "29:abc"}}).encode()
    status, data = _post(app, "/api/webhook", body, {"Authorization": sign(body, SECRET)})
    assert status == 200 and data["text"].startswith(f"[Picture: {ALT}]") and "91%" in data["text"]
    assert "base64" not in data["text"]


def test_a_card_too_large_for_one_teams_message_is_split_into_text_and_a_button_card(dev):
    from bot.limits import TEAMS, utf16_bytes
    app, assistant = dev
    long = Reply(kind="answer", title="A long answer", text="A long answer\n\n" + "\n\n".join(
        f"Paragraph {i}: " + "word " * 300 for i in range(12)), buttons=(Button("Helpful", "fb:x:1"),))
    assistant.handle = lambda *a, **k: [long]
    _, data = _post(app, "/api/messages", _activity("long"), {"Content-Type": "application/json"})
    sent = data["activities"]
    assert len(sent) >= 3 and all(utf16_bytes(a.get("attachments") or {"text": a["text"]}) <= TEAMS.message_bytes
                                  for a in sent)
    assert "Paragraph 0:" in sent[0]["text"] and "Paragraph 11:" in json.dumps(sent)
    assert sent[-1]["attachments"][0]["content"]["actions"][0]["data"] == {"action": "fb:x:1"}


# -- files sent to the bot ---------------------------------------------------------------------------------------------
def _file_activity(name: str, url: str = "https://contoso.sharepoint.com/personal/f/register.csv?tempauth=x") -> bytes:
    data = json.loads(_activity())
    data["attachments"] = [{"contentType": "application/vnd.microsoft.teams.file.download.info", "name": name,
                            "contentUrl": url, "content": {"downloadUrl": url, "uniqueId": "u1", "fileType": "csv"}}]
    return json.dumps(data).encode()


@pytest.fixture
def reading(dev, monkeypatch):
    """The dev app with a stand-in register reader and a stand-in download: (app, reads, fetched)."""
    app, assistant = dev
    reads, fetched = [], []

    def register_file(filename, data):
        reads.append((filename, data))
        return Reply(kind="register", text=f"Read {filename}: {len(data)} bytes.")

    async def download(url, limit=None, validator=None):
        fetched.append(url)
        return b"Pupil,AM,PM\nA,/,\\\n"
    monkeypatch.setattr(assistant, "register_file", register_file, raising=False)
    monkeypatch.setattr("bot.teams.download", download)
    return app, reads, fetched, assistant


def test_a_file_sent_to_the_bot_is_fetched_and_read(reading):
    app, reads, fetched, _ = reading
    status, data = _post(app, "/api/messages", _file_activity("register.csv"), {"Content-Type": "application/json"})
    assert status == 200 and reads == [("register.csv", b"Pupil,AM,PM\nA,/,\\\n")]
    assert fetched == ["https://contoso.sharepoint.com/personal/f/register.csv?tempauth=x"]
    assert "Read register.csv: 18 bytes." in json.dumps(data)


def test_other_files_are_never_fetched(reading):
    app, reads, fetched, _ = reading
    _, data = _post(app, "/api/messages", _file_activity("register.xlsx"), {"Content-Type": "application/json"})
    assert "not a file I can read" in json.dumps(data) and ".csv or .txt" in json.dumps(data)
    assert reads == [] and fetched == []


def test_an_outsiders_file_is_never_fetched(mini, monkeypatch):
    fetched = []

    async def download(url, limit=None, validator=None):
        fetched.append(url)
        return b"x"
    monkeypatch.setattr("bot.teams.download", download)
    settings = Settings(allowed_users=("teams:someone-else",))
    app = build_web_app(Assistant(mini, settings, Store()), TeamsSettings(teams_development_mode=True), environ={})
    _, data = _post(app, "/api/messages", _file_activity("register.csv"), {"Content-Type": "application/json"})
    assert "open to configured users" in json.dumps(data) and fetched == []


def test_a_file_over_the_cap_says_so(reading, monkeypatch):
    from bot.teams import TooLarge
    app, reads, _, _ = reading

    async def too_big(url, limit=None, validator=None):
        raise TooLarge("over")
    monkeypatch.setattr("bot.teams.download", too_big)
    _, data = _post(app, "/api/messages", _file_activity("register.csv"), {"Content-Type": "application/json"})
    assert "too large" in json.dumps(data) and "1.0 MB" in json.dumps(data) and reads == []


def test_a_pasted_picture_gets_a_clear_message(reading):
    app, reads, fetched, _ = reading
    data = json.loads(_activity())
    data["attachments"] = [{"contentType": "image/png", "contentUrl": "https://smba.trafficmanager.net/x"}]
    _, answer = _post(app, "/api/messages", json.dumps(data).encode(), {"Content-Type": "application/json"})
    assert "read pictures" in json.dumps(answer) and reads == [] and fetched == []


def test_download_reads_at_most_the_cap_and_only_from_microsoft_file_hosts():
    from aiohttp import web
    from microsoft_agents.hosting.core import OutboundHostValidator

    from bot.teams import DownloadError, TooLarge, download

    async def small(request):
        return web.Response(body=b"a,b\n1,2\n")

    async def missing(request):
        return web.Response(status=404)

    async def endless(request):     # no Content-Length: the cap must hold while streaming
        response = web.StreamResponse()
        await response.prepare(request)
        for _ in range(64):
            await response.write(b"x" * 16 * 1024)
        return response

    async def go():
        app = web.Application()
        app.router.add_get("/small", small)
        app.router.add_get("/endless", endless)
        app.router.add_get("/missing", missing)
        server = TestServer(app, host="127.0.0.1")
        await server.start_server()
        base = f"http://127.0.0.1:{server.port}"
        permissive = OutboundHostValidator(enabled=False)   # the test server is on loopback
        try:
            assert await download(f"{base}/small", 100, permissive) == b"a,b\n1,2\n"
            with pytest.raises(TooLarge):
                await download(f"{base}/endless", 100_000, permissive)
            with pytest.raises(DownloadError, match="404"):
                await download(f"{base}/missing", 100, permissive)
            with pytest.raises(DownloadError, match="not a Microsoft file host"):
                await download(f"{base}/small", 100)                   # loopback, plain http: refused
        finally:
            await server.close()
        for url in ("https://example.com/register.csv", "https://10.0.0.5/register.csv",
                    "http://contoso.sharepoint.com/register.csv"):
            with pytest.raises(DownloadError, match="not a Microsoft file host"):
                await download(url, 100)
    asyncio.run(go())
    assert OutboundHostValidator(enabled=True).is_allowed("https://contoso.sharepoint.com/personal/register.csv")


def test_the_readme_playground_command_keeps_its_log_out_of_the_repository():
    from tests.conftest import ROOT
    readme = (ROOT / "README.md").read_text()
    command = next(line for line in readme.splitlines() if "m365agentsplayground/cli.js start" in line)
    assert "M365_AGENTS_PLAYGROUND_LOGFILE=/tmp/" in command   # the playground's own variable for its log file
    assert "tests/e2e/devTools/" in (ROOT / ".gitignore").read_text().split()   # its default place, if it is unset
