"""Moving training from where the coach is: a dropped entry, Shift from here (placed sessions
too), and Undo; each answers htmx with the calendar panel and logs every move."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta

import pytest
import sqlalchemy as sa

from tests.support.factories import make_client, make_coach, make_program, place_booked_session
from tests.support.plusone import logged_in
from tests.support.queued import reminders
from webapp.extensions import db
from webapp.models import CalendarEntry, Client, CoachingSession, EntryMove, Program
from webapp.services.placing import place_session

T0 = datetime(2026, 12, 1, 8, 0, tzinfo=UTC)  # Tue 1 Dec
TODAY = T0.date()


@pytest.fixture
def week(app, pair, time):
    """The pair's client from Mon 30 Nov, an entry on each of Tue, Thu and Sat."""
    with app.app_context():
        db.session.get(Client, pair.client_id).start_date = date(2026, 11, 30)
        rows = [
            CalendarEntry(client_id=pair.client_id, on_date=TODAY + timedelta(days=n), title=t)
            for n, t in ((0, "Squat"), (2, "Run"), (4, "Swim"))
        ]
        db.session.add_all(rows)
        db.session.commit()
        return {row.title: row.id for row in rows}


def on_dates(app, pair) -> dict[str, date]:
    with app.app_context():
        rows = db.session.execute(
            sa.select(CalendarEntry.title, CalendarEntry.on_date).where(
                CalendarEntry.client_id == pair.client_id
            )
        )
        return dict(rows.all())


def logged_moves(app) -> list[tuple]:
    with app.app_context():
        rows = db.session.execute(
            sa.select(EntryMove.entry_id, EntryMove.from_date, EntryMove.to_date).order_by(
                EntryMove.id
            )
        )
        return [tuple(r) for r in rows]


def undo_fields(html: str) -> dict:
    form = re.search(r'<form method="post" action="[^"]*/calendar/undo".*?</form>', html, re.S)
    assert form, "no Undo offered"
    return dict(re.findall(r'name="(move|session-\d+)" value="([^"]+)"', form.group(0)))


class TestMove:
    def test_a_dropped_entry_moves_is_logged_and_the_panel_comes_back_with_undo(
        self, app, pair, coach, week, time
    ):
        url = f"/clients/{pair.client_id}/calendar/entries/{week['Run']}/move?week=1"
        response = coach.hx_post(url, {"on_date": "2026-12-05"})
        html = response.get_data(as_text=True)
        assert "<html" not in html and 'id="calendar-panel"' in html
        assert "“Run” moved to Sat 5 Dec 2026." in html
        assert "Week 1" in html  # the week the coach was looking at
        assert on_dates(app, pair)["Run"] == date(2026, 12, 5)
        assert logged_moves(app) == [(week["Run"], date(2026, 12, 3), date(2026, 12, 5))]

        time.advance(seconds=3)
        response = coach.hx_post(f"/clients/{pair.client_id}/calendar/undo", undo_fields(html))
        assert "Put back." in response.get_data(as_text=True)
        assert on_dates(app, pair)["Run"] == date(2026, 12, 3)
        # A second Undo (a double click, a retry) changes nothing more.
        time.advance(seconds=1)
        again = coach.hx_post(f"/clients/{pair.client_id}/calendar/undo", undo_fields(html))
        assert "Already put back." in again.get_data(as_text=True)
        assert on_dates(app, pair)["Run"] == date(2026, 12, 3)
        assert len(logged_moves(app)) == 2

    def test_without_javascript_the_move_redirects_to_the_calendar_with_a_notice(
        self, app, pair, coach, week
    ):
        url = f"/clients/{pair.client_id}/calendar/entries/{week['Run']}/move"
        response = coach.post(url, data={"on_date": "2026-12-05"})
        assert response.status_code == 303
        assert response.headers["Location"].startswith(f"/clients/{pair.client_id}/calendar")
        page = coach.get(response.headers["Location"]).get_data(as_text=True)
        assert "“Run” moved to Sat 5 Dec 2026." in page

    def test_a_bad_date_is_refused_in_the_panel_and_nothing_moves(self, app, pair, coach, week):
        url = f"/clients/{pair.client_id}/calendar/entries/{week['Run']}/move"
        response = coach.hx_post(url, {"on_date": "9999-12-31"})
        assert response.status_code == 422
        assert "flash-error" in response.get_data(as_text=True)
        assert on_dates(app, pair)["Run"] == date(2026, 12, 3)
        assert logged_moves(app) == []

    @pytest.mark.parametrize("who", ["client", "other coach"])
    def test_nobody_but_the_coach_can_move_or_undo(self, app, pair, week, who):
        if who == "client":
            browser = logged_in(app, pair.person_email)
        else:
            with app.app_context():
                make_program(make_coach(email="other@example.com"))
            browser = logged_in(app, "other@example.com")
        url = f"/clients/{pair.client_id}/calendar/entries/{week['Run']}/move"
        assert browser.hx_post(url, {"on_date": "2026-12-05"}).status_code == 404
        undo = f"/clients/{pair.client_id}/calendar/undo"
        assert browser.hx_post(undo, {"move": "1"}).status_code == 404
        assert on_dates(app, pair)["Run"] == date(2026, 12, 3)
        assert logged_moves(app) == []

    def test_undo_names_only_this_calendars_moves(self, app, pair, coach, week):
        response = coach.hx_post(f"/clients/{pair.client_id}/calendar/undo", {"move": "999"})
        assert response.status_code == 422
        assert "There is nothing to undo." in response.get_data(as_text=True)


