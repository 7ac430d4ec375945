"""Your account: name, time zone and password, for coaches and clients."""

import re

import pytest
import sqlalchemy as sa

from tests.support.factories import PASSWORD, make_client_user, make_coach
from webapp.extensions import db
from webapp.models import User

NEW_PASSWORD = "a brand new passphrase"


@pytest.fixture
def people(app):
    with app.app_context():
        make_coach(email="coach@example.com", name="Casey Coach")
        make_client_user(email="ana@example.com", name="Ana", time_zone="Europe/London")


def user(app, email):
    with app.app_context():
        return db.session.scalar(sa.select(User).where(User.email == email))


def change(client, current=PASSWORD, password=NEW_PASSWORD, confirm=None):
    return client.post(
        "/account/password",
        data={"current_password": current, "password": password, "confirm": confirm or password},
    )


class TestDetails:
    @pytest.mark.parametrize("email", ["coach@example.com", "ana@example.com"])
    def test_everyone_reaches_their_account_from_the_top_bar(self, client, people, email):
        client.login(email, PASSWORD)
        home = client.get("/", follow_redirects=True).get_data(as_text=True)
        assert 'href="/account"' in home
        html = client.get("/account").get_data(as_text=True)
        assert f"You log in with <strong>{email}</strong>" in html

    def test_a_client_moves_to_another_time_zone(self, app, client, people):
        client.login("ana@example.com", PASSWORD)
        response = client.post(
            "/account", data={"name": "Ana Lima", "time_zone": "Pacific/Auckland"}
        )
        assert response.status_code == 303
        assert "Your details are saved" in client.get("/account").get_data(as_text=True)
        saved = user(app, "ana@example.com")
        assert (saved.name, saved.time_zone) == ("Ana Lima", "Pacific/Auckland")

    @pytest.mark.parametrize(
        ("field", "value", "message"),
        [
            ("name", "", "Enter a name"),
            ("name", "x" * 10_000, "at most 120 characters"),
            ("time_zone", "Mars/Olympus", "Not a valid choice"),
        ],
    )
    def test_bad_input_is_shown_by_the_field_and_nothing_changes(
        self, app, client, people, field, value, message
    ):
        client.login("ana@example.com", PASSWORD)
        data = {"name": "Ana Lima", "time_zone": "Europe/Paris", field: value}
        response = client.post("/account", data=data)
        assert response.status_code == 422
        html = response.get_data(as_text=True)
        assert re.search(rf'id="{field}-error">[^<]*{re.escape(message)}', html), html
        saved = user(app, "ana@example.com")
        assert (saved.name, saved.time_zone) == ("Ana", "Europe/London")

    def test_anonymous_visitors_are_sent_to_log_in(self, client):
        assert "/login" in client.get("/account").headers["Location"]


class TestChangingThePassword:
    def test_the_new_password_works_and_this_browser_stays_logged_in(self, app, client, people):
        client.login("coach@example.com", PASSWORD)
        elsewhere = app.test_client()
        elsewhere.login("coach@example.com", PASSWORD)
        response = change(client)
        assert response.status_code == 303
        assert "Your password is changed" in client.get("/account").get_data(as_text=True)
        assert client.get("/programs/").status_code == 200
        assert "/login" in elsewhere.get("/programs/").headers["Location"]
        fresh = app.test_client()
        assert (
            fresh.post(
                "/login", data={"email": "coach@example.com", "password": NEW_PASSWORD}
            ).status_code
            == 302
        )

    @pytest.mark.parametrize(
        ("current", "password", "confirm", "field", "message"),
        [
            ("not my password at all", NEW_PASSWORD, None, "current_password", "not your current"),
            (PASSWORD, "short", "short", "password", "at least 12 characters"),
            (PASSWORD, NEW_PASSWORD, "another passphrase", "confirm", "not the same"),
            (PASSWORD, "coach@example.com", None, "password", "cannot be your email"),
        ],
    )
    def test_a_refusal_is_shown_by_the_field_and_the_password_stays(
        self, app, client, people, current, password, confirm, field, message
    ):
        client.login("coach@example.com", PASSWORD)
        before = user(app, "coach@example.com")
        response = change(client, current, password, confirm)
        assert response.status_code == 422
        html = response.get_data(as_text=True)
        assert re.search(rf'id="{field}-error">[^<]*{message}', html), html
        after = user(app, "coach@example.com")
        assert (after.password_hash, after.session_version) == (
            before.password_hash,
            before.session_version,
        )

    def test_guessing_the_current_password_counts_as_failed_log_ins(self, app, client, people):
        client.login("coach@example.com", PASSWORD)
        for _ in range(10):
            change(client, current="a wrong guess, long enough")
        refused = change(client)
        assert refused.status_code == 422
        assert "Too many failed log-ins" in refused.get_data(as_text=True)
        assert user(app, "coach@example.com").session_version == 1
