"""A coach erases a client from the Active tab's row menu in Chromium; the client's own
browser, left open, is logged out on its next click."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.support.browser import log_in
from tests.support.factories import PASSWORD


def test_a_coach_erases_a_client_and_the_clients_open_browser_is_logged_out(
    app, pair, live_server, watched_page, browser
):
    client_page = browser.new_context().new_page()
    log_in(client_page, live_server.url, pair.person_email)
    expect(client_page.get_by_role("link", name="Account")).to_be_visible()

    page = watched_page
    log_in(page, live_server.url, pair.coach_email)
    page.goto(f"{live_server.url}/programs/{pair.program_id}/active")
    page.locator("#active-clients .row-menu > summary").first.click()
    page.get_by_role("link", name="Erase Dana Client 1…").click()
    expect(page.get_by_role("heading", name="Erase Dana Client 1")).to_be_visible()
    expect(page.locator("#what-stays")).to_contain_text("ledger rows")
    page.get_by_role("button", name="Erase Dana Client 1").click()
    expect(page.locator("#understood-error")).to_have_text("Tick this to confirm.")
    page.get_by_label("I understand this erases them for good").check()
    page.get_by_role("button", name="Erase Dana Client 1").click()
    expect(page.get_by_text("The client is erased.")).to_be_visible()
    expect(page.locator("main")).not_to_contain_text("Dana Client 1")

    client_page.get_by_role("link", name="Account").click()
    expect(client_page).to_have_url(re.compile(r"/login"))
    client_page.get_by_label("Email").fill(pair.person_email)
    client_page.get_by_label("Password").fill(PASSWORD)
    client_page.get_by_role("button", name="Log in").click()
    expect(
        client_page.get_by_text("That email and password do not match an account.")
    ).to_be_visible()
    client_page.context.close()


def test_a_client_deletes_their_account_from_the_account_page(app, pair, live_server, watched_page):
    page = watched_page
    log_in(page, live_server.url, pair.person_email)
    page.get_by_role("link", name="Account").click()
    page.get_by_role("link", name="Delete your account…").click()
    expect(page.locator("#what-stays")).to_contain_text("until")
    page.get_by_label("Your password, to confirm").fill(PASSWORD)
    page.get_by_label("I understand this cannot be undone").check()
    page.get_by_role("button", name="Delete my account").click()
    expect(page.get_by_text("Your account is deleted.")).to_be_visible()
    expect(page).to_have_url(re.compile(r"/login$"))
