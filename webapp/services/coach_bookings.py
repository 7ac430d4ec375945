"""A coach books a package for a client (paid in cash, say): the booking and its sessions, a
manual payment in the ledger when it was paid by hand (else the amount stays due), and an
email to the client, all in one transaction and once per form."""

from __future__ import annotations

from datetime import datetime

from flask import current_app, url_for
from sqlalchemy.exc import IntegrityError

from webapp.extensions import db
from webapp.models import Booking, Package, User
from webapp.rules.money import Money
from webapp.rules.payments import MANUAL_METHODS, ManualMethod
from webapp.services.amounts import format_money
from webapp.services.bookings import book_package
from webapp.services.outbox import queue_rendered
from webapp.services.payments import record_manual


def book_for_client(
    package: Package,
    person: User,
    coach: User,
    *,
    paid: ManualMethod | None,
    form_key: str,
    now: datetime,
) -> Booking | None:
    """Book `package` for `person`; None when this form was already booked (a double click,
    a resent form), which books nothing more. The email's unique key is the form's."""
    total = Money(package.total_minor, package.currency)
    what = f"{package.sessions_count} × {format_money(total)}"
    base = current_app.config.get("PUBLIC_URL", "").rstrip("/")
    try:
        with db.session.begin_nested():
            message = queue_rendered(
                person.email,
                f"{coach.name} booked {what} for you",
                "coach_booking",
                reply_to=(coach.name, coach.email),
                coach=coach,
                client=person,
                package=what,
                paid=MANUAL_METHODS[paid] if paid else None,
                page=base + url_for("my_coaches.detail", coach_id=coach.id),
            )
            message.dedupe_key = f"coach-booking:{coach.id}:{form_key}"[:120]
            db.session.flush()
    except IntegrityError:
        return None
    booking = book_package(package, person, now)
    if paid is not None:
        entry, _new = record_manual(
            coach_id=coach.id,
            client_user_id=person.id,
            amount=total,
            method=paid,
            note=f"Paid for {what}",
            form_key=f"booking:{form_key}",
            now=now,
        )
        entry.booking_id = booking.id
    return booking
