"""Hostile input, stale saved state and a locked database never crash a channel or lose a line."""
from __future__ import annotations

import dataclasses
import io
import json
import logging
import random
import sqlite3
import subprocess
import sys

import pytest

from bot.errors import BUSY_TEXT
from bot.jsonlines import MAX_DEPTH, ask_lines, converse_lines, too_deep
from guidance.assistant import Assistant
from guidance.config import Settings
from guidance.store import Store, StoreBusy
from tests.conftest import FIXTURES, ROOT

QUESTION = "how long can the register stay open"
FIELDS = ("user", "text", "action", "group", "name")


@pytest.fixture
def mini_config(tmp_path):
    config = tmp_path / "config.yaml"
    config.write_text(f"knowledge_dir: {FIXTURES / 'mini'}\ndatabase: {tmp_path / 'state.db'}\n")
    return str(config)


def _cli(config: str, *args: str, stdin: bytes, timeout: int = 240) -> subprocess.CompletedProcess:
    """Run `python -m bot` with raw bytes on stdin (run_cli takes text, which cannot hold invalid UTF-8)."""
    return subprocess.run([sys.executable, "-m", "bot", "--config", config, *args], input=stdin,
                          capture_output=True, cwd=ROOT, timeout=timeout)


def hostile_lines(n: int, seed: int = 7) -> list[tuple[str, bytes]]:
    """n single-line hostile inputs, each labelled with its family: lone surrogates as JSON escapes, invalid UTF-8
    inside JSON strings, nesting about 1,000 deep, arrays and numbers instead of objects, wrong field types, and
    random bytes."""
    rng = random.Random(seed)
    wrong = [[], {}, 1.5, True, [1, "x"], {"a": {"b": 1}}, 10 ** 30, -1]

    def surrogate() -> bytes:
        field = rng.choice(FIELDS)
        message = {"user": "s", "text": "code C2"}
        message[field] = rng.choice(["\\ud800", "x\\udfff", "\\udbff\\udbff", "ok \\ud83d", "\\udc80 late"])
        body = json.dumps(message).replace("\\\\u", "\\u")  # json.dumps doubles the backslash we want kept
        return body.encode()

    def bad_utf8() -> bytes:
        junk = bytes(rng.choice([0xff, 0xfe, 0xc0, 0x80, 0xed, 0xf8]) for _ in range(rng.randint(1, 6)))
        field = rng.choice(("user", "text", "name", "group", "action"))
        return b'{"user": "b", "' + field.encode() + b'": "code ' + junk + b' C2"}'

    def deep() -> bytes:
        depth = rng.randint(900, 1100)
        shape = rng.choice([("[" * depth + "]" * depth), ('{"a":' * depth + "1" + "}" * depth),
                            '{"user": "d", "text": ' + "[" * depth + "]" * depth + "}"])
        return shape.encode()

    def not_object() -> bytes:
        return rng.choice([b"[1, 2, 3]", b"[]", b"42", b"-0.5e300", b'"a string"', b"null", b"true",
                           b'[{"user": "u", "text": "hi"}]', b"9" * 5000])

    def wrong_types() -> bytes:
        field = rng.choice(FIELDS)
        message = {"user": "w", "text": "code C2", field: rng.choice(wrong)}
        if field == "user" and type(message["user"]) is int:  # whole numbers are accepted as user ids
            message["user"] = [1]
        return json.dumps(message).encode()

    def random_bytes() -> bytes:
        raw = bytes(rng.randrange(256) for _ in range(rng.randint(1, 300)))
        return b"~" + raw.replace(b"\n", b" ")  # one line, never blank

    makers = [surrogate, bad_utf8, deep, not_object, wrong_types, random_bytes]
    out = []
    for i in range(n):
        maker = makers[i % len(makers)]
        out.append((maker.__name__, maker()))
    return out


