"""A client's private calendar feed: what it holds, its iCalendar text, and its version.

The feed holds the client's visible entries and the coaching sessions placed on their calendar,
clipped to the same dates the client may see on their pages. Timed events are written in UTC
and all-day ones as dates, with no VTIMEZONE: every calendar app reads those alike
(rules/feed.py says why).
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

import sqlalchemy as sa
from icalendar import Calendar, Event

from webapp.extensions import db
from webapp.models import Booking, CalendarEntry, Client, CoachingSession, Program, User
from webapp.rules.dates import today_in, zone
from webapp.rules.feed import EVENT_LENGTH, changed_at, event_uid, starts_at
from webapp.rules.invites import State
from webapp.rules.plusone import BookingKind, SessionStatus
from webapp.services import tokens
from webapp.services.calendar_reads import visible_entries_between, visible_range


@dataclass(frozen=True)
class Published:
    """The feed's body, its version (a hash of the body) and when that version first showed."""

    body: bytes
    version: str
    changed_at: datetime


def publish(token: str, now: datetime) -> Published | None:
    """The feed this token opens, or None when it opens none.

    The body is the whole truth (entries, sessions, horizon, time zone), so its hash changes
    whenever anything a subscriber sees does, and only then; a new hash is recorded (and
    committed) with the time it was first served.
    """
    if not tokens.looks_like_token(token):
        return None
    found = _subscribed_client(token)
    if found is None:
        return None
    client, time_zone, program_name = found
    body = _ics(_feed_of(client, time_zone, program_name, now), tokens.installation_id())
    version = hashlib.sha256(body).hexdigest()
    if version != client.feed_version or client.feed_changed_at is None:
        client.feed_changed_at = changed_at(
            client.feed_version, client.feed_changed_at, version, now
        )
        client.feed_version = version
        db.session.commit()
    return Published(body=body, version=version, changed_at=client.feed_changed_at)


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


def _subscribed_client(token: str) -> tuple[Client, str | None, str] | None:
    """The active client whose feed this token opens, their time zone and program's name."""
    row = db.session.execute(
        sa.select(Client, User.time_zone, Program.name)
        .join(User, User.id == Client.user_id)
        .join(Program, Program.id == Client.program_id)
        .where(Client.feed_token_hash == tokens.hash_token(token), Client.state == State.ACTIVE)
    ).first()
    return (row[0], row[1], row[2]) if row else None


def _feed_of(client: Client, time_zone: str | None, program_name: str, now: datetime) -> Feed:
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


def visible_calendar(client: Client, time_zone: str | None, program_name: str, now: datetime):
    """What the client's feed shows now, as iCalendar: their own calendar in an export."""
    return _ics(_feed_of(client, time_zone, program_name, now), tokens.installation_id())


def whole_calendar(
    client: Client,
    time_zone: str | None,
    program_name: str,
    entries: list[CalendarEntry],
    sessions: list[PlacedSession],
) -> bytes:
    """A calendar with the entries and sessions given (all of them, in a coach's export)."""
    feed = Feed(client, program_name, time_zone, entries, sessions)
    return _ics(feed, tokens.installation_id())


def _ics(feed: Feed, installation: str) -> bytes:
    """The same bytes for the same calendar, so their hash is the feed's version."""
    cal = calendar_of(f"Training · {feed.program_name}", feed.time_zone)
    for entry in feed.entries:
        event = _event(event_uid("entry", entry.id, installation), entry.updated_at)
        event.add("summary", entry.title)
        if entry.body:
            event.add("description", entry.body)
        if entry.at_time is not None:
            begins = starts_at(entry.on_date, entry.at_time, feed.time_zone)
            event.add("dtstart", begins)
            event.add("dtend", begins + EVENT_LENGTH)
        else:
            event.add("dtstart", entry.on_date)
            event.add("dtend", entry.on_date + timedelta(days=1))
        cal.add_component(event)
    for session in feed.sessions:
        cal.add_component(session_event(session, installation))
    return cal.to_ical()


def calendar_of(name: str, time_zone: str | None) -> Calendar:
    cal = Calendar()
    cal.add("prodid", "-//OnDeck//Training calendar//EN")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", name)
    # Only a hint for showing the calendar: every time in it is UTC or a date.
    cal.add("x-wr-timezone", time_zone or "UTC")
    return cal


def session_event(session: PlacedSession, installation: str) -> Event:
    """A placed session as the feed shows it; a reminder attaches the same event (same UID),
    so a calendar app that has the feed updates the event instead of adding a second."""
    event = _event(event_uid("session", session.id, installation), session.updated_at)
    title = "+1 coaching session" if session.plus_one else "Coaching session"
    event.add("summary", f"{title} (completed)" if session.completed else title)
    event.add("dtstart", session.starts)
    event.add("dtend", session.starts + EVENT_LENGTH)
    return event


def _event(uid: str, changed: datetime) -> Event:
    """An event stamped with its row's last change, never the time of the download."""
    changed = changed.replace(microsecond=0)
    event = Event()
    event.add("uid", uid)
    event.add("dtstamp", changed)
    event.add("last-modified", changed)
    return event
