"""Emails go into the outbox in the caller's transaction; the relay delivers them later.

An SMTP outage therefore never fails a request or loses a message: the relay retries with
back-off until the server answers.
"""

from __future__ import annotations

import smtplib
from datetime import timedelta

import sqlalchemy as sa
from flask import current_app
from flask_mail import Connection, Message

from webapp.extensions import db
from webapp.models import OutboxMessage
from webapp.models.types import utcnow

CLAIM_SECONDS = 120
MAX_BACKOFF = timedelta(hours=1)


def queue_email(recipient: str, subject: str, body: str) -> OutboxMessage:
    """Add an email to the current transaction; it is sent only if the transaction commits."""
    message = OutboxMessage(recipient=recipient, subject=subject[:200], body=body)
    db.session.add(message)
    return message


def backoff(attempts: int) -> timedelta:
    return min(timedelta(seconds=5 * 2 ** max(attempts - 1, 0)), MAX_BACKOFF)


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
            .values(claimed_until=now + timedelta(seconds=CLAIM_SECONDS))
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


def send_due(limit: int = 50) -> tuple[int, int]:
    """Deliver what is due; returns (sent, failed)."""
    claimed = _claim_due(limit)
    if not claimed:
        return 0, 0
    capture = not current_app.config.get("MAIL_SERVER")
    sent = failed = 0
    connection = None
    for message_id in claimed:
        message = db.session.get(OutboxMessage, message_id)
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
        else:
            message.attempts += 1
            message.sent_at = utcnow()
            message.last_error = None
            sent += 1
        db.session.commit()
    _close(connection)
    return sent, failed


def _close(connection):
    if connection is not None and connection.host is not None:
        try:
            connection.host.quit()
        except (OSError, smtplib.SMTPException):
            pass
    return None