def test_1500_hostile_lines_through_one_converse_process(mini_config):
    lines = hostile_lines(1500)
    final = json.dumps({"user": "final", "text": QUESTION}).encode()
    result = _cli(mini_config, "converse", stdin=b"\n".join(b for _, b in lines) + b"\n" + final + b"\n")
    assert result.returncode == 0, result.stderr[-2000:]
    assert b"Traceback" not in result.stderr
    out = [json.loads(x) for x in result.stdout.decode("ascii").splitlines()]
    assert len(out) == 1501
    for (family, _), row in zip(lines, out):
        assert set(row) == {"user", "replies"} and row["replies"], family
        if family in ("deep", "not_object", "wrong_types", "random_bytes"):
            assert row["replies"][0]["kind"] == "error", (family, row)
    assert out[-1]["user"] == "final" and out[-1]["replies"][0]["id"] == "mini-register"


def test_ask_json_survives_invalid_utf8_and_surrogates(mini_config):
    stdin = b"code \xff\xfe C2\n\xed\xa0\x80 register\n" + QUESTION.encode() + b"\n"
    result = _cli(mini_config, "ask", "--json", "-", stdin=stdin)
    assert result.returncode == 0, result.stderr[-2000:]
    rows = [json.loads(x) for x in result.stdout.decode("ascii").splitlines()]
    assert len(rows) == 3 and rows[2]["id"] == "mini-register"
    assert "\ufffd" in rows[0]["query"]


def test_each_hostile_family_gets_a_clear_error_in_process(mini):
    bot = Assistant(mini, Settings(), Store())
    cases = {
        b"[" * 1000 + b"]" * 1000: "nests brackets",
        b"[1, 2]": "not an array",
        b"42": "not a number",
        b"9" * 5000: "could not be read as JSON",
        b'{"user": ["u"], "text": "x"}': "'user' id",
        b'{"user": "u", "text": {"a": 1}}': "'text' (a string)",
        b'{"user": "u", "text": "x", "group": 5}': "'group' and 'name'",
        b"\xff\xfe\x00garbage": "not valid JSON",
    }
    out = io.StringIO()
    converse_lines(bot, io.BytesIO(b"\n".join(cases) + b"\n"), out)
    rows = [json.loads(x) for x in out.getvalue().splitlines()]
    assert len(rows) == len(cases)
    for row, expected in zip(rows, cases.values()):
        assert row["replies"][0]["kind"] == "error" and expected in row["replies"][0]["text"], row


def test_lone_surrogates_are_replaced_at_the_boundary(mini):
    bot = Assistant(mini, Settings(), Store())
    out = io.StringIO()
    converse_lines(bot, ['{"user": "\\ud800", "text": "\\udfff ' + QUESTION + '"}\n',
                         '{"user": "\\ud800", "name": "A\\udc00n", "text": "show me on leaderboards"}\n'], out)
    first, second = (json.loads(x) for x in out.getvalue().splitlines())
    assert first["user"] == "\ufffd" and first["replies"][0]["id"] == "mini-register"
    assert "A\ufffdn" in second["replies"][0]["text"]


def test_depth_check_ignores_brackets_inside_strings_and_is_linear():
    assert not too_deep(json.dumps({"user": "u", "text": "[" * 5000}))
    assert too_deep("[" * (MAX_DEPTH + 1) + "]" * (MAX_DEPTH + 1))
    assert not too_deep("[" * MAX_DEPTH + "]" * MAX_DEPTH)
    assert not too_deep('"' + '\\"' * 50_000)  # an unterminated string does not make the scan quadratic


def test_a_failing_line_is_logged_by_class_only_and_the_next_is_answered(mini, caplog):
    bot = Assistant(mini, Settings(), Store())
    real = bot.handle

    def flaky(user, **kwargs):
        if kwargs.get("text") == "boom":
            raise RuntimeError("secret pupil name Jo Bloggs")
        return real(user, **kwargs)
    bot.handle = flaky
    out = io.StringIO()
    with caplog.at_level(logging.ERROR, logger="bot.jsonlines"):
        converse_lines(bot, [json.dumps({"user": "u", "text": "boom"}), json.dumps({"user": "u", "text": QUESTION})],
                       out)
    failed, answered = (json.loads(x) for x in out.getvalue().splitlines())
    assert failed["user"] == "u" and failed["replies"][0]["kind"] == "error"
    assert "Jo Bloggs" not in json.dumps(failed) and "RuntimeError" not in json.dumps(failed)
    assert answered["replies"][0]["id"] == "mini-register"
    assert "RuntimeError" in caplog.text and "Jo Bloggs" not in caplog.text


