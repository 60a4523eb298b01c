"""The JSON-lines interfaces: single-turn ask, the channel-neutral converse protocol, and export."""
from __future__ import annotations

import json
from typing import Iterable, TextIO

from guidance.assistant import Assistant
from guidance.models import Knowledge, Reply
from guidance.text import clean

MAX_LINE_CHARS = 100_000  # longer lines are cut before parsing; the reply says so


def _write(out: TextIO, data: dict) -> None:
    out.write(json.dumps(data) + "\n")  # ASCII escapes: no character in a reply can split the line
    out.flush()


def ask_lines(assistant: Assistant, lines: Iterable[str], out: TextIO) -> None:
    """Answer one question per input line, writing one JSON object per line, flushed."""
    for line in lines:
        question = line.rstrip("\r\n")[:MAX_LINE_CHARS]
        _write(out, assistant.answer(question).to_dict(query=clean(question)[:2000]))


def _error(text: str) -> dict:
    return Reply(kind="error", text=text).to_dict()


def converse_lines(assistant: Assistant, lines: Iterable[str], out: TextIO) -> None:
    """Run the converse protocol: {"user", "text"|"action", optional "group", "name"} in, {"user", "replies"} out."""
    for line in lines:
        raw = line.strip()
        if not raw:
            continue
        if len(raw) > MAX_LINE_CHARS:
            _write(out, {"user": None, "replies": [_error(
                f"That line is over {MAX_LINE_CHARS:,} characters; send a shorter message.")]})
            continue
        try:
            message = json.loads(raw)
        except json.JSONDecodeError as exc:
            _write(out, {"user": None, "replies": [_error(
                f"That line is not valid JSON ({exc.msg} at column {exc.colno}). Send "
                '{"user": "u1", "text": "your question"} or {"user": "u1", "action": "..."}.')]})
            continue
        if not isinstance(message, dict):
            _write(out, {"user": None, "replies": [_error("Each line must be a JSON object with 'user' and "
                                                          "'text' or 'action'.")]})
            continue
        user = message.get("user")
        if isinstance(user, int) and not isinstance(user, bool):
            user = str(user)
        if not isinstance(user, str) or not user.strip() or len(user) > 200:
            _write(out, {"user": None, "replies": [_error("Each message needs a 'user' id (a short string).")]})
            continue
        text, action = message.get("text"), message.get("action")
        if action is not None and not isinstance(action, str):
            _write(out, {"user": user, "replies": [_error("'action' must be a string from a button.")]})
            continue
        if (action is None and not isinstance(text, str)) or (text is not None and not isinstance(text, str)):
            _write(out, {"user": user, "replies": [_error("Send 'text' (a string) or 'action' (from a button).")]})
            continue
        group, name = message.get("group"), message.get("name")
        if (group is not None and not isinstance(group, str)) or (name is not None and not isinstance(name, str)):
            _write(out, {"user": user, "replies": [_error("'group' and 'name' must be strings when given.")]})
            continue
        replies = assistant.handle(user, text=text, action=action, group=group, name=name)
        _write(out, {"user": user, "replies": [r.to_dict() for r in replies]})


def export_lines(knowledge: Knowledge, out: TextIO) -> None:
    """Write every knowledge entry as one JSON line for comparison outside the assistant."""
    for entry in knowledge.entries.values():
        _write(out, {"id": entry.id, "kind": entry.kind, "title": entry.title, "text": entry.answer,
                     "phrasings": list(entry.questions), "codes": list(entry.codes),
                     "sources": [s.label() for s in entry.sources]})
