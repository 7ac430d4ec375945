"""The right to leave: a coach erases a client, or a client deletes their own account. After
either, the person's name and addresses are nowhere in the database (every text column of
every table), in captured mail or in any feed; the ledger and the reports add up as before;
their feed URL and their login are dead, and a browser logged in as them is logged out."""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa

from tests.support.erasure import build_history, every_text, figures, form_key
from tests.support.factories import PASSWORD, make_client, make_program
from tests.support.plusone import logged_in, make_pair
from tests.support.queued import outbox
from tests.support.reminders import relay
from webapp.extensions import db
from webapp.models import CalendarEntry, Client, OutboxMessage, Package, Program, User
from webapp.services import erasure as erasure_service

CONFIRM = {"understood": "y"}


@pytest.fixture
def person(app, pair):
    return logged_in(app, pair.person_email)


@pytest.fixture
def history(app, pair, coach, person):
    return build_history(app, pair, coach, person)


def coach_erases(app, pair, coach, person):
    page = coach.get(f"/clients/{pair.client_id}/erase").get_data(as_text=True)
    assert "What goes" in page and "What stays" in page
    response = coach.post(f"/clients/{pair.client_id}/erase", data=CONFIRM)
    assert response.status_code == 303
    assert "The client is erased." in coach.get(response.location).get_data(as_text=True)


def client_deletes(app, pair, coach, person):
    assert "Delete your account" in person.get("/account/delete").get_data(as_text=True)
    response = person.post("/account/delete", data={**CONFIRM, "current_password": PASSWORD})
    assert response.status_code == 303 and response.location.endswith("/login")


@pytest.mark.parametrize("leave", [coach_erases, client_deletes], ids=["coach", "client"])
def test_after_erasure_the_person_is_nowhere_and_the_money_adds_up(
    app, pair, coach, person, history, leave, client
):
    before = figures(app, pair.coach_id)
    other_browser = logged_in(app, pair.person_email)  # a second device, still logged in

    leave(app, pair, coach, person)

    text = every_text(app)
    for secret in history.secrets:
        assert secret not in text, f"{secret!r} is still in the database"
    assert "erased client" in text
    assert figures(app, pair.coach_id) == before
    # Captured mail, as the coach reads it.
    mailbox = coach.get("/dev/mail/").get_data(as_text=True).lower()
    assert "erased client" in mailbox
    for secret in history.secrets:
        assert secret not in mailbox, mailbox[
            mailbox.find(secret) - 400 : mailbox.find(secret) + 50
        ]
    # Their feed is dead; the other client's still works and never named them.
    assert client.get(f"/feeds/{history.feed_token}.ics").status_code in (404, 410)
    other_feed = client.get(f"/feeds/{history.other_feed_token}.ics")
    assert other_feed.status_code == 200
    assert not any(s in other_feed.get_data(as_text=True).lower() for s in history.secrets)
    # Their login fails, and the browser still logged in is logged out on its next request.
    refused = client.post("/login", data={"email": pair.person_email, "password": PASSWORD})
    assert "do not match an account" in refused.get_data(as_text=True)
    for browser in (other_browser, person):
        answer = browser.get("/account")
        assert answer.status_code == 302 and "/login" in answer.location
    # What stays shows anonymised on the coach's pages.
    reports_page = coach.get("/reports").get_data(as_text=True)
    assert "Erased client #" in reports_page
    sessions_page = coach.get(f"/clients/{pair.client_id}/sessions").get_data(as_text=True)
    assert "Sessions with Erased client #" in sessions_page
    assert 'id="erased-client"' in sessions_page and 'id="reminders-off"' not in sessions_page
    ledger = coach.get("/reports/ledger.csv").get_data(as_text=True)
    assert "Erased client #" in ledger and "dana" not in ledger.lower()
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count(CalendarEntry.id))) == 1  # Olive's
        olive = db.session.get(Client, history.other_client_id)
        assert (olive.name, olive.state) == ("Olive Other", "active")


def test_erasing_twice_changes_nothing_more(app, pair, coach, history):
    coach.post(f"/clients/{pair.client_id}/erase", data=CONFIRM)
    first = every_text(app)
    again = coach.post(f"/clients/{pair.client_id}/erase", data=CONFIRM)
    assert again.status_code == 303
    assert "already erased" in coach.get(again.location).get_data(as_text=True)
    assert every_text(app) == first
    page = coach.get(f"/clients/{pair.client_id}/erase").get_data(as_text=True)
    assert 'id="already-erased"' in page and 'id="erase-form"' not in page


def test_an_erasure_that_fails_halfway_leaves_everything_as_it_was(
    app, pair, coach, history, monkeypatch
):
    before = every_text(app)

    def broken(*args, **kwargs):
        raise RuntimeError("the database went away")

    monkeypatch.setattr(erasure_service, "forget_mail", broken)
    with pytest.raises(RuntimeError):
        coach.post(f"/clients/{pair.client_id}/erase", data=CONFIRM)
    with app.app_context():
        db.session.remove()
    assert every_text(app) == before
    assert coach.get(f"/clients/{pair.client_id}/calendar").status_code == 200


