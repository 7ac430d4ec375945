"""An outbox row as an email: text with an HTML alternative, headers a receiver decodes right.

A Subject with non-ASCII text (`£40.00`, an accented name) is written as encoded words only,
folded between them: both Flask-Mail's header encoding and the standard library's folder can
leave a space at a fold next to an encoded word, so `booked at £40.00` read back as
`booked at  £40.00`, or cut a word in two. The email package refuses a header value with a
line break instead of sending it.
"""

from __future__ import annotations

import email.policy
from datetime import datetime
from email.message import EmailMessage
from email.utils import format_datetime, formataddr, parseaddr

from webapp.models import OutboxMessage
from webapp.rules.mail import encoded_words


class _Prefolded(str):
    """A header the policy writes as given (the email package's hook for header objects)."""

    name: str
    lines: list[str]

    def __new__(cls, name: str, text: str, lines: list[str]):
        if any(c in text for c in "\r\n"):
            raise ValueError("Header values may not contain linefeed or carriage return")
        value = super().__new__(cls, text)
        value.name = name
        value.lines = lines
        return value

    def fold(self, *, policy) -> str:
        return f"{self.name}: " + f"{policy.linesep} ".join(self.lines) + policy.linesep


def _subject(text: str) -> str:
    if text.isascii():
        return text
    return _Prefolded("Subject", text, encoded_words(text))


def sender(setting: str | tuple[str, str] | None) -> str:
    """The From header from MAIL_DEFAULT_SENDER, which may be a string or (name, address)."""
    if isinstance(setting, tuple | list):
        name, address = setting
        return formataddr((name, address))
    return setting or "OnDeck <no-reply@localhost>"


def envelope_sender(from_header: str) -> str:
    return parseaddr(from_header)[1] or from_header


def as_mail(message: OutboxMessage, from_header: str, sent_at: datetime) -> EmailMessage:
    mail = EmailMessage(policy=email.policy.SMTP)
    mail["Subject"] = _subject(message.subject)
    mail["From"] = from_header
    mail["To"] = message.recipient
    if message.reply_to:
        mail["Reply-To"] = message.reply_to
    mail["Date"] = format_datetime(sent_at)
    # Chosen when queued: a copy sent again after a crash carries the same one.
    mail["Message-ID"] = message.message_id
    mail.set_content(message.body)
    if message.html_body:
        mail.add_alternative(message.html_body, subtype="html")
    if message.list_unsubscribe:
        # RFC 8058: a mail client may offer one-click unsubscribe, a POST to this address.
        mail["List-Unsubscribe"] = f"<{message.list_unsubscribe}>"
        mail["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    if message.calendar_ics:
        mail.add_attachment(
            message.calendar_ics.encode(),
            maintype="text",
            subtype="calendar",
            filename="session.ics",
            params={"method": "PUBLISH"},
        )
    return mail
