"""A client's recurring payment for a paid program: a Stripe subscription at the program's
price in the coach's own account, started by the client with a card on OnDeck's page and
cancelled when the coach removes them. A failed renewal leaves it past due (Needs attention).

Stripe's Plans carry the price: one plan per program, price and period, made on first use
under an id derived from them, so a later price makes a new plan and old subscribers keep
theirs until moved.
"""

from __future__ import annotations

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from webapp.extensions import db
from webapp.models import Client, PaymentAccount, Program, ProgramSubscription, User
from webapp.rules.payments import LIVE_SUBSCRIPTION, SubscriptionStatus
from webapp.rules.programs import BillingPeriod
from webapp.services.card_payments import PaymentRefused, customer_of
from webapp.services.paid_joining import first_payment
from webapp.services.program_payments import record_invoice
from webapp.services.stripe_gateway import StripeError, client_for, keys_of

RECURRING = {BillingPeriod.WEEK: "week", BillingPeriod.MONTH: "month", BillingPeriod.YEAR: "year"}


def is_recurring(program: Program) -> bool:
    """A price per period that clients pay by card (not marked paid outside OnDeck)."""
    return (
        program.price_minor > 0 and program.billing_period in RECURRING and not program.paid_outside
    )


def pays_first(program: Program) -> bool:
    """A client joining this program pays by card before they are active: it has a price
    per period and its coach is connected to Stripe."""
    return is_recurring(program) and _connected(program.coach_id)


def _connected(coach_id: int) -> bool:
    found = db.session.scalar(
        sa.select(PaymentAccount.id).where(PaymentAccount.coach_id == coach_id)
    )
    return found is not None


def billing_starts(start: date, time_zone: str | None, now: datetime) -> datetime | None:
    """The billing day is the client's start date: the start of that day in their time zone,
    when it is still ahead; None when it has come (billing starts now, on that day)."""
    zone = ZoneInfo(time_zone or "UTC")
    first = datetime.combine(start, time(0, 0), zone)
    return first if first > now else None


def live_subscription(client_id: int) -> ProgramSubscription | None:
    return db.session.scalar(
        sa.select(ProgramSubscription).where(
            ProgramSubscription.client_id == client_id,
            ProgramSubscription.status.in_(LIVE_SUBSCRIPTION),
        )
    )


def plan_id(account: PaymentAccount, program: Program) -> str:
    """The coach's Stripe plan for this program's price, made on first use."""
    interval = RECURRING[BillingPeriod(program.billing_period)]
    plan_id = f"ondeck-{program.id}-{program.price_minor}-{program.currency.lower()}-{interval}"
    stripe = client_for(keys_of(account).secret_key)
    try:
        stripe.v1.plans.retrieve(plan_id)
    except StripeError:
        stripe.v1.plans.create(
            params={
                "id": plan_id,
                "amount": program.price_minor,
                "currency": program.currency.lower(),
                "interval": interval,
                "product": {"name": program.name[:250]},
            },
            options={"idempotency_key": f"plan:{plan_id}"},
        )
    return plan_id


def subscribe(
    account: PaymentAccount,
    client: Client,
    person: User,
    program: Program,
    setup_intent_id: str,
    now: datetime,
) -> ProgramSubscription:
    """Start the client's subscription with the card the SetupIntent collected; once Stripe
    has it active, a client awaiting their first payment becomes active."""
    row = live_subscription(client.id)
    if row is None:
        row = _start(account, client, person, program, setup_intent_id, now)
    if row.status is SubscriptionStatus.ACTIVE:
        first_payment(client.id, now)
    return row


