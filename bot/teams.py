"""The Microsoft Teams channel: a Microsoft 365 Agents SDK bot and an outgoing-webhook endpoint; no guidance logic."""
from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
import logging
import os
import re
import warnings

from aiohttp import web
from microsoft_agents.activity import Activity, ActivityTypes
from microsoft_agents.hosting.aiohttp import CloudAdapter, jwt_authorization_decorator, start_agent_process
from microsoft_agents.hosting.core import (AgentApplication, AgentAuthConfiguration, AnonymousTokenProvider,
                                           CardFactory, ConnectionManager, MemoryStorage, MessageFactory,
                                           TurnContext, TurnState)

from guidance.assistant import Assistant
from guidance.config import Settings
from guidance.models import Reply

from .errors import ChannelSetupError, error_reply, log_failure, valid_text
from .render import blocks, markdown
from .serving import EngineRunner, thread_bound

log = logging.getLogger("bot.teams")

WELCOME = ("Hello. I answer questions about school attendance in Hampshire: register codes, alternative provision, "
           "referrals, thresholds and more. Please don't type children's names or details that could identify "
           "a child.")
MENTION = re.compile(r"<at>.*?</at>", re.IGNORECASE | re.DOTALL)
CARD_SCHEMA = "http://adaptivecards.io/schemas/adaptive-card.json"
MAX_WEBHOOK_BODY = 256 * 1024
MAX_ROW = 6  # Teams shows at most six buttons in one row of a card
AUTH_FAILED = {"error": "Invalid token or authentication failed."}
# The engine is synchronous (knowledge search, SQLite): it runs here, never on the event loop, so one slow call
# only ever holds one of these workers while every other conversation carries on.



def strip_mentions(text: str) -> str:
    """Remove Teams @mention markup from a message."""
    return MENTION.sub(" ", text or "").strip()


def card(reply: Reply) -> dict:
    """Render a reply as an Adaptive Card: the title, the text, and each button as an Action.Submit.

    Every line of the text is its own TextBlock (Teams markdown joins single line breaks) and consecutive list
    items share one TextBlock separated by "\r", the list syntax Adaptive Cards document. Teams shows at most
    MAX_ROW buttons in a row, so a card with more buttons lays them out as several ActionSet rows in the body
    instead of one "actions" list that would hide the rest."""
    title, sep, body = reply.text.partition("\n\n")
    if not sep or "\n" in title:
        title, body = (reply.title or ""), reply.text
        if _words(body).startswith(_words(title)):  # "Correct" over "Correct. ...": the text says it already
            title = ""
    items: list[dict] = []
    if title:
        items.append({"type": "TextBlock", "text": title, "weight": "Bolder", "size": "Medium", "wrap": True})
    for block in blocks(body):
        text = "\r".join(block.lines) if block.is_list else block.lines[0]
        items.append({"type": "TextBlock", "text": text, "wrap": True,
                      "spacing": "Medium" if block.new_paragraph else "Small"})
    actions = [{"type": "Action.Submit", "title": b.label, "data": {"action": b.action}} for b in reply.buttons]
    content = {"type": "AdaptiveCard", "$schema": CARD_SCHEMA, "version": "1.4", "body": items}
    if len(actions) <= MAX_ROW:
        content["actions"] = actions
    else:
        content["actions"] = []
        items.extend({"type": "ActionSet", "actions": row, "spacing": "Small"} for row in rows(actions))
    return content


def _words(text: str) -> str:
    return " ".join(re.findall(r"\w+", text.lower()))


