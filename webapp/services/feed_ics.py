"""The feed's iCalendar text, the same bytes for the same calendar (so its hash is its ETag).

Timed events are written in UTC and all-day ones as dates, with no VTIMEZONE: every calendar
app reads those alike (rules/feed.py says why).
"""

from __future__ import annotations

from datetime import datetime, timedelta

from icalendar import Calendar, Event

from webapp.rules.feed import EVENT_LENGTH, event_uid, starts_at
from webapp.services.feed_rows import Feed


def feed_ics(feed: Feed, installation: str) -> bytes:
    cal = Calendar()
    cal.add("prodid", "-//OnDeck//Training calendar//EN")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", f"Training · {feed.program_name}")
    # Only a hint for showing the calendar: every time in it is UTC or a date.
    cal.add("x-wr-timezone", feed.time_zone or "UTC")
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
        event = _event(event_uid("session", session.id, installation), session.updated_at)
        title = "+1 coaching session" if session.plus_one else "Coaching session"
        event.add("summary", f"{title} (completed)" if session.completed else title)
        event.add("dtstart", session.starts)
        event.add("dtend", session.starts + EVENT_LENGTH)
        cal.add_component(event)
    return cal.to_ical()


def _event(uid: str, changed: datetime) -> Event:
    """An event stamped with its row's last change, never the time of the download."""
    changed = changed.replace(microsecond=0)
    event = Event()
    event.add("uid", uid)
    event.add("dtstamp", changed)
    event.add("last-modified", changed)
    return event
