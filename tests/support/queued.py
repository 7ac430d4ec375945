"""What the app queued in its outbox, read straight from the table."""

from __future__ import annotations

import sqlalchemy as sa

from webapp.extensions import db
from webapp.models import OutboxMessage


def emails_to(app, address: str) -> list[OutboxMessage]:
    """Every email queued for `address`, oldest first."""
    with app.app_context():
        return db.session.scalars(
            sa.select(OutboxMessage)
            .where(OutboxMessage.recipient == address)
            .order_by(OutboxMessage.id)
        ).all()


def outbox(app) -> list[OutboxMessage]:
    """Every email queued, oldest first, but for session reminders (see `reminders`)."""
    with app.app_context():
        return list(
            db.session.scalars(
                sa.select(OutboxMessage)
                .where(sa.or_(OutboxMessage.kind.is_(None), OutboxMessage.kind != "reminder"))
                .order_by(OutboxMessage.id)
            )
        )


def reminders(app) -> list[OutboxMessage]:
    """The session reminder rows (scheduled, sent, skipped), by due time."""
    with app.app_context():
        return list(
            db.session.scalars(
                sa.select(OutboxMessage)
                .where(OutboxMessage.kind == "reminder")
                .order_by(OutboxMessage.next_attempt_at, OutboxMessage.id)
            )
        )
