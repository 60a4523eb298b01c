"""Adaptive Cards for Teams, as plain data: a reply's title, lines and buttons, and a picture with its alt text."""
from __future__ import annotations

import base64
import re

from guidance.models import Image, Reply

from .limits import TEAMS
from .render import blocks

CARD_SCHEMA = "http://adaptivecards.io/schemas/adaptive-card.json"
MAX_ROW = TEAMS.buttons_per_row


def card(reply: Reply, row: int = MAX_ROW) -> dict:
    """Render a reply as an Adaptive Card: the title, the text, and each button as an Action.Submit.

    Every line of the text is its own TextBlock (Teams markdown joins single line breaks) and consecutive list
    items share one TextBlock separated by "\r", the list syntax Adaptive Cards document. Teams shows at most
    `row` buttons in a row, so a card with more buttons lays them out as several ActionSet rows in the body
    instead of one "actions" list that would hide the rest."""
    title, sep, body = reply.text.partition("\n\n")
    if not sep or "\n" in title:
        title, body = (reply.title or ""), reply.text
        if _words(body).startswith(_words(title)):  # "Correct" over "Correct. ...": the text says it already
            title = ""
    items: list[dict] = []
    if title:
        items.append({"type": "TextBlock", "text": title, "weight": "Bolder", "size": "Medium", "wrap": True})
    for block in blocks(body):
        text = "\r".join(block.lines) if block.is_list else block.lines[0]
        items.append({"type": "TextBlock", "text": text, "wrap": True,
                      "spacing": "Medium" if block.new_paragraph else "Small"})
    actions = [{"type": "Action.Submit", "title": b.label, "data": {"action": b.action}} for b in reply.buttons]
    content = {"type": "AdaptiveCard", "$schema": CARD_SCHEMA, "version": "1.4", "body": items}
    if len(actions) <= row:
        content["actions"] = actions
    else:  # the buttons go in rows in the body, with no top-level actions list
        items.extend({"type": "ActionSet", "actions": r, "spacing": "Small"} for r in rows(actions, row))
    return content


def image_card(image: Image) -> dict:
    """A card showing a picture (a PNG as a data URL) with its alt text, read aloud by screen readers and shown
    under the picture for everyone."""
    url = "data:image/png;base64," + base64.b64encode(image.png).decode("ascii")
    return {"type": "AdaptiveCard", "$schema": CARD_SCHEMA, "version": "1.4", "body": [
        {"type": "Image", "url": url, "altText": image.alt, "size": "Stretch"},
        {"type": "TextBlock", "text": image.alt, "wrap": True, "isSubtle": True, "size": "Small"}]}


def _words(text: str) -> str:
    return " ".join(re.findall(r"\w+", text.lower()))


def rows(actions: list, size: int = MAX_ROW) -> list[list]:
    """Split actions into the fewest rows of at most size, as even as possible (9 -> 5 and 4, not 6 and 3)."""
    count = -(-len(actions) // size) if actions else 0
    base, extra = divmod(len(actions), count) if count else (0, 0)
    out, at = [], 0
    for i in range(count):
        width = base + (1 if i < extra else 0)
        out.append(actions[at:at + width])
        at += width
    return out
