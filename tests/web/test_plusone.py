"""Packages and the +1 program: one session always on deck, booked exactly once."""

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import sqlalchemy as sa

from tests.support.factories import make_client, make_client_user
from tests.support.plusone import (
    bookings,
    complete_url,
    logged_in,
    make_package,
    make_pair,
    remaining_ids,
    session_row,
    undo_url,
)
from tests.support.queries import counted_queries
from tests.support.queued import outbox
from tests.support.smtp import Mailbox
from webapp.extensions import db
from webapp.models import Booking, CoachingSession, PlusOneEnrolment, User


@pytest.fixture
def app_config(app_config, smtp_server):
    return {**app_config, "MAIL_SERVER": "127.0.0.1", "MAIL_PORT": smtp_server.port}


@pytest.fixture
def me(app, pair):
    """The client, logged in."""
    return logged_in(app, pair.person_email)


def book(me, pair, package_id):
    response = me.post(f"/my/coaches/{pair.coach_id}/packages/{package_id}/book")
    assert response.status_code == 303, response.get_data(as_text=True)[-2000:]


def enrol(me, pair, action="enrol", **extra):
    return me.post(f"/my/coaches/{pair.coach_id}/plus-one", data={"action": action, **extra})


def complete(coach, pair, session_id):
    response = coach.hx_post(complete_url(pair, session_id), data={"in_list": "1"})
    assert response.status_code == 200, response.get_data(as_text=True)[-2000:]
    return response.get_data(as_text=True)


def sessions_page(coach, pair) -> str:
    response = coach.get(f"/clients/{pair.client_id}/sessions")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def send_outbox(app) -> None:
    from webapp.services.outbox import send_due

    with app.app_context():
        send_due()


class TestTheLastSessionOfAPackageBooksOnePlusOne:
    def test_sessions_one_to_four_book_nothing_the_fifth_books_one_at_80(
        self, app, pair, coach, me, smtp_server
    ):
        book(me, pair, make_package(app, pair.coach_id, 5, 40000))
        assert enrol(me, pair).status_code == 303
        first_five = remaining_ids(app, pair)
        assert len(first_five) == 5
        for sid in first_five[:4]:
            html = complete(coach, pair, sid)
            assert "No +1 booking" in html
            assert bookings(app, pair, "plus_one") == []
        assert outbox(app) == []

        html = complete(coach, pair, first_five[4])
        assert "+1 booked one more session at £80.00" in html
        [plus] = bookings(app, pair, "plus_one")
        assert (plus.sessions_count, plus.rate_minor, plus.total_minor, plus.currency) == (
            1,
            8000,
            8000,
            "GBP",
        )
        assert plus.caused_by_session_id == first_five[4]
        [new_session] = remaining_ids(app, pair)
        assert f'id="session-{new_session}"' in html and "+1 session" in html

        messages = outbox(app)
        assert sorted(m.recipient for m in messages) == sorted(
            [pair.coach_email, pair.person_email]
        )
        send_outbox(app)
        received = smtp_server.mailbox.wait_for(2)
        assert len(received) == 2
        [to_client] = smtp_server.mailbox.to(pair.person_email)
        [to_coach] = smtp_server.mailbox.to(pair.coach_email)
        for message in (to_client, to_coach):
            body = Mailbox.body(message)
            assert "additional session has been booked" in body
            assert "£80.00" in body and "£80.00" in message["Subject"]
            assert "5 × £400.00" in body

    def test_the_coach_sees_where_the_rate_comes_from(self, app, pair, coach, me):
        book(me, pair, make_package(app, pair.coach_id, 5, 40000))
        enrol(me, pair)
        html = sessions_page(coach, pair)
        assert "+1 rate £80.00 — from 5 × £400.00 booked" in html
        assert 'id="remaining-count">5<' in html and 'id="used-count">0<' in html
        assert "+1 enrolled" in html


