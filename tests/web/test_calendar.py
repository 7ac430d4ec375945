"""Bespoke calendars: the coach writes inline, the client sees up to the horizon."""

from __future__ import annotations

import re
from collections import Counter
from datetime import UTC, date, datetime, time, timedelta

import pytest
import sqlalchemy as sa
from icalendar import Calendar

from tests.support.factories import (
    PASSWORD,
    make_client,
    make_client_user,
    make_coach,
    make_program,
)
from tests.support.queries import counted_queries
from webapp.extensions import db
from webapp.models import Booking, CalendarEntry, Client, CoachingSession, EntryMove
from webapp.services.calendar_reads import needs_training_ids

NOW = datetime(2026, 11, 22, 11, 30, tzinfo=UTC)  # already 23 Nov in Auckland
START = date(2026, 11, 16)


pytestmark = pytest.mark.usefixtures("frozen_clock")  # at NOW


@pytest.fixture
def world(app):
    """A coach with two active clients (A in London, B in Auckland) and a pending one."""
    with app.app_context():
        coach = make_coach(email="coach@example.com")
        program = make_program(coach)
        user_a = make_client_user(email="a@example.com", time_zone="Europe/London")
        user_b = make_client_user(email="b@example.com", time_zone="Pacific/Auckland")
        a = make_client(program, user=user_a, start_date=START, horizon_days=7)
        b = make_client(program, user=user_b, start_date=START, horizon_days=7)
        pending = make_client(program, state="pending", name="Pat Pending", start_date=START)
        other_coach = make_coach(email="other@example.com")
        return {
            "coach": coach,
            "program": program,
            "a": a,
            "b": b,
            "pending": pending,
            "other_coach": other_coach,
        }


def add(app, client_row, on, title="Squats", **extra):
    with app.app_context():
        position = db.session.scalar(
            sa.select(sa.func.count()).where(
                CalendarEntry.client_id == client_row.id, CalendarEntry.on_date == on
            )
        )
        entry = CalendarEntry(
            client_id=client_row.id,
            on_date=on,
            title=title,
            position=position,
            body=extra.pop("body", ""),
            **extra,
        )
        db.session.add(entry)
        db.session.commit()
        return entry.id


def entries_of(app, client_row):
    with app.app_context():
        return [
            (e.on_date, e.title)
            for e in db.session.scalars(
                sa.select(CalendarEntry)
                .where(CalendarEntry.client_id == client_row.id)
                .order_by(CalendarEntry.on_date, CalendarEntry.position)
            )
        ]


def feed_url_of(client, membership_id):
    client.post(f"/my/calendar/{membership_id}/feed")
    html = client.get(f"/my/calendar/{membership_id}").get_data(as_text=True)
    url = re.search(r'id="feed-url" value="([^"]+)"', html).group(1)
    return url.replace("http://localhost", "")


def kinds_of(events) -> dict[str, int]:
    """How many entries and sessions a feed holds, by its events' UIDs."""
    return dict(Counter(str(e["UID"]).split("-")[0] for e in events))


def feed_events(client, path):
    response = client.get(path)
    assert response.status_code == 200
    return [c for c in Calendar.from_ical(response.data).walk("VEVENT")]