class TestShiftFromHere:
    def sessions(self, app, pair, week):
        with app.app_context():
            done = place_booked_session(
                coach_id=pair.coach_id,
                client_user_id=pair.person_id,
                calendar_client_id=pair.client_id,
                at=datetime(2026, 12, 2, 9, tzinfo=UTC),
                status="completed",
            )
            before = place_booked_session(
                coach_id=pair.coach_id,
                client_user_id=pair.person_id,
                calendar_client_id=pair.client_id,
                at=datetime(2026, 11, 30, 9, tzinfo=UTC),
            )
            later = place_booked_session(
                coach_id=pair.coach_id,
                client_user_id=pair.person_id,
                calendar_client_id=pair.client_id,
                at=datetime(2026, 12, 4, 18, tzinfo=UTC),
            )
            db.session.commit()
            return {"done": done.id, "before": before.id, "later": later.id}

    def at(self, app, session_id) -> datetime:
        with app.app_context():
            return db.session.get(CoachingSession, session_id).scheduled_at

    def test_sessions_too_moves_training_and_placed_sessions_and_undo_puts_both_back(
        self, app, pair, coach, week
    ):
        ids = self.sessions(app, pair, week)
        url = f"/clients/{pair.client_id}/calendar/days/2026-12-02/shift?week=1"
        response = coach.hx_post(url, {"days": "7", "sessions_too": "y"})
        html = response.get_data(as_text=True)
        assert "Moved 2 entries and 1 session from 2 Dec by 7 days." in html
        assert "Week 2" in html  # where the moved training now starts, in view
        assert on_dates(app, pair) == {
            "Squat": date(2026, 12, 1),
            "Run": date(2026, 12, 10),
            "Swim": date(2026, 12, 12),
        }
        # The remaining session from the day on moves at the same time; a completed one and an
        # earlier one stay.
        assert self.at(app, ids["later"]) == datetime(2026, 12, 11, 18, tzinfo=UTC)
        assert self.at(app, ids["done"]) == datetime(2026, 12, 2, 9, tzinfo=UTC)
        assert self.at(app, ids["before"]) == datetime(2026, 11, 30, 9, tzinfo=UTC)

        undo = coach.hx_post(f"/clients/{pair.client_id}/calendar/undo", undo_fields(html))
        assert "Put back." in undo.get_data(as_text=True)
        assert on_dates(app, pair)["Run"] == date(2026, 12, 3)
        assert on_dates(app, pair)["Swim"] == date(2026, 12, 5)
        assert self.at(app, ids["later"]) == datetime(2026, 12, 4, 18, tzinfo=UTC)
        coach.hx_post(f"/clients/{pair.client_id}/calendar/undo", undo_fields(html))
        assert self.at(app, ids["later"]) == datetime(2026, 12, 4, 18, tzinfo=UTC)

    def test_without_sessions_too_the_sessions_stay(self, app, pair, coach, week):
        ids = self.sessions(app, pair, week)
        url = f"/clients/{pair.client_id}/calendar/days/2026-12-02/shift"
        html = coach.hx_post(url, {"days": "7"}).get_data(as_text=True)
        assert "Moved 2 entries from 2 Dec by 7 days." in html
        assert self.at(app, ids["later"]) == datetime(2026, 12, 4, 18, tzinfo=UTC)

    def test_a_shift_off_the_calendar_is_refused_and_nothing_moves(self, app, pair, coach, week):
        url = f"/clients/{pair.client_id}/calendar/days/2026-12-02/shift"
        response = coach.hx_post(url, {"days": "400"})
        assert response.status_code == 422
        assert "at most a year" in response.get_data(as_text=True)
        assert logged_moves(app) == []


