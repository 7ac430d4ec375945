"""The coach's morning agenda as it is sent: today's sessions across all clients, who needs
attention, and the +1 bookings made yesterday, read when it falls due."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta

import sqlalchemy as sa
from flask import render_template

from webapp.extensions import db
from webapp.models import Booking, Client, CoachingSession, OutboxMessage, User
from webapp.rules.dates import today_in, zone
from webapp.rules.money import Money
from webapp.rules.plusone import BookingKind, SessionStatus
from webapp.rules.reminders import agenda_skip
from webapp.services.amounts import format_money
from webapp.services.attention import active_clients_of, sessions_run_out_by_client, standings_of
from webapp.services.calendar_reads import needs_training_ids
from webapp.services.reminder_mail import public_link


def compose_agenda(message: OutboxMessage, now: datetime) -> str | None:
    """Fill the due agenda's text and HTML; or say why it is skipped."""
    assert message.dedupe_key is not None  # agenda rows are made with their key
    _, coach_id, day_text = message.dedupe_key.split(":")
    coach = db.session.get(User, int(coach_id))
    assert coach is not None
    day = date.fromisoformat(day_text)
    reason = agenda_skip(enabled=coach.agenda_email, day=day, today=today_in(now, coach.time_zone))
    if reason is not None:
        return str(reason)
    rows = active_clients_of(coach)
    clients = [row.Client for row in rows]
    flagged = needs_training_ids(clients, now)
    reasons = sessions_run_out_by_client(standings_of(list(rows)), now)
    context = {
        "coach": coach,
        "day": f"{day:%A} {day.day} {day:%B %Y}",
        "sessions": _sessions_on(coach, day),
        "needs_training": [c.name for c in clients if c.id in flagged],
        "run_out": [(c.name, reasons[c.id].message) for c in clients if c.id in reasons],
        "plus_ones": _plus_ones_on(coach, day - timedelta(days=1)),
        "attention": public_link("attention.index"),
    }
    subject = f"Your agenda for {context['day']}"
    message.recipient, message.subject = coach.email, subject
    message.body = render_template("emails/agenda.txt", **context)
    message.html_body = render_template("emails/agenda.html", subject=subject, **context)
    return None


def _day_bounds(day: date, time_zone: str | None) -> tuple[datetime, datetime]:
    local = zone(time_zone)
    start = datetime.combine(day, time(0), tzinfo=local)
    return start, datetime.combine(day + timedelta(days=1), time(0), tzinfo=local)


def _sessions_on(coach: User, day: date) -> list[str]:
    start, end = _day_bounds(day, coach.time_zone)
    rows = db.session.execute(
        sa.select(CoachingSession.scheduled_at, Client.name, Booking.kind)
        .join(Client, Client.id == CoachingSession.calendar_client_id)
        .join(Booking, Booking.id == CoachingSession.booking_id)
        .where(
            CoachingSession.coach_id == coach.id,
            CoachingSession.status != SessionStatus.VOID,
            CoachingSession.scheduled_at >= start,
            CoachingSession.scheduled_at < end,
        )
        .order_by(CoachingSession.scheduled_at, CoachingSession.id)
    )
    local = zone(coach.time_zone)
    return [
        f"{at.astimezone(local):%H:%M} {name}" + (" (+1)" if kind == BookingKind.PLUS_ONE else "")
        for at, name, kind in rows
        if at is not None
    ]


def _plus_ones_on(coach: User, day: date) -> list[str]:
    start, end = _day_bounds(day, coach.time_zone)
    rows = db.session.execute(
        sa.select(User.name, Booking.rate_minor, Booking.currency)
        .join(User, User.id == Booking.client_user_id)
        .where(
            Booking.coach_id == coach.id,
            Booking.kind == BookingKind.PLUS_ONE,
            Booking.voided_at.is_(None),
            Booking.booked_at >= start,
            Booking.booked_at < end,
        )
        .order_by(Booking.booked_at, Booking.id)
    )
    return [
        f"{name}: one session at {format_money(Money(minor, cur))}" for name, minor, cur in rows
    ]
