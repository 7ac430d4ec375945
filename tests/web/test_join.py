"""A program's join link, its embeddable widget, and the coach's controls."""

import re
from datetime import date

import pytest
import sqlalchemy as sa

from tests.support.factories import PASSWORD, make_client, make_client_user, make_coach
from tests.web.invites_support import clients_in, coach_with_program, invitations, snapshot
from tests.web.signup_support import join_and_confirm, mails_to
from webapp.extensions import db
from webapp.models import Program

JOIN_URL = re.compile(r'id="join-url"[^>]*value="http://localhost/join/([A-Za-z0-9_-]+)"')


def join_data(email="zoe@example.com", **extra):
    return {
        "name": "Zoe",
        "email": email,
        "password": "a long enough password",
        "time_zone": "Europe/London",
        "waiver": "y",
        **extra,
    }


@pytest.fixture
def program(app, client):
    _, program = coach_with_program(app)
    client.login("coach@example.com", PASSWORD)
    client.post(f"/programs/{program.id}/join-link/regenerate")
    return program


@pytest.fixture
def token(client, program):
    html = client.get(f"/programs/{program.id}").get_data(as_text=True)
    return JOIN_URL.search(html).group(1)


class TestCoachPanel:
    def test_the_program_page_shows_the_link_and_two_snippets(self, app, client, program, token):
        html = client.get(f"/programs/{program.id}").get_data(as_text=True)
        assert 'data-copy="#join-url"' in html
        assert (
            f"&lt;a href=&#34;http://localhost/join/{token}&#34; target=&#34;_blank&#34; "
            "rel=&#34;noopener&#34;&gt;Join 1-2-1 Coaching&lt;/a&gt;" in html
        )
        assert f"&lt;iframe src=&#34;http://localhost/join/{token}/widget&#34;" in html
        with app.app_context():
            stored = db.session.get(Program, program.id)
            assert token not in (stored.join_token_hash, stored.join_salt)

    def test_publishing_a_program_makes_its_join_link(self, app, client, program):
        with app.app_context():
            coach_id = program.coach_id
            draft = Program(
                coach_id=coach_id,
                name="Fresh",
                price_minor=100,
                currency="GBP",
                billing_period="month",
                status="draft",
            )
            db.session.add(draft)
            db.session.commit()
            draft_id = draft.id
        client.post(f"/programs/{draft_id}/publish")
        assert JOIN_URL.search(client.get(f"/programs/{draft_id}").get_data(as_text=True))

    def test_regenerating_kills_the_old_link(self, app, client, program, token):
        response = client.hx_post(f"/programs/{program.id}/join-link/regenerate")
        fragment = response.get_data(as_text=True)
        assert "<html" not in fragment and 'id="join-panel"' in fragment
        assert "The old link no longer works" in fragment
        new_token = JOIN_URL.search(fragment).group(1)
        assert new_token != token
        client.logout()
        dead = client.get(f"/join/{token}")
        assert dead.status_code == 404
        assert "join link does not work" in dead.get_data(as_text=True)
        assert client.get(f"/join/{token}/widget").status_code == 404
        assert client.get(f"/join/{new_token}").status_code == 200

    def test_turning_off_then_on(self, app, client, program, token):
        html = client.post(f"/programs/{program.id}/join-link/off", follow_redirects=True).text
        assert "Join link turned off" in html and 'id="join-off"' in html
        client.logout()
        before = snapshot(app)
        assert client.get(f"/join/{token}").status_code == 404
        assert client.post(f"/join/{token}", data=join_data()).status_code == 404
        assert snapshot(app) == before
        client.login("coach@example.com", PASSWORD)
        client.post(f"/programs/{program.id}/join-link/on")
        client.logout()
        assert client.get(f"/join/{token}").status_code == 200


