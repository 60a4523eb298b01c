"""Property-based tests: arbitrary input never raises and always gets a reply within channel limits."""
import io
import json

from hypothesis import HealthCheck, given, settings, strategies as st

from bot.jsonlines import ask_lines, converse_lines
from guidance.assistant import Assistant
from guidance.store import Store

TELEGRAM_MESSAGE = 4096
KINDS = {"answer", "code", "tree", "glossary", "calculation", "did-you-mean", "fallback", "safeguarding", "help",
         "error", "quiz"}
NASTY = st.sampled_from([
    "<script>alert(1)</script>", "'; DROP TABLE conversations; --", "{{7*7}}", "${jndi:ldap://x}", "\x00\x1b[2J",
    "𝕮𝖔𝖉𝖊 𝖀", "‮U code", "C2" * 5000, "/" * 300, "\\", "#", "<b>bold</b> & <i>", "%s%s%n", "\u200b\u200bC2",
    "arrived 99.99 register closed 25.61", "attended 1e9 of 0 sessions", "999999999999 out of 1 sessions",
])
TEXT = st.one_of(st.text(max_size=300), st.text(min_size=5000, max_size=20000), NASTY,
                 st.lists(st.sampled_from(["code", "C2", "late", "9.20", "AP", "young", "carer", "of", "90%",
                                           "sessions", "told", "hurts", "quiz", "back", "1", "forget me"]),
                          max_size=12).map(" ".join))
FUZZ = settings(max_examples=300, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow,
                                                                        HealthCheck.function_scoped_fixture])


def _check(reply):
    assert reply.kind in KINDS
    assert reply.text and len(reply.text) <= TELEGRAM_MESSAGE
    assert all(len(b.action.encode()) <= 64 for b in reply.buttons)
    assert 0 <= reply.confidence <= 1


@FUZZ
@given(text=TEXT)
def test_any_question_gets_a_bounded_reply(assistant, text):
    _check(assistant.answer(text))


@FUZZ
@given(messages=st.lists(st.one_of(
    st.builds(lambda t: {"user": "fuzz", "text": t}, TEXT),
    st.builds(lambda a: {"user": "fuzz", "action": a}, st.one_of(
        st.text(max_size=80), st.sampled_from(["back", "restart", "resume", "exit", "quiz", "quiz:5", "quiz:review",
                                               "qa:x:1", "opt:tree-code:start:0", "tree:tree-code", "open:code-u",
                                               "fb:code-u:1", "grp:next", "forget:yes", "quiz:stats"]))),
), min_size=1, max_size=8))
def test_any_conversation_gets_bounded_replies(knowledge, messages):
    bot = Assistant(knowledge, store=Store())
    for message in messages:
        replies = bot.handle(message["user"], text=message.get("text"), action=message.get("action"))
        assert replies
        for reply in replies:
            _check(reply)


@FUZZ
@given(lines=st.lists(st.one_of(st.text(max_size=200), st.binary(max_size=200).map(
    lambda b: b.decode("utf-8", "replace")), st.builds(json.dumps, st.one_of(
        st.none(), st.integers(), st.lists(st.integers(), max_size=3),
        st.fixed_dictionaries({"user": st.one_of(st.text(max_size=20), st.integers(), st.none())},
                              optional={"text": st.one_of(st.text(max_size=50), st.integers()),
                                        "action": st.one_of(st.text(max_size=20), st.integers())})))),
    max_size=6))
def test_converse_answers_every_line_with_json(knowledge, lines):
    bot = Assistant(knowledge, store=Store())
    cleaned = [ln.replace("\n", " ").replace("\r", " ") for ln in lines]
    out = io.StringIO()
    converse_lines(bot, [ln + "\n" for ln in cleaned], out)
    written = out.getvalue().splitlines()
    assert len(written) == sum(1 for ln in cleaned if ln.strip())
    for row in map(json.loads, written):
        assert set(row) == {"user", "replies"} and row["replies"]


@FUZZ
@given(lines=st.lists(TEXT, max_size=5))
def test_ask_writes_one_json_line_per_question(assistant, lines):
    cleaned = [ln.replace("\n", " ").replace("\r", " ") for ln in lines]
    out = io.StringIO()
    ask_lines(assistant, [ln + "\n" for ln in cleaned], out)
    assert len(out.getvalue().splitlines()) == len(cleaned)


def test_huge_numbers_in_text_and_actions_are_refused_cleanly(knowledge):
    """Found by the fuzzer: a 5,000-digit reply mid-quiz once raised a ValueError."""
    bot = Assistant(knowledge, store=Store())
    bot.handle("u", action="quiz:5")
    assert bot.handle("u", text="0" * 5000)[0].kind in KINDS
    for action in ("qa:x:" + "9" * 5000, "opt:tree-code:where:" + "1" * 5000):
        assert bot.handle("u", action=action)[0].kind == "error"
    assert bot.handle("u", action="grp:" + "1" * 5000 + ":x:1", group="g")[0].kind == "error"
