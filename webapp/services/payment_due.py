"""Which bookings have payment due (a card charge failed and none has succeeded since), and
whose program payment failed to renew. Read by Needs attention and the pay link; it imports
no workflow, so any reader may use it."""

from __future__ import annotations

from typing import NamedTuple

import sqlalchemy as sa

from webapp.extensions import db
from webapp.models import Booking, Client, LedgerEntry, User
from webapp.rules.money import Money
from webapp.rules.payments import LedgerKind, LedgerStatus


def is_payment_due(booking_id: int) -> bool:
    """A booking whose card charge failed and that nothing has paid since."""
    return db.session.scalar(due_bookings().where(Booking.id == booking_id)) is not None


def due_bookings() -> sa.Select:
    """Bookings with payment due: a failed charge, and no card or recorded payment for it
    after."""
    failed = sa.exists().where(
        LedgerEntry.booking_id == Booking.id,
        LedgerEntry.kind == LedgerKind.CHARGE,
        LedgerEntry.status == LedgerStatus.FAILED,
    )
    paid = sa.exists().where(
        LedgerEntry.booking_id == Booking.id,
        LedgerEntry.kind.in_([LedgerKind.CHARGE, LedgerKind.MANUAL]),
        LedgerEntry.status == LedgerStatus.SUCCEEDED,
    )
    return sa.select(Booking).where(failed, ~paid, Booking.voided_at.is_(None))


class Due(NamedTuple):
    booking: Booking
    amount: Money  # what the failed charge asked for


def due_of_client(coach_id: int, client_user_id: int) -> list[Due]:
    """A client's bookings with the coach that have payment due, oldest first, with the
    amount of the charge that failed; one query."""
    asked = (
        sa.select(LedgerEntry.amount_minor)
        .where(
            LedgerEntry.booking_id == Booking.id,
            LedgerEntry.kind == LedgerKind.CHARGE,
            LedgerEntry.status == LedgerStatus.FAILED,
        )
        .order_by(LedgerEntry.id.desc())
        .limit(1)
        .correlate(Booking)
        .scalar_subquery()
    )
    rows = db.session.execute(
        due_bookings()
        .add_columns(asked)
        .where(Booking.coach_id == coach_id, Booking.client_user_id == client_user_id)
        .order_by(Booking.booked_at, Booking.id)
    ).all()
    return [Due(booking, Money(minor, booking.currency)) for booking, minor in rows]


def due_amount(booking: Booking) -> Money | None:
    """What is due on the booking (the charge that failed), or None when nothing is."""
    due = {d.booking.id: d.amount for d in due_of_client(booking.coach_id, booking.client_user_id)}
    return due.get(booking.id)


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
