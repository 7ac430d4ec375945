from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column

from webapp.extensions import db
from webapp.models.types import UTCDateTime, now_default


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
