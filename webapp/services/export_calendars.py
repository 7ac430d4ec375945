"""Each client's calendar as an .ics file for an export: a coach's whole calendars in three
streamed queries (clients, entries, sessions) however many clients there are, and a client's
own calendars as their feed shows them."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import datetime
from itertools import groupby

import sqlalchemy as sa
from sqlalchemy.orm import aliased

from webapp.extensions import db
from webapp.models import Booking, CalendarEntry, Client, CoachingSession, Program, User
from webapp.rules.plusone import BookingKind, SessionStatus
from webapp.services import feed

BATCH = 200


def file_name(client: Client) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", client.name.lower()).strip("-")[:40] or "client"
    return f"calendars/{client.id}-{slug}.ics"


class _Grouped:
    """Rows ordered by client id, handed out one client's group at a time."""

    def __init__(self, rows, key):
        self._groups = groupby(rows, key=key)
        self._next = next(self._groups, None)

    def take(self, client_id: int) -> list:
        while self._next is not None and self._next[0] < client_id:
            self._next = next(self._groups, None)
        if self._next is None or self._next[0] != client_id:
            return []
        rows = list(self._next[1])
        self._next = next(self._groups, None)
        return rows


def coach_calendars(coach_id: int) -> Iterator[tuple[str, list[bytes]]]:
    """(file name, bytes) of every calendar in the coach's programs, everything written."""
    person = aliased(User)
    coach_zone = sa.select(User.time_zone).where(User.id == coach_id).scalar_subquery()
    mine = sa.select(Client.id).join(Program, Program.id == Client.program_id)
    mine = mine.where(Program.coach_id == coach_id)
    clients = db.session.execute(
        sa.select(Client, Program.name, sa.func.coalesce(person.time_zone, coach_zone))
        .join(Program, Program.id == Client.program_id)
        .outerjoin(person, person.id == Client.user_id)
        .where(Program.coach_id == coach_id)
        .order_by(Client.id)
    ).all()
    entries = _Grouped(
        db.session.scalars(
            sa.select(CalendarEntry)
            .where(CalendarEntry.client_id.in_(mine))
            .order_by(
                CalendarEntry.client_id,
                CalendarEntry.on_date,
                CalendarEntry.position,
                CalendarEntry.id,
            )
            .execution_options(yield_per=BATCH)
        ),
        key=lambda entry: entry.client_id,
    )
    sessions = _Grouped(
        db.session.execute(
            sa.select(CoachingSession, Booking.kind)
            .join(Booking, Booking.id == CoachingSession.booking_id)
            .where(
                CoachingSession.calendar_client_id.in_(mine),
                CoachingSession.scheduled_at.is_not(None),
                CoachingSession.status != SessionStatus.VOID,
            )
            .order_by(
                CoachingSession.calendar_client_id,
                CoachingSession.scheduled_at,
                CoachingSession.id,
            )
            .execution_options(yield_per=BATCH)
        ),
        key=lambda row: row[0].calendar_client_id,
    )
    for client, program_name, time_zone in clients:
        placed = [_placed(session, kind) for session, kind in sessions.take(client.id)]
        body = feed.whole_calendar(client, time_zone, program_name, entries.take(client.id), placed)
        yield file_name(client), [body]


def _placed(session: CoachingSession, kind: BookingKind) -> feed.PlacedSession:
    assert session.scheduled_at is not None  # the query reads placed sessions only
    return feed.PlacedSession(
        id=session.id,
        starts=session.scheduled_at,
        plus_one=kind == BookingKind.PLUS_ONE,
        completed=session.status == SessionStatus.COMPLETED,
        updated_at=session.updated_at,
    )


def client_calendars(user_id: int, now: datetime) -> Iterator[tuple[str, list[bytes]]]:
    """A client's calendars with each coach, as their feeds show them now."""
    rows = db.session.execute(
        sa.select(Client, Program.name, User.time_zone)
        .join(Program, Program.id == Client.program_id)
        .join(User, User.id == Client.user_id)
        .where(Client.user_id == user_id)
        .order_by(Client.id)
    ).all()
    for client, program_name, time_zone in rows:
        yield file_name(client), [feed.visible_calendar(client, time_zone, program_name, now)]