# -- saved quiz state that outlives the question bank ---------------------------------------------------------
def _without(knowledge, qid: str):
    return dataclasses.replace(knowledge, quiz={k: v for k, v in knowledge.quiz.items() if k != qid})


def _mid_round(mini, store: Store):
    """A user part-way through a round; returns the assistant and the id of the question they are on."""
    bot = Assistant(mini, Settings(), store)
    bot.practice.rng.seed(3)
    reply = bot.handle("u", action="quiz:5")[0]
    return bot, reply.id


def test_quiz_answer_after_its_question_was_removed_starts_afresh(mini):
    store = Store()
    bot, qid = _mid_round(mini, store)
    option = len(mini.quiz[qid].options) - 1
    after = Assistant(_without(mini, qid), Settings(), store)  # content changed and reloaded
    replies = after.handle("u", action=f"qa:{qid}:{option}")
    assert replies[0].title == "Quiz changed" and "fresh round" in replies[0].text
    assert any(b.action == "quiz:5" for b in replies[0].buttons)
    assert "quiz" not in store.state("u")
    assert after.handle("u", action="quiz:5")[0].kind == "quiz"  # a fresh start works


def test_quiz_resume_and_typed_answer_after_removal_never_raise(mini):
    store = Store()
    bot, qid = _mid_round(mini, store)
    after = Assistant(_without(mini, qid), Settings(), store)
    resumed = after.handle("u", action="quiz:resume")
    assert resumed[0].title == "Quiz changed" and any(b.action == "quiz:5" for b in resumed[0].buttons)
    assert "quiz" not in store.state("u")           # the stale round is gone at once
    store2 = Store()
    _mid_round(mini, store2)
    typed = Assistant(_without(mini, qid), Settings(), store2).handle("u", text="1")
    assert typed[0].title == "Quiz changed" and "quiz" not in store2.state("u")


def test_next_question_removed_mid_round_ends_the_round_clearly(mini):
    store = Store()
    bot, qid = _mid_round(mini, store)
    next_id = store.state("u")["quiz"]["ids"][1]
    after = Assistant(_without(mini, next_id), Settings(), store)
    replies = after.handle("u", action=f"qa:{qid}:{mini.quiz[qid].answer}")
    assert replies[0].title == "Correct" and replies[1].title == "Quiz changed"
    assert store.history("u") == [True] and "quiz" not in store.state("u")


def test_group_round_with_a_removed_question_closes_cleanly(mini):
    store = Store()
    bot = Assistant(mini, Settings(), store)
    bot.practice.rng.seed(3)
    question = bot.handle("f", text="group quiz", group="g")[1]
    after = Assistant(_without(mini, question.id), Settings(), store)
    answer = after.handle("m", action=f"grp:1:{question.id}:0", group="g")
    assert any(r.title == "Quiz changed" for r in answer) and not store.group_round("g")["open"]
    assert after.handle("f", action="grp:next", group="g")[0].kind == "error"  # closed, not a KeyError
    bot.handle("f", text="group quiz", group="g")
    row = store.group_round("g")
    gone = _without(mini, row["questions"][0])
    assert any(r.title == "Quiz changed" for r in Assistant(gone, Settings(), store).handle("f", action="grp:next",
                                                                                            group="g"))


def test_group_round_whose_next_question_was_removed_reveals_then_closes(mini):
    store = Store()
    bot = Assistant(mini, Settings(), store)
    bot.handle("f", text="group quiz", group="g")
    row = store.group_round("g")
    after = Assistant(_without(mini, row["questions"][1]), Settings(), store)
    replies = after.handle("f", action="grp:next", group="g")
    assert [r.title for r in replies] == ["Answer", "Quiz changed", "Leaderboard"]


def test_quiz_answer_and_state_are_saved_in_one_transaction(mini, monkeypatch):
    store = Store()
    bot, qid = _mid_round(mini, store)
    before = store.state("u")
    real = store.db["quiz_progress"].__class__.upsert

    def fail_progress(table, record, *args, **kwargs):
        if table.name == "quiz_progress":
            raise sqlite3.OperationalError("disk I/O error")
        return real(table, record, *args, **kwargs)
    monkeypatch.setattr(store.db["quiz_progress"].__class__, "upsert", fail_progress)
    with pytest.raises(sqlite3.OperationalError):
        bot.handle("u", action=f"qa:{qid}:0")
    monkeypatch.undo()
    assert store.history("u") == [] and store.state("u") == before  # neither the answer nor the moved-on state


