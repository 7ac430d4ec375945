"""Following an invitation: sign up or log in, accept the waiver, become Active."""

import threading
from datetime import date, timedelta

import pytest
import sqlalchemy as sa

from tests.support.client import CsrfClient
from tests.support.factories import PASSWORD, make_client, make_client_user, make_coach
from tests.web.invites_support import (
    clients_in,
    coach_with_program,
    invitations,
    last_invitation_token,
    snapshot,
)
from webapp import clock
from webapp.extensions import db
from webapp.models import CalendarEntry, Client, EntryMove, Invitation, Program, User

NEW_PASSWORD = "a long enough password"


def signup_data(**extra):
    return {"name": "Ana", "password": NEW_PASSWORD, "time_zone": "Europe/London", "waiver": "y"}


@pytest.fixture
def coach(app, auth):
    coach, program = coach_with_program(app)
    auth.login("coach@example.com")
    return program


def manual_invitation(app, client, program, email="ana@example.com", start=None):
    """A pending client (optionally with an older start date) sent their formal invitation."""
    client.post(
        f"/programs/{program.id}/clients/manual",
        data={"manual-name": "Ana", "manual-email": email},
    )
    [pending] = [c for c in clients_in(app, program.id) if c.email == email]
    if start:
        # Set by the coach, as on the calendar's settings form.
        settings = {"start_date": start.isoformat(), "horizon": "7"}
        client.post(f"/clients/{pending.id}/calendar/settings", data=settings)
    client.post(f"/clients/{pending.id}/invite")
    return pending, last_invitation_token(app, email)


def email_invitation(app, client, program, email="bo@example.com"):
    client.post(
        f"/programs/{program.id}/clients/email", data={"invite-name": "Bo", "invite-email": email}
    )
    return last_invitation_token(app, email)


class TestManualInvitation:
    def test_a_new_client_sets_a_password_accepts_and_is_active_keeping_the_row(
        self, app, client, coach
    ):
        written_from = date(2026, 1, 5)
        pending, token = manual_invitation(app, client, coach, start=written_from)
        client.logout()
        page = client.get(f"/invitation/{token}").get_data(as_text=True)
        assert "Create your account" in page and "I am fit to train." in page
        assert 'value="Ana"' in page  # the name the coach entered
        response = client.post(f"/invitation/{token}", data=signup_data())
        assert response.status_code == 303
        assert response.headers["Location"] == f"/my/welcome/{pending.id}"
        welcome = client.get(response.headers["Location"]).get_data(as_text=True)
        assert "Welcome!" in welcome and f'href="/my/calendar/{pending.id}"' in welcome
        [ana] = clients_in(app, coach.id)
        assert (ana.id, ana.state, ana.method) == (pending.id, "active", "manual")
        assert ana.start_date == written_from  # what the coach wrote stays where it was
        assert ana.activated_at and ana.waiver_accepted_at
        with app.app_context():
            user = db.session.get(User, ana.user_id)
            assert (user.email, user.role) == ("ana@example.com", "client")
        assert invitations(app)[0].accepted_at is not None
        home = client.get("/me").get_data(as_text=True)
        assert "1-2-1 Coaching" in home and f'href="/my/calendar/{ana.id}"' in home

    def test_the_waiver_must_be_accepted(self, app, client, coach):
        _, token = manual_invitation(app, client, coach)
        client.logout()
        before = snapshot(app)
        response = client.post(f"/invitation/{token}", data={**signup_data(), "waiver": ""})
        assert response.status_code == 422
        assert 'id="waiver-error">Accept the waiver to join.' in response.get_data(as_text=True)
        assert snapshot(app) == before

    def test_an_existing_client_account_logs_in_with_its_password(self, app, client, coach):
        with app.app_context():
            make_client_user(email="ana@example.com", name="Ana Account")
        pending, token = manual_invitation(app, client, coach)
        client.logout()
        page = client.get(f"/invitation/{token}").get_data(as_text=True)
        assert "Log in to accept" in page
        wrong = client.post(f"/invitation/{token}", data={"password": "nope", "waiver": "y"})
        assert wrong.status_code == 422
        assert "do not match" in wrong.get_data(as_text=True)
        assert clients_in(app, coach.id)[0].state == "pending"
        right = client.post(f"/invitation/{token}", data={"password": PASSWORD, "waiver": "y"})
        assert right.status_code == 303
        assert clients_in(app, coach.id)[0].state == "active"

    def test_a_logged_in_client_just_accepts(self, app, client, coach):
        with app.app_context():
            make_client_user(email="ana@example.com")
        _, token = manual_invitation(app, client, coach)
        client.logout()
        client.login("ana@example.com", PASSWORD)
        page = client.get(f"/invitation/{token}").get_data(as_text=True)
        assert "Accept and join" in page and "Choose a password" not in page
        assert client.post(f"/invitation/{token}", data={"waiver": "y"}).status_code == 303
        assert clients_in(app, coach.id)[0].state == "active"


