"""The terminal channel: a chat loop with numbered choices and pictures saved to a folder, resuming after restarts."""
from __future__ import annotations

import asyncio
import re
import select
import sys
from pathlib import Path
from typing import TextIO

from guidance.assistant import Assistant
from guidance.models import Button, Image, Reply
from guidance.text import small_number

from .limits import TERMINAL
from .output import Output

TERMINAL_USER = "terminal"
CHARTS = Path("charts")  # where pictures are saved, relative to the folder the terminal runs in
QUIT_WORDS = {"quit", "exit", "bye", ":q"}
PASTE_WAIT = 0.05         # seconds: lines arriving closer together than this were pasted together
MAX_PASTE = 16_000        # characters of one paste read as one message
WELCOME = ("Hampshire attendance guidance. Ask a question, type a number to pick a choice, 'help' for ideas, "
           "'quit' to leave.\nPlease do not type children's names or identifying details.")


def pasted_with(stdin: TextIO, wait: float = PASTE_WAIT) -> str:
    """The rest of a paste: lines that arrived with the first (a week grid of register marks pasted at once is one
    message, not one message a row); typed lines, which come one at a time, are not joined."""
    more = ""
    while len(more) < MAX_PASTE:
        try:
            ready, _, _ = select.select([stdin], [], [], wait)
        except (OSError, ValueError):   # not a real terminal or pipe
            return more
        if not ready:
            return more
        line = stdin.readline()
        if not line:
            return more
        more += line
    return more


def save_picture(image: Image, folder: Path) -> Path:
    """Write a picture into the folder (made when first needed) under its own name, never over an earlier file."""
    folder.mkdir(parents=True, exist_ok=True)
    stem = re.sub(r"[^A-Za-z0-9_-]+", "-", Path(image.filename or "chart").stem).strip("-") or "chart"
    path, n = folder / f"{stem}.png", 1
    while path.exists():
        n += 1
        path = folder / f"{stem}-{n}.png"
    with open(path, "xb") as f:   # exclusive: two terminals never write one file
        f.write(image.png)
    return path


class TerminalOutput(Output):
    """Prints replies: buttons as one numbered list per turn, pictures saved in a folder with their alt text."""

    limits = TERMINAL

    def __init__(self, out: TextIO = sys.stdout, charts: Path = CHARTS):
        super().__init__()
        self.out = out
        self.charts = Path(charts)

    async def send_text(self, text: str) -> None:
        print(text, file=self.out)
        print(file=self.out)

    async def send_image(self, reply: Reply) -> None:
        """Save the picture and say where, with its alt text; if it cannot be saved, the alt text alone."""
        try:
            path = save_picture(reply.image, self.charts)
        except OSError as exc:
            await self.send_text(f"(The picture could not be saved in {self.charts}: {exc.strerror or exc}.)\n"
                                 f"Picture: {reply.image.alt}")
            return
        await self.send_text(f"Picture saved: {path}\n{reply.image.alt}")

    def show(self, replies: list[Reply]) -> list[Button]:
        """Print one turn's replies and return the buttons its numbers now stand for."""
        asyncio.run(self.deliver(replies))
        self.out.flush()
        return list(self.choices)


class TerminalChat:
    """Reads lines, sends them (or the chosen button) to the assistant and prints the replies."""

    def __init__(self, assistant: Assistant, out: TextIO = sys.stdout, user: str = TERMINAL_USER,
                 charts: Path = CHARTS):
        self.assistant = assistant
        self.out = out
        self.user = user
        self.output = TerminalOutput(out, charts)
        self.buttons: list[Button] = []

    def send(self, line: str) -> None:
        """Handle one typed line: a number picks a shown choice, anything else is a question.

        The numbers always refer to the list shown by the last turn (numbered across all of its replies); a
        number outside it is answered with the valid range rather than sent to the assistant as a question."""
        typed = line.strip()
        number = small_number(typed)
        if number is not None and self.buttons:
            if not 1 <= number <= len(self.buttons):
                print(self.out_of_range(), file=self.out)
                print(file=self.out)
                self.out.flush()
                return
            replies = self.assistant.handle(self.user, action=self.buttons[number - 1].action)
        else:
            replies = self.assistant.handle(self.user, text=line)
        self.show(replies)

    def show(self, replies) -> None:
        """Print one turn's replies; their buttons become one numbered list, counted on from reply to reply."""
        self.buttons = self.output.show(replies)

    def out_of_range(self) -> str:
        """The answer to a number that is not on the list."""
        count = len(self.buttons)
        choices = "1" if count == 1 else f"a number from 1 to {count}"
        return f"There is no choice with that number: type {choices}, or type a question."

    def run(self, stdin: TextIO = sys.stdin) -> None:
        """Chat until the user quits or input ends."""
        print(WELCOME, file=self.out)
        if self._walking():
            self.show(self.assistant.handle(self.user, action="resume"))
        interactive = stdin.isatty()
        while True:
            if interactive:
                self.out.write("> ")
                self.out.flush()
            try:
                line = stdin.readline()
                if interactive and line:
                    line += pasted_with(stdin)
            except KeyboardInterrupt:
                break
            if not line or line.strip().lower() in QUIT_WORDS:
                break
            self.send(line)
        print("Goodbye.", file=self.out)

    def _walking(self) -> bool:
        store = self.assistant.store
        return bool(store and store.state(self.user).get("tree"))
