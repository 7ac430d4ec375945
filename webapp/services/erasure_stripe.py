"""Card subscriptions of people being erased are cancelled at Stripe, and the name and
address struck from their Stripe customers, before anything in OnDeck changes: an erasure that
Stripe refuses leaves everything as it was, and a retry (or a double submit) finds a
subscription already cancelled and goes on."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa

from webapp.extensions import db
from webapp.models import PaymentAccount, ProgramSubscription, SavedCard
from webapp.rules.erasure import ErasureRefused
from webapp.rules.payments import LIVE_SUBSCRIPTION, SubscriptionStatus
from webapp.services.stripe_gateway import StripeError, client_for, keys_of

STRIPE_DOWN = (
    "Stripe did not confirm that the card subscription is cancelled and the card details "
    "forgotten, so nothing was erased. Try again in a moment."
)


def live_subscriptions(client_ids: list[int]) -> list[ProgramSubscription]:
    if not client_ids:
        return []
    return list(
        db.session.scalars(
            sa.select(ProgramSubscription).where(
                ProgramSubscription.client_id.in_(client_ids),
                ProgramSubscription.status.in_(LIVE_SUBSCRIPTION),
            )
        )
    )


def _stripe_of(coach_id: int):
    account = db.session.scalar(
        sa.select(PaymentAccount).where(PaymentAccount.coach_id == coach_id)
    )
    return client_for(keys_of(account).secret_key) if account else None


def cancel_at_stripe(rows: list[ProgramSubscription]) -> None:
    """Ask Stripe to end each one now; ErasureRefused when Stripe cannot be reached or says no
    (an already cancelled one counts as done)."""
    for row in rows:
        stripe = _stripe_of(row.coach_id)
        if stripe is None:
            continue  # Stripe disconnected: nothing OnDeck can reach is billing them
        try:
            found = stripe.v1.subscriptions.retrieve(row.provider_id)
            if found.status != SubscriptionStatus.CANCELED:
                stripe.v1.subscriptions.cancel(row.provider_id)
        except StripeError as error:
            raise ErasureRefused(STRIPE_DOWN) from error


def anonymise_at_stripe(cards: list[SavedCard], name: str) -> None:
    """The person's customer in each coach's Stripe account loses their name and address (the
    payments Stripe keeps for the coach's books stay); ErasureRefused when Stripe says no."""
    for card in cards:
        stripe = _stripe_of(card.coach_id)
        if stripe is None:
            continue
        try:
            stripe.v1.customers.update(card.customer_id, params={"name": name, "email": ""})
        except StripeError as error:
            raise ErasureRefused(STRIPE_DOWN) from error


def mark_cancelled(rows: list[ProgramSubscription], now: datetime) -> None:
    for row in rows:
        row.status, row.canceled_at = SubscriptionStatus.CANCELED, now