class TestTheRateFollowsTheLastPackageBooked:
    def test_booking_a_new_package_before_the_last_session_updates_the_rate(
        self, app, pair, coach, me
    ):
        book(me, pair, make_package(app, pair.coach_id, 5, 40000))
        enrol(me, pair)
        for sid in remaining_ids(app, pair)[:4]:
            complete(coach, pair, sid)
        book(me, pair, make_package(app, pair.coach_id, 10, 70000))
        assert "+1 rate £70.00 — from 10 × £700.00 booked" in sessions_page(coach, pair)
        remaining = remaining_ids(app, pair)
        assert len(remaining) == 11
        for sid in remaining[:-1]:
            complete(coach, pair, sid)
        assert bookings(app, pair, "plus_one") == []
        complete(coach, pair, remaining[-1])
        [plus] = bookings(app, pair, "plus_one")
        assert plus.rate_minor == 7000

    def test_a_later_price_list_change_does_not_change_the_rate(self, app, pair, coach, me):
        package_id = make_package(app, pair.coach_id, 5, 40000)
        book(me, pair, package_id)
        enrol(me, pair)
        with app.app_context():
            from webapp.models import Package

            db.session.get(Package, package_id).total_minor = 90000
            db.session.commit()
        for sid in remaining_ids(app, pair):
            complete(coach, pair, sid)
        [plus] = bookings(app, pair, "plus_one")
        assert plus.rate_minor == 8000


class TestAPackageWithoutAutoRenewalBooksNoPlusOne:
    def test_a_custom_package_without_auto_renewal_books_nothing_and_the_coach_sees_why(
        self, app, pair, coach, me
    ):
        book(me, pair, make_package(app, pair.coach_id, 5, 40000))
        enrol(me, pair)
        custom = make_package(
            app, pair.coach_id, 2, 20000, offered_to_id=pair.person_id, no_auto_renewal=True
        )
        assert "Offered to you" in me.get(f"/my/coaches/{pair.coach_id}").get_data(as_text=True)
        book(me, pair, custom)
        html = sessions_page(coach, pair)
        assert "+1 will not book: Last package does not offer auto-renewal." in html
        last_html = ""
        for sid in remaining_ids(app, pair):
            last_html = complete(coach, pair, sid)
        assert "No +1 booking: Last package does not offer auto-renewal." in last_html
        assert bookings(app, pair, "plus_one") == []
        assert outbox(app) == []
        assert "Last package does not offer auto-renewal" in sessions_page(coach, pair)


class TestOnlyEnrolledClientsGetAPlusOne:
    def test_a_client_who_never_booked_a_package_cannot_enrol(self, app, pair, me):
        response = enrol(me, pair)
        assert response.status_code == 422
        assert "Book a package with this coach first" in response.get_data(as_text=True)
        with app.app_context():
            assert db.session.scalar(sa.select(PlusOneEnrolment)) is None

    def test_an_unenrolled_client_gets_no_plus_one(self, app, pair, coach, me):
        book(me, pair, make_package(app, pair.coach_id, 1, 5000))
        enrol(me, pair)
        assert enrol(me, pair, "unenrol").status_code == 303
        html = complete(coach, pair, remaining_ids(app, pair)[0])
        assert "No +1 booking: Not enrolled in +1." in html
        assert bookings(app, pair, "plus_one") == []

    def test_a_paused_client_gets_no_plus_one_until_the_date(self, app, pair, coach, me):
        book(me, pair, make_package(app, pair.coach_id, 1, 5000))
        enrol(me, pair)
        until = (date.today() + timedelta(days=14)).isoformat()
        response = enrol(me, pair, "pause", paused_until=until)
        assert response.status_code == 303
        page = me.get(f"/my/coaches/{pair.coach_id}/plus-one").get_data(as_text=True)
        assert "+1 paused" in page and "It resumes on" in page
        html = complete(coach, pair, remaining_ids(app, pair)[0])
        assert "No +1 booking: +1 is paused until" in html
        assert bookings(app, pair, "plus_one") == []

    def test_a_pause_date_in_the_past_is_refused(self, app, pair, me):
        book(me, pair, make_package(app, pair.coach_id, 1, 5000))
        enrol(me, pair)
        response = enrol(me, pair, "pause", paused_until="2000-01-01")
        assert response.status_code == 422
        assert "Choose a date after today" in response.get_data(as_text=True)

    def test_a_completed_plus_one_session_books_the_next_one(self, app, pair, coach, me):
        book(me, pair, make_package(app, pair.coach_id, 1, 5000))
        enrol(me, pair)
        complete(coach, pair, remaining_ids(app, pair)[0])
        [first_plus] = remaining_ids(app, pair)
        complete(coach, pair, first_plus)
        plus = bookings(app, pair, "plus_one")
        assert [b.caused_by_session_id for b in plus][1] == first_plus
        assert [b.rate_minor for b in plus] == [5000, 5000]
        assert len(remaining_ids(app, pair)) == 1
        assert len(outbox(app)) == 4


