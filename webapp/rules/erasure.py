"""The right to leave (GDPR Art. 17): what an erasure removes, what it keeps anonymised and for
how long, who may close an account, and how a name is struck out of stored text."""

from __future__ import annotations

import html
import re
from datetime import date, datetime

# Every erased address ends here: `.invalid` is reserved (RFC 2606), so nothing is ever sent.
ERASED_DOMAIN = "erased.invalid"
ERASED_CLIENT = "Erased client"
CLOSED_COACH = "Closed account"
# Matches no password hash werkzeug makes: the account can never be logged into again.
DEAD_LOGIN_HASH = "!erased"
DEFAULT_RETENTION_YEARS = 10

GOES = (
    "their name and email address, wherever OnDeck holds them",
    "their calendars: every training entry, its done marks and notes, and their moves",
    "invitations, password reset and email change links, and their login on every device",
    "their private calendar feed URL",
    "reminders, change notices, digests and any other mail waiting to be sent to them",
    "mail already sent to them, and their name in mail sent to others",
    "their +1 enrolment and saved card, and any running card subscription (cancelled)",
)
STAYS = ("bookings, coaching sessions and ledger rows (payments, refunds, manual payments)",)


class ErasureRefused(Exception):
    """The erasure or closing cannot go ahead; the message says why, for the page."""


def erased_name(person_id: int, *, coach: bool = False) -> str:
    """What pages and reports show in place of an erased person's name."""
    return f"{CLOSED_COACH if coach else ERASED_CLIENT} #{person_id}"


def erased_email(kind: str, row_id: int) -> str:
    """A unique address that names no one and can never receive mail."""
    return f"{kind}-{row_id}@{ERASED_DOMAIN}"


def is_erased_email(email: str) -> bool:
    return email.lower().endswith("@" + ERASED_DOMAIN)


def retention_ends(now: datetime, years: int) -> date:
    """The day financial records of an erasure made `now` may be deleted (29 Feb → 28 Feb)."""
    if years < 0:
        raise ValueError("a retention period cannot be negative")
    today = now.date()
    try:
        return today.replace(year=today.year + years)
    except ValueError:
        return today.replace(year=today.year + years, day=28)


def check_may_close(active_clients: int) -> None:
    """A coach closes their account only once no client is active with them."""
    if active_clients == 1:
        raise ErasureRefused(
            "One client is still active. Remove or erase them first, then close your account."
        )
    if active_clients > 1:
        raise ErasureRefused(
            f"{active_clients} clients are still active. Remove or erase them first, "
            "then close your account."
        )


def account_goes(memberships_elsewhere: int) -> bool:
    """A coach's erasure removes the person's login too, unless another coach still has them:
    that coach's records are not this coach's to erase."""
    return memberships_elsewhere == 0


def redact(text: str | None, secrets: list[str], replacement: str) -> str | None:
    """`text` with every secret (a name, an address) replaced, case-insensitively, as written
    or as HTML escapes it (in Python's or Jinja's spelling); None stays None."""
    if not text:
        return text
    forms: set[str] = set()
    for secret in secrets:
        if secret and secret.strip():
            escaped = html.escape(secret)
            # Python writes an apostrophe as &#x27;, Jinja (markupsafe) as &#39;.
            forms.update({secret, escaped, escaped.replace("&#x27;", "&#39;")})
            forms.add(html.escape(secret, quote=False))
    if not forms:
        return text
    pattern = "|".join(re.escape(form) for form in sorted(forms, key=len, reverse=True))
    return re.sub(pattern, replacement, text, flags=re.IGNORECASE)


def mentions(text: str | None, secrets: list[str]) -> bool:
    return bool(text) and redact(text, secrets, "\0") != text