def test_the_confirm_tick_is_required(app, pair, coach, history):
    response = coach.post(f"/clients/{pair.client_id}/erase", data={})
    assert response.status_code == 422
    assert "Tick this to confirm." in response.get_data(as_text=True)
    assert "dana client 1" in every_text(app)


def test_a_coach_cannot_erase_another_coachs_client(app, pair, history):
    other = make_pair(app, n=2)
    intruder = logged_in(app, other.coach_email)
    assert intruder.get(f"/clients/{pair.client_id}/erase").status_code == 404
    before = every_text(app)
    assert intruder.post(f"/clients/{pair.client_id}/erase", data=CONFIRM).status_code == 404
    assert every_text(app) == before


def test_the_page_shows_what_goes_and_what_stays(app, pair, coach, history):
    html = coach.get(f"/clients/{pair.client_id}/erase").get_data(as_text=True)
    goes = html.split('id="goes-counts"', 1)[1].split("</p>", 1)[0]
    assert "5 calendar entries" in goes and "1 invitation," in goes and "a calendar feed" in goes
    stays = html.split('id="what-stays"', 1)[1].split("</ul>", 1)[0]
    assert "1 booking," in stays and "5 sessions" in stays and "2 ledger rows" in stays
    assert "Their login goes too" in html
    actions = coach.get(f"/clients/{pair.client_id}/actions").get_data(as_text=True)
    assert f'href="/clients/{pair.client_id}/erase"' in actions


def test_a_client_with_another_coach_keeps_their_account(app, pair, coach, person):
    other = make_pair(app, n=2)
    with app.app_context():
        program = db.session.get(Program, other.program_id)
        make_client(program, user=db.session.get(User, pair.person_id))
    html = coach.get(f"/clients/{pair.client_id}/erase").get_data(as_text=True)
    assert 'id="account-stays"' in html
    coach.post(f"/clients/{pair.client_id}/erase", data=CONFIRM)
    with app.app_context():
        row = db.session.get(Client, pair.client_id)
        assert row.erased_at is not None and row.name.startswith("Erased client #")
        assert db.session.get(User, pair.person_id).name == "Dana Client 1"
    assert person.get("/account").status_code == 200


def test_deleting_ones_account_needs_the_password(app, pair, person, history):
    response = person.post("/account/delete", data={**CONFIRM, "current_password": "not it"})
    assert response.status_code == 422
    assert "That is not your current password." in response.get_data(as_text=True)
    assert "dana client 1" in every_text(app)
    assert person.get("/account").status_code == 200


def test_mail_the_app_writes_to_an_erased_person_is_never_sent(app, pair, coach, history):
    coach.post(f"/clients/{pair.client_id}/erase", data=CONFIRM)
    with app.app_context():
        package = db.session.scalar(sa.select(Package.id).where(Package.offered_to_id.is_(None)))
    page = coach.get(f"/clients/{pair.client_id}/sessions").get_data(as_text=True)
    booking = {"package": str(package), "payment": "cash", "key": form_key(page)}
    assert coach.post(f"/clients/{pair.client_id}/sessions/book", data=booking).status_code == 303
    relay(app)
    with app.app_context():
        to_them = db.session.scalars(
            sa.select(OutboxMessage).where(OutboxMessage.recipient.like("%@erased.invalid"))
        ).all()
    assert to_them, "booking for them wrote them an email"
    assert [(m.sent_at, m.skip_reason) for m in to_them] == [
        (None, "addressed to an erased person")
    ]


def test_an_address_they_had_before_goes_too(app, pair, coach, person):
    asked = {"change-email": "dana.later@example.com", "change-current_password": PASSWORD}
    person.post("/account/email", data=asked)
    [link] = [m for m in outbox(app) if m.recipient == "dana.later@example.com"]
    person.post(re.search(r"http://[^/\s]+(/account/email/confirm/[\w-]+)", link.body).group(1))
    text = every_text(app)
    assert pair.person_email in text and "dana.later@example.com" in text  # the old one's notice
    coach.post(f"/clients/{pair.client_id}/erase", data=CONFIRM)
    text = every_text(app)
    assert pair.person_email not in text and "dana.later@example.com" not in text


def test_a_pending_client_is_erased_from_every_program_of_the_coach(app, pair, coach):
    with app.app_context():
        coach_user = db.session.get(User, pair.coach_id)
        first = make_client(
            db.session.get(Program, pair.program_id),
            name="Pia Pending",
            email="pia@example.com",
            state="pending",
        )
        second = make_client(
            make_program(coach_user, name="Second"),
            name="Pia P.",
            email="pia@example.com",
            state="pending",
        )
        first_id, second_id = first.id, second.id
    coach.post(f"/clients/{first_id}/erase", data=CONFIRM)
    with app.app_context():
        for row_id in (first_id, second_id):
            row = db.session.get(Client, row_id)
            assert row.erased_at and row.name.startswith("Erased client #")
    text = every_text(app)
    assert "pia" not in text
