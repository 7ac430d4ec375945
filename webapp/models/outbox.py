from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from webapp.extensions import db
from webapp.models.types import UTCDateTime, now_default, stored_enum
from webapp.rules.reminders import MailKind


class OutboxMessage(db.Model):
    """An email written in the same transaction as the change it reports; the relay sends it."""

    __tablename__ = "outbox_messages"
    __table_args__ = (sa.Index("ix_outbox_due", "sent_at", "next_attempt_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    recipient: Mapped[str] = mapped_column(sa.String(254))
    subject: Mapped[str] = mapped_column(sa.String(200))
    body: Mapped[str] = mapped_column(sa.Text)
    # The HTML alternative, rendered with the text when queued: the relay sends what was
    # committed, never re-rendering templates that may have changed since.
    html_body: Mapped[str | None] = mapped_column(sa.Text)
    # `Name <address>` of the person a reply should reach (the coach, for a client's mail).
    reply_to: Mapped[str | None] = mapped_column(sa.String(400))
    # Chosen once when queued, so every retry of this row carries the same Message-ID.
    message_id: Mapped[str] = mapped_column(sa.String(300), unique=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now_default)
    attempts: Mapped[int] = mapped_column(default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now_default)
    # A relay claims a message until this time, so two relays never send it at once.
    claimed_until: Mapped[datetime | None] = mapped_column(UTCDateTime)
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    last_error: Mapped[str | None] = mapped_column(sa.Text)
    # Set when the message can never be delivered (it cannot be built, or was refused for
    # good): the relay does not try it again.
    failed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # Scheduled mail. next_attempt_at is its not-before time; a reminder is composed by the
    # relay when due, a notice gathers changes while unsent (webapp.services.reminders).
    kind: Mapped[MailKind | None] = mapped_column(stored_enum(MailKind, 10))
    # Unique while it matters: (session, offset) for a reminder, the client for an open notice.
    dedupe_key: Mapped[str | None] = mapped_column(sa.String(120), unique=True)
    session_id: Mapped[int | None] = mapped_column(
        sa.ForeignKey("coaching_sessions.id"), index=True
    )
    offset_minutes: Mapped[int | None] = mapped_column()
    # Set when a due message was not sent because what it was about no longer holds.
    skipped_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    skip_reason: Mapped[str | None] = mapped_column(sa.String(120))
    # An iCalendar attachment, and the one-click unsubscribe URL (RFC 8058) of the message.
    calendar_ics: Mapped[str | None] = mapped_column(sa.Text)
    list_unsubscribe: Mapped[str | None] = mapped_column(sa.String(400))
