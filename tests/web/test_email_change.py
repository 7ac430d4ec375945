"""Changing your email: the password first, then a link to the new address makes the change."""

import re
from datetime import timedelta

import pytest
import sqlalchemy as sa

from tests.support.factories import (
    PASSWORD,
    make_client,
    make_client_user,
    make_coach,
    make_program,
)
from tests.support.queued import emails_to
from webapp.extensions import db
from webapp.models import Client, EmailChange, OutboxMessage, User
from webapp.services.tokens import hash_token

OLD, NEW = "ana@example.com", "ana.lima@example.com"
LINK = re.compile(r"http://[^/\s]+(/account/email/confirm/[A-Za-z0-9_-]+)")


@pytest.fixture
def ana(app):
    with app.app_context():
        return make_client_user(email=OLD, name="Ana Lima").id


def ask(client, email=NEW, password=PASSWORD):
    return client.post(
        "/account/email", data={"change-email": email, "change-current_password": password}
    )


def link_in_last_email(app, address=NEW):
    return LINK.search(emails_to(app, address)[-1].body).group(1)


def email_of(app, user_id):
    with app.app_context():
        return db.session.get(User, user_id).email


def changes(app):
    with app.app_context():
        return db.session.scalars(sa.select(EmailChange).order_by(EmailChange.id)).all()


def logs_in(app, email):
    response = app.test_client().post("/login", data={"email": email, "password": PASSWORD})
    return response.status_code == 302


def field_error(html, field):
    match = re.search(rf'id="change-{field}-error">([^<]*)<', html)
    return match.group(1) if match else None


class TestAsking:
    def test_the_new_address_gets_a_link_and_nothing_changes_yet(self, app, client, ana):
        client.login(OLD, PASSWORD)
        response = ask(client, " Ana.Lima@Example.com ")
        assert response.status_code == 303
        page = client.get("/account").get_data(as_text=True)
        assert f"We sent a link to {NEW}" in page and f"until then you log in with {OLD}" in page
        assert 'id="email-waiting"' in page and f"<strong>{NEW}</strong>" in page
        [message] = emails_to(app, NEW)
        assert message.subject == "Confirm your new OnDeck email address"
        assert "Hello Ana Lima" in message.body and "24 hours" in message.body
        token = link_in_last_email(app).rsplit("/", 1)[1]
        [stored] = changes(app)
        assert stored.token_hash == hash_token(token) != token
        assert (stored.new_email, stored.used_at) == (NEW, None)
        assert stored.expires_at - stored.created_at == timedelta(hours=24)
        assert email_of(app, ana) == OLD and logs_in(app, OLD) and not logs_in(app, NEW)

    @pytest.mark.parametrize(
        ("email", "password", "field", "message"),
        [
            (NEW, "not my password at all", "current_password", "not your current password"),
            (NEW, "", "current_password", "Enter your password"),
            (OLD, PASSWORD, "email", "already your email address"),
            ("not-an-email", PASSWORD, "email", "valid email"),
            ("", PASSWORD, "email", "Enter an email address"),
        ],
    )
    def test_bad_input_is_named_by_its_field_and_sends_nothing(
        self, app, client, ana, email, password, field, message
    ):
        client.login(OLD, PASSWORD)
        response = ask(client, email, password)
        assert response.status_code == 422
        assert message in (field_error(response.get_data(as_text=True), field) or "")
        assert changes(app) == []
        with app.app_context():
            assert db.session.scalar(sa.select(sa.func.count(OutboxMessage.id))) == 0

    def test_an_address_with_an_account_is_told_so_in_its_inbox_only(self, app, client, ana):
        with app.app_context():
            taken = make_coach(email=NEW, name="Someone Else").id
        client.login(OLD, PASSWORD)
        assert ask(client).status_code == 303
        # The page answers as for any address, so it cannot be used to find accounts.
        assert f"We sent a link to {NEW}" in client.get("/account").get_data(as_text=True)
        [note] = emails_to(app, NEW)
        assert "already belongs to an OnDeck account" in note.body
        assert not LINK.search(note.body) and "Ana Lima" not in note.body
        assert changes(app) == []
        assert (email_of(app, ana), email_of(app, taken)) == (OLD, NEW)

    def test_three_requests_an_hour(self, app, client, ana):
        client.login(OLD, PASSWORD)
        for n in range(3):
            assert ask(client, f"ana{n}@example.com").status_code == 303
        response = ask(client, "ana3@example.com")
        assert response.status_code == 422
        assert "Wait an hour" in field_error(response.get_data(as_text=True), "email")
        assert emails_to(app, "ana3@example.com") == []
        # Each newer request made the one before it dead.
        assert [c.used_at is None for c in changes(app)] == [False, False, True]

    def test_logged_out_visitors_are_sent_to_log_in(self, app, client, ana):
        response = ask(client)
        assert response.status_code == 302 and "/login" in response.headers["Location"]
        assert changes(app) == []


