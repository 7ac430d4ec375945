"""Refunds made outside OnDeck, in Stripe's own dashboard, as Stripe tells of them by webhook
(`refund.created`, `refund.updated`, `charge.refunded`): each is one refund row in the ledger,
keyed by Stripe's refund id, so the statement and the reports take it off the revenue.

Which sessions such a refund was for is not said, so none is voided: the coach, who made it,
decides that on the client's Sessions page. A refund OnDeck itself asked for (its metadata
names OnDeck's row) is already recorded and is left alone.
"""

from __future__ import annotations

from datetime import UTC, datetime

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from webapp.extensions import db
from webapp.models import LedgerEntry, PaymentAccount
from webapp.rules.money import Money
from webapp.rules.payments import LedgerKind, LedgerStatus
from webapp.services.amounts import format_money
from webapp.services.stripe_gateway import client_for, keys_of

NOTE = "Refunded in Stripe"


def record(account: PaymentAccount, refund: dict, now: datetime) -> str:
    """One refund Stripe reports; what was done, in a few words."""
    if (refund.get("metadata") or {}).get("ondeck_entry"):
        return "refund made in OnDeck"
    refund_id = str(refund.get("id") or "")
    if not refund_id.startswith("re_"):
        return "not a refund"
    charge = _charge_of(account, refund)
    if charge is None:
        return "not an OnDeck payment"
    if refund.get("status") != "succeeded":
        return f"refund {refund.get('status') or 'not settled'}"
    if _known(refund_id):
        return "refund already recorded"
    amount = int(refund.get("amount") or 0)
    if amount <= 0:
        return "refund of nothing"
    created = refund.get("created")
    entry = LedgerEntry(
        coach_id=charge.coach_id,
        client_user_id=charge.client_user_id,
        kind=LedgerKind.REFUND,
        status=LedgerStatus.SUCCEEDED,
        amount_minor=amount,
        currency=charge.currency,
        booking_id=charge.booking_id,
        refund_of_id=charge.id,
        provider_id=refund_id,
        idempotency_key=f"stripe-refund:{refund_id}",
        card_last4=charge.card_last4,
        note=NOTE,
        created_at=now,
        settled_at=datetime.fromtimestamp(int(created), UTC) if created else now,
    )
    try:
        with db.session.begin_nested():
            db.session.add(entry)
            db.session.flush()
    except IntegrityError:  # the same refund, told by another event at the same moment
        return "refund already recorded"
    return f"refund of {format_money(Money(amount, charge.currency))} recorded"


def record_charge(account: PaymentAccount, charge: dict, now: datetime) -> str:
    """`charge.refunded`: each refund the charge lists (older API versions list them)."""
    listed = (charge.get("refunds") or {}).get("data") or []
    outcomes = [
        record(account, {"payment_intent": charge.get("payment_intent"), **refund}, now)
        for refund in listed
        if isinstance(refund, dict)
    ]
    return "; ".join(outcomes) or "no refund listed"


def _known(refund_id: str) -> bool:
    found = db.session.scalar(sa.select(LedgerEntry.id).where(LedgerEntry.provider_id == refund_id))
    return found is not None


def _charge_of(account: PaymentAccount, refund: dict) -> LedgerEntry | None:
    """The coach's card charge the refund returns money from, by its PaymentIntent."""
    intent = refund.get("payment_intent") or _intent_of_charge(account, refund.get("charge"))
    if not intent:
        return None
    return db.session.scalar(
        sa.select(LedgerEntry)
        .where(
            LedgerEntry.coach_id == account.coach_id,
            LedgerEntry.provider_id == str(intent),
            LedgerEntry.kind == LedgerKind.CHARGE,
            LedgerEntry.status == LedgerStatus.SUCCEEDED,
        )
        .with_for_update()
    )


def _intent_of_charge(account: PaymentAccount, charge_id: object) -> str | None:
    """A refund that names only its charge: Stripe says which PaymentIntent made it."""
    if not isinstance(charge_id, str) or not charge_id.startswith("ch_"):
        return None
    # Stripe unreachable: the error fails the delivery, and Stripe delivers it again later.
    charge = client_for(keys_of(account).secret_key).v1.charges.retrieve(charge_id)
    intent = charge.payment_intent
    return str(getattr(intent, "id", intent)) if intent else None
