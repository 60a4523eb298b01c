"""Helpful / Not helpful pressed again on the same answer is one record, the latest press, through the session."""
import sqlite3

from guidance.assistant import Assistant
from guidance.config import Settings
from guidance.store import Store, migrations


def test_pressing_feedback_again_keeps_one_record_the_latest(mini):
    store = Store()
    bot = Assistant(mini, Settings(), store)
    answer = bot.handle("u1", text="how long can the register stay open")[0]
    helpful = next(b.action for b in answer.buttons if b.role == "feedback" and b.action.endswith(":1"))
    not_helpful = next(b.action for b in answer.buttons if b.role == "feedback" and b.action.endswith(":0"))
    for _ in range(3):
        assert "Thank you" in bot.handle("u1", action=helpful)[0].text
    assert store.feedback_counts() == {"mini-register": (1, 0)} and store.usage()["feedback"] == 1
    bot.handle("u1", action=not_helpful)                      # a change of mind replaces the earlier press
    assert store.feedback_counts() == {"mini-register": (0, 1)} and store.usage()["feedback"] == 1
    bot.handle("u2", action=helpful)                          # another person's press is their own record
    assert store.feedback_counts() == {"mini-register": (1, 1)} and store.usage()["feedback"] == 2


def test_the_migration_keeps_the_latest_of_earlier_repeated_presses(tmp_path):
    path = str(tmp_path / "old.db")
    import sqlite_utils
    db = sqlite_utils.Database(sqlite3.connect(path))
    migrations.apply(db, stop_before="006_feedback_once_per_answer")   # a database from before this change
    for helpful in (1, 1, 0):
        db["feedback"].insert({"user": "u1", "entry": "e", "helpful": helpful, "at": "2026-11-01T00:00:00+00:00"})
    db["feedback"].insert({"user": "u2", "entry": "e", "helpful": 1, "at": "2026-11-01T00:00:00+00:00"})
    db.conn.close()
    store = Store(path)
    assert store.feedback_counts() == {"e": (1, 1)} and store.usage()["feedback"] == 2
    store.add_feedback("u1", "e", True)
    assert store.feedback_counts() == {"e": (2, 0)}
