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

import aiohttp
from aiohttp import web
from microsoft_agents.activity import Activity, ActivityTypes, DeliveryModes
from microsoft_agents.hosting.aiohttp import CloudAdapter, jwt_authorization_decorator, start_agent_process
from microsoft_agents.hosting.core import (AgentApplication, AgentAuthConfiguration, AnonymousTokenProvider,
                                           CardFactory, ConnectionManager, MemoryStorage, MessageFactory,
                                           OutboundHostValidator, TurnContext, TurnState)

from guidance.assistant import Assistant
from guidance.models import Reply

from .cards import CARD_SCHEMA, MAX_ROW, card, image_card, rows  # noqa: F401  (rendering lives in bot.cards)
from .errors import ChannelSetupError, error_reply, log_failure, valid_text
from .files import MAX_UPLOAD_BYTES, not_fetched, picture_refusal, too_large, upload_refusal
from .limits import TEAMS, TEAMS_WEBHOOK, Limits, utf16_bytes
from .output import CollectingOutput, Output, Pressed
from .render import markdown
from .serving import EngineRunner, thread_bound
from .settings import TeamsSettings

log = logging.getLogger("bot.teams")

WELCOME = ("Hello. I answer questions about school attendance in Hampshire: register codes, alternative provision, "
           "referrals, thresholds and more. Please don't type children's names or details that could identify "
           "a child.")
MENTION = re.compile(r"<at>.*?</at>", re.IGNORECASE | re.DOTALL)
MAX_WEBHOOK_BODY = 256 * 1024
AUTH_FAILED = {"error": "Invalid token or authentication failed."}
FILE_DOWNLOAD_INFO = "application/vnd.microsoft.teams.file.download.info"  # a file sent to the bot in a chat
DOWNLOAD_SECONDS = 30
CUT_SHORT = "(The answer was too long for one message here: ask the Teams bot for all of it.)"


def strip_mentions(text: str) -> str:
    """Remove Teams @mention markup from a message."""
    return MENTION.sub(" ", text or "").strip()


def activity_for(reply: Reply) -> Activity:
    """A card when the reply has buttons to press; plain markdown text (every line kept) otherwise."""
    if reply.buttons:
        return MessageFactory.attachment(CardFactory.adaptive_card(card(reply)))
    return MessageFactory.text(markdown(reply.text))


