"""The one module that talks to Stripe: a client for a coach's own account, and the calls
OnDeck makes. `STRIPE_API_BASE` points it at another server (the tests' fake Stripe).

Every call that moves money carries an idempotency key derived from what it pays for, so a
retried request asks Stripe for the same charge again rather than a second one.
"""

from __future__ import annotations

from dataclasses import dataclass

import stripe
from flask import current_app
from stripe._base_address import BaseAddresses

from webapp.models import PaymentAccount
from webapp.services.sealed import Unreadable, unseal

# Answers from Stripe that mean "no" rather than "broken": shown to the person, not a 500.
StripeError = stripe.StripeError
CardError = stripe.CardError


@dataclass(frozen=True)
class Keys:
    secret_key: str
    publishable_key: str
    webhook_secret: str


def keys_of(account: PaymentAccount) -> Keys:
    return Keys(
        unseal(account.secret_key_sealed),
        unseal(account.publishable_key_sealed),
        unseal(account.webhook_secret_sealed),
    )


def client_for(secret_key: str) -> stripe.StripeClient:
    base = current_app.config.get("STRIPE_API_BASE") or ""
    addresses: BaseAddresses = {"api": base} if base else {}
    return stripe.StripeClient(
        secret_key,
        base_addresses=addresses,
        max_network_retries=2,
    )


def check_connection(secret_key: str) -> str:
    """'' when the key opens the account, else what Stripe (or the network) said."""
    try:
        client_for(secret_key).v1.balance.retrieve()
    except stripe.AuthenticationError:
        return "Stripe refused the secret key."
    except StripeError as refused:
        return (refused.user_message or str(refused) or "Stripe could not be reached.")[:300]
    return ""


__all__ = ["CardError", "Keys", "StripeError", "Unreadable", "check_connection", "client_for"]
