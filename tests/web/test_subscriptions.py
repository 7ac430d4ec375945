"""A paid program's monthly price by card: the client starts a Stripe subscription at the
program's price; removing them cancels it; a failed renewal shows in Needs attention."""

import re
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
import sqlalchemy as sa

from tests.support.factories import make_program
from tests.support.payments import KEYS, confirm_card, connect, signed, stripe_settings
from tests.support.plusone import logged_in, make_package
from webapp.extensions import db
from webapp.models import Client, LedgerEntry, PaymentAccount, Program, ProgramSubscription, User
from webapp.services.stripe_gateway import client_for


@pytest.fixture
def app_config(app_config, fake_stripe):
    return {**app_config, **stripe_settings(fake_stripe)}


@pytest.fixture
def person(app, pair):
    """The coach takes cards; Dana is active in their £200.00 a month program."""
    connect(app, pair.coach_id)
    return logged_in(app, pair.person_email)


def subscriptions(app) -> list[ProgramSubscription]:
    with app.app_context():
        return list(db.session.scalars(sa.select(ProgramSubscription)))


def subscribe(person, fake, pair, number="4242424242424242"):
    base = f"/my/programs/{pair.client_id}/subscribe"
    setup = person.post(base + "/setup", data={}).json
    setup_intent = confirm_card(fake, setup["client_secret"], number)
    return person.post(base, data={"setup_intent": setup_intent["id"]})


def at_stripe(subscription_id: str) -> dict:
    return client_for(KEYS.secret_key).v1.subscriptions.retrieve(subscription_id).to_dict()


def test_the_client_starts_paying_the_programs_monthly_price(app, pair, person, fake_stripe):
    home = person.get("/me").get_data(as_text=True)
    assert "Start paying by card" in home
    page = person.get(f"/my/programs/{pair.client_id}/subscribe").get_data(as_text=True)
    assert "£200.00" in page and "per month" in page and 'id="card-element"' in page
    answer = subscribe(person, fake_stripe, pair)
    assert answer.json["status"] == "active"
    [row] = subscriptions(app)
    assert (row.client_id, row.amount_minor, row.currency, row.status) == (
        pair.client_id,
        20000,
        "GBP",
        "active",
    )
    with app.app_context():
        stripe_sub = at_stripe(row.provider_id)
    assert stripe_sub["status"] == "active"
    assert stripe_sub["items"]["data"][0]["plan"]["amount"] == 20000
    assert stripe_sub["items"]["data"][0]["plan"]["interval"] == "month"
    assert "Your payments" in person.get("/me").get_data(as_text=True)
    shown = person.get(answer.json["next"]).get_data(as_text=True)
    assert "You pay £200.00 per month by card." in shown


def test_subscribing_twice_makes_one_subscription(app, pair, person, fake_stripe):
    subscribe(person, fake_stripe, pair)
    subscribe(person, fake_stripe, pair)
    assert len(subscriptions(app)) == 1


def test_removing_the_client_cancels_the_subscription(app, pair, person, coach, fake_stripe):
    subscribe(person, fake_stripe, pair)
    coach.post(f"/clients/{pair.client_id}/remove")
    [row] = subscriptions(app)
    assert row.status == "canceled" and row.canceled_at is not None
    with app.app_context():
        listed = client_for(KEYS.secret_key).v1.subscriptions.list(params={"limit": 100})
        assert row.provider_id not in {s.id for s in listed.data if s.status != "canceled"}


def test_a_failed_renewal_shows_in_needs_attention_until_paid(
    app, pair, person, coach, client, fake_stripe
):
    subscribe(person, fake_stripe, pair)
    [row] = subscriptions(app)
    with app.app_context():
        key = db.session.scalar(sa.select(PaymentAccount.webhook_key))
    invoice = {"id": "in_1", "subscription": row.provider_id}
    failed = {"id": "evt_f", "type": "invoice.payment_failed", "data": {"object": invoice}}
    body, headers = signed(failed)
    answer = client.post(f"/payments/webhooks/{key}", data=body, headers=headers)
    assert answer.json == {"received": "subscription past_due"}
    html = coach.get("/needs-attention").get_data(as_text=True)
    assert "Dana Client 1" in html.split('id="renewal-failed"', 1)[1]
    paid = {"id": "evt_p", "type": "invoice.payment_succeeded", "data": {"object": invoice}}
    body, headers = signed(paid)
    client.post(f"/payments/webhooks/{key}", data=body, headers=headers)
    # The failure delivered again changes nothing: the event is stored once.
    body, headers = signed(failed)
    again = client.post(f"/payments/webhooks/{key}", data=body, headers=headers)
    assert again.json == {"received": "already received"}
    assert subscriptions(app)[0].status == "active"
    html = coach.get("/needs-attention").get_data(as_text=True)
    assert "Dana Client 1" not in html.split('id="renewal-failed"', 1)[1]