class TestEmailInvitation:
    def test_accepting_makes_an_active_client_starting_today(self, app, client, coach):
        token = email_invitation(app, client, coach)
        client.logout()
        assert clients_in(app, coach.id) == []
        response = client.post(f"/invitation/{token}", data=signup_data())
        assert response.status_code == 303
        [bo] = clients_in(app, coach.id)
        assert (bo.email, bo.state, bo.method) == ("bo@example.com", "active", "email")
        assert bo.start_date == date.today()
        assert invitations(app)[0].client_id == bo.id


class TestRefusedTokens:
    @pytest.fixture
    def token(self, app, client, coach):
        token = email_invitation(app, client, coach)
        client.logout()
        return token

    def _refused(self, app, client, token, status, words):
        before = snapshot(app)
        for response in (
            client.get(f"/invitation/{token}"),
            client.post(f"/invitation/{token}", data=signup_data()),
        ):
            assert response.status_code == status
            assert words in response.get_data(as_text=True)
        assert snapshot(app) == before

    def test_an_expired_token(self, app, client, token):
        with app.app_context():
            db.session.execute(sa.update(Invitation).values(expires_at=clock.now()))
            db.session.commit()
        self._refused(app, client, token, 410, "has expired")

    def test_a_revoked_token(self, app, client, token):
        with app.app_context():
            db.session.execute(sa.update(Invitation).values(revoked_at=clock.now()))
            db.session.commit()
        self._refused(app, client, token, 410, "withdrawn by your coach")

    def test_a_reused_token(self, app, client, token):
        assert client.post(f"/invitation/{token}", data=signup_data()).status_code == 303
        client.logout()
        self._refused(app, client, token, 410, "already been used")

    def test_a_reused_token_points_a_logged_in_client_to_their_coaching(self, app, client, token):
        assert client.post(f"/invitation/{token}", data=signup_data()).status_code == 303
        for again in (client.get(f"/invitation/{token}"), client.post(f"/invitation/{token}")):
            assert again.status_code == 410 and "already been used" in again.text
            assert "Log in" not in again.text
            assert '<a class="button" href="/me">See your coaching</a>' in again.text

    @pytest.mark.parametrize("change", ["flip", "short", "junk"])
    def test_a_tampered_token(self, app, client, token, change):
        tampered = {
            "flip": token[:-1] + ("A" if token[-1] != "A" else "B"),
            "short": token[:10],
            "junk": "not a token; drop table",
        }[change]
        before = snapshot(app)
        response = client.get(f"/invitation/{tampered}")
        assert response.status_code == 404
        assert "invitation link is not valid" in response.get_data(as_text=True)
        assert client.post(f"/invitation/{tampered}", data=signup_data()).status_code == 404
        assert snapshot(app) == before

    def test_a_resent_invitations_old_token_is_dead(self, app, client, coach, token):
        client.login("coach@example.com", PASSWORD)
        [invitation] = invitations(app)
        client.post(f"/programs/{coach.id}/invitations/{invitation.id}/resend")
        client.logout()
        assert client.get(f"/invitation/{token}").status_code == 404
        fresh = last_invitation_token(app, "bo@example.com")
        assert client.get(f"/invitation/{fresh}").status_code == 200

    def test_an_archived_programs_invitation_is_refused(self, app, client, coach, token):
        with app.app_context():
            db.session.execute(sa.update(Program).values(status="archived"))
            db.session.commit()
        self._refused(app, client, token, 410, "archived")


