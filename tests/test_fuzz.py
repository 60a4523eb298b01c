"""Property-based tests: arbitrary input never raises and always gets a reply within channel limits.

Two Hypothesis profiles: "fuzz-fast" (the default: few examples, derandomized, so `make test` stays quick and
repeatable) and "fuzz-ci" (loaded when CI=true: many more examples, randomized each run so CI keeps exploring;
a failure prints the blob to reproduce it). Pick one explicitly with HYPOTHESIS_PROFILE=fuzz-ci.
"""
import io
import itertools
import json
import os

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

from bot.jsonlines import ask_lines, converse_lines
from guidance.assistant import Assistant
from guidance.store import Store

QUIET = [HealthCheck.too_slow, HealthCheck.function_scoped_fixture, HealthCheck.data_too_large]
settings.register_profile("fuzz-fast", max_examples=100, deadline=None, derandomize=True,
                          suppress_health_check=QUIET)
settings.register_profile("fuzz-ci", max_examples=1000, deadline=None, derandomize=False, print_blob=True,
                          suppress_health_check=QUIET)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE")
                      or ("fuzz-ci" if os.environ.get("CI", "").lower() == "true" else "fuzz-fast"))

TELEGRAM_MESSAGE = 4096
KINDS = {"answer", "code", "tree", "glossary", "calculation", "did-you-mean", "fallback", "safeguarding", "help",
         "error", "quiz", "register"}
NASTY = st.sampled_from([
    "<script>alert(1)</script>", "'; DROP TABLE conversations; --", "{{7*7}}", "${jndi:ldap://x}", "\x00\x1b[2J",
    "𝕮𝖔𝖉𝖊 𝖀", "‮U code", "C2" * 5000, "/" * 300, "\\", "#", "<b>bold</b> & <i>", "%s%s%n", "\u200b\u200bC2",
    "arrived 99.99 register closed 25.61", "attended 1e9 of 0 sessions", "999999999999 out of 1 sessions",
    "\ud800", "code \udfff C2", "\udbff\udc00 late", "\ufeff\ufffe\uffff",
])
ANY_CHAR = st.characters(exclude_categories=())  # surrogates included: st.text leaves them out by default
TEXT = st.one_of(st.text(max_size=300), st.text(ANY_CHAR, max_size=200), st.text(min_size=5000, max_size=20000),
                 NASTY,
                 st.lists(st.sampled_from(["code", "C2", "late", "9.20", "AP", "young", "carer", "of", "90%",
                                           "sessions", "told", "hurts", "quiz", "back", "1", "forget me"]),
                          max_size=12).map(" ".join))
ACTIONS = st.one_of(st.text(ANY_CHAR, max_size=80), st.sampled_from([
    "back", "restart", "resume", "exit", "quiz", "quiz:5", "quiz:review", "quiz:resume", "quiz:stop", "qa:x:1",
    "opt:tree-code:start:0", "tree:tree-code", "open:code-u", "fb:code-u:1", "grp:next", "grp:end", "grp:1:x:0",
    "forget:yes", "quiz:stats", "cancel"]))
# any JSON value, strings with lone surrogates included: the wrong type for every field
JSON_VALUE = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False, allow_infinity=False),
              st.text(ANY_CHAR, max_size=30)),
    lambda inner: st.one_of(st.lists(inner, max_size=3), st.dictionaries(st.text(max_size=5), inner, max_size=3)),
    max_leaves=8)
FIELD = st.one_of(st.text(ANY_CHAR, max_size=40), JSON_VALUE)
MESSAGE = st.fixed_dictionaries({}, optional={"user": st.one_of(st.sampled_from(["u1", "u2"]), FIELD),
                                              "text": st.one_of(TEXT, FIELD), "action": st.one_of(ACTIONS, FIELD),
                                              "group": st.one_of(st.just("g1"), FIELD), "name": FIELD})
DEEP = st.integers(min_value=50, max_value=3000).flatmap(lambda n: st.sampled_from([
    "[" * n + "]" * n, '{"a":' * n + "1" + "}" * n, '{"user": "u1", "text": ' + "[" * n + "]" * n + "}",
    "[" * n]))
