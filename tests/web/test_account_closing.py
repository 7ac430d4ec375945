"""A coach closes their account: after downloading their data, once no client is active. Their
name, address and login go, their programs and join links die, their clients' calendars with
them go, and the financial records stay, anonymised."""

from __future__ import annotations

from urllib.parse import urlsplit

import sqlalchemy as sa

from tests.support.erasure import every_text, figures
from tests.support.factories import PASSWORD
from tests.support.plusone import logged_in, make_package
from webapp.extensions import db
from webapp.models import CalendarEntry, Client, Invitation, PaymentAccount, Program, User
from webapp.services.join_links import join_link, regenerate

CLOSE = {"current_password": PASSWORD, "understood": "y"}


def manual_invite(coach, pair, name="Pia Pending", email="pia@example.com"):
    data = {"manual-name": name, "manual-email": email}
    assert coach.post(f"/programs/{pair.program_id}/clients/manual", data=data).status_code == 303


def test_a_coach_with_an_active_client_cannot_close(app, pair, coach):
    page = coach.get("/account/close").get_data(as_text=True)
    assert "1 client is still active" in page and 'id="leave-form"' not in page
    response = coach.post("/account/close", data=CLOSE)
    assert response.status_code == 409
    assert "One client is still active." in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.get(User, pair.coach_id).erased_at is None
    assert "Your account" in coach.get("/account").get_data(as_text=True)


def test_the_page_says_to_download_the_data_first(app, pair, coach):
    html = coach.get("/account/close").get_data(as_text=True)
    first = html.split('id="download-first"', 1)[1].split("</div>", 1)[0]
    assert 'href="/reports/ledger.csv"' in first and 'href="/reports/months.csv"' in first
    assert 'href="/account/close"' in coach.get("/account").get_data(as_text=True)


def test_closing_erases_the_coach_and_keeps_the_money(app, pair, coach, client):
    package = make_package(app, pair.coach_id, 3, 9000)
    person = logged_in(app, pair.person_email)
    person.post(f"/my/coaches/{pair.coach_id}/packages/{package}/book")
    manual_invite(coach, pair)
    assert coach.post(f"/clients/{pair.client_id}/remove").status_code == 303
    before = figures(app, pair.coach_id)[1]
    with app.test_request_context():
        program = db.session.get(Program, pair.program_id)
        regenerate(program)
        db.session.commit()
        join = urlsplit(join_link(program).url).path
    assert client.get(join).status_code == 200

    response = coach.post("/account/close", data=CLOSE)

    assert response.status_code == 303 and response.location.endswith("/login")
    text = every_text(app)
    for secret in ("casey coach 1", pair.coach_email, "pia pending", "pia@example.com"):
        assert secret not in text, secret
    assert figures(app, pair.coach_id)[1] == before
    refused = client.post("/login", data={"email": pair.coach_email, "password": PASSWORD})
    assert "do not match an account" in refused.get_data(as_text=True)
    assert "/login" in coach.get("/account").location
    with app.app_context():
        program = db.session.get(Program, pair.program_id)
        assert (program.status, program.join_enabled, program.join_token_hash) == (
            "archived",
            False,
            None,
        )
        assert db.session.scalar(sa.select(sa.func.count(Invitation.id))) == 0
        assert db.session.scalar(sa.select(sa.func.count(CalendarEntry.id))) == 0
        assert db.session.scalar(sa.select(sa.func.count(PaymentAccount.id))) == 0
        rows = db.session.scalars(sa.select(Client)).all()
        assert all(row.erased_at and row.state == "removed" for row in rows)
        # The client's own account is theirs: it stays, and sees nothing of the coach.
        assert db.session.get(User, pair.person_id).name == "Dana Client 1"
    assert person.get("/me").status_code == 200
    assert person.get(f"/my/coaches/{pair.coach_id}").status_code == 404
    assert person.get(f"/my/calendar/{pair.client_id}").status_code == 404
    assert client.get(join).status_code == 404


def test_closing_needs_the_password(app, pair, coach):
    coach.post(f"/clients/{pair.client_id}/remove")
    response = coach.post("/account/close", data={**CLOSE, "current_password": "wrong"})
    assert response.status_code == 422
    assert "That is not your current password." in response.get_data(as_text=True)
    assert "casey coach 1" in every_text(app)
