"""Connecting a coach to the fake Stripe, and signed webhook deliveries for tests."""

from __future__ import annotations

import json
import time
import urllib.error
import urllib.request

from tests.support.stripe_server import FakeStripe
from webapp.extensions import db
from webapp.models import PaymentAccount
from webapp.rules.payments import StripeKeys, signature_header
from webapp.services.payments import save_keys

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
