"""Card payments in Chromium: the card typed into Stripe.js's Element (the fake Stripe's),
never into OnDeck."""

import re

import pytest
import sqlalchemy as sa
from playwright.sync_api import expect

from tests.support.a11y import axe_violations, sideways_overflow
from tests.support.browser import log_in
from tests.support.payments import KEYS, connect, stripe_settings
from tests.support.plusone import bookings, make_package, remaining_ids
from tests.support.site import WIDTHS
from tests.support.smtp import Mailbox
from webapp.extensions import db
from webapp.models import LedgerEntry, SavedCard, WebhookEvent
from webapp.services.outbox import send_due


@pytest.fixture
def app_config(app_config, fake_stripe, smtp_server):
    return {
        **app_config,
        **stripe_settings(fake_stripe),
        "MAIL_SERVER": "127.0.0.1",
        "MAIL_PORT": smtp_server.port,
    }


@pytest.fixture
def shop(app, live_server, fake_stripe, pair):
    """Coach connected to Stripe, with the webhook registered at the fake Stripe."""
    account = connect(app, pair.coach_id)
    fake_stripe.register_webhook(
        f"coach-{pair.coach_id}",
        f"{live_server.url}/payments/webhooks/{account.webhook_key}",
        KEYS.webhook_secret,
    )
    return make_package(app, pair.coach_id, 5, 40000)


def enter_card(page, number: str) -> None:
    element = page.locator("#card-element")
    element.get_by_placeholder("number").fill(number)
    element.get_by_placeholder("exp_month").fill("12")
    element.get_by_placeholder("exp_year").fill("30")
    element.get_by_placeholder("cvc").fill("123")
    element.get_by_placeholder("postal_code").fill("12345")


def buy_by_card(page, url, pair, *, number="4242424242424242", save=True) -> None:
    log_in(page, url, pair.person_email)
    page.goto(f"{url}/my/coaches/{pair.coach_id}")
    page.locator(".package-card", has_text="5 sessions for £400.00").get_by_role(
        "link", name="Pay by card"
    ).click()
    expect(page.locator("#checkout-total")).to_have_text("£400.00")
    enter_card(page, number)
    if save:
        page.get_by_label("Save this card for +1").check()
    page.get_by_role("button", name="Pay £400.00").click()


def test_a_client_buys_a_package_by_card_and_saves_it_for_plus_one(
    app, live_server, watched_page, pair, shop
):
    page = watched_page
    buy_by_card(page, live_server.url, pair)
    expect(page.locator("#payment-status")).to_contain_text(
        "Paid £400.00 with the card ending 4242. Your sessions are booked."
    )
    [booking] = bookings(app, pair)
    assert (booking.sessions_count, booking.total_minor) == (5, 40000)
    with app.app_context():
        card = db.session.scalar(sa.select(SavedCard))
        assert card.card_last4 == "4242" and card.payment_method_id.startswith("pm_")
    page.get_by_role("link", name=re.compile("Back to coaching")).click()
    expect(page.locator("#paid")).to_have_text("£400.00")
    expect(page.locator("#due")).to_have_text("£0.00")
    # Stripe's webhook arrives too (the fake sends it a second later) and changes nothing.
    assert wait_for_webhook(app, page, "payment_intent.succeeded") == ["already succeeded"]
    assert len(bookings(app, pair)) == 1 and len(ledger(app)) == 1


def ledger(app) -> list[LedgerEntry]:
    with app.app_context():
        return list(db.session.scalars(sa.select(LedgerEntry)))


def wait_for_webhook(app, page, event_type: str) -> list[str]:
    """The outcomes of the events of this type about OnDeck's own payments received so far,
    waiting up to 10 s for one. The fake Stripe serves the whole test run and sends every event
    to every webhook it knows, so an earlier test's late event can land here too: OnDeck finds
    no payment of its own for it and stores it as not one of its own, which is left out.
    Each look is its own short transaction: SQLite's lock must not keep the webhook out."""
    for _ in range(100):
        with app.app_context():
            outcomes = list(
                db.session.scalars(
                    sa.select(WebhookEvent.outcome).where(
                        WebhookEvent.type == event_type,
                        WebhookEvent.outcome != "not an OnDeck payment",
                    )
                )
            )
            db.session.rollback()
        if outcomes:
            return outcomes
        page.wait_for_timeout(100)
    return []


