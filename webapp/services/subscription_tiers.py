"""Moving a subscribed client to another program: its price applies from the next period."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa

from webapp.extensions import db
from webapp.models import PaymentAccount, Program, ProgramSubscription
from webapp.rules.payments import SubscriptionStatus
from webapp.services.stripe_gateway import StripeError, client_for, keys_of
from webapp.services.subscriptions import is_recurring, live_subscription, plan_id


def change_tier(client_id: int, program: Program, now: datetime) -> ProgramSubscription | None:
    """After a move to another program commits: its price applies from the next period.

    The running subscription is set to end with its period (`cancel_at_period_end`), and one at
    the new price starts then (`trial_end` = that period's end), so nothing is prorated and the
    client is not charged twice for the period they are in. A move to a program without a
    price per period just lets the running one end.
    """
    row = live_subscription(client_id)
    account = row and db.session.scalar(
        sa.select(PaymentAccount).where(PaymentAccount.coach_id == row.coach_id)
    )
    if row is None or account is None or row.program_id == program.id:
        return row
    db.session.commit()
    stripe = client_for(keys_of(account).secret_key)
    try:
        running = stripe.v1.subscriptions.update(
            row.provider_id, params={"cancel_at_period_end": True}
        ).to_dict()
        period_end = _period_end(running)
        new = None
        if is_recurring(program):
            new = stripe.v1.subscriptions.create(
                params={
                    "customer": str(running["customer"]),
                    "items": [{"plan": plan_id(account, program)}],
                    "trial_end": period_end,
                    "metadata": {"ondeck_client": str(client_id)},
                },
                options={"idempotency_key": f"tier:{row.id}:{program.id}"},
            )
    except StripeError:
        return row  # unchanged: the coach sees the old price on the client's Payments page
    row.status, row.canceled_at = (
        SubscriptionStatus.CANCELED,
        datetime.fromtimestamp(period_end, now.tzinfo),
    )
    if new is None:
        db.session.commit()
        return None
    moved = ProgramSubscription(
        coach_id=row.coach_id,
        client_id=client_id,
        client_user_id=row.client_user_id,
        program_id=program.id,
        provider_id=new.id,
        idempotency_key=f"tier:{row.id}:{program.id}",
        amount_minor=program.price_minor,
        currency=program.currency,
        status=SubscriptionStatus.ACTIVE,
        started_at=now,
    )
    db.session.add(moved)
    db.session.commit()
    return moved


def _period_end(subscription: dict) -> int:
    """When the running period ends (newer API versions keep it on the subscription's item)."""
    items = (subscription.get("items") or {}).get("data") or [{}]
    return int(items[0].get("current_period_end") or subscription["current_period_end"])
