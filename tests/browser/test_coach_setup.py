"""A new coach signs up, creates a 1-2-1 program and publishes it."""

import re

import sqlalchemy as sa
from playwright.sync_api import expect

from tests.support.browser import confirm_sign_up
from tests.web.signup_support import confirmation_tokens
from webapp.extensions import db
from webapp.models import Program


def sign_up_coach(app, page, base_url: str) -> None:
    """The sign-up form, then the link it mails (read from the captured outbox)."""
    page.get_by_label("Your name").fill("Casey Coach")
    page.get_by_label("Email").fill("casey@example.com")
    page.get_by_label("Password").fill("a long enough password")
    page.get_by_label("Time zone").select_option("Europe/London")
    page.get_by_role("button", name="Create account").click()
    expect(page.get_by_role("heading", name="Check your email")).to_be_visible()
    [token] = confirmation_tokens(app, "casey@example.com")
    confirm_sign_up(page, f"{base_url}/signup/confirm/{token}", "a long enough password")


def test_a_new_coach_creates_and_publishes_a_program(app, live_server, watched_page):
    page = watched_page
    page.goto(live_server.url + "/")
    page.get_by_role("link", name="Start as a coach").click()
    sign_up_coach(app, page, live_server.url)

    page.get_by_role("link", name="Create your first program").click()
    page.get_by_label("Program name").fill("1-2-1 Coaching")
    page.get_by_label("Price").fill("200.00")
    page.get_by_label("Currency").select_option("GBP")
    page.get_by_label("Billed").select_option("month")
    page.get_by_label("Description").fill("Personal coaching, written for you.")
    page.get_by_label("Welcome message").fill("Welcome aboard!")
    page.get_by_label("Waiver").fill("I am fit to train.")
    page.get_by_role("button", name="Create program").click()

    expect(page.locator("#program-status")).to_have_text("Draft")
    page.get_by_role("button", name="Publish").click()
    expect(page.locator("#program-status")).to_have_text("Published")

    page.get_by_role("link", name="Programs").first.click()
    card = page.locator(".program-card", has_text="1-2-1 Coaching")
    expect(card).to_contain_text("Published")
    expect(card).to_contain_text("£200.00 per month")

    with app.app_context():
        program = db.session.scalar(sa.select(Program))
        assert (program.name, program.status, program.price_minor, program.currency) == (
            "1-2-1 Coaching",
            "published",
            20000,
            "GBP",
        )
        assert program.waiver == "I am fit to train."


def test_a_bad_price_is_shown_next_to_the_field(app, live_server, watched_page):
    page = watched_page
    page.goto(live_server.url + "/signup")
    sign_up_coach(app, page, live_server.url)
    page.goto(live_server.url + "/programs/new")
    page.get_by_label("Program name").fill("1-2-1 Coaching")
    page.get_by_label("Price").fill("-3")
    page.get_by_role("button", name="Create program").click()
    expect(page.locator("#price-error")).to_have_text(re.compile("cannot be negative"))
    with app.app_context():
        assert db.session.scalar(sa.select(sa.func.count()).select_from(Program)) == 0
