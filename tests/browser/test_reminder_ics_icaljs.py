"""The reminder's calendar attachment as Mozilla's ical.js reads it, inside Chromium: the event
a client adds from the email lands at the instant the coach placed, in winter and in summer."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from tests.support import icaljs
from tests.support.plusone import logged_in
from tests.support.reminders import booked, ics_of, london, place, relay

T0 = datetime(2026, 12, 7, 9, 0, tzinfo=UTC)  # where the clock stops; each case moves it


@pytest.fixture
def app_config(app_config, smtp_server):
    return {**app_config, "MAIL_SERVER": "127.0.0.1", "MAIL_PORT": smtp_server.port}


@pytest.mark.parametrize(
    ("monday", "thursday"),
    [
        (datetime(2026, 12, 7, 9, 0, tzinfo=UTC), date(2026, 12, 10)),  # London on GMT
        (datetime(2027, 7, 12, 9, 0, tzinfo=UTC), date(2027, 7, 15)),  # London on BST
    ],
    ids=["winter", "summer"],
)
def test_icaljs_reads_the_reminder_event_at_the_placed_instant_and_place(
    app, pair, time, smtp_server, watched_page, monday, thursday
):
    time.now = monday
    coach = logged_in(app, pair.coach_email)
    coach.post(
        "/account/reminders",
        data={"reminders-offsets": "24", "reminders-location": "Studio 4, 12 High Street"},
    )
    [only] = booked(app, pair, sessions=1)
    place(coach, pair, only, thursday, "18:30")
    time.now = london(thursday - timedelta(days=1), 18, 30).astimezone(UTC)
    assert relay(app)[0] == 1
    [mail] = smtp_server.mailbox.wait_for(1)

    [event] = icaljs.read(icaljs.load(watched_page), ics_of(mail).decode())

    starts = london(thursday, 18, 30)
    assert icaljs.instant(event["start"]) == starts
    assert icaljs.instant(event["end"]) == starts + timedelta(hours=1)
    assert event["summary"] == "Coaching session"
    assert event["location"] == "Studio 4, 12 High Street"
    assert event["uid"].startswith(f"session-{only}-")
