"""The private calendar feed as a parser OnDeck did not write (vobject) reads it: instants,
dates, DTSTAMPs and UIDs."""

from __future__ import annotations

from datetime import UTC, date, datetime, time

import pytest
import vobject

from tests.support.feed import (
    CLOCK_CHANGES,
    LONDON_ENTRY_WRITTEN,
    london_member,
    placed_session,
    session_instants,
    subscribed_client,
    utc_instant,
)
from webapp.extensions import db
from webapp.models import CalendarEntry, Client, CoachingSession
from webapp.services.calendar_edits import regenerate_feed

NOW = datetime(2026, 11, 22, 11, 30, tzinfo=UTC)
ZONES = sorted(CLOCK_CHANGES)


pytestmark = pytest.mark.usefixtures("frozen_clock")  # at NOW


def vobject_events(text: str) -> dict[str, datetime | date]:
    """Each event's start by its title as vobject reads it: an aware instant in UTC, or a date."""
    events = {}
    for event in vobject.readOne(text).vevent_list:
        start = event.dtstart.value
        if isinstance(start, datetime):
            assert start.tzinfo is not None, f"{event.summary.value} starts at a floating time"
            start = start.astimezone(UTC)
        events[event.summary.value] = start
    return events


def parsed(text: str):
    return {e.summary.value: e for e in vobject.readOne(text).vevent_list}


@pytest.mark.parametrize("zone", ZONES)
def test_vobject_reads_every_entry_at_the_instant_the_coach_wrote_it(app, client, zone):
    sub = subscribed_client(app, zone)
    events = vobject_events(client.get(sub.feed_path).get_data(as_text=True))
    assert {title: events.get(title) for title in sub.expected} == sub.expected


@pytest.mark.parametrize("zone", ZONES)
def test_vobject_reads_placed_sessions_at_their_instant(app, client, zone):
    sub = subscribed_client(app, zone)
    events = vobject.readOne(client.get(sub.feed_path).get_data(as_text=True)).vevent_list
    sessions = sorted(
        e.dtstart.value.astimezone(UTC) for e in events if "session" in e.summary.value.lower()
    )
    assert sessions == session_instants(zone)


def test_a_london_evening_in_december_is_1830_utc(app, client):
    sub = subscribed_client(app, "Europe/London", with_sessions=False)
    text = client.get(sub.feed_path).get_data(as_text=True)
    assert "DTSTART:20261205T183000Z" in text.replace("\r\n ", "")
    assert "DTSTART;VALUE=DATE:20261205" in text


def test_a_void_or_unplaced_session_is_not_in_the_feed(app, client):
    sub = subscribed_client(app, "Europe/London")
    with app.app_context():
        first = db.session.scalars(
            db.select(CoachingSession).order_by(CoachingSession.scheduled_at)
        ).first()
        first.status = "void"
        second = db.session.scalars(
            db.select(CoachingSession).order_by(CoachingSession.scheduled_at).offset(1)
        ).first()
        second.calendar_client_id, second.scheduled_at = None, None
        db.session.commit()
    events = vobject.readOne(client.get(sub.feed_path).get_data(as_text=True)).vevent_list
    sessions = sorted(
        e.dtstart.value.astimezone(UTC) for e in events if "session" in e.summary.value.lower()
    )
    assert sessions == session_instants("Europe/London")[2:]


@pytest.fixture
def member(app):
    return london_member(app)


def test_dtstamp_and_last_modified_are_the_entrys_last_change_not_the_fetch(app, client, member):
    event = parsed(client.get(member["path"]).get_data(as_text=True))["Tempo run"]
    written = LONDON_ENTRY_WRITTEN
    assert event.dtstamp.value == written
    assert event.last_modified.value == written


def test_editing_an_entry_moves_its_dtstamp_to_the_edit(app, client, member):
    client.login("coach@example.com", "correct horse battery")
    client.post(
        f"/clients/{member['client']}/calendar/entries/{member['entry']}",
        data={"title": "Hill repeats", "body": "", "at_time": "18:30", "on_date": "2026-11-24"},
    )
    with app.app_context():
        changed = db.session.get(CalendarEntry, member["entry"]).updated_at
    event = parsed(client.get(member["path"]).get_data(as_text=True))["Hill repeats"]
    assert changed > LONDON_ENTRY_WRITTEN
    assert event.dtstamp.value == changed.replace(microsecond=0)


def test_a_new_public_url_keeps_every_events_uid(app, client):
    sub = subscribed_client(app, "America/New_York")
    before = {
        e.uid.value for e in vobject.readOne(client.get(sub.feed_path).data.decode()).vevent_list
    }
    app.config["PUBLIC_URL"] = "https://coach.example.com"
    after = {
        e.uid.value for e in vobject.readOne(client.get(sub.feed_path).data.decode()).vevent_list
    }
    assert after == before
    assert len(before) == len(sub.expected) + len(session_instants("America/New_York"))
    assert not any("localhost" in uid or "example.com" in uid for uid in before)


def test_uids_differ_between_installations_with_different_secret_keys(app, client, member):
    first = parsed(client.get(member["path"]).get_data(as_text=True))["Tempo run"].uid.value
    app.config["SECRET_KEY"] = "another-installation-entirely"
    with app.app_context():
        path = f"/feeds/{regenerate_feed(db.session.get(Client, member['client']))}.ics"
        db.session.commit()
    other = parsed(client.get(path).get_data(as_text=True))["Tempo run"].uid.value
    assert first.startswith(f"entry-{member['entry']}-") and other != first


def test_a_session_the_coach_places_then_moves_follows_in_the_feed(app, client, member):
    with app.app_context():
        session = placed_session(member, on=date(2026, 11, 23))
        session.calendar_client_id, session.scheduled_at = None, None
        db.session.commit()
        sid = session.id
    client.login("coach@example.com", "correct horse battery")
    place = f"/clients/{member['client']}/sessions/{sid}/place"

    def sessions_in_feed(response):
        events = vobject.readOne(response.get_data(as_text=True)).vevent_list
        return [e for e in events if e.summary.value == "Coaching session"]

    client.post(place, data={"on_date": "2026-11-25", "at_time": "07:15"})
    placed = client.get(member["path"])
    [event] = sessions_in_feed(placed)
    assert event.dtstart.value == utc_instant(date(2026, 11, 25), time(7, 15), "Europe/London")

    client.post(place, data={"on_date": "2026-11-26", "at_time": "07:15"})
    moved = client.get(member["path"], headers={"If-None-Match": placed.headers["ETag"]})
    assert moved.status_code == 200 and moved.headers["ETag"] != placed.headers["ETag"]
    [event] = sessions_in_feed(moved)
    assert event.dtstart.value == utc_instant(date(2026, 11, 26), time(7, 15), "Europe/London")
    with app.app_context():
        changed = db.session.get(CoachingSession, sid).updated_at.replace(microsecond=0)
    assert event.dtstamp.value == changed
