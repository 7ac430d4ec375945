"""Which bookings have payment due (a card charge failed and none has succeeded since), and
whose program payment failed to renew. Read by Needs attention and the pay link; it imports
no workflow, so any reader may use it."""

from __future__ import annotations

import sqlalchemy as sa

from webapp.extensions import db
from webapp.models import Booking, Client, LedgerEntry, ProgramSubscription, User
from webapp.rules.payments import LedgerKind, LedgerStatus, SubscriptionStatus


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


def payment_due_by_client(coach: User, clients: list[Client]) -> dict[int, list[Booking]]:
    """Bookings with payment due (a card charge that failed), by the client row listed; one
    query. A person in two of the coach's programs is listed under their first row."""
    by_person: dict[int, int] = {}
    for client in clients:
        if client.user_id is not None:
            by_person.setdefault(client.user_id, client.id)
    if not by_person:
        return {}
    due = db.session.scalars(
        due_bookings()
        .where(Booking.coach_id == coach.id, Booking.client_user_id.in_(list(by_person)))
        .order_by(Booking.booked_at, Booking.id)
    ).all()
    listed: dict[int, list[Booking]] = {}
    for booking in due:
        listed.setdefault(by_person[booking.client_user_id], []).append(booking)
    return listed


def past_due_by_client(coach_id: int, client_ids: list[int]) -> set[int]:
    """The clients (rows) whose subscription renewal failed."""
    if not client_ids:
        return set()
    return set(
        db.session.scalars(
            sa.select(ProgramSubscription.client_id).where(
                ProgramSubscription.coach_id == coach_id,
                ProgramSubscription.client_id.in_(client_ids),
                ProgramSubscription.status == SubscriptionStatus.PAST_DUE,
            )
        )
    )
