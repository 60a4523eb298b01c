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
        """Handle one typed line: a number picks a shown choice, anything else is a question."""
        typed = line.strip()
        if typed.isdigit() and len(typed) <= 3 and 1 <= int(typed) <= len(self.buttons):
            replies = self.assistant.handle(self.user, action=self.buttons[int(typed) - 1].action)
        else:
            replies = self.assistant.handle(self.user, text=line)
        self.buttons = []
        for reply in replies:
            self.buttons = list(reply.buttons)
            print(as_text(reply), file=self.out)
            print(file=self.out)
        self.out.flush()

    def run(self, stdin: TextIO = sys.stdin) -> None:
        """Chat until the user quits or input ends."""
        print(WELCOME, file=self.out)
        replies = self.assistant.handle(self.user, action="resume") if self._walking() else []
        for reply in replies:
            self.buttons = list(reply.buttons)
            print(as_text(reply), file=self.out)
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
