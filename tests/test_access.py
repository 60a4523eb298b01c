"""Allowlist, invite code and admin commands apply through the engine, so every channel gets them."""
import shutil

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