def _start(
    account: PaymentAccount,
    client: Client,
    person: User,
    program: Program,
    setup_intent_id: str,
    now: datetime,
) -> ProgramSubscription:
    card = customer_of(account, person)
    db.session.commit()  # nothing is locked while Stripe answers
    stripe = client_for(keys_of(account).secret_key)
    try:
        setup = stripe.v1.setup_intents.retrieve(setup_intent_id)
    except StripeError as error:
        raise PaymentRefused("That card setup is not known to Stripe.") from error
    if setup.customer != card.customer_id or setup.status != "succeeded":
        raise PaymentRefused("The card was not set up; enter it again.")
    method = str(setup.payment_method)
    stripe.v1.customers.update(
        card.customer_id, params={"invoice_settings": {"default_payment_method": method}}
    )
    key = f"subscription:{client.id}:{setup_intent_id}"
    params: dict = {
        "customer": card.customer_id,
        "items": [{"plan": plan_id(account, program)}],
        "metadata": {"ondeck_client": str(client.id)},
    }
    first_bill = billing_starts(client.start_date, person.time_zone, now)
    if first_bill is not None:
        # A start date ahead: nothing is charged until then, and it is the billing day.
        params["trial_end"] = int(first_bill.timestamp())
    subscription = stripe.v1.subscriptions.create(
        params=params,  # type: ignore[arg-type]
        options={"idempotency_key": key},
    )
    first_invoice = None
    if subscription.status == "active" and subscription.latest_invoice:
        invoice_id = getattr(subscription.latest_invoice, "id", subscription.latest_invoice)
        first_invoice = stripe.v1.invoices.retrieve(str(invoice_id)).to_dict()
    row = ProgramSubscription(
        coach_id=account.coach_id,
        client_id=client.id,
        client_user_id=person.id,
        program_id=program.id,
        provider_id=subscription.id,
        idempotency_key=key,
        amount_minor=program.price_minor,
        currency=program.currency,
        status=_status(subscription.status, waiting=first_bill is not None),
        started_at=now,
    )
    try:
        with db.session.begin_nested():
            db.session.add(row)
            db.session.flush()
    except IntegrityError:
        found = db.session.scalar(
            sa.select(ProgramSubscription).where(ProgramSubscription.idempotency_key == key)
        )
        assert found is not None  # the unique key that refused the row names it
        return found
    if first_invoice is not None:
        record_invoice(row, program.name, first_invoice, now)
    return row


def _status(stripe_status: str, *, waiting: bool) -> SubscriptionStatus:
    """Stripe's status as OnDeck keeps it: waiting for the start date (trialing, or not yet
    invoiced) counts as active; nothing is owed until then."""
    if stripe_status == "trialing" or (waiting and stripe_status == "incomplete"):
        return SubscriptionStatus.ACTIVE
    if stripe_status in LIVE_SUBSCRIPTION:
        return SubscriptionStatus(stripe_status)
    return SubscriptionStatus.INCOMPLETE


def cancel(client_id: int, now: datetime) -> ProgramSubscription | None:
    """After the client's removal commits: cancel their live subscription at Stripe."""
    row = live_subscription(client_id)
    account = row and db.session.scalar(
        sa.select(PaymentAccount).where(PaymentAccount.coach_id == row.coach_id)
    )
    if row is None or account is None:
        return row
    db.session.commit()
    try:
        client_for(keys_of(account).secret_key).v1.subscriptions.cancel(row.provider_id)
    except StripeError:
        return row  # still live: the coach sees it on the client's Payments page
    row.status, row.canceled_at = SubscriptionStatus.CANCELED, now
    db.session.commit()
    return row


def renewal(account: PaymentAccount, invoice: dict, paid: bool, now: datetime) -> str:
    """invoice.payment_succeeded / _failed: the subscription is active, or past due."""
    row = _locked(account, invoice.get("subscription"))
    if row is None:
        return "not an OnDeck subscription"
    if paid:  # money taken is recorded, even on a subscription since cancelled
        program = db.session.get(Program, row.program_id)
        record_invoice(row, program.name if program else "", invoice, now)
    if row.status is SubscriptionStatus.CANCELED:
        return "subscription already canceled"
    row.status = SubscriptionStatus.ACTIVE if paid else SubscriptionStatus.PAST_DUE
    if paid and first_payment(row.client_id, now):
        return "subscription active, client active"
    return f"subscription {row.status}"


def offer_for(client: Client, program: Program) -> str | None:
    """What the client's program card offers: start paying by card, see the payments, or
    nothing (no price per period, or the coach takes no cards)."""
    if not pays_first(program):
        return None
    return "Your payments" if live_subscription(client.id) else "Start paying by card"


def ended(account: PaymentAccount, subscription: dict, now: datetime) -> str:
    """customer.subscription.deleted: Stripe ended it (cancelled in the dashboard, or unpaid
    for too long); the client stops being billed and the row says so."""
    row = _locked(account, subscription.get("id"))
    if row is None:
        return "not an OnDeck subscription"
    if row.status is SubscriptionStatus.CANCELED:
        return "subscription already canceled"
    row.status, row.canceled_at = SubscriptionStatus.CANCELED, now
    return "subscription canceled"


def _locked(account: PaymentAccount, provider_id: object) -> ProgramSubscription | None:
    """The coach's subscription row a Stripe event names, locked while the event changes it."""
    return db.session.scalar(
        sa.select(ProgramSubscription)
        .where(
            ProgramSubscription.coach_id == account.coach_id,
            ProgramSubscription.provider_id == str(provider_id or ""),
        )
        .with_for_update()
    )
