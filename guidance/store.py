"""SQLite persistence through sqlite-utils with named migrations; the only module that writes SQL."""
from __future__ import annotations

import functools
import json
import random
import sqlite3
import threading
import time
from dataclasses import dataclass
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


@migrations(name="005_invite_failures")
def _invite_failures(db: sqlite_utils.Database) -> None:
    db["invite_failures"].create({"id": int, "user": str, "at": str}, pk="id")
    db["invite_failures"].create_index(["user", "at"])


@migrations(name="006_feedback_once_per_answer")
def _feedback_once(db: sqlite_utils.Database) -> None:
    # A person's rating of an answer is one record: keep the latest of any repeated presses, then let the index
    # make a later press replace the earlier one.
    db.execute("DELETE FROM feedback WHERE id NOT IN (SELECT MAX(id) FROM feedback GROUP BY user, entry)")
    db["feedback"].create_index(["user", "entry"], unique=True)


@dataclass(frozen=True)
class PersonalData:
    """One place in the database that names a user: the table, the column holding the user id (or, with
    `json_key`, the JSON object holding it under that key), other columns about that person, what forget-me and
    the retention sweep do with it, and what it holds in plain words (used in the forget-me reply and README)."""

    table: str
    column: str
    holds: str
    also: tuple[str, ...] = ()      # further columns about the same person (e.g. a display name)
    json_key: str | None = None     # the user id sits inside the JSON in `column`, under this key
    forget: str = "delete"          # "delete" the rows; "clear" the column (the row is shared); "keep" it
    aged_by: str | None = None      # timestamp column: older rows get the same treatment after retention_days;
                                    # None: kept until forget-me (or, for "keep", until an administrator removes it)


# Every table and column that names a user. forget() and enforce_retention() are driven by this list alone, and
# tests/test_personal_data.py fails when the schema has a user-like column (or channel record) not declared here.
PERSONAL_DATA: tuple[PersonalData, ...] = (
    PersonalData("conversations", "user", "your conversation state (walk-through, quiz or question in progress)",
                 also=("state",), aged_by="updated"),
    PersonalData("quiz_answers", "user", "your quiz answers"),
    PersonalData("quiz_progress", "user", "your quiz progress and questions to review"),
    PersonalData("quiz_users", "user", "your quiz round count and leaderboard opt-in and display name",
                 also=("display_name", "on_leaderboard")),
    PersonalData("group_answers", "user", "your answers in group quiz rounds"),
    PersonalData("group_rounds", "facilitator", "your user id as facilitator of a group quiz round (the round stays "
                                                "for the other members; anyone can start a new one)",
                 forget="clear", aged_by="started"),
    PersonalData("channel_state", "value", "Telegram quiz-poll records that name you",
                 json_key="user", aged_by="updated"),
    PersonalData("question_log", "user", "questions of yours that were logged for the content-gaps report",
                 also=("text", "raw"), aged_by="asked_at"),
    PersonalData("feedback", "user", "your Helpful / Not helpful feedback", aged_by="at"),
    PersonalData("invite_failures", "user", "your failed invite-code attempts", aged_by="at"),
    PersonalData("access_grants", "user", "your invite grant (access)", forget="keep"),
)

# Tables that name nobody, with the reason; every other table must be declared in PERSONAL_DATA.
NOT_PERSONAL: dict[str, str] = {
    "_sqlite_migrations": "the names of the migrations applied to this database",
}


def _match(item: PersonalData) -> str:
    """The SQL expression holding the user id for a declared item."""
    if item.json_key is None:
        return f"[{item.column}]"
    return f"(CASE WHEN json_valid([{item.column}]) THEN json_extract([{item.column}], '$.{item.json_key}') END)"


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


def _migrate(db: sqlite_utils.Database) -> None:
    """Apply pending migrations holding the write lock throughout, so two processes starting together never both
    run the same migration (the second waits, then finds nothing pending)."""
    if not migrations.pending(db):
        return
    db.execute("BEGIN IMMEDIATE")
    try:
        migrations.apply(db)
    except BaseException:
        db.conn.rollback()
        raise
    db.conn.commit()


def _now(now: datetime | None = None) -> str:
    return as_utc(now).isoformat(timespec="seconds")


def as_utc(now: datetime | None = None) -> datetime:
    """The given moment (naive means UTC) or the current one, in UTC."""
    if now is None:
        return datetime.now(timezone.utc)
    return now.replace(tzinfo=timezone.utc) if now.tzinfo is None else now.astimezone(timezone.utc)


