"""Which bookings have payment due: a card charge failed and none has succeeded since.
Read by Needs attention and the pay link; it imports no workflow, so any reader may use it."""

from __future__ import annotations

import sqlalchemy as sa

from webapp.extensions import db
from webapp.models import Booking, LedgerEntry
from webapp.rules.payments import LedgerKind, LedgerStatus


def is_payment_due(booking_id: int) -> bool:
    """A booking whose card charge failed and that no card payment has paid since."""
    return db.session.scalar(due_bookings().where(Booking.id == booking_id)) is not None


def due_bookings() -> sa.Select:
    """Bookings with payment due: a failed charge, and no succeeded one after."""
    failed = sa.exists().where(
        LedgerEntry.booking_id == Booking.id,
        LedgerEntry.kind == LedgerKind.CHARGE,
        LedgerEntry.status == LedgerStatus.FAILED,
    )
    paid = sa.exists().where(
        LedgerEntry.booking_id == Booking.id,
        LedgerEntry.kind == LedgerKind.CHARGE,
        LedgerEntry.status == LedgerStatus.SUCCEEDED,
    )
    return sa.select(Booking).where(failed, ~paid, Booking.voided_at.is_(None))