def rows(actions: list, size: int = MAX_ROW) -> list[list]:
    """Split actions into the fewest rows of at most size, as even as possible (9 -> 5 and 4, not 6 and 3)."""
    count = -(-len(actions) // size) if actions else 0
    base, extra = divmod(len(actions), count) if count else (0, 0)
    out, at = [], 0
    for i in range(count):
        width = base + (1 if i < extra else 0)
        out.append(actions[at:at + width])
        at += width
    return out


def activity_for(reply: Reply) -> Activity:
    """A card when the reply has buttons to press; plain markdown text (every line kept) otherwise."""
    if reply.buttons:
        return MessageFactory.attachment(CardFactory.adaptive_card(card(reply)))
    return MessageFactory.text(markdown(reply.text))


async def read_body(request: web.Request, limit: int) -> bytes | None:
    """The whole request body however many TCP writes or chunks it came in, or None when it exceeds limit
    (a declared Content-Length over the limit is refused without reading anything)."""
    if request.content_length is not None and request.content_length > limit:
        return None
    body = bytearray()
    async for chunk in request.content.iter_any():
        body += chunk
        if len(body) > limit:
            return None
    return bytes(body)


async def healthz(request: web.Request) -> web.Response:
    """Liveness for monitoring: the server is up and answering."""
    return web.json_response({"status": "ok"})


def sign(body: bytes, secret_b64: str) -> str:
    """The Authorization header value Teams sends with an outgoing-webhook request."""
    key = base64.b64decode(secret_b64)
    return "HMAC " + base64.b64encode(hmac.new(key, body, hashlib.sha256).digest()).decode()


def verify(body: bytes, header: str, secret_b64: str) -> bool:
    """True when the header is the HMAC-SHA256 of the exact body under the shared secret."""
    if not header or not secret_b64:
        return False
    try:
        expected = sign(body, secret_b64)
    except (binascii.Error, ValueError):
        return False
    return hmac.compare_digest(header.strip().encode(), expected.encode())


class TeamsChannel(EngineRunner):
    """Connects one Assistant to Teams: messages and card actions in, cards and text out."""

    def __init__(self, assistant: Assistant, settings: Settings):
        self.assistant = assistant
        self.settings = settings
        self.inline_engine = thread_bound(getattr(assistant, "store", None))

    @staticmethod
    def ids(activity: Activity) -> tuple[str, str | None, str | None]:
        """The assistant's user id, group id (group chats and channels) and display name for an activity."""
        sender = activity.from_property
        user = valid_text(f"teams:{getattr(sender, 'aad_object_id', None) or getattr(sender, 'id', None)}")
        conversation = activity.conversation
        kind = getattr(conversation, "conversation_type", None)
        group = valid_text(f"teams:{conversation.id}") if kind in ("groupChat", "channel") else None
        name = getattr(sender, "name", None)
        return user, group, valid_text(name) if isinstance(name, str) else None

    def replies_for(self, activity: Activity) -> list[Reply]:
        """Send a message or a card action to the assistant."""
        user, group, name = self.ids(activity)
        value = activity.value if isinstance(activity.value, dict) else {}
        action = value.get("action")
        if isinstance(action, str) and action:
            return self.assistant.handle(user, action=valid_text(action), group=group, name=name)
        text = activity.text if isinstance(activity.text, str) else ""
        return self.assistant.handle(user, text=valid_text(strip_mentions(text)), group=group, name=name)

    async def on_message(self, context: TurnContext, state: TurnState) -> None:
        """Answer a message or a card action with the assistant's replies; a failure gets a friendly reply."""
        try:
            for reply in await self.engine(self.replies_for, context.activity):
                await context.send_activity(activity_for(reply))
        except Exception as exc:  # never the exception's text: it may quote what was typed
            await self.on_turn_error(context, exc)

    async def on_members_added(self, context: TurnContext, state: TurnState) -> None:
        """Welcome people when the bot is added, with the privacy notice."""
        bot_id = context.activity.recipient.id if context.activity.recipient else None
        try:
            for member in context.activity.members_added or []:
                if member.id != bot_id:
                    user = valid_text(f"teams:{getattr(member, 'aad_object_id', None) or member.id}")
                    greeting = await self.engine(self.assistant.session.greeting, user, WELCOME)
                    await context.send_activity(activity_for(greeting))
        except Exception as exc:
            await self.on_turn_error(context, exc)

    @staticmethod
    async def on_turn_error(context: TurnContext, error: Exception) -> None:
        """Log a failed turn by exception class and send a friendly message. Also installed as the adapter's
        on_turn_error, replacing the SDK default that sends 'Exception caught : <message>' to the user."""
        log_failure(log, "Teams turn", error)
        try:
            await context.send_activity(MessageFactory.text(error_reply(error).text))
        except Exception as exc:
            log_failure(log, "Teams error reply", exc)

    async def webhook(self, request: web.Request) -> web.Response:
        """The outgoing-webhook endpoint: verify the HMAC signature, then answer synchronously as text."""
        secret = os.environ.get(self.settings.teams_webhook_secret_env, "").strip()
        if not secret:
            return web.json_response({"type": "message", "text": "The outgoing webhook is not configured."},
                                     status=503)
        body = await read_body(request, MAX_WEBHOOK_BODY)
        if body is None:  # before the signature check: an oversized body is never hashed
            return web.json_response({"type": "message", "text": "Message too large."}, status=413)
        if not verify(body, request.headers.get("Authorization", ""), secret):
            return web.json_response({"type": "message", "text": "Sender could not be authenticated."}, status=401)
        try:
            data = json.loads(body)
        except (ValueError, RecursionError):
            return web.json_response({"type": "message", "text": "The request body is not JSON."}, status=400)
        if not isinstance(data, dict):
            return web.json_response({"type": "message", "text": "The request body must be a JSON object."},
                                     status=400)
        sender = data.get("from")
        if not isinstance(sender, dict) or not (sender.get("aadObjectId") or sender.get("id")):
            return web.json_response({"type": "message", "text": "The request names no sender."}, status=400)
        user = valid_text(f"teams:{sender.get('aadObjectId') or sender.get('id')}")
        text = data.get("text")
        text = valid_text(strip_mentions(text if isinstance(text, str) else ""))
        name = sender.get("name")
        try:
            replies = await self.engine(self.assistant.handle, user, text=text,
                                        name=valid_text(name) if isinstance(name, str) else None)
        except Exception as exc:  # a friendly message in the chat, never the exception's text
            log_failure(log, "Teams webhook", exc)
            replies = [error_reply(exc)]
        parts = []
        for reply in replies:
            part = reply.text
            if reply.suggestions:
                part += "\n\nRelated: " + "; ".join(reply.suggestions)
            parts.append(part)
        return web.json_response({"type": "message", "text": markdown("\n\n".join(parts))})


def auth_configuration(settings: Settings, environ=os.environ) -> AgentAuthConfiguration:
    """The SDK's auth settings: anonymous in development mode, else the app id and secret from the environment."""
    if settings.teams_development_mode:
        return AgentAuthConfiguration(anonymous_allowed=True)
    app_id = environ.get(settings.teams_app_id_env, "").strip()
    secret = environ.get(settings.teams_app_password_env, "").strip()
    missing = [name for name, value in ((settings.teams_app_id_env, app_id),
                                        (settings.teams_app_password_env, secret)) if not value]
    if missing:
        raise ChannelSetupError(
            f"Teams needs the bot's app id and secret in the environment ({', '.join(missing)} not set). "
            "For a local try-out with the Agents Playground set teams_development_mode: true in config.yaml.")
    tenant = environ.get(settings.teams_tenant_id_env, "").strip() or None
    return AgentAuthConfiguration(client_id=app_id, client_secret=secret, tenant_id=tenant)


def build_web_app(assistant: Assistant, settings: Settings, environ=os.environ) -> web.Application:
    """Build the aiohttp application serving POST /api/messages (the bot), POST /api/webhook and GET /healthz."""
    config = auth_configuration(settings, environ)
    if config.ANONYMOUS_ALLOWED:
        connections = ConnectionManager(provider_factory=lambda cfg: AnonymousTokenProvider(),
                                        connections_configurations={"SERVICE_CONNECTION": config})
    else:
        from microsoft_agents.authentication.msal import MsalConnectionManager

        connections = MsalConnectionManager(connections_configurations={"SERVICE_CONNECTION": config})
    adapter = CloudAdapter(connection_manager=connections)
    adapter.on_turn_error = TeamsChannel.on_turn_error
    agent = AgentApplication[TurnState](storage=MemoryStorage(), connection_manager=connections)
    channel = TeamsChannel(assistant, settings)
    agent.conversation_update("membersAdded")(channel.on_members_added)
    agent.activity(ActivityTypes.message)(channel.on_message)

    async def process(request: web.Request) -> web.Response:
        """After authentication: refuse a body that is not one activity object (400), then run the turn."""
        try:
            data = json.loads(await request.read())
        except (ValueError, RecursionError):
            return web.json_response({"error": "The request body is not JSON."}, status=400)
        if not isinstance(data, dict):
            return web.json_response({"error": "The request body must be a JSON object (an activity)."}, status=400)
        try:
            Activity.model_validate(data)
        except ValueError:  # pydantic's ValidationError: fields of the wrong type
            return web.json_response({"error": "The request body is not a valid activity."}, status=400)
        return await start_agent_process(request, request.app["agent_app"], request.app["adapter"])

    async def messages(request: web.Request) -> web.Response:
        """The bot endpoint: JWT validation first (any failure in it is a 401, never a 500), then the turn."""
        authenticated = False

        async def authorised(req: web.Request) -> web.Response:
            nonlocal authenticated
            authenticated = True
            return await process(req)
        try:
            return await jwt_authorization_decorator(authorised)(request)
        except web.HTTPException:
            raise
        except Exception as exc:  # logged by class only; the body says nothing about the cause
            log_failure(log, "Teams request", exc)
            if not authenticated:
                return web.json_response(AUTH_FAILED, status=401)
            return web.json_response({"error": "The message could not be processed."}, status=500)

    app = web.Application()  # JWT checks guard /api/messages only: the webhook has its own HMAC check
    app.router.add_post("/api/messages", messages)
    app.router.add_post("/api/webhook", channel.webhook)
    app.router.add_get("/healthz", healthz)
    with warnings.catch_warnings():  # the SDK looks these up by plain string keys
        warnings.simplefilter("ignore", web.NotAppKeyWarning)
        app["agent_configuration"] = config
        app["agent_app"] = agent
        app["adapter"] = adapter
    return app


def run(assistant: Assistant, settings: Settings) -> None:
    """Serve the Teams endpoints until stopped."""
    logging.basicConfig(format="%(asctime)s %(levelname)s %(name)s: %(message)s", level=logging.INFO)
    app = build_web_app(assistant, settings)
    mode = "development mode (anonymous)" if settings.teams_development_mode else "authenticated"
    log.info("Teams endpoint on http://%s:%s/api/messages, %s", settings.teams_host, settings.teams_port, mode)
    web.run_app(app, host=settings.teams_host, port=settings.teams_port, print=None)
