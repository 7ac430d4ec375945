"""Joining a program paid by card: the client accepts, then pays; Stripe's confirmation of
the first payment (on the return from the card page, or by the signed webhook, whichever
comes first) is the step that makes them active."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa

from webapp.extensions import db
from webapp.models import Client
from webapp.rules.invites import Event, Method, State, transition
from webapp.services.changed_rows import changed_rows


def first_payment(client_id: int, now: datetime) -> bool:
    """Stripe confirmed the subscription (on the return or by its webhook): a client awaiting
    their first payment becomes active, exactly once whichever comes first."""
    paid = db.session.execute(
        sa.update(Client)
        .where(
            Client.id == client_id,
            Client.state == State.PENDING,
            Client.awaiting_payment_since.is_not(None),
        )
        .values(
            state=transition(State.PENDING, Event.FIRST_PAYMENT, Method.LINK),
            awaiting_payment_since=None,
            activated_at=now,
        )
        .execution_options(synchronize_session=False)
    )
    return changed_rows(paid) == 1