class TestCopyWeek:
    def other_client(self, app, pair) -> int:
        with app.app_context():
            bea = make_client(
                db.session.get(Program, pair.program_id),
                name="Bea Park",
                start_date=date(2026, 12, 7),
            )
            db.session.add_all(
                CalendarEntry(client_id=bea.id, on_date=date(2026, 12, 8), title=t)
                for t in ("Old one", "Old two")
            )
            db.session.commit()
            return bea.id

    def week_of(self, app, client_id) -> list[tuple]:
        with app.app_context():
            return [
                tuple(r)
                for r in db.session.execute(
                    sa.select(CalendarEntry.on_date, CalendarEntry.title)
                    .where(CalendarEntry.client_id == client_id)
                    .order_by(CalendarEntry.on_date, CalendarEntry.position)
                )
            ]

    def test_the_form_defaults_to_another_client_and_the_same_week_number(
        self, app, pair, coach, week
    ):
        bea = self.other_client(app, pair)
        html = coach.get(f"/clients/{pair.client_id}/calendar?week=1").get_data(as_text=True)
        form = html.split('id="copy-week"', 1)[1].split("</details>", 1)[0]
        assert re.search(rf'<option selected value="{bea}">Bea Park', form)
        assert 'name="target_week"' in form and 'value="1"' in form

    def test_replace_leaves_exactly_the_source_weeks_entries_even_twice(
        self, app, pair, coach, week
    ):
        bea = self.other_client(app, pair)
        url = f"/clients/{pair.client_id}/calendar/weeks/1/copy?week=1"
        data = {"target_client": str(bea), "target_week": "1", "mode": "replace"}
        html = coach.hx_post(url, data).get_data(as_text=True)
        assert "Copied 3 entries to Bea Park&#39;s Week 1, replacing 2." in html
        assert f'href="/clients/{bea}/calendar?week=1"' in html
        expected = [
            (date(2026, 12, 8), "Squat"),
            (date(2026, 12, 10), "Run"),
            (date(2026, 12, 12), "Swim"),
        ]
        assert self.week_of(app, bea) == expected
        coach.hx_post(url, data)  # a repeat, or a double click
        assert self.week_of(app, bea) == expected

    def test_append_adds_after_what_is_there(self, app, pair, coach, week):
        bea = self.other_client(app, pair)
        url = f"/clients/{pair.client_id}/calendar/weeks/1/copy"
        data = {"target_client": str(bea), "target_week": "1", "mode": "append"}
        html = coach.hx_post(url, data).get_data(as_text=True)
        assert "Copied 3 entries to Bea Park&#39;s Week 1." in html
        assert [t for _d, t in self.week_of(app, bea)] == [
            "Old one",
            "Old two",
            "Squat",
            "Run",
            "Swim",
        ]

    def test_a_week_onto_itself_is_refused(self, app, pair, coach, week):
        url = f"/clients/{pair.client_id}/calendar/weeks/1/copy"
        data = {"target_client": str(pair.client_id), "target_week": "1", "mode": "replace"}
        response = coach.hx_post(url, data)
        assert response.status_code == 422
        assert "choose another week or client" in response.get_data(as_text=True)
        assert len(self.week_of(app, pair.client_id)) == 3

    def test_another_coachs_client_is_not_a_choice(self, app, pair, coach, week):
        with app.app_context():
            theirs = make_client(make_program(make_coach()), name="Olly Other").id
        url = f"/clients/{pair.client_id}/calendar/weeks/1/copy"
        data = {"target_client": str(theirs), "target_week": "1", "mode": "replace"}
        response = coach.hx_post(url, data)
        assert response.status_code == 422
        assert self.week_of(app, theirs) == []


