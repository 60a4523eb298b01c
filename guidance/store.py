"""SQLite persistence through sqlite-utils with named migrations; the only module that writes SQL."""
from __future__ import annotations

import functools
import json
import random
import sqlite3
import threading
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path

import sqlite_utils
from sqlite_utils.migrations import Migrations

from .quiz import Progress

migrations = Migrations("guidance")
BUSY_TIMEOUT_SECONDS = 5   # each attempt waits this long for another writer (several processes may share one file)
RETRY_DELAYS = (0.1, 0.3, 0.9)  # then up to three more attempts after these pauses (plus jitter) before giving up


class StoreBusy(RuntimeError):
    """The database stayed locked by another program through every retry; the person should try again shortly."""


def _is_locked(exc: BaseException) -> bool:
    text = str(exc).lower()
    return isinstance(exc, sqlite3.OperationalError) and ("locked" in text or "busy" in text)


def _retrying(method):
    """Run a store method; while SQLite reports the file locked, roll back, pause with a bounded backoff and try
    again, and after the last attempt raise StoreBusy. Calls nested inside another store call are retried by it."""
    @functools.wraps(method)
    def wrapper(self, *args, **kwargs):
        if getattr(self._local, "depth", 0):
            return method(self, *args, **kwargs)
        self._local.depth = 1
        try:
            for delay in (*self.retry_delays, None):
                try:
                    return method(self, *args, **kwargs)
                except sqlite3.OperationalError as exc:
                    if not _is_locked(exc):
                        raise
                    self._rollback()
                    if delay is None:
                        raise StoreBusy("the database is locked by another program; try again shortly") from None
                    time.sleep(delay * (1 + random.random() / 2))
        finally:
            self._local.depth = 0
    return wrapper


@migrations(name="001_conversations")
def _conversations(db: sqlite_utils.Database) -> None:
    db["conversations"].create({"user": str, "state": str, "updated": str}, pk="user")


@migrations(name="002_quiz")
def _quiz(db: sqlite_utils.Database) -> None:
    db["quiz_answers"].create({"id": int, "user": str, "question": str, "topic": str, "correct": int,
                               "round": int, "answered_at": str}, pk="id")
    db["quiz_answers"].create_index(["user"])
    db["quiz_progress"].create({"user": str, "question": str, "topic": str, "attempts": int, "correct": int,
                                "needs_review": int, "right_since_wrong": int, "last_round": int},
                               pk=("user", "question"))
    db["quiz_users"].create({"user": str, "rounds": int, "display_name": str, "on_leaderboard": int}, pk="user")
    db["group_rounds"].create({"grp": str, "round": int, "facilitator": str, "questions": str, "position": int,
                               "open": int, "started": str}, pk="grp")
    db["group_answers"].create({"grp": str, "round": int, "user": str, "question": str, "choice": int,
                                "correct": int}, pk=("grp", "round", "user", "question"))


@migrations(name="003_access_and_channels")
def _access(db: sqlite_utils.Database) -> None:
    db["access_grants"].create({"user": str, "granted": str}, pk="user")
    db["channel_state"].create({"channel": str, "key": str, "value": str, "updated": str}, pk=("channel", "key"))


@migrations(name="004_learning")
def _learning(db: sqlite_utils.Database) -> None:
    db["question_log"].create({"id": int, "user": str, "asked_at": str, "kind": str, "text": str, "raw": str,
                               "near": str}, pk="id")
    db["question_log"].create_index(["asked_at"])
    db["feedback"].create({"id": int, "user": str, "entry": str, "helpful": int, "at": str}, pk="id")
    db["feedback"].create_index(["at"])


def _when_unlocked(action, attempts: int = 200):
    """Run a start-up step that another process may be doing at the same moment (switching to WAL, migrating),
    retrying while SQLite reports the file locked."""
    for attempt in range(attempts):
        try:
            return action()
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) or attempt == attempts - 1:
                raise
            time.sleep(0.05)


def _now() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