class TestJoining:
    def test_a_visitor_signs_up_accepts_the_waiver_and_is_active(self, app, client, token):
        client.logout()
        page = client.get(f"/join/{token}").get_data(as_text=True)
        assert "1-2-1 Coaching" in page and "£200.00" in page and "I am fit to train." in page
        assert f"/login?next=/join/{token}" in page or "next=%2Fjoin%2F" in page
        response = join_and_confirm(app, client, token, join_data())
        assert response.status_code == 303
        [zoe] = clients_in(app, 1)
        assert (zoe.email, zoe.state, zoe.method) == ("zoe@example.com", "active", "link")
        assert zoe.start_date == date.today() and zoe.waiver_accepted_at
        assert response.headers["Location"] == f"/my/welcome/{zoe.id}"
        assert "Welcome!" in client.get(response.headers["Location"]).get_data(as_text=True)

    def test_a_logged_in_client_joins_with_the_waiver_only(self, app, client, token):
        with app.app_context():
            make_client_user(email="zoe@example.com")
        client.logout()
        client.login("zoe@example.com", PASSWORD)
        page = client.get(f"/join/{token}").get_data(as_text=True)
        assert "logged in as zoe@example.com" in page and "Choose a password" not in page
        assert client.post(f"/join/{token}", data={"waiver": "y"}).status_code == 303
        assert clients_in(app, 1)[0].state == "active"
        again = client.get(f"/join/{token}")
        assert again.status_code == 303 and "/my/welcome/" in again.headers["Location"]

    def test_a_pending_client_who_joins_by_link_keeps_their_calendar_row(
        self, app, client, program, token
    ):
        with app.app_context():
            pending = make_client(program, email="zoe@example.com", state="pending")
        client.logout()
        join_and_confirm(app, client, token, join_data())
        [zoe] = clients_in(app, program.id)
        assert (zoe.id, zoe.state) == (pending.id, "active")

    def test_a_pending_client_who_joins_by_link_is_listed_as_joined_by_link(
        self, app, client, program, token
    ):
        with app.app_context():
            make_client(program, email="zoe@example.com", state="pending")
        client.logout()
        join_and_confirm(app, client, token, join_data())
        [zoe] = clients_in(app, program.id)
        assert zoe.method == "link"
        client.logout()
        client.login("coach@example.com", PASSWORD)
        row = client.get(f"/programs/{program.id}/active").text
        assert re.search(rf'id="client-{zoe.id}">.*?Join link</td>', row, re.S)

    def test_an_email_with_an_account_is_told_to_log_in_by_email_only(self, app, client, token):
        with app.app_context():
            make_client_user(email="zoe@example.com")
        client.logout()
        before = snapshot(app)
        response = client.post(f"/join/{token}", data=join_data())
        assert response.status_code == 200 and "Check your email" in response.text
        [note] = mails_to(app, "zoe@example.com")
        assert "already has an OnDeck account" in note.body and "/login" in note.body
        after = snapshot(app)
        assert after["clients"] == before["clients"] and after["users"] == before["users"]

    def test_the_waiver_is_required(self, app, client, token):
        client.logout()
        response = client.post(f"/join/{token}", data=join_data(waiver=""))
        assert response.status_code == 422 and "Accept the waiver to join." in response.text
        assert clients_in(app, 1) == []

    def test_a_logged_in_coach_is_told_to_log_out(self, app, client, token):
        response = client.get(f"/join/{token}")
        assert response.status_code == 403
        assert "log out, then follow the link again" in response.get_data(as_text=True)
        assert client.post(f"/join/{token}", data={"waiver": "y"}).status_code == 403
        assert clients_in(app, 1) == []

    @pytest.mark.parametrize(("status", "code"), [("archived", 410), ("draft", 403)])
    def test_a_program_that_is_not_published_refuses_joins(
        self, app, client, program, token, status, code
    ):
        with app.app_context():
            db.session.execute(sa.update(Program).values(status=status))
            db.session.commit()
        client.logout()
        before = snapshot(app)
        for response in (
            client.get(f"/join/{token}"),
            client.post(f"/join/{token}", data=join_data()),
        ):
            assert response.status_code == code
            assert "not taking new clients" in response.get_data(as_text=True)
        assert snapshot(app) == before

    def test_join_posts_are_rate_limited(self, app, client, token, monkeypatch):
        from webapp.services import invitations as workflows

        monkeypatch.setattr(workflows, "PUBLIC_POST_LIMIT_PER_IP", 2)
        client.logout()
        for _ in range(2):
            client.post(f"/join/{token}", data=join_data(waiver=""))
        response = client.post(f"/join/{token}", data=join_data())
        assert response.status_code == 429 and clients_in(app, 1) == []


class TestWidget:
    def test_the_widget_shows_name_price_and_a_join_button_in_a_new_tab(self, client, token):
        client.logout()
        response = client.get(f"/join/{token}/widget")
        html = response.get_data(as_text=True)
        assert response.status_code == 200
        assert "1-2-1 Coaching" in html and "£200.00 per month" in html
        assert re.search(
            rf'<a class="button" href="/join/{token}" target="_blank" rel="noopener">Join</a>', html
        )
        assert "<form" not in html and "<script" not in html and "csrf" not in html

    def test_only_the_widget_may_be_framed(self, client, program, token):
        widget = client.get(f"/join/{token}/widget")
        assert "frame-ancestors *" in widget.headers["Content-Security-Policy"]
        assert "X-Frame-Options" not in widget.headers
        for path in (f"/join/{token}", f"/programs/{program.id}", f"/programs/{program.id}/active"):
            headers = client.get(path).headers
            assert "frame-ancestors 'none'" in headers["Content-Security-Policy"]
            assert headers["X-Frame-Options"] == "DENY"

    @pytest.mark.parametrize("logged_in", [False, True])
    def test_the_widget_sets_no_cookie(self, app, client, token, logged_in):
        if not logged_in:
            client.logout()
        client.get("/login")  # a session cookie exists already, as for a returning visitor
        response = client.get(f"/join/{token}/widget")
        assert response.status_code == 200
        assert "Set-Cookie" not in response.headers
        fresh = app.test_client()
        first_visit = fresh.get(f"/join/{token}/widget")
        assert "Set-Cookie" not in first_visit.headers

    def test_a_dead_widget_says_so_without_a_cookie(self, app, client, program, token):
        client.post(f"/programs/{program.id}/join-link/off")
        response = app.test_client().get(f"/join/{token}/widget")
        assert response.status_code == 404
        assert "no longer active" in response.get_data(as_text=True)
        assert "Set-Cookie" not in response.headers
        assert "frame-ancestors *" in response.headers["Content-Security-Policy"]


def test_another_coach_cannot_switch_my_join_link(app, client, program, token):
    with app.app_context():
        make_coach(email="other@example.com")
    client.logout()
    client.login("other@example.com", PASSWORD)
    for switch in ("off", "regenerate"):
        assert client.post(f"/programs/{program.id}/join-link/{switch}").status_code == 404
    client.logout()
    assert client.get(f"/join/{token}").status_code == 200


def test_joining_by_link_closes_an_invitation_still_out_for_that_email(app, client, program, token):
    client.post(
        f"/programs/{program.id}/clients/email",
        data={"invite-name": "Zoe", "invite-email": "zoe@example.com"},
    )
    client.logout()
    join_and_confirm(app, client, token, join_data())
    [invitation] = invitations(app)
    assert invitation.revoked_at is not None and invitation.accepted_at is None
    client.logout()
    client.login("coach@example.com", PASSWORD)
    listed = client.get(f"/programs/{program.id}/invitations").get_data(as_text=True)
    assert 'id="invitation-' not in listed and 'id="count-invitations">0<' in listed