class Store:
    """Per-user conversation state that survives a restart."""

    def __init__(self, path: str = ":memory:", busy_timeout: float = BUSY_TIMEOUT_SECONDS,
                 retry_delays: tuple[float, ...] = RETRY_DELAYS):
        self.retry_delays = tuple(retry_delays)
        self._local = threading.local()
        self._path, self._timeout = path, busy_timeout
        self._memory = None
        if path != ":memory:":
            Path(path).parent.mkdir(parents=True, exist_ok=True)
            _when_unlocked(lambda: self.db.journal_mode == "wal" or self.db.enable_wal())
        else:
            self._memory = sqlite_utils.Database(memory=True)
        _when_unlocked(lambda: _migrate(self.db))

    @property
    def db(self) -> sqlite_utils.Database:
        """This thread's connection: channels answer on a small worker pool, and one SQLite connection must never
        carry two threads' transactions at once (an in-memory store is used from one thread only)."""
        if self._memory is not None:
            return self._memory
        db = getattr(self._local, "db", None)
        if db is None:
            db = sqlite_utils.Database(sqlite3.connect(self._path, timeout=self._timeout, check_same_thread=False))
            self._local.db = db
        return db

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
        """Record whether an answer helped: one record per person and answer, so pressing Helpful again (or
        changing to Not helpful) replaces the earlier press instead of counting twice."""
        with self.db.conn:
            self.db.execute("INSERT INTO feedback (user, entry, helpful, at) VALUES (?, ?, ?, ?) "
                            "ON CONFLICT (user, entry) DO UPDATE SET helpful = excluded.helpful, at = excluded.at",
                            [user, entry, int(helpful), _now()])

    @_retrying
    def feedback_counts(self) -> dict[str, tuple[int, int]]:
        """Return (helpful, not helpful) counts per entry."""
        out: dict[str, tuple[int, int]] = {}
        for r in self.db.query("SELECT entry, SUM(helpful) AS yes, SUM(1 - helpful) AS no FROM feedback "
                               "GROUP BY entry"):
            out[r["entry"]] = (r["yes"], r["no"])
        return out

    # -- failed invite codes -------------------------------------------------------------------
    @_retrying
    def record_invite_failure(self, user: str, now: datetime | None = None) -> None:
        """Record one wrong invite code sent by a user."""
        self.db["invite_failures"].insert({"user": user, "at": _now(now)})

    @_retrying
    def invite_failures(self, user: str, limit: int) -> list[datetime]:
        """Return the times of a user's latest failed invite codes, newest first."""
        return [datetime.fromisoformat(r["at"]) for r in
                self.db["invite_failures"].rows_where("user = ?", [user], order_by="at DESC, id DESC", limit=limit)]

    # -- usage ---------------------------------------------------------------------------------
    @_retrying
    def usage(self, now: datetime | None = None, active_hours: int = 24) -> dict[str, int]:
        """Counts for the admin /usage reply: logged questions, feedback, quiz answers, saved and recently active
        conversations, failed invite codes (all, and in the last day), invite grants."""
        since = (as_utc(now) - timedelta(hours=active_hours)).isoformat(timespec="seconds")

        def count(sql: str, params: tuple = ()) -> int:
            return self.db.execute(sql, params).fetchone()[0]
        return {
            "questions_logged": count("SELECT COUNT(*) FROM question_log"),
            "feedback": count("SELECT COUNT(*) FROM feedback"),
            "quiz_answers": count("SELECT COUNT(*) FROM quiz_answers"),
            "conversations": count("SELECT COUNT(*) FROM conversations"),
            "active_conversations": count("SELECT COUNT(*) FROM conversations WHERE updated >= ?", (since,)),
            "failed_invites": count("SELECT COUNT(*) FROM invite_failures"),
            "failed_invites_recent": count("SELECT COUNT(*) FROM invite_failures WHERE at >= ?", (since,)),
            "invite_grants": count("SELECT COUNT(*) FROM access_grants"),
        }

    # -- personal data: retention and forget-me, both driven by PERSONAL_DATA ------------------
    def _remove(self, item: PersonalData, where: str, params: list) -> int:
        """Delete the matching rows of a declared item, or clear its user column when the row is shared."""
        if item.forget == "clear":
            return self.db.execute(f"UPDATE [{item.table}] SET [{item.column}] = NULL WHERE {where}", params).rowcount
        return self.db.execute(f"DELETE FROM [{item.table}] WHERE {where}", params).rowcount

    @_retrying
    def enforce_retention(self, days: int, now: datetime | None = None) -> int:
        """Apply the retention period to every declared item with a timestamp (logged questions, feedback, idle
        conversations, group-round facilitators, poll records naming a user, failed invite codes); return how many
        rows were deleted or cleared."""
        cutoff = (as_utc(now) - timedelta(days=days)).isoformat(timespec="seconds")
        removed = 0
        with self.db.conn:
            for item in PERSONAL_DATA:
                if item.aged_by is None or item.forget == "keep":
                    continue
                removed += self._remove(item, f"[{item.aged_by}] < ? AND {_match(item)} IS NOT NULL", [cutoff])
        return removed

    @_retrying
    def forget(self, user: str) -> dict[str, int]:
        """Delete (or, in shared rows, clear) everything declared in PERSONAL_DATA that names this user, except
        what is declared "keep" (the invite grant); return the rows affected per table."""
        affected: dict[str, int] = {}
        with self.db.conn:
            for item in PERSONAL_DATA:
                if item.forget != "keep":
                    affected[item.table] = self._remove(item, f"{_match(item)} = ?", [user])
        return affected

    def close(self) -> None:
        """Close the database connection."""
        self.db.close()
