"""Errors at the channel boundary: a channel that cannot start, and failures turned into friendly replies.

No exception's message ever reaches a person or a log: it may quote what someone typed. Logs name the class only.
"""
from __future__ import annotations

import logging
import re

from guidance.models import Reply
from guidance.store import StoreBusy

BUSY_TEXT = "The assistant is busy right now. Please try again in a moment."
FAILED_TEXT = ("Sorry, something went wrong while answering that message. Please try again, or rephrase it; "
               "if it keeps happening, tell your administrator.")
_SURROGATES = re.compile("[\ud800-\udfff]")


class ChannelSetupError(RuntimeError):
    """A channel cannot start: a missing or rejected token, or settings it needs are absent."""


def error_reply(exc: BaseException) -> Reply:
    """The reply a person sees when answering their message failed: 'busy, try again' when the database stayed
    locked, otherwise a general apology. Never the exception's text."""
    return Reply(kind="error", text=BUSY_TEXT if isinstance(exc, StoreBusy) else FAILED_TEXT)


def log_failure(log: logging.Logger, where: str, exc: BaseException) -> None:
    """Log a failure by its exception class only (never its message, which may quote the person's words)."""
    log.error("%s failed: %s", where, type(exc).__name__)


def valid_text(value: str) -> str:
    """The same text with lone surrogates (from JSON escapes such as \\ud800) replaced by U+FFFD, so it can be
    encoded, stored and sent."""
    return _SURROGATES.sub("\ufffd", value)
