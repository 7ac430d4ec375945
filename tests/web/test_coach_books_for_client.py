"""A coach books a package for a client on the Sessions page: the booking and its sessions, a
manual payment in the ledger when paid by hand (else the amount is due), the client emailed,
and a double click books once."""

from __future__ import annotations

import re

import pytest
import sqlalchemy as sa

from tests.support.plusone import make_package
from tests.support.queued import outbox
from webapp.extensions import db
from webapp.models import Booking, CoachingSession, LedgerEntry


def form_of(coach, pair) -> dict:
    html = coach.get(f"/clients/{pair.client_id}/sessions").get_data(as_text=True)
    form = html.split('id="book-for"', 1)[1].split("</form>", 1)[0]
    return {
        "key": re.search(r'name="key" type="hidden" value="([^"]+)"', form).group(1),
        "options": re.findall(r'<option[^>]*value="(\d+)">([^<]+)</option>', form),
    }


@pytest.mark.parametrize("payment", ["cash", "due"])
def test_the_coach_books_once_and_the_ledger_and_email_say_how_it_is_paid(
    app, pair, coach, payment
):
    package = make_package(app, pair.coach_id, 5, 25000)
    found = form_of(coach, pair)
    assert found["options"] == [(str(package), "5 × £250.00")]
    data = {"package": str(package), "payment": payment, "key": found["key"]}
    for _ in range(2):  # a double click
        response = coach.post(f"/clients/{pair.client_id}/sessions/book", data=data)
        assert response.status_code == 303
    with app.app_context():
        bookings = db.session.scalars(sa.select(Booking)).all()
        assert [(b.sessions_count, b.total_minor) for b in bookings] == [(5, 25000)]
        assert db.session.scalar(sa.select(sa.func.count(CoachingSession.id))) == 5
        ledger = db.session.scalars(sa.select(LedgerEntry)).all()
        if payment == "cash":
            assert [(e.kind, e.amount_minor, e.method, e.booking_id) for e in ledger] == [
                ("manual", 25000, "cash", bookings[0].id)
            ]
        else:
            assert ledger == []
    mails = [m for m in outbox(app) if m.recipient == pair.person_email]
    assert len(mails) == 1
    assert "booked a package of 5 × £250.00 for you" in mails[0].body
    said = "It is recorded as paid (Cash)." if payment == "cash" else "Payment is due"
    assert said in mails[0].body
    page = coach.get(f"/clients/{pair.client_id}/sessions").get_data(as_text=True)
    assert "5 sessions booked" in page and "That was booked already." in page


def test_another_coachs_package_cannot_be_booked(app, pair, coach):
    from tests.support.factories import make_coach

    with app.app_context():
        other = make_coach().id
    theirs = make_package(app, other, 5, 25000)
    make_package(app, pair.coach_id, 5, 25000)
    found = form_of(coach, pair)
    data = {"package": str(theirs), "payment": "due", "key": found["key"]}
    coach.post(f"/clients/{pair.client_id}/sessions/book", data=data)
    with app.app_context():
        assert db.session.scalars(sa.select(Booking)).all() == []
