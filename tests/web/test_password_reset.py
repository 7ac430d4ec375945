"""Forgotten passwords: an emailed single-use link, then a new password."""

import re
from datetime import timedelta

import pytest
import sqlalchemy as sa

from tests.support.factories import PASSWORD, make_coach
from tests.support.queued import emails_to
from webapp import clock
from webapp.extensions import db
from webapp.models import OutboxMessage, PasswordReset, User
from webapp.services.tokens import hash_token

NEW_PASSWORD = "a brand new passphrase"
LINK = re.compile(r"http://[^/\s]+(/password/reset/[A-Za-z0-9_-]+)")


@pytest.fixture
def coach(app):
    with app.app_context():
        return make_coach(email="coach@example.com", name="Casey Coach")


def ask_for_link(client, email="coach@example.com"):
    return client.post("/password/forgot", data={"email": email})


def reset_path(app, address="coach@example.com"):
    return LINK.search(emails_to(app, address)[-1].body).group(1)


def choose(client, path, password=NEW_PASSWORD, confirm=None):
    return client.post(path, data={"password": password, "confirm": confirm or password})


def link_is_dead(app, path) -> bool:
    """Someone else holding the link can no longer choose a password with it."""
    refused = choose(app.test_client(), path, password="a thief's long password")
    return refused.status_code == 404 and "already been used" in refused.get_data(as_text=True)


def can_log_in(app, password):
    other = app.test_client()
    response = other.post("/login", data={"email": "coach@example.com", "password": password})
    return response.status_code == 302


class TestAskingForALink:
    def test_the_login_page_offers_it(self, client):
        html = client.get("/login").get_data(as_text=True)
        assert 'href="/password/forgot"' in html

    def test_a_known_email_gets_one_link_and_only_its_hash_is_stored(self, app, client, coach):
        html = ask_for_link(client, " Coach@Example.com ").get_data(as_text=True)
        assert "Check your email" in html
        [message] = emails_to(app, "coach@example.com")
        assert message.subject == "Reset your OnDeck password"
        assert "Hello Casey Coach" in message.body and "60 minutes" in message.body
        token = reset_path(app).rsplit("/", 1)[1]
        with app.app_context():
            [stored] = db.session.scalars(sa.select(PasswordReset)).all()
            assert stored.token_hash == hash_token(token) != token
            assert stored.expires_at - stored.created_at == timedelta(hours=1)

    def test_an_unknown_email_gets_the_same_answer_and_nothing_is_written(self, app, client):
        html = ask_for_link(client, "nobody@example.com").get_data(as_text=True)
        assert "Check your email" in html and "nobody@example.com" in html
        with app.app_context():
            assert db.session.scalar(sa.select(sa.func.count()).select_from(OutboxMessage)) == 0
            assert db.session.scalar(sa.select(sa.func.count()).select_from(PasswordReset)) == 0

    def test_a_malformed_email_is_shown_by_the_field(self, app, client):
        response = ask_for_link(client, "not-an-email")
        assert response.status_code == 422
        assert re.search(r'id="email-error">[^<]*valid email', response.get_data(as_text=True))

    def test_one_account_is_sent_at_most_three_links_an_hour(self, app, client, coach):
        answers = [ask_for_link(client).get_data(as_text=True) for _ in range(5)]
        assert all("Check your email" in html for html in answers)
        assert len(emails_to(app, "coach@example.com")) == 3


