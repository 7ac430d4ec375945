"""A client pays for a package by card, on OnDeck's page, through the coach's own Stripe.

The steps, each safe to repeat:
1. `start_setup`: a SetupIntent for the client's Stripe customer. Stripe.js collects the card
   into it on the client's device (no card data reaches OnDeck). A card saved for +1 is set up
   with `usage=off_session`, which is what `setup_future_usage=off_session` asks of a
   PaymentIntent: the client agrees here to later charges made while they are away.
2. `charge_package`: a pending ledger row keyed by the SetupIntent (committed first), then a
   PaymentIntent for the package's total on that card, with the same key as Stripe's
   idempotency key: a double click or a retry finds the row and asks Stripe for the same charge.
3. `settle`: when Stripe says the PaymentIntent succeeded (the status fetched on the client's
   return, or the signed `payment_intent.succeeded` webhook, whichever comes first) the row goes
   pending -> succeeded by a conditional update, and only the request that moved it books the
   package. The booking exists only then, exactly once.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from webapp.extensions import db
from webapp.models import LedgerEntry, Package, PaymentAccount, SavedCard, User
from webapp.rules.payments import LedgerKind, LedgerStatus
from webapp.services.bookings import book_package
from webapp.services.changed_rows import changed_rows
from webapp.services.stripe_gateway import CardError, StripeError, client_for, keys_of


class PaymentRefused(Exception):
    """Stripe said no, or the request does not fit the client's own card setup."""


def customer_of(account: PaymentAccount, client_user: User) -> SavedCard:
    """The client's Stripe customer in the coach's account, made on first use."""
    row = db.session.scalar(
        sa.select(SavedCard).where(
            SavedCard.coach_id == account.coach_id, SavedCard.client_user_id == client_user.id
        )
    )
    if row is not None:
        return row
    db.session.commit()  # no database lock is held while Stripe answers
    stripe = client_for(keys_of(account).secret_key)
    customer = stripe.v1.customers.create(
        params={"email": client_user.email, "name": client_user.name},
        options={"idempotency_key": f"customer:{account.coach_id}:{client_user.id}"},
    )
    row = SavedCard(
        coach_id=account.coach_id, client_user_id=client_user.id, customer_id=customer.id
    )
    try:
        with db.session.begin_nested():
            db.session.add(row)
            db.session.flush()
    except IntegrityError:
        # Another tab made it a moment ago, with the same customer (same idempotency key).
        return db.session.scalars(
            sa.select(SavedCard).where(
                SavedCard.coach_id == account.coach_id,
                SavedCard.client_user_id == client_user.id,
            )
        ).one()
    return row


def start_setup(account: PaymentAccount, client_user: User, *, save_card: bool) -> str:
    """The client secret of a new SetupIntent for Stripe.js to confirm the card into."""
    card = customer_of(account, client_user)
    db.session.commit()
    stripe = client_for(keys_of(account).secret_key)
    intent = stripe.v1.setup_intents.create(
        params={
            "customer": card.customer_id,
            "usage": "off_session" if save_card else "on_session",
            "payment_method_types": ["card"],
        }  # type: ignore[arg-type]  # mypy widens the literal "usage" to str
    )
    assert intent.client_secret is not None  # Stripe gives every new SetupIntent one
    return intent.client_secret


@dataclass
class Attempt:
    entry: LedgerEntry
    client_secret: str | None = None  # set when the card asks the client to authenticate


def charge_package(
    account: PaymentAccount,
    package: Package,
    client_user: User,
    setup_intent_id: str,
    *,
    save_card: bool,
    now: datetime,
) -> Attempt:
    """Charge the package's total on the card the SetupIntent collected (see the module)."""
    keys = keys_of(account)
    stripe = client_for(keys.secret_key)
    card = customer_of(account, client_user)
    db.session.commit()
    try:
        setup = stripe.v1.setup_intents.retrieve(setup_intent_id)
    except StripeError as error:
        raise PaymentRefused("That card setup is not known to Stripe.") from error
    if setup.customer != card.customer_id or setup.status != "succeeded":
        raise PaymentRefused("The card was not set up; enter it again.")
    method = str(setup.payment_method)
    entry = _pending_entry(account, package, client_user, setup_intent_id, save_card, now)
    db.session.commit()
    if entry.provider_id is None:
        try:
            intent = stripe.v1.payment_intents.create(
                params={
                    "amount": entry.amount_minor,
                    "currency": entry.currency.lower(),
                    "customer": card.customer_id,
                    "payment_method": method,
                    "confirm": True,
                    "metadata": {"ondeck_entry": str(entry.id)},
                },
                options={"idempotency_key": entry.idempotency_key or ""},
            )
        except CardError as declined:
            settle_failed(entry, declined.user_message or "The card was declined.", now)
            return Attempt(entry)
        entry.provider_id = intent.id
        db.session.commit()
    return refresh(account, entry, now)


def _pending_entry(account, package, client_user, setup_intent_id, save_card, now) -> LedgerEntry:
    key = f"package:{account.coach_id}:{setup_intent_id}"
    entry = LedgerEntry(
        coach_id=account.coach_id,
        client_user_id=client_user.id,
        kind=LedgerKind.CHARGE,
        status=LedgerStatus.PENDING,
        amount_minor=package.total_minor,
        currency=package.currency,
        package_id=package.id,
        idempotency_key=key,
        save_card=save_card,
        created_at=now,
    )
    try:
        with db.session.begin_nested():
            db.session.add(entry)
            db.session.flush()
    except IntegrityError:
        found = db.session.scalar(sa.select(LedgerEntry).where(LedgerEntry.idempotency_key == key))
        assert found is not None  # the unique key that refused the row names it
        return found
    return entry


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
