"""Stripe webhooks on a coach's URL: verified, stored once, and applied in one transaction.

The event row and its effect commit together: a replayed or duplicated delivery of the same
event id meets the unique (coach, event id) constraint and changes nothing; an effect that
fails rolls the event row back with it, so Stripe's retry applies it then. Events about objects
OnDeck does not know (another app on the same Stripe account) are stored and ignored.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import datetime

from sqlalchemy.exc import IntegrityError

from webapp.extensions import db
from webapp.models import PaymentAccount, WebhookEvent
from webapp.rules.payments import LedgerStatus, WebhookRefused, verify_signature
from webapp.services import outside_refunds, settlement, subscriptions
from webapp.services.sealed import Unreadable, unseal

# type -> handler(account, the event's data.object, now) -> what it did, in a few words.
Handler = Callable[[PaymentAccount, dict, datetime], str]
HANDLERS: dict[str, Handler] = {}


def handles(event_type: str) -> Callable[[Handler], Handler]:
    def register(handler: Handler) -> Handler:
        HANDLERS[event_type] = handler
        return handler

    return register


def receive(account: PaymentAccount, payload: bytes, header: str | None, now: datetime) -> str:
    """Apply one delivery; raises WebhookRefused (nothing stored) when it is not Stripe's."""
    try:
        secret = unseal(account.webhook_secret_sealed)
    except Unreadable:
        raise WebhookRefused("The stored signing secret cannot be read.") from None
    if not secret:
        raise WebhookRefused("No webhook signing secret is saved for this account yet.")
    verify_signature(payload, header, secret, now)
    try:
        event = json.loads(payload)
        event_id, event_type = str(event["id"]), str(event["type"])
        obj = event["data"]["object"]
    except (ValueError, KeyError, TypeError):
        raise WebhookRefused("The payload is not a Stripe event.") from None
    if not isinstance(obj, dict) or not event_id or len(event_id) > 255:
        raise WebhookRefused("The payload is not a Stripe event.")
    row = WebhookEvent(coach_id=account.coach_id, event_id=event_id, type=event_type[:100])
    try:
        with db.session.begin_nested():
            db.session.add(row)
            db.session.flush()
    except IntegrityError:
        return "already received"
    handler = HANDLERS.get(event_type)
    row.outcome = (handler(account, obj, now) if handler else "not used")[:300]
    row.received_at = now
    return row.outcome


@handles("payment_intent.succeeded")
@handles("payment_intent.payment_failed")
def _payment_intent(account: PaymentAccount, intent: dict, now: datetime) -> str:
    entry = settlement.entry_for_intent(account, intent)
    if entry is None:
        return "not an OnDeck payment"
    if entry.status != LedgerStatus.PENDING:
        return f"already {entry.status}"
    settlement.apply_intent(account, entry, intent, now)
    return f"payment {entry.status}"


@handles("invoice.payment_succeeded")
def _invoice_paid(account: PaymentAccount, invoice: dict, now: datetime) -> str:
    return subscriptions.renewal(account, invoice, paid=True, now=now)


@handles("invoice.payment_failed")
def _invoice_failed(account: PaymentAccount, invoice: dict, now: datetime) -> str:
    return subscriptions.renewal(account, invoice, paid=False, now=now)


@handles("customer.subscription.deleted")
def _subscription_ended(account: PaymentAccount, subscription: dict, now: datetime) -> str:
    return subscriptions.ended(account, subscription, now)


@handles("refund.created")
@handles("refund.updated")
def _refund(account: PaymentAccount, refund: dict, now: datetime) -> str:
    return outside_refunds.record(account, refund, now)


@handles("charge.refunded")
def _charge_refunded(account: PaymentAccount, charge: dict, now: datetime) -> str:
    return outside_refunds.record_charge(account, charge, now)
