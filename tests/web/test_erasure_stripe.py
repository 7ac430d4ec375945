"""Erasure cancels a card subscription at Stripe first: when Stripe cannot confirm it, nothing
is erased and the coach is told to try again; the retry goes through."""

from __future__ import annotations

import socket

import pytest
import sqlalchemy as sa

from tests.support.erasure import every_text
from tests.support.factories import PASSWORD
from tests.support.payments import KEYS, confirm_card, connect, stripe_settings
from tests.support.plusone import logged_in
from webapp.extensions import db
from webapp.models import ProgramSubscription
from webapp.services.stripe_gateway import client_for

CONFIRM = {"understood": "y"}


@pytest.fixture
def app_config(app_config, fake_stripe):
    return {**app_config, **stripe_settings(fake_stripe)}


@pytest.fixture
def subscribed(app, pair, fake_stripe):
    """Dana pays the coach's £200.00 a month program by card."""
    connect(app, pair.coach_id)
    person = logged_in(app, pair.person_email)
    base = f"/my/programs/{pair.client_id}/subscribe"
    setup = person.post(base + "/setup", data={}).json
    intent = confirm_card(fake_stripe, setup["client_secret"])
    assert person.post(base, data={"setup_intent": intent["id"]}).json["status"] == "active"
    return person


def subscription(app) -> ProgramSubscription:
    with app.app_context():
        return db.session.scalars(sa.select(ProgramSubscription)).one()


def at_stripe(app, provider_id: str) -> str:
    with app.app_context():
        return client_for(KEYS.secret_key).v1.subscriptions.retrieve(provider_id).status


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def customer_at_stripe(app, row: ProgramSubscription) -> dict:
    with app.app_context():
        stripe = client_for(KEYS.secret_key)
        customer = stripe.v1.subscriptions.retrieve(row.provider_id).customer
        return stripe.v1.customers.retrieve(str(customer)).to_dict()


def test_erasing_a_client_cancels_their_subscription_and_forgets_them_at_stripe(
    app, pair, coach, subscribed
):
    row = subscription(app)
    assert customer_at_stripe(app, row)["email"] == pair.person_email
    page = coach.get(f"/clients/{pair.client_id}/erase").get_data(as_text=True)
    assert "a card subscription (cancelled at Stripe)" in page
    assert coach.post(f"/clients/{pair.client_id}/erase", data=CONFIRM).status_code == 303
    row = subscription(app)
    assert (row.status, row.canceled_at is not None) == ("canceled", True)
    assert at_stripe(app, row.provider_id) == "canceled"
    customer = customer_at_stripe(app, row)
    assert customer["name"] == f"Erased client #{pair.person_id}"
    assert not customer.get("email")


def test_when_stripe_does_not_answer_nothing_is_erased(app, pair, coach, subscribed):
    real = app.config["STRIPE_API_BASE"]
    app.config["STRIPE_API_BASE"] = f"http://127.0.0.1:{closed_port()}"
    before = every_text(app)
    response = coach.post(f"/clients/{pair.client_id}/erase", data=CONFIRM)
    assert response.status_code == 409
    assert "nothing was erased" in response.get_data(as_text=True)
    assert every_text(app) == before
    assert subscription(app).status == "active"
    app.config["STRIPE_API_BASE"] = real
    assert coach.post(f"/clients/{pair.client_id}/erase", data=CONFIRM).status_code == 303
    assert subscription(app).status == "canceled"
    assert "dana client 1" not in every_text(app)


def test_a_client_deleting_their_account_cancels_it_too(app, pair, subscribed):
    data = {**CONFIRM, "current_password": PASSWORD}
    assert subscribed.post("/account/delete", data=data).status_code == 303
    row = subscription(app)
    assert row.status == "canceled" and at_stripe(app, row.provider_id) == "canceled"
