"""The JSON-lines interfaces: single-turn ask, the channel-neutral converse protocol, and export.

Input is read as bytes and decoded with replacement characters, so no byte sequence can stop the loop; every
non-blank line gets exactly one output line, and a line that cannot be answered gets an error reply on its own
line while the next line is still answered. Failures are logged by exception class only, never message text.
"""
from __future__ import annotations

import io
import json
import logging
import re
from typing import Iterable, Iterator, TextIO

from guidance.assistant import Assistant
from guidance.models import Knowledge, Reply
from guidance.text import clean

from .errors import error_reply, log_failure, valid_text

log = logging.getLogger("bot.jsonlines")

MAX_LINE_CHARS = 100_000  # longer lines are cut before parsing; the reply says so
MAX_LINE_BYTES = 4 * MAX_LINE_CHARS  # a line longer than this in bytes is over the limit in characters too
MAX_DEPTH = 32  # brackets nested deeper than this are refused before parsing (a message is a flat object)
# a JSON string (or an unterminated one, to the end of the line) or a bracket; strings are skipped when counting
_TOKENS = re.compile(r'"(?:[^"\\]|\\.)*(?:"|\\?$)|[\[\]{}]', re.DOTALL)
EXAMPLE = '{"user": "u1", "text": "your question"} or {"user": "u1", "action": "..."}'


def _write(out: TextIO, data: dict) -> None:
    out.write(json.dumps(data) + "\n")  # ASCII escapes: no character in a reply can split the line
    out.flush()


def _read(lines) -> Iterator[tuple[str, bool]]:
    """Yield (text, too_long) for each input line, decoding bytes as UTF-8 with replacement characters.

    A text stream with a byte buffer (sys.stdin) is read through the buffer, so invalid UTF-8 never raises. A
    binary stream is read a bounded amount at a time: the part of a line past MAX_LINE_BYTES is skipped, not held.
    """
    source = getattr(lines, "buffer", lines)
    readline = getattr(source, "readline", None)
    if readline is not None and isinstance(source, (io.BufferedIOBase, io.RawIOBase)):
        while True:
            chunk = readline(MAX_LINE_BYTES + 1)
            if not chunk:
                return
            too_long = len(chunk) > MAX_LINE_BYTES and not chunk.endswith(b"\n")
            if too_long:  # discard the rest of the line a bounded piece at a time
                rest = chunk
                while rest and not rest.endswith(b"\n"):
                    rest = readline(MAX_LINE_BYTES)
            yield chunk.decode("utf-8", "replace"), too_long
        return
    for item in source:
        if isinstance(item, (bytes, bytearray)):
            item = bytes(item).decode("utf-8", "replace")
        yield item, False


def too_deep(raw: str, limit: int = MAX_DEPTH) -> bool:
    """True when brackets outside JSON strings nest deeper than the limit (checked before parsing, in linear time)."""
    depth = 0
    for match in _TOKENS.finditer(raw):
        token = match.group()
        if token in "[{":
            depth += 1
            if depth > limit:
                return True
        elif token in "]}":
            depth -= 1
    return False


def ask_lines(assistant: Assistant, lines: Iterable[str] | Iterable[bytes] | TextIO, out: TextIO) -> None:
    """Answer one question per input line, writing one JSON object per line, flushed."""
    for number, (line, _) in enumerate(_read(lines), 1):
        question = valid_text(line.rstrip("\r\n")[:MAX_LINE_CHARS])
        query = clean(question)[:2000]
        try:
            data = assistant.answer(question).to_dict(query=query)
            text = json.dumps(data)
        except Exception as exc:  # one bad line never ends the run
            log_failure(log, f"ask line {number}", exc)
            text = json.dumps(error_reply(exc).to_dict(query=query))
        out.write(text + "\n")
        out.flush()


def _error(text: str) -> dict:
    return Reply(kind="error", text=text).to_dict()


def _refusal(user: str | None, text: str) -> dict:
    return {"user": user, "replies": [_error(text)]}


