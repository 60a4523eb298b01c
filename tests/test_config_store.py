"""Settings are documented and validated; the store keeps state across connections and forgets on request."""
import pytest

from bot.settings import CHANNEL_SETTINGS, TeamsSettings, TelegramSettings
from guidance.config import ConfigError, Settings, load_settings, setting_help
from guidance.store import Store
from tests.conftest import ROOT


def test_every_setting_is_documented_in_the_readme():
    readme = (ROOT / "README.md").read_text()
    for name in setting_help(CHANNEL_SETTINGS):
        assert f"| `{name}` |" in readme, f"README does not document setting {name}"


def test_shipped_config_loads_and_matches_defaults():
    settings = load_settings(ROOT / "config.yaml", CHANNEL_SETTINGS)
    defaults = Settings()
    for name in setting_help():
        assert getattr(settings, name) == getattr(defaults, name), name
    for section in CHANNEL_SETTINGS:
        assert settings.channel(section) == section(), section.__name__


def test_channel_settings_are_read_into_their_adapters_records_and_checked(tmp_path):
    path = tmp_path / "config.yaml"
    path.write_text("confident_score: 0.6\ntelegram_mode: webhook\nteams_port: 4000\n")
    settings = load_settings(path, CHANNEL_SETTINGS)
    assert settings.confident_score == 0.6 and not hasattr(settings, "telegram_mode")
    assert settings.channel(TelegramSettings).telegram_mode == "webhook"
    assert settings.channel(TeamsSettings).teams_port == 4000
    path.write_text("teams_port: 'four thousand'\n")
    with pytest.raises(ConfigError, match="'teams_port' must be int"):
        load_settings(path, CHANNEL_SETTINGS)
    path.write_text("telegram_moed: webhook\n")
    with pytest.raises(ConfigError, match="unknown setting 'telegram_moed' \\(did you mean 'telegram_mode'\\?\\)"):
        load_settings(path, CHANNEL_SETTINGS)
    path.write_text("telegram_mode: webhook\n")
    with pytest.raises(ConfigError, match="unknown setting 'telegram_mode'"):   # no channel read: engine keys only
        load_settings(path)


def test_config_errors_are_clear(tmp_path):
    path = tmp_path / "config.yaml"
    path.write_text("confident_score: high\n")
    with pytest.raises(ConfigError, match="'confident_score' must be float"):
        load_settings(path)
    path.write_text("store_message_text: 1\n")
    with pytest.raises(ConfigError, match="must be bool"):
        load_settings(path)
    path.write_text("- not\n- a mapping\n")
    with pytest.raises(ConfigError, match="mapping"):
        load_settings(path)


def test_database_path_comes_from_environment(tmp_path, monkeypatch):
    monkeypatch.setenv("GUIDANCE_DB", str(tmp_path / "other.db"))
    assert load_settings(ROOT / "config.yaml", CHANNEL_SETTINGS).database_path() == str(tmp_path / "other.db")
    monkeypatch.delenv("GUIDANCE_DB")
    assert load_settings(ROOT / "config.yaml", CHANNEL_SETTINGS).database_path() == str(ROOT / "data" / "guidance.db")


def test_store_survives_reconnect_and_forgets(tmp_path):
    path = str(tmp_path / "s.db")
    store = Store(path)
    store.save_state("u1", {"tree": "t", "path": ["a"]})
    store.save_state("u2", {"tree": "t", "path": ["b"]})
    store.close()
    again = Store(path)
    assert again.state("u1") == {"tree": "t", "path": ["a"]}
    again.grant("u1")
    again.record_invite_failure("u1")
    affected = again.forget("u1")
    assert again.state("u1") == {} and again.state("u2")["path"] == ["b"]
    assert affected["conversations"] == 1 and affected["invite_failures"] == 1 and "access_grants" not in affected
    assert again.has_grant("u1")          # the invite grant is kept (forget-me says so)


def test_migrations_are_named_and_applied_once(tmp_path):
    path = str(tmp_path / "m.db")
    Store(path).close()
    store = Store(path)
    names = [row["name"] for row in store.db["_sqlite_migrations"].rows]
    assert names == ["001_conversations", "002_quiz", "003_access_and_channels", "004_learning",
                     "005_invite_failures", "006_feedback_once_per_answer"]


def _open_store_together(path, barrier):
    barrier.wait()
    Store(path).close()


def test_processes_starting_together_on_a_new_file_each_migrate_it_once(tmp_path):
    import multiprocessing
    context = multiprocessing.get_context("spawn")
    for attempt in range(3):
        path = str(tmp_path / f"race{attempt}.db")
        barrier = context.Barrier(6)
        workers = [context.Process(target=_open_store_together, args=(path, barrier)) for _ in range(6)]
        for worker in workers:
            worker.start()
        for worker in workers:
            worker.join(60)
        assert [worker.exitcode for worker in workers] == [0] * 6
        names = [row["name"] for row in Store(path).db["_sqlite_migrations"].rows]
        assert len(names) == len(set(names)) == 6
