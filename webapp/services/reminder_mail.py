"""A reminder as it is sent: composed by the relay when due, from the session as it is then.

So its time, "session N of M" and what comes next are never stale, and a reminder whose
session was completed, unplaced or has started, or whose client turned reminders off, is
marked skipped instead of sent. (The outbox imports this module; it imports no outbox.)
"""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from flask import current_app, has_request_context, render_template, url_for
from sqlalchemy.orm import aliased

from webapp.extensions import db
from webapp.models import Booking, Client, CoachingSession, OutboxMessage, Program, User
from webapp.rules import plusone
from webapp.rules.dates import today_in, zone
from webapp.rules.mail import mailbox
from webapp.rules.plusone import BookingKind, SessionStatus
from webapp.rules.reminders import SessionFacts, next_text, position_text, skip_reason
from webapp.services import tokens
from webapp.services.amounts import format_money
from webapp.services.coaching_sessions import (
    as_enrolment,
    as_package_booking,
    remaining_last_package_and_enrolment,
)
from webapp.services.feed import PlacedSession, calendar_of, session_event


def public_link(endpoint: str, **values) -> str:
    """An absolute link under PUBLIC_URL, also from the relay, which has no request."""
    base = current_app.config.get("PUBLIC_URL", "").rstrip("/")
    if has_request_context():
        return base + url_for(endpoint, **values)
    return base + current_app.url_map.bind("localhost").build(endpoint, values)


def unsubscribe_token(user: User) -> str:
    """The client's one-click unsubscribe token; made on first use, only its hash kept."""
    if not user.unsubscribe_salt:
        user.unsubscribe_salt = tokens.new_salt()
        user.unsubscribe_token_hash = tokens.hash_token(
            tokens.derived_token("unsubscribe", user.unsubscribe_salt)
        )
    return tokens.derived_token("unsubscribe", user.unsubscribe_salt)


def compose_reminder(message: OutboxMessage, now: datetime) -> str | None:
    """Fill the due reminder's text, HTML, .ics and headers; or say why it is skipped."""
    coach_user = aliased(User)
    session, booking, person, coach, program = db.session.execute(
        sa.select(CoachingSession, Booking, User, coach_user, Program.name)
        .join(Booking, Booking.id == CoachingSession.booking_id)
        .join(coach_user, coach_user.id == CoachingSession.coach_id)
        .outerjoin(User, User.id == CoachingSession.client_user_id)
        .outerjoin(Client, Client.id == CoachingSession.calendar_client_id)
        .outerjoin(Program, Program.id == Client.program_id)
        .where(CoachingSession.id == message.session_id)
    ).one()  # sessions are never deleted
    facts = SessionFacts(
        status_remaining=session.status == SessionStatus.REMAINING,
        placed=session.calendar_client_id is not None,
        starts=session.scheduled_at,
        reminders_off=bool(person and person.reminders_off),
        has_account=person is not None,
    )
    reason = skip_reason(facts, now)
    if reason is not None:
        return str(reason)
    assert person is not None and session.scheduled_at is not None  # skip_reason checked
    local = session.scheduled_at.astimezone(zone(person.time_zone))
    unsubscribe = public_link("reminders.unsubscribe", token=unsubscribe_token(person))
    context = {
        "client": person,
        "coach": coach,
        "when": f"{local:%A} {local.day} {local:%B %Y} at {local:%H:%M}",
        "time_zone": person.time_zone or "UTC",
        "position": position_text(_ordinal(session, booking), booking.sessions_count),
        "plus_one": booking.kind == BookingKind.PLUS_ONE,
        "next": _next(session, coach, person, now),
        "program": program or "",
        "where": coach.session_location or f"with {coach.name}, as arranged",
        "calendar": public_link("calendar.my_calendar", client_id=session.calendar_client_id),
        "unsubscribe": unsubscribe,
        "account": public_link("account.index"),
    }
    subject = f"Reminder: {context['position']} with {coach.name}, {context['when']}"
    message.recipient = person.email
    message.subject = subject[:200]
    message.reply_to = mailbox(coach.name, coach.email)
    message.body = render_template("emails/reminder.txt", **context)
    message.html_body = render_template("emails/reminder.html", subject=subject, **context)
    message.calendar_ics = _ics(session, booking, person.time_zone, coach).decode()
    message.list_unsubscribe = unsubscribe
    return None


def _ordinal(session: CoachingSession, booking: Booking) -> int:
    """Which of the booking's sessions this is: those completed, then by placed time."""
    siblings = db.session.execute(
        sa.select(
            CoachingSession.id,
            CoachingSession.status,
            CoachingSession.completed_at,
            CoachingSession.scheduled_at,
        ).where(
            CoachingSession.booking_id == booking.id, CoachingSession.status != SessionStatus.VOID
        )
    ).all()

    def order(row) -> tuple[int, float, int]:
        if row.status == SessionStatus.COMPLETED and row.completed_at is not None:
            return (0, row.completed_at.timestamp(), row.id)
        if row.scheduled_at is not None:
            return (1, row.scheduled_at.timestamp(), row.id)
        return (2, 0.0, row.id)

    return [row.id for row in sorted(siblings, key=order)].index(session.id) + 1


def _next(session: CoachingSession, coach: User, person: User, now: datetime) -> str:
    remaining, last, enrolment = remaining_last_package_and_enrolment(coach.id, person.id)
    after = max(remaining - 1, 0)
    rate = None
    if after == 0:
        decision = plusone.readiness(
            enrolment=as_enrolment(enrolment),
            last=as_package_booking(last) if last else None,
            today=today_in(now, person.time_zone),
        )
        rate = format_money(decision.rate) if decision.books and decision.rate else None
    return next_text(after, rate)


def _ics(session: CoachingSession, booking: Booking, time_zone: str | None, coach: User) -> bytes:
    assert session.scheduled_at is not None
    cal = calendar_of("Coaching session", time_zone)
    cal.add("method", "PUBLISH")
    event = session_event(
        PlacedSession(
            id=session.id,
            starts=session.scheduled_at,
            plus_one=booking.kind == BookingKind.PLUS_ONE,
            completed=False,
            updated_at=session.updated_at,
        ),
        tokens.installation_id(),
    )
    if coach.session_location:
        event.add("location", coach.session_location)
    cal.add_component(event)
    return cal.to_ical()