class TestCoachCalendar:
    def test_week_view_is_labelled_from_the_clients_start_date(self, app, client, world):
        add(app, world["pending"], START + timedelta(days=8), "Tempo run")
        client.login("coach@example.com", PASSWORD)
        html = client.get(f"/clients/{world['pending'].id}/calendar?week=2").get_data(as_text=True)
        assert "Week 2" in html and "<html" in html
        assert "Week 2 Day 2" in html and "Tempo run" in html
        assert len(re.findall(r'class="cal-day[ "]', html)) == 7

    def test_days_the_client_cannot_see_yet_are_shaded_for_the_coach(self, app, client, world):
        # A's today is 22 Nov and their horizon 7 days: 29 Nov is the last day they see.
        client.login("coach@example.com", PASSWORD)
        base = f"/clients/{world['a'].id}/calendar"
        days_of = re.compile(r'class="cal-day[^"]*"\s+id="day-([\d-]+)"')
        shaded = re.compile(r'class="cal-day[^"]*beyond-horizon[^"]*"\s+id="day-([\d-]+)"')
        week_2 = client.get(f"{base}?week=2").get_data(as_text=True)  # 23-29 Nov
        assert len(days_of.findall(week_2)) == 7 and shaded.findall(week_2) == []
        week_3 = client.get(f"{base}?week=3").get_data(as_text=True)  # 30 Nov-6 Dec
        assert shaded.findall(week_3) == ["2026-11-30"] + [f"2026-12-0{d}" for d in range(1, 7)]

    def test_the_same_url_serves_the_panel_to_htmx(self, app, client, world):
        client.login("coach@example.com", PASSWORD)
        html = client.hx_get(f"/clients/{world['a'].id}/calendar?week=1").get_data(as_text=True)
        assert "<html" not in html and 'id="calendar-panel"' in html and "Week 1 Day 1" in html

    def test_month_view_lists_the_months_days(self, app, client, world):
        add(app, world["a"], date(2026, 12, 24), "Xmas intervals")
        client.login("coach@example.com", PASSWORD)
        html = client.get(f"/clients/{world['a'].id}/calendar?view=month&month=2026-12").get_data(
            as_text=True
        )
        assert "December 2026" in html and "Xmas intervals" in html
        assert 'id="day-2026-12-31"' in html and "month=2026-11" in html and "month=2027-01" in html

    def test_a_day_is_a_page_and_the_same_url_a_fragment(self, app, client, world):
        add(app, world["a"], START, "Squats", body="5×5")
        client.login("coach@example.com", PASSWORD)
        for url in (
            f"/clients/{world['a'].id}/calendar/days/2026-11-16",
            f"/clients/{world['a'].id}/calendar/days/2026-11-16/edit",
        ):
            page = client.get(url).get_data(as_text=True)
            fragment = client.hx_get(url).get_data(as_text=True)
            assert "<html" in page and 'id="day-2026-11-16"' in page and "Squats" in page
            assert "<html" not in fragment and 'id="day-2026-11-16"' in fragment
            assert "Week 1 Day 1" in fragment and "Squats" in fragment

    def test_a_month_cell_stays_compact_through_its_editor(self, app, client, world):
        add(app, world["a"], START, "Squats", body="Long details here")
        client.login("coach@example.com", PASSWORD)
        month = client.get(f"/clients/{world['a'].id}/calendar?view=month&month=2026-11")
        html = month.get_data(as_text=True)
        assert "Long details here" not in html
        assert "/calendar/days/2026-11-16/edit?compact=1" in html
        editor = client.hx_get(f"/clients/{world['a'].id}/calendar/days/2026-11-16/edit?compact=1")
        assert "Long details here" in editor.get_data(as_text=True)  # editing shows everything
        done = client.hx_get(f"/clients/{world['a'].id}/calendar/days/2026-11-16?compact=1")
        assert "Long details here" not in done.get_data(as_text=True)

    def test_no_leaderboard_on_a_one_to_one_calendar(self, app, client, world):
        client.login("coach@example.com", PASSWORD)
        html = client.get(f"/clients/{world['a'].id}/calendar").get_data(as_text=True)
        assert "leaderboard" not in html.lower()
        client.logout()
        client.login("a@example.com", PASSWORD)
        html = client.get(f"/my/calendar/{world['a'].id}").get_data(as_text=True)
        assert "leaderboard" not in html.lower()

    def test_another_coachs_client_is_not_found(self, app, client, world):
        client.login("other@example.com", PASSWORD)
        for url in (
            f"/clients/{world['a'].id}/calendar",
            f"/clients/{world['a'].id}/calendar/days/2026-11-22/edit",
        ):
            response = client.get(url)
            assert response.status_code == 404
            assert world["a"].name not in response.get_data(as_text=True)

    def test_another_coach_cannot_write_move_or_delete(self, app, client, world):
        entry = add(app, world["a"], START, "Squats")
        client.login("other@example.com", PASSWORD)
        base = f"/clients/{world['a'].id}/calendar"
        attempts = [
            client.hx_post(f"{base}/days/2026-11-17/entries", data={"title": "Spam"}),
            client.hx_post(f"{base}/entries/{entry}", data={"title": "X", "on_date": "2026-12-01"}),
            client.hx_post(f"{base}/entries/{entry}/delete"),
            client.post(f"{base}/shift", data={"from_date": "2026-11-01", "days": "3"}),
        ]
        assert [r.status_code for r in attempts] == [404] * 4
        assert entries_of(app, world["a"]) == [(START, "Squats")]

    def test_an_entry_is_reached_only_through_its_own_clients_url(self, app, client, world):
        entry = add(app, world["a"], START, "Squats")
        client.login("coach@example.com", PASSWORD)
        wrong = f"/clients/{world['b'].id}/calendar/entries/{entry}/delete"
        assert client.hx_post(wrong).status_code == 404
        assert entries_of(app, world["a"]) == [(START, "Squats")]

    def test_adding_an_entry_returns_the_day_editor_with_it(self, app, client, world):
        client.login("coach@example.com", PASSWORD)
        response = client.hx_post(
            f"/clients/{world['pending'].id}/calendar/days/2026-11-16/entries",
            data={"title": "Deadlift 3×5", "body": "Heavy", "at_time": "07:30"},
        )
        html = response.get_data(as_text=True)
        assert response.status_code == 200
        assert "<html" not in html and 'id="day-2026-11-16"' in html and "Deadlift 3×5" in html
        with app.app_context():
            entry = db.session.scalar(sa.select(CalendarEntry))
            assert (entry.title, entry.body, entry.at_time) == (
                "Deadlift 3×5",
                "Heavy",
                time(7, 30),
            )

    def test_a_missing_title_is_shown_in_the_editor_with_422(self, app, client, world):
        client.login("coach@example.com", PASSWORD)
        response = client.hx_post(
            f"/clients/{world['a'].id}/calendar/days/2026-11-16/entries", data={"title": " "}
        )
        assert response.status_code == 422
        assert "Give the training a title." in response.get_data(as_text=True)
        assert entries_of(app, world["a"]) == []

    def test_without_javascript_adding_redirects_to_the_day_editor_page(self, app, client, world):
        client.login("coach@example.com", PASSWORD)
        response = client.post(
            f"/clients/{world['a'].id}/calendar/days/2026-11-16/entries", data={"title": "Row"}
        )
        assert response.status_code == 303
        assert response.headers["Location"].endswith("/calendar/days/2026-11-16/edit")
        page = client.get(response.headers["Location"]).get_data(as_text=True)
        assert "<html" in page and "Row" in page and "Week 1 Day 1" in page

    def test_editing_reordering_and_deleting_inline(self, app, client, world):
        first = add(app, world["a"], START, "First")
        second = add(app, world["a"], START, "Second")
        client.login("coach@example.com", PASSWORD)
        base = f"/clients/{world['a'].id}/calendar"
        editor = client.hx_get(f"{base}/days/2026-11-16/edit?entry={first}").get_data(as_text=True)
        assert 'value="First"' in editor
        client.hx_post(
            f"{base}/entries/{first}",
            data={"title": "First, edited", "body": "", "on_date": "2026-11-16"},
        )
        client.hx_post(f"{base}/entries/{second}/up")
        assert entries_of(app, world["a"]) == [(START, "Second"), (START, "First, edited")]
        html = client.hx_post(f"{base}/entries/{second}/delete").get_data(as_text=True)
        assert "Second" not in html and "First, edited" in html
        assert entries_of(app, world["a"]) == [(START, "First, edited")]

    def test_moving_an_entry_logs_who_when_from_and_to(self, app, client, world):
        entry = add(app, world["a"], START, "Long run")
        client.login("coach@example.com", PASSWORD)
        base = f"/clients/{world['a'].id}/calendar"
        client.hx_post(
            f"{base}/entries/{entry}", data={"title": "Long run", "on_date": "2026-11-18"}
        )
        html = client.get(f"{base}?week=1").get_data(as_text=True)
        assert re.search(r"Moved 16 Nov → 18 Nov by Coach \d+", html)
        with app.app_context():
            move = db.session.scalar(sa.select(EntryMove))
            assert (move.from_date, move.to_date, move.moved_by_id, move.moved_at) == (
                START,
                date(2026, 11, 18),
                world["coach"].id,
                NOW,
            )

    def test_settings_set_start_date_and_horizon(self, app, client, world):
        client.login("coach@example.com", PASSWORD)
        client.post(
            f"/clients/{world['a'].id}/calendar/settings",
            data={"start_date": "2026-11-02", "horizon": "all"},
        )
        client.post(
            f"/clients/{world['b'].id}/calendar/settings",
            data={"start_date": "2026-12-01", "horizon": "28"},
        )
        with app.app_context():
            a, b = db.session.get(Client, world["a"].id), db.session.get(Client, world["b"].id)
            assert (a.start_date, a.horizon_days) == (date(2026, 11, 2), None)
            assert (b.start_date, b.horizon_days) == (date(2026, 12, 1), 28)
        response = client.post(
            f"/clients/{world['a'].id}/calendar/settings", data={"start_date": "", "horizon": "3"}
        )
        assert response.status_code == 422
        assert "Choose a date." in response.get_data(as_text=True)


