"""Spec: sign-up confirmations make exactly one account, and a logged-in user cannot sign up."""

import threading

import pytest

from tests.support.factories import PASSWORD, make_client_user, make_coach
from tests.web.signup_support import NEW_PASSWORD, confirm, confirmation_tokens, mails_to, users


def coach_signup(email="casey@example.com", password=NEW_PASSWORD):
    return {"name": "Casey", "email": email, "password": password, "time_zone": "UTC"}


def run_together(app, count, action):
    """Run action(browser, n) in `count` threads released at once; the response statuses."""
    browsers = [app.test_client() for _ in range(count)]
    for browser in browsers:
        browser.csrf_token()
    start = threading.Barrier(count)
    statuses: list[int] = []
    errors: list[BaseException] = []

    def run(browser, n):
        try:
            start.wait()
            statuses.append(action(browser, n).status_code)
        except BaseException as error:  # noqa: BLE001 (reported below)
            errors.append(error)

    threads = [threading.Thread(target=run, args=(b, n)) for n, b in enumerate(browsers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert errors == []
    return statuses


class TestExactlyOneAccount:
    def test_20_concurrent_confirmations_of_one_link_make_one_account(self, app, client):
        client.post("/signup", data=coach_signup())
        [token] = confirmation_tokens(app, "casey@example.com")
        statuses = run_together(app, 20, lambda browser, _n: confirm(browser, token))
        assert statuses.count(303) == 1, statuses
        assert all(s in (303, 409, 410) for s in statuses), statuses
        assert [u.email for u in users(app)] == ["casey@example.com"]

    def test_two_links_for_one_email_confirmed_together_make_one_account(self, app):
        passwords = [f"{NEW_PASSWORD} {n}" for n in range(2)]
        for password in passwords:
            app.test_client().post("/signup", data=coach_signup(password=password))
        tokens = confirmation_tokens(app, "casey@example.com")
        assert len(tokens) == 2
        statuses = run_together(
            app, 2, lambda browser, n: confirm(browser, tokens[n], passwords[n])
        )
        assert sorted(statuses) == [303, 409], statuses
        assert [u.email for u in users(app)] == ["casey@example.com"]

    def test_a_coach_sign_up_for_a_taken_email_answers_the_same_and_tells_the_owner(
        self, app, client
    ):
        with app.app_context():
            make_coach(email="casey@example.com")
        response = client.post("/signup", data=coach_signup())
        assert response.status_code == 200 and "Check your email" in response.text
        [note] = mails_to(app, "casey@example.com")
        assert "reset" in note.body.lower() and "/password/forgot" in note.body
        assert confirmation_tokens(app, "casey@example.com") == []
        assert len(users(app)) == 1

    def test_sign_ups_for_one_address_stop_mailing_it_after_three_an_hour(self, app):
        for _ in range(4):
            response = app.test_client().post("/signup", data=coach_signup())
            assert "Check your email" in response.text
        assert len(confirmation_tokens(app, "casey@example.com")) == 3


class TestLoggedInUsersCannotSignUp:
    @pytest.mark.parametrize("make", [make_coach, make_client_user])
    def test_a_logged_in_user_who_posts_the_sign_up_form_stays_who_they_are(
        self, app, client, make
    ):
        with app.app_context():
            make(email="me@example.com")
        client.login("me@example.com", PASSWORD)
        response = client.post("/signup", data=coach_signup(), follow_redirects=True)
        assert "already logged in as me@example.com" in response.text
        assert "Check your email" not in response.text
        assert [u.email for u in users(app)] == ["me@example.com"]
        assert mails_to(app, "casey@example.com") == []
        assert "me@example.com" in client.get("/account").text

    @pytest.mark.parametrize("make", [make_coach, make_client_user])
    def test_a_logged_in_user_cannot_confirm_a_sign_up_link(self, app, client, make):
        app.test_client().post("/signup", data=coach_signup())
        [token] = confirmation_tokens(app, "casey@example.com")
        with app.app_context():
            make(email="me@example.com")
        client.login("me@example.com", PASSWORD)
        response = confirm(client, token)
        assert response.status_code == 403 and "log out" in response.text.lower()
        assert [u.email for u in users(app)] == ["me@example.com"]
        assert "me@example.com" in client.get("/account").text
