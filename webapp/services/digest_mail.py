"""The new-training digest as it is sent: the days the client can see that were written since
their last digest (a day back at most), read when it falls due."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from flask import render_template

from webapp.extensions import db
from webapp.models import CalendarEntry, Client, OutboxMessage, Program, User
from webapp.rules.calendar import last_visible_date
from webapp.rules.dates import today_in
from webapp.rules.reminders import DIGEST_LOOKBACK, SkipReason
from webapp.services.reminder_mail import public_link


def compose_digest(message: OutboxMessage, now: datetime) -> str | None:
    assert message.dedupe_key is not None  # digest rows are made with their key
    client_id = int(message.dedupe_key.split(":")[1])
    client, person, coach_id = db.session.execute(
        sa.select(Client, User, Program.coach_id)
        .join(User, User.id == Client.user_id)
        .join(Program, Program.id == Client.program_id)
        .where(Client.id == client_id)
    ).one()
    if not person.training_digest:
        return str(SkipReason.DIGEST_OFF)
    coach = db.session.get(User, coach_id)
    days = _new_days(client, person, message, now)
    if not days:
        return str(SkipReason.NOTHING_NEW)
    context = {
        "client": person,
        "coach": coach,
        "days": [f"{d:%A} {d.day} {d:%B %Y}" for d in days],
        "calendar": public_link("calendar.my_calendar", client_id=client.id),
    }
    subject = f"New training from {coach.name if coach else 'your coach'}"
    message.recipient, message.subject = person.email, subject
    message.body = render_template("emails/training_digest.txt", **context)
    message.html_body = render_template("emails/training_digest.html", subject=subject, **context)
    return None


def _new_days(client: Client, person: User, message: OutboxMessage, now: datetime) -> list:
    previous = db.session.scalar(
        sa.select(sa.func.max(OutboxMessage.sent_at)).where(
            OutboxMessage.dedupe_key.like(f"digest:{client.id}:%")
        )
    )
    since = max(previous or message.created_at - DIGEST_LOOKBACK, now - DIGEST_LOOKBACK * 2)
    today = today_in(now, person.time_zone)
    query = (
        sa.select(CalendarEntry.on_date)
        .distinct()
        .where(
            CalendarEntry.client_id == client.id,
            CalendarEntry.created_at >= since,
            CalendarEntry.on_date >= max(client.start_date, today),
        )
    )
    last = last_visible_date(today, client.horizon_days)
    if last is not None:
        query = query.where(CalendarEntry.on_date <= last)
    return sorted(db.session.scalars(query))