class TestShiftAndCopy:
    def test_shift_moves_every_entry_from_the_date_on_and_logs_each(self, app, client, world):
        for offset, title in [(0, "Before"), (3, "From"), (4, "Later"), (10, "Much later")]:
            add(app, world["a"], START + timedelta(days=offset), title)
        client.login("coach@example.com", PASSWORD)
        response = client.post(
            f"/clients/{world['a'].id}/calendar/shift",
            data={"from_date": "2026-11-19", "days": "7"},
        )
        assert response.status_code == 302
        assert entries_of(app, world["a"]) == [
            (date(2026, 11, 16), "Before"),
            (date(2026, 11, 26), "From"),
            (date(2026, 11, 27), "Later"),
            (date(2026, 12, 3), "Much later"),
        ]
        with app.app_context():
            moves = db.session.execute(
                sa.select(EntryMove.from_date, EntryMove.to_date).order_by(EntryMove.from_date)
            ).all()
        assert moves == [
            (date(2026, 11, 19), date(2026, 11, 26)),
            (date(2026, 11, 20), date(2026, 11, 27)),
            (date(2026, 11, 26), date(2026, 12, 3)),
        ]

    def test_copy_to_another_client_lands_on_their_relative_week(self, app, client, world):
        with app.app_context():
            late = make_client(world["program"], start_date=date(2026, 11, 19), name="Late")
        week3 = START + timedelta(days=14)  # Week 3 Day 1 of A
        add(app, world["a"], week3, "W3D1")
        add(app, world["a"], week3 + timedelta(days=6), "W3D7")
        add(app, world["a"], week3 + timedelta(days=7), "W4D1 stays")
        client.login("coach@example.com", PASSWORD)
        response = client.post(
            f"/clients/{world['a'].id}/calendar/copy",
            data={"source_week": "3", "target_client": str(late.id), "target_week": "3"},
        )
        assert response.status_code == 302
        assert entries_of(app, late) == [(date(2026, 12, 3), "W3D1"), (date(2026, 12, 9), "W3D7")]

    def test_copy_to_another_week_of_the_same_client(self, app, client, world):
        add(app, world["a"], START, "W1D1")
        client.login("coach@example.com", PASSWORD)
        client.post(
            f"/clients/{world['a'].id}/calendar/copy",
            data={"source_week": "1", "target_client": str(world["a"].id), "target_week": "2"},
        )
        assert entries_of(app, world["a"]) == [(START, "W1D1"), (START + timedelta(days=7), "W1D1")]

    def test_copy_refuses_another_coachs_client(self, app, client, world):
        with app.app_context():
            stranger = make_client(make_program(world["other_coach"]), start_date=START)
        add(app, world["a"], START, "W1D1")
        client.login("coach@example.com", PASSWORD)
        response = client.post(
            f"/clients/{world['a'].id}/calendar/copy",
            data={"source_week": "1", "target_client": str(stranger.id), "target_week": "1"},
        )
        assert response.status_code == 422
        assert entries_of(app, stranger) == []


