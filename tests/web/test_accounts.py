import re

import pytest
import sqlalchemy as sa

from tests.support.factories import PASSWORD, make_coach
from tests.web.signup_support import confirm, confirmation_tokens
from webapp.extensions import db
from webapp.models import User
from webapp.rules.credentials import FAILED_LOGIN_LIMIT


def count_users(app) -> int:
    with app.app_context():
        return db.session.scalar(sa.select(sa.func.count()).select_from(User))


class TestSignup:
    @pytest.mark.production_hashing
    def test_a_coach_signs_up_confirms_by_email_and_lands_on_their_programs(self, app, client):
        client.post(
            "/signup",
            data={
                "name": "Casey Coach",
                "email": "Casey@Example.com",
                "password": "a long enough password",
                "time_zone": "Europe/London",
            },
        )
        [token] = confirmation_tokens(app, "casey@example.com")
        response = confirm(client, token)
        assert "Create your first program" in client.get(response.headers["Location"]).text
        with app.app_context():
            user = db.session.scalar(sa.select(User))
            assert (user.email, user.role) == ("casey@example.com", "coach")
            assert user.password_hash.startswith("scrypt:")
            assert "a long enough password" not in user.password_hash

    @pytest.mark.parametrize(
        ("field", "value", "message"),
        [
            ("password", "short", "at least 12 characters"),
            ("email", "not-an-email", "valid email address"),
            ("name", "", "Enter a name"),
            ("name", "x" * 10_000, "at most 120 characters"),
            ("time_zone", "Mars/Olympus", "Not a valid choice"),
        ],
    )
    def test_bad_input_is_shown_by_the_field_and_nothing_is_written(
        self, app, client, field, value, message
    ):
        data = {
            "name": "Casey",
            "email": "casey@example.com",
            "password": "a long enough password",
            "time_zone": "UTC",
            field: value,
        }
        response = client.post("/signup", data=data)
        html = response.get_data(as_text=True)
        assert response.status_code == 422
        assert re.search(rf'id="{field}-error">[^<]*{re.escape(message)}', html), html
        assert count_users(app) == 0

    def test_an_email_can_have_one_account(self, app, client):
        with app.app_context():
            make_coach(email="taken@example.com")
        response = client.post(
            "/signup",
            data={
                "name": "Other",
                "email": "taken@example.com",
                "password": "a long enough password",
                "time_zone": "UTC",
            },
        )
        assert "Check your email" in response.text
        assert confirmation_tokens(app, "taken@example.com") == []
        assert count_users(app) == 1


class TestLogin:
    def test_right_password_logs_in_wrong_one_says_so(self, app, client):
        with app.app_context():
            make_coach(email="coach@example.com")
        wrong = client.post(
            "/login", data={"email": "coach@example.com", "password": "nope nope nope"}
        )
        assert "do not match" in wrong.get_data(as_text=True)
        client.login("coach@example.com", PASSWORD)
        assert "Programs" in client.get("/programs/").get_data(as_text=True)

    def test_the_eleventh_failed_login_in_the_window_is_refused(self, app, client):
        with app.app_context():
            make_coach(email="coach@example.com")
        for _ in range(10):
            html = client.post(
                "/login", data={"email": "coach@example.com", "password": "wrong password!"}
            ).get_data(as_text=True)
            assert "do not match" in html
        # Even the right password is refused while the account is locked.
        refused = client.post("/login", data={"email": "coach@example.com", "password": PASSWORD})
        assert refused.status_code == 422
        assert "Too many failed log-ins" in refused.get_data(as_text=True)
        assert client.get("/programs/").status_code == 302

    def test_a_successful_login_clears_the_failed_count(self, app, client, auth):
        with app.app_context():
            make_coach(email="coach@example.com")
        wrong = {"email": "coach@example.com", "password": "wrong password!"}
        for _ in range(FAILED_LOGIN_LIMIT - 1):
            client.post("/login", data=wrong)
        auth.login("coach@example.com")
        auth.logout()
        for _ in range(FAILED_LOGIN_LIMIT - 1):
            assert "do not match" in client.post("/login", data=wrong).get_data(as_text=True)
        auth.login("coach@example.com")
        assert "Programs" in client.get("/programs/").get_data(as_text=True)

    def test_an_old_session_cookie_is_refused_after_logout(self, app, client, auth):
        with app.app_context():
            make_coach(email="coach@example.com")
        auth.login("coach@example.com")
        stolen = client.get_cookie("session").value
        auth.logout()
        thief = app.test_client()
        thief.set_cookie("session", stolen)
        response = thief.get("/programs/")
        assert response.status_code == 302
        assert "/login" in response.headers["Location"]

    def test_open_redirects_are_not_followed_after_login(self, app, client):
        with app.app_context():
            make_coach(email="coach@example.com")
        response = client.post(
            "/login",
            data={"email": "coach@example.com", "password": PASSWORD, "next": "//evil.example/x"},
        )
        assert response.headers["Location"] == "/programs/"


class TestCsrf:
    @pytest.mark.parametrize(
        "path",
        [
            "/signup",
            "/login",
            "/logout",
            "/programs/new",
            "/programs/1/edit",
            "/programs/1/publish",
            "/programs/1/archive",
        ],
    )
    def test_every_post_without_a_token_is_refused(self, app, client, path):
        with app.app_context():
            coach = make_coach(email="coach@example.com")
            from tests.support.factories import make_program

            make_program(coach, status="draft")
        client.login("coach@example.com", PASSWORD)
        response = client.post(path, csrf=False, data={"name": "Changed"})
        assert response.status_code == 400
        assert "This form has expired" in response.get_data(as_text=True)
        with app.app_context():
            from webapp.models import Program

            program = db.session.get(Program, 1)
            assert (program.name, program.status) == ("1-2-1 Coaching", "draft")

    def test_a_form_token_from_before_login_is_refused_after_it(self, app, client):
        with app.app_context():
            coach = make_coach(email="coach@example.com", name="Casey")
        before = client.csrf_token()
        client.login("coach@example.com", PASSWORD)
        details = {"name": "Changed", "time_zone": "UTC"}
        stale = client.post("/account", csrf=False, data={"csrf_token": before, **details})
        assert "This form has expired" in stale.get_data(as_text=True)
        with app.app_context():
            assert db.session.get(User, coach.id).name == "Casey"
        assert client.csrf_token() != before
        client.post("/account", data=details)
        with app.app_context():
            assert db.session.get(User, coach.id).name == "Changed"

    def test_a_form_token_from_before_logout_is_refused_after_it(self, app, client):
        with app.app_context():
            make_coach(email="coach@example.com")
        client.login("coach@example.com", PASSWORD)
        before = client.csrf_token()
        client.logout()
        stale = client.post(
            "/login",
            csrf=False,
            data={"csrf_token": before, "email": "coach@example.com", "password": PASSWORD},
        )
        assert "This form has expired" in stale.get_data(as_text=True)
        assert client.get("/programs/").status_code == 302
        assert client.csrf_token() != before

    def test_htmx_requests_carry_the_token_in_a_header(self, app, client):
        with app.app_context():
            coach = make_coach(email="coach@example.com")
            from tests.support.factories import make_program

            make_program(coach, status="draft")
        client.login("coach@example.com", PASSWORD)
        client.hx_post("/programs/1/publish")
        with app.app_context():
            from webapp.models import Program

            assert db.session.get(Program, 1).status == "published"
