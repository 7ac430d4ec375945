"""A client pays for a package by card through the coach's own (fake) Stripe; the booking is
made only once Stripe confirms, exactly once."""

import re

import pytest
import sqlalchemy as sa

from tests.support.factories import make_client, make_client_user
from tests.support.payments import KEYS, confirm_card, connect, signed, stripe_settings
from tests.support.plusone import bookings, logged_in, make_package
from webapp.extensions import db
from webapp.models import LedgerEntry, Package, PaymentAccount, Program, SavedCard


@pytest.fixture
def app_config(app_config, fake_stripe):
    return {**app_config, **stripe_settings(fake_stripe)}


@pytest.fixture
def shop(app, pair):
    """The coach takes cards; Dana, logged in, looks at a 5 × £250 package."""
    connect(app, pair.coach_id)
    package_id = make_package(app, pair.coach_id, 5, 25000)
    return logged_in(app, pair.person_email), f"/my/coaches/{pair.coach_id}/packages/{package_id}"


def entries(app) -> list[LedgerEntry]:
    with app.app_context():
        return list(db.session.scalars(sa.select(LedgerEntry).order_by(LedgerEntry.id)))


def saved_card(app, pair) -> SavedCard | None:
    with app.app_context():
        return db.session.scalar(sa.select(SavedCard).where(SavedCard.coach_id == pair.coach_id))


def pay(person, fake, base, *, number="4242424242424242", save=False):
    """The page's script, step by step: a SetupIntent, the card to Stripe, then the charge."""
    data = {"save_card": "y"} if save else {}
    setup = person.post(base + "/pay/setup", data=data).json
    setup_intent = confirm_card(fake, setup["client_secret"], number)
    answer = person.post(base + "/pay", data={**data, "setup_intent": setup_intent.get("id")})
    return setup_intent, answer


def test_the_packages_page_offers_card_payment(app, pair, shop):
    person, base = shop
    html = person.get(f"/my/coaches/{pair.coach_id}").get_data(as_text=True)
    assert f'href="{base}/pay"' in html and "Pay by card" in html
    assert "outside OnDeck" not in html


def test_the_card_page_loads_stripe_js_from_the_configured_origin_only(app, fake_stripe, shop):
    person, base = shop
    response = person.get(base + "/pay")
    html = response.get_data(as_text=True)
    assert f'src="{fake_stripe.js_url}"' in html and KEYS.publishable_key in html
    assert "may charge this card without asking you again" in html and "£50.00" in html
    csp = response.headers["Content-Security-Policy"]
    assert f"script-src 'self' {fake_stripe.url}" in csp
    assert f"connect-src 'self' {fake_stripe.url}" in csp
    # No other page lets a script in from there.
    other = person.get("/me").headers["Content-Security-Policy"]
    assert fake_stripe.url not in other and "frame-src 'none'" in other


def test_a_good_card_books_the_package_once_stripe_confirms(app, pair, fake_stripe, shop):
    person, base = shop
    _setup, answer = pay(person, fake_stripe, base)
    assert answer.status_code == 200 and answer.json["status"] == "succeeded"
    [booking] = bookings(app, pair)
    assert (booking.sessions_count, booking.total_minor) == (5, 25000)
    [entry] = entries(app)
    assert (entry.kind, entry.status, entry.amount_minor, entry.booking_id) == (
        "charge",
        "succeeded",
        25000,
        booking.id,
    )
    assert entry.provider_id.startswith("pi_") and entry.card_last4 == "4242"
    html = person.get(answer.json["next"]).get_data(as_text=True)
    assert "Paid £250.00 with the card ending 4242" in html and "sessions are booked" in html
    page = person.get(f"/my/coaches/{pair.coach_id}").get_data(as_text=True)
    assert re.search(r'id="paid">£250.00<', page) and re.search(r'id="due">£0.00<', page)


def test_sending_the_same_payment_again_charges_and_books_once(app, pair, fake_stripe, shop):
    person, base = shop
    setup_intent, first = pay(person, fake_stripe, base)
    again = person.post(base + "/pay", data={"setup_intent": setup_intent["id"]})
    assert again.json["next"] == first.json["next"]
    assert len(entries(app)) == 1 and len(bookings(app, pair)) == 1
    person.get(first.json["next"])
    assert len(bookings(app, pair)) == 1


def test_the_webhook_after_the_return_changes_nothing(app, pair, fake_stripe, shop, client):
    person, base = shop
    pay(person, fake_stripe, base)
    [entry] = entries(app)
    event = {
        "id": "evt_after",
        "type": "payment_intent.succeeded",
        "data": {"object": {"id": entry.provider_id, "status": "succeeded", "metadata": {}}},
    }
    with app.app_context():
        key = db.session.scalar(sa.select(PaymentAccount.webhook_key))
    body, headers = signed(event)
    answer = client.post(f"/payments/webhooks/{key}", data=body, headers=headers)
    assert answer.json == {"received": "already succeeded"}
    assert len(bookings(app, pair)) == 1