class TestPlacement:
    def test_placing_a_session_stores_aware_utc_from_the_clients_local_time(
        self, app, pair, coach, me
    ):
        book(me, pair, make_package(app, pair.coach_id, 1, 5000))
        [sid] = remaining_ids(app, pair)
        url = f"/clients/{pair.client_id}/sessions/{sid}/place"
        response = coach.hx_post(url, data={"on_date": "2026-07-07", "at_time": "09:30"})
        html = response.get_data(as_text=True)
        assert response.status_code == 200 and "<html" not in html
        assert f'id="session-{sid}"' in html and "Tue 7 Jul 2026 09:30" in html
        row = session_row(app, sid)
        assert row.scheduled_at == datetime(2026, 7, 7, 8, 30, tzinfo=UTC)
        assert row.calendar_client_id == pair.client_id

    def test_the_plus_one_session_goes_on_deck_same_weekday_and_time_next_week(
        self, app, pair, coach, me
    ):
        book(me, pair, make_package(app, pair.coach_id, 1, 5000))
        enrol(me, pair)
        [sid] = remaining_ids(app, pair)
        yesterday = date.today() - timedelta(days=1)
        coach.post(
            f"/clients/{pair.client_id}/sessions/{sid}/place",
            data={"on_date": yesterday.isoformat(), "at_time": "18:15"},
        )
        complete(coach, pair, sid)
        [plus_id] = remaining_ids(app, pair)
        plus = session_row(app, plus_id)
        local = plus.scheduled_at.astimezone(ZoneInfo("Europe/London"))
        assert local.date() == yesterday + timedelta(days=7)
        assert (local.hour, local.minute) == (18, 15)
        assert plus.calendar_client_id == pair.client_id
        assert "It is on deck for" in outbox(app)[0].body

    @pytest.mark.parametrize(
        ("data", "field", "message"),
        [
            ({"on_date": "", "at_time": "09:00"}, "on_date", "Choose a date."),
            ({"on_date": "2026-02-30", "at_time": "09:00"}, "on_date", "Choose a date."),
            ({"on_date": "2026-03-03", "at_time": "25:00"}, "at_time", "Choose a time."),
        ],
    )
    def test_a_bad_date_or_time_is_shown_by_the_field_and_nothing_changes(
        self, app, pair, coach, me, data, field, message
    ):
        book(me, pair, make_package(app, pair.coach_id, 1, 5000))
        [sid] = remaining_ids(app, pair)
        response = coach.hx_post(f"/clients/{pair.client_id}/sessions/{sid}/place", data=data)
        assert response.status_code == 422
        assert f'id="{field}-{sid}-error">{message}' in response.get_data(as_text=True)
        assert session_row(app, sid).scheduled_at is None


