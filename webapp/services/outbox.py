"""Emails go into the outbox in the caller's transaction; the relay delivers them later.

An SMTP outage therefore never fails a request or loses a message: the relay retries with
back-off until the server answers. A message that can never go (it cannot be built, or the
server refuses it for good) is marked failed and the relay carries on with the others, so one
bad row never stops password resets and invitations for everyone.

Delivery guarantee. The relay claims ONE message at a time with a committed lease, sends it,
and commits sent_at immediately after the server's 250. So:
- a message committed as sent is never sent again, by this relay or any other;
- a relay killed before the server's 250 leaves the message unsent; its lease expires and the
  next relay sends it (the other messages were never claimed, so they go out at once);
- the only way to send a message twice is a relay dying in the few milliseconds between the
  server's 250 and the commit of sent_at (or a lease shorter than one SMTP exchange). The
  Message-ID is chosen when the message is queued and kept on the row, so a receiver can drop
  that second copy.
SMTP has no way to make the 250 and the database commit one atomic step; keeping that window
tiny and the copy recognisable is the best any relay can do.

Scheduled mail (reminders, agendas, digests, change notices) is the same rows with a
not-before time (next_attempt_at): nothing is claimed before it. A reminder, agenda or digest
is composed under its claim from what holds then, or marked skipped when it no longer applies.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import datetime, timedelta
from email.errors import HeaderParseError

import sqlalchemy as sa
from flask import current_app, render_template

from webapp import clock
from webapp.extensions import db
from webapp.models import OutboxMessage
from webapp.rules.erasure import is_erased_email
from webapp.rules.mail import (
    Delivery,
    OutboxCounts,
    Round,
    after_failure,
    clean_header,
    mailbox,
    message_id,
)
from webapp.rules.reminders import MailKind
from webapp.services.agenda_mail import compose_agenda
from webapp.services.changed_rows import changed_rows
from webapp.services.digest_mail import compose_digest
from webapp.services.mail_message import as_mail as _as_mail
from webapp.services.mail_message import envelope_sender, sender
from webapp.services.reminder_mail import compose_reminder
from webapp.services.smtp_connection import TimedConnection, close

# How long a relay owns a claimed message. It must outlast one SMTP exchange (several
# MAIL_TIMEOUT_SECONDS), or a slow send could be taken over and sent twice.
CLAIM_SECONDS = 120
MAX_BACKOFF = timedelta(hours=1)


def queue_email(
    recipient: str,
    subject: str,
    body: str,
    *,
    html: str | None = None,
    reply_to: tuple[str, str] | None = None,
    not_before: datetime | None = None,
) -> OutboxMessage:
    """Add an email to the current transaction; it is sent only if the transaction commits,
    and not before `not_before` (by the one clock) when given.

    `reply_to` is (name, address) of whoever a reply should reach. Header values are made one
    line here already, whatever the forms let through.
    """
    message = OutboxMessage(
        recipient=clean_header(recipient, 254),
        subject=clean_header(subject, 200),
        body=body,
        html_body=html,
        reply_to=_reply_to(reply_to),
        message_id=message_id(str(uuid.uuid4()), current_app.config.get("PUBLIC_URL", "")),
        next_attempt_at=not_before or clock.now(),
    )
    if is_erased_email(message.recipient):
        # An erased person's placeholder address reaches no one: kept as never sent, and why.
        message.skipped_at, message.skip_reason = clock.now(), "addressed to an erased person"
    db.session.add(message)
    return message


def queue_rendered(
    recipient: str,
    subject: str,
    template: str,
    *,
    reply_to: tuple[str, str] | None = None,
    **context,
) -> OutboxMessage:
    """Queue `emails/<template>.txt` with `emails/<template>.html` as its HTML alternative."""
    return queue_email(
        recipient,
        subject,
        render_template(f"emails/{template}.txt", **context),
        html=render_template(f"emails/{template}.html", subject=subject, **context),
        reply_to=reply_to,
    )


def captured_copy(message: OutboxMessage | None) -> OutboxMessage | None:
    """The message itself while development captures mail instead of sending it, else None."""
    config = current_app.config
    if message is None or config.get("MAIL_SERVER") or not config.get("DEV_MAILBOX"):
        return None
    return message


def _reply_to(pair: tuple[str, str] | None) -> str | None:
    if pair is None:
        return None
    try:
        return mailbox(*pair)[:400]
    except (ValueError, IndexError, HeaderParseError):
        # An address the header parser refuses: the email still goes, without a Reply-To.
        current_app.logger.warning("outbox: no Reply-To for %r", pair[1])
        return None


def backoff(attempts: int) -> timedelta:
    return min(timedelta(seconds=5 * 2 ** max(attempts - 1, 0)), MAX_BACKOFF)


def claim_seconds() -> float:
    return float(current_app.config.get("OUTBOX_CLAIM_SECONDS", CLAIM_SECONDS))


def _claimable(now: datetime):
    return (
        OutboxMessage.sent_at.is_(None),
        OutboxMessage.failed_at.is_(None),
        OutboxMessage.skipped_at.is_(None),
        sa.or_(OutboxMessage.claimed_until.is_(None), OutboxMessage.claimed_until < now),
    )


# A claimed notice gathers no more changes: the next change opens a new one.
_RELEASE_OPEN_KEY = {
    "dedupe_key": sa.case(
        (OutboxMessage.kind == MailKind.NOTICE, sa.null()), else_=OutboxMessage.dedupe_key
    )
}


def _claim_due(limit: int) -> list[int]:
    """Claim due messages with a conditional update, so concurrent relays split the work."""
    now = clock.now()
    due = db.session.scalars(
        sa.select(OutboxMessage.id)
        .where(OutboxMessage.next_attempt_at <= now, *_claimable(now))
        .order_by(OutboxMessage.id)
        .limit(limit)
    ).all()
    claimed = []
    for message_id_ in due:
        result = db.session.execute(
            sa.update(OutboxMessage)
            .where(OutboxMessage.id == message_id_, *_claimable(now))
            .values(claimed_until=now + timedelta(seconds=claim_seconds()), **_RELEASE_OPEN_KEY)
        )
        if changed_rows(result) == 1:
            claimed.append(message_id_)
    db.session.commit()
    return claimed


# Scheduled mail written when it falls due, from what holds then.
_COMPOSED = {
    MailKind.REMINDER: compose_reminder,
    MailKind.AGENDA: compose_agenda,
    MailKind.DIGEST: compose_digest,
}


def _skipped(message: OutboxMessage) -> bool:
    """Compose a scheduled message from what holds now; True when it is moot and skipped."""
    compose = _COMPOSED.get(message.kind) if message.kind else None
    if compose is None:
        return False
    now = clock.now()
    reason = compose(message, now)
    if reason is not None:
        message.skipped_at, message.skip_reason, message.claimed_until = now, reason, None
        db.session.commit()
    return reason is not None


def send_due(limit: int = 50, should_stop: Callable[[], bool] = lambda: False) -> Round:
    """Deliver up to `limit` due messages, one claim at a time; returns (sent, failed)."""
    config = current_app.config
    capture = not config.get("MAIL_SERVER")
    from_header = sender(config.get("MAIL_DEFAULT_SENDER"))
    from_address = envelope_sender(from_header)
    sent = failed = skipped = 0
    connection = None
    try:
        while sent + failed + skipped < limit and not should_stop():
            claimed = _claim_due(1)  # committed before anything is sent
            if not claimed:
                break
            message = db.session.get(OutboxMessage, claimed[0])
            assert message is not None  # claimed, so no other relay deletes it
            talked = False
            try:
                if _skipped(message):
                    skipped += 1
                    continue
                mail = _as_mail(message, from_header, clock.now())
                if not capture:
                    # Development capture leaves the message readable on the captured-mail page.
                    talked = True
                    if connection is None:
                        connection = TimedConnection(config)
                    connection.host.send_message(mail, from_address, [message.recipient])
            except sa.exc.SQLAlchemyError:
                raise  # the database, not this message: the caller waits for it
            except Exception as error:  # noqa: BLE001 (any one message may fail; the rest go on)
                failed += 1
                delivery = _record_failure(message, error)
                if talked:
                    connection = close(connection)
                db.session.commit()
                if delivery is Delivery.SERVER_DOWN:
                    break  # the server is failing, not this message: the rest wait a round
                continue
            message.attempts += 1
            message.sent_at = clock.now()
            message.last_error = None
            sent += 1
            db.session.commit()  # right after the 250: the only window for a second copy
    finally:
        close(connection)
    return Round(sent, failed, skipped)


def _record_failure(message: OutboxMessage, error: Exception) -> Delivery:
    message.attempts += 1
    message.last_error = f"{type(error).__name__}: {error}"[:1000]
    message.claimed_until = None
    delivery = after_failure(error, message.attempts)
    if delivery is Delivery.FAILED:
        message.failed_at = clock.now()
        current_app.logger.error(
            "outbox: message %s to %s failed for good: %s",
            message.id,
            message.recipient,
            message.last_error,
        )
    else:
        message.next_attempt_at = clock.now() + backoff(message.attempts)
        current_app.logger.warning(
            "outbox: message %s to %s not sent, retrying: %s",
            message.id,
            message.recipient,
            message.last_error,
        )
    return delivery


def counts() -> OutboxCounts:
    """How many messages wait, went and failed, and when the oldest waiting one was queued;
    scheduled mail (not yet due, never tried) is counted apart and skipped mail not at all."""
    unsent = (
        OutboxMessage.sent_at.is_(None),
        OutboxMessage.failed_at.is_(None),
        OutboxMessage.skipped_at.is_(None),
    )
    ahead = sa.and_(OutboxMessage.attempts == 0, OutboxMessage.next_attempt_at > clock.now())
    waiting = sa.and_(*unsent, sa.not_(ahead))
    waiting_count, sent_count, failed_count, scheduled = db.session.execute(
        sa.select(
            sa.func.count(sa.case((waiting, 1))),
            sa.func.count(OutboxMessage.sent_at),
            sa.func.count(OutboxMessage.failed_at),
            sa.func.count(sa.case((sa.and_(*unsent, ahead), 1))),
        )
    ).one()
    oldest = db.session.scalar(sa.select(sa.func.min(OutboxMessage.created_at)).where(waiting))
    return OutboxCounts(waiting_count, sent_count, failed_count, oldest, scheduled)
