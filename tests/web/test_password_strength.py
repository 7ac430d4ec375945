"""Every place a password is chosen refuses one that is easy to guess: a common one, or one
made of the person's own name or email. The field says why and how to do better."""

import re

import pytest
import sqlalchemy as sa

from tests.support.factories import PASSWORD, make_coach
from tests.support.queued import emails_to
from tests.web.invites_support import coach_with_program, last_invitation_token
from webapp.extensions import db
from webapp.models import User

NAME, EMAIL = "Wilhelmina Quarterbrook", "wq@example.com"
JOIN_URL = re.compile(r'id="join-url"[^>]*value="http://localhost/join/([A-Za-z0-9_-]+)"')
RESET_LINK = re.compile(r"http://[^/\s]+(/password/reset/[A-Za-z0-9_-]+)")


def coach_signup(app, browser, password):
    return browser.post(
        "/signup", data={"name": NAME, "email": EMAIL, "password": password, "time_zone": "UTC"}
    )


def join_signup(app, browser, password):
    _, program = coach_with_program(app, email="casey@example.com")
    coach = app.test_client()
    coach.login("casey@example.com", PASSWORD)
    coach.post(f"/programs/{program.id}/join-link/regenerate")
    token = JOIN_URL.search(coach.get(f"/programs/{program.id}").get_data(as_text=True))[1]
    data = {"name": NAME, "email": EMAIL, "password": password, "time_zone": "UTC", "waiver": "y"}
    return browser.post(f"/join/{token}", data=data)


def invitation_signup(app, browser, password):
    _, program = coach_with_program(app, email="casey@example.com")
    coach = app.test_client()
    coach.login("casey@example.com", PASSWORD)
    coach.post(
        f"/programs/{program.id}/clients/email",
        data={"invite-name": NAME, "invite-email": EMAIL},
    )
    token = last_invitation_token(app, EMAIL)
    data = {"name": NAME, "password": password, "time_zone": "UTC", "waiver": "y"}
    return browser.post(f"/invitation/{token}", data=data)


def password_reset(app, browser, password):
    with app.app_context():
        make_coach(email=EMAIL, name=NAME)
    browser.post("/password/forgot", data={"email": EMAIL})
    path = RESET_LINK.search(emails_to(app, EMAIL)[-1].body)[1]
    return browser.post(path, data={"password": password, "confirm": password})


def change_password(app, browser, password):
    with app.app_context():
        make_coach(email=EMAIL, name=NAME)
    browser.login(EMAIL, PASSWORD)
    return browser.post(
        "/account/password",
        data={"current_password": PASSWORD, "password": password, "confirm": password},
    )


PLACES = [coach_signup, join_signup, invitation_signup, password_reset, change_password]


def account_password_unchanged(app) -> bool:
    """No account was made with the refused password, and an existing one keeps its own."""
    with app.app_context():
        user = db.session.scalar(sa.select(User).where(User.email == EMAIL))
        return user is None or user.check_password(PASSWORD)


def password_error(html: str) -> str:
    match = re.search(r'id="password-error">([^<]*)<', html)
    return match[1].strip() if match else ""


@pytest.mark.parametrize(
    ("password", "says"),
    [
        ("password1234", ("This is a very common password", "Add another word or two")),
        ("quarterbrook2026", ("built from your name or email address", "Add another word")),
    ],
    ids=["common", "own-name"],
)
@pytest.mark.parametrize("place", PLACES, ids=lambda place: place.__name__)
def test_a_guessable_password_is_refused_by_the_field_with_a_way_to_fix_it(
    app, client, place, password, says
):
    response = place(app, client, password)
    assert response.status_code == 422
    error = password_error(response.get_data(as_text=True))
    assert all(words in error for words in says), error
    assert account_password_unchanged(app)
