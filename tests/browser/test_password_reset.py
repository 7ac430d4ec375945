"""A coach who forgot their password gets a link by email and is back in."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.support.factories import make_coach, make_program
from tests.support.smtp import Mailbox
from webapp.services import outbox

LINK = re.compile(r"(http://\S+/password/reset/[A-Za-z0-9_-]+)")


@pytest.fixture
def app_config(app_config, smtp_server):
    return {**app_config, "MAIL_SERVER": "127.0.0.1", "MAIL_PORT": smtp_server.port}


def test_a_forgotten_password_is_reset_through_the_emailed_link(
    app, live_server, watched_page, smtp_server
):
    with app.app_context():
        make_program(make_coach(email="coach@example.com"), name="1-2-1 Coaching")
    page = watched_page
    page.goto(live_server.url + "/login")
    page.get_by_role("link", name="Forgot your password?").click()
    page.get_by_label("Email").fill("coach@example.com")
    page.get_by_role("button", name="Email me a link").click()
    expect(page.get_by_role("heading", name="Check your email")).to_be_visible()

    with app.app_context():
        assert outbox.send_due() == (1, 0)
    [message] = smtp_server.mailbox.wait_for(1)
    assert message["To"] == "coach@example.com"
    link = LINK.search(Mailbox.body(message)).group(1)

    page.goto(link)
    page.get_by_label("New password").fill("a brand new passphrase")
    page.get_by_label("Type it again").fill("a different passphrase")
    page.get_by_role("button", name="Save new password").click()
    expect(page.locator("#confirm-error")).to_have_text("The two passwords are not the same.")

    page.get_by_label("New password").fill("a brand new passphrase")
    page.get_by_label("Type it again").fill("a brand new passphrase")
    page.get_by_role("button", name="Save new password").click()
    expect(page.get_by_text("Your password is changed")).to_be_visible()
    expect(page.locator(".program-card", has_text="1-2-1 Coaching")).to_be_visible()

    page.get_by_role("button", name="Log out").click()
    page.get_by_label("Email").fill("coach@example.com")
    page.get_by_label("Password").fill("a brand new passphrase")
    page.get_by_role("button", name="Log in").click()
    expect(page.locator(".program-card", has_text="1-2-1 Coaching")).to_be_visible()