class TestUndoingACompletion:
    def test_undo_voids_the_unused_plus_one_booking_and_undoing_twice_is_safe(
        self, app, pair, coach, me
    ):
        book(me, pair, make_package(app, pair.coach_id, 1, 5000))
        enrol(me, pair)
        [sid] = remaining_ids(app, pair)
        complete(coach, pair, sid)
        [plus_session] = remaining_ids(app, pair)

        response = coach.hx_post(undo_url(pair, sid), data={"in_list": "1"})
        html = response.get_data(as_text=True)
        assert response.status_code == 200 and "<html" not in html
        assert "The +1 booking it caused (1 session at £50.00) was voided" in html
        assert f'id="session-{plus_session}" class="session-row session-void"' in html
        [plus] = bookings(app, pair, "plus_one")
        assert plus.voided_at is not None and plus.voided_cause_session_id == sid
        assert session_row(app, plus_session).status == "void"
        assert remaining_ids(app, pair) == [sid]

        assert "voided, so it cannot be completed" in complete(coach, pair, plus_session)
        again = coach.hx_post(undo_url(pair, sid)).get_data(as_text=True)
        assert "nothing to undo" in again
        assert remaining_ids(app, pair) == [sid]
        assert "Voided" in sessions_page(coach, pair)

        # Completing it again books a fresh +1: the voided booking released its cause.
        complete(coach, pair, sid)
        assert [b.voided_at is None for b in bookings(app, pair, "plus_one")] == [False, True]

    def test_undo_after_the_plus_one_session_was_used_keeps_that_booking(
        self, app, pair, coach, me
    ):
        book(me, pair, make_package(app, pair.coach_id, 1, 5000))
        enrol(me, pair)
        [sid] = remaining_ids(app, pair)
        complete(coach, pair, sid)
        [plus_session] = remaining_ids(app, pair)
        complete(coach, pair, plus_session)
        html = coach.hx_post(undo_url(pair, sid)).get_data(as_text=True)
        assert "already completed, so that +1 booking stays" in html
        assert session_row(app, sid).status == "remaining"
        assert bookings(app, pair, "plus_one")[0].voided_at is None

    def test_undo_without_javascript_redirects_back_with_the_message(self, app, pair, coach, me):
        book(me, pair, make_package(app, pair.coach_id, 1, 5000))
        enrol(me, pair)
        [sid] = remaining_ids(app, pair)
        coach.post(complete_url(pair, sid))
        response = coach.post(undo_url(pair, sid), follow_redirects=True)
        assert "was voided" in response.get_data(as_text=True)


class TestCompletionPages:
    def test_mark_complete_without_javascript_redirects_to_the_full_page(
        self, app, pair, coach, me
    ):
        book(me, pair, make_package(app, pair.coach_id, 2, 10000))
        [sid, _] = remaining_ids(app, pair)
        response = coach.post(complete_url(pair, sid))
        assert response.status_code == 303
        html = coach.get(response.headers["Location"]).get_data(as_text=True)
        assert "<html" in html and "Session completed. No +1 booking: 1 session remains." in html
        assert 'id="used-count">1<' in html

    def test_completing_twice_is_harmless(self, app, pair, coach, me):
        book(me, pair, make_package(app, pair.coach_id, 1, 5000))
        enrol(me, pair)
        [sid] = remaining_ids(app, pair)
        complete(coach, pair, sid)
        assert "already marked complete" in complete(coach, pair, sid)
        assert len(bookings(app, pair, "plus_one")) == 1
        assert len(outbox(app)) == 2

    def test_the_summary_block_is_served_alone_to_htmx(self, app, pair, coach, me):
        book(me, pair, make_package(app, pair.coach_id, 1, 5000))
        response = coach.hx_get(f"/clients/{pair.client_id}/sessions")
        html = response.get_data(as_text=True)
        assert "<html" not in html and 'id="session-summary"' in html
        assert 'id="remaining-count">1<' in html
        assert "HX-Request" in response.headers["Vary"]

    def test_a_pending_client_without_an_account_cannot_book_yet(self, app, pair, coach):
        with app.app_context():
            from webapp.models import Program

            program = db.session.get(Program, pair.program_id)
            pending = make_client(program, name="Pat Pending", state="pending")
        html = coach.get(f"/clients/{pending.id}/sessions").get_data(as_text=True)
        assert "Pat Pending cannot book yet" in html


