"""A coach's Payments settings, manual payments and the ledger read the pages show.

Without a PaymentAccount a coach works as before: bookings record what is due and the coach
records what the client paid by hand (cash, bank transfer, another terminal).
"""

from __future__ import annotations

import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from flask import current_app, url_for
from sqlalchemy.exc import IntegrityError

from webapp.extensions import db
from webapp.models import Booking, CoachingSession, LedgerEntry, PaymentAccount
from webapp.rules import payments
from webapp.rules.money import Money
from webapp.rules.payments import LedgerKind, LedgerStatus, ManualMethod
from webapp.rules.plusone import SessionStatus
from webapp.services.sealed import Unreadable, seal, unseal
from webapp.services.stripe_gateway import check_connection


def account_of(coach_id: int, *, for_update: bool = False) -> PaymentAccount | None:
    query = sa.select(PaymentAccount).where(PaymentAccount.coach_id == coach_id)
    return db.session.scalar(query.with_for_update() if for_update else query)


def account_by_webhook_key(key: str) -> PaymentAccount | None:
    return db.session.scalar(sa.select(PaymentAccount).where(PaymentAccount.webhook_key == key))


def webhook_url(account: PaymentAccount) -> str:
    path = url_for("payments.webhook", key=account.webhook_key)
    return current_app.config["PUBLIC_URL"] + path


def save_keys(coach_id: int, keys: payments.StripeKeys) -> PaymentAccount:
    """Connect (or reconnect) the coach's Stripe account; the webhook URL stays the same."""
    account = account_of(coach_id, for_update=True)
    if account is None:
        account = PaymentAccount(coach_id=coach_id, webhook_key=secrets.token_urlsafe(32))
        db.session.add(account)
    account.secret_key_sealed = seal(keys.secret_key)
    account.publishable_key_sealed = seal(keys.publishable_key)
    if keys.webhook_secret or not account.webhook_secret_sealed:
        # Left empty: the secret saved before is kept (or none yet, and webhooks are refused).
        account.webhook_secret_sealed = seal(keys.webhook_secret)
    account.test_mode = payments.is_test_mode(keys.secret_key)
    account.checked_at, account.check_error = None, ""
    return account


def disconnect(coach_id: int) -> bool:
    account = account_of(coach_id, for_update=True)
    if account is None:
        return False
    db.session.delete(account)
    return True


def test_connection(account: PaymentAccount, now: datetime) -> str:
    """Ask Stripe whether the stored secret key opens the account; '' when it does."""
    try:
        error = check_connection(unseal(account.secret_key_sealed))
    except Unreadable as unreadable:
        error = f"{unreadable} Paste the keys again."
    account.checked_at, account.check_error = now, error
    return error


def card_payments_on(coach_id: int) -> bool:
    return account_of(coach_id) is not None


def takes_cards(coach_id: sa.ColumnElement[int]) -> sa.Exists:
    """`card_payments_on` as a column, to read beside a coach's row."""
    return sa.exists().where(PaymentAccount.coach_id == coach_id)


def record_manual(
    *,
    coach_id: int,
    client_user_id: int,
    amount: Money,
    method: ManualMethod,
    note: str,
    form_key: str,
    now: datetime,
    booking_id: int | None = None,
) -> tuple[LedgerEntry, bool]:
    """Record money the coach received outside OnDeck, for a booking when given (a booking
    with payment due is then paid); (entry, whether it is new).

    The form carries a key of its own: a double click or a resent form finds the entry the
    first one wrote instead of recording the payment twice.
    """
    key = f"manual:{coach_id}:{form_key}"
    entry = LedgerEntry(
        coach_id=coach_id,
        client_user_id=client_user_id,
        kind=LedgerKind.MANUAL,
        status=LedgerStatus.SUCCEEDED,
        amount_minor=amount.minor,
        currency=amount.currency,
        method=method,
        booking_id=booking_id,
        note=note.strip()[:300],
        idempotency_key=key,
        recorded_by_id=coach_id,
        created_at=now,
        settled_at=now,
    )
    try:
        with db.session.begin_nested():
            db.session.add(entry)
            db.session.flush()
    except IntegrityError:
        existing = db.session.scalar(
            sa.select(LedgerEntry).where(LedgerEntry.idempotency_key == key)
        )
        assert existing is not None  # the unique key that refused the row names it
        return existing, False
    return entry, True


@dataclass
class Statement:
    """What a client paid a coach and what is still due, with every ledger row."""

    entries: list[LedgerEntry]
    balance: payments.Balance | None

    @property
    def empty(self) -> bool:
        return not self.entries and (self.balance is None or self.balance.due.minor == 0)


def standing_value(booking: Booking, void_sessions: int) -> int:
    """What a booking is worth once some of its sessions are void (refunded or undone)."""
    if void_sessions >= booking.sessions_count:
        return 0
    return booking.total_minor - void_sessions * booking.rate_minor


def _bookings_with_void(coach_id: int, client_user_id: int) -> list[tuple[Booking, int]]:
    void_count = (
        sa.select(sa.func.count())
        .where(
            CoachingSession.booking_id == Booking.id,
            CoachingSession.status == SessionStatus.VOID,
        )
        .correlate(Booking)
        .scalar_subquery()
    )
    query = sa.select(Booking, void_count).where(
        Booking.coach_id == coach_id, Booking.client_user_id == client_user_id
    )
    return [(booking, void) for booking, void in db.session.execute(query)]


def statement(
    coach_id: int,
    client_user_id: int,
    *,
    bookings_with_void: Sequence[tuple[Booking, int]] | None = None,
) -> Statement:
    """`bookings_with_void`: the pair's bookings with their void session counts, when the
    page read them already (`coaching_sessions.Account.bookings_with_void`)."""
    entries = db.session.scalars(
        sa.select(LedgerEntry)
        .where(LedgerEntry.coach_id == coach_id, LedgerEntry.client_user_id == client_user_id)
        .order_by(LedgerEntry.created_at.desc(), LedgerEntry.id.desc())
    ).all()
    rows = bookings_with_void
    if rows is None:
        rows = _bookings_with_void(coach_id, client_user_id)
    currencies = {b.currency for b, _ in rows} | {e.currency for e in entries}
    if len(currencies) != 1:
        # Nothing yet, or several currencies: the rows are listed without a total.
        return Statement(list(entries), None)
    currency = currencies.pop()
    owed = Money(sum(standing_value(b, void) for b, void in rows), currency)
    program = {e.id for e in entries if payments.is_program_payment(e.idempotency_key)}
    lines = [
        payments.LedgerLine(
            e.kind,
            e.status,
            Money(e.amount_minor, e.currency),
            program=e.id in program or e.refund_of_id in program,
        )
        for e in entries
    ]
    return Statement(list(entries), payments.balance(lines, owed))
