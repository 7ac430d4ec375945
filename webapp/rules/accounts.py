"""Account rules: password policy, the failed-login limit and password-reset links."""

from __future__ import annotations

from datetime import datetime, timedelta

from webapp.rules import RuleError

MIN_PASSWORD_LENGTH = 12
MAX_PASSWORD_LENGTH = 256
FAILED_LOGIN_LIMIT = 10
FAILED_LOGIN_PERIOD = timedelta(minutes=15)
# A reset link grants the account to whoever holds it: keep it short-lived.
RESET_LINK_LIFETIME = timedelta(hours=1)
# Reset emails one address may be sent per period, so the form cannot flood an inbox.
RESET_EMAIL_LIMIT = 3
RESET_EMAIL_PERIOD = timedelta(hours=1)


class PasswordError(RuleError):
    pass


class ResetLinkError(RuleError):
    pass


RESET_LINK_USED = "This link has already been used, or a newer one was sent. Ask for a new link."


def check_password_policy(password: str, *, email: str = "") -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise PasswordError(f"Use at least {MIN_PASSWORD_LENGTH} characters.")
    if len(password) > MAX_PASSWORD_LENGTH:
        raise PasswordError(f"Use at most {MAX_PASSWORD_LENGTH} characters.")
    if email and password.strip().lower() == email.strip().lower():
        raise PasswordError("Your password cannot be your email address.")


def minutes_text(delta: timedelta) -> str:
    minutes = max(1, -(-int(delta.total_seconds()) // 60))
    return "1 minute" if minutes == 1 else f"{minutes} minutes"


def reset_link_expiry(now: datetime) -> datetime:
    return now + RESET_LINK_LIFETIME


def check_reset_link_usable(
    *, expires_at: datetime, used_at: datetime | None, now: datetime
) -> None:
    """A reset link works once, until it expires; a newer link for the account replaces it."""
    if used_at is not None:
        raise ResetLinkError(RESET_LINK_USED)
    if now >= expires_at:
        raise ResetLinkError("This link has expired. Ask for a new link.")
