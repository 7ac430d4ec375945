"""A client changes the email they log in with, through a link sent to the new address."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.support.browser import log_in
from tests.support.factories import PASSWORD, make_client_user
from tests.support.smtp import Mailbox
from webapp.services import outbox

LINK = re.compile(r"(http://\S+/account/email/confirm/[A-Za-z0-9_-]+)")


@pytest.fixture
def app_config(app_config, smtp_server):
    return {**app_config, "MAIL_SERVER": "127.0.0.1", "MAIL_PORT": smtp_server.port}


def test_a_client_moves_their_account_to_a_new_address(app, live_server, watched_page, smtp_server):
    with app.app_context():
        make_client_user(email="ana@example.com", name="Ana Lima")
    page = watched_page
    log_in(page, live_server.url, "ana@example.com")
    page.get_by_role("link", name="Account").click()

    form = page.locator("#account-email")
    form.get_by_label("New email address").fill("ana.lima@example.com")
    form.get_by_label("Current password").fill("not the password")
    form.get_by_role("button", name="Send confirmation link").click()
    expect(page.locator("#change-current_password-error")).to_have_text(
        "That is not your current password."
    )
    form = page.locator("#account-email")
    form.get_by_label("Current password").fill(PASSWORD)
    form.get_by_role("button", name="Send confirmation link").click()
    expect(page.locator("#email-waiting")).to_contain_text("ana.lima@example.com")

    with app.app_context():
        assert outbox.send_due() == (1, 0)
    [message] = smtp_server.mailbox.wait_for(1)
    assert message["To"] == "ana.lima@example.com"
    page.goto(LINK.search(Mailbox.body(message)).group(1))
    expect(page.locator("#confirm-email")).to_contain_text("ana@example.com")
    page.get_by_role("button", name="Use ana.lima@example.com").click()
    expect(page.get_by_text("Your email address is now ana.lima@example.com")).to_be_visible()
    expect(page.locator("#account-details")).to_contain_text("You log in with ana.lima@example.com")

    with app.app_context():
        assert outbox.send_due() == (1, 0)
    notice = smtp_server.mailbox.wait_for(2)[-1]
    assert notice["To"] == "ana@example.com" and "was changed" in notice["Subject"]

    page.get_by_role("button", name="Log out").click()
    page.get_by_label("Email").fill("ana.lima@example.com")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_role("link", name="Account")).to_be_visible()
