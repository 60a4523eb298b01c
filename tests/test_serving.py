"""Serving: the synchronous engine runs off the event loop, so one slow call never stalls another person."""
import asyncio
import json
import threading
import time
from types import SimpleNamespace

from aiohttp.test_utils import TestClient, TestServer

from bot.settings import TeamsSettings
from bot.teams import TeamsChannel, build_web_app, sign
from bot.telegram import OrderedPerChat, TelegramChannel
from guidance.models import Reply
from tests.telegram_fake import FakeTelegram, text_update
from tests.test_teams import SECRET

SLOW_SECONDS = 0.5


class SlowForA:
    """A stand-in assistant: answering user A takes half a second (a slow search, a locked database), B is quick.
    It records which thread ran each call and when each call finished."""

    store = None

    def __init__(self, slow: str):
        self.slow = slow
        self.threads: list[str] = []
        self.finished: dict[str, float] = {}
        self.session = SimpleNamespace(greeting=self.greeting)

    def _work(self, user: str) -> None:
        self.threads.append(threading.current_thread().name)
        if user == self.slow:
            time.sleep(SLOW_SECONDS)
        self.finished[user] = time.monotonic()

    def handle(self, user, text=None, action=None, group=None, name=None):
        self._work(user)
        return [Reply(kind="answer", text=f"Answer for {user}")]

    def greeting(self, user, lead=""):
        self._work(user)
        return Reply(kind="help", text=f"Hello {user}")


def test_telegram_a_slow_answer_for_one_person_does_not_hold_up_another():
    assistant = SlowForA("tg:1")
    fake = FakeTelegram()
    app = TelegramChannel(assistant).build("1:TEST", request=fake, updates_request=FakeTelegram())
    assert isinstance(app.update_processor, OrderedPerChat)

    async def go():
        async with app:
            await app.start()
            started_a = time.monotonic()
            await app.update_queue.put(text_update(app.bot, "a slow question", uid=1))
            await asyncio.sleep(0.05)
            started_b = time.monotonic()
            await app.update_queue.put(text_update(app.bot, "a quick question", uid=2))
            for _ in range(500):
                if len(fake.sent("sendMessage")) == 2:
                    break
                await asyncio.sleep(0.01)
            await app.stop()
        return started_a, started_b

    started_a, started_b = asyncio.run(go())
    sends = [(t, p) for (n, p), t in zip(fake.calls, fake.times) if n == "sendMessage"]
    assert [p["chat_id"] for _, p in sends] == [2, 1]  # B was answered first, though A asked first
    (sent_b, _), (sent_a, _) = sends
    assert started_a < started_b < sent_b < sent_a
    assert sent_a - sent_b > 0.3  # B did not wait for A's half-second call
    assert all(name.startswith("engine") for name in assistant.threads)


def test_telegram_one_chats_updates_keep_their_order():
    assistant = SlowForA("tg:1")
    fake = FakeTelegram()
    app = TelegramChannel(assistant).build("1:TEST", request=fake, updates_request=FakeTelegram())

    async def go():
        async with app:
            await app.start()
            await app.update_queue.put(text_update(app.bot, "first", uid=1))
            await app.update_queue.put(text_update(app.bot, "second", uid=1))
            for _ in range(500):
                if len(fake.sent("sendMessage")) == 2:
                    break
                await asyncio.sleep(0.01)
            await app.stop()

    asyncio.run(go())
    first, second = [t for (n, _), t in zip(fake.calls, fake.times) if n == "sendMessage"]
    assert second - first > 0.3  # the second waited for the first: one person's turns never overlap


def _signed(text: str, sender: str) -> tuple[bytes, dict]:
    body = json.dumps({"type": "message", "text": text, "from": {"id": sender, "name": sender}}).encode()
    return body, {"Authorization": sign(body, SECRET), "Content-Type": "application/json"}


def test_teams_webhook_a_slow_answer_does_not_hold_up_another(monkeypatch):
    monkeypatch.setenv("TEST_OWH_SECRET", SECRET)
    teams = TeamsSettings(teams_development_mode=True, teams_webhook_secret_env="TEST_OWH_SECRET")
    assistant = SlowForA("teams:a")
    app = build_web_app(assistant, teams)
    done: dict[str, float] = {}

    async def go():
        async with TestClient(TestServer(app, host="127.0.0.1")) as client:
            async def post(sender, delay):
                await asyncio.sleep(delay)
                body, headers = _signed("a question", sender)
                response = await client.post("/api/webhook", data=body, headers=headers)
                done[sender] = time.monotonic()
                return response.status, await response.json()
            return await asyncio.gather(post("a", 0), post("b", 0.05))

    (status_a, reply_a), (status_b, reply_b) = asyncio.run(go())
    assert status_a == status_b == 200
    assert "teams:a" in reply_a["text"] and "teams:b" in reply_b["text"]
    assert done["b"] < done["a"] and done["a"] - done["b"] > 0.3
    assert all(name.startswith("engine") for name in assistant.threads)


class _Context:
    def __init__(self, activity, sent: list):
        self.activity = activity
        self._sent = sent

    async def send_activity(self, activity):
        self._sent.append((self.activity.from_property.id, time.monotonic()))


def test_teams_bot_messages_and_welcomes_run_off_the_event_loop():
    assistant = SlowForA("teams:a")
    channel = TeamsChannel(assistant)
    sent: list = []

    def message(sender):
        return SimpleNamespace(from_property=SimpleNamespace(id=sender, aad_object_id=None, name=None),
                               conversation=SimpleNamespace(id="c", conversation_type="personal"),
                               value=None, text="a question")

    async def go():
        async def later(coroutine):
            await asyncio.sleep(0.05)
            await coroutine
        members = SimpleNamespace(from_property=SimpleNamespace(id="b"), recipient=SimpleNamespace(id="bot"),
                                  members_added=[SimpleNamespace(id="b", aad_object_id=None)])
        await asyncio.gather(channel.on_message(_Context(message("a"), sent), None),
                             later(channel.on_members_added(_Context(members, sent), None)))

    asyncio.run(go())
    assert [who for who, _ in sent] == ["b", "a"]  # the welcome did not wait for A's slow answer
    assert sent[1][1] - sent[0][1] > 0.3
    assert all(name.startswith("engine") for name in assistant.threads)