def test_a_card_declined_at_setup_says_so_and_books_nothing(
    app, live_server, page, page_problems, pair, shop
):
    page.set_default_timeout(10_000)
    buy_by_card(page, live_server.url, pair, number="4000000000000002", save=False)
    expect(page.locator("#card-message")).to_contain_text("declined")
    expect(page.get_by_role("button", name="Pay £400.00")).to_be_enabled()
    assert bookings(app, pair) == []


def test_plus_one_after_five_sessions_bought_by_card_charges_the_5_pack_rate_once(
    app, live_server, watched_page, pair, shop, smtp_server
):
    """Acceptance: buy 5 by card, save it for +1, enrol; the coach completes all 5; one +1
    session is booked and charged at the 5-pack rate, and both emails arrive."""
    page, url = watched_page, live_server.url
    page.on("dialog", lambda dialog: dialog.accept())
    buy_by_card(page, url, pair)
    expect(page.locator("#payment-status")).to_contain_text("Your sessions are booked.")
    page.goto(f"{url}/my/coaches/{pair.coach_id}/plus-one")
    page.get_by_role("button", name="Enrol in +1").click()
    expect(page.locator("#plus-one-status")).to_contain_text("+1 enrolled")
    page.get_by_role("button", name="Log out").click()
    page.wait_for_load_state()

    log_in(page, url, pair.coach_email)
    page.goto(f"{url}/clients/{pair.client_id}/sessions")
    for session_id in remaining_ids(app, pair):
        row = page.locator(f"#session-{session_id}")
        row.get_by_role("button", name="Mark complete").click()
        expect(row.locator(".notice")).to_contain_text("Session completed")
    expect(page.locator(f"#session-{remaining_ids(app, pair)[0]}")).to_contain_text("+1 session")
    [plus] = bookings(app, pair, "plus_one")
    assert plus.rate_minor == 8000
    charges = [e for e in ledger(app) if e.booking_id == plus.id]
    assert [(e.kind, e.status, e.amount_minor, e.card_last4) for e in charges] == [
        ("charge", "succeeded", 8000, "4242")
    ]
    page.reload()
    expect(page.locator("#paid")).to_have_text("£480.00")
    expect(page.locator("#due")).to_have_text("£0.00")

    with app.app_context():
        send_due()
    smtp_server.mailbox.wait_for(2)
    plus_mails = [m for m in smtp_server.mailbox.messages if "+1" in m["Subject"]]
    assert sorted(m["To"] for m in plus_mails) == sorted([pair.person_email, pair.coach_email])
    [to_client] = smtp_server.mailbox.to(pair.person_email)
    assert "Your saved card ending 4242 was charged £80.00." in Mailbox.body(to_client)
    [to_coach] = smtp_server.mailbox.to(pair.coach_email)
    assert "saved card ending 4242 was charged £80.00" in Mailbox.body(to_coach)


@pytest.mark.parametrize("width", WIDTHS)
def test_the_card_pages_meet_no_serious_barrier_and_fit_a_phone(
    app, live_server, watched_page, pair, shop, fake_stripe, width
):
    page, url = watched_page, live_server.url
    page.set_viewport_size(WIDTHS[width])
    log_in(page, url, pair.person_email)
    for path in (
        f"/my/coaches/{pair.coach_id}/packages/{shop}/pay",
        f"/my/programs/{pair.client_id}/subscribe",
    ):
        page.goto(url + path)
        expect(page.locator("#card-element input").first).to_be_visible()
        assert axe_violations(page) == [], path
        assert sideways_overflow(page) <= 0, path


def test_a_card_that_asks_the_client_to_confirm_books_once_confirmed(
    app, live_server, watched_page, pair, shop
):
    """3-D Secure: Stripe.js shows the bank's check twice (saving the card, then paying); once
    the client confirms, Stripe says succeeded and the package is booked."""
    page = watched_page
    buy_by_card(page, live_server.url, pair, number="4000002500003155")
    page.get_by_role("button", name="Complete authentication").click()  # setting the card up
    page.get_by_role("button", name="Complete authentication").click()  # the payment
    expect(page.locator("#payment-status")).to_contain_text("Paid £400.00")
    [booking] = bookings(app, pair)
    assert booking.sessions_count == 5


def test_a_check_the_client_fails_books_nothing(app, live_server, watched_page, pair, shop):
    page = watched_page
    buy_by_card(page, live_server.url, pair, number="4000002500003155", save=False)
    page.get_by_role("button", name="Complete authentication").click()
    page.get_by_role("button", name="Fail authentication").click()
    expect(page.locator("#payment-status")).to_contain_text("did not go through")
    assert bookings(app, pair) == []