class TestSessionsAndPackagesBelongToTheirCoachAndClient:
    def test_a_coach_cannot_complete_another_coachs_sessions(self, app, pair, me):
        book(me, pair, make_package(app, pair.coach_id, 1, 5000))
        [sid] = remaining_ids(app, pair)
        other = make_pair(app, n=2)
        intruder = logged_in(app, other.coach_email)
        for url in (
            complete_url(pair, sid),
            undo_url(pair, sid),
            f"/clients/{pair.client_id}/sessions",
            f"/clients/{other.client_id}/sessions/{sid}/complete",
        ):
            response = (
                intruder.post(url) if "complete" in url or "undo" in url else intruder.get(url)
            )
            assert response.status_code == 404, url
        assert session_row(app, sid).status == "remaining"

    def test_a_client_cannot_complete_sessions_at_all(self, app, pair, me):
        book(me, pair, make_package(app, pair.coach_id, 1, 5000))
        [sid] = remaining_ids(app, pair)
        assert me.post(complete_url(pair, sid)).status_code == 404
        assert me.hx_post(complete_url(pair, sid)).status_code == 404
        assert session_row(app, sid).status == "remaining"

    def test_completing_needs_the_csrf_token(self, app, pair, coach, me):
        book(me, pair, make_package(app, pair.coach_id, 1, 5000))
        [sid] = remaining_ids(app, pair)
        assert coach.post(complete_url(pair, sid), csrf=False).status_code == 400
        assert session_row(app, sid).status == "remaining"

    def test_a_client_sees_only_coaches_they_are_active_with(self, app, pair, me):
        other = make_pair(app, n=2)
        assert me.get(f"/my/coaches/{other.coach_id}").status_code == 404
        assert me.get(f"/my/coaches/{other.coach_id}/plus-one").status_code == 404
        home = me.get("/me").get_data(as_text=True)
        assert "Casey Coach 1" in home and "Casey Coach 2" not in home
        assert "Manage +1 Program Preferences" in home

    def test_a_client_cannot_book_another_coachs_or_anothers_custom_package(self, app, pair, me):
        other = make_pair(app, n=2)
        theirs = make_package(app, other.coach_id, 5, 40000)
        with app.app_context():
            someone = make_client_user(email="sam@example.com")
        not_mine = make_package(app, pair.coach_id, 5, 40000, offered_to_id=someone.id)
        for package_id, coach_id in ((theirs, pair.coach_id), (not_mine, pair.coach_id)):
            url = f"/my/coaches/{coach_id}/packages/{package_id}/book"
            assert me.post(url).status_code == 404
        assert bookings(app, pair) == []

    def test_an_archived_package_cannot_be_booked(self, app, pair, coach, me):
        package_id = make_package(app, pair.coach_id, 5, 40000)
        coach.post(f"/packages/{package_id}/archive")
        assert me.post(f"/my/coaches/{pair.coach_id}/packages/{package_id}/book").status_code == 404
        assert bookings(app, pair) == []


class TestClientPages:
    def test_the_client_sees_packages_with_rates_and_that_payment_is_outside(self, app, pair, me):
        make_package(app, pair.coach_id, 3, 10000)
        html = me.get(f"/my/coaches/{pair.coach_id}").get_data(as_text=True)
        assert "3 sessions for £100.00" in html and "£33.33 per session" in html
        assert "Payment is settled with your coach outside OnDeck for now" in html
        assert "Manage +1 Program Preferences" in html

    def test_booking_records_sessions_and_the_amount_due(self, app, pair, me):
        package_id = make_package(app, pair.coach_id, 3, 10000)
        response = me.post(
            f"/my/coaches/{pair.coach_id}/packages/{package_id}/book", follow_redirects=True
        )
        html = response.get_data(as_text=True)
        assert "Amount due: £100.00 (£33.33 per session)" in html
        assert 'id="remaining-count">3<' in html
        [booking] = bookings(app, pair)
        assert (booking.kind, booking.total_minor, booking.rate_minor) == ("package", 10000, 3333)
        assert len(remaining_ids(app, pair)) == 3