def test_saving_the_card_keeps_its_stripe_id_and_last_four(app, pair, fake_stripe, shop):
    person, base = shop
    pay(person, fake_stripe, base, save=True)
    card = saved_card(app, pair)
    assert card.payment_method_id.startswith("pm_") and card.card_last4 == "4242"


def test_a_card_not_saved_is_not_kept(app, pair, fake_stripe, shop):
    person, base = shop
    pay(person, fake_stripe, base)
    card = saved_card(app, pair)
    assert card.customer_id.startswith("cus_") and card.payment_method_id is None


def test_a_card_declined_when_charged_books_nothing(app, pair, fake_stripe, shop):
    person, base = shop
    _setup, answer = pay(person, fake_stripe, base, number="4000000000000341")
    assert answer.json["status"] == "failed"
    assert bookings(app, pair) == []
    html = person.get(answer.json["next"]).get_data(as_text=True)
    assert "did not go through" in html and "Nothing was booked or charged" in html


def test_a_card_stripe_refuses_to_set_up_never_reaches_a_charge(app, pair, fake_stripe, shop):
    person, base = shop
    setup_intent, answer = pay(person, fake_stripe, base, number="4000000000000002")
    assert "error" in setup_intent
    assert answer.status_code == 422
    assert entries(app) == [] and bookings(app, pair) == []


def test_someone_elses_setup_intent_is_refused(app, pair, fake_stripe, shop):
    person, base = shop
    answer = person.post(base + "/pay", data={"setup_intent": "seti_not_yours"})
    assert answer.status_code == 422 and "not known" in answer.json["error"]
    assert entries(app) == []


def test_without_javascript_the_page_says_so(app, shop):
    person, base = shop
    response = person.post(base + "/pay", data={})
    assert response.status_code == 422
    assert "Card payments need JavaScript" in response.get_data(as_text=True)


def test_booking_without_paying_goes_to_the_card_page(app, pair, shop):
    person, base = shop
    response = person.post(base + "/book")
    assert response.status_code == 303 and response.headers["Location"].endswith(base + "/pay")
    assert bookings(app, pair) == []


def test_without_stripe_there_is_no_card_page(app, pair):
    package_id = make_package(app, pair.coach_id, 5, 25000)
    person = logged_in(app, pair.person_email)
    assert person.get(f"/my/coaches/{pair.coach_id}/packages/{package_id}/pay").status_code == 404


def test_the_webhook_alone_books_the_package_once(app, pair, shop, client):
    """Stripe's signed payment_intent.succeeded may come before the client returns, even before
    OnDeck has written the PaymentIntent's id: the metadata names the ledger row."""
    person, base = shop
    with app.app_context():
        package = db.session.scalar(sa.select(Package))
        entry = LedgerEntry(
            coach_id=pair.coach_id,
            client_user_id=pair.person_id,
            kind="charge",
            status="pending",
            amount_minor=package.total_minor,
            currency="GBP",
            package_id=package.id,
            idempotency_key="package:test",
        )
        db.session.add(entry)
        db.session.commit()
        entry_id = entry.id
        key = db.session.scalar(sa.select(PaymentAccount.webhook_key))
    intent = {
        "id": "pi_from_webhook",
        "status": "succeeded",
        "metadata": {"ondeck_entry": str(entry_id)},
        "payment_method": {"id": "pm_x", "card": {"last4": "4242"}},
    }
    event = {"id": "evt_first", "type": "payment_intent.succeeded", "data": {"object": intent}}
    body, headers = signed(event)
    first = client.post(f"/payments/webhooks/{key}", data=body, headers=headers)
    assert first.json == {"received": "payment succeeded"}
    body, headers = signed({**event, "id": "evt_duplicate"})
    second = client.post(f"/payments/webhooks/{key}", data=body, headers=headers)
    assert second.json == {"received": "already succeeded"}
    [booking] = bookings(app, pair)
    [row] = entries(app)
    assert (row.provider_id, row.booking_id, row.card_last4) == (
        "pi_from_webhook",
        booking.id,
        "4242",
    )


def test_another_clients_payment_is_not_found(app, pair, fake_stripe, shop):
    person, base = shop
    _setup, answer = pay(person, fake_stripe, base)
    with app.app_context():
        program = db.session.get(Program, pair.program_id)
        other = make_client_user(email="eve@example.com", name="Eve")
        make_client(program, user=other)
    eve = logged_in(app, "eve@example.com")
    assert eve.get(answer.json["next"]).status_code == 404