def test_group_answer_and_progress_are_saved_together(mini):
    store = Store()
    bot = Assistant(mini, Settings(), store)
    question = bot.handle("f", text="group quiz", group="g")[1]
    assert bot.handle("m", action=f"grp:1:{question.id}:0", group="g")[0].text == "Answer recorded."
    assert "already answered" in bot.handle("m", action=f"grp:1:{question.id}:1", group="g")[0].text
    assert len(store.history("m")) == 1 and store.group_scores("g", 1)["m"][1] == 1


# -- a database locked by another program ----------------------------------------------------------------------
def test_locked_database_answers_busy_then_recovers(mini, tmp_path):
    path = tmp_path / "locked.db"
    store = Store(str(path), busy_timeout=0.05, retry_delays=(0.01, 0.02))
    bot = Assistant(mini, Settings(), store)
    other = sqlite3.connect(path, timeout=0, isolation_level=None)
    other.execute("BEGIN EXCLUSIVE")
    try:
        with pytest.raises(StoreBusy):
            store.save_state("u", {"x": 1})
        out = io.StringIO()
        converse_lines(bot, [json.dumps({"user": "u", "text": "help me decide if a pupil is late"})], out)
        row = json.loads(out.getvalue())
        assert row["user"] == "u" and row["replies"][0]["kind"] == "error"
        assert row["replies"][0]["text"] == BUSY_TEXT
    finally:
        other.execute("ROLLBACK")
        other.close()
    out = io.StringIO()
    converse_lines(bot, [json.dumps({"user": "u", "text": "help me decide if a pupil is late"}),
                         json.dumps({"user": "u", "text": "yes"})], out)
    walk, step = (json.loads(x) for x in out.getvalue().splitlines())
    assert walk["replies"][0]["kind"] == "tree" and "Late before the register closed" in step["replies"][0]["text"]


def test_store_retries_with_backoff_until_the_lock_clears(tmp_path, monkeypatch):
    path = tmp_path / "brief.db"
    store = Store(str(path), busy_timeout=0.01, retry_delays=(0.01, 0.01, 0.01, 0.01))
    other = sqlite3.connect(path, timeout=0, isolation_level=None)
    other.execute("BEGIN EXCLUSIVE")
    pauses = []
    real_sleep = __import__("time").sleep

    def sleep_then_release(seconds):
        pauses.append(seconds)
        if len(pauses) == 2:
            other.execute("ROLLBACK")
        real_sleep(seconds)
    monkeypatch.setattr("guidance.store.time.sleep", sleep_then_release)
    store.save_state("u", {"kept": True})
    other.close()
    assert len(pauses) == 2 and all(0.01 <= p <= 0.015 for p in pauses)
    assert store.state("u") == {"kept": True}


def test_a_walk_through_changed_under_a_user_restarts_with_a_clear_message(mini):
    """A stored walk whose steps no longer exist gets a clear message and a fresh start, never an error."""
    store = Store()
    bot = Assistant(mini, Settings(), store)
    tree = next(iter(mini.trees.values()))
    first = bot.handle("u", action=f"tree:{tree.id}")[0]
    store.save_state("u", {**store.state("u"), "path": [tree.start, "a-node-that-was-removed"]})
    replies = bot.handle("u", action=first.buttons[0].action.replace(tree.start, "a-node-that-was-removed"))
    assert "changed since you started" in replies[0].text and replies[1].kind == "tree"
    assert store.state("u")["path"] == [tree.start]


@pytest.mark.parametrize("typed", ["¹", "٣", "²³", "1²"])
def test_digits_that_are_not_0_to_9_are_never_read_as_a_choice(chat, typed):
    """Superscripts and other scripts' digits count as digits to str.isdigit but are not a choice number."""
    chat.handle("d1", action="tree:tree-code")
    assert chat.handle("d1", text=typed)
    chat.handle("d2", text="quiz")
    chat.handle("d2", action="quiz:5")
    assert chat.handle("d2", text=typed)
