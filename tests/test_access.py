"""Allowlist, invite code and admin commands apply through the engine, so every channel gets them."""
import shutil
from datetime import datetime, timedelta, timezone

from guidance.access import INVITE_LOCKOUT, INVITE_MAX_FAILURES, INVITE_WINDOW
from guidance.assistant import Assistant
from guidance.config import Settings
from guidance.loader import load_knowledge
from guidance.store import Store
from tests.conftest import FIXTURES


def test_open_by_default(mini):
    bot = Assistant(mini, Settings(), Store())
    assert bot.handle("anyone", text="how long can the register stay open")[0].id == "mini-register"


def test_allowlist_and_invite_code(mini, monkeypatch):
    monkeypatch.setenv("TEST_INVITE", "hub-2026")
    bot = Assistant(mini, Settings(allowed_users=("tg:1",), invite_code_env="TEST_INVITE"), Store())
    assert bot.handle("tg:1", text="how long can the register stay open")[0].id == "mini-register"
    refused = bot.handle("tg:2", text="how long can the register stay open")[0]
    assert refused.kind == "error" and "invite" in refused.text
    assert bot.handle("tg:2", text="invite wrong")[0].kind == "error"
    assert "accepted" in bot.handle("tg:2", text="invite hub-2026")[0].text
    assert bot.handle("tg:2", text="how long can the register stay open")[0].id == "mini-register"


def test_allowlist_without_invite_code_refuses_clearly(mini):
    bot = Assistant(mini, Settings(allowed_users=("tg:1",), invite_code_env="NO_SUCH_VARIABLE"), Store())
    assert "administrator" in bot.handle("tg:9", text="hello")[0].text


def test_admin_commands_refuse_others(mini):
    bot = Assistant(mini, Settings(admin_users=("tg:admin",)), Store())
    assert "administrators only" in bot.handle("tg:user", text="/reload")[0].text
    assert "Knowledge:" in bot.handle("tg:admin", text="/usage")[0].text


def test_reload_keeps_last_good_knowledge(tmp_path):
    folder = tmp_path / "knowledge"
    shutil.copytree(FIXTURES / "mini", folder)
    settings = Settings(knowledge_dir=str(folder), admin_users=("a",))
    bot = Assistant(load_knowledge(folder), settings, Store())
    bot.handle("u", action="tree:mini-tree")
    (folder / "mini.yaml").write_text((folder / "mini.yaml").read_text().replace("see: [mini-tree]",
                                                                                "see: [no-such-entry]"))
    refused = bot.handle("a", text="/reload")[0]
    assert refused.title == "Reload refused" and "no-such-entry" in refused.text
    assert bot.handle("u", text="yes")[0].text.endswith("Late before the register closed.\n\nSources: "
                                                        "Working together to improve school attendance "
                                                        "(DfE, August 2024)")
    (folder / "mini.yaml").write_text((folder / "mini.yaml").read_text().replace(
        "no-such-entry", "mini-tree").replace("must not stay open for more than 30 minutes",
                                              "must not stay open beyond 30 minutes"))
    assert bot.handle("a", text="/reload")[0].title == "Reloaded"
    assert "beyond 30 minutes" in bot.handle("u", text="how long can the register stay open")[0].text


def _invite_bot(mini, monkeypatch):
    monkeypatch.setenv("TEST_INVITE", "hub-2026")
    return Assistant(mini, Settings(invite_code_env="TEST_INVITE", admin_users=("tg:admin",)), Store())


def test_wrong_invite_codes_lock_out_for_a_while(mini, monkeypatch):
    bot = _invite_bot(mini, monkeypatch)
    start = datetime(2026, 3, 2, 9, 0, tzinfo=timezone.utc)
    for i in range(INVITE_MAX_FAILURES):                       # 5 wrong codes, one every 2 minutes
        reply = bot.session.handle("tg:2", text=f"invite guess{i}", now=start + timedelta(minutes=2 * i))[0]
        assert reply.kind == "error"
    assert "more wrong code" in bot.session.handle("tg:3", text="invite nope", now=start)[0].text  # others unaffected
    last = start + timedelta(minutes=2 * (INVITE_MAX_FAILURES - 1))
    assert reply.title == "Too many wrong invite codes" and "try again after 09:23 UTC (in 15 minutes)" in reply.text
    locked = bot.session.handle("tg:2", text="invite hub-2026", now=last + timedelta(minutes=10))[0]
    assert locked.kind == "error" and "09:23 UTC (in 5 minutes)" in locked.text      # even the right code waits
    assert not bot.access.allowed("tg:2")
    assert len(bot.store.invite_failures("tg:2", 10)) == INVITE_MAX_FAILURES     # attempts while locked not counted
    welcome = bot.session.handle("tg:2", text="invite hub-2026", now=last + INVITE_LOCKOUT)[0]
    assert "accepted" in welcome.text and bot.access.allowed("tg:2")


def test_slow_wrong_invite_codes_are_not_locked_out(mini, monkeypatch):
    bot = _invite_bot(mini, monkeypatch)
    start = datetime(2026, 3, 2, 9, 0, tzinfo=timezone.utc)
    for i in range(2 * INVITE_MAX_FAILURES):                   # one every 4 minutes: never 5 within 15 minutes
        reply = bot.session.handle("tg:2", text="invite guess", now=start + timedelta(minutes=4 * i))[0]
        assert reply.title == "Invite code not accepted", i
    assert bot.access.redeem("tg:2", "hub-2026", now=start + timedelta(minutes=40)).accepted
    assert INVITE_MAX_FAILURES == 5 and INVITE_WINDOW == INVITE_LOCKOUT == timedelta(minutes=15)


def test_usage_counts_activity_and_failed_invites(mini, monkeypatch):
    bot = _invite_bot(mini, monkeypatch)
    bot.handle("tg:9", text="invite wrong")
    bot.handle("tg:9", text="invite also-wrong")
    bot.handle("tg:9", text="invite hub-2026")
    bot.handle("tg:9", text="how long can the register stay open")
    bot.handle("tg:9", action="fb:mini-register:0")
    bot.handle("tg:9", text="canteen opening hours")
    bot.handle("tg:9", action="tree:mini-tree")
    bot.practice.rng.seed(1)
    bot.handle("tg:9", action="quiz:5")
    state = bot.store.state("tg:9")["quiz"]
    qid = state["ids"][state["i"]]
    bot.handle("tg:9", action=f"qa:{qid}:0")
    text = bot.handle("tg:admin", text="/usage")[0].text
    assert text.startswith("Knowledge:")
    for line in ("Questions logged for the gaps report: 1.", "Answer feedback: 1.", "Quiz answers: 1.",
                 "Conversations: 1 active in the last 24 hours, 1 saved.",
                 "Failed invite codes: 2 (2 in the last 24 hours); invite grants: 1."):
        assert line in text, (line, text)
