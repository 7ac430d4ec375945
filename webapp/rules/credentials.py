"""Account rules: password policy, the failed-login limit, and the links emailed to reset a
password or confirm a new email address."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from webapp.rules import RuleError

MIN_PASSWORD_LENGTH = 12
MAX_PASSWORD_LENGTH = 256
# zxcvbn's scale: 3 is "safely unguessable", about 10^8 guesses or more.
MIN_PASSWORD_SCORE = 3
FAILED_LOGIN_LIMIT = 10
FAILED_LOGIN_PERIOD = timedelta(minutes=15)
# A reset link grants the account to whoever holds it: keep it short-lived.
RESET_LINK_LIFETIME = timedelta(hours=1)
# Reset emails one address may be sent per period, so the form cannot flood an inbox.
RESET_EMAIL_LIMIT = 3
RESET_EMAIL_PERIOD = timedelta(hours=1)
# A new-address link only proves the inbox works; the account's password was asked already.
EMAIL_CHANGE_LINK_LIFETIME = timedelta(hours=24)
EMAIL_CHANGE_LIMIT = 3
EMAIL_CHANGE_PERIOD = timedelta(hours=1)
# A spent link (used, replaced or expired) is kept a week, so opening it still says why it no
# longer works; then its row goes, with the name, address or password hash it holds.
SPENT_LINK_KEPT = timedelta(days=7)


def spent_link_cutoff(now: datetime) -> datetime:
    """Links spent before this instant are deleted."""
    return now - SPENT_LINK_KEPT


class PasswordError(RuleError):
    pass


class LinkError(RuleError):
    """An emailed single-use link that no longer works."""


class EmailChangeError(RuleError):
    pass


LINK_USED = "This link has already been used, or a newer one was sent. Ask for a new link."


def check_password_policy(password: str, *, email: str = "") -> None:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise PasswordError(f"Use at least {MIN_PASSWORD_LENGTH} characters.")
    if len(password) > MAX_PASSWORD_LENGTH:
        raise PasswordError(f"Use at most {MAX_PASSWORD_LENGTH} characters.")
    if email and password.strip().lower() == email.strip().lower():
        raise PasswordError("Your password cannot be your email address.")


@dataclass(frozen=True)
class PasswordEstimate:
    """How guessable a password is: a 0-4 score and the estimator's advice."""

    score: int
    warning: str = ""
    suggestions: tuple[str, ...] = ()
    uses_own_details: bool = False


def check_password_strength(estimate: PasswordEstimate) -> None:
    """Refuse a guessable password, saying why and how to make a better one."""
    if estimate.score >= MIN_PASSWORD_SCORE:
        return
    if estimate.uses_own_details:
        why = "This password is built from your name or email address, which anyone can guess."
    else:
        why = estimate.warning or "This password would be easy to guess."
    how = " ".join(estimate.suggestions) or "Add another word or two. Uncommon words are better."
    raise PasswordError(
        f"{why} {how} A few unrelated words together are strong and easy to remember."
    )


def minutes_text(delta: timedelta) -> str:
    minutes = max(1, -(-int(delta.total_seconds()) // 60))
    return "1 minute" if minutes == 1 else f"{minutes} minutes"


def reset_link_expiry(now: datetime) -> datetime:
    return now + RESET_LINK_LIFETIME


def email_change_link_expiry(now: datetime) -> datetime:
    return now + EMAIL_CHANGE_LINK_LIFETIME


def check_new_email(new_email: str, current_email: str) -> None:
    if new_email.strip().lower() == current_email.strip().lower():
        raise EmailChangeError("That is already your email address.")


def check_link_usable(*, expires_at: datetime, used_at: datetime | None, now: datetime) -> None:
    """An emailed link works once, until it expires; a newer link of the same kind for the
    account replaces it."""
    if used_at is not None:
        raise LinkError(LINK_USED)
    if now >= expires_at:
        raise LinkError("This link has expired. Ask for a new link.")
