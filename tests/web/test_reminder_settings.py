"""Who decides about reminders: the coach sets the times, each client may turn theirs off,
by the email's one-click link (RFC 8058) or on their account page."""

from datetime import UTC, date, datetime
from urllib.parse import urlsplit

import pytest
import sqlalchemy as sa

from tests.support.factories import make_client, make_client_user
from tests.support.plusone import Pair, logged_in
from tests.support.queued import reminders
from tests.support.reminders import booked, london, place, relay
from webapp.extensions import db
from webapp.models import Program, User

T0 = datetime(2026, 12, 7, 9, 0, tzinfo=UTC)
THURSDAY = date(2026, 12, 10)


@pytest.fixture
def app_config(app_config, smtp_server):
    return {**app_config, "MAIL_SERVER": "127.0.0.1", "MAIL_PORT": smtp_server.port}


def _second_client(app, pair: Pair) -> Pair:
    with app.app_context():
        person = make_client_user(email="erin@example.com", name="Erin Client")
        row = make_client(db.session.get(Program, pair.program_id), user=person)
        return Pair(
            pair.coach_id, pair.coach_email, person.id, person.email, row.id, pair.program_id
        )


def _reminders_off(app, person_id: int) -> bool:
    with app.app_context():
        return db.session.get(User, person_id).reminders_off


