"""A paid program's card payments in the ledger: each paid invoice of its Stripe subscription
(the first payment and every renewal) is one card charge, keyed by the invoice, so program
revenue is in the reports and on the statement, apart from what pays for bookings."""

from __future__ import annotations

from datetime import UTC, datetime

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from webapp.extensions import db
from webapp.models import LedgerEntry, ProgramSubscription
from webapp.rules.payments import LedgerKind, LedgerStatus, program_payment_key


def record_invoice(
    row: ProgramSubscription, program_name: str, invoice: dict, now: datetime
) -> LedgerEntry | None:
    """A paid invoice of the subscription is one card charge in the ledger, so program
    revenue is in the reports and the statement. The first invoice is read when the
    subscription starts and arrives again by webhook; its id keys the row, so it is one row
    whichever comes first, and however often Stripe delivers it."""
    amount = int(invoice.get("amount_paid") or 0)
    invoice_id = str(invoice.get("id") or "")
    if amount <= 0 or not invoice_id:
        return None  # nothing was taken (a trial, a failed attempt)
    key = program_payment_key(invoice_id)
    found = db.session.scalar(sa.select(LedgerEntry).where(LedgerEntry.idempotency_key == key))
    if found is not None:
        return found
    paid_at = (invoice.get("status_transitions") or {}).get("paid_at")
    intent = invoice.get("payment_intent")
    entry = LedgerEntry(
        coach_id=row.coach_id,
        client_user_id=row.client_user_id,
        kind=LedgerKind.CHARGE,
        status=LedgerStatus.SUCCEEDED,
        amount_minor=amount,
        currency=str(invoice.get("currency") or row.currency).upper(),
        provider_id=str(getattr(intent, "id", intent)) if intent else None,
        idempotency_key=key,
        note=f"Program payment: {program_name}"[:300],
        created_at=now,
        settled_at=datetime.fromtimestamp(int(paid_at), UTC) if paid_at else now,
    )
    try:
        with db.session.begin_nested():
            db.session.add(entry)
            db.session.flush()
    except IntegrityError:  # recorded at the same moment by the other path
        return db.session.scalar(sa.select(LedgerEntry).where(LedgerEntry.idempotency_key == key))
    return entry