class TestCalendarHelper:
    def test_sessions_for_calendar_groups_placed_sessions_by_client_and_local_date(
        self, app, pair, coach, me
    ):
        from webapp.services.coaching_sessions import sessions_for_calendar

        book(me, pair, make_package(app, pair.coach_id, 3, 15000))
        a, b, _unplaced = remaining_ids(app, pair)
        place = f"/clients/{pair.client_id}/sessions/{{}}/place"
        coach.post(place.format(a), data={"on_date": "2026-07-07", "at_time": "00:30"})
        coach.post(place.format(b), data={"on_date": "2026-07-20", "at_time": "09:00"})
        with app.app_context(), counted_queries(app) as queries:
            found = sessions_for_calendar([pair.client_id], date(2026, 7, 1), date(2026, 7, 14))
            assert list(found) == [pair.client_id]
            # 00:30 in London is 23:30 UTC the day before; the calendar shows the local date.
            assert list(found[pair.client_id]) == [date(2026, 7, 7)]
            assert [s.id for s in found[pair.client_id][date(2026, 7, 7)]] == [a]
            assert found[pair.client_id][date(2026, 7, 7)][0].booking.rate_minor == 5000
        assert len(queries) == 1


def add_sessions(app, pair, count):
    """A package of `count` sessions: every other one completed, the rest remaining."""
    with app.app_context():
        booking = Booking(
            coach_id=pair.coach_id,
            client_user_id=pair.person_id,
            kind="package",
            sessions_count=count,
            total_minor=count * 5000,
            rate_minor=5000,
            currency="GBP",
        )
        db.session.add(booking)
        db.session.flush()
        db.session.add_all(
            CoachingSession(
                booking_id=booking.id,
                coach_id=pair.coach_id,
                client_user_id=pair.person_id,
                status="completed" if n % 2 else "remaining",
                calendar_client_id=pair.client_id,
                scheduled_at=datetime(2026, 1, 1, 9, tzinfo=UTC) + timedelta(days=n),
            )
            for n in range(count)
        )
        db.session.commit()


def test_the_sessions_page_runs_the_same_queries_for_5_and_500_sessions(app, pair, coach):
    add_sessions(app, pair, 5)
    with counted_queries(app) as few:
        assert 'id="remaining-count">3<' in sessions_page(coach, pair)
    add_sessions(app, pair, 495)
    with counted_queries(app) as many:
        assert 'id="remaining-count">251<' in sessions_page(coach, pair)
    assert len(few) == len(many)
    with app.app_context():
        assert db.session.get(User, pair.person_id) is not None


def test_mark_complete_runs_at_most_six_queries_for_5_or_500_sessions(app, pair, coach):
    def complete_one():
        session_id = remaining_ids(app, pair)[0]
        with counted_queries(app) as queries:
            response = coach.post(complete_url(pair, session_id), headers={"HX-Request": "true"})
        assert "Session completed. No +1 booking" in response.get_data(as_text=True)
        assert session_row(app, session_id).status == "completed"
        return queries

    add_sessions(app, pair, 5)
    few = complete_one()
    add_sessions(app, pair, 495)
    many = complete_one()
    assert len(few) == len(many) <= 6, many


def test_the_clients_coach_page_runs_the_same_queries_for_1_and_20_bookings(app, pair, me):
    package_id = make_package(app, pair.coach_id, 2, 10000)
    book(me, pair, package_id)
    url = f"/my/coaches/{pair.coach_id}"
    with counted_queries(app) as few:
        assert 'id="remaining-count">2<' in me.get(url).get_data(as_text=True)
    for _ in range(19):
        book(me, pair, package_id)
    with counted_queries(app) as many:
        assert 'id="remaining-count">40<' in me.get(url).get_data(as_text=True)
    assert len(few) == len(many)


def test_the_no_javascript_fallback_returns_to_the_page_it_came_from(app, pair, coach, me):
    book(me, pair, make_package(app, pair.coach_id, 2, 10000))
    sid = remaining_ids(app, pair)[0]
    back = f"/clients/{pair.client_id}/calendar"
    response = coach.post(complete_url(pair, sid), data={"next": back})
    assert response.headers["Location"] == back
    response = coach.post(undo_url(pair, sid), data={"next": "https://evil.example/"})
    assert response.headers["Location"].startswith(f"/clients/{pair.client_id}/sessions")
