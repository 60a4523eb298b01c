"""config.yaml -> frozen settings, each with a default and help text; secrets come only from the environment.

The engine's settings are `Settings`. A channel declares its own settings as a frozen dataclass of `setting(...)`
fields (its section) and passes it to `load_settings`, which reads and checks the section's keys from the same
config.yaml; the engine never reads them."""
from __future__ import annotations

import os
from dataclasses import dataclass, field, fields
from pathlib import Path

import yaml
from rapidfuzz import process

DEFAULT_CONFIG = "config.yaml"


class ConfigError(ValueError):
    """config.yaml is unreadable or holds a value of the wrong kind."""


def setting(default, help_text: str):
    """One setting: its default, and the help text the README repeats."""
    return field(default=default, metadata={"help": help_text})


INTERNAL = ("config_path", "channels")   # fields of Settings that are not keys of config.yaml


@dataclass(frozen=True)
class Settings:
    """Every non-secret setting of the assistant, with its default."""

    knowledge_dir: str = setting("knowledge", "Folder of knowledge YAML files, relative to config.yaml.")
    database: str = setting("data/guidance.db", "SQLite file for conversation state and scores, relative to "
                                                 "config.yaml; the GUIDANCE_DB environment variable overrides it.")
    confident_score: float = setting(0.56, "Retrieval score (0 to 1) at or above which an answer is given.")
    minimum_gap: float = setting(0.04, "Lead the best answer needs over the runner-up to be given outright.")
    decisive_score: float = setting(0.75, "Score at or above which the best answer is given even when the "
                                           "runner-up is close.")
    suggest_score: float = setting(0.5, "Score at or above which near matches are offered as 'did you mean'.")
    local_safeguarding_route: str = setting(
        "contact children's services using the referral route in your school or service's safeguarding policy, "
        "and record what you did.",
        "Wording of the local referral step in safeguarding escalation advice. Put only verified contacts here.")
    store_message_text: bool = setting(False, "Keep the raw text of messages. Off by default: nothing a user "
                                               "types is stored unless this is turned on.")
    retention_days: int = setting(90, "Days logged questions, feedback, idle conversations, channel records, failed "
                                       "invites and group facilitators are kept; enforced "
                                       "on start-up and daily.")
    review_days: int = setting(365, "Days after an entry's reviewed date before 'check' warns it is due.")
    allowed_users: tuple = setting((), "User ids allowed to use the assistant (e.g. tg:12345, teams:29:abc). Empty "
                                        "with no invite code: everyone may use it.")
    invite_code_env: str = setting("GUIDANCE_INVITE_CODE", "Environment variable holding an invite code; when it is "
                                                            "set, users not on allowed_users must send 'invite <code>'.")
    admin_users: tuple = setting((), "User ids allowed admin commands (/reload, /gaps, /usage).")
    config_path: str = setting("", "Where these settings were read from (set by the loader).")
    channels: tuple = setting((), "The channels' own settings read with these (set by the loader).")

    def channel(self, section: type):
        """A channel's own settings, as read from config.yaml (the section's defaults when it was not read)."""
        return next((c for c in self.channels if isinstance(c, section)), None) or section()

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


def setting_help(sections: tuple[type, ...] = ()) -> dict[str, tuple[object, str]]:
    """Return every documented setting, the engine's and the given channel sections', with its default and help."""
    found = {f.name: (f.default, f.metadata["help"]) for f in fields(Settings) if f.name not in INTERNAL}
    for section in sections:
        found.update({f.name: (f.default, f.metadata["help"]) for f in fields(section)})
    return found


def _value(path: Path, key: str, value, default):
    """The value checked against the type of the setting's default (a list becomes a tuple, an int a float)."""
    expected = type(default)
    if expected is tuple and isinstance(value, list):
        value = tuple(str(v) for v in value)
    if expected is float and isinstance(value, int) and not isinstance(value, bool):
        value = float(value)
    if not isinstance(value, expected) or (expected is not bool and isinstance(value, bool)):
        raise ConfigError(f"{path}: '{key}' must be {expected.__name__}, got {value!r}")
    return value


def load_settings(path: str | Path | None = None, sections: tuple[type, ...] = ()) -> Settings:
    """Read settings from config.yaml (GUIDANCE_CONFIG or the given path), the engine's and each channel section's;
    missing keys take their defaults, and a key that is none of them is an error naming the nearest."""
    path = Path(path or os.environ.get("GUIDANCE_CONFIG") or DEFAULT_CONFIG)
    data: dict = {}
    if path.exists():
        try:
            data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        except yaml.YAMLError as exc:
            raise ConfigError(f"{path}: not valid YAML ({exc})") from exc
        if not isinstance(data, dict):
            raise ConfigError(f"{path}: must be a mapping of setting: value")
    owners = {f.name: (Settings, f) for f in fields(Settings) if f.name not in INTERNAL}
    for section in sections:
        owners.update({f.name: (section, f) for f in fields(section)})
    values: dict[type, dict] = {Settings: {}, **{section: {} for section in sections}}
    for key, value in data.items():
        if key not in owners:
            near = process.extractOne(str(key), list(owners), score_cutoff=60)
            hint = f" (did you mean '{near[0]}'?)" if near else ""
            raise ConfigError(f"{path}: unknown setting '{key}'{hint}")
        owner, known = owners[key]
        values[owner][key] = _value(path, key, value, known.default)
    channels = tuple(section(**values[section]) for section in sections)
    return Settings(config_path=str(path.resolve()), channels=channels, **values[Settings])
