"""Connecting a coach to the fake Stripe, and signed webhook deliveries for tests."""

from __future__ import annotations

import json
import time
import urllib.error
import urllib.request

import sqlalchemy as sa

from tests.support.plusone import logged_in, make_package
from tests.support.stripe_server import FakeStripe
from webapp.extensions import db
from webapp.models import PaymentAccount, SavedCard
from webapp.rules.payments import StripeKeys, signature_header
from webapp.services.payments import save_keys
from webapp.services.stripe_gateway import client_for

KEYS = StripeKeys("sk_test_ondeck_coach", "pk_test_ondeck_coach", "whsec_ondeck_test_secret")


def stripe_settings(fake: FakeStripe) -> dict:
    return {"STRIPE_API_BASE": fake.url, "STRIPE_JS_URL": fake.js_url}


def connect(app, coach_id: int, keys: StripeKeys = KEYS) -> PaymentAccount:
    with app.app_context():
        account = save_keys(coach_id, keys)
        db.session.commit()
        return account


def signed(event: dict, secret: str = KEYS.webhook_secret, at: int | None = None):
    """(body, headers) of a delivery Stripe would make of `event` at time `at`."""
    body = json.dumps(event).encode()
    stamp = int(time.time()) if at is None else at
    return body, {
        "Stripe-Signature": signature_header(body, secret, stamp),
        "Content-Type": "application/json",
    }


def confirm_card(fake: FakeStripe, client_secret: str, number: str = "4242424242424242") -> dict:
    """What Stripe.js's confirmCardSetup does on the client's device: the card goes to Stripe
    with the publishable key, never to OnDeck. Returns the SetupIntent Stripe answers with."""
    setup_id = client_secret.split("_secret_")[0]
    body = json.dumps(
        {
            "key": KEYS.publishable_key,
            "client_secret": client_secret,
            "payment_method_data": {
                "type": "card",
                "card": {"number": number, "exp_month": "12", "exp_year": "2030", "cvc": "123"},
            },
        }
    ).encode()
    request = urllib.request.Request(
        f"{fake.url}/v1/setup_intents/{setup_id}/confirm",
        data=body,
        headers={"Content-Type": "application/json"},
    )
    try:
        with urllib.request.urlopen(request, timeout=10) as answer:
            return json.loads(answer.read())
    except urllib.error.HTTPError as refused:
        return json.loads(refused.read())


def card_client(
    app,
    fake: FakeStripe,
    pair,
    *,
    sessions: int = 5,
    total_minor: int = 40000,
    number: str = "4242424242424242",
    enrol: bool = True,
):
    """The coach takes cards; the pair's client buys a package by card, saving the card for +1,
    and enrols in +1. Returns the client's logged-in test client."""

    connect(app, pair.coach_id)
    package_id = make_package(app, pair.coach_id, sessions, total_minor)
    person = logged_in(app, pair.person_email)
    base = f"/my/coaches/{pair.coach_id}/packages/{package_id}"
    setup = person.post(base + "/pay/setup", data={"save_card": "y"}).json
    setup_intent = confirm_card(fake, setup["client_secret"], number)
    paid = person.post(base + "/pay", data={"save_card": "y", "setup_intent": setup_intent["id"]})
    assert paid.json["status"] == "succeeded", paid.json
    if enrol:
        person.post(f"/my/coaches/{pair.coach_id}/plus-one", data={"action": "enrol"})
    return person


def card_now_declines(app, fake: FakeStripe, pair, number: str = "4000000000000341") -> None:
    """The client's saved card stops working (say it expired): the saved payment method is
    now one Stripe declines when charged (localstripe's 4000 0000 0000 0341)."""
    with app.app_context():
        card = db.session.scalar(sa.select(SavedCard).where(SavedCard.coach_id == pair.coach_id))
        stripe = client_for(KEYS.secret_key)
        setup = stripe.v1.setup_intents.create(params={"customer": card.customer_id})
        confirmed = confirm_card(fake, setup.client_secret, number)
        card.payment_method_id, card.card_last4 = confirmed["payment_method"], number[-4:]
        db.session.commit()
