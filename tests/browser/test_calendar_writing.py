"""The coach writes a Pending client's calendar inline; the client, once they have accepted
the emailed invitation, sees exactly what was written from Week 1 Day 1."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta

import pytest
import sqlalchemy as sa
from playwright.sync_api import expect

from tests.support.browser import log_in
from tests.support.factories import (
    make_client,
    make_client_user,
    make_coach,
    make_program,
)
from webapp.extensions import db
from webapp.models import CalendarEntry, Client, OutboxMessage

NOW = datetime(2026, 11, 22, 9, 0, tzinfo=UTC)
START = date(2026, 11, 22)


pytestmark = pytest.mark.usefixtures("frozen_clock")  # at NOW


def write(page, on: date, title: str):
    day = page.locator(f"#day-{on.isoformat()}")
    if not day.locator("form.cal-add").count():
        day.locator(".cal-day-head").click()
    day = page.locator(f"#day-{on.isoformat()}")
    day.get_by_label("Title").fill(title)
    day.get_by_role("button", name="Add").click()
    expect(page.locator(f"#day-{on.isoformat()} .cal-entries")).to_contain_text(title)


def test_coach_writes_a_pending_clients_calendar_and_the_client_sees_it(
    app, live_server, watched_page
):
    with app.app_context():
        coach = make_coach(email="coach@example.com")
        program = make_program(coach)
        pending = make_client(
            program, state="pending", name="Pat", email="pat@example.com", start_date=START
        )
    page = watched_page
    page.on("dialog", lambda dialog: dialog.accept())
    base = live_server.url

    log_in(page, base, "coach@example.com")
    page.goto(f"{base}/clients/{pending.id}/calendar")
    expect(page.locator("#calendar-heading")).to_contain_text("Week 1")
    page.evaluate("window.stillTheSamePage = true")

    d1, d2, d3 = START, START + timedelta(days=1), START + timedelta(days=2)
    write(page, d1, "Squat 5×5")
    write(page, d1, "Core circuit")
    page.locator(f"#day-{d1.isoformat()}").get_by_role("link", name="Done").click()
    write(page, d2, "Easy run 30 min")
    write(page, d3, "Intervals <8×400m>")

    # Edit one: the second day's run becomes longer.
    day2 = page.locator(f"#day-{d2.isoformat()}")
    day2.get_by_role("link", name="Edit").click()
    editor = day2.locator(".cal-entry form")  # the entry's own editor, swapped in place
    editor.get_by_label("Title").fill("Easy run 45 min")
    editor.get_by_role("button", name="Save").click()
    expect(day2.locator(".cal-entries")).to_contain_text("Easy run 45 min")
    day2.get_by_role("link", name="Done").click()
    expect(day2).not_to_contain_text("Easy run 30 min")

    # Delete one: the core circuit on day one goes.
    day1 = page.locator(f"#day-{d1.isoformat()}")
    day1.locator(".cal-day-head").click()
    day1.locator("#entry-2").get_by_role("button", name="Delete").click()
    expect(day1.locator(".cal-entries")).not_to_contain_text("Core circuit")
    day1.get_by_role("link", name="Done").click()
    expect(day1.locator(".cal-entries")).to_contain_text("Squat 5×5")

    assert page.evaluate("window.stillTheSamePage") is True  # all of it without a reload

    with app.app_context():
        written = db.session.execute(
            sa.select(CalendarEntry.on_date, CalendarEntry.title).order_by(CalendarEntry.on_date)
        ).all()
    assert written == [(d1, "Squat 5×5"), (d2, "Easy run 45 min"), (d3, "Intervals <8×400m>")]

    # Later the coach sends the formal invite from the Pending tab, and Pat accepts it.
    page.goto(f"{base}/programs/{program.id}/pending")
    page.locator("#pending-clients tbody tr", has_text="Pat").get_by_role(
        "button", name="Send invite"
    ).click()
    expect(page.locator("#client-notice")).to_contain_text("Invitation sent to pat@example.com")
    with app.app_context():
        email = db.session.scalar(
            sa.select(OutboxMessage).where(OutboxMessage.recipient == "pat@example.com")
        )
    link = re.search(r"(http://\S+/invitation/[\w-]+)", email.body).group(1)
    page.get_by_role("button", name="Log out").click()
    page.goto(link)
    page.get_by_label("Choose a password").fill("a long enough password")
    page.get_by_label("I have read and accept the waiver").check()
    page.get_by_role("button", name="Accept and join").click()
    expect(page.get_by_role("heading", name="Welcome to 1-2-1 Coaching")).to_be_visible()
    with app.app_context():
        row = db.session.get(Client, pending.id)
        assert (row.state, row.start_date) == ("active", START)
    page.get_by_role("link", name="My calendar").click()
    days = page.locator(".agenda-day")
    expect(days.first).to_contain_text("Today")
    expect(days.first).to_contain_text("Week 1 Day 1")
    seen = [
        (int(day.get_attribute("id")[-2:]), day.locator(".entry-title strong").all_inner_texts())
        for day in days.all()
    ]
    assert [(n, titles) for n, titles in seen if titles] == [
        (22, ["Squat 5×5"]),
        (23, ["Easy run 45 min"]),
        (24, ["Intervals <8×400m>"]),
    ]
    expect(page.locator(f"#my-day-{d2.isoformat()}")).to_contain_text("Week 1 Day 2")


def test_coach_moves_an_entry_with_the_date_picker_and_the_client_logs_it(
    app, live_server, watched_page
):
    with app.app_context():
        coach = make_coach(email="coach@example.com")
        sam = make_client_user(email="sam@example.com", time_zone="Europe/London")
        row = make_client(make_program(coach), user=sam, start_date=START, horizon_days=7)
        db.session.add(CalendarEntry(client_id=row.id, on_date=START, title="Hill repeats"))
        db.session.commit()
    page = watched_page
    base = live_server.url
    log_in(page, base, "coach@example.com")
    page.goto(f"{base}/clients/{row.id}/calendar")
    page.evaluate("window.stillTheSamePage = true")
    day1 = page.locator(f"#day-{START.isoformat()}")
    day1.locator(".cal-day-head").click()
    day1.get_by_role("link", name="Edit").click()
    editor = day1.locator(".cal-entry form")
    editor.get_by_label("Date").fill((START + timedelta(days=3)).isoformat())
    editor.get_by_role("button", name="Save").click()
    day4 = page.locator(f"#day-{(START + timedelta(days=3)).isoformat()}")
    expect(day4).to_contain_text("Hill repeats")
    expect(day4.locator(".entry-moves")).to_contain_text("Moved 22 Nov → 25 Nov")
    expect(page.locator(f"#day-{START.isoformat()}")).not_to_contain_text("Hill repeats")
    assert page.evaluate("window.stillTheSamePage") is True

    page.get_by_role("button", name="Log out").click()
    log_in(page, base, "sam@example.com")
    page.goto(f"{base}/my/calendar/{row.id}")
    page.evaluate("window.stillTheSamePage = true")
    entry = page.locator(".my-entry", has_text="Hill repeats")
    expect(entry).not_to_contain_text("Edit")
    entry.get_by_role("link", name="Mark done / add a note").click()
    entry.get_by_label("Done").check()
    entry.get_by_label("Note for your coach").fill("Legs on fire")
    entry.get_by_role("button", name="Save").click()
    expect(entry.locator(".badge")).to_have_text("Done")
    expect(entry).to_contain_text("Legs on fire")
    assert page.evaluate("window.stillTheSamePage") is True
    page.get_by_role("button", name="Get my calendar feed").click()
    feed = re.compile(re.escape(base) + r"/feeds/[A-Za-z0-9_-]{40,}\.ics$")
    expect(page.locator("#feed-url")).to_have_value(feed)


def test_without_javascript_the_coach_writes_moves_and_the_client_logs(app, live_server, browser):
    with app.app_context():
        coach = make_coach(email="coach@example.com")
        sam = make_client_user(email="sam@example.com", time_zone="Europe/London")
        row = make_client(make_program(coach), user=sam, start_date=START, horizon_days=7)
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.set_default_timeout(10_000)
    base = live_server.url
    try:
        log_in(page, base, "coach@example.com")
        page.goto(f"{base}/clients/{row.id}/calendar")
        page.locator(f"#day-{START.isoformat()} .cal-day-head").click()
        page.get_by_label("Title").fill("Tempo run")
        page.get_by_role("button", name="Add").click()
        expect(page.locator(".cal-entries")).to_contain_text("Tempo run")
        page.get_by_role("link", name="Edit").click()
        page.locator(".cal-entry form").get_by_label("Date").fill("2026-11-24")
        page.locator(".cal-entry form").get_by_role("button", name="Save").click()
        expect(page.locator(".flash-success")).to_contain_text("moved to Tue 24 Nov 2026")
        page.get_by_role("link", name="calendar").first.click()
        expect(page.locator("#day-2026-11-24")).to_contain_text("Tempo run")

        page.get_by_role("button", name="Log out").click()
        log_in(page, base, "sam@example.com")
        page.goto(f"{base}/my/calendar/{row.id}")
        page.get_by_role("link", name="Mark done / add a note").click()
        page.get_by_label("Done").check()
        page.get_by_role("button", name="Save").click()
        expect(page.locator("#my-day-2026-11-24 .badge")).to_have_text("Done")
    finally:
        context.close()
