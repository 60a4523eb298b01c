"""Each channel's own settings, one record per adapter, read from the same config.yaml as the engine's.

They live here, not in bot/telegram.py and bot/teams.py, so reading and checking config.yaml never loads a
platform's SDK; each adapter takes only its own record."""
from __future__ import annotations

from dataclasses import dataclass

from guidance.config import setting


@dataclass(frozen=True)
class TelegramSettings:
    """The Telegram adapter's settings (python -m bot telegram)."""

    telegram_token_env: str = setting("TELEGRAM_BOT_TOKEN", "Name of the environment variable holding the "
                                                            "Telegram bot token.")
    telegram_mode: str = setting("polling", "How Telegram updates arrive: polling or webhook.")
    telegram_webhook_url: str = setting("", "Public HTTPS URL Telegram posts updates to (webhook mode).")
    telegram_webhook_listen: str = setting("127.0.0.1", "Address the webhook server listens on.")
    telegram_webhook_port: int = setting(8443, "Port the webhook server listens on.")
    telegram_webhook_secret_env: str = setting("TELEGRAM_WEBHOOK_SECRET", "Environment variable holding the "
                                                                          "webhook secret token.")
    telegram_base_url: str = setting("", "Bot API base URL; empty for Telegram itself (tests point it at a local "
                                         "emulator).")


@dataclass(frozen=True)
class TeamsSettings:
    """The Teams adapter's settings (python -m bot teams): the bot endpoint and the outgoing webhook."""

    teams_host: str = setting("127.0.0.1", "Address the Teams endpoint listens on.")
    teams_port: int = setting(3978, "Port the Teams endpoint listens on.")
    teams_development_mode: bool = setting(False, "Accept unauthenticated Teams requests (local playground only).")
    teams_app_id_env: str = setting("MICROSOFT_APP_ID", "Environment variable holding the Teams bot app id.")
    teams_app_password_env: str = setting("MICROSOFT_APP_PASSWORD", "Environment variable holding the Teams bot "
                                                                    "app secret.")
    teams_tenant_id_env: str = setting("MICROSOFT_APP_TENANT_ID", "Environment variable holding the app's tenant "
                                                                  "id (single-tenant bots).")
    teams_webhook_secret_env: str = setting("TEAMS_WEBHOOK_SECRET", "Environment variable holding the outgoing "
                                                                     "webhook's security token (base64).")


# Every channel's section, read (and its keys checked) whenever config.yaml is.
CHANNEL_SETTINGS: tuple[type, ...] = (TelegramSettings, TeamsSettings)