# Client B lives in Auckland: at NOW it is 23 Nov there and 22 Nov in UTC and London.
@pytest.mark.parametrize("who", ["a", "b"])
@pytest.mark.parametrize(("offset", "visible"), [(6, True), (7, True), (8, False)])
def test_horizon_page_fragment_and_feed_agree(app, client, world, who, offset, visible):
    row = world[who]
    today = date(2026, 11, 22) if who == "a" else date(2026, 11, 23)
    entry = add(app, row, today + timedelta(days=offset), "Edge session")
    client.login(f"{who}@example.com", PASSWORD)
    feed = feed_url_of(client, row.id)

    page = client.get(f"/my/calendar/{row.id}").get_data(as_text=True)
    agenda = client.hx_get(f"/my/calendar/{row.id}").get_data(as_text=True)
    fragment = client.hx_get(f"/my/calendar/{row.id}/entries/{entry}")
    events = feed_events(client, feed)

    assert "<html" not in agenda and 'id="agenda"' in agenda
    assert ("Edge session" in page) is visible
    assert ("Edge session" in agenda) is visible
    assert fragment.status_code == (200 if visible else 404)
    assert [str(e["SUMMARY"]) for e in events] == (["Edge session"] if visible else [])
    assert f"Today · {today:%a} {today.day}" in page


def test_client_today_comes_first_labelled_with_week_and_day(app, client, world):
    add(app, world["b"], date(2026, 11, 23), "Run today")
    add(app, world["b"], date(2026, 11, 24), "Swim tomorrow")
    add(app, world["b"], date(2026, 11, 22), "Ride yesterday")
    client.login("b@example.com", PASSWORD)
    html = client.get(f"/my/calendar/{world['b'].id}").get_data(as_text=True)
    assert html.index("Run today") < html.index("Swim tomorrow")
    assert "Ride yesterday" not in html
    assert "Week 2 Day 1" in html  # 23 Nov counted from 16 Nov
    earlier = client.get(f"/my/calendar/{world['b'].id}?from=2026-11-16").get_data(as_text=True)
    assert "Ride yesterday" in earlier


def test_client_sees_nothing_before_their_start_date(app, client, world):
    with app.app_context():
        db.session.get(Client, world["a"].id).start_date = date(2026, 11, 21)
        db.session.commit()
    add(app, world["a"], date(2026, 11, 20), "Before start")
    client.login("a@example.com", PASSWORD)
    html = client.get(f"/my/calendar/{world['a'].id}?from=2026-11-01").get_data(as_text=True)
    assert "Before start" not in html and "Week 1 Day 1" in html


