"""The terminal channel: a chat loop that shows buttons as numbered choices and keeps state across restarts."""
from __future__ import annotations

import sys
from typing import TextIO

from guidance.assistant import Assistant
from guidance.models import Button

from .render import as_text

TERMINAL_USER = "terminal"
QUIT_WORDS = {"quit", "exit", "bye", ":q"}
WELCOME = ("Hampshire attendance guidance. Ask a question, type a number to pick a choice, 'help' for ideas, "
           "'quit' to leave.\nPlease do not type children's names or identifying details.")


class TerminalChat:
    """Reads lines, sends them (or the chosen button) to the assistant and prints the replies."""

    def __init__(self, assistant: Assistant, out: TextIO = sys.stdout, user: str = TERMINAL_USER):
        self.assistant = assistant
        self.out = out
        self.user = user
        self.buttons: list[Button] = []

    def send(self, line: str) -> None:
        """Handle one typed line: a number picks a shown choice, anything else is a question.

        The numbers always refer to the list shown by the last turn (numbered across all of its replies); a
        number outside it is answered with the valid range rather than sent to the assistant as a question."""
        typed = line.strip()
        if typed.isdigit() and len(typed) <= 3 and self.buttons:
            number = int(typed)
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
        self.buttons = []
        for reply in replies:
            print(as_text(reply, start=len(self.buttons) + 1), file=self.out)
            print(file=self.out)
            self.buttons.extend(reply.buttons)
        self.out.flush()

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
            except KeyboardInterrupt:
                break
            if not line or line.strip().lower() in QUIT_WORDS:
                break
            self.send(line)
        print("Goodbye.", file=self.out)

    def _walking(self) -> bool:
        store = self.assistant.store
        return bool(store and store.state(self.user).get("tree"))
