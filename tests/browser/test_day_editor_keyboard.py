"""The day editor by keyboard alone: focus goes into the editor, and back to the day after it."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import sqlalchemy as sa
from playwright.sync_api import expect

from tests.support.a11y import axe_violations, sideways_overflow
from tests.support.browser import log_in
from tests.support.factories import make_client, make_client_user, make_coach, make_program
from tests.support.site import WIDTHS
from webapp.extensions import db
from webapp.models import CalendarEntry

TODAY = datetime.now(ZoneInfo("Europe/London")).date()  # the week the calendar opens on
DAY = TODAY.isoformat()

FOCUSED = """() => {
  const el = document.activeElement;
  const day = el.closest(".cal-day");
  return {
    tag: el.tagName.toLowerCase(),
    id: el.id,
    text: el.textContent.trim().slice(0, 40),
    isDayHead: el.classList.contains("cal-day-head"),
    day: day ? day.id : null,
    editing: day ? day.classList.contains("editing") : false,
  };
}"""


def focused(page) -> dict:
    return page.evaluate(FOCUSED)


def tab_until(page, wanted, limit: int = 60) -> dict:
    """Press Tab until the focused element is the one wanted (a person tabbing through)."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        now = focused(page)
        if wanted(now):
            return now
    raise AssertionError(f"Tab never reached it; focus ended on {focused(page)}")


def entries(app, client_id) -> list[tuple[str, str]]:
    with app.app_context():
        rows = db.session.execute(
            sa.select(CalendarEntry.title, CalendarEntry.body)
            .where(CalendarEntry.client_id == client_id)
            .order_by(CalendarEntry.position)
        )
        return [tuple(row) for row in rows]


def the_day_head(now: dict) -> bool:
    return now["isDayHead"] and now["day"] == f"day-{DAY}"


def test_a_coach_writes_a_day_with_the_keyboard_alone(app, live_server, watched_page):
    with app.app_context():
        coach = make_coach(email="coach@example.com")
        person = make_client_user(email="ana@example.com", name="Ana Lima")
        row = make_client(make_program(coach), user=person, start_date=TODAY)
        client_id = row.id
    page = watched_page
    log_in(page, live_server.url, "coach@example.com")
    page.goto(f"{live_server.url}/clients/{client_id}/calendar")
    expect(page.locator("#calendar-heading")).to_contain_text("Week 1")

    # Tab to the day, Enter opens its editor with the focus in its first field.
    tab_until(page, the_day_head)
    page.keyboard.press("Enter")
    expect(page.locator(f"#day-{DAY}.editing")).to_be_visible()
    expect(page.locator(f"#title-new-{DAY}")).to_be_focused()

    # Type a title, Tab to the details, type them, Enter from the title adds the entry.
    page.keyboard.type("Squat 5×5")
    page.keyboard.press("Tab")
    assert focused(page)["id"] == f"body-new-{DAY}"
    page.keyboard.type("Five sets, two minutes rest")
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Enter")
    day = page.locator(f"#day-{DAY}")
    day_head = day.locator(".cal-day-head")
    expect(day.locator(".cal-entries")).to_contain_text("Squat 5×5")
    assert entries(app, client_id) == [("Squat 5×5", "Five sets, two minutes rest")]
    # Ready for the next entry: the emptied title field has the focus again.
    expect(page.locator(f"#title-new-{DAY}")).to_be_focused()
    expect(page.locator(f"#title-new-{DAY}")).to_have_value("")

    # Escape closes the editor and the focus is back on the day.
    page.keyboard.press("Escape")
    expect(page.locator(f"#day-{DAY}.editing")).to_have_count(0)
    expect(day).to_contain_text("Squat 5×5")
    expect(day_head).to_be_focused()

    # Open it again and leave through its Done button, by Tab and Enter.
    page.keyboard.press("Enter")
    expect(page.locator(f"#title-new-{DAY}")).to_be_focused()
    tab_until(page, lambda now: now["text"] == "Done" and now["day"] == f"day-{DAY}")
    page.keyboard.press("Enter")
    expect(page.locator(f"#day-{DAY}.editing")).to_have_count(0)
    expect(day_head).to_be_focused()
    assert entries(app, client_id) == [("Squat 5×5", "Five sets, two minutes rest")]


def test_escape_in_an_entrys_editor_cancels_it_and_returns_to_its_edit_button(
    app, live_server, watched_page
):
    with app.app_context():
        coach = make_coach(email="coach@example.com")
        row = make_client(make_program(coach), start_date=TODAY)
        db.session.add(CalendarEntry(client_id=row.id, on_date=TODAY, title="Hill repeats"))
        db.session.commit()
        client_id = row.id
    page = watched_page
    log_in(page, live_server.url, "coach@example.com")
    page.goto(f"{live_server.url}/clients/{client_id}/calendar")

    tab_until(page, the_day_head)
    page.keyboard.press("Enter")
    expect(page.locator(f"#title-new-{DAY}")).to_be_focused()
    edit = tab_until(page, lambda now: now["text"] == "Edit")
    assert edit["editing"] is True
    page.keyboard.press("Enter")
    # The entry's own editor opens with its title focused, holding the title to change.
    entry_title = page.locator(f"#day-{DAY} .cal-entry .cal-form input[name=title]")
    expect(entry_title).to_be_focused()
    expect(entry_title).to_have_value("Hill repeats")

    page.keyboard.press("Escape")  # cancels the entry's editor, not the whole day's
    expect(page.locator(f"#day-{DAY} .cal-entry .cal-form")).to_have_count(0)
    expect(page.locator(f"#day-{DAY}.editing")).to_be_visible()
    expect(page.locator(f"#day-{DAY}").get_by_role("link", name="Edit")).to_be_focused()

    page.keyboard.press("Escape")  # and now the day's editor
    expect(page.locator(f"#day-{DAY}.editing")).to_have_count(0)
    expect(page.locator(f"#day-{DAY} .cal-day-head")).to_be_focused()