class TestOneClickUnsubscribe:
    def test_the_one_click_post_stops_that_clients_reminders_only_and_the_coach_sees_it(
        self, app, pair, time, smtp_server
    ):
        other = _second_client(app, pair)
        coach = logged_in(app, pair.coach_email)
        for who in (pair, other):
            [only] = booked(app, who, sessions=1)
            place(coach, who, only, THURSDAY)
        time.now = london(date(2026, 12, 9), 18, 30).astimezone(UTC)
        assert relay(app) == (2, 0)
        [mail] = smtp_server.mailbox.to(pair.person_email)
        assert mail["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
        link = mail["List-Unsubscribe"].strip("<>")
        assert link.startswith("http://localhost/reminders/unsubscribe/")

        # The mail client posts on its own: no login, no CSRF token.
        stranger = app.test_client()
        answered = stranger.post(
            urlsplit(link).path, data={"List-Unsubscribe": "One-Click"}, csrf=False
        )
        assert answered.status_code == 200
        assert "Session reminders are off for" in answered.get_data(as_text=True)
        assert _reminders_off(app, pair.person_id) and not _reminders_off(app, other.person_id)

        time.now = london(THURSDAY, 16, 30).astimezone(UTC)
        round_ = relay(app)
        assert (round_, round_.skipped) == ((1, 0), 1)
        assert len(smtp_server.mailbox.wait_for(3)) == 3
        assert len(smtp_server.mailbox.to(other.person_email)) == 2
        assert len(smtp_server.mailbox.to(pair.person_email)) == 1
        skipped = [r for r in reminders(app) if r.skipped_at is not None]
        assert [r.skip_reason for r in skipped] == ["the client turned reminders off"]

        coach = logged_in(app, pair.coach_email)  # a day on: the browser logs in again
        calendar = coach.get(f"/clients/{pair.client_id}/calendar").get_data(as_text=True)
        assert 'id="reminders-off"' in calendar and "Reminders off" in calendar
        sessions = coach.get(f"/clients/{pair.client_id}/sessions").get_data(as_text=True)
        assert "turned session reminder emails off" in sessions
        others = coach.get(f"/clients/{other.client_id}/calendar").get_data(as_text=True)
        assert "Reminders off" not in others

    def test_opening_the_link_only_asks_to_confirm(self, app, pair, time, smtp_server):
        coach = logged_in(app, pair.coach_email)
        [only] = booked(app, pair, sessions=1)
        place(coach, pair, only, THURSDAY)
        time.now = london(date(2026, 12, 9), 18, 30).astimezone(UTC)
        relay(app)
        [mail] = smtp_server.mailbox.wait_for(1)
        path = urlsplit(mail["List-Unsubscribe"].strip("<>")).path
        page = app.test_client().get(path).get_data(as_text=True)
        assert "Turn session reminders off" in page and f'action="{path}"' in page
        assert not _reminders_off(app, pair.person_id)

    def test_the_token_is_kept_only_as_a_hash_and_a_wrong_one_is_not_found(
        self, app, pair, time, smtp_server
    ):
        coach = logged_in(app, pair.coach_email)
        [only] = booked(app, pair, sessions=1)
        place(coach, pair, only, THURSDAY)
        time.now = london(date(2026, 12, 9), 18, 30).astimezone(UTC)
        relay(app)
        [mail] = smtp_server.mailbox.wait_for(1)
        token = mail["List-Unsubscribe"].strip("<>").rsplit("/", 1)[1]
        with app.app_context():
            stored = db.session.execute(
                sa.select(User.unsubscribe_token_hash, User.unsubscribe_salt).where(
                    User.id == pair.person_id
                )
            ).one()
        assert token not in stored
        wrong = token[:-2] + ("AA" if not token.endswith("AA") else "BB")
        anonymous = app.test_client()
        assert anonymous.get(f"/reminders/unsubscribe/{wrong}").status_code == 404
        refused = anonymous.post(f"/reminders/unsubscribe/{wrong}", csrf=False)
        assert refused.status_code == 404
        assert not _reminders_off(app, pair.person_id)


class TestAccountPage:
    def test_a_client_turns_reminders_off_and_on_again(self, app, pair, time):
        client = logged_in(app, pair.person_email)
        page = client.get("/account").get_data(as_text=True)
        assert "Email me a reminder before each coaching session" in page
        off = client.post("/account/reminders", data={}, follow_redirects=True)
        assert "Session reminders are off." in off.get_data(as_text=True)
        assert _reminders_off(app, pair.person_id)
        on = client.post(
            "/account/reminders", data={"reminders-reminders": "y"}, follow_redirects=True
        )
        assert "Session reminders are on." in on.get_data(as_text=True)
        assert not _reminders_off(app, pair.person_id)

    def test_the_coach_sets_48_h_and_1_h_and_sessions_ahead_follow(self, app, pair, time):
        coach = logged_in(app, pair.coach_email)
        [only] = booked(app, pair, sessions=1)
        place(coach, pair, only, THURSDAY)
        saved = coach.post(
            "/account/reminders",
            data={"reminders-offsets": "48, 1", "reminders-agenda": "y"},
            follow_redirects=True,
        )
        page = saved.get_data(as_text=True)
        assert "Your reminder times are saved" in page
        assert 'value="48, 1"' in page
        with app.app_context():
            coach_row = db.session.get(User, pair.coach_id)
            assert (coach_row.reminder_offsets, coach_row.agenda_email) == ("2880,60", True)
        waiting = [r for r in reminders(app) if r.skipped_at is None]
        assert [(r.offset_minutes, r.next_attempt_at) for r in waiting] == [
            (2880, london(date(2026, 12, 8), 18, 30)),
            (60, london(THURSDAY, 17, 30)),
        ]

    @pytest.mark.parametrize(
        ("typed", "message"),
        [
            ("-2", "is negative"),
            ("24, 400", "over 14 days"),
            ("2, 2", "2 h is given twice"),
        ],
    )
    def test_bad_times_get_a_message_by_the_field(self, app, pair, time, typed, message):
        coach = logged_in(app, pair.coach_email)
        response = coach.post("/account/reminders", data={"reminders-offsets": typed})
        assert response.status_code == 422
        html = response.get_data(as_text=True)
        assert '<p class="error" id="reminders-offsets-error">' in html
        error = html.split('id="reminders-offsets-error">', 1)[1].split("</p>", 1)[0]
        assert message in error
        with app.app_context():
            assert db.session.get(User, pair.coach_id).reminder_offsets == "1440,120"
