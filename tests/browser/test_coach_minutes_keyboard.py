"""A coach's minutes by keyboard alone: invite a client and write their first day in at most
twelve key presses besides the text typed, the focus never left on <body> after a swap."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from playwright.sync_api import expect

from tests.browser.test_coach_minutes import entries
from tests.support.browser import log_in
from tests.support.factories import make_client, make_coach, make_program
from tests.support.minutes import Stopwatch
from webapp.extensions import db
from webapp.models import CalendarEntry, Client

TODAY = datetime.now(ZoneInfo("Europe/London")).date()
MOST_KEYS = 12


def focused(page) -> str:
    return page.evaluate(
        "() => { const el = document.activeElement;"
        " return el === document.body ? 'body' : el.tagName.toLowerCase() + '#' + el.id"
        " + ' ' + (el.getAttribute('aria-label') || el.textContent.trim().slice(0, 30)); }"
    )


def tab_to(watch: Stopwatch, css: str, limit: int = 12, key: str = "Tab") -> None:
    """Tab (or Shift+Tab; each press counted) until the element `css` has the focus."""
    for _ in range(limit):
        watch.press(key)
        if watch.page.evaluate("css => document.activeElement.matches(css)", css):
            return
    raise AssertionError(f"Tab never reached {css}; focus on {focused(watch.page)}")


def test_invite_and_write_one_day_by_keyboard_alone(app, live_server, watched_page, minutes_table):
    with app.app_context():
        program = make_program(make_coach(email="coach@example.com")).id
    watch = Stopwatch(watched_page, minutes_table)
    page = watched_page
    log_in(page, live_server.url, "coach@example.com")
    page.goto(f"{live_server.url}/programs/{program}")
    row = watch.start("invite and write one day, keyboard alone")

    watch.press("Tab")
    expect(page.get_by_role("link", name="Skip to content")).to_be_focused()
    watch.press("Enter")
    tab_to(watch, "#manual-name")
    watch.type("Pat Park")
    watch.press("Tab")
    watch.type("pat@example.com")
    watch.press("Enter")
    expect(page.get_by_role("link", name="Write training")).to_be_focused()
    watch.press("Enter")
    title = page.locator(f"#title-new-{TODAY.isoformat()}")
    expect(title).to_be_focused()
    watch.type("Squat 5×5")
    watch.press("Control+Enter")
    day = page.locator(f"#day-{TODAY.isoformat()}")
    expect(day.locator(".cal-entries")).to_contain_text("Squat 5×5")
    expect(title).to_be_focused()  # ready for the next entry
    watch.press("Escape")
    expect(day.locator(".cal-day-head")).to_be_focused()

    with app.app_context():
        pat = db.session.scalar(sa.select(Client.id).where(Client.name == "Pat Park"))
    assert entries(app, pat) == [(TODAY, "Squat 5×5")]
    assert row.keys == row.interactions <= MOST_KEYS, row
    assert row.loads == 0, row
    assert watch.focus_lost() == []


def test_move_to_by_keyboard_moves_an_entry_and_undo_takes_the_focus(
    app, live_server, watched_page, minutes_table
):
    with app.app_context():
        program = make_program(make_coach(email="coach@example.com"))
        ana = make_client(program, name="Ana Lima", start_date=TODAY)
        entry = CalendarEntry(client_id=ana.id, on_date=TODAY, title="Hill repeats")
        db.session.add(entry)
        db.session.commit()
        ids = (ana.id, entry.id)
    watch = Stopwatch(watched_page, minutes_table)
    page = watched_page
    log_in(page, live_server.url, "coach@example.com")
    page.goto(f"{live_server.url}/clients/{ids[0]}/calendar")
    page.locator(f"#day-{TODAY} .cal-day-head").focus()
    row = watch.start("move an entry with Move to…, keyboard alone")
    watch.press("Enter")
    expect(page.locator(f"#title-new-{TODAY}")).to_be_focused()
    # The day's entries come before its new-entry form: back up to the entry's Move to….
    tab_to(watch, f"#entry-{ids[1]} .move-to > summary", key="Shift+Tab")
    watch.press("Enter")
    tab_to(watch, f"#move-{ids[1]}")
    later = TODAY + timedelta(days=2)
    page.locator(f"#move-{ids[1]}").fill(later.isoformat())  # the date typed
    watch.press("Enter")
    notice = page.locator("#calendar-change")
    expect(notice).to_contain_text("“Hill repeats” moved to")
    expect(notice.get_by_role("button", name="Undo")).to_be_focused()
    assert entries(app, ids[0]) == [(later, "Hill repeats")]
    assert row.loads == 0 and watch.focus_lost() == []
    watch.press("Enter")  # Undo
    expect(notice).to_contain_text("Put back.")
    assert entries(app, ids[0]) == [(TODAY, "Hill repeats")]
    assert watch.focus_lost() == []
