"""Sessions to remind of, the relay run by hand, and reminders read back from the SMTP server."""

from __future__ import annotations

import email.utils
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import sqlalchemy as sa

from tests.support.plusone import Pair, make_package
from webapp.extensions import db
from webapp.models import Client, CoachingSession, Package, User
from webapp.services.bookings import book_package
from webapp.services.outbox import send_due

LONDON = ZoneInfo("Europe/London")


def london(on: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(on, time(hour, minute), tzinfo=LONDON)


def booked(app, pair: Pair, sessions: int = 5, total_minor: int = 25000) -> list[int]:
    """A package of `sessions` the client booked; their session ids, in order. The client's
    calendar starts in 2026, so every day the tests use is on it."""
    package_id = make_package(app, pair.coach_id, sessions, total_minor)
    with app.app_context():
        package = db.session.get(Package, package_id)
        person = db.session.get(User, pair.person_id)
        booking = book_package(package, person, datetime(2026, 1, 1, tzinfo=LONDON))
        db.session.flush()
        db.session.execute(
            sa.update(Client).where(Client.id == pair.client_id).values(start_date=date(2026, 1, 1))
        )
        db.session.commit()
        return list(
            db.session.scalars(
                sa.select(CoachingSession.id)
                .where(CoachingSession.booking_id == booking.id)
                .order_by(CoachingSession.id)
            )
        )


def place(coach, pair: Pair, session_id: int, on: date, at: str = "18:30"):
    response = coach.post(
        f"/clients/{pair.client_id}/sessions/{session_id}/place",
        data={"on_date": on.isoformat(), "at_time": at},
    )
    assert response.status_code in (200, 303), response.get_data(as_text=True)[:300]
    return response


def relay(app):
    """One round of the relay, as `flask outbox send` runs it: (sent, failed), .skipped."""
    with app.app_context():
        try:
            return send_due()
        finally:
            db.session.remove()


def sent_at_london(message) -> datetime:
    """When the relay sent a message that reached the server: its Date header, London time."""
    return email.utils.parsedate_to_datetime(message["Date"]).astimezone(LONDON)


def ics_of(message) -> bytes:
    [part] = [p for p in message.iter_attachments() if p.get_content_type() == "text/calendar"]
    return (
        part.get_content().encode() if isinstance(part.get_content(), str) else part.get_content()
    )
