"""A refund the coach makes in Stripe's own dashboard reaches OnDeck by webhook: it is one
refund row in the ledger, however often Stripe tells of it, and the reports take it off."""

import re

import pytest
import sqlalchemy as sa

from tests.support.payments import KEYS, card_client, signed, stripe_settings
from webapp.extensions import db
from webapp.models import CoachingSession, LedgerEntry, PaymentAccount
from webapp.services.stripe_gateway import client_for


@pytest.fixture
def app_config(app_config, fake_stripe):
    return {**app_config, **stripe_settings(fake_stripe)}


@pytest.fixture
def paid(app, pair, fake_stripe):
    """Dana paid £400.00 by card for 5 sessions."""
    card_client(app, fake_stripe, pair, enrol=False)
    with app.app_context():
        return db.session.scalar(sa.select(LedgerEntry).where(LedgerEntry.kind == "charge"))


def deliver(app, client, event_type: str, obj: dict, event_id: str) -> dict:
    with app.app_context():
        key = db.session.scalar(sa.select(PaymentAccount.webhook_key))
    body, headers = signed({"id": event_id, "type": event_type, "data": {"object": obj}})
    return client.post(f"/payments/webhooks/{key}", data=body, headers=headers).json


def in_dashboard(app, payment_intent: str, amount: int) -> dict:
    """What the coach does in Stripe's dashboard: a refund Stripe makes, not OnDeck."""
    with app.app_context():
        stripe = client_for(KEYS.secret_key)
        params = {"payment_intent": payment_intent, "amount": amount}
        return stripe.v1.refunds.create(params=params).to_dict()


def refund_rows(app) -> list[tuple]:
    with app.app_context():
        query = sa.select(
            LedgerEntry.amount_minor,
            LedgerEntry.status,
            LedgerEntry.refund_of_id,
            LedgerEntry.provider_id,
        ).where(LedgerEntry.kind == "refund")
        return [tuple(row) for row in db.session.execute(query.order_by(LedgerEntry.id))]


def test_a_dashboard_refund_is_one_ledger_row_and_comes_off_the_revenue(
    app, pair, coach, client, paid
):
    refund = in_dashboard(app, paid.provider_id, 10000)
    answer = deliver(app, client, "refund.created", refund, "evt_r1")
    assert answer == {"received": "refund of £100.00 recorded"}
    # The same refund told again, by another event, changes nothing.
    charge = {
        "id": refund["charge"],
        "object": "charge",
        "payment_intent": paid.provider_id,
        "amount_refunded": 10000,
        "refunds": {"data": [refund]},
    }
    assert deliver(app, client, "charge.refunded", charge, "evt_r2") == {
        "received": "refund already recorded"
    }
    assert refund_rows(app) == [(10000, "succeeded", paid.id, refund["id"])]
    shown = coach.get(f"/clients/{pair.client_id}/payments").get_data(as_text=True)
    assert re.search(r'id="refunded">£100.00<', shown)
    assert "Refunded in Stripe" in shown
    month = paid.created_at.strftime("%Y-%m")
    report = coach.get(f"/reports?from={month}&to={month}&currency=GBP").get_data(as_text=True)
    row = report.split(f'id="month-{month}"', 1)[1].split("</tr>", 1)[0]
    assert "£300.00" in row and "£100.00" in row
    # The sessions stay as they were: which ones the money was for is the coach's call.
    with app.app_context():
        statuses = set(db.session.scalars(sa.select(CoachingSession.status)))
    assert statuses == {"remaining"}


def test_a_refund_ondeck_made_is_not_recorded_twice(app, pair, coach, client, paid):
    coach.post(f"/clients/{pair.client_id}/payments/{paid.id}/refund")
    [(amount, status, of, provider_id)] = refund_rows(app)
    with app.app_context():
        refund = client_for(KEYS.secret_key).v1.refunds.retrieve(provider_id).to_dict()
    assert deliver(app, client, "refund.created", refund, "evt_own") == {
        "received": "refund made in OnDeck"
    }
    assert refund_rows(app) == [(amount, status, of, provider_id)]


def test_a_refund_of_a_payment_ondeck_does_not_know_is_ignored(app, pair, client, paid):
    refund = {
        "id": "re_other",
        "object": "refund",
        "payment_intent": "pi_other",
        "amount": 500,
        "currency": "gbp",
        "status": "succeeded",
        "metadata": {},
    }
    assert deliver(app, client, "refund.created", refund, "evt_x") == {
        "received": "not an OnDeck payment"
    }
    assert refund_rows(app) == []


def test_a_pending_refund_is_recorded_once_it_succeeds(app, pair, client, paid):
    refund = in_dashboard(app, paid.provider_id, 5000)
    pending = {**refund, "status": "pending"}
    assert deliver(app, client, "refund.created", pending, "evt_p") == {
        "received": "refund pending"
    }
    assert refund_rows(app) == []
    deliver(app, client, "refund.updated", refund, "evt_s")
    assert refund_rows(app) == [(5000, "succeeded", paid.id, refund["id"])]


def test_a_refund_naming_only_its_charge_is_matched_through_stripe(app, pair, client, paid):
    refund = in_dashboard(app, paid.provider_id, 2500)
    only_charge = {**refund, "payment_intent": None}
    stripe_base = app.config["STRIPE_API_BASE"]
    app.config["STRIPE_API_BASE"] = "http://127.0.0.1:9"  # Stripe unreachable for a moment
    answer = deliver(app, client, "refund.created", only_charge, "evt_c")
    assert "try again" in answer["error"]
    assert refund_rows(app) == []
    app.config["STRIPE_API_BASE"] = stripe_base
    # Stripe delivers the same event again, and this time it is applied.
    answer = deliver(app, client, "refund.created", only_charge, "evt_c")
    assert answer == {"received": "refund of £25.00 recorded"}
    assert refund_rows(app) == [(2500, "succeeded", paid.id, refund["id"])]
