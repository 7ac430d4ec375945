"""The pending charge a +1 booking writes in its own transaction (see plus_one_charges)."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa

from webapp.extensions import db
from webapp.models import Booking, LedgerEntry, PaymentAccount, SavedCard
from webapp.rules.payments import LedgerKind, LedgerStatus


def queue_plus_one_charge(booking: Booking, now: datetime) -> LedgerEntry | None:
    """In the completion's transaction: the pending charge of a +1 booking, when the coach
    takes cards and the client saved one; None (pay outside OnDeck, as before) otherwise."""
    card = db.session.scalar(
        sa.select(SavedCard).where(
            SavedCard.coach_id == booking.coach_id,
            SavedCard.client_user_id == booking.client_user_id,
            SavedCard.payment_method_id.is_not(None),
        )
    )
    connected = db.session.scalar(
        sa.select(PaymentAccount.id).where(PaymentAccount.coach_id == booking.coach_id)
    )
    if card is None or connected is None:
        return None
    entry = LedgerEntry(
        coach_id=booking.coach_id,
        client_user_id=booking.client_user_id,
        kind=LedgerKind.CHARGE,
        status=LedgerStatus.PENDING,
        amount_minor=booking.total_minor,
        currency=booking.currency,
        booking_id=booking.id,
        idempotency_key=f"plus_one:{booking.id}",
        card_last4=card.card_last4,
        created_at=now,
    )
    db.session.add(entry)
    db.session.flush()
    return entry