class TestClientCannotReschedule:
    def test_client_page_offers_no_move_edit_or_delete(self, app, client, world):
        add(app, world["a"], date(2026, 11, 22), "Squats")
        client.login("a@example.com", PASSWORD)
        html = client.get(f"/my/calendar/{world['a'].id}").get_data(as_text=True)
        assert "Squats" in html
        for word in ("Delete", "Move up", 'name="on_date"', "/calendar/entries/", "/shift"):
            assert word not in html

    def test_crafted_coach_requests_change_nothing(self, app, client, world):
        entry = add(app, world["a"], date(2026, 11, 22), "Squats")
        client.login("a@example.com", PASSWORD)
        base = f"/clients/{world['a'].id}/calendar"
        attempts = [
            client.post(
                f"{base}/entries/{entry}", data={"title": "Hacked", "on_date": "2026-11-30"}
            ),
            client.hx_post(
                f"{base}/entries/{entry}", data={"title": "Hacked", "on_date": "2026-11-30"}
            ),
            client.post(f"{base}/entries/{entry}/delete"),
            client.post(f"{base}/entries/{entry}/down"),
            client.post(f"{base}/days/2026-11-23/entries", data={"title": "Mine"}),
            client.post(f"{base}/shift", data={"from_date": "2026-11-01", "days": "3"}),
            client.post(f"{base}/settings", data={"start_date": "2026-11-01", "horizon": "all"}),
            client.post(
                f"/my/calendar/{world['a'].id}/entries/{entry}/move", data={"on_date": "2026-11-30"}
            ),
        ]
        assert [r.status_code for r in attempts] == [404] * len(attempts)
        assert entries_of(app, world["a"]) == [(date(2026, 11, 22), "Squats")]
        with app.app_context():
            assert db.session.scalar(sa.select(sa.func.count()).select_from(EntryMove)) == 0
            assert db.session.get(Client, world["a"].id).horizon_days == 7

    def test_logging_another_clients_entry_is_not_found(self, app, client, world):
        theirs = add(app, world["b"], date(2026, 11, 23), "B's secret plan")
        client.login("a@example.com", PASSWORD)
        for url in (
            f"/my/calendar/{world['a'].id}/entries/{theirs}",
            f"/my/calendar/{world['b'].id}/entries/{theirs}",
            f"/my/calendar/{world['b'].id}",
        ):
            response = client.get(url)
            assert response.status_code == 404
            assert "secret plan" not in response.get_data(as_text=True)
        for url in (
            f"/my/calendar/{world['a'].id}/entries/{theirs}/log",
            f"/my/calendar/{world['b'].id}/entries/{theirs}/log",
        ):
            assert client.post(url, data={"done": "y", "note": "x"}).status_code == 404
        with app.app_context():
            entry = db.session.get(CalendarEntry, theirs)
            assert (entry.done_at, entry.client_note) == (None, "")
        mine = feed_url_of(client, world["a"].id)
        assert "secret plan" not in client.get(mine).get_data(as_text=True)

    def test_an_entry_beyond_the_horizon_cannot_be_logged(self, app, client, world):
        later = add(app, world["a"], date(2026, 12, 10), "Hidden")
        client.login("a@example.com", PASSWORD)
        response = client.post(
            f"/my/calendar/{world['a'].id}/entries/{later}/log", data={"done": "y"}
        )
        assert response.status_code == 404
        with app.app_context():
            assert db.session.get(CalendarEntry, later).done_at is None


class TestDoneAndNotes:
    def test_client_marks_done_with_a_note_and_the_coach_sees_it(self, app, client, world):
        entry = add(app, world["a"], date(2026, 11, 22), "Squats")
        client.login("a@example.com", PASSWORD)
        form = client.hx_get(f"/my/calendar/{world['a'].id}/entries/{entry}/log")
        assert "<html" not in form.get_data(as_text=True)
        response = client.hx_post(
            f"/my/calendar/{world['a'].id}/entries/{entry}/log",
            data={"done": "y", "note": "Felt strong"},
        )
        html = response.get_data(as_text=True)
        assert 'id="my-entry-' in html and "Done" in html and "Felt strong" in html
        client.logout()
        client.login("coach@example.com", PASSWORD)
        coach_view = client.get(f"/clients/{world['a'].id}/calendar?week=1").get_data(as_text=True)
        assert "Felt strong" in coach_view and "badge-ok" in coach_view

    def test_without_javascript_logging_redirects_to_the_calendar(self, app, client, world):
        entry = add(app, world["a"], date(2026, 11, 22), "Squats")
        client.login("a@example.com", PASSWORD)
        page = client.get(f"/my/calendar/{world['a'].id}/entries/{entry}/log").get_data(
            as_text=True
        )
        assert "<html" in page and 'name="note"' in page
        response = client.post(
            f"/my/calendar/{world['a'].id}/entries/{entry}/log", data={"note": "Skipped, sick"}
        )
        assert response.status_code == 303
        with app.app_context():
            row = db.session.get(CalendarEntry, entry)
            assert (row.done_at, row.client_note) == (None, "Skipped, sick")


