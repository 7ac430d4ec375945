"""What a client's feed holds: their visible entries and the coaching sessions placed on
their calendar, clipped to the same dates the client may see on their pages."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

import sqlalchemy as sa

from webapp.extensions import db
from webapp.models import Booking, CalendarEntry, Client, CoachingSession, Program, User
from webapp.rules.dates import today_in, zone
from webapp.rules.invites import State
from webapp.rules.plusone import BookingKind, SessionStatus
from webapp.services import tokens
from webapp.services.calendar_reads import visible_entries_between, visible_range


@dataclass(frozen=True)
class PlacedSession:
    id: int
    starts: datetime
    plus_one: bool
    completed: bool
    updated_at: datetime


@dataclass(frozen=True)
class Feed:
    client: Client
    program_name: str
    time_zone: str | None
    entries: list[CalendarEntry]
    sessions: list[PlacedSession]


def subscribed_client(token: str) -> tuple[Client, str | None, str] | None:
    """The active client whose feed this token opens, their time zone and program's name."""
    row = db.session.execute(
        sa.select(Client, User.time_zone, Program.name)
        .join(User, User.id == Client.user_id)
        .join(Program, Program.id == Client.program_id)
        .where(Client.feed_token_hash == tokens.hash_token(token), Client.state == State.ACTIVE)
    ).first()
    return (row[0], row[1], row[2]) if row else None


def feed_of(client: Client, time_zone: str | None, program_name: str, now: datetime) -> Feed:
    today = today_in(now, time_zone)
    start, last = visible_range(client, today)
    return Feed(
        client=client,
        program_name=program_name,
        time_zone=time_zone,
        entries=visible_entries_between(client, today, start, None),
        sessions=_placed_sessions(client.id, start, last, time_zone),
    )


def _placed_sessions(
    client_id: int, first: date, last: date | None, time_zone: str | None
) -> list[PlacedSession]:
    # A day's margin either side covers every time zone; local dates are checked below.
    low = datetime.combine(first - timedelta(days=1), datetime.min.time(), UTC)
    query = (
        sa.select(CoachingSession, Booking.kind)
        .join(Booking, Booking.id == CoachingSession.booking_id)
        .where(
            CoachingSession.calendar_client_id == client_id,
            CoachingSession.status != SessionStatus.VOID,
            CoachingSession.scheduled_at >= low,
        )
        .order_by(CoachingSession.scheduled_at, CoachingSession.id)
    )
    if last is not None:
        high = datetime.combine(last + timedelta(days=2), datetime.min.time(), UTC)
        query = query.where(CoachingSession.scheduled_at < high)
    local = zone(time_zone)
    placed = []
    for session, kind in db.session.execute(query):
        assert session.scheduled_at is not None  # the query reads placed sessions only
        day = session.scheduled_at.astimezone(local).date()
        if day >= first and (last is None or day <= last):
            placed.append(
                PlacedSession(
                    id=session.id,
                    starts=session.scheduled_at,
                    plus_one=kind == BookingKind.PLUS_ONE,
                    completed=session.status == SessionStatus.COMPLETED,
                    updated_at=session.updated_at,
                )
            )
    return placed
