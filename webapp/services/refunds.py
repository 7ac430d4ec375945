"""The coach refunds a card payment for its unused sessions (all of them: a full refund),
through Stripe, and the ledger records what Stripe answered.

Like a +1 charge, a refund is a pending ledger row first: the request that writes it (its key
counts the charge's earlier refunds, so a double click writes one) voids the unused sessions in
the same transaction and only then asks Stripe. Stripe's answer settles the row with the amount
Stripe refunded; if Stripe refuses, the row is marked failed and the sessions come back.
After a refund the ledger balances: paid - refunded = the value of sessions used or remaining.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from webapp.extensions import db
from webapp.models import Booking, CoachingSession, LedgerEntry, PaymentAccount
from webapp.rules.payments import LedgerKind, LedgerStatus, PaymentError
from webapp.rules.plusone import SessionStatus
from webapp.services.stripe_gateway import StripeError, client_for, keys_of


@dataclass(frozen=True)
class Refundable:
    charge: LedgerEntry
    booking: Booking
    unused: int
    amount_minor: int

    @property
    def full(self) -> bool:
        return self.amount_minor == self.charge.amount_minor


def _unused(booking_id: int, *, for_update: bool = False) -> list[CoachingSession]:
    query = sa.select(CoachingSession).where(
        CoachingSession.booking_id == booking_id,
        CoachingSession.status == SessionStatus.REMAINING,
    )
    return list(db.session.scalars(query.with_for_update() if for_update else query))


def _refunded(charge_id: int) -> int:
    total = db.session.scalar(
        sa.select(sa.func.coalesce(sa.func.sum(LedgerEntry.amount_minor), 0)).where(
            LedgerEntry.refund_of_id == charge_id,
            LedgerEntry.status != LedgerStatus.FAILED,
        )
    )
    return int(total or 0)


def refund_amount(charge: LedgerEntry, booking: Booking, unused: int, refunded: int) -> int:
    """Every session unused and nothing refunded yet: the whole payment (no rounding lost).
    Otherwise the unused sessions at the booking's rate, never more than is left to refund."""
    if unused == booking.sessions_count and refunded == 0:
        return charge.amount_minor
    return min(unused * booking.rate_minor, charge.amount_minor - refunded)


def refundable(coach_id: int, client_user_id: int) -> list[Refundable]:
    """The client's card payments the coach can still refund, with what a refund returns."""
    rows = db.session.execute(
        sa.select(LedgerEntry, Booking)
        .join(Booking, Booking.id == LedgerEntry.booking_id)
        .where(
            LedgerEntry.coach_id == coach_id,
            LedgerEntry.client_user_id == client_user_id,
            LedgerEntry.kind == LedgerKind.CHARGE,
            LedgerEntry.status == LedgerStatus.SUCCEEDED,
            LedgerEntry.provider_id.is_not(None),
        )
        .order_by(LedgerEntry.created_at, LedgerEntry.id)
    ).all()
    found = []
    for charge, booking in rows:
        unused = len(_unused(booking.id))
        amount = refund_amount(charge, booking, unused, _refunded(charge.id)) if unused else 0
        if amount > 0:
            found.append(Refundable(charge, booking, unused, amount))
    return found


def refund_unused(
    account: PaymentAccount, charge_id: int, now: datetime, *, client_user_id: int
) -> LedgerEntry:
    """Refund a charge's unused sessions; raises PaymentError when there is nothing to refund."""
    entry, new = _pending_refund(account, charge_id, client_user_id, now)
    db.session.commit()
    if not new:
        return entry  # another request wrote it and asks (or asked) Stripe
    charge = db.session.get(LedgerEntry, charge_id)
    assert charge is not None and charge.provider_id is not None  # checked when written
    try:
        refund = client_for(keys_of(account).secret_key).v1.refunds.create(
            params={
                "payment_intent": charge.provider_id,
                "amount": entry.amount_minor,
                "metadata": {"ondeck_entry": str(entry.id)},
            },
            options={"idempotency_key": entry.idempotency_key or ""},
        )
    except StripeError as refused:
        _refund_failed(entry, refused.user_message or "Stripe refused the refund.", now)
        db.session.commit()
        return entry
    entry.provider_id = refund.id
    entry.amount_minor = int(refund.amount or entry.amount_minor)
    entry.status = LedgerStatus.SUCCEEDED if refund.status == "succeeded" else entry.status
    entry.settled_at = now
    db.session.commit()
    return entry


def _pending_refund(
    account: PaymentAccount, charge_id: int, client_user_id: int, now: datetime
) -> tuple[LedgerEntry, bool]:
    charge = db.session.scalar(
        sa.select(LedgerEntry)
        .where(
            LedgerEntry.id == charge_id,
            LedgerEntry.coach_id == account.coach_id,
            LedgerEntry.client_user_id == client_user_id,
            LedgerEntry.kind == LedgerKind.CHARGE,
            LedgerEntry.status == LedgerStatus.SUCCEEDED,
            LedgerEntry.provider_id.is_not(None),
            LedgerEntry.booking_id.is_not(None),
        )
        .with_for_update()
    )
    if charge is None:
        raise PaymentError("Only a card payment that went through can be refunded.")
    earlier = db.session.scalar(
        sa.select(sa.func.count()).where(LedgerEntry.refund_of_id == charge.id)
    )
    key = f"refund:{charge.id}:{earlier}"
    existing = db.session.scalar(sa.select(LedgerEntry).where(LedgerEntry.idempotency_key == key))
    if existing is not None:
        return existing, False
    booking = db.session.get(Booking, charge.booking_id)
    assert booking is not None  # the charge's foreign key
    unused = _unused(booking.id, for_update=True)
    amount = refund_amount(charge, booking, len(unused), _refunded(charge.id)) if unused else 0
    if amount <= 0:
        raise PaymentError("Every session of this payment is used or refunded already.")
    entry = LedgerEntry(
        coach_id=charge.coach_id,
        client_user_id=charge.client_user_id,
        kind=LedgerKind.REFUND,
        status=LedgerStatus.PENDING,
        amount_minor=amount,
        currency=charge.currency,
        booking_id=booking.id,
        refund_of_id=charge.id,
        idempotency_key=key,
        card_last4=charge.card_last4,
        sessions_voided=len(unused),
        recorded_by_id=account.coach_id,
        created_at=now,
    )
    try:
        with db.session.begin_nested():
            db.session.add(entry)
            db.session.flush()
    except IntegrityError:
        found = db.session.scalar(sa.select(LedgerEntry).where(LedgerEntry.idempotency_key == key))
        assert found is not None  # the unique key that refused the row names it
        return found, False
    for session in unused:
        session.status = SessionStatus.VOID
    return entry, True


def _refund_failed(entry: LedgerEntry, reason: str, now: datetime) -> None:
    """Stripe refused: the row says why and the sessions it voided are unused again."""
    entry.status, entry.failure, entry.settled_at = LedgerStatus.FAILED, reason[:300], now
    voided = db.session.scalars(
        sa.select(CoachingSession)
        .where(
            CoachingSession.booking_id == entry.booking_id,
            CoachingSession.status == SessionStatus.VOID,
        )
        .order_by(CoachingSession.id)
        .limit(entry.sessions_voided)
        .with_for_update()
    ).all()
    for session in voided:
        session.status = SessionStatus.REMAINING