class TestFeed:
    def test_feed_has_one_event_per_visible_entry_in_utc_and_reflects_moves(
        self, app, client, world
    ):
        timed = add(app, world["b"], date(2026, 11, 24), "Track", at_time=time(6, 15))
        add(app, world["b"], date(2026, 11, 25), "Rest walk")
        add(app, world["b"], date(2026, 12, 20), "Too far ahead")
        add(app, world["b"], date(2026, 11, 10), "Before start")
        client.login("b@example.com", PASSWORD)
        feed = feed_url_of(client, world["b"].id)
        events = {str(e["SUMMARY"]): e for e in feed_events(client, feed)}
        assert set(events) == {"Track", "Rest walk"}
        # 06:15 in Auckland (UTC+13 in November) is 17:15 UTC the day before, with no zone to
        # look up: calendar apps read UTC alike, and they disagree on VTIMEZONEs.
        start = events["Track"].decoded("DTSTART")
        assert start == datetime(2026, 11, 23, 17, 15, tzinfo=UTC)
        assert events["Rest walk"].decoded("DTSTART") == date(2026, 11, 25)
        assert Calendar.from_ical(client.get(feed).data).walk("VTIMEZONE") == []
        uid = str(events["Track"]["UID"])
        with app.app_context():
            db.session.get(CalendarEntry, timed).on_date = date(2026, 11, 27)
            db.session.commit()
        moved = {str(e["SUMMARY"]): e for e in feed_events(client, feed)}
        assert moved["Track"].decoded("DTSTART") == datetime(2026, 11, 26, 17, 15, tzinfo=UTC)
        assert str(moved["Track"]["UID"]) == uid

    def test_regenerating_the_feed_kills_the_old_url(self, app, client, world):
        client.login("a@example.com", PASSWORD)
        old = feed_url_of(client, world["a"].id)
        new = feed_url_of(client, world["a"].id)
        assert old != new
        assert client.get(old).status_code == 404
        assert client.get(new).status_code == 200
        with app.app_context():
            row = db.session.get(Client, world["a"].id)
            assert row.feed_token_hash and new.split("/")[-1][:-4] not in row.feed_token_hash

    def test_unknown_or_malformed_tokens_are_not_found(self, client, world):
        for path in ("/feeds/" + "x" * 43 + ".ics", "/feeds/bad!.ics"):
            response = client.get(path)
            assert response.status_code == 404
            assert "BEGIN:VCALENDAR" not in response.get_data(as_text=True)


def test_script_in_a_title_is_text_everywhere(app, client, world):
    evil = "<script>alert(1)</script>"
    entry = add(app, world["a"], date(2026, 11, 22), evil, body=evil, client_note=evil)
    client.login("coach@example.com", PASSWORD)
    base = f"/clients/{world['a'].id}/calendar"
    coach_views = [
        client.get(f"{base}?week=1"),
        client.hx_get(f"{base}?week=1"),
        client.get(f"{base}?view=month&month=2026-11"),
        client.hx_get(f"{base}/days/2026-11-22"),
        client.hx_get(f"{base}/days/2026-11-22/edit"),
        client.hx_get(f"{base}/days/2026-11-22/edit?entry={entry}"),
    ]
    client.logout()
    client.login("a@example.com", PASSWORD)
    feed = feed_url_of(client, world["a"].id)
    client_views = [
        client.get(f"/my/calendar/{world['a'].id}"),
        client.hx_get(f"/my/calendar/{world['a'].id}/entries/{entry}"),
        client.hx_get(f"/my/calendar/{world['a'].id}/entries/{entry}/log"),
    ]
    for response in coach_views + client_views:
        html = response.get_data(as_text=True)
        assert response.status_code == 200
        assert "<script>alert" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    events = feed_events(client, feed)
    assert str(events[0]["SUMMARY"]) == evil  # plain text in the feed, never markup


