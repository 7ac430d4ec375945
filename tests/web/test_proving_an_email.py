"""Spec: an account proves it owns its address before it is joined to anything addressed to it.

A sign-up with a password (coach sign-up, join link) makes no account until the link mailed to
the address is opened and the same password given again. An emailed invitation's token was
mailed to the address, so accepting it makes the account at once.
"""

import pytest
import sqlalchemy as sa

from tests.support.factories import PASSWORD, make_client_user
from tests.web.invites_support import clients_in, coach_with_program, invitations
from tests.web.signup_support import (
    NEW_PASSWORD,
    STRANGER_PASSWORD,
    confirm,
    confirmation_tokens,
    mails_to,
    users,
    write_entry,
)
from tests.web.test_invitations import email_invitation, manual_invitation
from tests.web.test_join import JOIN_URL, join_data
from webapp.extensions import db
from webapp.models import Client

PRIVATE = "Tempo run: 5 x 1 km (private to Ana)"


@pytest.fixture
def program(app, client):
    _, program = coach_with_program(app)
    client.login("coach@example.com", PASSWORD)
    client.post(f"/programs/{program.id}/join-link/regenerate")
    return program


@pytest.fixture
def join_token(client, program):
    return JOIN_URL.search(client.get(f"/programs/{program.id}").text).group(1)


@pytest.fixture
def stranger(app):
    return app.test_client()


def pending_ana_with_training(app, client, program):
    """Ana added by Manual Invite, a private entry written, her formal invitation sent."""
    pending, invitation_token = manual_invitation(app, client, program)
    write_entry(app, pending.id, PRIVATE)
    return pending, invitation_token


def stranger_joins_as(stranger, join_token, email):
    return stranger.post(
        f"/join/{join_token}", data=join_data(email=email, password=STRANGER_PASSWORD)
    )


def assert_stranger_got_nothing(app, stranger, pending):
    assert pending.email not in [u.email for u in users(app)]
    [row] = [c for c in clients_in(app, pending.program_id) if c.id == pending.id]
    assert (row.user_id, row.state) == (None, "pending")
    for path in (f"/my/calendar/{pending.id}", "/me", f"/my/welcome/{pending.id}"):
        assert PRIVATE not in stranger.get(path, follow_redirects=True).text