def test_without_stripe_there_is_nothing_to_pay_by_card(app, pair):
    me = logged_in(app, pair.person_email)
    assert "Start paying by card" not in me.get("/me").get_data(as_text=True)
    assert me.get(f"/my/programs/{pair.client_id}/subscribe").status_code == 404


def test_a_program_paid_outside_ondeck_asks_for_no_card(app, pair, person, coach):
    with app.app_context():
        program = db.session.get(Program, pair.program_id)
    coach.post(
        f"/programs/{pair.program_id}/edit",
        data={
            "name": program.name,
            "price": "200.00",
            "currency": "GBP",
            "billing_period": "month",
            "paid_outside": "y",
            "description": "",
            "welcome_message": "",
            "waiver": "",
        },
    )
    with app.app_context():
        assert db.session.get(Program, pair.program_id).paid_outside is True
    assert "Start paying by card" not in person.get("/me").get_data(as_text=True)
    assert person.get(f"/my/programs/{pair.client_id}/subscribe").status_code == 404


def test_moving_to_another_tier_changes_the_price_from_the_next_period(
    app, pair, person, coach, fake_stripe
):
    subscribe(person, fake_stripe, pair)
    [old] = subscriptions(app)
    with app.app_context():
        premium = make_program(
            db.session.get(User, pair.coach_id), name="Premium", price_minor=30000
        )
        old_at_stripe = at_stripe(old.provider_id)
    coach.post(f"/clients/{pair.client_id}/move", data={"program_id": premium.id})
    rows = sorted(subscriptions(app), key=lambda r: r.id)
    assert [(r.program_id, r.amount_minor, r.status) for r in rows] == [
        (pair.program_id, 20000, "canceled"),
        (premium.id, 30000, "active"),
    ]
    with app.app_context():
        ending, starting = at_stripe(old.provider_id), at_stripe(rows[1].provider_id)
    # The old price runs to the end of the period it is in; the new one starts there, with no
    # charge now (no proration, nothing billed twice).
    assert ending["cancel_at_period_end"] is True and ending["status"] == "active"
    assert starting["trial_end"] == old_at_stripe["current_period_end"]
    assert starting["items"]["data"][0]["plan"]["amount"] == 30000
    assert starting["latest_invoice"] is None
    # Removing the client now cancels the new one.
    coach.post(f"/clients/{pair.client_id}/remove")
    assert {r.status for r in subscriptions(app)} == {"canceled"}


def test_a_start_date_ahead_is_the_billing_day(app, pair, person, fake_stripe):
    """The coach set Dana's start date to the 10th of next month: nothing is charged before
    then, and billing starts that day (midnight in her time zone)."""
    start = date.today() + timedelta(days=40)
    with app.app_context():
        db.session.get(Client, pair.client_id).start_date = start
        db.session.commit()
    subscribe(person, fake_stripe, pair)
    [row] = subscriptions(app)
    assert row.status == "active"
    with app.app_context():
        stripe_sub = at_stripe(row.provider_id)
    expected = datetime.combine(start, time(0, 0), ZoneInfo("Europe/London"))
    assert stripe_sub["trial_end"] == int(expected.timestamp())
    assert stripe_sub["latest_invoice"] is None


def test_a_subscription_stripe_ends_is_recorded_as_canceled(app, pair, person, client, fake_stripe):
    subscribe(person, fake_stripe, pair)
    [row] = subscriptions(app)
    with app.app_context():
        key = db.session.scalar(sa.select(PaymentAccount.webhook_key))
    event = {
        "id": "evt_end",
        "type": "customer.subscription.deleted",
        "data": {"object": {"id": row.provider_id}},
    }
    body, headers = signed(event)
    answer = client.post(f"/payments/webhooks/{key}", data=body, headers=headers)
    assert answer.json == {"received": "subscription canceled"}
    assert subscriptions(app)[0].status == "canceled"
    assert "Start paying by card" in person.get("/me").get_data(as_text=True)