def _parse(raw: str, too_long: bool) -> dict:
    """Check one converse line; return the fields to hand to the assistant, or {"refusal": output}."""
    if too_long or len(raw) > MAX_LINE_CHARS:
        return {"refusal": _refusal(None, f"That line is over {MAX_LINE_CHARS:,} characters; send a shorter "
                                          "message.")}
    if too_deep(raw):
        return {"refusal": _refusal(None, f"That line nests brackets more than {MAX_DEPTH} deep. Send one flat "
                                          f"JSON object, such as {EXAMPLE}.")}
    try:
        message = json.loads(raw)
    except json.JSONDecodeError as exc:
        return {"refusal": _refusal(None, f"That line is not valid JSON ({exc.msg} at column {exc.colno}). "
                                          f"Send {EXAMPLE}.")}
    except (ValueError, RecursionError):  # e.g. a number with more digits than Python converts
        return {"refusal": _refusal(None, f"That line could not be read as JSON. Send {EXAMPLE}.")}
    if not isinstance(message, dict):
        kind = {list: "an array", str: "a string", bool: "true or false", type(None): "null"}.get(
            type(message), "a number")
        return {"refusal": _refusal(None, f"Each line must be a JSON object with 'user' and 'text' or 'action', "
                                          f"not {kind}.")}
    user = message.get("user")
    if isinstance(user, int) and not isinstance(user, bool):
        user = str(user)
    if not isinstance(user, str) or not user.strip() or len(user) > 200:
        return {"refusal": _refusal(None, "Each message needs a 'user' id (a short string).")}
    user = valid_text(user)
    text, action = message.get("text"), message.get("action")
    if action is not None and not isinstance(action, str):
        return {"refusal": _refusal(user, "'action' must be a string from a button.")}
    if (action is None and not isinstance(text, str)) or (text is not None and not isinstance(text, str)):
        return {"refusal": _refusal(user, "Send 'text' (a string) or 'action' (from a button).")}
    group, name = message.get("group"), message.get("name")
    if (group is not None and not isinstance(group, str)) or (name is not None and not isinstance(name, str)):
        return {"refusal": _refusal(user, "'group' and 'name' must be strings when given.")}
    def fix(value):
        return None if value is None else valid_text(value)
    return {"user": user, "text": fix(text), "action": fix(action), "group": fix(group), "name": fix(name)}


def converse_one(assistant: Assistant, raw: str, too_long: bool = False, number: int = 0) -> dict:
    """Answer one converse line: the output object, an error reply when the line is unusable or answering failed."""
    fields = {}
    try:
        fields = _parse(raw.lstrip("\ufeff"), too_long)
        if "refusal" in fields:
            return fields["refusal"]
        replies = assistant.handle(fields["user"], text=fields["text"], action=fields["action"],
                                   group=fields["group"], name=fields["name"])
        data = {"user": fields["user"], "replies": [r.to_dict() for r in replies]}
        json.dumps(data)  # anything that cannot be written is found here, inside the guard
        return data
    except Exception as exc:  # one bad line never ends the conversation loop
        log_failure(log, f"converse line {number}", exc)
        return _refusal(fields.get("user"), error_reply(exc).text)


def converse_lines(assistant: Assistant, lines: Iterable[str] | Iterable[bytes] | TextIO, out: TextIO) -> None:
    """Run the converse protocol: {"user", "text"|"action", optional "group", "name"} in, {"user", "replies"} out."""
    for number, (line, too_long) in enumerate(_read(lines), 1):
        raw = line.strip()
        if not raw and not too_long:
            continue
        _write(out, converse_one(assistant, raw, too_long, number))


def export_lines(knowledge: Knowledge, out: TextIO) -> None:
    """Write every knowledge entry as one JSON line for comparison outside the assistant."""
    for entry in knowledge.entries.values():
        _write(out, {"id": entry.id, "kind": entry.kind, "title": entry.title, "text": entry.answer,
                     "phrasings": list(entry.questions), "codes": list(entry.codes),
                     "sources": [s.cite() for s in entry.sources]})