class TestWhoMayAccept:
    def test_a_logged_in_coach_is_told_to_log_out_first(self, app, client, coach):
        _, token = manual_invitation(app, client, coach)
        before = snapshot(app)
        response = client.get(f"/invitation/{token}")
        assert response.status_code == 403
        html = response.get_data(as_text=True)
        assert "coach account" in html and "log out" in html and 'action="/logout"' in html
        assert client.post(f"/invitation/{token}", data={"waiver": "y"}).status_code == 403
        assert snapshot(app) == before

    def test_a_coach_accounts_email_cannot_accept(self, app, client, coach):
        with app.app_context():
            make_coach(email="alsocoach@example.com")
        _, token = manual_invitation(app, client, coach, email="alsocoach@example.com")
        client.logout()
        before = snapshot(app)
        response = client.get(f"/invitation/{token}")
        assert response.status_code == 403
        assert "belongs to a coach account" in response.get_data(as_text=True)
        response = client.post(f"/invitation/{token}", data={"password": PASSWORD, "waiver": "y"})
        assert response.status_code == 403
        assert snapshot(app) == before

    def test_another_client_account_cannot_accept_someone_elses_invitation(
        self, app, client, coach
    ):
        with app.app_context():
            make_client_user(email="eve@example.com")
        _, token = manual_invitation(app, client, coach)
        client.logout()
        client.login("eve@example.com", PASSWORD)
        before = snapshot(app)
        response = client.post(f"/invitation/{token}", data={"waiver": "y"})
        assert response.status_code == 403
        assert "sent to ana@example.com" in response.get_data(as_text=True)
        assert snapshot(app) == before


class TestStartDate:
    def test_a_manually_invited_client_starts_on_the_day_they_join(self, app, client, coach):
        pending, token = manual_invitation(app, client, coach)
        invited_on = date.today() - timedelta(days=10)
        with app.app_context():
            # Invited ten days ago; the coach never set a start date.
            db.session.execute(
                sa.update(Client).where(Client.id == pending.id).values(start_date=invited_on)
            )
            db.session.commit()
        hint = client.get(f"/clients/{pending.id}/calendar").text
        assert "the day they join" in hint
        client.logout()
        client.post(f"/invitation/{token}", data=signup_data())
        [ana] = clients_in(app, coach.id)
        assert ana.state == "active" and ana.start_date == date.today()

    def test_training_written_before_they_join_moves_with_their_start_and_keeps_its_week_day(
        self, app, client, coach
    ):
        pending, token = manual_invitation(app, client, coach)
        invited_on = date.today() - timedelta(days=10)
        with app.app_context():
            db.session.execute(
                sa.update(Client).where(Client.id == pending.id).values(start_date=invited_on)
            )
            for offset, title in ((0, "W1D1 squat"), (1, "W1D2 run"), (8, "W2D2 intervals")):
                db.session.add(
                    CalendarEntry(
                        client_id=pending.id,
                        on_date=invited_on + timedelta(days=offset),
                        title=title,
                    )
                )
            db.session.commit()
        client.logout()
        client.post(f"/invitation/{token}", data=signup_data())
        with app.app_context():
            written = db.session.execute(
                sa.select(CalendarEntry.title, CalendarEntry.on_date).order_by(
                    CalendarEntry.on_date
                )
            ).all()
            moves = db.session.scalars(sa.select(EntryMove)).all()
        today = date.today()
        assert written == [
            ("W1D1 squat", today),
            ("W1D2 run", today + timedelta(days=1)),
            ("W2D2 intervals", today + timedelta(days=8)),
        ]
        # Each move is in the entry's history, as if the coach had shifted the calendar.
        assert sorted((m.from_date, m.to_date) for m in moves) == [
            (invited_on + timedelta(days=d), today + timedelta(days=d)) for d in (0, 1, 8)
        ]
        assert {m.moved_by_id for m in moves} == {coach.id}

    def test_a_start_date_the_coach_set_is_kept_when_they_join(self, app, client, coach):
        chosen = date.today() + timedelta(days=3)
        pending, token = manual_invitation(app, client, coach, start=chosen)
        client.logout()
        client.post(f"/invitation/{token}", data=signup_data())
        [ana] = clients_in(app, coach.id)
        assert ana.state == "active" and ana.start_date == chosen


