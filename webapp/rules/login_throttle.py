"""Which failed log-ins stop the next attempt, and what the visitor is told.

Three counters, so guessing is slow while the owner keeps a way in:
- per account and address: one address guessing one account's password;
- per address: one address spraying guesses over many accounts (a guess for an email with
  no account counts too, so the limit says nothing about who has one);
- per account, from any address, with a much higher threshold: a guess spread over many
  addresses. It refuses every address, the owner's too, until the window ends; the owner
  gets in at once with an emailed reset link, which no failed log-in can block.

The counters are fixed windows (webapp.rules.ratelimit); the caller stores them.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import Enum

from webapp.rules.credentials import FAILED_LOGIN_LIMIT, FAILED_LOGIN_PERIOD, minutes_text
from webapp.rules.ratelimit import Window, is_blocked


class Scope(Enum):
    ACCOUNT_FROM_ADDRESS = "account-from-address"
    ADDRESS = "address"
    ACCOUNT = "account"


@dataclass(frozen=True)
class Limit:
    limit: int
    period: timedelta


LIMITS: Mapping[Scope, Limit] = {
    Scope.ACCOUNT_FROM_ADDRESS: Limit(FAILED_LOGIN_LIMIT, FAILED_LOGIN_PERIOD),
    # An office or a phone network shares one address: room for a few people's typos.
    Scope.ADDRESS: Limit(50, timedelta(minutes=15)),
    Scope.ACCOUNT: Limit(100, timedelta(hours=1)),
}

_REFUSALS = {
    Scope.ACCOUNT_FROM_ADDRESS: "Too many failed log-ins for this account from here. "
    "Try again in {wait}, or reset your password.",
    Scope.ADDRESS: "Too many failed log-ins from here. Try again in {wait}.",
    Scope.ACCOUNT: "Too many failed log-ins for this account. To log in now, reset your "
    "password with “Forgot your password?”; otherwise try again in {wait}.",
}


@dataclass(frozen=True)
class Refusal:
    scope: Scope
    retry_after: timedelta

    @property
    def message(self) -> str:
        return _REFUSALS[self.scope].format(wait=minutes_text(self.retry_after))


def refusal(windows: Mapping[Scope, Window | None], now: datetime) -> Refusal | None:
    """Why the next attempt is refused (the longest wait), or None if it may go ahead."""
    refusals = [
        Refusal(scope, window.start + LIMITS[scope].period - now)
        for scope, window in windows.items()
        if window is not None
        and is_blocked(window, now, limit=LIMITS[scope].limit, period=LIMITS[scope].period)
    ]
    return max(refusals, key=lambda r: r.retry_after, default=None)
