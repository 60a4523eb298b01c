"""Redaction before logging, the reminder, feedback, retention, forgetting and the content-gaps report."""
from datetime import datetime, timedelta, timezone

import pytest

from guidance.assistant import Assistant
from guidance.config import Settings
from guidance.gaps import group_gaps, report
from guidance.privacy import looks_identifying, redact
from guidance.store import Store
from tests.conftest import FIXTURES, run_cli


@pytest.mark.parametrize("text,hidden,label", [
    ("my pupil Jamie Smith keeps missing Mondays", "Jamie", "[name]"),
    ("DOB 12/03/2014, what code", "12/03/2014", "[date of birth]"),
    ("her UPN is A123456789012", "A123456789012", "[UPN]"),
    ("NHS number 943 476 5919", "943 476 5919", "[NHS number]"),
    ("mum's mobile 07700 900123", "07700 900123", "[phone]"),
    ("email parent@example.org please", "parent@example.org", "[email]"),
    ("lives at SO23 8UJ", "SO23 8UJ", "[postcode]"),
])
def test_redaction(text, hidden, label):
    out = redact(text)
    assert hidden not in out and label in out
    assert looks_identifying(text)


def test_ordinary_questions_are_not_redacted():
    for text in ("arrived 9.20 register closed at 9.00", "160 out of 190 sessions", "what does C2 mean"):
        assert redact(text) == text and not looks_identifying(text)


def test_reply_reminds_about_identifying_details(mini):
    reply = Assistant(mini).answer("my pupil Jamie Smith: how long can the register stay open")
    assert reply.id == "mini-register" and "don't share names" in reply.text


def test_only_known_words_of_unanswered_questions_are_logged(mini):
    store = Store()
    bot = Assistant(mini, Settings(), store)
    bot.handle("u1", text="how long can the register stay open")        # answered: not logged
    bot.handle("u1", text="my pupil Jamie Smith needs a canteen pass")   # fallback: logged, redacted
    rows = store.logged_questions()
    assert len(rows) == 1
    assert rows[0]["text"] == "my pupil … a …" and rows[0]["raw"] is None   # only words the knowledge uses


def test_raw_text_only_when_configured(mini):
    store = Store()
    Assistant(mini, Settings(store_message_text=True), store).handle("u1", text="canteen pass for my pupil Jo")
    assert store.logged_questions()[0]["raw"] == "canteen pass for my pupil Jo"


def test_feedback_buttons_and_counts(mini):
    store = Store()
    bot = Assistant(mini, Settings(), store)
    reply = bot.handle("u1", text="how long can the register stay open")[0]
    actions = [b.action for b in reply.buttons]
    assert "fb:mini-register:1" in actions and "fb:mini-register:0" in actions
    bot.handle("u1", action="fb:mini-register:1")
    bot.handle("u2", action="fb:mini-register:0")
    bot.handle("u3", action="fb:mini-register:0")
    assert store.feedback_counts() == {"mini-register": (1, 2)}
    assert bot.handle("u1", action="fb:nope:1")[0].kind == "error"


def test_retention_removes_old_logs_and_keeps_recent():
    store = Store()
    store.log_question("u1", "fallback", "old question", [])
    store.add_feedback("u1", "x", True)
    store.save_state("u1", {"tree": "t"})
    assert store.enforce_retention(90) == 0
    later = datetime.now(timezone.utc) + timedelta(days=91)
    assert store.enforce_retention(90, now=later) == 3
    assert store.logged_questions() == [] and store.state("u1") == {}


def test_retention_runs_on_start_up(mini, tmp_path):
    path = str(tmp_path / "r.db")
    store = Store(path)
    store.log_question("u1", "fallback", "q", [])
    store.db.execute("UPDATE question_log SET asked_at = '2000-01-01T00:00:00+00:00'")
    store.db.conn.commit()
    Assistant(mini, Settings(retention_days=90), Store(path))
    assert Store(path).logged_questions() == []


def test_forget_me_removes_logs_and_feedback(mini):
    store = Store()
    bot = Assistant(mini, Settings(), store)
    bot.handle("u1", text="canteen opening hours")
    bot.handle("u1", action="fb:mini-register:1")
    bot.handle("u1", action="forget:yes")
    assert store.logged_questions() == [] and store.feedback_counts() == {}


def test_gaps_group_similar_questions():
    rows = [{"text": "canteen opening hours", "kind": "fallback", "near": [["a", 0.3]]},
            {"text": "what are the canteen opening hours", "kind": "fallback", "near": [["a", 0.3]]},
            {"text": "staff parking permit", "kind": "did-you-mean", "near": [["b", 0.4]]}]
    gaps = group_gaps(rows)
    assert [g.count for g in gaps] == [2, 1]
    text = report(gaps, {"a": (1, 3)})
    assert '2 x "canteen opening hours"' in text and "nearly matched: a (2)" in text and "a: 1 / 3" in text


def test_gaps_command(tmp_path):
    db = tmp_path / "g.db"
    config = tmp_path / "config.yaml"
    config.write_text(f"knowledge_dir: {FIXTURES / 'mini'}\ndatabase: {db}\n")
    run_cli("--config", str(config), "converse", stdin='{"user": "u1", "text": "canteen hours for my pupil Amy"}\n')
    out = run_cli("--config", str(config), "gaps")
    assert out.returncode == 0 and '"… for my pupil …"' in out.stdout and "Amy" not in out.stdout


IDENTIFYING = [
    "Jack Smith has missed 14 sessions",
    "JACK SMITH has a child protection plan",
    "jack smith was late again",
    "UPN A 1234 5678 9012 is off",
    "NHS number 943.476.5919 for the GP letter",
    "ring mum on +44 7700 900123 or 0044 7700 900 123",
    "born on the 3rd of April 2015, is that reception?",
    "she was born 14 nov 2012",
    "lives at 12 Mill Lane, Romsey SO51 8AB",
    "message her at @jack_s or jack dot smith at gmail dot com",
    "my pupil Amelia-Rose O'Neill is off",
    "Will Jackson lives at 4 Oak Close",
    "ring mum about Will, she wants a locker",
    "email will dot jackson at gmail dot com",
]


@pytest.mark.parametrize("text", IDENTIFYING)
def test_nothing_identifying_survives_in_the_gaps_log(knowledge, text):
    """However a detail is written, only words the knowledge itself uses are kept."""
    store = Store()
    Assistant(knowledge, Settings(), store).handle("u1", text=text + " canteen wifi")
    stored = " ".join(str(v) for row in store.logged_questions() for v in row.values())
    for secret in ("jack", "smith", "1234", "5678", "9012", "943", "7700", "900123", "2015", "2012", "14 nov",
                   "mill", "so51", "8ab", "@jack", "gmail", "amelia", "neill", "will", "oak close"):
        assert secret not in stored.lower(), (secret, stored)