def ledger_rows(app) -> list[tuple]:
    with app.app_context():
        query = sa.select(
            LedgerEntry.client_user_id,
            LedgerEntry.kind,
            LedgerEntry.status,
            LedgerEntry.amount_minor,
            LedgerEntry.currency,
        ).order_by(LedgerEntry.id)
        return [tuple(row) for row in db.session.execute(query)]


def test_the_first_payment_and_a_renewal_are_one_ledger_row_each(
    app, pair, person, coach, client, fake_stripe
):
    subscribe(person, fake_stripe, pair)
    [row] = subscriptions(app)
    with app.app_context():
        key = db.session.scalar(sa.select(PaymentAccount.webhook_key))
        stripe = client_for(KEYS.secret_key)
        first = stripe.v1.invoices.retrieve(at_stripe(row.provider_id)["latest_invoice"]).to_dict()
    dana = (row.client_user_id, "charge", "succeeded", 20000, "GBP")
    assert ledger_rows(app) == [dana]
    # Stripe's own word on the first invoice, after OnDeck read it: still one row.
    event = {"id": "evt_first", "type": "invoice.payment_succeeded", "data": {"object": first}}
    body, headers = signed(event)
    client.post(f"/payments/webhooks/{key}", data=body, headers=headers)
    assert ledger_rows(app) == [dana]
    renewal = {
        **first,
        "id": "in_renewal",
        "payment_intent": "pi_renewal",
        "status_transitions": {"paid_at": first["status_transitions"]["paid_at"]},
    }
    for event_id in ("evt_renewal", "evt_renewal_again"):  # Stripe may deliver it twice
        event = {"id": event_id, "type": "invoice.payment_succeeded", "data": {"object": renewal}}
        body, headers = signed(event)
        client.post(f"/payments/webhooks/{key}", data=body, headers=headers)
    assert ledger_rows(app) == [dana, dana]
    statement = person.get(f"/my/coaches/{pair.coach_id}").get_data(as_text=True)
    month = datetime.now(ZoneInfo("UTC")).strftime("%Y-%m")
    report = coach.get(f"/reports?from={month}&to={month}&currency=GBP").get_data(as_text=True)
    assert "£400.00" in report.split(f'id="month-{month}"', 1)[1].split("</tr>", 1)[0]
    assert statement.count("Program payment: ") == 2


def test_an_unpaid_invoice_writes_no_ledger_row(app, pair, person, client, fake_stripe):
    subscribe(person, fake_stripe, pair)
    [row] = subscriptions(app)
    with app.app_context():
        key = db.session.scalar(sa.select(PaymentAccount.webhook_key))
    before = ledger_rows(app)
    invoice = {"id": "in_failed", "subscription": row.provider_id, "amount_paid": 0}
    event = {"id": "evt_failed", "type": "invoice.payment_failed", "data": {"object": invoice}}
    body, headers = signed(event)
    client.post(f"/payments/webhooks/{key}", data=body, headers=headers)
    assert ledger_rows(app) == before


def test_a_program_payment_does_not_pay_for_a_package_booked_with_payment_due(
    app, pair, person, coach, fake_stripe
):
    subscribe(person, fake_stripe, pair)
    package = make_package(app, pair.coach_id, 5, 40000)
    page = coach.get(f"/clients/{pair.client_id}/sessions").get_data(as_text=True)
    form = page.split('id="book-for"', 1)[1].split("</form>", 1)[0]
    key = re.search(r'name="key" type="hidden" value="([^"]+)"', form)
    data = {"package": str(package), "payment": "due", "key": key.group(1)}
    coach.post(f"/clients/{pair.client_id}/sessions/book", data=data)
    shown = coach.get(f"/clients/{pair.client_id}/payments").get_data(as_text=True)
    assert re.search(r'id="due">£400.00<', shown), shown
    assert re.search(r'id="program-paid">£200.00<', shown)
    assert "Program payment: " in shown
