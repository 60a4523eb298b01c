"""Who may use the assistant and who may run admin commands, the same in every channel."""
from __future__ import annotations

import hmac
import os
from dataclasses import dataclass
from datetime import datetime, timedelta

from .config import Settings
from .store import Store, as_utc

INVITE_MAX_FAILURES = 5                   # wrong invite codes allowed within INVITE_WINDOW ...
INVITE_WINDOW = timedelta(minutes=15)
INVITE_LOCKOUT = timedelta(minutes=15)    # ... then no code is checked for this long after the last wrong one


@dataclass(frozen=True)
class Redemption:
    """The outcome of an `invite <code>` message."""

    accepted: bool
    locked_until: datetime | None = None   # set when the user is locked out (the code was not checked)
    tries_left: int = INVITE_MAX_FAILURES  # wrong codes still allowed before a lockout

    def __bool__(self) -> bool:
        return self.accepted


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

    def locked_until(self, user: str, now: datetime | None = None) -> datetime | None:
        """When a user's invite lockout ends, or None when they are not locked out: INVITE_MAX_FAILURES wrong codes
        within INVITE_WINDOW lock them out until INVITE_LOCKOUT after the last of them."""
        if not self.store:
            return None
        now = as_utc(now)
        recent = self.store.invite_failures(user, INVITE_MAX_FAILURES)
        if len(recent) < INVITE_MAX_FAILURES or recent[0] - recent[-1] > INVITE_WINDOW:
            return None
        until = recent[0] + INVITE_LOCKOUT
        return until if now < until else None

    def _tries_left(self, user: str, now: datetime) -> int:
        """Wrong codes still allowed before a lockout (counting failures within INVITE_WINDOW of now)."""
        if not self.store:
            return INVITE_MAX_FAILURES
        recent = [t for t in self.store.invite_failures(user, INVITE_MAX_FAILURES) if now - t <= INVITE_WINDOW]
        return max(0, INVITE_MAX_FAILURES - len(recent))

    def redeem(self, user: str, code: str, now: datetime | None = None) -> Redemption:
        """Grant access when the code matches the invite code. Wrong codes are recorded in the store; after too
        many in a short time the user is locked out for a while and no code is checked until it ends."""
        now = as_utc(now)
        expected = self.invite_code()
        if not expected:
            return Redemption(False)
        until = self.locked_until(user, now)
        if until is not None:
            return Redemption(False, locked_until=until, tries_left=0)
        if not hmac.compare_digest(code.strip().encode(), expected.encode()):
            if self.store:
                self.store.record_invite_failure(user, now)
            return Redemption(False, locked_until=self.locked_until(user, now), tries_left=self._tries_left(user, now))
        if self.store:
            self.store.grant(user)
        return Redemption(True)

    def is_admin(self, user: str) -> bool:
        """True when this user may run admin commands."""
        return user in self.settings.admin_users