LINE = st.one_of(
    MESSAGE.map(json.dumps).map(str.encode),  # json.dumps writes lone surrogates as \ud800 escapes
    JSON_VALUE.map(json.dumps).map(str.encode),  # arrays, numbers, strings, null instead of an object
    DEEP.map(str.encode),
    st.binary(max_size=300),  # raw bytes, invalid UTF-8 included
    st.tuples(MESSAGE.map(json.dumps), st.binary(max_size=8)).map(  # invalid UTF-8 inside a JSON string
        lambda pair: pair[0].replace('"', '"' + pair[1].decode("latin-1"), 1).encode("latin-1", "replace")),
    st.text(ANY_CHAR, max_size=200).map(lambda t: t.encode("utf-8", "surrogatepass")),  # CESU-style surrogates
).map(lambda b: b.replace(b"\n", b" "))
_users = itertools.count()


@pytest.fixture(scope="module")
def bot(knowledge):
    """One assistant with a store for the module; each example talks as a new user, so examples stay apart."""
    return Assistant(knowledge, store=Store())


def _check(reply):
    assert reply.kind in KINDS
    assert reply.text and len(reply.text) <= TELEGRAM_MESSAGE
    assert all(len(b.action.encode()) <= 64 for b in reply.buttons)
    assert 0 <= reply.confidence <= 1


def _check_dict(reply: dict):
    assert reply["kind"] in KINDS and reply["text"]
    assert all(len(b["action"].encode()) <= 64 for b in reply["buttons"])


@given(text=TEXT)
def test_any_question_gets_a_bounded_reply(assistant, text):
    _check(assistant.answer(text))


@given(messages=st.lists(st.one_of(st.builds(lambda t: {"text": t}, TEXT), st.builds(lambda a: {"action": a}, ACTIONS),
                                   st.builds(lambda a: {"action": a, "group": "g"}, ACTIONS)),
                         min_size=1, max_size=8))
def test_any_conversation_gets_bounded_replies(bot, messages):
    user = f"fuzz{next(_users)}"
    for message in messages:
        replies = bot.handle(user, **message)
        assert replies
        for reply in replies:
            _check(reply)


@given(lines=st.lists(LINE, max_size=8))
def test_converse_answers_every_line_with_json(bot, lines):
    user = f"fuzz{next(_users)}"
    lines = [line.replace(b'"u1"', json.dumps(user).encode()) for line in lines]
    out = io.StringIO()
    converse_lines(bot, io.BytesIO(b"".join(line + b"\n" for line in lines)), out)
    written = out.getvalue().splitlines()
    assert len(written) == sum(1 for line in lines if line.decode("utf-8", "replace").strip())
    for text in written:
        assert text.isascii()
        row = json.loads(text)
        assert set(row) == {"user", "replies"} and row["replies"]
        for reply in row["replies"]:
            _check_dict(reply)


@given(lines=st.lists(st.one_of(TEXT.map(lambda t: t.encode("utf-8", "surrogatepass")), LINE), max_size=5))
def test_ask_writes_one_json_line_per_question(assistant, lines):
    lines = [line.replace(b"\n", b" ").replace(b"\r", b" ") for line in lines]
    out = io.StringIO()
    ask_lines(assistant, io.BytesIO(b"".join(line + b"\n" for line in lines)), out)
    written = out.getvalue().splitlines()
    assert len(written) == len(lines)
    for text in written:
        _check_dict(json.loads(text))


def test_huge_numbers_in_text_and_actions_are_refused_cleanly(knowledge):
    """Found by the fuzzer: a 5,000-digit reply mid-quiz once raised a ValueError."""
    bot = Assistant(knowledge, store=Store())
    bot.handle("u", action="quiz:5")
    assert bot.handle("u", text="0" * 5000)[0].kind in KINDS
    for action in ("qa:x:" + "9" * 5000, "opt:tree-code:where:" + "1" * 5000):
        assert bot.handle("u", action=action)[0].kind == "error"
    assert bot.handle("u", action="grp:" + "1" * 5000 + ":x:1", group="g")[0].kind == "error"


def test_found_by_the_fuzzer_hostile_lines_each_get_one_reply(bot):
    """Lines the fuzzer found fatal before the boundary was hardened: a lone surrogate id (SQLite cannot encode
    it), invalid UTF-8 on stdin, 1,000-deep nesting (RecursionError) and a 5,000-digit number (ValueError)."""
    lines = [b'{"user": "\\ud800", "text": "hi"}', b'{"user": "u", "text": "\xff"}', b"[" * 1000 + b"]" * 1000,
             b"1" * 5000, b'{"user": "u", "group": "\\udfff", "text": "group quiz"}']
    out = io.StringIO()
    converse_lines(bot, io.BytesIO(b"\n".join(lines) + b"\n"), out)
    assert len(out.getvalue().splitlines()) == len(lines)
