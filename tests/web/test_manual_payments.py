"""Without Stripe a coach records what a client paid by hand; both see the same ledger."""

import re

import pytest
import sqlalchemy as sa

from tests.support.plusone import logged_in, make_package, make_pair
from webapp.extensions import db
from webapp.models import LedgerEntry

PAY = {"price": "150.00", "currency": "GBP", "method": "cash", "note": "At the gym"}


def entries(app) -> list[LedgerEntry]:
    with app.app_context():
        return list(db.session.scalars(sa.select(LedgerEntry).order_by(LedgerEntry.id)))


def form_key(html: str) -> str:
    return re.search(r'name="key" type="hidden" value="([^"]+)"', html).group(1)


@pytest.fixture
def booked(app, pair):
    """Dana booked the coach's 5 × £300 package (no Stripe: nothing paid yet)."""
    package_id = make_package(app, pair.coach_id, 5, 30000)
    person = logged_in(app, pair.person_email)
    person.post(f"/my/coaches/{pair.coach_id}/packages/{package_id}/book")
    return person


def test_a_booking_without_stripe_shows_the_amount_due(app, pair, booked, coach):
    html = coach.get(f"/clients/{pair.client_id}/sessions").get_data(as_text=True)
    assert re.search(r'id="paid">£0.00<', html) and re.search(r'id="due">£300.00<', html)
    client_html = booked.get(f"/my/coaches/{pair.coach_id}").get_data(as_text=True)
    assert re.search(r'id="due">£300.00<', client_html)


def test_a_manual_payment_is_recorded_once_and_both_sides_see_it(app, pair, booked, coach):
    page = coach.get(f"/clients/{pair.client_id}/payments").get_data(as_text=True)
    data = {**PAY, "key": form_key(page)}
    html = coach.post(
        f"/clients/{pair.client_id}/payments/manual", data=data, follow_redirects=True
    ).get_data(as_text=True)
    assert "Payment of £150.00 recorded." in html
    again = coach.post(
        f"/clients/{pair.client_id}/payments/manual", data=data, follow_redirects=True
    ).get_data(as_text=True)
    assert "That £150.00 was already recorded." in again
    [entry] = entries(app)
    assert (entry.kind, entry.status, entry.amount_minor, entry.currency, entry.method) == (
        "manual",
        "succeeded",
        15000,
        "GBP",
        "cash",
    )
    for page in (
        coach.get(f"/clients/{pair.client_id}/sessions").get_data(as_text=True),
        booked.get(f"/my/coaches/{pair.coach_id}").get_data(as_text=True),
    ):
        assert re.search(r'id="paid">£150.00<', page) and re.search(r'id="due">£150.00<', page)
        assert "Cash: At the gym" in page


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"price": "0"}, "more than zero"),
        ({"price": "12,50"}, ""),
        ({"price": "abc"}, ""),
        ({"method": "cheque"}, "Not a valid choice"),
        ({"note": "two\nlines"}, "one line"),
        ({"key": ""}, "Reload the page"),
    ],
)
def test_bad_input_is_refused_by_its_field(app, pair, coach, changes, message):
    page = coach.get(f"/clients/{pair.client_id}/payments").get_data(as_text=True)
    data = {**PAY, "key": form_key(page), **changes}
    response = coach.post(f"/clients/{pair.client_id}/payments/manual", data=data)
    assert response.status_code == 422
    html = response.get_data(as_text=True)
    assert 'class="error"' in html and message in html
    assert entries(app) == []


def test_another_coachs_client_is_not_found(app, pair):
    other = make_pair(app, n=2)
    intruder = logged_in(app, other.coach_email)
    assert intruder.get(f"/clients/{pair.client_id}/payments").status_code == 404
    response = intruder.post(
        f"/clients/{pair.client_id}/payments/manual", data={**PAY, "key": "k" * 20}
    )
    assert response.status_code == 404
    assert entries(app) == []
