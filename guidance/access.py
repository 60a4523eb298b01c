"""Who may use the assistant and who may run admin commands, the same in every channel."""
from __future__ import annotations

import hmac
import os

from .config import Settings
from .store import Store


class Access:
    """Allowlist, invite code and admin roles from the settings; invite redemptions kept in the store."""

    def __init__(self, settings: Settings, store: Store | None):
        self.settings = settings
        self.store = store

    def invite_code(self) -> str:
        """The invite code from the environment, or empty when none is set."""
        return os.environ.get(self.settings.invite_code_env, "").strip()

    def restricted(self) -> bool:
        """True when only allowed users (or those with the invite code) may use the assistant."""
        return bool(self.settings.allowed_users) or bool(self.invite_code())

    def allowed(self, user: str) -> bool:
        """True when this user may use the assistant."""
        if not self.restricted() or user in self.settings.allowed_users or self.is_admin(user):
            return True
        return bool(self.store and self.store.has_grant(user))

    def redeem(self, user: str, code: str) -> bool:
        """Grant access when the code matches the invite code."""
        expected = self.invite_code()
        if not expected or not hmac.compare_digest(code.strip().encode(), expected.encode()):
            return False
        if self.store:
            self.store.grant(user)
        return True

    def is_admin(self, user: str) -> bool:
        """True when this user may run admin commands."""
        return user in self.settings.admin_users