class TestConfirming:
    def test_opening_the_link_makes_the_change_and_tells_the_old_address(self, app, client, ana):
        client.login(OLD, PASSWORD)
        ask(client)
        path = link_in_last_email(app)
        page = client.get(path).get_data(as_text=True)
        assert f"from <strong>{OLD}</strong> to" in page and f"<strong>{NEW}</strong>" in page
        # Opening the link (as a mail scanner would) changes nothing; the button does.
        assert email_of(app, ana) == OLD
        response = client.post(path)
        assert response.status_code == 303 and response.headers["Location"].endswith("/account")
        account = client.get("/account").get_data(as_text=True)
        assert f"Your email address is now {NEW}" in account
        assert f"You log in with <strong>{NEW}</strong>" in account
        assert 'id="email-waiting"' not in account
        assert email_of(app, ana) == NEW and logs_in(app, NEW) and not logs_in(app, OLD)
        [notice] = emails_to(app, OLD)
        assert notice.subject == "Your OnDeck email address was changed"
        assert f"from {OLD} to {NEW}" in notice.body

    def test_the_link_works_once(self, app, client, ana):
        client.login(OLD, PASSWORD)
        ask(client)
        path = link_in_last_email(app)
        client.post(path)
        again = client.post(path)
        assert again.status_code == 404
        assert "already been used" in again.get_data(as_text=True)
        assert len(emails_to(app, OLD)) == 1

    def test_it_works_from_a_browser_that_is_not_logged_in(self, app, client, ana):
        # The inbox may be on another device: the link alone makes the change.
        client.login(OLD, PASSWORD)
        ask(client)
        fresh = app.test_client()
        response = fresh.post(link_in_last_email(app))
        assert response.status_code == 303 and response.headers["Location"].endswith("/login")
        assert f"Your email address is now {NEW}" in fresh.get("/login").get_data(as_text=True)
        assert email_of(app, ana) == NEW

    def test_someone_else_logged_in_here_stays_logged_in_as_themselves(self, app, client, ana):
        client.login(OLD, PASSWORD)
        ask(client)
        with app.app_context():
            make_coach(email="coach@example.com", name="Casey Coach")
        other = app.test_client()
        other.login("coach@example.com", PASSWORD)
        response = other.post(link_in_last_email(app))
        assert response.status_code == 303 and response.headers["Location"].endswith("/")
        assert email_of(app, ana) == NEW
        account = other.get("/account").get_data(as_text=True)
        assert "You log in with <strong>coach@example.com</strong>" in account

    def test_an_older_link_dies_when_a_newer_one_is_sent(self, app, client, ana):
        client.login(OLD, PASSWORD)
        ask(client, "first@example.com")
        first = link_in_last_email(app, "first@example.com")
        ask(client)
        response = client.post(first)
        assert response.status_code == 404 and "newer one was sent" in response.get_data(
            as_text=True
        )
        assert client.post(link_in_last_email(app)).status_code == 303
        assert email_of(app, ana) == NEW

    def test_cancelling_kills_the_link(self, app, client, ana):
        client.login(OLD, PASSWORD)
        ask(client)
        response = client.post("/account/email/cancel")
        assert response.status_code == 303
        page = client.get("/account").get_data(as_text=True)
        assert "The email change is cancelled" in page and 'id="email-waiting"' not in page
        assert client.post(link_in_last_email(app)).status_code == 404
        assert email_of(app, ana) == OLD

    def test_an_expired_link_is_refused(self, app, client, ana):
        client.login(OLD, PASSWORD)
        ask(client)
        with app.app_context():
            db.session.execute(sa.update(EmailChange).values(expires_at=EmailChange.created_at))
            db.session.commit()
        response = client.get(link_in_last_email(app))
        assert response.status_code == 404 and "expired" in response.get_data(as_text=True)
        assert client.post(link_in_last_email(app)).status_code == 404
        assert email_of(app, ana) == OLD

    @pytest.mark.parametrize("token", ["x", "a" * 43, "not a token!"])
    def test_a_made_up_link_is_refused(self, client, token):
        response = client.get(f"/account/email/confirm/{token}")
        assert response.status_code == 404
        assert "This link is not valid" in response.get_data(as_text=True)

    def test_an_address_taken_after_the_link_was_sent_is_refused(self, app, client, ana):
        client.login(OLD, PASSWORD)
        ask(client)
        with app.app_context():
            make_coach(email=NEW, name="Quicker")
        response = client.post(link_in_last_email(app))
        assert response.status_code == 404
        assert "belongs to another OnDeck account" in response.get_data(as_text=True)
        assert email_of(app, ana) == OLD and emails_to(app, OLD) == []


def test_coaches_see_the_new_address_on_their_client_lists(app, client, ana):
    with app.app_context():
        coach = make_coach(email="coach@example.com")
        gym, run, swim = (make_program(coach, name=n) for n in ("Gym", "Run", "Swim"))
        user = db.session.get(User, ana)
        make_client(gym, user=user)
        make_client(run, user=user)
        # Swim lists the new address already, on a row the coach added by hand.
        make_client(swim, user=user)
        make_client(swim, email=NEW, name="Typed by hand", state="pending")
        ids = {p.name: p.id for p in (gym, run, swim)}
    client.login(OLD, PASSWORD)
    ask(client)
    client.post(link_in_last_email(app))
    with app.app_context():
        rows = db.session.execute(sa.select(Client.program_id, Client.name, Client.email)).all()
    assert sorted(tuple(row) for row in rows) == sorted(
        [
            (ids["Gym"], "Ana Lima", NEW),
            (ids["Run"], "Ana Lima", NEW),
            (ids["Swim"], "Ana Lima", OLD),
            (ids["Swim"], "Typed by hand", NEW),
        ]
    )
    coach_view = app.test_client()
    coach_view.post("/login", data={"email": "coach@example.com", "password": PASSWORD})
    active = coach_view.get(f"/programs/{ids['Gym']}/active").get_data(as_text=True)
    assert NEW in active and OLD not in active
