"""The feed answers conditional requests, so that a phone polling it re-downloads it only when
something a subscriber sees has changed."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from werkzeug.http import http_date

from tests.support.feed import london_member, placed_session
from webapp.extensions import db
from webapp.models import CalendarEntry, Client, CoachingSession, User

NOW = datetime(2026, 11, 22, 11, 30, tzinfo=UTC)


pytestmark = pytest.mark.usefixtures("frozen_clock")  # at NOW


@pytest.fixture
def member(app):
    return london_member(app)


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
                placed_session(member, on=date(2026, 11, 23))
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
        placed_session(member, on=date(2026, 11, 26))
    elif change == "session moved":
        session = db.session.scalars(db.select(CoachingSession)).one()
        session.scheduled_at += timedelta(days=2)
