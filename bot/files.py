"""Uploaded register exports, the same in every channel: which files are read, the size cap, and the clear refusals."""
from __future__ import annotations

from pathlib import PurePath

from guidance.models import Reply

UPLOAD_SUFFIXES = (".csv", ".txt")
MAX_UPLOAD_BYTES = 1024 * 1024   # 1 MB: a term of marks for a whole school is far smaller


def _size(size: int) -> str:
    return f"{size / (1024 * 1024):.1f} MB" if size >= 100 * 1024 else f"{max(1, round(size / 1024))} KB"


def upload_refusal(filename: str | None, size: int | None) -> Reply | None:
    """Why an uploaded file will not be read (a reply to send), or None when it may be: only a .csv or .txt
    register export up to MAX_UPLOAD_BYTES. `size` may be unknown (None) until the file is downloaded."""
    name = PurePath(filename or "").name
    if PurePath(name).suffix.lower() not in UPLOAD_SUFFIXES:
        shown = f"'{name}'" if name else "That file"
        return Reply(kind="error", title="File not read", text=(
            f"{shown} is not a file I can read. Send a register export saved as .csv or .txt (up to "
            f"{_size(MAX_UPLOAD_BYTES)}): in your MIS, export the attendance marks as CSV."))
    if size is not None and size > MAX_UPLOAD_BYTES:
        return too_large(size)
    return None


def too_large(size: int | None = None) -> Reply:
    """The refusal for a file over the cap."""
    told = f" ({_size(size)})" if size else ""
    return Reply(kind="error", title="File too large", text=(
        f"That file is too large{told}: I read register exports up to {_size(MAX_UPLOAD_BYTES)}. Export fewer "
        "pupils or a shorter date range and send it again."))


def picture_refusal() -> Reply:
    """The reply to a picture sent instead of a file: a photo of a register cannot be read."""
    return Reply(kind="error", title="Picture not read", text=(
        "I can't read pictures of a register. Send the register export itself, saved as .csv or .txt (up to "
        f"{_size(MAX_UPLOAD_BYTES)})."))


def not_fetched() -> Reply:
    """The reply when an uploaded file could not be fetched from the channel."""
    return Reply(kind="error", title="File not received", text=(
        "I couldn't fetch that file. Please send it again in a moment."))
