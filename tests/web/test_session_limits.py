"""A logged-in session ends after a spell of inactivity and, however active, after a
maximum age; the visitor is sent to log in and comes back to the page they asked for."""

import re
from datetime import UTC, datetime
from urllib.parse import quote

import pytest

from tests.support.factories import PASSWORD, make_coach

T0 = datetime(2026, 3, 10, 9, tzinfo=UTC)


@pytest.fixture
def coach(app, auth, time):
    with app.app_context():
        make_coach(email="coach@example.com")
    auth.login("coach@example.com")


def sees_programs(client) -> bool:
    response = client.get("/programs/")
    return response.status_code == 200 and "Programs" in response.get_data(as_text=True)


def sent_to_log_in(client, path="/programs/") -> bool:
    response = client.get(path)
    return response.status_code == 302 and response.headers["Location"].startswith(
        f"/login?next={quote(path, safe='')}"
    )


class TestDefaults:
    def test_a_session_in_use_stays_logged_in_across_a_working_day(self, client, coach, time):
        for _ in range(4):
            time.advance(hours=4)
            assert sees_programs(client)

    def test_a_session_left_idle_overnight_is_logged_out(self, app, client, coach, time):
        time.advance(hours=12, minutes=1)
        assert sent_to_log_in(client)
        # Logged out for good: going back in time does not bring the session back.
        time.now = T0
        assert sent_to_log_in(client)

    def test_a_session_in_daily_use_ends_after_thirty_days(self, client, coach, time):
        for _ in range(30 * 24 // 11):  # 715 hours, never 12 idle
            time.advance(hours=11)
            assert sees_programs(client)
        time.advance(hours=11)
        assert sent_to_log_in(client)


class TestConfigured:
    @pytest.fixture
    def app_config(self, app_config):
        return {**app_config, "SESSION_IDLE_MINUTES": 30, "SESSION_MAX_DAYS": 0.5}

    def test_the_idle_limit_is_the_configured_one(self, client, coach, time):
        time.advance(minutes=29)
        assert sees_programs(client)
        time.advance(minutes=29)
        assert sees_programs(client)
        time.advance(minutes=31)
        assert sent_to_log_in(client)

    def test_the_maximum_age_is_the_configured_one(self, client, coach, time):
        for _ in range(12 * 60 // 25):  # 700 minutes, never 30 idle
            time.advance(minutes=25)
            assert sees_programs(client)
        time.advance(minutes=25)
        assert sent_to_log_in(client)

    def test_an_expired_visitor_is_told_why_and_returns_to_their_page(self, client, coach, time):
        time.advance(hours=1)
        response = client.get("/account", follow_redirects=True)
        html = response.get_data(as_text=True)
        assert "You were logged out after 30 minutes without activity" in html
        assert re.search(r'<input[^>]* name="next"[^>]* value="/account"', html)
        back = client.post(
            "/login",
            data={"email": "coach@example.com", "password": PASSWORD, "next": "/account"},
        )
        assert back.headers["Location"] == "/account"
        assert sees_programs(client)
