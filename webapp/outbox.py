"""Emails go into the outbox in the caller's transaction; the relay delivers them later.

An SMTP outage therefore never fails a request or loses a message: the relay retries with
back-off until the server answers.

Delivery guarantee. The relay claims ONE message at a time with a committed lease, sends it,
and commits sent_at immediately after the server's 250. So:
- a message committed as sent is never sent again, by this relay or any other;
- a relay killed before the server's 250 leaves the message unsent; its lease expires and the
  next relay sends it (the other messages were never claimed, so they go out at once);
- the only way to send a message twice is a relay dying in the few milliseconds between the
  server's 250 and the commit of sent_at (or a lease shorter than one SMTP exchange). The
  Message-ID is stable (`<outbox-ID@ondeck>`), so a receiver can drop that second copy.
SMTP has no way to make the 250 and the database commit one atomic step; keeping that window
tiny and the copy recognisable is the best any relay can do.
"""

from __future__ import annotations

import smtplib
from collections.abc import Callable
from datetime import timedelta

import sqlalchemy as sa
from flask import current_app
from flask_mail import Connection, Message

from webapp.extensions import db
from webapp.models import OutboxMessage
from webapp.models.types import utcnow

# How long a relay owns a claimed message. It must outlast one SMTP exchange (several
# MAIL_TIMEOUT_SECONDS), or a slow send could be taken over and sent twice.
CLAIM_SECONDS = 120
MAX_BACKOFF = timedelta(hours=1)


def queue_email(recipient: str, subject: str, body: str) -> OutboxMessage:
    """Add an email to the current transaction; it is sent only if the transaction commits."""
    # Forms keep names to one line; a break from an older row would still end the header.
    subject = " ".join(subject.split())
    message = OutboxMessage(recipient=recipient, subject=subject[:200], body=body)
    db.session.add(message)
    return message


def backoff(attempts: int) -> timedelta:
    return min(timedelta(seconds=5 * 2 ** max(attempts - 1, 0)), MAX_BACKOFF)


def claim_seconds() -> float:
    return float(current_app.config.get("OUTBOX_CLAIM_SECONDS", CLAIM_SECONDS))


def _claim_due(limit: int) -> list[int]:
    """Claim due messages with a conditional update, so concurrent relays split the work."""
    now = utcnow()
    due = db.session.scalars(
        sa.select(OutboxMessage.id)
        .where(
            OutboxMessage.sent_at.is_(None),
            OutboxMessage.next_attempt_at <= now,
            sa.or_(OutboxMessage.claimed_until.is_(None), OutboxMessage.claimed_until < now),
        )
        .order_by(OutboxMessage.id)
        .limit(limit)
    ).all()
    claimed = []
    for message_id in due:
        result = db.session.execute(
            sa.update(OutboxMessage)
            .where(
                OutboxMessage.id == message_id,
                OutboxMessage.sent_at.is_(None),
                sa.or_(OutboxMessage.claimed_until.is_(None), OutboxMessage.claimed_until < now),
            )
            .values(claimed_until=now + timedelta(seconds=claim_seconds()))
        )
        if result.rowcount == 1:
            claimed.append(message_id)
    db.session.commit()
    return claimed


class _TimedConnection(Connection):
    """Flask-Mail's connection opens SMTP with no timeout; a hung server must not hang the relay.

    It also always connects: whether mail is captured or sent is decided by MAIL_SERVER alone,
    not by Flask-Mail's TESTING-based suppression.
    """

    def __enter__(self):
        self.host = self.configure_host()
        self.num_emails = 0
        return self

    def configure_host(self):
        timeout = current_app.config.get("MAIL_TIMEOUT_SECONDS", 10)
        smtp_class = smtplib.SMTP_SSL if self.mail.use_ssl else smtplib.SMTP
        host = smtp_class(self.mail.server, self.mail.port, timeout=timeout)
        if self.mail.use_tls:
            host.starttls()
        if self.mail.username and self.mail.password:
            host.login(self.mail.username, self.mail.password)
        return host


def _as_mail(message: OutboxMessage) -> Message:
    mail = Message(subject=message.subject, recipients=[message.recipient], body=message.body)
    # A stable Message-ID lets a receiving server drop a copy sent again after a crash.
    mail.msgId = f"<outbox-{message.id}@ondeck>"
    return mail


def send_due(limit: int = 50, should_stop: Callable[[], bool] = lambda: False) -> tuple[int, int]:
    """Deliver up to `limit` due messages, one claim at a time; returns (sent, failed)."""
    capture = not current_app.config.get("MAIL_SERVER")
    sent = failed = 0
    connection = None
    try:
        while sent + failed < limit and not should_stop():
            claimed = _claim_due(1)  # committed before anything is sent
            if not claimed:
                break
            message = db.session.get(OutboxMessage, claimed[0])
            try:
                if not capture:
                    # Development capture leaves the message readable on the captured-mail page.
                    if connection is None:
                        connection = _TimedConnection(current_app.extensions["mail"]).__enter__()
                    connection.send(_as_mail(message))
            except (OSError, smtplib.SMTPException) as error:
                message.attempts += 1
                message.last_error = f"{type(error).__name__}: {error}"[:1000]
                message.next_attempt_at = utcnow() + backoff(message.attempts)
                message.claimed_until = None
                failed += 1
                connection = _close(connection)
                if not isinstance(error, smtplib.SMTPRecipientsRefused):
                    db.session.commit()
                    break  # the server is failing, not this message: the rest wait a round
            else:
                message.attempts += 1
                message.sent_at = utcnow()
                message.last_error = None
                sent += 1
            db.session.commit()  # right after the 250: the only window for a second copy
    finally:
        _close(connection)
    return sent, failed


def _close(connection):
    if connection is not None and connection.host is not None:
        try:
            connection.host.quit()
        except (OSError, smtplib.SMTPException):
            pass
    return None
