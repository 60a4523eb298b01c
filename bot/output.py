"""The output base class: anything degrades to text, so each channel overrides only what it shows better."""
from __future__ import annotations

from dataclasses import dataclass

from guidance.actions import action_role
from guidance.models import Button, Image, Reply

from .limits import TERMINAL, Limits
from .render import as_text


@dataclass(frozen=True)
class Pressed:
    """The button press a turn answers: its action, and the channel's own handle on the message it was on."""

    action: str
    message: object = None


def picture_text(image: Image) -> str:
    """The words that stand in for a picture where it cannot be shown."""
    return f"[Picture: {image.alt}]"


class Output:
    """Sends one turn's replies to one conversation. Only send_text must be written; everything else degrades to it:
    buttons become numbered choices, a quiz poll becomes its answer buttons, an edit becomes a new message and a
    picture becomes its alt text."""

    limits: Limits = TERMINAL

    def __init__(self) -> None:
        self.choices: list[Button] = []   # the buttons shown as numbered choices this turn, in number order

    async def deliver(self, replies: list[Reply], pressed: Pressed | None = None) -> None:
        """Send one turn's replies in order. When a button moved a walk-through on, the next step replaces the
        message the button was on where the channel can edit it; otherwise it comes as a new message."""
        self.choices = []
        replies = list(replies)
        if pressed is not None and replies and replies[0].role == "tree-step" \
                and action_role(pressed.action) == "step" and await self.edit(pressed, replies[0]):
            replies = replies[1:]
        for reply in replies:
            await self.send(reply)

    async def send(self, reply: Reply) -> None:
        """Send one reply: its picture first, then the reply as a quiz poll, with buttons, or as text."""
        if reply.image is not None:
            await self.send_image(reply)
        if reply.poll is not None:
            await self.send_poll(reply)
        elif reply.buttons:
            await self.send_buttons(reply)
        else:
            await self.send_text(reply.text)

    async def send_text(self, text: str) -> None:
        """Show text in the conversation (every channel writes this)."""
        raise NotImplementedError

    async def send_buttons(self, reply: Reply) -> None:
        """Show the text with its buttons as numbered choices, numbered on across the turn; `choices` maps each
        number back to its button, so a typed number can press it."""
        start = len(self.choices) + 1
        self.choices.extend(reply.buttons)
        await self.send_text(as_text(reply, start=start))

    async def send_poll(self, reply: Reply) -> None:
        """Show a quiz question; without native quiz polls, its answers are buttons like any others."""
        await self.send_buttons(reply)

    async def edit(self, pressed: Pressed, reply: Reply) -> bool:
        """Replace the pressed message with the reply; False when the channel cannot (it is then sent as new)."""
        return False

    async def send_image(self, reply: Reply) -> None:
        """Show a reply's picture; without pictures, its alt text."""
        await self.send_text(picture_text(reply.image))


class CollectingOutput(Output):
    """Keeps what a channel would show as a list of texts (the outgoing webhook answers with them at once; tests
    read them)."""

    def __init__(self, limits: Limits = TERMINAL) -> None:
        super().__init__()
        self.limits = limits
        self.texts: list[str] = []

    async def send_text(self, text: str) -> None:
        self.texts.append(text)
