"""The private iCalendar feed: a secret URL per client that a phone's calendar subscribes to."""

from __future__ import annotations

from datetime import datetime, timedelta

import sqlalchemy as sa
from flask import abort, current_app, make_response
from icalendar import Calendar, Event

from webapp import clock, tokens
from webapp.blueprints.calendar import bp
from webapp.blueprints.calendar.queries import visible_entries_between, visible_range
from webapp.extensions import db
from webapp.models import Client, Program, User
from webapp.rules.calendar import client_today, zone

EVENT_LENGTH = timedelta(hours=1)


@bp.get("/feeds/<token>.ics")
def feed(token: str):
    if not tokens.looks_like_token(token):
        abort(404)
    row = db.session.execute(
        sa.select(Client, User.time_zone, Program.name)
        .join(User, User.id == Client.user_id)
        .join(Program, Program.id == Client.program_id)
        .where(Client.feed_token_hash == tokens.hash_token(token), Client.state == "active")
    ).first()
    if row is None:
        abort(404)
    client, time_zone, program_name = row
    now = clock.now()
    today = client_today(now, time_zone)
    start, _last = visible_range(client, today)
    entries = visible_entries_between(client, today, start, None)

    cal = Calendar()
    cal.add("prodid", "-//OnDeck//Training calendar//EN")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("x-wr-calname", f"Training · {program_name}")
    cal.add("x-wr-timezone", time_zone)
    host = current_app.config.get("PUBLIC_URL", "ondeck").split("//")[-1].split("/")[0] or "ondeck"
    tz = zone(time_zone)
    for entry in entries:
        event = Event()
        event.add("uid", f"entry-{entry.id}@{host}")
        event.add("dtstamp", now)
        event.add("last-modified", entry.updated_at)
        event.add("summary", entry.title)
        if entry.body:
            event.add("description", entry.body)
        if entry.at_time is not None:
            begins = datetime.combine(entry.on_date, entry.at_time, tzinfo=tz)
            event.add("dtstart", begins)
            event.add("dtend", begins + EVENT_LENGTH)
        else:
            event.add("dtstart", entry.on_date)
            event.add("dtend", entry.on_date + timedelta(days=1))
        cal.add_component(event)
    cal.add_missing_timezones()

    response = make_response(cal.to_ical())
    response.headers["Content-Type"] = "text/calendar; charset=utf-8"
    response.headers["Content-Disposition"] = 'inline; filename="training.ics"'
    response.headers["Cache-Control"] = "private, no-cache"
    return response