def test_saving_an_entry_in_place_keeps_the_day_open_and_returns_to_its_edit_button(
    app, live_server, watched_page
):
    with app.app_context():
        coach = make_coach(email="coach@example.com")
        row = make_client(make_program(coach), start_date=TODAY)
        db.session.add_all(
            [
                CalendarEntry(client_id=row.id, on_date=TODAY, position=0, title="Hill repeats"),
                CalendarEntry(client_id=row.id, on_date=TODAY, position=1, title="Stretch"),
            ]
        )
        db.session.commit()
        client_id = row.id
    page = watched_page
    log_in(page, live_server.url, "coach@example.com")
    page.goto(f"{live_server.url}/clients/{client_id}/calendar")
    page.evaluate("window.stillTheSamePage = true")

    tab_until(page, the_day_head)
    page.keyboard.press("Enter")
    expect(page.locator(f"#title-new-{DAY}")).to_be_focused()
    page.keyboard.type("Tempo, half")  # a new entry begun, not added yet
    tab_until(page, lambda now: now["text"] == "Edit")
    page.keyboard.press("Enter")
    entry_title = page.locator(f"#day-{DAY} .cal-entry .cal-form input[name=title]")
    expect(entry_title).to_be_focused()
    page.keyboard.press("ControlOrMeta+a")
    page.keyboard.type("Hill repeats ×8")
    page.keyboard.press("Control+Enter")  # saves from the field, the date unchanged

    day = page.locator(f"#day-{DAY}")
    first = day.locator(".cal-entry").first
    expect(first).to_contain_text("Hill repeats ×8")
    expect(day.locator(".cal-entry .cal-form")).to_have_count(0)
    # The day's editor stays open around it: its other entry, and the new entry half typed.
    expect(page.locator(f"#day-{DAY}.editing")).to_be_visible()
    expect(day.locator(".cal-entry").nth(1)).to_contain_text("Stretch")
    expect(page.locator(f"#title-new-{DAY}")).to_have_value("Tempo, half")
    expect(first.get_by_role("link", name="Edit")).to_be_focused()
    assert entries(app, client_id) == [("Hill repeats ×8", ""), ("Stretch", "")]
    assert page.evaluate("window.stillTheSamePage") is True

    # Two entries' editors open side by side: each step lands in its own entry.
    first.get_by_role("link", name="Edit").click()
    second = day.locator(".cal-entry").nth(1)
    second.get_by_role("link", name="Edit").click()
    expect(second.locator("input[name=title]")).to_be_focused()
    page.keyboard.press("ControlOrMeta+a")
    page.keyboard.type("Stretch, 10 min")
    page.keyboard.press("Control+Enter")
    expect(second).to_contain_text("Stretch, 10 min")
    expect(second.get_by_role("link", name="Edit")).to_be_focused()
    expect(first.locator("input[name=title]")).to_have_value("Hill repeats ×8")  # still open
    first.locator("input[name=title]").focus()
    page.keyboard.press("Escape")  # cancels that entry's editor alone
    expect(day.locator(".cal-entry .cal-form")).to_have_count(0)
    expect(first.get_by_role("link", name="Edit")).to_be_focused()
    assert entries(app, client_id) == [("Hill repeats ×8", ""), ("Stretch, 10 min", "")]

    # Its controls work in place: Escape closes the day, the focus lands on the day.
    page.keyboard.press("Escape")
    expect(page.locator(f"#day-{DAY}.editing")).to_have_count(0)
    expect(page.locator(f"#day-{DAY} .cal-day-head")).to_be_focused()


@pytest.mark.parametrize("width", sorted(WIDTHS))
def test_entries_opened_and_saved_in_place_pass_axe_and_fit_the_screen(
    app, live_server, watched_page, width
):
    with app.app_context():
        coach = make_coach(email="coach@example.com")
        row = make_client(make_program(coach), start_date=TODAY)
        db.session.add_all(
            [
                CalendarEntry(client_id=row.id, on_date=TODAY, position=n, title=title)
                for n, title in enumerate(["Hill repeats", "Stretch"])
            ]
        )
        db.session.commit()
        client_id = row.id
    page = watched_page
    page.set_viewport_size(WIDTHS[width])
    log_in(page, live_server.url, "coach@example.com")
    page.goto(f"{live_server.url}/clients/{client_id}/calendar")
    day = page.locator(f"#day-{DAY}")
    day.locator(".cal-day-head").click()
    for entry in (day.locator(".cal-entry").nth(0), day.locator(".cal-entry").nth(1)):
        entry.get_by_role("link", name="Edit").click()
        expect(entry.locator(".cal-form")).to_be_visible()
    # Both editors open side by side: a state only in-place answers make.
    assert axe_violations(page) == []
    assert sideways_overflow(page) <= 0
    second = day.locator(".cal-entry").nth(1)
    second.locator("input[name=title]").fill("   ")  # the browser lets it through; the server not
    second.get_by_role("button", name="Save").click()
    expect(second.locator("[aria-invalid=true]")).to_be_focused()
    expect(second).to_contain_text("Give the training a title.")
    expect(day.locator(".cal-entry").nth(0).locator(".cal-form")).to_be_visible()  # still open
    assert axe_violations(page) == []
    second.locator("input[name=title]").fill("Stretch, 10 min")
    second.get_by_role("button", name="Save").click()
    expect(second).to_contain_text("Stretch, 10 min")
    assert axe_violations(page) == []
    assert sideways_overflow(page) <= 0
    assert entries(app, client_id) == [("Hill repeats", ""), ("Stretch, 10 min", "")]
