"""Connecting a coach to the fake Stripe, and signed webhook deliveries for tests."""

from __future__ import annotations

import json
import time

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
