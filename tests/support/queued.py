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
    """Every email queued, oldest first."""
    with app.app_context():
        return list(db.session.scalars(sa.select(OutboxMessage).order_by(OutboxMessage.id)))
