"""An in-memory Telegram Bot API for python-telegram-bot: records every call and answers like Telegram."""
from __future__ import annotations

import json
import time

from telegram import Update
from telegram.request import BaseRequest

BOT = {"id": 1000, "is_bot": True, "first_name": "Guide", "username": "guide_bot"}


class FakeTelegram(BaseRequest):
    """Answers Bot API calls from memory and keeps them in `calls` as (method, parameters), with the time of each
    call in `times`. `fail` makes a method fail like Telegram: an (HTTP status, description) pair becomes the
    Bot API's error answer (400 -> BadRequest, 401 -> InvalidToken, 403 -> Forbidden), an exception is raised.
    `files` holds the bytes of files people sent, by file id (getFile and the download answer from it)."""

    def __init__(self, fail: dict | None = None, files: dict[str, bytes] | None = None):
        self.calls: list[tuple[str, dict]] = []
        self.times: list[float] = []
        self.fail: dict = dict(fail or {})
        self.files: dict[str, bytes] = dict(files or {})
        self.downloads: list[str] = []
        self._message_id = 100
        self._poll_id = 0

    async def initialize(self) -> None:
        return None

    async def shutdown(self) -> None:
        return None

    @property
    def read_timeout(self) -> float:
        return 1.0

    async def do_request(self, url, method, request_data=None, read_timeout=None, write_timeout=None,
                         connect_timeout=None, pool_timeout=None):
        if "/file/bot" in url:  # a file download: the last part of the path is the file id
            file_id = url.rsplit("/", 1)[-1]
            self.downloads.append(file_id)
            return (200, self.files[file_id]) if file_id in self.files else (404, b"Not Found")
        name = url.rsplit("/", 1)[-1]
        params = dict(request_data.parameters) if request_data else {}
        self.calls.append((name, params))
        self.times.append(time.monotonic())
        if name in self.fail:
            failure = self.fail[name]
            if isinstance(failure, BaseException):
                raise failure
            status, description = failure
            return status, json.dumps({"ok": False, "error_code": status, "description": description}).encode()
        now = int(time.time())
        if name == "getMe":
            result = BOT
        elif name == "getFile":
            file_id = params["file_id"]
            result = {"file_id": file_id, "file_unique_id": f"u-{file_id}", "file_path": f"documents/{file_id}"}
            if file_id in self.files:
                result["file_size"] = len(self.files[file_id])
        elif name in ("sendMessage", "sendPoll", "editMessageText", "sendPhoto"):
            self._message_id += 1
            chat_id = int(params.get("chat_id", 0) or 0)
            result = {"message_id": self._message_id, "date": now, "chat": {"id": chat_id, "type": "private"},
                      "from": BOT}
            if name == "sendPhoto":
                result["photo"] = [{"file_id": "p1", "file_unique_id": "p1", "width": 10, "height": 10}]
                result["caption"] = params.get("caption", "")
            elif name != "sendPoll":
                result["text"] = params.get("text", "")
            else:
                self._poll_id += 1
                result["poll"] = {
                    "id": f"poll{self._poll_id}", "question": params["question"],
                    "options": [{"text": o["text"] if isinstance(o, dict) else o, "voter_count": 0,
                                 "persistent_id": str(i)} for i, o in enumerate(params["options"])],
                    "total_voter_count": 0, "is_closed": False, "is_anonymous": params.get("is_anonymous", True),
                    "type": "quiz", "allows_multiple_answers": False, "allows_revoting": False,
                    "members_only": False, "correct_option_ids": params.get("correct_option_ids")}
        else:
            result = True
        return 200, json.dumps({"ok": True, "result": result}).encode()

    def sent(self, method: str) -> list[dict]:
        """Return the parameters of every call to one method."""
        return [p for n, p in self.calls if n == method]


_update_id = 0


def _next_id() -> int:
    global _update_id
    _update_id += 1
    return _update_id


def user(uid: int = 42, name: str = "Ann") -> dict:
    return {"id": uid, "is_bot": False, "first_name": name}


def text_update(bot, text: str, uid: int = 42, chat_id: int | None = None, chat_type: str = "private",
                reply_to_bot: bool = False, edited: bool = False) -> Update:
    """A message update, with command entities when the text starts with '/' (an edit of one when edited)."""
    chat = {"id": chat_id if chat_id is not None else uid, "type": chat_type}
    message = {"message_id": _next_id(), "date": int(time.time()), "chat": chat, "from": user(uid), "text": text}
    if text.startswith("/"):
        message["entities"] = [{"type": "bot_command", "offset": 0, "length": len(text.split()[0])}]
    if reply_to_bot:
        message["reply_to_message"] = {"message_id": 1, "date": int(time.time()), "chat": chat, "from": BOT,
                                       "text": "earlier"}
    if edited:
        message["edit_date"] = int(time.time())
    return Update.de_json({"update_id": _next_id(), "edited_message" if edited else "message": message}, bot)


def callback_update(bot, data: str, uid: int = 42, chat_id: int | None = None, chat_type: str = "private",
                    message_id: int = 101) -> Update:
    """A button press on a bot message."""
    chat = {"id": chat_id if chat_id is not None else uid, "type": chat_type}
    return Update.de_json({"update_id": _next_id(), "callback_query": {
        "id": str(_next_id()), "from": user(uid), "chat_instance": "ci", "data": data,
        "message": {"message_id": message_id, "date": int(time.time()), "chat": chat, "from": BOT,
                    "text": "earlier"}}}, bot)


def poll_answer_update(bot, poll_id: str, option: int, uid: int = 42, name: str = "Ann") -> Update:
    """An answer to a non-anonymous poll."""
    return Update.de_json({"update_id": _next_id(), "poll_answer": {
        "poll_id": poll_id, "user": user(uid, name), "option_ids": [option],
        "option_persistent_ids": [str(option)]}}, bot)


def document_update(bot, file_id: str, file_name: str, size: int | None, uid: int = 42, chat_id: int | None = None,
                    chat_type: str = "private", caption: str | None = None) -> Update:
    """A file sent to the bot (a document), with the size Telegram reports for it (None: not reported)."""
    chat = {"id": chat_id if chat_id is not None else uid, "type": chat_type}
    document = {"file_id": file_id, "file_unique_id": f"u-{file_id}", "file_name": file_name}
    if size is not None:
        document["file_size"] = size
    message = {"message_id": _next_id(), "date": int(time.time()), "chat": chat, "from": user(uid),
               "document": document}
    if caption is not None:
        message["caption"] = caption
    return Update.de_json({"update_id": _next_id(), "message": message}, bot)


def photo_update(bot, uid: int = 42) -> Update:
    """A photo sent to the bot in a private chat."""
    chat = {"id": uid, "type": "private"}
    return Update.de_json({"update_id": _next_id(), "message": {
        "message_id": _next_id(), "date": int(time.time()), "chat": chat, "from": user(uid),
        "photo": [{"file_id": "ph", "file_unique_id": "ph", "width": 90, "height": 90}]}}, bot)


def inline_update(bot, query: str, uid: int = 42) -> Update:
    """An inline query typed as '@bot query' in any chat."""
    return Update.de_json({"update_id": _next_id(), "inline_query": {
        "id": str(_next_id()), "from": user(uid), "query": query, "offset": ""}}, bot)
