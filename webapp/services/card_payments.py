"""A client pays for a package by card, on OnDeck's page, through the coach's own Stripe.

The steps, each safe to repeat:
1. `start_setup`: a SetupIntent for the client's Stripe customer. Stripe.js collects the card
   into it on the client's device (no card data reaches OnDeck). A card saved for +1 is set up
   with `usage=off_session`, which is what `setup_future_usage=off_session` asks of a
   PaymentIntent: the client agrees here to later charges made while they are away.
2. `charge_card`: a pending ledger row keyed by the SetupIntent (committed first), then a
   PaymentIntent for the amount on that card, with the same key as Stripe's
   idempotency key: a double click or a retry finds the row and asks Stripe for the same charge.
3. `webapp.services.settlement`: when Stripe says the PaymentIntent succeeded (the status
   fetched on the client's return, or the signed `payment_intent.succeeded` webhook, whichever
   comes first) the row goes pending -> succeeded by a conditional update, and only the request
   that moved it books the package. The booking exists only then, exactly once.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from webapp.extensions import db
from webapp.models import Booking, LedgerEntry, Package, PaymentAccount, SavedCard, User
from webapp.rules.payments import LedgerKind, LedgerStatus
from webapp.services.settlement import Attempt, refresh, settle_failed
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


@dataclass(frozen=True)
class Purchase:
    """What a card payment pays for: a package (booked once paid) or a booking with payment
    due (a +1 whose saved card was declined)."""

    amount_minor: int
    currency: str
    package_id: int | None = None
    booking_id: int | None = None

    @classmethod
    def of_package(cls, package: Package) -> Purchase:
        return cls(package.total_minor, package.currency, package_id=package.id)

    @classmethod
    def of_booking(cls, booking: Booking) -> Purchase:
        return cls(booking.total_minor, booking.currency, booking_id=booking.id)


def charge_card(
    account: PaymentAccount,
    purchase: Purchase,
    client_user: User,
    setup_intent_id: str,
    *,
    save_card: bool,
    now: datetime,
) -> Attempt:
    """Charge the purchase on the card the SetupIntent collected (see the module)."""
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
    entry = _pending_entry(account, purchase, client_user, setup_intent_id, save_card, now)
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


def _pending_entry(account, purchase, client_user, setup_intent_id, save_card, now) -> LedgerEntry:
    key = f"card:{account.coach_id}:{setup_intent_id}"
    entry = LedgerEntry(
        coach_id=account.coach_id,
        client_user_id=client_user.id,
        kind=LedgerKind.CHARGE,
        status=LedgerStatus.PENDING,
        amount_minor=purchase.amount_minor,
        currency=purchase.currency,
        package_id=purchase.package_id,
        booking_id=purchase.booking_id,
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