class TestExactlyOnce:
    def test_20_concurrent_acceptances_make_exactly_one_active_client(self, app, client, coach):
        with app.app_context():
            make_client_user(email="ana@example.com")
        pending, token = manual_invitation(app, client, coach)
        browsers = []
        for _ in range(20):
            browser = app.test_client()
            assert isinstance(browser, CsrfClient)
            browser.login("ana@example.com", PASSWORD)
            browser.csrf_token()
            browsers.append(browser)
        start = threading.Barrier(20)
        statuses: list[int] = []
        errors: list[BaseException] = []

        def accept(browser):
            try:
                start.wait()
                response = browser.post(f"/invitation/{token}", data={"waiver": "y"})
                statuses.append(response.status_code)
            except BaseException as error:  # noqa: BLE001 (reported below)
                errors.append(error)

        threads = [threading.Thread(target=accept, args=(b,)) for b in browsers]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=120)
        assert errors == []
        assert statuses.count(303) == 1, statuses
        assert all(s in (303, 409, 410) for s in statuses), statuses
        [ana] = clients_in(app, coach.id)
        assert (ana.id, ana.state) == (pending.id, "active")
        with app.app_context():
            assert db.session.scalar(sa.select(sa.func.count()).select_from(Client)) == 1
            accepted = db.session.scalars(sa.select(Invitation.accepted_at)).all()
        assert len(accepted) == 1 and accepted[0] is not None


class TestRateLimit:
    def test_accept_posts_are_limited_per_token(self, app, client, coach, monkeypatch):
        from webapp.services import invitations as workflows

        monkeypatch.setattr(workflows, "PUBLIC_POST_LIMIT_PER_TOKEN", 3)
        _, token = manual_invitation(app, client, coach)
        client.logout()
        for _ in range(3):
            assert client.post(f"/invitation/{token}", data={"waiver": ""}).status_code == 422
        response = client.post(f"/invitation/{token}", data=signup_data())
        assert response.status_code == 429
        assert "Too many attempts" in response.get_data(as_text=True)
        assert clients_in(app, coach.id)[0].state == "pending"

    def test_accept_posts_are_limited_per_address(self, app, client, coach, monkeypatch):
        from webapp.services import invitations as workflows

        monkeypatch.setattr(workflows, "PUBLIC_POST_LIMIT_PER_IP", 2)
        for n in range(3):
            response = client.post(f"/invitation/guess{n:030d}", data={})
        assert response.status_code == 429
        assert "Too many attempts" in response.get_data(as_text=True)


class TestWelcome:
    def test_another_clients_welcome_page_is_a_404(self, app, client, coach):
        with app.app_context():
            someone = make_client(db.session.get(Program, coach.id), state="active")
            make_client_user(email="eve@example.com")
        client.logout()
        client.login("eve@example.com", PASSWORD)
        response = client.get(f"/my/welcome/{someone.id}")
        assert response.status_code == 404
        assert "Welcome!" not in response.get_data(as_text=True)

    def test_a_removed_client_loses_the_welcome_page_and_home_listing(self, app, client, coach):
        with app.app_context():
            user = make_client_user(email="ana@example.com")
            ana = make_client(db.session.get(Program, coach.id), user=user, state="active")
        client.post(f"/clients/{ana.id}/remove")
        client.logout()
        client.login("ana@example.com", PASSWORD)
        assert client.get(f"/my/welcome/{ana.id}").status_code == 404
        assert "not in any program yet" in client.get("/me").get_data(as_text=True)


def test_expiry_is_14_days_by_default(app, client, coach):
    manual_invitation(app, client, coach)
    [invitation] = invitations(app)
    assert invitation.expires_at - invitation.sent_at == timedelta(days=14)
