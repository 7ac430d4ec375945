"""Exactly once with money: 50 "mark complete" requests at the same moment book one +1
session and charge the saved card once (run on SQLite and with --db=postgresql)."""

import pytest
import sqlalchemy as sa

from tests.support.payments import KEYS, card_client, connect, stripe_settings
from tests.support.plusone import (
    bookings,
    complete_url,
    make_package,
    remaining_ids,
    session_row,
)
from tests.web.test_plusone_concurrency import ACCEPTABLE, run_together, tabs
from webapp.extensions import db
from webapp.models import LedgerEntry, SavedCard
from webapp.services.stripe_gateway import client_for


@pytest.fixture
def app_config(app_config, fake_stripe):
    return {**app_config, **stripe_settings(fake_stripe)}


def intents_at_stripe(app, pair) -> list[dict]:
    """What the (fake) Stripe holds for the client: every PaymentIntent made for them."""
    with app.app_context():
        customer = db.session.scalar(sa.select(SavedCard.customer_id))
        listed = client_for(KEYS.secret_key).v1.payment_intents.list(params={"limit": 100})
        return [i.to_dict() for i in listed.data if i.customer == customer]


def test_50_concurrent_completions_book_one_session_and_charge_once(app, pair, fake_stripe):
    card_client(app, fake_stripe, pair, sessions=1, total_minor=8000)
    [last] = remaining_ids(app, pair)
    url = complete_url(pair, last)
    results = run_together(
        [lambda tab=tab: tab.hx_post(url).status_code for tab in tabs(app, pair.coach_email, 50)]
    )
    assert all(isinstance(status, int) for status in results), results
    assert set(results) <= ACCEPTABLE, results
    assert session_row(app, last).status == "completed"
    [plus] = bookings(app, pair, "plus_one")
    with app.app_context():
        rows = db.session.scalars(
            sa.select(LedgerEntry).where(LedgerEntry.booking_id == plus.id)
        ).all()
        assert [(r.kind, r.status, r.amount_minor) for r in rows] == [("charge", "succeeded", 8000)]
    # At Stripe: the package's PaymentIntent and one for the +1, nothing more.
    assert sorted(i["amount"] for i in intents_at_stripe(app, pair)) == [8000, 8000]


def test_20_concurrent_returns_from_a_card_payment_book_the_package_once(app, pair, fake_stripe):
    """The client's return page opened in many tabs at once, each fetching the succeeded
    PaymentIntent from Stripe: one booking."""
    connect(app, pair.coach_id)
    package_id = make_package(app, pair.coach_id, 5, 40000)
    with app.app_context():
        intent = client_for(KEYS.secret_key).v1.payment_intents.create(
            params={
                "amount": 40000,
                "currency": "gbp",
                "payment_method": "pm_card_visa",
                "confirm": True,
            }
        )
        entry = LedgerEntry(
            coach_id=pair.coach_id,
            client_user_id=pair.person_id,
            kind="charge",
            status="pending",
            amount_minor=40000,
            currency="GBP",
            package_id=package_id,
            provider_id=intent.id,
        )
        db.session.add(entry)
        db.session.commit()
        url = f"/my/coaches/{pair.coach_id}/payments/{entry.id}"
    results = run_together(
        [lambda tab=tab: tab.get(url).status_code for tab in tabs(app, pair.person_email, 20)]
    )
    assert results == [200] * 20
    [booking] = bookings(app, pair)
    assert booking.total_minor == 40000
