"""Refunds through Stripe: the unused sessions of a card payment (all of it when none is used)
are refunded and voided, recorded from Stripe's answer; the ledger balances."""

import re

import pytest
import sqlalchemy as sa

from tests.support.payments import KEYS, card_client, connect, stripe_settings
from tests.support.plusone import bookings, complete_url, logged_in, make_pair, remaining_ids
from webapp.extensions import db
from webapp.models import Booking, CoachingSession, LedgerEntry
from webapp.services.payments import standing_value, statement
from webapp.services.stripe_gateway import client_for


@pytest.fixture
def app_config(app_config, fake_stripe):
    return {**app_config, **stripe_settings(fake_stripe)}


@pytest.fixture
def paid(app, pair, fake_stripe):
    """Dana paid £400.00 by card for 5 sessions (£80.00 each)."""
    card_client(app, fake_stripe, pair, enrol=False)
    with app.app_context():
        return db.session.scalar(sa.select(LedgerEntry).where(LedgerEntry.kind == "charge"))


def refund_url(pair, entry_id) -> str:
    return f"/clients/{pair.client_id}/payments/{entry_id}/refund"


def statuses(app) -> list[str]:
    with app.app_context():
        return list(
            db.session.scalars(sa.select(CoachingSession.status).order_by(CoachingSession.id))
        )


def refunds(app) -> list[LedgerEntry]:
    with app.app_context():
        return list(db.session.scalars(sa.select(LedgerEntry).where(LedgerEntry.kind == "refund")))


def balances(app, pair):
    """paid - refunded, and the value of the sessions used or remaining."""
    with app.app_context():
        account = statement(pair.coach_id, pair.person_id)
        value = 0
        for booking in db.session.scalars(sa.select(Booking)):
            void = db.session.scalar(
                sa.select(sa.func.count()).where(
                    CoachingSession.booking_id == booking.id, CoachingSession.status == "void"
                )
            )
            value += standing_value(booking, void)
        return account.balance.net.minor, value


def test_refunding_the_unused_sessions_voids_exactly_those_and_the_ledger_balances(
    app, pair, coach, paid
):
    used = remaining_ids(app, pair)[:2]
    for session_id in used:
        coach.post(complete_url(pair, session_id))
    page = coach.get(f"/clients/{pair.client_id}/payments").get_data(as_text=True)
    assert "Refund 3 unused (£240.00)" in page
    html = coach.post(refund_url(pair, paid.id), follow_redirects=True).get_data(as_text=True)
    assert "Refunded £240.00; 3 unused session(s) voided." in html
    assert statuses(app) == ["completed", "completed", "void", "void", "void"]
    [refund] = refunds(app)
    assert (refund.status, refund.amount_minor, refund.refund_of_id) == (
        "succeeded",
        24000,
        paid.id,
    )
    assert refund.provider_id.startswith("re_")
    # Stripe holds the same refund.
    with app.app_context():
        at_stripe = client_for(KEYS.secret_key).v1.refunds.retrieve(refund.provider_id)
    assert (at_stripe.amount, at_stripe.payment_intent) == (24000, paid.provider_id)
    net, value = balances(app, pair)
    assert net == value == 16000
    sessions = coach.get(f"/clients/{pair.client_id}/sessions").get_data(as_text=True)
    assert re.search(r'id="refunded">£240.00<', sessions) and re.search(
        r'id="due">£0.00<', sessions
    )


def test_a_payment_with_no_session_used_is_refunded_in_full(app, pair, coach, paid):
    page = coach.get(f"/clients/{pair.client_id}/payments").get_data(as_text=True)
    assert "Refund in full (£400.00)" in page
    coach.post(refund_url(pair, paid.id))
    assert statuses(app) == ["void"] * 5
    [refund] = refunds(app)
    assert refund.amount_minor == 40000
    assert balances(app, pair) == (0, 0)


def test_a_second_click_refunds_nothing_more(app, pair, coach, paid):
    coach.post(refund_url(pair, paid.id))
    again = coach.post(refund_url(pair, paid.id), follow_redirects=True).get_data(as_text=True)
    assert "used or refunded already" in again
    assert len(refunds(app)) == 1


def test_a_refund_stripe_refuses_is_recorded_failed_and_the_sessions_come_back(
    app, pair, coach, paid
):
    app.config["STRIPE_API_BASE"] = "http://127.0.0.1:9"  # Stripe unreachable
    html = coach.post(refund_url(pair, paid.id), follow_redirects=True).get_data(as_text=True)
    assert "Stripe did not refund £400.00" in html
    [refund] = refunds(app)
    assert refund.status == "failed"
    assert statuses(app) == ["remaining"] * 5
    assert balances(app, pair) == (40000, 40000)


def test_another_coach_cannot_refund(app, pair, paid):
    other = make_pair(app, n=2)
    connect(app, other.coach_id)
    intruder = logged_in(app, other.coach_email)
    assert intruder.post(refund_url(pair, paid.id)).status_code == 404
    assert refunds(app) == [] and statuses(app) == ["remaining"] * 5


def test_a_plus_one_session_can_be_refunded(app, pair, coach, fake_stripe):
    card_client(app, fake_stripe, pair)
    for session_id in remaining_ids(app, pair):
        coach.post(complete_url(pair, session_id))
    [plus] = bookings(app, pair, "plus_one")
    with app.app_context():
        charge = db.session.scalar(sa.select(LedgerEntry).where(LedgerEntry.booking_id == plus.id))
    page = coach.get(f"/clients/{pair.client_id}/payments").get_data(as_text=True)
    assert "a +1 session, 1 unused" in page and "Refund in full (£80.00)" in page
    coach.post(refund_url(pair, charge.id))
    assert statuses(app)[-1] == "void"
    [refund] = refunds(app)
    assert (refund.amount_minor, refund.booking_id) == (8000, plus.id)
    assert balances(app, pair) == (40000, 40000)
