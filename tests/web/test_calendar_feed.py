"""The private calendar feed, read by a parser OnDeck did not write (vobject), and answered
conditionally so that phones re-download it only when something in it changed."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

import pytest
import vobject
from werkzeug.http import http_date

from tests.support.factories import make_client, make_client_user, make_coach, make_program
from tests.support.feed import (
    CLOCK_CHANGES,
    session_instants,
    subscribed_client,
    utc_instant,
)
from webapp import clock
from webapp.blueprints.calendar.workflows import regenerate_feed
from webapp.extensions import db
from webapp.models import Booking, CalendarEntry, Client, CoachingSession, User

NOW = datetime(2026, 11, 22, 11, 30, tzinfo=UTC)
ZONES = sorted(CLOCK_CHANGES)


@pytest.fixture(autouse=True)
def frozen_clock(monkeypatch):
    monkeypatch.setattr(clock, "now", lambda: NOW)


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
    """A London client seeing a week ahead, with one timed entry last changed on 20 Nov."""
    with app.app_context():
        coach = make_coach(email="coach@example.com")
        program = make_program(coach)
        user = make_client_user(email="a@example.com", time_zone="Europe/London")
        row = make_client(program, user=user, start_date=date(2026, 11, 16), horizon_days=7)
        entry = CalendarEntry(
            client_id=row.id,
            on_date=date(2026, 11, 24),
            title="Tempo run",
            at_time=time(18, 30),
            updated_at=datetime(2026, 11, 20, 9, 15, 7, tzinfo=UTC),
        )
        db.session.add(entry)
        token = regenerate_feed(row)
        db.session.commit()
        return {
            "coach": coach.id,
            "client": row.id,
            "user": user.id,
            "entry": entry.id,
            "path": f"/feeds/{token}.ics",
        }


def test_dtstamp_and_last_modified_are_the_entrys_last_change_not_the_fetch(app, client, member):
    event = parsed(client.get(member["path"]).get_data(as_text=True))["Tempo run"]
    written = datetime(2026, 11, 20, 9, 15, 7, tzinfo=UTC)
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
    assert changed > datetime(2026, 11, 20, 9, 15, 7, tzinfo=UTC)
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
        session = _session(member, on=date(2026, 11, 23))
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


class TestConditionalRequests:
    def test_a_repeat_request_with_the_etag_is_not_modified_and_sends_no_body(self, client, member):
        first = client.get(member["path"])
        assert first.headers["ETag"] and "Tempo run" in first.get_data(as_text=True)
        again = client.get(member["path"], headers={"If-None-Match": first.headers["ETag"]})
        assert again.status_code == 304 and again.data == b""
        assert again.headers["ETag"] == first.headers["ETag"]

    def test_a_repeat_request_since_the_last_modified_time_is_not_modified(self, client, member):
        first = client.get(member["path"])
        since = first.headers["Last-Modified"]
        again = client.get(member["path"], headers={"If-Modified-Since": since})
        assert again.status_code == 304 and again.data == b""

    def test_after_an_edit_the_feed_comes_whole_with_a_new_etag(self, app, client, member):
        first = client.get(member["path"])
        client.login("coach@example.com", "correct horse battery")
        client.post(
            f"/clients/{member['client']}/calendar/entries/{member['entry']}",
            data={"title": "Hill repeats", "body": "", "at_time": "18:30", "on_date": "2026-11-24"},
        )
        headers = {
            "If-None-Match": first.headers["ETag"],
            "If-Modified-Since": first.headers["Last-Modified"],
        }
        again = client.get(member["path"], headers=headers)
        assert again.status_code == 200 and "Hill repeats" in again.get_data(as_text=True)
        assert again.headers["ETag"] != first.headers["ETag"]

    @pytest.mark.parametrize(
        "change",
        [
            "entry moved",
            "entry added",
            "entry removed",
            "horizon widened",
            "time zone changed",
            "session placed",
            "session moved",
        ],
    )
    def test_any_visible_change_gives_a_new_etag_and_a_later_last_modified(
        self, app, client, member, change
    ):
        with app.app_context():
            if change == "session moved":
                _session(member, on=date(2026, 11, 23))
            db.session.commit()
        first = client.get(member["path"])
        with app.app_context():
            _make(change, member)
            db.session.commit()
        headers = {"If-Modified-Since": first.headers["Last-Modified"]}
        since = client.get(member["path"], headers=headers)
        assert since.status_code == 200 and since.headers["ETag"] != first.headers["ETag"]
        headers = {"If-None-Match": first.headers["ETag"]}
        assert client.get(member["path"], headers=headers).status_code == 200
        assert since.headers["Last-Modified"] != first.headers["Last-Modified"]

    def test_a_change_hidden_beyond_the_horizon_keeps_the_etag(self, app, client, member):
        first = client.get(member["path"])
        with app.app_context():
            row = db.session.get(Client, member["client"])
            db.session.add(CalendarEntry(client_id=row.id, on_date=date(2027, 1, 9), title="Later"))
            db.session.commit()
        again = client.get(member["path"], headers={"If-None-Match": first.headers["ETag"]})
        assert again.status_code == 304

    def test_an_old_if_modified_since_gets_the_feed(self, client, member):
        old = http_date(datetime(2020, 1, 1, tzinfo=UTC))
        response = client.get(member["path"], headers={"If-Modified-Since": old})
        assert response.status_code == 200 and "Tempo run" in response.get_data(as_text=True)


def _make(change: str, member: dict) -> None:
    entry = db.session.get(CalendarEntry, member["entry"])
    row = db.session.get(Client, member["client"])
    if change == "entry moved":
        entry.on_date += timedelta(days=1)
    elif change == "entry added":
        db.session.add(CalendarEntry(client_id=row.id, on_date=date(2026, 11, 25), title="Swim"))
    elif change == "entry removed":
        db.session.delete(entry)
    elif change == "horizon widened":
        db.session.add(CalendarEntry(client_id=row.id, on_date=date(2026, 12, 10), title="Far"))
        db.session.flush()
        row.horizon_days = 28
    elif change == "time zone changed":
        db.session.get(User, member["user"]).time_zone = "America/New_York"
    elif change == "session placed":
        _session(member, on=date(2026, 11, 26))
    elif change == "session moved":
        session = db.session.scalars(db.select(CoachingSession)).one()
        session.scheduled_at += timedelta(days=2)


def _session(member: dict, *, on: date) -> CoachingSession:
    booking = Booking(
        coach_id=member["coach"],
        client_user_id=member["user"],
        kind="package",
        sessions_count=1,
        total_minor=5000,
        rate_minor=5000,
        currency="GBP",
    )
    db.session.add(booking)
    db.session.flush()
    session = CoachingSession(
        booking_id=booking.id,
        coach_id=member["coach"],
        client_user_id=member["user"],
        calendar_client_id=member["client"],
        scheduled_at=utc_instant(on, time(9, 30), "Europe/London"),
    )
    db.session.add(session)
    return session
