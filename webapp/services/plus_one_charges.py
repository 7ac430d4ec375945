"""+1 charges the card a client saved: one off-session PaymentIntent per +1 booking.

Why a pending row and a charge after commit: the completion that books the +1 writes a pending
ledger row (keyed `plus_one:<booking id>`) in its own transaction, and Stripe is asked only once
that transaction has committed. A completion that rolls back (a lost race, a database error)
takes its pending row with it, so it can never have charged anyone; a committed row is charged
by the request that made it, or later by `flask payments charge-pending` if that request died
first. Whoever charges claims the row with a conditional update, and the PaymentIntent carries
the row's key as Stripe's idempotency key, so one booking is one charge however many try.
The +1 emails wait for the answer, so they can say what was charged, or give the pay link.
The pending row itself is written by `webapp.services.pending_charges`.
"""

from __future__ import annotations

from datetime import datetime, timedelta

import sqlalchemy as sa
from flask import current_app, url_for

from webapp.extensions import db
from webapp.models import Booking, CoachingSession, LedgerEntry, PaymentAccount, SavedCard, User
from webapp.rules.money import Money
from webapp.rules.payments import LedgerStatus
from webapp.services.amounts import format_money
from webapp.services.changed_rows import changed_rows
from webapp.services.coaching_sessions import remaining_last_package_and_enrolment
from webapp.services.plus_one_mail import queue_plus_one_emails
from webapp.services.settlement import settle_failed, settle_succeeded
from webapp.services.stripe_gateway import CardError, StripeError, client_for, keys_of

# A claim older than this belongs to a request that died: another may charge the row.
CLAIM = timedelta(minutes=2)


def charge_pending(entry_id: int, now: datetime) -> LedgerEntry | None:
    """After commit: charge one pending +1 row (if no one else holds it) and send its emails."""
    claimed = changed_rows(
        db.session.execute(
            sa.update(LedgerEntry)
            .where(
                LedgerEntry.id == entry_id,
                LedgerEntry.status == LedgerStatus.PENDING,
                LedgerEntry.provider_id.is_(None),
                sa.or_(LedgerEntry.claimed_at.is_(None), LedgerEntry.claimed_at < now - CLAIM),
            )
            .values(claimed_at=now)
            .execution_options(synchronize_session=False)
        )
    )
    db.session.commit()
    entry = db.session.get(LedgerEntry, entry_id, populate_existing=True)
    if not claimed or entry is None:
        return entry
    account = db.session.scalar(
        sa.select(PaymentAccount).where(PaymentAccount.coach_id == entry.coach_id)
    )
    card = db.session.scalar(
        sa.select(SavedCard).where(
            SavedCard.coach_id == entry.coach_id, SavedCard.client_user_id == entry.client_user_id
        )
    )
    db.session.commit()  # nothing is locked while Stripe answers
    if account is None or card is None or card.payment_method_id is None:
        settle_failed(entry, "No saved card to charge.", now)
        _emails(entry, now)
        db.session.commit()
        return entry
    try:
        intent = client_for(keys_of(account).secret_key).v1.payment_intents.create(
            params={
                "amount": entry.amount_minor,
                "currency": entry.currency.lower(),
                "customer": card.customer_id,
                "payment_method": card.payment_method_id,
                "off_session": True,
                "confirm": True,
                "metadata": {"ondeck_entry": str(entry.id)},
            },
            options={"idempotency_key": entry.idempotency_key or ""},
        )
    except CardError as declined:
        settle_failed(entry, declined.user_message or "The card was declined.", now)
    except StripeError:
        # Stripe could not be reached: the row stays pending for charge-pending to retry.
        db.session.execute(
            sa.update(LedgerEntry).where(LedgerEntry.id == entry.id).values(claimed_at=None)
        )
        db.session.commit()
        return entry
    else:
        entry.provider_id = intent.id
        if intent.status == "succeeded":
            settle_succeeded(entry, card.card_last4, card.payment_method_id, now)
        else:
            # Needs the client to authenticate, or anything but paid: payment due.
            settle_failed(entry, "Your bank asks you to confirm this payment.", now)
    _emails(entry, now)
    db.session.commit()
    return entry


def charge_all_pending(now: datetime) -> int:
    """Charge every +1 row left pending by a request that died before charging it."""
    ids = db.session.scalars(
        sa.select(LedgerEntry.id).where(
            LedgerEntry.status == LedgerStatus.PENDING,
            LedgerEntry.provider_id.is_(None),
            LedgerEntry.idempotency_key.like("plus_one:%"),
        )
    ).all()
    db.session.commit()
    for entry_id in ids:
        charge_pending(entry_id, now)
    return len(ids)


def _emails(entry: LedgerEntry, now: datetime) -> None:
    """The +1 emails, saying what the saved card was charged, or where to pay."""
    booking = db.session.get(Booking, entry.booking_id)
    coach = db.session.get(User, entry.coach_id)
    person = db.session.get(User, entry.client_user_id)
    session = db.session.scalar(
        sa.select(CoachingSession).where(CoachingSession.booking_id == entry.booking_id)
    )
    assert booking is not None and coach is not None and person is not None
    _remaining, last, _ = remaining_last_package_and_enrolment(coach.id, person.id)
    if last is None or session is None:
        return
    amount = format_money(Money(entry.amount_minor, entry.currency))
    charge = {"paid": entry.status == LedgerStatus.SUCCEEDED, "amount": amount}
    charge["last4"] = entry.card_last4
    if not charge["paid"]:
        charge["reason"] = entry.failure
        charge["pay_url"] = current_app.config["PUBLIC_URL"] + url_for(
            "payments.checkout_due", coach_id=coach.id, booking_id=booking.id
        )
    rate = Money(booking.rate_minor, booking.currency)
    queue_plus_one_emails(
        rate, last, session.scheduled_at, coach, person, session.calendar_client_id, charge
    )
