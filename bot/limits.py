"""What each channel can carry, in one record per channel, and the check that the knowledge fits every channel."""
from __future__ import annotations

import html
import json
from dataclasses import dataclass

from guidance import trees
from guidance.config import Settings
from guidance.models import Knowledge, Poll, Problem, Reply
from guidance.replies import Replies

from .render import markdown


@dataclass(frozen=True)
class Limits:
    """The fixed limits of one channel; None means the channel has no such limit (or no such feature)."""

    channel: str
    message_chars: int | None = None        # characters in one text message
    html: bool = False                      # text goes out as HTML, so it is counted after escaping
    message_bytes: int | None = None        # bytes of one whole message, counted as UTF-16 (Teams)
    callback_bytes: int | None = None       # bytes of data a button carries back
    buttons_per_row: int | None = None      # buttons in one row; more are laid out in further rows
    toast_chars: int | None = None          # a notice shown only to the person who pressed a button
    caption_chars: int | None = None        # words under a picture
    image_bytes: int | None = None          # the largest picture sent; a larger one is replaced by its alt text
    poll_question_chars: int | None = None  # native quiz polls (None: the channel has none)
    poll_option_chars: int | None = None
    poll_options: tuple[int, int] | None = None   # fewest and most answer options
    poll_explanation_chars: int | None = None
    poll_explanation_line_feeds: int | None = None

    def text_length(self, text: str) -> int:
        """The length the channel counts against message_chars."""
        return len(html.escape(text)) if self.html else len(text)

    def poll_breaks(self, poll: Poll) -> list[str]:
        """Why a quiz question cannot go out as this channel's native quiz poll (empty when it can)."""
        if self.poll_question_chars is None:
            return []
        out = []
        if len(poll.question) > self.poll_question_chars:
            out.append(f"the question is {len(poll.question)} characters (a poll takes {self.poll_question_chars})")
        low, high = self.poll_options or (2, len(poll.options))
        if not low <= len(poll.options) <= high:
            out.append(f"it has {len(poll.options)} options (a poll takes {low} to {high})")
        for option in poll.options:
            if len(option) > (self.poll_option_chars or len(option)):
                out.append(f"the option '{option[:30]}…' is {len(option)} characters (a poll takes "
                           f"{self.poll_option_chars})")
        if self.poll_explanation_chars is not None and len(poll.explanation) > self.poll_explanation_chars:
            out.append(f"the explanation is {len(poll.explanation)} characters (a poll takes "
                       f"{self.poll_explanation_chars})")
        if self.poll_explanation_line_feeds is not None \
                and poll.explanation.count("\n") > self.poll_explanation_line_feeds:
            out.append(f"the explanation has {poll.explanation.count(chr(10))} line breaks (a poll takes "
                       f"{self.poll_explanation_line_feeds})")
        return out

    def fits_poll(self, poll: Poll) -> bool:
        """True when the quiz question can go out as a native quiz poll."""
        return self.poll_question_chars is not None and not self.poll_breaks(poll)


def utf16_bytes(data) -> int:
    """The size Teams counts for a message: its JSON encoded as UTF-16."""
    return len(json.dumps(data, ensure_ascii=False).encode("utf-16-le"))


# Telegram Bot API limits (python-telegram-bot's telegram.constants; tests/test_channel_contract.py compares them).
TELEGRAM = Limits("telegram", message_chars=4096, html=True, callback_bytes=64, toast_chars=200, caption_chars=1024,
                  image_bytes=10_000_000, poll_question_chars=300, poll_option_chars=100, poll_options=(2, 12),
                  poll_explanation_chars=200, poll_explanation_line_feeds=2)