class Store:
    """Per-user conversation state that survives a restart."""

    def __init__(self, path: str = ":memory:", busy_timeout: float = BUSY_TIMEOUT_SECONDS,
                 retry_delays: tuple[float, ...] = RETRY_DELAYS):
        self.retry_delays = tuple(retry_delays)
        self._local = threading.local()
        if path != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
            conn = sqlite3.connect(path, timeout=busy_timeout, check_same_thread=False)
            self.db = sqlite_utils.Database(conn)
            _when_unlocked(lambda: self.db.journal_mode == "wal" or self.db.enable_wal())
        else:
            self.db = sqlite_utils.Database(memory=True)
        _when_unlocked(lambda: migrations.apply(self.db))

    def _rollback(self) -> None:
        """Drop a transaction a locked statement left open, so no lock is kept between attempts."""
        try:
            if self.db.conn.in_transaction:
                self.db.conn.rollback()
        except sqlite3.Error:
            pass

    @_retrying
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

    @_retrying
    def save_state(self, user: str, state: dict) -> None:
        """Save a user's conversation state, replacing the old one."""
        self.db["conversations"].upsert({"user": user, "state": json.dumps(state), "updated": _now()}, pk="user")

    # -- quiz practice -------------------------------------------------------------------------
    @_retrying
    def progress(self, user: str) -> dict[str, Progress]:
        """Return a user's progress on every question they have answered."""
        return {r["question"]: Progress(r["question"], r["topic"], r["attempts"], r["correct"],
                                        bool(r["needs_review"]), r["right_since_wrong"], r["last_round"])
                for r in self.db["quiz_progress"].rows_where("user = ?", [user])}

    @_retrying
    def history(self, user: str) -> list[bool]:
        """Return whether each of a user's answers was right, oldest first."""
        return [bool(r["correct"]) for r in self.db["quiz_answers"].rows_where("user = ?", [user], order_by="id")]

    @_retrying
    def record_answer(self, user: str, progress: Progress, correct: bool, round_number: int,
                      state: dict | None = None) -> None:
        """Save one answer and the user's updated progress on that question (and, when given, the conversation
        state that moves past the question) in one transaction: all of it is saved or none."""
        with self.db.atomic():
            if state is not None:
                self.db["conversations"].upsert({"user": user, "state": json.dumps(state), "updated": _now()},
                                                pk="user")
            self.db["quiz_answers"].insert({"user": user, "question": progress.question, "topic": progress.topic,
                                            "correct": int(correct), "round": round_number,
                                            "answered_at": _now()})
            self.db["quiz_progress"].upsert({"user": user, "question": progress.question, "topic": progress.topic,
                                             "attempts": progress.attempts, "correct": progress.correct,
                                             "needs_review": int(progress.needs_review),
                                             "right_since_wrong": progress.right_since_wrong,
                                             "last_round": progress.last_round}, pk=("user", "question"))

    def _quiz_user(self, user: str) -> dict:
        try:
            return dict(self.db["quiz_users"].get(user))
        except sqlite_utils.db.NotFoundError:
            return {"user": user, "rounds": 0, "display_name": None, "on_leaderboard": 0}

    @_retrying
    def new_round(self, user: str) -> int:
        """Count a new round for a user and return its number (1 for the first)."""
        row = self._quiz_user(user)
        row["rounds"] += 1
        self.db["quiz_users"].upsert(row, pk="user")
        return row["rounds"]

    @_retrying
    def rounds(self, user: str) -> int:
        """Return how many rounds a user has started."""
        return self._quiz_user(user)["rounds"]

    @_retrying
    def set_leaderboard(self, user: str, display_name: str | None) -> None:
        """Opt a user in to leaderboards under a display name, or out (None)."""
        row = self._quiz_user(user)
        row["display_name"] = display_name
        row["on_leaderboard"] = int(display_name is not None)
        self.db["quiz_users"].upsert(row, pk="user")

    @_retrying
    def display_names(self, users: list[str]) -> dict[str, str]:
        """Return the display names of those users who opted in to leaderboards."""
        return {r["user"]: r["display_name"] for r in self.db["quiz_users"].rows_where("on_leaderboard = 1")
                if r["user"] in users and r["display_name"]}

    # -- group rounds --------------------------------------------------------------------------
    @_retrying
    def group_round(self, group: str) -> dict | None:
        """Return a group's current round, or None."""
        try:
            row = dict(self.db["group_rounds"].get(group))
        except sqlite_utils.db.NotFoundError:
            return None
        row["questions"] = json.loads(row["questions"])
        return row

    @_retrying
    def start_group_round(self, group: str, facilitator: str, questions: list[str]) -> dict:
        """Start a new round for a group, replacing any earlier one."""
        previous = self.group_round(group)
        number = (previous["round"] + 1) if previous else 1
        row = {"grp": group, "round": number, "facilitator": facilitator, "questions": json.dumps(questions),
               "position": 0, "open": 1, "started": _now()}
        self.db["group_rounds"].upsert(row, pk="grp")
        return self.group_round(group)

    @_retrying
    def advance_group_round(self, group: str, position: int, still_open: bool) -> None:
        """Move a group's round to another question, or close it."""
        self.db["group_rounds"].update(group, {"position": position, "open": int(still_open)})

    @_retrying
    def group_answer(self, group: str, round_number: int, user: str, question: str, choice: int,
                     correct: bool) -> bool:
        """Record a member's answer; False when they had already answered that question."""
        try:
            self.db["group_answers"].insert({"grp": group, "round": round_number, "user": user, "question": question,
                                             "choice": choice, "correct": int(correct)})
        except sqlite3.IntegrityError:
            return False
        return True

    @_retrying
    def record_group_answer(self, group: str, round_number: int, user: str, choice: int, progress: Progress,
                            correct: bool, user_round: int) -> bool:
        """Record a member's group answer together with their own answer and progress, in one transaction;
        False (and nothing saved) when they had already answered that question in this round."""
        try:
            with self.db.atomic():
                self.db["group_answers"].insert({"grp": group, "round": round_number, "user": user,
                                                 "question": progress.question, "choice": choice,
                                                 "correct": int(correct)})
                self.record_answer(user, progress, correct, user_round)
        except sqlite3.IntegrityError:
            return False
        return True

    @_retrying
    def group_scores(self, group: str, round_number: int) -> dict[str, tuple[int, int]]:
        """Return each member's (correct, answered) in a group round."""
        out: dict[str, tuple[int, int]] = {}
        for r in self.db["group_answers"].rows_where("grp = ? AND round = ?", [group, round_number]):
            c, n = out.get(r["user"], (0, 0))
            out[r["user"]] = (c + r["correct"], n + 1)
        return out

    # -- access and channel bookkeeping -------------------------------------------------------
    @_retrying
    def grant(self, user: str) -> None:
        """Record that a user redeemed the invite code."""
        self.db["access_grants"].upsert({"user": user, "granted": _now()}, pk="user")

    @_retrying
    def has_grant(self, user: str) -> bool:
        """True when a user has redeemed the invite code."""
        return bool(list(self.db["access_grants"].rows_where("user = ?", [user], limit=1)))

    @_retrying
    def channel_put(self, channel: str, key: str, value: dict) -> None:
        """Keep a small piece of channel bookkeeping (e.g. which poll asks which question)."""
        self.db["channel_state"].upsert({"channel": channel, "key": key, "value": json.dumps(value),
                                         "updated": _now()}, pk=("channel", "key"))

    @_retrying
    def channel_get(self, channel: str, key: str) -> dict | None:
        """Return a piece of channel bookkeeping, or None."""
        rows = list(self.db["channel_state"].rows_where("channel = ? AND key = ?", [channel, key], limit=1))
        return json.loads(rows[0]["value"]) if rows else None

    @_retrying
    def channel_delete(self, channel: str, key: str) -> None:
        """Remove a piece of channel bookkeeping."""
        with self.db.conn:
            self.db.execute("DELETE FROM channel_state WHERE channel = ? AND key = ?", [channel, key])

    # -- learning from questions ---------------------------------------------------------------
    @_retrying
    def log_question(self, user: str, kind: str, redacted: str, near: list[tuple[str, float]],
                     raw: str | None = None) -> None:
        """Log an unanswered or ambiguous question (already redacted; raw text only if configured)."""
        self.db["question_log"].insert({"user": user, "asked_at": _now(), "kind": kind, "text": redacted,
                                        "raw": raw, "near": json.dumps(near)})

    @_retrying
    def logged_questions(self) -> list[dict]:
        """Return every logged question, oldest first."""
        return [dict(r, near=json.loads(r["near"] or "[]")) for r in self.db["question_log"].rows_where(order_by="id")]

    @_retrying
    def add_feedback(self, user: str, entry: str, helpful: bool) -> None:
        """Record whether an answer helped."""
        self.db["feedback"].insert({"user": user, "entry": entry, "helpful": int(helpful), "at": _now()})

    @_retrying
    def feedback_counts(self) -> dict[str, tuple[int, int]]:
        """Return (helpful, not helpful) counts per entry."""
        out: dict[str, tuple[int, int]] = {}
        for r in self.db.query("SELECT entry, SUM(helpful) AS yes, SUM(1 - helpful) AS no FROM feedback "
                               "GROUP BY entry"):
            out[r["entry"]] = (r["yes"], r["no"])
        return out

    @_retrying
    def enforce_retention(self, days: int, now: datetime | None = None) -> int:
        """Delete logged questions, feedback and idle conversations older than the retention period."""
        cutoff = ((now or datetime.now(timezone.utc)) - timedelta(days=days)).isoformat(timespec="seconds")
        removed = 0
        with self.db.conn:
            for table, column in (("question_log", "asked_at"), ("feedback", "at"), ("conversations", "updated")):
                removed += self.db.execute(f"DELETE FROM [{table}] WHERE [{column}] < ?", [cutoff]).rowcount
        return removed

    @_retrying
    def forget(self, user: str) -> None:
        """Delete everything stored about a user: conversation, answers, progress, names and group answers."""
        with self.db.conn:
            for table in ("conversations", "quiz_answers", "quiz_progress", "quiz_users", "group_answers",
                          "access_grants", "question_log", "feedback"):
                self.db.execute(f"DELETE FROM [{table}] WHERE user = ?", [user])

    def close(self) -> None:
        """Close the database connection."""
        self.db.close()
