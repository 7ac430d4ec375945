"""Settling a card payment from Stripe's answer: the status fetched on the client's return,
or a signed webhook, whichever comes first. Each settles a pending ledger row by a conditional
update, so only one of them books what the payment was for (see card_payments)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa

from webapp.extensions import db
from webapp.models import LedgerEntry, Package, PaymentAccount, SavedCard, User
from webapp.rules.payments import LedgerStatus
from webapp.services.bookings import book_package
from webapp.services.changed_rows import changed_rows
from webapp.services.stripe_gateway import StripeError, client_for, keys_of


@dataclass
class Attempt:
    entry: LedgerEntry
    client_secret: str | None = None  # set when the card asks the client to authenticate


def refresh(account: PaymentAccount, entry: LedgerEntry, now: datetime) -> Attempt:
    """Ask Stripe how the entry's PaymentIntent stands and settle it accordingly."""
    if entry.status != LedgerStatus.PENDING or entry.provider_id is None:
        return Attempt(entry)
    db.session.commit()
    stripe = client_for(keys_of(account).secret_key)
    intent = stripe.v1.payment_intents.retrieve(entry.provider_id)
    return apply_intent(account, entry, intent.to_dict(), now)


def apply_intent(account: PaymentAccount, entry: LedgerEntry, intent: dict, now: datetime):
    status = intent.get("status")
    if status == "succeeded":
        method = intent.get("payment_method")
        method_id = str(method.get("id") if isinstance(method, dict) else method or "")
        settle_succeeded(entry, _last4(account, intent), method_id, now)
        return Attempt(entry)
    if status == "requires_action":
        return Attempt(entry, client_secret=intent.get("client_secret"))
    if status in ("requires_payment_method", "canceled"):
        error = intent.get("last_payment_error") or {}
        settle_failed(entry, error.get("message") or "The card was declined.", now)
    return Attempt(entry)


def _last4(account: PaymentAccount, intent: dict) -> str:
    method = intent.get("payment_method")
    if isinstance(method, dict):
        return str((method.get("card") or {}).get("last4") or "")
    if not method:
        return ""
    try:
        found = client_for(keys_of(account).secret_key).v1.payment_methods.retrieve(str(method))
    except StripeError:
        return ""
    card = found.to_dict().get("card") or {}
    return str(card.get("last4") or "")[:4]


def entry_for_intent(account: PaymentAccount, intent: dict) -> LedgerEntry | None:
    """The coach's ledger row a PaymentIntent pays, by its id or the row it names."""
    intent_id = str(intent.get("id") or "")
    entry = db.session.scalar(
        sa.select(LedgerEntry)
        .where(LedgerEntry.coach_id == account.coach_id, LedgerEntry.provider_id == intent_id)
        .with_for_update()
    )
    named = str((intent.get("metadata") or {}).get("ondeck_entry") or "")
    if entry is not None or not named.isdigit():
        return entry
    # The webhook came before the request that asked for the charge wrote Stripe's id.
    entry = db.session.scalar(
        sa.select(LedgerEntry)
        .where(
            LedgerEntry.id == int(named),
            LedgerEntry.coach_id == account.coach_id,
            LedgerEntry.provider_id.is_(None),
        )
        .with_for_update()
    )
    if entry is not None:
        entry.provider_id = intent_id
    return entry


def settle_succeeded(entry: LedgerEntry, last4: str, method_id: str, now: datetime) -> bool:
    """pending -> succeeded once; the one call that moves it books the package it paid for."""
    moved = changed_rows(
        db.session.execute(
            sa.update(LedgerEntry)
            .where(LedgerEntry.id == entry.id, LedgerEntry.status == LedgerStatus.PENDING)
            .values(status=LedgerStatus.SUCCEEDED, settled_at=now, card_last4=last4[:4])
            .execution_options(synchronize_session=False)
        )
    )
    db.session.refresh(entry)
    if not moved:
        return False
    if entry.package_id is not None and entry.booking_id is None:
        package = db.session.get(Package, entry.package_id)
        person = db.session.get(User, entry.client_user_id)
        assert package is not None and person is not None  # the row's foreign keys
        entry.booking_id = book_package(package, person, now).id
    if entry.save_card and method_id:
        card = db.session.scalar(
            sa.select(SavedCard).where(
                SavedCard.coach_id == entry.coach_id,
                SavedCard.client_user_id == entry.client_user_id,
            )
        )
        if card is not None:
            card.payment_method_id, card.card_last4, card.saved_at = method_id, last4[:4], now
    return True


def settle_failed(entry: LedgerEntry, reason: str, now: datetime) -> bool:
    moved = changed_rows(
        db.session.execute(
            sa.update(LedgerEntry)
            .where(LedgerEntry.id == entry.id, LedgerEntry.status == LedgerStatus.PENDING)
            .values(status=LedgerStatus.FAILED, settled_at=now, failure=reason[:300])
            .execution_options(synchronize_session=False)
        )
    )
    db.session.refresh(entry)
    return bool(moved)
