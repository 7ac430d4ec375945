"""Coaching sessions on the calendars: the coach completes them inline, the client sees them."""

import re
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from tests.support.factories import make_client, make_client_user
from tests.support.plusone import (
    complete_url,
    logged_in,
    make_package,
    make_pair,
    remaining_ids,
    session_row,
    undo_url,
)
from webapp.extensions import db
from webapp.models import Program


def local_today(time_zone: str) -> date:
    return datetime.now(ZoneInfo(time_zone)).date()


def day_cell(html: str, on: date) -> str:
    """The markup of one calendar day (week or month view), up to the next day."""
    start = html.index(f'id="day-{on.isoformat()}"')
    following = html.find('id="day-', start + 1)
    return html[start : following if following != -1 else len(html)]


def my_day(html: str, on: date) -> str:
    start = html.index(f'id="my-day-{on.isoformat()}"')
    following = html.find('id="my-day-', start + 1)
    return html[start : following if following != -1 else len(html)]


def book_package(app, pair, sessions=1, total=5000) -> list[int]:
    me = logged_in(app, pair.person_email)
    package_id = make_package(app, pair.coach_id, sessions, total)
    response = me.post(f"/my/coaches/{pair.coach_id}/packages/{package_id}/book")
    assert response.status_code == 303
    return remaining_ids(app, pair)


def enrol(app, pair):
    me = logged_in(app, pair.person_email)
    response = me.post(f"/my/coaches/{pair.coach_id}/plus-one", data={"action": "enrol"})
    assert response.status_code in (200, 303)


def place(coach, pair, session_id: int, on: date, at: str):
    response = coach.post(
        f"/clients/{pair.client_id}/sessions/{session_id}/place",
        data={"on_date": on.isoformat(), "at_time": at},
    )
    assert response.status_code == 303


def on_calendar(pair) -> dict:
    return {"on_calendar": "1", "next": f"/clients/{pair.client_id}/calendar"}


@pytest.fixture
def pair(app):
    return make_pair(app, time_zone="Pacific/Auckland")


class TestCoachSeesSessions:
    def test_a_placed_session_shows_on_its_local_day_and_time_in_the_week_view(
        self, app, pair, coach
    ):
        [sid] = book_package(app, pair)
        on = local_today("Pacific/Auckland") + timedelta(days=2)
        place(coach, pair, sid, on, "00:30")  # the day before in UTC
        html = coach.get(f"/clients/{pair.client_id}/calendar").get_data(as_text=True)
        cell = day_cell(html, on)
        assert f'id="session-{sid}"' in cell and "00:30" in cell
        assert "Package session" in cell and "Mark complete" in cell
        assert f'id="session-{sid}"' not in day_cell(html, on - timedelta(days=1))
        # On the calendar the row has no place form; the move lives on the sessions list.
        assert "Place on calendar" not in cell and 'name="on_calendar" value="1"' in cell
        assert 'hx-trigger="calendar-changed from:body, sessions-changed from:body"' in html

    def test_the_month_view_shows_a_compact_badge_on_the_local_day(self, app, pair, coach):
        [sid] = book_package(app, pair)
        on = local_today("Pacific/Auckland") + timedelta(days=2)
        place(coach, pair, sid, on, "00:30")
        url = f"/clients/{pair.client_id}/calendar?view=month&month={on:%Y-%m}"
        html = coach.get(url).get_data(as_text=True)
        cell = day_cell(html, on)
        assert f'id="cal-session-{sid}"' in cell and "Session 00:30" in cell
        assert "Mark complete" not in cell
        assert f'id="cal-session-{sid}"' not in day_cell(html, on - timedelta(days=1))

    def test_the_day_fragment_lists_the_sessions_of_that_day(self, app, pair, coach):
        [sid] = book_package(app, pair)
        on = local_today("Pacific/Auckland") + timedelta(days=1)
        place(coach, pair, sid, on, "07:15")
        url = f"/clients/{pair.client_id}/calendar/days/{on.isoformat()}"
        fragment = coach.hx_get(url).get_data(as_text=True)
        assert "<html" not in fragment and f'id="day-{on.isoformat()}"' in fragment
        assert f'id="session-{sid}"' in fragment and "07:15" in fragment
        page = coach.get(url).get_data(as_text=True)
        assert "<html" in page and f'id="session-{sid}"' in page

    def test_a_voided_or_unplaced_session_is_not_on_the_calendar(self, app, pair, coach):
        first, second = book_package(app, pair, sessions=2, total=10000)
        on = local_today("Pacific/Auckland")
        place(coach, pair, first, on, "10:00")
        html = coach.get(f"/clients/{pair.client_id}/calendar").get_data(as_text=True)
        assert f'id="session-{first}"' in html and f'id="session-{second}"' not in html


