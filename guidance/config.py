"""config.yaml -> frozen settings, each with a default and help text; secrets come only from the environment."""
from __future__ import annotations

import os
from dataclasses import dataclass, field, fields
from pathlib import Path

import yaml
from rapidfuzz import process

DEFAULT_CONFIG = "config.yaml"


class ConfigError(ValueError):
    """config.yaml is unreadable or holds a value of the wrong kind."""


def _setting(default, help_text: str):
    return field(default=default, metadata={"help": help_text})


@dataclass(frozen=True)
class Settings:
    """Every non-secret setting of the assistant, with its default."""

    knowledge_dir: str = _setting("knowledge", "Folder of knowledge YAML files, relative to config.yaml.")
    database: str = _setting("data/guidance.db", "SQLite file for conversation state and scores, relative to "
                                                 "config.yaml; the GUIDANCE_DB environment variable overrides it.")
    confident_score: float = _setting(0.56, "Retrieval score (0 to 1) at or above which an answer is given.")
    minimum_gap: float = _setting(0.04, "Lead the best answer needs over the runner-up to be given outright.")
    decisive_score: float = _setting(0.75, "Score at or above which the best answer is given even when the "
                                           "runner-up is close.")
    suggest_score: float = _setting(0.5, "Score at or above which near matches are offered as 'did you mean'.")
    local_safeguarding_route: str = _setting(
        "contact children's services using the referral route in your school or service's safeguarding policy, "
        "and record what you did.",
        "Wording of the local referral step in safeguarding escalation advice. Put only verified contacts here.")
    store_message_text: bool = _setting(False, "Keep the raw text of messages. Off by default: nothing a user "
                                               "types is stored unless this is turned on.")
    retention_days: int = _setting(90, "Days logged questions, feedback, idle conversations, channel records, failed "
                                       "invites and group facilitators are kept; enforced "
                                       "on start-up and daily.")
    review_days: int = _setting(365, "Days after an entry's reviewed date before 'check' warns it is due.")
    allowed_users: tuple = _setting((), "User ids allowed to use the assistant (e.g. tg:12345, teams:29:abc). Empty "
                                        "with no invite code: everyone may use it.")
    invite_code_env: str = _setting("GUIDANCE_INVITE_CODE", "Environment variable holding an invite code; when it is "
                                                            "set, users not on allowed_users must send 'invite <code>'.")
    admin_users: tuple = _setting((), "User ids allowed admin commands (/reload, /gaps, /usage).")
    telegram_token_env: str = _setting("TELEGRAM_BOT_TOKEN", "Name of the environment variable holding the "
                                                             "Telegram bot token.")
    telegram_mode: str = _setting("polling", "How Telegram updates arrive: polling or webhook.")
    telegram_webhook_url: str = _setting("", "Public HTTPS URL Telegram posts updates to (webhook mode).")
    telegram_webhook_listen: str = _setting("127.0.0.1", "Address the webhook server listens on.")
    telegram_webhook_port: int = _setting(8443, "Port the webhook server listens on.")
    telegram_webhook_secret_env: str = _setting("TELEGRAM_WEBHOOK_SECRET", "Environment variable holding the "
                                                                           "webhook secret token.")
    telegram_base_url: str = _setting("", "Bot API base URL; empty for Telegram itself (tests point it at a local "
                                          "emulator).")
    teams_host: str = _setting("127.0.0.1", "Address the Teams endpoint listens on.")
    teams_port: int = _setting(3978, "Port the Teams endpoint listens on.")
    teams_development_mode: bool = _setting(False, "Accept unauthenticated Teams requests (local playground only).")
    teams_app_id_env: str = _setting("MICROSOFT_APP_ID", "Environment variable holding the Teams bot app id.")
    teams_app_password_env: str = _setting("MICROSOFT_APP_PASSWORD", "Environment variable holding the Teams bot "
                                                                     "app secret.")
    teams_tenant_id_env: str = _setting("MICROSOFT_APP_TENANT_ID", "Environment variable holding the app's tenant "
                                                                   "id (single-tenant bots).")
    teams_webhook_secret_env: str = _setting("TEAMS_WEBHOOK_SECRET", "Environment variable holding the outgoing "
                                                                      "webhook's security token (base64).")
    config_path: str = _setting("", "Where these settings were read from (set by the loader).")

    @property
    def root(self) -> Path:
        """The folder relative paths are resolved against."""
        return Path(self.config_path).parent if self.config_path else Path.cwd()

    def knowledge_path(self) -> Path:
        """The knowledge folder as an absolute path."""
        return (self.root / self.knowledge_dir).resolve()

    def database_path(self) -> str:
        """The SQLite file in use: GUIDANCE_DB if set, else the configured path (":memory:" kept as is)."""
        value = os.environ.get("GUIDANCE_DB") or self.database
        if value == ":memory:":
            return value
        return str((self.root / value).resolve())


def setting_help() -> dict[str, tuple[object, str]]:
    """Return every documented setting with its default and help text."""
    return {f.name: (f.default, f.metadata["help"]) for f in fields(Settings) if f.name != "config_path"}


def load_settings(path: str | Path | None = None) -> Settings:
    """Read settings from config.yaml (GUIDANCE_CONFIG or the given path); missing keys take their defaults."""
    path = Path(path or os.environ.get("GUIDANCE_CONFIG") or DEFAULT_CONFIG)
    if not path.exists():
        return Settings(config_path=str(path.resolve()))
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as exc:
        raise ConfigError(f"{path}: not valid YAML ({exc})") from exc
    if not isinstance(data, dict):
        raise ConfigError(f"{path}: must be a mapping of setting: value")
    known = {f.name: f for f in fields(Settings) if f.name != "config_path"}
    values = {}
    for key, value in data.items():
        if key not in known:
            near = process.extractOne(str(key), list(known), score_cutoff=60)
            hint = f" (did you mean '{near[0]}'?)" if near else ""
            raise ConfigError(f"{path}: unknown setting '{key}'{hint}")
        expected = type(known[key].default)
        if expected is tuple and isinstance(value, list):
            value = tuple(str(v) for v in value)
        if expected is float and isinstance(value, int) and not isinstance(value, bool):
            value = float(value)
        if not isinstance(value, expected) or (expected is not bool and isinstance(value, bool)):
            raise ConfigError(f"{path}: '{key}' must be {expected.__name__}, got {value!r}")
        values[key] = value
    return Settings(config_path=str(path.resolve()), **values)
