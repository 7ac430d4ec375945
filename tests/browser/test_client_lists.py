"""A coach with many clients finds one by typing, and pages through the rest, in Chromium."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.support.browser import log_in
from tests.support.factories import make_client, make_coach, make_program


def test_a_coach_searches_and_pages_the_active_tab_without_leaving_the_page(
    app, live_server, watched_page
):
    with app.app_context():
        program = make_program(make_coach(email="coach@example.com"), name="1-2-1 Coaching")
        for n in range(30):
            make_client(program, name=f"Client {n:02d}", email=f"c{n:02d}@example.com")
        make_client(program, name="Zoe Quinn", email="zoe@example.com")
        program_id = program.id
    page = watched_page
    log_in(page, live_server.url, "coach@example.com")
    page.goto(f"{live_server.url}/programs/{program_id}")
    page.evaluate("window.stillTheSamePage = true")

    rows = page.locator("#active-clients tbody tr")
    expect(rows).to_have_count(25)
    expect(page.locator("#pager-position")).to_have_text("1–25 of 31 · page 1 of 2")
    page.get_by_role("link", name="Next →").click()
    expect(rows).to_have_count(6)
    expect(rows.last).to_contain_text("Zoe Quinn")
    expect(page).to_have_url(re.compile(r"/active\?page=2$"))

    search = page.get_by_role("searchbox", name="Find a client by name or email")
    search.press_sequentially("zoe", delay=40)
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("zoe@example.com")
    expect(page).to_have_url(re.compile(r"/active\?q=zoe$"))
    # The box kept what was typed and the focus, and the page was never reloaded.
    expect(search).to_have_value("zoe")
    expect(search).to_be_focused()
    assert page.evaluate("window.stillTheSamePage") is True

    search.fill("nobody")
    expect(page.locator("#active-empty")).to_contain_text("contains “nobody”")
    search.fill("")
    expect(rows).to_have_count(25)
    expect(page.locator("#active-clients")).to_contain_text("Client 00")

    # Another tab starts afresh: the search does not follow it there.
    search.fill("zoe")
    expect(rows).to_have_count(1)
    page.get_by_role("tab", name=re.compile("Pending")).click()
    expect(page.locator("#pending-empty")).to_contain_text("No pending clients.")
    expect(page).to_have_url(re.compile(r"/pending$"))


def test_a_coach_opens_a_rows_menu_and_moves_the_client(app, live_server, watched_page):
    with app.app_context():
        coach = make_coach(email="coach@example.com")
        program = make_program(coach, name="1-2-1 Coaching")
        make_program(coach, name="Premium")
        make_client(program, name="Ana Lima", email="ana@example.com")
        make_client(program, name="Bea Costa", email="bea@example.com")
        program_id = program.id
    page = watched_page
    log_in(page, live_server.url, "coach@example.com")
    page.goto(f"{live_server.url}/programs/{program_id}")
    page.evaluate("window.stillTheSamePage = true")

    row = page.locator("#active-clients tr", has_text="Ana Lima")
    expect(row.locator("form")).to_have_count(0)
    row.get_by_text("Move or remove").first.click()
    row.get_by_label("Move Ana Lima to").select_option(label="Premium")
    row.get_by_role("button", name="Move", exact=True).click()
    expect(page.locator("#client-notice")).to_contain_text("Ana Lima moved to Premium")
    expect(page.locator("#active-clients tbody tr")).to_have_count(1)
    expect(page.locator("#count-active")).to_have_text("1")
    assert page.evaluate("window.stillTheSamePage") is True
