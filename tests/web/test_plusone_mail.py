"""The two +1 emails: the client and the coach each read what concerns them, and reply to
each other."""

import pytest

from tests.support.plusone import complete_url, logged_in, make_package, make_pair, remaining_ids
from tests.support.smtp import Mailbox
from webapp.services.outbox import send_due


@pytest.fixture
def app_config(app_config, smtp_server):
    return {**app_config, "MAIL_SERVER": "127.0.0.1", "MAIL_PORT": smtp_server.port}


@pytest.fixture
def plus_one_mail(app, smtp_server):
    """A client with one unplaced session and +1 on; the coach completes it: the two emails."""
    pair = make_pair(app)
    me = logged_in(app, pair.person_email)
    package_id = make_package(app, pair.coach_id, 1, 4000)
    me.post(f"/my/coaches/{pair.coach_id}/packages/{package_id}/book")
    me.post(f"/my/coaches/{pair.coach_id}/plus-one", data={"action": "enrol"})
    [session_id] = remaining_ids(app, pair)
    coach = logged_in(app, pair.coach_email)
    coach.hx_post(complete_url(pair, session_id), data={"in_list": "1"})
    with app.app_context():
        send_due()
    smtp_server.mailbox.wait_for(2)
    [to_client] = smtp_server.mailbox.to(pair.person_email)
    [to_coach] = smtp_server.mailbox.to(pair.coach_email)
    return pair, to_client, to_coach


def test_the_client_is_told_their_coach_will_schedule_the_new_session(plus_one_mail):
    _, to_client, _ = plus_one_mail
    body = Mailbox.body(to_client)
    assert "your coach will schedule it" in body
    assert "booked at your current rate of £40.00" in body


def test_the_coach_is_told_to_place_the_new_session_not_that_their_coach_will(plus_one_mail):
    pair, _, to_coach = plus_one_mail
    body = Mailbox.body(to_coach)
    assert "your coach" not in body.lower()
    assert "Place it on Dana Client 1's calendar from their sessions page" in body
    assert f"http://localhost/clients/{pair.client_id}/sessions" in body
    html = to_coach.get_body(preferencelist=("html",)).get_content()
    assert f'<a href="http://localhost/clients/{pair.client_id}/sessions"' in html


def test_the_client_replies_to_the_coach_and_the_coach_to_the_client(plus_one_mail):
    pair, to_client, to_coach = plus_one_mail
    [coach] = to_client["Reply-To"].addresses
    [client] = to_coach["Reply-To"].addresses
    assert (coach.display_name, coach.addr_spec) == ("Casey Coach 1", pair.coach_email)
    assert (client.display_name, client.addr_spec) == ("Dana Client 1", pair.person_email)


def test_the_client_gets_a_button_to_their_plus_one_preferences(plus_one_mail):
    pair, to_client, _ = plus_one_mail
    html = to_client.get_body(preferencelist=("html",)).get_content()
    assert f'<a href="http://localhost/my/coaches/{pair.coach_id}/plus-one"' in html
    assert "Manage your +1 Program preferences" in html