# Teams refuses a bot message over its size (413 MessageSizeTooBig). Microsoft's pages give 28 KB to 100 KB
# depending on the page and its date, so cards are kept under the lowest. A picture rides in the card as a data URL.
TEAMS = Limits("teams", message_bytes=28 * 1024, buttons_per_row=6, image_bytes=1_000_000)
# The outgoing webhook answers with one text message (no buttons, no pictures), within the same size.
TEAMS_WEBHOOK = Limits("teams-webhook", message_bytes=28 * 1024)
# The terminal prints everything: buttons as numbered choices, pictures saved to a folder.
TERMINAL = Limits("terminal")

CHANNELS: dict[str, Limits] = {limits.channel: limits for limits in (TELEGRAM, TEAMS, TEAMS_WEBHOOK, TERMINAL)}


# -- the knowledge against every channel (python -m bot check) --------------------------------------------------------
def reply_breaks(reply: Reply, limits: Limits) -> list[str]:
    """How a reply goes beyond a channel's limits, in words (empty when it fits as it is)."""
    out = []
    if limits.message_chars is not None and limits.text_length(reply.text) > limits.message_chars:
        out.append(f"{limits.channel}: the text is {limits.text_length(reply.text):,} characters as sent, over "
                   f"{limits.message_chars:,} a message, so it goes out in parts")
    if limits.callback_bytes is not None:
        for button in reply.buttons:
            size = len(button.action.encode())
            if size > limits.callback_bytes:
                out.append(f"{limits.channel}: the button '{button.label}' carries {size} bytes (a button takes "
                           f"{limits.callback_bytes}), so it works only while the database keeps its long form")
    if limits.message_bytes is not None:
        from .cards import card  # cards take their row width from these limits
        shown = card(reply) if limits.buttons_per_row and reply.buttons else {"text": markdown(reply.text)}
        size = utf16_bytes(shown)
        if size > limits.message_bytes:
            out.append(f"{limits.channel}: the message is {size:,} bytes (a message takes {limits.message_bytes:,}), "
                       "so it is sent as several text messages")
    return out


def _steps(tree):
    """One step at every node a walk can reach, each by the first path found to it."""
    seen, pending = set(), [trees.start(tree)]
    while pending:
        step = pending.pop(0)
        if step.path[-1] in seen:
            continue
        seen.add(step.path[-1])
        yield step
        for i, option in enumerate(step.node.options):
            if option.next in tree.nodes and option.next not in seen:
                pending.append(trees.choose(step, i))


def knowledge_problems(knowledge: Knowledge, settings: Settings,
                       channels: dict[str, Limits] | None = None) -> list[Problem]:
    """Every entry, walk-through step and quiz question that goes beyond a channel's limits, as warnings naming
    the file, the line, the id, what happens in that channel and the fix. The replies are built as the engine
    builds them, so the check measures what people are sent."""
    channels = CHANNELS if channels is None else channels
    replies = Replies(knowledge, settings)
    found: list[Problem] = []

    def report(file, line, ident, breaks, fix):
        found.extend(Problem(file, line, ident, why, fix, severity="warning") for why in breaks)

    for entry in knowledge.entries.values():
        reply = replies.entry(entry, confidence=1.0)
        for limits in channels.values():
            report(entry.file, entry.line, entry.id, reply_breaks(reply, limits), "shorten the answer or split the "
                                                                                  "entry in two")
    for tree in knowledge.trees.values():
        for step in _steps(tree):
            reply = replies.step(step)
            for limits in channels.values():
                report(tree.file, step.node.line, f"{tree.id}/{step.node.id}", reply_breaks(reply, limits),
                       "shorten the step's text, or its tree and node ids")
    for question in knowledge.quiz.values():
        poll = Poll(question.question, question.options, question.answer, question.explanation)
        for limits in channels.values():
            breaks = limits.poll_breaks(poll)
            if breaks:
                report(question.file, question.line, question.id,
                       [f"{limits.channel}: sent as a text question with answer buttons, not a quiz poll, because "
                        + "; ".join(breaks)], "shorten the question, its options or its explanation")
    return found