class TestChoosingANewPassword:
    def test_the_link_sets_the_password_and_logs_in(self, app, client, coach):
        ask_for_link(client)
        path = reset_path(app)
        assert "Choose a new password" in client.get(path).get_data(as_text=True)
        response = choose(client, path)
        assert response.status_code == 302
        html = client.get(response.headers["Location"]).get_data(as_text=True)
        assert "Your password is changed" in html
        assert can_log_in(app, NEW_PASSWORD)
        assert not can_log_in(app, PASSWORD)

    def test_every_other_session_is_logged_out(self, app, client, coach):
        elsewhere = app.test_client()
        elsewhere.post("/login", data={"email": "coach@example.com", "password": PASSWORD})
        assert elsewhere.get("/programs/").status_code == 200
        ask_for_link(client)
        choose(client, reset_path(app))
        assert "/login" in elsewhere.get("/programs/").headers["Location"]

    def test_a_used_link_is_refused_and_changes_nothing(self, app, client, coach):
        ask_for_link(client)
        path = reset_path(app)
        choose(client, path)
        again = choose(app.test_client(), path, password="a thief's long password")
        assert again.status_code == 404
        assert "already been used" in again.get_data(as_text=True)
        assert can_log_in(app, NEW_PASSWORD)

    def test_an_expired_link_is_refused_and_changes_nothing(self, app, client, coach):
        ask_for_link(client)
        path = reset_path(app)
        with app.app_context():
            reset = db.session.scalar(sa.select(PasswordReset))
            reset.expires_at = clock.now() - timedelta(seconds=1)
            db.session.commit()
        for response in (client.get(path), choose(client, path)):
            assert response.status_code == 404
            html = response.get_data(as_text=True)
            assert "expired" in html and 'href="/password/forgot"' in html
        assert can_log_in(app, PASSWORD)

    def test_a_newer_link_replaces_the_older_one(self, app, client, coach):
        ask_for_link(client)
        first = reset_path(app)
        ask_for_link(client)
        second = reset_path(app)
        assert first != second
        assert choose(client, first).status_code == 404
        assert choose(client, second).status_code == 302
        assert can_log_in(app, NEW_PASSWORD)

    def test_changing_the_password_kills_a_link_sent_before(self, app, client, coach):
        ask_for_link(client)
        path = reset_path(app)
        client.login("coach@example.com", PASSWORD)
        client.post(
            "/account/password",
            data={"current_password": PASSWORD, "password": NEW_PASSWORD, "confirm": NEW_PASSWORD},
        )
        assert link_is_dead(app, path)
        assert can_log_in(app, NEW_PASSWORD)

    def test_changing_the_email_kills_a_link_sent_to_the_old_address(self, app, client, coach):
        ask_for_link(client)
        path = reset_path(app)
        client.login("coach@example.com", PASSWORD)
        client.post(
            "/account/email",
            data={"change-email": "casey@example.com", "change-current_password": PASSWORD},
        )
        confirm = re.search(
            r"/account/email/confirm/[A-Za-z0-9_-]+", emails_to(app, "casey@example.com")[-1].body
        ).group(0)
        client.post(confirm)
        assert link_is_dead(app, path)
        with app.app_context():
            user = db.session.scalar(sa.select(User))
            assert user.email == "casey@example.com" and user.check_password(PASSWORD)

    @pytest.mark.parametrize("token", ["x" * 43, "short", "a" * 500, "not%20a%20token" * 3])
    def test_an_unknown_or_tampered_token_is_not_found(self, client, coach, token):
        response = client.get(f"/password/reset/{token}")
        assert response.status_code == 404
        assert "not valid" in response.get_data(as_text=True)

    @pytest.mark.parametrize(
        ("password", "confirm", "field", "message"),
        [
            ("short", "short", "password", "at least 12 characters"),
            (NEW_PASSWORD, "something else entirely", "confirm", "not the same"),
            ("coach@example.com", "coach@example.com", "password", "cannot be your email"),
        ],
    )
    def test_a_refused_password_is_shown_by_the_field_and_the_link_still_works(
        self, app, client, coach, password, confirm, field, message
    ):
        ask_for_link(client)
        path = reset_path(app)
        response = choose(client, path, password=password, confirm=confirm)
        assert response.status_code == 422
        assert re.search(rf'id="{field}-error">[^<]*{message}', response.get_data(as_text=True))
        assert can_log_in(app, PASSWORD)
        with app.app_context():
            assert db.session.scalar(sa.select(PasswordReset.used_at)) is None
        assert choose(client, path).status_code == 302

    def test_the_reset_posts_need_the_csrf_token(self, app, client, coach):
        ask_for_link(client)
        path = reset_path(app)
        refused = client.post(
            path, data={"password": NEW_PASSWORD, "confirm": NEW_PASSWORD}, csrf=False
        )
        assert refused.status_code == 400
        assert can_log_in(app, PASSWORD)
        with app.app_context():
            assert db.session.scalar(sa.select(User.session_version)) == 1
