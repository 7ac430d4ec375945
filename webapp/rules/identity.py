"""Proving an email address before anything addressed to it is handed over.

A pending client's calendar, an invitation and a coach's client rows are all found by email.
So an account is only made for an address once its holder has shown they read mail sent there:
by opening a sign-up link mailed to it, or by holding an invitation token mailed to it. Typing
an address into a form proves nothing, and gains nothing.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from enum import StrEnum

from webapp.rules import RuleError
from webapp.rules.credentials import LINK_USED, LinkError

# Long enough to reach the inbox another day; the account does not exist until then.
SIGNUP_LINK_LIFETIME = timedelta(hours=24)
# Sign-up emails one address may be sent per period, so the form cannot flood an inbox.
SIGNUP_EMAIL_LIMIT = 3
SIGNUP_EMAIL_PERIOD = timedelta(hours=1)


class SignupMail(StrEnum):
    CONFIRM = "confirm"  # a link that makes the account
    ALREADY_REGISTERED = "already_registered"  # a note to the owner: log in or reset


class AccountExists(RuleError):
    """The address has an account already: a sign-up for it can make nothing."""


class WrongSignupPassword(RuleError):
    """The password given on confirming is not the one chosen at sign-up."""


ACCOUNT_EXISTS = (
    "This email address already has an account. Log in, or reset your password if you "
    "have forgotten it."
)


def signup_mail(*, account_exists: bool) -> SignupMail:
    """What a sign-up sends. The page answers the same either way, so the form cannot tell
    anyone who has an account; only the address's inbox learns it."""
    return SignupMail.ALREADY_REGISTERED if account_exists else SignupMail.CONFIRM


def signup_link_expiry(now: datetime) -> datetime:
    return now + SIGNUP_LINK_LIFETIME


def check_confirmable(
    *,
    expires_at: datetime,
    used_at: datetime | None,
    account_exists: bool,
    password_matches: bool,
    now: datetime,
) -> None:
    """A sign-up link makes the account once, before it expires, while the address has no
    account, and only with the password chosen in that same sign-up: a stranger who typed
    the address cannot confirm, and the owner cannot confirm a stranger's password by mistake.

    The first sign-up confirmed for an address wins; every other link for it is refused."""
    if account_exists:
        raise AccountExists(ACCOUNT_EXISTS)
    if used_at is not None:
        raise LinkError(LINK_USED)
    if now >= expires_at:
        raise LinkError("This link has expired. Sign up again to get a new one.")
    if not password_matches:
        raise WrongSignupPassword(
            "That is not the password chosen for this sign-up. If you did not sign up, "
            "ignore the email: no account is made."
        )
