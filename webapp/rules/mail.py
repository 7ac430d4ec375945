"""Email decisions: safe header text, Message-IDs, what a delivery failure means, the status line.

Pure: the caller passes `now` in.
"""

from __future__ import annotations

import base64
import enum
import re
import smtplib
import unicodedata
from dataclasses import dataclass
from datetime import datetime
from email.headerregistry import Address
from urllib.parse import urlsplit

# A message the server keeps refusing with a temporary code is failed after this many tries:
# with the relay's back-off (5 s doubling up to an hour) that is about a day.
MESSAGE_ATTEMPTS = 30
FALLBACK_DOMAIN = "ondeck.invalid"

_SPACES = re.compile(r"\s+")


def clean_header(value: str, limit: int | None = None) -> str:
    """One line of printable text: line breaks, tabs and control characters become spaces.

    A header value with CR or LF could start a new header (or make the mail library refuse
    the whole message), so none ever reaches one.
    """
    printable = "".join(
        " " if unicodedata.category(char) in ("Cc", "Cf", "Zl", "Zp") else char for char in value
    )
    text = _SPACES.sub(" ", printable).strip()
    return text[:limit].rstrip() if limit is not None else text


# UTF-8 bytes per encoded word: 39 bytes are 52 base64 characters, so a word with its
# `=?utf-8?b?...?=` frame is 64 characters and every line stays under RFC 2047's 76.
_WORD_BYTES = 39


def encoded_words(text: str) -> list[str]:
    """`text` as RFC 2047 encoded words, split only between characters.

    A receiver joins adjacent encoded words and drops the folding between them, so the text
    reads back exactly: no space gained at a fold, no character cut in half. (Folding plain
    words next to encoded ones, as the standard library does, can add a space.)
    """
    words, chunk = [], b""
    for char in text:
        encoded = char.encode()
        if len(chunk) + len(encoded) > _WORD_BYTES:
            words.append(chunk)
            chunk = b""
        chunk += encoded
    if chunk or not words:
        words.append(chunk)
    return [f"=?utf-8?b?{base64.b64encode(word).decode()}?=" for word in words]


def mailbox(name: str, address: str) -> str:
    """`Name <address>` as a header shows it, quoted where the name needs it."""
    return str(Address(display_name=clean_header(name), addr_spec=clean_header(address)))


def message_id(unique: str, public_url: str) -> str:
    """A Message-ID under the site's own domain, so no two installs ever share one."""
    domain = (urlsplit(public_url).hostname or "").lower() or FALLBACK_DOMAIN
    return f"<{unique}@{domain}>"


class Delivery(enum.Enum):
    SERVER_DOWN = "server_down"  # retry with back-off, and stop the round: the rest wait too
    RETRY = "retry"  # this message only, with back-off, up to MESSAGE_ATTEMPTS
    FAILED = "failed"  # never tried again


def after_failure(error: BaseException, attempts: int) -> Delivery:
    """What to do with a message whose delivery raised `error` on its `attempts`-th try."""
    if isinstance(error, smtplib.SMTPNotSupportedError):
        return Delivery.FAILED  # e.g. a non-ASCII address to a server without SMTPUTF8
    code = _message_refusal_code(error)
    if code is None:
        if isinstance(error, OSError | smtplib.SMTPException):
            return Delivery.SERVER_DOWN  # unreachable, timed out, disconnected, misconfigured
        return Delivery.FAILED  # the message itself cannot be built or encoded
    if code >= 500 or attempts >= MESSAGE_ATTEMPTS:
        return Delivery.FAILED
    return Delivery.RETRY


def _message_refusal_code(error: BaseException) -> int | None:
    """The SMTP code when the server refused this message (not the connection), else None."""
    if isinstance(error, smtplib.SMTPRecipientsRefused):
        codes = [code for code, _ in error.recipients.values()]
        return min(codes) if codes else 550
    if isinstance(error, smtplib.SMTPDataError):
        return error.smtp_code
    return None


class Round(tuple):
    """(sent, failed) of one relay round, and how many due messages were skipped as moot."""

    skipped: int

    def __new__(cls, sent: int, failed: int, skipped: int = 0):
        done = super().__new__(cls, (sent, failed))
        done.skipped = skipped
        return done


@dataclass(frozen=True)
class OutboxCounts:
    waiting: int
    sent: int
    failed: int
    oldest_waiting_at: datetime | None
    scheduled: int = 0


def status_line(counts: OutboxCounts, now: datetime) -> str:
    oldest = (
        age_text((now - counts.oldest_waiting_at).total_seconds())
        if counts.oldest_waiting_at is not None
        else "none"
    )
    line = (
        f"outbox: waiting {counts.waiting}, sent {counts.sent}, failed {counts.failed}, "
        f"oldest waiting {oldest}"
    )
    return line + (f", scheduled {counts.scheduled}" if counts.scheduled else "")


def age_text(seconds: float) -> str:
    seconds = max(int(seconds), 0)
    if seconds < 60:
        return f"{seconds}s"
    minutes = seconds // 60
    if minutes < 60:
        return f"{minutes}m"
    hours = minutes // 60
    if hours < 24:
        return f"{hours}h {minutes % 60}m"
    return f"{hours // 24}d {hours % 24}h"