def place_sessions(app, world, first: int, n: int, day0: date, spread: int) -> None:
    """n coaching sessions of one booking placed on client A's calendar, 09:00 UTC each."""
    with app.app_context():
        booking = Booking(
            coach_id=world["coach"].id,
            client_user_id=world["a"].user_id,
            kind="package",
            sessions_count=n,
            total_minor=n * 5000,
            rate_minor=5000,
            currency="GBP",
        )
        db.session.add(booking)
        db.session.flush()
        db.session.add_all(
            CoachingSession(
                booking_id=booking.id,
                coach_id=world["coach"].id,
                client_user_id=world["a"].user_id,
                status="completed" if i % 2 else "remaining",
                calendar_client_id=world["a"].id,
                scheduled_at=datetime.combine(day0, time(9), UTC) + timedelta(days=i % spread),
            )
            for i in range(first, first + n)
        )
        db.session.commit()


@pytest.mark.parametrize("view", ["week=1", "view=month&month=2026-11"])
def test_week_and_month_views_run_the_same_queries_for_5_and_500_entries(app, client, world, view):
    def seed(first, n):
        with app.app_context():
            db.session.add_all(
                CalendarEntry(
                    client_id=world["a"].id,
                    on_date=START + timedelta(days=i % 7),
                    title=f"E{i}",
                    position=i,
                )
                for i in range(first, first + n)
            )
            db.session.commit()
        place_sessions(app, world, first, n, START, 7)  # as many sessions on the same days

    url = f"/clients/{world['a'].id}/calendar?{view}"
    seed(0, 5)  # all in Week 1, 16..22 Nov
    client.login("coach@example.com", PASSWORD)
    with counted_queries(app) as few:
        assert "E4" in client.get(url).get_data(as_text=True)
    seed(5, 495)
    with app.app_context():  # some moves too, so the move log is loaded for many entries
        db.session.add_all(
            EntryMove(entry_id=i, moved_by_id=world["coach"].id, from_date=START, to_date=START)
            for i in range(1, 300)
        )
        db.session.commit()
    with counted_queries(app) as many:
        html = client.get(url).get_data(as_text=True)
        assert "E499" in html and html.count('class="cal-entry"') >= 250
        assert html.count("session-row session-") + html.count('class="badge cal-session') == 500
    assert len(few) == len(many)


def test_a_moved_entry_shows_once_with_its_three_newest_moves(app, client, world):
    moved = add(app, world["a"], START + timedelta(days=2), "Hill sprints")
    add(app, world["a"], START + timedelta(days=2), "Cool down")
    with app.app_context():
        db.session.add_all(
            EntryMove(
                entry_id=moved,
                moved_by_id=world["coach"].id,
                moved_at=datetime(2026, 11, 1 + n, 9, tzinfo=UTC),
                from_date=date(2026, 11, 1 + n),
                to_date=date(2026, 11, 2 + n),
            )
            for n in range(5)
        )
        db.session.commit()
    client.login("coach@example.com", PASSWORD)
    for url in (
        f"/clients/{world['a'].id}/calendar?week=1",
        f"/clients/{world['a'].id}/calendar/days/2026-11-18",
        f"/clients/{world['a'].id}/calendar/days/2026-11-18/edit",
    ):
        html = client.hx_get(url).get_data(as_text=True)
        assert html.count(f'id="entry-{moved}"') == 1 and "Cool down" in html, url
        shown = re.findall(r"Moved (\d+ Nov) → (\d+ Nov)", html)
        assert shown == [("5 Nov", "6 Nov"), ("4 Nov", "5 Nov"), ("3 Nov", "4 Nov")], url
        assert "and 2 earlier moves" in html, url


def test_an_inline_save_runs_at_most_five_queries_for_5_or_500_entries_on_the_day(
    app, client, world
):
    client.login("coach@example.com", PASSWORD)

    def save(title):
        entry_id = add(app, world["a"], START, "Draft")
        with counted_queries(app) as queries:
            html = client.hx_post(
                f"/clients/{world['a'].id}/calendar/entries/{entry_id}",
                data={"title": title, "body": "", "at_time": "", "on_date": START.isoformat()},
            ).get_data(as_text=True)
        # The entry alone comes back: the rest of the day, however long, is not drawn again.
        assert title in html
        assert html.lstrip().startswith(f'<li class="cal-entry" id="entry-{entry_id}"')
        assert 'id="day-2026-11-16"' not in html
        with app.app_context():
            assert db.session.get(CalendarEntry, entry_id).title == title
        return queries

    for n in range(4):
        add(app, world["a"], START, f"E{n}")
    few = save("Back squat 5x5")
    for n in range(4, 499):
        add(app, world["a"], START, f"E{n}")
    many = save("Front squat 3x3")
    assert len(few) == len(many) <= 5, many


