"""The client tabs by keyboard: one stop in the Tab order, arrow keys move and open tabs."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.support.browser import log_in
from tests.support.factories import make_client, make_coach, make_program


def focused_id(page) -> str:
    return page.evaluate("document.activeElement && document.activeElement.id")


def tab_stops(page) -> dict[str, str | None]:
    return page.evaluate(
        "Object.fromEntries([...document.querySelectorAll('[role=tab]')]"
        ".map((tab) => [tab.id, tab.getAttribute('tabindex')]))"
    )


def test_arrow_keys_move_between_the_client_tabs_and_open_each(app, live_server, watched_page):
    with app.app_context():
        program = make_program(make_coach(email="coach@example.com"))
        make_client(program, name="Ana Lima", email="ana@example.com")
        make_client(program, name="Pat Pending", email="pat@example.com", state="pending")
        program_id = program.id
    page = watched_page
    base = live_server.url
    log_in(page, base, "coach@example.com")
    page.goto(f"{base}/programs/{program_id}/active")
    page.evaluate("window.stillTheSamePage = true")
    active = page.locator("#tab-active")
    expect(active).to_have_attribute("tabindex", "0")
    # Only the open tab is a stop in the Tab order.
    assert tab_stops(page) == {"tab-active": "0", "tab-pending": "-1", "tab-invitations": "-1"}

    active.focus()
    page.keyboard.press("ArrowRight")
    expect(page.locator("#tab-pending")).to_have_attribute("aria-selected", "true")
    expect(page).to_have_url(re.compile(rf"/programs/{program_id}/pending$"))
    expect(page.get_by_role("tabpanel")).to_contain_text("Pat Pending")
    expect(page.locator("#tab-pending")).to_be_focused()
    assert tab_stops(page) == {"tab-active": "-1", "tab-pending": "0", "tab-invitations": "-1"}

    page.keyboard.press("ArrowRight")
    expect(page.locator("#tab-invitations")).to_have_attribute("aria-selected", "true")
    expect(page.locator("#tab-invitations")).to_be_focused()
    expect(page.get_by_role("tabpanel")).to_contain_text("No outstanding email invitations.")

    page.keyboard.press("ArrowRight")  # round to the first
    expect(page.locator("#tab-active")).to_have_attribute("aria-selected", "true")
    expect(page.locator("#tab-active")).to_be_focused()
    expect(page.get_by_role("tabpanel")).to_contain_text("Ana Lima")

    page.keyboard.press("ArrowLeft")  # and back round to the last
    expect(page.locator("#tab-invitations")).to_have_attribute("aria-selected", "true")
    page.keyboard.press("Home")
    expect(page.locator("#tab-active")).to_have_attribute("aria-selected", "true")
    expect(page.locator("#tab-active")).to_be_focused()
    page.keyboard.press("End")
    expect(page.locator("#tab-invitations")).to_have_attribute("aria-selected", "true")
    expect(page.locator("#tab-invitations")).to_be_focused()
    expect(page).to_have_url(re.compile(rf"/programs/{program_id}/invitations$"))

    # Tab leaves the tab list for the open panel, not for the next tab.
    page.keyboard.press("Tab")
    assert focused_id(page) not in {"tab-active", "tab-pending"}
    assert page.evaluate("!!document.activeElement.closest('[role=tabpanel]')") is True
    assert page.evaluate("window.stillTheSamePage") is True
    assert page.get_by_role("tabpanel").get_attribute("aria-labelledby") == "tab-invitations"