class TestCompleteAndUndoFromTheCalendar:
    def test_marking_the_last_session_complete_puts_the_plus_one_a_week_later(
        self, app, pair, coach
    ):
        [sid] = book_package(app, pair)
        enrol(app, pair)
        today = local_today("Pacific/Auckland")
        place(coach, pair, sid, today, "09:30")
        response = coach.hx_post(complete_url(pair, sid), data=on_calendar(pair))
        row = response.get_data(as_text=True)
        assert response.status_code == 200 and "<html" not in row
        assert "sessions-changed" in response.headers["HX-Trigger"]
        assert f'id="session-{sid}"' in row and "Undo completion" in row
        assert "Place on calendar" not in row and "Move</button>" not in row
        assert session_row(app, sid).status == "completed"
        [plus_id] = remaining_ids(app, pair)
        assert f'id="session-{sid}-notice">Session completed. +1 booked' in row
        assert f'id="session-{plus_id}"' not in row  # not in today's cell: it is next week
        # The panel re-fetches itself on sessions-changed, keeping the notice just shown.
        panel = coach.hx_get(f"/clients/{pair.client_id}/calendar?week=1").get_data(as_text=True)
        assert f'id="session-{sid}-notice" hx-preserve="true"' in panel
        # Next week's panel shows the +1 on the same weekday and time.
        panel = coach.hx_get(f"/clients/{pair.client_id}/calendar?week=2").get_data(as_text=True)
        assert "<html" not in panel and 'id="calendar-panel"' in panel
        cell = day_cell(panel, today + timedelta(days=7))
        assert f'id="session-{plus_id}"' in cell and "+1 session" in cell and "09:30" in cell

    def test_undo_from_the_calendar_reopens_the_session_and_drops_the_unused_plus_one(
        self, app, pair, coach
    ):
        [sid] = book_package(app, pair)
        enrol(app, pair)
        today = local_today("Pacific/Auckland")
        place(coach, pair, sid, today, "09:30")
        coach.hx_post(complete_url(pair, sid), data=on_calendar(pair))
        [plus_id] = remaining_ids(app, pair)
        response = coach.hx_post(undo_url(pair, sid), data=on_calendar(pair))
        row = response.get_data(as_text=True)
        assert "sessions-changed" in response.headers["HX-Trigger"]
        assert "Mark complete" in row and "Place on calendar" not in row
        assert session_row(app, sid).status == "remaining"
        panel = coach.hx_get(f"/clients/{pair.client_id}/calendar?week=2").get_data(as_text=True)
        assert f'id="session-{plus_id}"' not in panel

    def test_without_javascript_completing_returns_to_the_calendar(self, app, pair, coach):
        [sid] = book_package(app, pair)
        place(coach, pair, sid, local_today("Pacific/Auckland"), "09:30")
        response = coach.post(complete_url(pair, sid), data=on_calendar(pair))
        assert response.status_code == 303
        assert response.headers["Location"] == f"/clients/{pair.client_id}/calendar"
        assert session_row(app, sid).status == "completed"


class TestClientSeesTheirSessions:
    def test_sessions_within_the_horizon_show_and_later_ones_do_not(self, app, pair, coach):
        first, second = book_package(app, pair, sessions=2, total=10000)
        today = local_today("Pacific/Auckland")
        place(coach, pair, first, today + timedelta(days=3), "18:00")
        place(coach, pair, second, today + timedelta(days=10), "18:00")  # horizon is 7 days
        me = logged_in(app, pair.person_email)
        url = f"/my/calendar/{pair.client_id}"
        html = me.get(url).get_data(as_text=True)
        day = my_day(html, today + timedelta(days=3))
        assert f'id="my-session-{first}"' in day and "18:00" in day and "On deck" in day
        assert f'id="my-session-{second}"' not in html
        # Read-only: no controls to complete, undo or move.
        assert "Mark complete" not in html and "/complete" not in html
        fragment = me.hx_get(url).get_data(as_text=True)
        assert "<html" not in fragment and f'id="my-session-{first}"' in fragment

    def test_a_session_right_after_the_horizon_in_the_clients_time_zone_is_hidden(
        self, app, pair, coach
    ):
        first, second = book_package(app, pair, sessions=2, total=10000)
        last_visible = local_today("Pacific/Auckland") + timedelta(days=7)
        place(coach, pair, first, last_visible, "23:30")
        place(coach, pair, second, last_visible + timedelta(days=1), "00:30")
        html = logged_in(app, pair.person_email).get(f"/my/calendar/{pair.client_id}")
        html = html.get_data(as_text=True)
        assert f'id="my-session-{first}"' in html and f'id="my-session-{second}"' not in html

    def test_another_client_never_sees_these_sessions(self, app, pair, coach):
        [sid] = book_package(app, pair)
        place(coach, pair, sid, local_today("Pacific/Auckland") + timedelta(days=1), "08:00")
        with app.app_context():
            program = db.session.get(Program, pair.program_id)
            other = make_client_user(email="other@example.com", time_zone="Pacific/Auckland")
            theirs = make_client(program, user=other)
        them = logged_in(app, "other@example.com")
        assert them.get(f"/my/calendar/{pair.client_id}").status_code == 404
        own = them.get(f"/my/calendar/{theirs.id}").get_data(as_text=True)
        assert "My calendar" in own and "my-session-" not in own
        assert re.search(r"Coaching session", own) is None
