"""Account rules: password policy and the failed-login limit."""

from __future__ import annotations

from datetime import timedelta

from webapp.rules import RuleError

MIN_PASSWORD_LENGTH = 12
MAX_PASSWORD_LENGTH = 256
FAILED_LOGIN_LIMIT = 10
FAILED_LOGIN_PERIOD = timedelta(minutes=15)


class PasswordError(RuleError):
    pass


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
