"""A paid program's price by card in Chromium: Manual Invite → training written → formal
invite → account made → card page → pays by card (a subscription at the program's price) →
Active, with the training kept; removing the client cancels the subscription. Until the card
is paid the client is pending, shown to the coach as awaiting payment."""

import re

import pytest
import sqlalchemy as sa
from playwright.sync_api import expect

from tests.browser.test_card_payments import enter_card
from tests.browser.test_invites import deliver_invitation
from tests.support.browser import log_in
from tests.support.factories import make_coach, make_program
from tests.support.payments import KEYS, connect, stripe_settings
from webapp import clock
from webapp.extensions import db
from webapp.models import CalendarEntry, Client, ProgramSubscription
from webapp.services.stripe_gateway import client_for


@pytest.fixture
def app_config(app_config, fake_stripe, smtp_server):
    return {
        **app_config,
        **stripe_settings(fake_stripe),
        "MAIL_SERVER": "127.0.0.1",
        "MAIL_PORT": smtp_server.port,
    }


@pytest.fixture
def program(app):
    with app.app_context():
        coach = make_coach(email="coach@example.com", name="Casey Coach")
        program = make_program(coach, name="1-2-1 Coaching", price_minor=15000)
    connect(app, coach.id)
    return program


def subscription(app) -> ProgramSubscription | None:
    with app.app_context():
        return db.session.scalar(sa.select(ProgramSubscription))


def client_state(app, email: str) -> tuple[str, bool]:
    with app.app_context():
        row = db.session.scalar(sa.select(Client).where(Client.email == email))
        return row.state, row.awaiting_payment_since is not None


def accept_and_land_on_the_card_page(page, link: str):
    page.goto(link)
    page.get_by_label("Choose a password").fill("a long enough password")
    page.get_by_label("I have read and accept the waiver").check()
    page.get_by_role("button", name="Accept and join").click()
    expect(page.locator("#awaiting-payment")).to_contain_text(
        "You join 1-2-1 Coaching once your first payment goes through."
    )
    expect(page.locator("#subscription-price")).to_have_text("£150.00")


def test_manual_invite_write_invite_sign_up_pay_keeps_the_training_and_removal_cancels(
    app, live_server, watched_page, program, smtp_server, browser
):
    page, url = watched_page, live_server.url
    page.on("dialog", lambda dialog: dialog.accept())
    log_in(page, url, "coach@example.com")
    page.goto(f"{url}/programs/{program.id}")
    page.get_by_label("Client name").fill("Ana")
    page.get_by_label("Client email").fill("ana@example.com")
    page.get_by_role("button", name="Add to Pending").click()
    expect(page.locator("#manual-invite")).to_contain_text("Ana is in Pending")
    with app.app_context():
        ana = db.session.scalar(sa.select(Client).where(Client.email == "ana@example.com"))
        written_on = clock.now().date()
        db.session.add(CalendarEntry(client_id=ana.id, on_date=written_on, title="Squats 5×5"))
        db.session.commit()
    page.get_by_role("tab", name=re.compile("Pending")).click()
    page.locator("#pending-clients tbody tr", has_text="Ana").get_by_role(
        "button", name="Send invite"
    ).click()
    expect(page.locator("#client-notice")).to_contain_text("Invitation sent to ana@example.com")

    link = deliver_invitation(app, smtp_server, "ana@example.com")
    context = browser.new_context()
    client_page = context.new_page()
    client_page.set_default_timeout(10_000)
    accept_and_land_on_the_card_page(client_page, link)
    # Not Active before the card: pending, and the coach sees them awaiting payment.
    assert client_state(app, "ana@example.com") == ("pending", True)
    page.goto(f"{url}/programs/{program.id}")
    page.get_by_role("tab", name=re.compile("Pending")).click()
    expect(page.locator("#pending-clients tbody tr", has_text="Ana")).to_contain_text(
        "Awaiting payment"
    )
    enter_card(client_page, "4242424242424242")
    client_page.get_by_role("button", name="Pay £150.00 per month").click()
    expect(client_page.locator("#subscription-status")).to_contain_text(
        "You pay £150.00 per month by card."
    )
    assert client_state(app, "ana@example.com") == ("active", False)
    row = subscription(app)
    assert (row.client_id, row.amount_minor, row.status) == (ana.id, 15000, "active")
    # From the day it was written, which is yesterday if the test has run past midnight.
    client_page.goto(f"{url}/my/calendar/{ana.id}?from={written_on.isoformat()}")
    expect(client_page.get_by_text("Squats 5×5")).to_be_visible()
    context.close()

    page.goto(f"{url}/clients/{ana.id}/actions")
    page.get_by_role("button", name=re.compile("Remove")).first.click()
    expect(page.get_by_text("Ana was removed from this program.")).to_be_visible()
    assert subscription(app).status == "canceled"
    with app.app_context():
        at_stripe = client_for(KEYS.secret_key).v1.subscriptions.list(params={"limit": 100})
        assert row.provider_id not in {s.id for s in at_stripe.data if s.status != "canceled"}


def test_email_invite_sign_up_then_pay_the_monthly_price(
    app, live_server, watched_page, program, smtp_server, browser
):
    page, url = watched_page, live_server.url
    log_in(page, url, "coach@example.com")
    page.goto(f"{url}/programs/{program.id}")
    page.get_by_label("Name (optional)").fill("Bo")
    page.get_by_label("Email", exact=True).fill("bo@example.com")
    page.get_by_role("button", name="Send invitation").click()
    expect(page.locator("#email-invite")).to_contain_text("Invitation sent to bo@example.com")
    link = deliver_invitation(app, smtp_server, "bo@example.com")
    context = browser.new_context()
    client_page = context.new_page()
    client_page.set_default_timeout(10_000)
    accept_and_land_on_the_card_page(client_page, link)
    assert client_state(app, "bo@example.com") == ("pending", True)
    client_page.goto(f"{url}/me")
    expect(client_page.get_by_role("link", name="My calendar")).to_have_count(0)
    client_page.get_by_role("link", name="Pay to join").click()
    enter_card(client_page, "4242424242424242")
    client_page.get_by_role("button", name="Pay £150.00 per month").click()
    expect(client_page.locator("#subscription-status")).to_contain_text("You pay £150.00")
    client_page.goto(f"{url}/me")
    expect(client_page.get_by_role("link", name="Your payments")).to_be_visible()
    expect(client_page.get_by_role("link", name="My calendar")).to_be_visible()
    context.close()
    row = subscription(app)
    with app.app_context():
        bo = db.session.scalar(sa.select(Client).where(Client.email == "bo@example.com"))
        assert (bo.state, bo.method) == ("active", "email")
    assert (row.client_id, row.status) == (bo.id, "active")