class TestNeedsTraining:
    def test_flags_clients_with_fewer_written_days_than_their_horizon_in_two_queries(
        self, app, world
    ):
        # A (London, today 22 Nov): 23..29 Nov all written -> fine.
        for n in range(1, 8):
            add(app, world["a"], date(2026, 11, 22) + timedelta(days=n))
        # B (Auckland, today 23 Nov): 23..29 Nov written, but 30 Nov missing -> flagged.
        for n in range(0, 7):
            add(app, world["b"], date(2026, 11, 23) + timedelta(days=n))
        with app.app_context():
            rows = list(db.session.scalars(sa.select(Client).where(Client.state == "active")))
        with app.app_context():
            with counted_queries(app) as queries:
                assert needs_training_ids(rows, NOW) == {world["b"].id}
            # Their time zones, then their written days; once a loader has read the time zones
            # (as the Active tab's does), the written days alone.
            assert len(queries) == 2
            with counted_queries(app) as again:
                assert needs_training_ids(rows, NOW) == {world["b"].id}
            assert len(again) == 1

    def test_each_client_is_judged_by_their_own_horizon_and_today(self, app, world):
        with app.app_context():
            db.session.get(Client, world["a"].id).horizon_days = 3
            db.session.get(Client, world["b"].id).horizon_days = 14
            db.session.get(Client, world["pending"].id).horizon_days = None  # 7 by default
            db.session.commit()
        # A (London, today 22 Nov, 3 days): 23..25 Nov written -> fine.
        for n in range(1, 4):
            add(app, world["a"], date(2026, 11, 22) + timedelta(days=n))
        # B (Auckland, today 23 Nov, 14 days): 24 Nov..7 Dec written -> fine; judged from
        # London's date instead, 23 Nov would be missing.
        for n in range(1, 15):
            add(app, world["b"], date(2026, 11, 23) + timedelta(days=n))
        # Pending (the coach's time zone, London: 22 Nov, 7 days): 23..28 Nov, one day short.
        for n in range(1, 7):
            add(app, world["pending"], date(2026, 11, 22) + timedelta(days=n))
        with app.app_context():
            rows = list(db.session.scalars(sa.select(Client)))
            assert needs_training_ids(rows, NOW) == {world["pending"].id}
        add(app, world["pending"], date(2026, 11, 29))
        with app.app_context():
            rows = list(db.session.scalars(sa.select(Client)))
            assert needs_training_ids(rows, NOW) == set()

    def test_the_old_list_address_leads_to_needs_attention_with_the_flagged_clients(
        self, app, client, world
    ):
        client.login("coach@example.com", PASSWORD)
        response = client.get("/calendar/needs-training")
        assert response.headers["Location"] == "/needs-attention"
        html = client.get("/calendar/needs-training", follow_redirects=True).get_data(as_text=True)
        assert "<h1>Needs attention</h1>" in html
        # The two active clients and, now listed too, the pending one.
        assert html.count("Needs training</span>") == 3


def test_everything_written_shows_all_future_training_and_a_page_is_bounded(app, client, world):
    with app.app_context():
        db.session.get(Client, world["a"].id).horizon_days = None
        db.session.commit()
    add(app, world["a"], date(2027, 1, 10), "Far ahead")
    add(app, world["a"], date(2028, 1, 10), "Next year")
    client.login("a@example.com", PASSWORD)
    html = client.get(f"/my/calendar/{world['a'].id}").get_data(as_text=True)
    assert "Far ahead" in html and "Next year" not in html
    assert "You can see all the training your coach has written." in html
    assert html.count('class="agenda-day') <= 91
    later = client.get(f"/my/calendar/{world['a'].id}?from=2028-01-01").get_data(as_text=True)
    assert "Next year" in later


@pytest.mark.parametrize("fragment", [False, True])
def test_client_agenda_and_feed_run_the_same_queries_for_5_and_500_entries(
    app, client, world, fragment
):
    with app.app_context():
        db.session.get(Client, world["a"].id).horizon_days = None
        db.session.commit()

    def seed(first, n):
        with app.app_context():
            db.session.add_all(
                CalendarEntry(
                    client_id=world["a"].id,
                    on_date=date(2026, 11, 22) + timedelta(days=i % 30),
                    title=f"E{i}",
                    position=i,
                )
                for i in range(first, first + n)
            )
            db.session.commit()
        place_sessions(app, world, first, n, date(2026, 11, 22), 30)

    client.login("a@example.com", PASSWORD)
    feed = feed_url_of(client, world["a"].id)
    get = client.hx_get if fragment else client.get
    url = f"/my/calendar/{world['a'].id}"
    seed(0, 5)
    with counted_queries(app) as few:
        assert "E4" in get(url).get_data(as_text=True)
        assert kinds_of(feed_events(client, feed)) == {"entry": 5, "session": 5}
    seed(5, 495)
    with counted_queries(app) as many:
        html = get(url).get_data(as_text=True)
        assert "E499" in html and html.count('class="my-session ') == 500
        assert kinds_of(feed_events(client, feed)) == {"entry": 500, "session": 500}
    assert len(few) == len(many)
