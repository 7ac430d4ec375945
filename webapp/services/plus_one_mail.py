"""The two emails a +1 booking sends: the client reads what was booked for them and who will
schedule it; the coach reads what was booked for their client and where to place it."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from flask import current_app, url_for

from webapp.extensions import db
from webapp.models import Booking, Client, Program, User
from webapp.rules.money import Money
from webapp.services.amounts import format_money
from webapp.services.outbox import queue_rendered


def queue_plus_one_emails(
    rate: Money,
    last: Booking,
    slot: datetime | None,
    coach: User,
    client_user: User,
    calendar_client_id: int | None,
    charge: dict | None = None,
) -> None:
    """`charge`, when the +1 was charged to a saved card: paid, amount, last4, and when it
    failed the reason and the pay link."""
    time_zone = client_user.time_zone or "UTC"
    rate_text, last_total = format_money(rate), Money(last.total_minor, last.currency)
    base = current_app.config.get("PUBLIC_URL", "").rstrip("/")
    context = {
        "coach": coach,
        "client": client_user,
        "rate": rate_text,
        "package": f"{last.sessions_count} × {format_money(last_total)}",
        "on_deck": _when(slot, time_zone) if slot else None,
        "charge": charge,
    }
    queue_rendered(
        client_user.email,
        f"+1: one more session with {coach.name} booked at {rate_text}",
        "plus_one_client",
        reply_to=(coach.name, coach.email),
        preferences=base + url_for("my_coaches.plus_one", coach_id=coach.id),
        **context,
    )
    client_id = calendar_client_id or _client_row_id(coach.id, client_user.id)
    queue_rendered(
        coach.email,
        f"+1: one more session for {client_user.name} booked at {rate_text}",
        "plus_one_coach",
        reply_to=(client_user.name, client_user.email),
        sessions=base + url_for("sessions.index", client_id=client_id) if client_id else None,
        **context,
    )


def _when(slot: datetime, time_zone: str) -> str:
    local = slot.astimezone(ZoneInfo(time_zone))
    return f"{local:%A} {local.day} {local:%B %Y} at {local:%H:%M} ({time_zone})"


def _client_row_id(coach_id: int, client_user_id: int) -> int | None:
    """The client's row in one of the coach's programs, whose sessions page the coach opens."""
    return db.session.scalar(
        sa.select(Client.id)
        .join(Program, Program.id == Client.program_id)
        .where(Program.coach_id == coach_id, Client.user_id == client_user_id)
        .order_by(Client.id)
        .limit(1)
    )
