"""The Telegram channel: renders the assistant's channel-neutral replies with python-telegram-bot; no guidance logic."""
from __future__ import annotations

import asyncio
import hashlib
import html
import logging
import os
import re

from telegram import (BotCommand, InlineKeyboardButton, InlineKeyboardMarkup, InlineQueryResultArticle,
                      InlineQueryResultsButton, InputTextMessageContent, Message, Poll, Update)
from telegram.constants import ChatType, ParseMode
from telegram.error import BadRequest, Forbidden, InvalidToken, NetworkError, TelegramError
from telegram.ext import (AIORateLimiter, Application, BaseUpdateProcessor, CallbackQueryHandler, CommandHandler,
                          ContextTypes, InlineQueryHandler, MessageHandler, PollAnswerHandler, filters)

from guidance.assistant import Assistant
from guidance.actions import action_role
from guidance.models import Button, Reply

from .errors import ChannelSetupError, error_reply, valid_text
from .files import MAX_UPLOAD_BYTES, not_fetched, picture_refusal, too_large, upload_refusal
from .limits import TELEGRAM
from .output import Output, Pressed, picture_text
from .serving import EngineRunner, thread_bound
from .settings import TelegramSettings

log = logging.getLogger("bot.telegram")

INLINE_RESULTS = 5
TEXT_LIMIT = TELEGRAM.message_chars - len("<b></b>")  # a message's text, leaving room for its bold title
WEBHOOK_PATH = "telegram"  # the webhook server answers on /telegram
CHANNEL = "telegram"
PRIVACY_NOTICE = ("Please do not type children's names or anything that could identify a child: the guidance "
                  "never needs them. Nothing you type is stored unless your organisation has turned that on.")
COMMANDS = [
    ("start", "What this bot does, and a privacy notice"),
    ("help", "Example questions"),
    ("code", "Explain an attendance code, e.g. /code C2"),
    ("tree", "Step-by-step walk-throughs"),
    ("quiz", "Quiz practice (in a group: start a group round)"),
    ("stats", "My quiz progress"),
    ("forgetme", "Delete everything stored about me"),
    ("cancel", "Leave a walk-through or quiz"),
]
ADMIN_COMMANDS = ("reload", "gaps", "usage")
NOT_YOURS = "This walk-through belongs to someone else. Start your own with /tree, or ask me a question."
# The engine is synchronous (knowledge search, SQLite): it runs here, never on the event loop, so one slow call
# only ever holds one of these workers while every other chat carries on.
CONCURRENT_UPDATES = 64    # updates in progress at once (python-telegram-bot's default is one at a time)


class TelegramSetupError(ChannelSetupError):
    """The bot cannot start: no token, a rejected token, or missing webhook settings."""


class OrderedPerChat(BaseUpdateProcessor):
    """Updates from different chats run concurrently; updates from one chat (and answers to one poll, which
    may come from several members of a group) run in the order they came, so a conversation's state is never
    changed by two of its own updates at once."""

    def __init__(self, max_concurrent_updates: int = CONCURRENT_UPDATES):
        super().__init__(max_concurrent_updates)
        self._locks: dict[object, list] = {}  # key -> [lock, number of updates holding or waiting for it]

    @staticmethod
    def key(update: object) -> object:
        if isinstance(update, Update):
            if update.poll_answer is not None:
                return "poll", update.poll_answer.poll_id
            if update.effective_chat is not None:
                return "chat", update.effective_chat.id
            if update.effective_user is not None:
                return "user", update.effective_user.id
        return "other", None

    async def do_process_update(self, update: object, coroutine) -> None:
        key = self.key(update)
        entry = self._locks.setdefault(key, [asyncio.Lock(), 0])
        entry[1] += 1
        try:
            async with entry[0]:
                await coroutine
        finally:
            entry[1] -= 1
            if entry[1] == 0:
                self._locks.pop(key, None)

    async def initialize(self) -> None:
        return None

    async def shutdown(self) -> None:
        return None



def user_id(user) -> str:
    """The assistant's id for a Telegram user (ids are per channel)."""
    return f"tg:{user.id}"


def group_id(chat) -> str | None:
    """The assistant's group id for a group chat, or None in a private chat."""
    return None if chat is None or chat.type == ChatType.PRIVATE else f"tg:{chat.id}"


