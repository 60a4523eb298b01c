"""SQLite persistence through sqlite-utils with named migrations; the only module that writes SQL."""
from __future__ import annotations

import json
from datetime import datetime, timezone
from pathlib import Path

import sqlite_utils
from sqlite_utils.migrations import Migrations

migrations = Migrations("guidance")


@migrations(name="001_conversations")
def _conversations(db: sqlite_utils.Database) -> None:
    db["conversations"].create({"user": str, "state": str, "updated": str}, pk="user")


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


class Store:
    """Per-user conversation state that survives a restart."""

    def __init__(self, path: str = ":memory:"):
        if path != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
            self.db = sqlite_utils.Database(path)
            self.db.enable_wal()
        else:
            self.db = sqlite_utils.Database(memory=True)
        self.db.execute("PRAGMA busy_timeout = 10000")
        migrations.apply(self.db)

    def state(self, user: str) -> dict:
        """Return a user's saved conversation state, empty when there is none."""
        try:
            row = self.db["conversations"].get(user)
        except sqlite_utils.db.NotFoundError:
            return {}
        try:
            value = json.loads(row["state"])
        except (TypeError, ValueError):
            return {}
        return value if isinstance(value, dict) else {}

    def save_state(self, user: str, state: dict) -> None:
        """Save a user's conversation state, replacing the old one."""
        self.db["conversations"].upsert({"user": user, "state": json.dumps(state), "updated": _now()}, pk="user")

    def forget(self, user: str) -> None:
        """Delete everything stored about a user."""
        with self.db.conn:
            self.db.execute("DELETE FROM conversations WHERE user = ?", [user])

    def close(self) -> None:
        """Close the database connection."""
        self.db.close()