class TestJoinLink:
    def test_a_stranger_who_signs_up_with_a_pending_clients_email_sees_none_of_their_entries(
        self, app, client, program, join_token, stranger
    ):
        pending, _ = pending_ana_with_training(app, client, program)
        response = stranger_joins_as(stranger, join_token, "ana@example.com")
        assert "Check your email" in response.text
        assert_stranger_got_nothing(app, stranger, pending)
        # Her formal invitation is still out: nothing was revoked.
        [invitation] = invitations(app)
        assert invitation.revoked_at is None and invitation.accepted_at is None

    def test_the_owner_joins_by_link_after_a_strangers_sign_up_with_her_own_password(
        self, app, client, program, join_token, stranger
    ):
        pending, _ = pending_ana_with_training(app, client, program)
        stranger_joins_as(stranger, join_token, "ana@example.com")
        client.logout()
        client.post(f"/join/{join_token}", data=join_data(email="ana@example.com"))
        strangers_link, own_link = confirmation_tokens(app, "ana@example.com")
        # The stranger's link needs the stranger's password: the owner cannot confirm it
        # by mistake with hers.
        refused = confirm(client, strangers_link, NEW_PASSWORD)
        assert refused.status_code == 422 and "not the password" in refused.text
        assert users(app)[-1].email != "ana@example.com"
        response = confirm(client, own_link)
        assert response.status_code == 303
        assert response.headers["Location"] == f"/my/welcome/{pending.id}"
        [ana] = [c for c in clients_in(app, program.id) if c.id == pending.id]
        assert (ana.state, ana.method) == ("active", "link")
        assert PRIVATE in client.get(f"/my/calendar/{pending.id}").text
        client.logout()
        client.login("ana@example.com", NEW_PASSWORD)
        # The first confirmed sign-up wins; the stranger's link is dead even with the
        # stranger's password.
        late = confirm(stranger, strangers_link, STRANGER_PASSWORD)
        assert late.status_code == 409 and "already has an account" in late.text
        assert [u.email for u in users(app)].count("ana@example.com") == 1
        login = {"email": "ana@example.com", "password": STRANGER_PASSWORD}
        assert stranger.post("/login", data=login).status_code == 422

    def test_a_new_visitor_confirms_by_email_and_is_active(self, app, client, program, join_token):
        client.logout()
        response = client.post(f"/join/{join_token}", data=join_data())
        assert response.status_code == 200 and "Check your email" in response.text
        assert "zoe@example.com" in response.text
        assert clients_in(app, program.id) == [] and len(users(app)) == 1
        [token] = confirmation_tokens(app, "zoe@example.com")
        [mail] = mails_to(app, "zoe@example.com")
        assert "1-2-1 Coaching" in mail.body
        page = client.get(f"/signup/confirm/{token}")
        assert page.status_code == 200 and "zoe@example.com" in page.text
        assert 'name="password"' in page.text
        assert len(users(app)) == 1  # opening the link changes nothing
        response = confirm(client, token)
        [zoe] = clients_in(app, program.id)
        assert response.headers["Location"] == f"/my/welcome/{zoe.id}"
        assert (zoe.email, zoe.state, zoe.method) == ("zoe@example.com", "active", "link")
        assert zoe.waiver_accepted_at is not None
        assert "Welcome!" in client.get(response.headers["Location"]).text
        assert confirm(client, token).status_code in (403, 409, 410)

    def test_an_email_with_an_account_gets_the_same_answer_and_a_note_in_its_inbox(
        self, app, client, program, join_token, stranger
    ):
        with app.app_context():
            make_client_user(email="zoe@example.com")
        response = stranger.post(f"/join/{join_token}", data=join_data())
        assert response.status_code == 200 and "Check your email" in response.text
        [note] = mails_to(app, "zoe@example.com")
        assert "log in" in note.body.lower() and "reset" in note.body.lower()
        assert confirmation_tokens(app, "zoe@example.com") == []
        assert clients_in(app, program.id) == []

    def test_a_link_turned_off_before_confirming_makes_the_account_without_joining(
        self, app, client, program, join_token, stranger
    ):
        stranger.post(f"/join/{join_token}", data=join_data())
        client.post(f"/programs/{program.id}/join-link/off")
        [token] = confirmation_tokens(app, "zoe@example.com")
        response = confirm(stranger, token)
        home = stranger.get(response.headers["Location"]).text
        assert "did not join 1-2-1 Coaching" in home and "turned off" in home
        assert [u.email for u in users(app)][-1] == "zoe@example.com"
        assert clients_in(app, program.id) == []


class TestEmailInvitation:
    def test_a_stranger_who_signs_up_with_an_invited_email_revokes_nothing(
        self, app, client, program, join_token, stranger
    ):
        email_invitation(app, client, program)
        stranger_joins_as(stranger, join_token, "bo@example.com")
        stranger.post(
            "/signup",
            data={**join_data(email="bo@example.com"), "password": STRANGER_PASSWORD},
        )
        assert "bo@example.com" not in [u.email for u in users(app)]
        assert clients_in(app, program.id) == []
        [invitation] = invitations(app)
        assert invitation.revoked_at is None and invitation.accepted_at is None

    def test_the_owner_accepts_the_invitation_at_once_and_the_strangers_link_dies(
        self, app, client, program, join_token, stranger
    ):
        token = email_invitation(app, client, program)
        stranger_joins_as(stranger, join_token, "bo@example.com")
        client.logout()
        response = client.post(
            f"/invitation/{token}",
            data={"name": "Bo", "password": NEW_PASSWORD, "time_zone": "UTC", "waiver": "y"},
        )
        assert response.status_code == 303
        [bo] = clients_in(app, program.id)
        assert (bo.email, bo.state, bo.method) == ("bo@example.com", "active", "email")
        [strangers_link] = confirmation_tokens(app, "bo@example.com")
        late = confirm(stranger, strangers_link, STRANGER_PASSWORD)
        assert late.status_code == 409 and "already has an account" in late.text
        assert [u.email for u in users(app)].count("bo@example.com") == 1