def split_message(text: str, limit: int = TEXT_LIMIT) -> list[str]:
    """Split text into pieces of at most `limit` characters after HTML escaping, at paragraph or line breaks."""
    pieces: list[str] = []
    current = ""
    for block in re.split(r"(\n\n)", text):
        candidate = current + block
        if len(html.escape(candidate)) <= limit:
            current = candidate
            continue
        if current.strip():
            pieces.append(current)
        current = block if block != "\n\n" else ""
        while len(html.escape(current)) > limit:
            cut = current.rfind("\n", 0, limit // 2) if "\n" in current[: limit // 2] else -1
            cut = cut if cut > 0 else limit // 2
            pieces.append(current[:cut])
            current = current[cut:].lstrip("\n")
    if current.strip():
        pieces.append(current)
    return [p.strip("\n") for p in pieces] or [""]


def to_html(text: str) -> str:
    """Escape text for HTML parse mode, making the title line bold."""
    title, sep, rest = text.partition("\n\n")
    if sep and len(title) <= 120:
        return f"<b>{html.escape(title)}</b>\n\n{html.escape(rest)}"
    return html.escape(text)


class TelegramChannel(EngineRunner):
    """Connects one Assistant to Telegram: commands, messages, buttons, quiz polls and inline mode."""

    def __init__(self, assistant: Assistant, config: TelegramSettings | None = None):
        self.assistant = assistant
        self.config = config or TelegramSettings()
        self.store = assistant.store
        self.inline_engine = thread_bound(self.store)

    # -- rendering ---------------------------------------------------------------------------------
    def callback_data(self, action: str) -> str:
        """Return callback data for an action, keeping long actions in the store under a short key."""
        if len(action.encode()) <= TELEGRAM.callback_bytes:
            return action
        key = "cb:" + hashlib.sha1(action.encode()).hexdigest()[:20]
        if self.store:
            self.store.channel_put(CHANNEL, key, {"action": action})
        return key

    def action_for(self, data: str) -> str | None:
        """Turn callback data back into the assistant's action."""
        if data.startswith("cb:"):
            saved = self.store.channel_get(CHANNEL, data) if self.store else None
            return saved["action"] if saved else None
        return data

    def keyboard(self, buttons: tuple[Button, ...]) -> InlineKeyboardMarkup | None:
        """One button per row, so long labels stay readable on a phone."""
        if not buttons:
            return None
        return InlineKeyboardMarkup([[InlineKeyboardButton(b.label, callback_data=self.callback_data(b.action))]
                                     for b in buttons])

    def output(self, context: ContextTypes.DEFAULT_TYPE, chat_id: int, user: str,
               group: str | None) -> "TelegramOutput":
        """Where this update's replies go."""
        return TelegramOutput(self, context.bot, chat_id, user, group)

    # -- handlers ----------------------------------------------------------------------------------
    async def start(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """Say what the bot does, with the privacy notice; then wait for a question."""
        user = user_id(update.effective_user)
        reply = await self.engine(self.assistant.session.greeting, user, PRIVACY_NOTICE)
        await self.output(context, update.effective_chat.id, user, group_id(update.effective_chat)).deliver([reply])

    async def command(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """Turn a slash command into the assistant's words or action, then send what it replies."""
        name = update.effective_message.text.split()[0].lstrip("/").split("@")[0].lower()
        args = valid_text(" ".join(context.args or []))
        user, group = user_id(update.effective_user), group_id(update.effective_chat)
        first_name = valid_text(update.effective_user.first_name or "")
        handle, greeting = self.assistant.handle, self.assistant.session.greeting
        if name == "help":
            replies = [await self.engine(greeting, user)]
        elif name == "code":
            usage = Reply(kind="help", text="Send /code followed by a code, for example /code C2 or /code U.")
            replies = (await self.engine(handle, user, text=f"code {args}", group=group, name=first_name) if args
                       else [usage])
        elif name == "tree":
            replies = [await self.engine(self.assistant.session.menu, user)]
        elif name == "quiz":
            replies = await self.engine(handle, user, text="group quiz" if group else "quiz", group=group,
                                        name=first_name)
        elif name == "stats":
            replies = await self.engine(handle, user, text="my progress", name=first_name)
        elif name == "forgetme":
            replies = await self.engine(handle, user, text="forget me", name=first_name)
        elif name == "cancel":
            replies = await self.engine(handle, user, action="cancel", name=first_name)
        else:
            replies = await self.engine(handle, user, text=f"/{name} {args}".strip(), group=group, name=first_name)
        await self.output(context, update.effective_chat.id, user, group).deliver(replies)

    @staticmethod
    def addressed(message: Message, context: ContextTypes.DEFAULT_TYPE, text: str) -> bool:
        """True when a group message is meant for the bot: it mentions the bot or replies to one of its messages."""
        username = f"@{context.bot.username}" if context.bot.username else None
        replied_to_bot = (message.reply_to_message is not None and message.reply_to_message.from_user is not None
                          and message.reply_to_message.from_user.id == context.bot.id)
        return bool((username and username.lower() in text.lower()) or replied_to_bot)

    async def message(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """Send plain text to the assistant; in groups only when the bot is mentioned or replied to."""
        message: Message = update.effective_message
        text = valid_text(message.text or "")
        group = group_id(update.effective_chat)
        if group is not None:
            if not self.addressed(message, context, text):
                return
            if context.bot.username:
                text = re.sub(re.escape(f"@{context.bot.username}"), "", text, flags=re.IGNORECASE).strip()
        user = user_id(update.effective_user)
        replies = await self.engine(self.assistant.handle, user, text=text, group=group,
                                    name=valid_text(update.effective_user.first_name or ""))
        await self.output(context, update.effective_chat.id, user, group).deliver(replies)

    async def document(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """Read a file sent in a private chat as a register export (.csv or .txt, up to 1 MB) and send what the
        assistant makes of it. Access is checked before the file is fetched; other files get a clear refusal. In a
        group, a file meant for the bot is not read: registers name children, so it asks for a private chat."""
        message: Message = update.effective_message
        group = group_id(update.effective_chat)
        user = user_id(update.effective_user)
        out = self.output(context, update.effective_chat.id, user, group)
        if group is not None:
            if message.document is not None and self.addressed(message, context, valid_text(message.caption or "")):
                await out.deliver([Reply(kind="error", title="Send it privately", text=(
                    "Please send register exports to me in a private chat, not in a group: a register names "
                    "children."))])
            return
        document = message.document
        if not await self.engine(self.assistant.access.allowed, user):
            replies = [await self.engine(self.assistant.session.refusal)]
        elif document is None:
            replies = [picture_refusal()]
        elif (refusal := upload_refusal(document.file_name, document.file_size)) is not None:
            replies = [refusal]
        else:
            replies = await self.read_upload(context, user, document)
        await out.deliver(replies)

    async def read_upload(self, context: ContextTypes.DEFAULT_TYPE, user: str, document) -> list[Reply]:
        """Fetch an accepted file from Telegram (never more than the cap) and hand it to the assistant."""
        try:
            file = await context.bot.get_file(document.file_id)
            if file.file_size is not None and file.file_size > MAX_UPLOAD_BYTES:
                return [too_large(file.file_size)]
            data = bytes(await file.download_as_bytearray())
        except TelegramError as exc:
            log.warning("could not fetch an uploaded file: %s: %s", type(exc).__name__, exc.message)
            return [not_fetched()]
        if len(data) > MAX_UPLOAD_BYTES:
            return [too_large(len(data))]
        return await self.engine(self.assistant.handle_file, user, valid_text(document.file_name or "register.csv"),
                                 data)

    async def button(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """Answer every button press; a walk-through step edits its message in place."""
        query = update.callback_query
        action = await self.engine(self.action_for, query.data or "")
        user, group = user_id(query.from_user), group_id(update.effective_chat)
        if action is None:
            await query.answer("That button has expired. Please ask again.")
            return
        if group is not None and action_role(action) == "step" and query.message is not None and self.store:
            owner = await self.engine(self.store.channel_get, CHANNEL,
                                      f"owner:{update.effective_chat.id}:{query.message.message_id}")
            if owner is not None and owner.get("user") != user:  # told privately; nothing posted to the group
                await query.answer(text=NOT_YOURS, show_alert=True)
                return
        replies = await self.engine(self.assistant.handle, user, action=action, group=group,
                                    name=query.from_user.first_name)
        receipt = replies[0] if replies and replies[0].role == "receipt" else None
        await query.answer(receipt.text[:TELEGRAM.toast_chars] if receipt else None)
        if receipt is not None:  # shown to the member who pressed, not posted to the chat
            return
        await self.output(context, update.effective_chat.id, user, group).deliver(replies, Pressed(action, query))

    async def poll_answer(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """Score an answer to a quiz poll through the assistant and send what comes next."""
        answer = update.poll_answer
        record = (await self.engine(self.store.channel_get, CHANNEL, f"poll:{answer.poll_id}") if self.store
                  else None)
        answers = record.get("answers") if record else None
        if not answers or not answer.option_ids or answer.user is None or not 0 <= answer.option_ids[0] < len(answers):
            return
        user, action = user_id(answer.user), answers[answer.option_ids[0]]
        if "group" in record:  # the answer is recorded; the group sees the scores when the facilitator moves on
            await self.engine(self.assistant.handle, user, action=action, group=record["group"],
                              name=answer.user.first_name)
            return
        if record.get("user") != user:
            return
        replies = await self.engine(self.assistant.handle, user, action=action, name=answer.user.first_name)
        # Telegram already shows whether the answer was right and the explanation, so skip that reply.
        if replies and replies[0].role == "quiz-verdict":
            replies = replies[1:]
        await self.output(context, record["chat"], user, None).deliver(replies)

    async def inline(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """Offer answers to share in any chat: the best answer, or each 'did you mean' candidate. Inline mode
        passes the same access check as messages: an outsider gets no answer content, only a pointer to the
        private chat where an invite code can be sent."""
        query = update.inline_query
        allowed = query.from_user is not None and await self.engine(self.assistant.access.allowed,
                                                                    user_id(query.from_user))
        if not allowed:
            await query.answer([], cache_time=0, is_personal=True, button=InlineQueryResultsButton(
                text="Invite only: open a chat with the bot", start_parameter="invite"))
            return
        text = valid_text(query.query or "").strip()
        if not text:
            await query.answer([], cache_time=0)
            return
        reply = await self.engine(self.assistant.answer, text)
        candidates = [reply]
        if reply.role == "did-you-mean":
            candidates = [await self.engine(self.assistant.entry_reply, b.target) for b in reply.buttons
                          if b.role == "open"]
            candidates = [c for c in candidates if c is not None] or [reply]
        results = []
        for i, r in enumerate(candidates[:INLINE_RESULTS]):
            body = split_message(r.text)[0]
            description = (r.text.partition("\n\n")[2] or r.text).replace("\n", " ")[:120]
            results.append(InlineQueryResultArticle(
                id=hashlib.sha1(f"{r.id}:{i}".encode()).hexdigest()[:32], title=(r.title or "Answer")[:100],
                description=description, input_message_content=InputTextMessageContent(
                    to_html(body), parse_mode=ParseMode.HTML)))
        await query.answer(results, cache_time=0, is_personal=True)

    async def edited(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        """An edited message (or an edited channel post) is ignored quietly: the original was answered already."""
        log.debug("ignored an edited message in update %s", update.update_id)

    async def error(self, update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
        """Log errors by type and update id only, never the text people typed; tell the person in a friendly
        message ('busy, try again' when the database stayed locked), never the exception's text."""
        update_id = getattr(update, "update_id", None)
        log.error("update %s failed: %s", update_id, type(context.error).__name__)
        chat = getattr(update, "effective_chat", None)
        if chat is None or not isinstance(update, Update) or not (update.message or update.callback_query):
            return
        if update.callback_query is not None:
            try:
                await update.callback_query.answer()
            except TelegramError:  # already answered before the failure
                pass
        try:
            await context.bot.send_message(chat.id, error_reply(context.error).text)
        except Exception as exc:  # the network may be what failed
            log.error("update %s: could not send the error message: %s", update_id, type(exc).__name__)

    async def post_init(self, application: Application) -> None:
        """Publish the command menu."""
        await _startup_call("setMyCommands",
                            application.bot.set_my_commands([BotCommand(name, about) for name, about in COMMANDS]))

    # -- wiring ------------------------------------------------------------------------------------
    def build(self, token: str, request=None, updates_request=None) -> Application:
        """Build the python-telegram-bot Application with every handler (requests injectable for tests)."""
        builder = (Application.builder().token(token).rate_limiter(AIORateLimiter()).post_init(self.post_init)
                   .concurrent_updates(OrderedPerChat()))
        if request is not None:
            builder = builder.request(request).get_updates_request(updates_request or request)
        if self.config.telegram_base_url:
            base = self.config.telegram_base_url.rstrip("/")
            builder = builder.base_url(f"{base}/bot").base_file_url(f"{base}/file/bot")
        app = builder.build()
        new = filters.UpdateType.MESSAGE  # new messages only: edits and channel posts go to self.edited or nowhere
        app.add_handler(CommandHandler("start", self.start, filters=new))
        app.add_handler(CommandHandler([c for c, _ in COMMANDS if c != "start"] + list(ADMIN_COMMANDS),
                                       self.command, filters=new))
        app.add_handler(MessageHandler(new & filters.TEXT & ~filters.COMMAND, self.message))
        app.add_handler(MessageHandler(new & (filters.Document.ALL | filters.PHOTO), self.document))
        app.add_handler(MessageHandler(filters.UpdateType.EDITED, self.edited))
        app.add_handler(CallbackQueryHandler(self.button))
        app.add_handler(PollAnswerHandler(self.poll_answer))
        app.add_handler(InlineQueryHandler(self.inline))
        app.add_error_handler(self.error)
        return app


class TelegramOutput(Output):
    """Sends replies into one Telegram chat: HTML text split to fit, inline keyboards, native quiz polls, walk-through
    steps edited in place, and pictures as photos."""

    limits = TELEGRAM

    def __init__(self, channel: TelegramChannel, bot, chat_id: int, user: str, group: str | None):
        super().__init__()
        self.channel, self.bot, self.chat_id, self.user, self.group = channel, bot, chat_id, user, group

    async def send_text(self, text: str) -> None:
        await self._send(text, ())

    async def send_buttons(self, reply: Reply) -> None:
        await self._send(reply.text, reply.buttons)

    async def _send(self, text: str, buttons: tuple[Button, ...]) -> None:
        """Send text split to fit, the buttons on the last piece. In a group, a message carrying walk-through
        steps remembers whose walk-through it is, so only that person can move it on."""
        pieces = split_message(text)
        markup = await self.channel.engine(self.channel.keyboard, buttons) if buttons else None
        message = None
        for i, piece in enumerate(pieces):
            message = await self.bot.send_message(self.chat_id, to_html(piece) if i == 0 else html.escape(piece),
                                                  parse_mode=ParseMode.HTML,
                                                  reply_markup=markup if i == len(pieces) - 1 else None)
        store = self.channel.store
        if self.group is not None and store and isinstance(message, Message) and any(b.role == "step"
                                                                                      for b in buttons):
            await self.channel.engine(store.channel_put, CHANNEL, f"owner:{self.chat_id}:{message.message_id}",
                                      {"user": self.user})

    async def send_poll(self, reply: Reply) -> None:
        """Send a quiz question as a non-anonymous Telegram quiz poll and remember which answer action each option
        stands for; a question beyond the poll limits, or a poll Telegram refuses, goes as text with buttons."""
        poll = reply.poll
        if not self.limits.fits_poll(poll):
            await super().send_poll(reply)
            return
        answers = [b.action for b in reply.buttons if b.role == "quiz-answer"]
        nav = tuple(b for b in reply.buttons if b.role != "quiz-answer")
        try:
            message = await self.bot.send_poll(
                self.chat_id, poll.question, list(poll.options), is_anonymous=False, type=Poll.QUIZ,
                correct_option_ids=[poll.correct], explanation=poll.explanation or None,
                reply_markup=await self.channel.engine(self.channel.keyboard, nav))
        except BadRequest as exc:  # e.g. polls not allowed in this chat: the question as text, answers as buttons
            log.warning("could not send a quiz poll, sending it as text instead: %s: %s", type(exc).__name__,
                        exc.message)
            await super().send_poll(reply)
            return
        record = {"chat": self.chat_id, "qid": reply.id, "answers": answers}
        record.update({"group": self.group} if self.group is not None else {"user": self.user})
        if self.channel.store and message.poll:
            await self.channel.engine(self.channel.store.channel_put, CHANNEL, f"poll:{message.poll.id}", record)

    async def edit(self, pressed: Pressed, reply: Reply) -> bool:
        """Put a walk-through's next step in the message whose button was pressed, when it fits in one message."""
        query = pressed.message
        if query is None or query.message is None or reply.image is not None or reply.poll is not None \
                or len(split_message(reply.text)) > 1:
            return False
        try:
            await query.edit_message_text(to_html(reply.text), parse_mode=ParseMode.HTML,
                                          reply_markup=await self.channel.engine(self.channel.keyboard, reply.buttons))
        except TelegramError as exc:
            log.warning("could not edit a message in place: %s", type(exc).__name__)
            return False
        return True

    async def send_image(self, reply: Reply) -> None:
        """Send the picture as a photo captioned with its alt text; if Telegram refuses it, the alt text."""
        image = reply.image
        if len(image.png) > self.limits.image_bytes:
            log.warning("a picture of %d bytes is over Telegram's %d: sent as its alt text", len(image.png),
                        self.limits.image_bytes)
            await super().send_image(reply)
            return
        caption = image.alt if len(image.alt) <= self.limits.caption_chars else \
            image.alt[: self.limits.caption_chars - 1] + "…"
        try:
            await self.bot.send_photo(self.chat_id, photo=image.png, caption=caption, filename=image.filename)
        except TelegramError as exc:
            log.warning("could not send a picture, sending its alt text instead: %s: %s", type(exc).__name__,
                        exc.message)
            await self.send_text(picture_text(image))


def token_from_environment(config: TelegramSettings) -> str:
    """Read the bot token from the environment variable named in the Telegram settings."""
    token = os.environ.get(config.telegram_token_env, "").strip()
    if not token:
        raise TelegramSetupError(f"No Telegram bot token: set the {config.telegram_token_env} environment "
                                 "variable (from @BotFather). Without it, 'make run' starts the terminal chat.")
    return token


async def _startup_call(method: str, call):
    """Await one start-up call to the Bot API, labelling a failure with the API method's name."""
    try:
        return await call
    except TelegramError as exc:
        exc.api_method = method
        raise


def startup_error(exc: TelegramError, config: TelegramSettings) -> TelegramSetupError:
    """Say what failed at start-up: the token (InvalidToken, Forbidden), the network (NetworkError, TimedOut) or
    one call the Bot API refused (BadRequest, named with Telegram's reason). BadRequest and TimedOut are
    NetworkError subclasses in python-telegram-bot, so the order of these checks matters."""
    method = getattr(exc, "api_method", None)
    call = f"the {method} call" if method else "a start-up call"
    if isinstance(exc, InvalidToken):
        return TelegramSetupError("Telegram rejected the bot token: check the value of "
                                  f"{config.telegram_token_env}.")
    if isinstance(exc, Forbidden):
        return TelegramSetupError(f"Telegram refused {call} (Forbidden: {exc.message}): the bot token is not "
                                  f"allowed to do this. Check the value of {config.telegram_token_env} and "
                                  "that the bot still exists in @BotFather.")
    if isinstance(exc, BadRequest):
        return TelegramSetupError(f"The Telegram Bot API refused {call} (BadRequest: {exc.message}). Telegram "
                                  "was reached and answered, so the network is fine; check the setting this "
                                  "call uses in config.yaml.")
    if isinstance(exc, NetworkError):  # includes TimedOut
        return TelegramSetupError(f"Could not reach the Telegram Bot API ({type(exc).__name__}). Check the "
                                  "network, or telegram_base_url in config.yaml.")
    return TelegramSetupError(f"Telegram start-up failed at {call} ({type(exc).__name__}: {exc.message}).")


async def _check_token(app: Application) -> None:
    """Ask Telegram who the bot is, so a bad token or no network fails clearly before polling starts."""
    await app.bot.initialize()
    try:
        await _startup_call("getMe", app.bot.get_me())
    finally:
        await app.bot.shutdown()


def webhook_options(config: TelegramSettings, environ=os.environ) -> dict:
    """How the webhook server listens and what Telegram is told: the public URL and listen address and port from
    config.yaml, the secret token (which every update must carry) from the environment."""
    secret = environ.get(config.telegram_webhook_secret_env, "").strip()
    if not config.telegram_webhook_url or not secret:
        raise TelegramSetupError(
            "Webhook mode needs telegram_webhook_url in config.yaml and a secret token in the "
            f"{config.telegram_webhook_secret_env} environment variable.")
    return {"listen": config.telegram_webhook_listen, "port": config.telegram_webhook_port,
            "url_path": WEBHOOK_PATH, "webhook_url": config.telegram_webhook_url, "secret_token": secret,
            "allowed_updates": Update.ALL_TYPES}


def run(assistant: Assistant, config: TelegramSettings) -> None:
    """Run the bot by long polling (default) or webhook, until stopped."""
    logging.basicConfig(format="%(asctime)s %(levelname)s %(name)s: %(message)s", level=logging.INFO)
    logging.getLogger("httpx").setLevel(logging.WARNING)  # its request lines would show the token in URLs
    if config.telegram_mode not in ("polling", "webhook"):
        raise TelegramSetupError(f"telegram_mode must be 'polling' or 'webhook', not '{config.telegram_mode}'.")
    webhook = webhook_options(config) if config.telegram_mode == "webhook" else None
    app = TelegramChannel(assistant, config).build(token_from_environment(config))
    try:
        asyncio.run(_check_token(app))
        if webhook is not None:
            app.run_webhook(**webhook)
        else:
            app.run_polling(allowed_updates=Update.ALL_TYPES)
    except TelegramError as exc:
        raise startup_error(exc, config) from exc