def fit(text: str, limit: int) -> list[str]:
    """Text cut at paragraph (or line) breaks into pieces that each fit in one message of `limit` bytes."""
    pieces: list[str] = []
    current = ""
    for part in re.split(r"(?<=\n\n)", text):
        while utf16_bytes({"text": part}) > limit:   # one paragraph longer than a message: cut it by lines, then hard
            cut = part.rfind("\n", 0, limit // 4) if "\n" in part[: limit // 4] else -1
            cut = cut if cut > 0 else limit // 4
            if current:
                pieces.append(current)
                current = ""
            pieces.append(part[:cut])
            part = part[cut:]
        if current and utf16_bytes({"text": current + part}) > limit:
            pieces.append(current)
            current = ""
        current += part
    if current:
        pieces.append(current)
    return [p.strip("\n") for p in pieces if p.strip()] or [""]


class TeamsOutput(Output):
    """Sends replies into one Teams conversation: buttons on Adaptive Cards (rows of six), pictures in a card with
    their alt text, and any message too large for Teams split into several."""

    limits = TEAMS

    def __init__(self, context: TurnContext, limits: Limits = TEAMS):
        super().__init__()
        self.context = context
        self.limits = limits

    async def send_text(self, text: str) -> None:
        for piece in fit(markdown(text), self.limits.message_bytes):
            await self.context.send_activity(MessageFactory.text(piece))

    async def send_buttons(self, reply: Reply) -> None:
        """The reply as one card; a card too large for one Teams message becomes its text as messages, then a card
        with the title and the buttons."""
        activity = activity_for(reply)
        if utf16_bytes(activity.attachments[0].content) <= self.limits.message_bytes:
            await self.context.send_activity(activity)
            return
        await self.send_text(reply.text)
        short = Reply(kind=reply.kind, text=reply.title or "Choose:", buttons=reply.buttons, role=reply.role)
        await self.context.send_activity(activity_for(short))

    async def edit(self, pressed: Pressed, reply: Reply) -> bool:
        """Put a walk-through's next step in the card whose button was pressed (the Action.Submit's replyToId),
        through the connector's update activity. Not where the replies ride in the HTTP response (expectReplies,
        so there is no card to update), nor for a step too large for one card; a refused update is logged and the
        step comes as a new message."""
        card_id = pressed.message if isinstance(pressed.message, str) else None
        if not card_id or reply.image is not None or reply.poll is not None:
            return False
        if getattr(self.context.activity, "delivery_mode", None) == DeliveryModes.expect_replies:
            return False
        activity = activity_for(reply)
        if not activity.attachments or utf16_bytes(activity.attachments[0].content) > self.limits.message_bytes:
            return False
        activity.id = card_id
        try:
            await self.context.update_activity(activity)
        except Exception as exc:  # refused or unreachable; by class and HTTP status only, never the body
            status = getattr(exc, "status", None)
            log.warning("could not update the card in place (%s%s): the step is sent as a new message",
                        type(exc).__name__, f", HTTP {status}" if status else "")
            return False
        return True

    async def send_image(self, reply: Reply) -> None:
        """The picture in a card above the reply, with its alt text; a picture over the size limit as alt text."""
        if len(reply.image.png) > self.limits.image_bytes:
            log.warning("a picture of %d bytes is over Teams' %d: sent as its alt text", len(reply.image.png),
                        self.limits.image_bytes)
            await super().send_image(reply)
            return
        await self.context.send_activity(MessageFactory.attachment(CardFactory.adaptive_card(image_card(reply.image))))


class WebhookOutput(CollectingOutput):
    """The outgoing webhook's one synchronous text answer: no buttons (related answers are named instead) and no
    pictures (their alt text)."""

    def __init__(self) -> None:
        super().__init__(TEAMS_WEBHOOK)

    async def send_buttons(self, reply: Reply) -> None:
        part = reply.text
        if reply.suggestions:
            part += "\n\nRelated: " + "; ".join(reply.suggestions)
        await self.send_text(part)

    def answer(self) -> str:
        """Everything collected as one markdown message within the size limit (cut short, and saying so, if not)."""
        text = markdown("\n\n".join(self.texts))
        if utf16_bytes({"text": text}) <= self.limits.message_bytes:
            return text
        return fit(text, self.limits.message_bytes - 1024)[0] + f"\n\n{CUT_SHORT}"


def uploaded_file(activity) -> tuple[str, str] | None:
    """The name and download address of a file sent to the bot (Teams personal chats), or None."""
    for attachment in getattr(activity, "attachments", None) or []:
        if getattr(attachment, "content_type", None) == FILE_DOWNLOAD_INFO:
            content = attachment.content if isinstance(attachment.content, dict) else {}
            url = content.get("downloadUrl") or attachment.content_url or ""
            return valid_text(attachment.name or ""), url
    return None


def pasted_picture(activity) -> bool:
    """True when the message carries a pasted picture (which the assistant cannot read)."""
    return any((getattr(a, "content_type", None) or "").startswith("image/")
               for a in getattr(activity, "attachments", None) or [])


class DownloadError(RuntimeError):
    """A file could not be fetched from Teams: refused address, HTTP error or network failure."""


class TooLarge(DownloadError):
    """The file is larger than the upload cap."""


async def download(url: str, limit: int = MAX_UPLOAD_BYTES, validator: OutboundHostValidator | None = None) -> bytes:
    """Fetch a file Teams sent, reading no more than `limit` bytes. Only Microsoft's file hosts (SharePoint and
    OneDrive, checked by the Agents SDK's outbound host validator) over HTTPS are fetched, never a private or
    loopback address, so a crafted activity cannot make the bot fetch from inside the network."""
    validator = validator or OutboundHostValidator(enabled=True)
    if not validator.is_allowed(url):
        raise DownloadError("the file's address is not a Microsoft file host")
    try:
        async with validator.client({"timeout": aiohttp.ClientTimeout(total=DOWNLOAD_SECONDS)}) as session:
            async with session.get(url) as response:
                if response.status != 200:
                    raise DownloadError(f"HTTP {response.status}")
                if response.content_length is not None and response.content_length > limit:
                    raise TooLarge(str(response.content_length))
                body = bytearray()
                async for chunk in response.content.iter_chunked(64 * 1024):
                    body += chunk
                    if len(body) > limit:
                        raise TooLarge(f"over {limit}")
                return bytes(body)
    except (aiohttp.ClientError, TimeoutError) as exc:
        raise DownloadError(type(exc).__name__) from exc


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

    def __init__(self, assistant: Assistant, config: TeamsSettings | None = None):
        self.assistant = assistant
        self.config = config or TeamsSettings()
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

    @staticmethod
    def action(activity: Activity) -> str | None:
        """The button action a card submitted, or None for a typed message."""
        value = activity.value if isinstance(activity.value, dict) else {}
        action = value.get("action")
        return valid_text(action) if isinstance(action, str) and action else None

    def replies_for(self, activity: Activity) -> list[Reply]:
        """Send a message or a card action to the assistant."""
        user, group, name = self.ids(activity)
        action = self.action(activity)
        if action is not None:
            return self.assistant.handle(user, action=action, group=group, name=name)
        if pasted_picture(activity) and not strip_mentions(activity.text if isinstance(activity.text, str) else ""):
            return [picture_refusal()]
        text = activity.text if isinstance(activity.text, str) else ""
        return self.assistant.handle(user, text=valid_text(strip_mentions(text)), group=group, name=name)

    async def file_replies(self, activity: Activity, name: str, url: str) -> list[Reply]:
        """Read a file sent to the bot as a register export: access first (an outsider's file is never fetched),
        then its type, then fetch it (at most MAX_UPLOAD_BYTES) and hand it to the assistant."""
        user, _, _ = self.ids(activity)
        if not await self.engine(self.assistant.access.allowed, user):
            return [await self.engine(self.assistant.session.refusal)]
        refusal = upload_refusal(name, None)
        if refusal is not None:
            return [refusal]
        try:
            data = await download(url)
        except TooLarge:
            return [too_large()]
        except DownloadError as exc:
            log.warning("could not fetch a file sent in Teams: %s", exc)
            return [not_fetched()]
        return await self.engine(self.assistant.handle_file, user, name, data)

    async def on_message(self, context: TurnContext, state: TurnState) -> None:
        """Answer a message, a card action or a file with the assistant's replies; a failure gets a friendly
        reply."""
        try:
            upload = uploaded_file(context.activity)
            if upload is not None:
                replies = await self.file_replies(context.activity, *upload)
            else:
                replies = await self.engine(self.replies_for, context.activity)
            action = self.action(context.activity)
            pressed = Pressed(action, context.activity.reply_to_id) if action else None
            await TeamsOutput(context).deliver(replies, pressed)
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
                    await TeamsOutput(context).deliver([greeting])
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
        secret = os.environ.get(self.config.teams_webhook_secret_env, "").strip()
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
        output = WebhookOutput()
        await output.deliver(replies)
        return web.json_response({"type": "message", "text": output.answer()})


def auth_configuration(config: TeamsSettings, environ=os.environ) -> AgentAuthConfiguration:
    """The SDK's auth settings: anonymous in development mode, else the app id and secret from the environment."""
    if config.teams_development_mode:
        return AgentAuthConfiguration(anonymous_allowed=True)
    app_id = environ.get(config.teams_app_id_env, "").strip()
    secret = environ.get(config.teams_app_password_env, "").strip()
    missing = [name for name, value in ((config.teams_app_id_env, app_id),
                                        (config.teams_app_password_env, secret)) if not value]
    if missing:
        raise ChannelSetupError(
            f"Teams needs the bot's app id and secret in the environment ({', '.join(missing)} not set). "
            "For a local try-out with the Agents Playground set teams_development_mode: true in config.yaml.")
    tenant = environ.get(config.teams_tenant_id_env, "").strip() or None
    return AgentAuthConfiguration(client_id=app_id, client_secret=secret, tenant_id=tenant)


def build_web_app(assistant: Assistant, teams: TeamsSettings, environ=os.environ) -> web.Application:
    """Build the aiohttp application serving POST /api/messages (the bot), POST /api/webhook and GET /healthz."""
    config = auth_configuration(teams, environ)
    if config.ANONYMOUS_ALLOWED:
        connections = ConnectionManager(provider_factory=lambda cfg: AnonymousTokenProvider(),
                                        connections_configurations={"SERVICE_CONNECTION": config})
    else:
        from microsoft_agents.authentication.msal import MsalConnectionManager

        connections = MsalConnectionManager(connections_configurations={"SERVICE_CONNECTION": config})
    adapter = CloudAdapter(connection_manager=connections)
    adapter.on_turn_error = TeamsChannel.on_turn_error
    agent = AgentApplication[TurnState](storage=MemoryStorage(), connection_manager=connections)
    channel = TeamsChannel(assistant, teams)
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


def run(assistant: Assistant, teams: TeamsSettings) -> None:
    """Serve the Teams endpoints until stopped."""
    logging.basicConfig(format="%(asctime)s %(levelname)s %(name)s: %(message)s", level=logging.INFO)
    app = build_web_app(assistant, teams)
    mode = "development mode (anonymous)" if teams.teams_development_mode else "authenticated"
    log.info("Teams endpoint on http://%s:%s/api/messages, %s", teams.teams_host, teams.teams_port, mode)
    web.run_app(app, host=teams.teams_host, port=teams.teams_port, print=None)