class TestManualThenFormalInvitation:
    def test_a_strangers_coach_sign_up_with_a_pending_email_gets_nothing(
        self, app, client, program, stranger
    ):
        pending, _ = pending_ana_with_training(app, client, program)
        response = stranger.post(
            "/signup",
            data={
                "name": "Eve",
                "email": "ana@example.com",
                "password": STRANGER_PASSWORD,
                "time_zone": "UTC",
            },
        )
        assert "Check your email" in response.text
        assert_stranger_got_nothing(app, stranger, pending)

    def test_the_owner_accepts_her_formal_invitation_after_a_strangers_sign_up(
        self, app, client, program, join_token, stranger
    ):
        pending, invitation_token = pending_ana_with_training(app, client, program)
        stranger_joins_as(stranger, join_token, "ana@example.com")
        client.logout()
        response = client.post(
            f"/invitation/{invitation_token}",
            data={"name": "Ana", "password": NEW_PASSWORD, "time_zone": "UTC", "waiver": "y"},
        )
        assert response.headers["Location"] == f"/my/welcome/{pending.id}"
        assert PRIVATE in client.get(f"/my/calendar/{pending.id}").text
        assert PRIVATE not in stranger.get(f"/my/calendar/{pending.id}", follow_redirects=True).text
        [strangers_link] = confirmation_tokens(app, "ana@example.com")
        assert confirm(stranger, strangers_link, STRANGER_PASSWORD).status_code == 409
        with app.app_context():
            assert db.session.scalar(sa.select(sa.func.count()).select_from(Client)) == 1


class TestCoachSignup:
    def test_a_coach_account_is_made_only_when_the_emailed_link_is_confirmed(self, app, client):
        data = {
            "name": "Casey Coach",
            "email": "Casey@Example.com",
            "password": NEW_PASSWORD,
            "time_zone": "Europe/London",
        }
        response = client.post("/signup", data=data)
        assert response.status_code == 200 and "Check your email" in response.text
        assert users(app) == []
        [token] = confirmation_tokens(app, "casey@example.com")
        # With mail captured in development, the page shows the email it wrote, link included.
        assert 'id="captured-mail-note"' in response.text
        assert f"/signup/confirm/{token}" in response.text
        response = confirm(client, token)
        assert response.status_code == 303
        assert "Create your first program" in client.get(response.headers["Location"]).text
        [casey] = users(app)
        assert (casey.email, casey.role, casey.name) == (
            "casey@example.com",
            "coach",
            "Casey Coach",
        )


class TestSignupMail:
    def test_the_confirmation_email_has_its_link_as_a_button_in_an_html_part(
        self, app, client, program, join_token
    ):
        client.logout()
        client.post(f"/join/{join_token}", data=join_data(name="Zoe <b>Z</b>"))
        [token] = confirmation_tokens(app, "zoe@example.com")
        [mail] = mails_to(app, "zoe@example.com")
        assert f'href="http://localhost/signup/confirm/{token}"' in mail.html_body
        assert "Finish signing up" in mail.html_body
        assert "Zoe &lt;b&gt;Z&lt;/b&gt;" in mail.html_body

    def test_a_sign_up_for_a_taken_address_mails_the_owner_buttons_to_log_in_or_reset(
        self, app, client, program, join_token
    ):
        with app.app_context():
            make_client_user(email="zoe@example.com")
        client.logout()
        client.post(f"/join/{join_token}", data=join_data())
        [mail] = mails_to(app, "zoe@example.com")
        assert "already has an OnDeck account" in mail.body
        assert 'href="http://localhost/login"' in mail.html_body
        assert 'href="http://localhost/password/forgot"' in mail.html_body


def test_with_mail_sent_by_smtp_the_sign_up_page_shows_no_email(app, client):
    app.config["MAIL_SERVER"] = "smtp.example.com"
    data = {"name": "Casey", "email": "casey@example.com", "password": NEW_PASSWORD}
    response = client.post("/signup", data={**data, "time_zone": "Europe/London"})
    assert "Check your email" in response.text
    assert 'id="captured-mail-note"' not in response.text
    assert "/signup/confirm/" not in response.text


def test_every_email_template_has_an_html_twin():
    import pathlib

    folder = pathlib.Path(__file__).parents[2] / "webapp" / "templates" / "emails"
    texts = {p.stem for p in folder.glob("*.txt")}
    htmls = {p.stem for p in folder.glob("*.html") if not p.stem.startswith("_")}
    assert texts and texts == htmls