def test_reminders_follow_the_sessions_a_shift_moves_and_an_undo_puts_back(
    app, pair, coach, week, time
):
    with app.app_context():
        at = datetime(2026, 12, 4, 18, tzinfo=UTC)
        session = place_booked_session(
            coach_id=pair.coach_id,
            client_user_id=pair.person_id,
            calendar_client_id=pair.client_id,
            at=None,
        )
        session.calendar_client_id = None
        place_session(session, db.session.get(Client, pair.client_id), at, now=time.now)
        db.session.commit()

    def waiting() -> set[datetime]:
        return {
            r.next_attempt_at
            for r in reminders(app)
            if r.sent_at is None and r.failed_at is None and r.skipped_at is None
        }

    assert waiting() == {at - timedelta(days=1), at - timedelta(hours=2)}
    url = f"/clients/{pair.client_id}/calendar/days/2026-12-02/shift"
    html = coach.hx_post(url, {"days": "7", "sessions_too": "y"}).get_data(as_text=True)
    later = at + timedelta(days=7)
    assert "Moved 2 entries and 1 session" in html
    assert waiting() == {later - timedelta(days=1), later - timedelta(hours=2)}
    coach.hx_post(f"/clients/{pair.client_id}/calendar/undo", undo_fields(html))
    assert waiting() == {at - timedelta(days=1), at - timedelta(hours=2)}


def test_a_week_copied_is_pasted_from_the_other_clients_own_week(app, pair, coach, week):
    with app.app_context():
        program = db.session.get(Program, pair.program_id)
        bea = make_client(program, name="Bea Park", start_date=date(2026, 12, 7)).id
    response = coach.hx_post(f"/clients/{pair.client_id}/calendar/weeks/1/clip")
    assert "Week 1 copied: open any client" in response.get_data(as_text=True)
    html = coach.get(f"/clients/{bea}/calendar").get_data(as_text=True)
    bar = html.split('id="paste-bar"', 1)[1].split("</form>", 1)[0]
    assert "Paste Dana Client 1 (1-2-1 Coaching)'s Week 1 into Bea Park's week" in bar
    assert 'name="target_week" value="1"' in bar
    fields = dict(re.findall(r'name="(target_client|on_page|target_week)" value="([^"]*)"', bar))
    action = re.search(r'hx-post="([^"]+)"[^>]*\s+class="paste-bar', html).group(1)
    assert action == f"/clients/{pair.client_id}/calendar/weeks/1/copy"
    response = coach.hx_post(action, {**fields, "mode": "replace"})
    panel = response.get_data(as_text=True)
    # The answer is Bea's own panel, at the week pasted.
    assert f'hx-get="/clients/{bea}/calendar?week=1"' in panel
    assert "Copied 3 entries to Bea Park&#39;s Week 1." in panel
    with app.app_context():
        titles = db.session.scalars(
            sa.select(CalendarEntry.title).where(CalendarEntry.client_id == bea)
        ).all()
    assert sorted(titles) == ["Run", "Squat", "Swim"]


def test_a_clipboard_naming_another_coachs_client_offers_no_paste(app, pair, coach, week):
    with app.app_context():
        theirs = make_client(make_program(make_coach()), name="Olly Other").id
    with coach.session_transaction() as session:
        session["copied_week"] = {"client": theirs, "week": 1}
    html = coach.get(f"/clients/{pair.client_id}/calendar").get_data(as_text=True)
    assert 'id="paste-bar"' not in html
