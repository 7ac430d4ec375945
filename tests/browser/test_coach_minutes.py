"""A coach's minutes: each common task in at most three interactions and no full page load
after the start page, driven in Chromium as a coach who knows the app would. The module prints
the table of what each task took."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
import sqlalchemy as sa
from playwright.sync_api import expect

from tests.support.a11y import axe_violations
from tests.support.browser import log_in
from tests.support.factories import (
    make_client,
    make_client_user,
    make_coach,
    make_program,
    place_booked_session,
)
from tests.support.minutes import Stopwatch
from webapp.extensions import db
from webapp.models import (
    Booking,
    CalendarEntry,
    Client,
    CoachingSession,
    EntryMove,
    Package,
    Program,
)

TODAY = datetime.now(ZoneInfo("Europe/London")).date()
MOST = 3


@pytest.fixture
def practice(app):
    """A coach with a published program and an active client a few days in."""
    with app.app_context():
        coach = make_coach(email="coach@example.com", name="Casey Coach")
        program = make_program(coach)
        ana = make_client(
            program,
            user=make_client_user(name="Ana Lima", email="ana@example.com"),
            start_date=TODAY - timedelta(days=2),
        )
        hills = CalendarEntry(client_id=ana.id, on_date=TODAY, title="Hill repeats")
        db.session.add(hills)
        db.session.commit()
        return {"program": program.id, "ana": ana.id, "hills": hills.id}


@pytest.fixture
def coach_tab(app, live_server, watched_page, minutes_table, practice):
    watch = Stopwatch(watched_page, minutes_table)
    log_in(watched_page, live_server.url, "coach@example.com")
    return watch


def done_within(watch: Stopwatch, row) -> None:
    assert row.interactions <= MOST, row
    assert row.loads == 0, row
    assert watch.focus_lost() == []


def entries(app, client_id: int) -> list[tuple]:
    with app.app_context():
        return [
            tuple(r)
            for r in db.session.execute(
                sa.select(CalendarEntry.on_date, CalendarEntry.title)
                .where(CalendarEntry.client_id == client_id)
                .order_by(CalendarEntry.on_date, CalendarEntry.position)
            )
        ]


def invite(watch: Stopwatch, name: str, email: str) -> None:
    form = watch.page.locator("#manual-invite")
    watch.fill(form.get_by_label("Name"), name)
    watch.fill(form.get_by_label("Email"), email)
    watch.press("Enter")
    expect(form.get_by_role("link", name="Write training")).to_be_focused()


def test_manual_invite(app, live_server, coach_tab, practice):
    page = coach_tab.page
    page.goto(f"{live_server.url}/programs/{practice['program']}")
    row = coach_tab.start("manual invite")
    invite(coach_tab, "Pat Park", "pat@example.com")
    # The list shows Pending, with the new client in it.
    expect(page.locator("#tab-pending")).to_have_attribute("aria-selected", "true")
    expect(page.locator("#pending-clients")).to_contain_text("Pat Park")
    with app.app_context():
        assert db.session.scalar(sa.select(Client.state).where(Client.name == "Pat Park")) == (
            "pending"
        )
    done_within(coach_tab, row)


def test_quick_invite_on_the_programs_page(app, live_server, coach_tab, practice):
    page = coach_tab.page
    page.goto(f"{live_server.url}/programs/")
    row = coach_tab.start("quick invite on the Programs page")
    card = page.locator(f"#quick-invite-{practice['program']}")
    coach_tab.fill(card.get_by_label("Name"), "Pat Park")
    coach_tab.fill(card.get_by_label("Email"), "pat@example.com")
    coach_tab.press("Enter")
    expect(card.get_by_role("link", name="Write training")).to_be_focused()
    with app.app_context():
        assert db.session.scalar(sa.select(Client.state).where(Client.name == "Pat Park")) == (
            "pending"
        )
    done_within(coach_tab, row)


def test_write_one_day_for_a_new_client(app, live_server, coach_tab, practice):
    page = coach_tab.page
    page.goto(f"{live_server.url}/programs/{practice['program']}")
    form = page.locator("#manual-invite")
    form.get_by_label("Name").fill("Pat Park")
    form.get_by_label("Email").fill("pat@example.com")
    form.get_by_role("button", name="Add to Pending").click()
    row = coach_tab.start("write one day for a new client")
    coach_tab.click(form.get_by_role("link", name="Write training"))
    title = page.locator(f"#title-new-{TODAY.isoformat()}")
    expect(title).to_be_focused()
    coach_tab.fill(title, "Squat 5×5")
    coach_tab.press("Control+Enter")
    expect(page.locator(f"#day-{TODAY.isoformat()} .cal-entries")).to_contain_text("Squat 5×5")
    with app.app_context():
        pat = db.session.scalar(sa.select(Client.id).where(Client.name == "Pat Park"))
    assert entries(app, pat) == [(TODAY, "Squat 5×5")]
    done_within(coach_tab, row)


def test_see_who_needs_attention(app, live_server, coach_tab, practice):
    page = coach_tab.page
    page.goto(f"{live_server.url}/programs/")
    expect(page.locator("#attention-count")).to_have_text("1")
    row = coach_tab.start("see who needs attention")
    coach_tab.click(page.locator("#attention-menu > summary"))
    menu = page.locator(f"#attention-menu-{practice['ana']}")
    expect(menu).to_contain_text("Ana Lima")
    expect(menu).to_contain_text("0 of 7 days written, next gap")  # today's is not ahead
    done_within(coach_tab, row)


def test_the_switcher_and_the_top_bar_move_around_without_a_reload(
    app, live_server, coach_tab, practice
):
    page = coach_tab.page
    page.goto(f"{live_server.url}/programs/")
    row = coach_tab.start("switch to a client, then to Packages")
    coach_tab.fill(page.get_by_label("Go to a client"), "ana")
    coach_tab.press("Enter")
    expect(page.locator("h1")).to_have_text("Ana Lima")
    assert page.url.endswith(f"/clients/{practice['ana']}/calendar")
    expect(page.locator("h1")).to_be_focused()
    coach_tab.click(
        page.get_by_role("navigation", name="Main").get_by_role("link", name="Packages")
    )
    expect(page.locator("h1")).to_be_focused()
    done_within(coach_tab, row)


def moves(app, entry_id: int) -> list[tuple]:
    with app.app_context():
        return [
            tuple(r)
            for r in db.session.execute(
                sa.select(EntryMove.from_date, EntryMove.to_date)
                .where(EntryMove.entry_id == entry_id)
                .order_by(EntryMove.id)
            )
        ]


@pytest.mark.parametrize("view", ["week", "month"])
def test_move_an_entry_to_another_date(app, live_server, coach_tab, practice, view):
    page = coach_tab.page
    query = "?view=month" if view == "month" else ""
    page.goto(f"{live_server.url}/clients/{practice['ana']}/calendar{query}")
    tomorrow = TODAY + timedelta(days=1)
    row = coach_tab.start(f"move an entry to another date ({view})")
    coach_tab.drag(page.locator(f"#entry-{practice['hills']}"), page.locator(f"#day-{tomorrow}"))
    expect(page.locator(f"#day-{tomorrow} #entry-{practice['hills']}")).to_be_visible()
    expect(page.locator("#calendar-change")).to_contain_text("“Hill repeats” moved to")
    assert entries(app, practice["ana"]) == [(tomorrow, "Hill repeats")]
    assert moves(app, practice["hills"]) == [(TODAY, tomorrow)]
    done_within(coach_tab, row)
    # Undo, for a few seconds, puts it back (and logs that move too).
    page.locator("#calendar-change").get_by_role("button", name="Undo").click()
    expect(page.locator(f"#day-{TODAY} #entry-{practice['hills']}")).to_be_visible()
    expect(page.locator("#calendar-change")).to_contain_text("Put back.")
    assert entries(app, practice["ana"]) == [(TODAY, "Hill repeats")]
    assert moves(app, practice["hills"]) == [(TODAY, tomorrow), (tomorrow, TODAY)]


def test_a_client_has_nothing_to_drag(app, live_server, watched_page, practice):
    log_in(watched_page, live_server.url, "ana@example.com")
    watched_page.goto(f"{live_server.url}/my/calendar/{practice['ana']}")
    expect(watched_page.get_by_text("Hill repeats").first).to_be_visible()
    assert watched_page.locator("[draggable=true], [data-move-url]").count() == 0
    assert watched_page.locator("script[src*=drag]").count() == 0


def test_shift_from_a_date_by_7_days(app, live_server, coach_tab, practice):
    page = coach_tab.page
    with app.app_context():
        ana = db.session.get(Client, practice["ana"])
        person = ana.user_id
        coach_id = db.session.get(Program, ana.program_id).coach_id
        at = datetime.combine(TODAY + timedelta(days=1), time(18), tzinfo=ZoneInfo("UTC"))
        session = place_booked_session(
            coach_id=coach_id, client_user_id=person, calendar_client_id=ana.id, at=at
        ).id
        db.session.commit()
    page.goto(f"{live_server.url}/clients/{practice['ana']}/calendar")
    row = coach_tab.start("shift from a date by 7 days")
    coach_tab.click(page.locator(f"#day-{TODAY} .cal-day-head"))
    coach_tab.click(page.locator(f"#day-{TODAY}").get_by_role("button", name="Shift from here"))
    notice = page.locator("#calendar-change")
    expect(notice).to_contain_text("Moved 1 entry and 1 session from")
    # The panel shows where the training went.
    later = TODAY + timedelta(days=7)
    expect(page.locator(f"#day-{later} #entry-{practice['hills']}")).to_be_visible()
    assert entries(app, practice["ana"]) == [(later, "Hill repeats")]
    with app.app_context():
        assert db.session.get(CoachingSession, session).scheduled_at == at + timedelta(days=7)
    done_within(coach_tab, row)
    expect(notice.get_by_role("button", name="Undo")).to_be_focused()


def test_copy_week_1_to_another_client(app, live_server, coach_tab, practice):
    page = coach_tab.page
    with app.app_context():
        program = db.session.get(Program, practice["program"])
        bea = make_client(program, name="Bea Park", start_date=TODAY).id
        zed = make_client(program, name="Zed Zeller", start_date=TODAY).id
        db.session.add(CalendarEntry(client_id=zed, on_date=TODAY, title="Old plan"))
        db.session.commit()
    page.goto(f"{live_server.url}/clients/{practice['ana']}/calendar?week=1")
    row = coach_tab.start("copy week 1 to another client")
    coach_tab.click(page.locator("#copy-week > summary"))
    coach_tab.choose(page.get_by_label("Paste into"), str(zed))
    coach_tab.click(page.get_by_role("button", name="Replace their week"))
    expect(page.locator("#calendar-change")).to_contain_text(
        "Copied 1 entry to Zed Zeller's Week 1, replacing 1."
    )
    # Ana's Week 1 started two days before Zed's: the same day of the week lands two days on.
    assert entries(app, zed) == [(TODAY + timedelta(days=2), "Hill repeats")]
    assert entries(app, bea) == []
    done_within(coach_tab, row)


def test_mark_the_next_session_complete(app, live_server, coach_tab, practice):
    page = coach_tab.page
    with app.app_context():
        ana = db.session.get(Client, practice["ana"])
        coach_id = db.session.get(Program, ana.program_id).coach_id
        at = datetime.combine(TODAY, time(9), tzinfo=ZoneInfo("UTC"))
        first = place_booked_session(
            coach_id=coach_id, client_user_id=ana.user_id, calendar_client_id=ana.id, at=at
        ).id
        db.session.commit()
    page.goto(f"{live_server.url}/programs/{practice['program']}")
    row = coach_tab.start("mark the next session complete")
    coach_tab.click(page.locator(f"#next-session-{practice['ana']}").get_by_role("button"))
    expect(page.locator(f"#next-session-{practice['ana']}")).to_contain_text("Session completed.")
    with app.app_context():
        assert db.session.get(CoachingSession, first).status == "completed"
    done_within(coach_tab, row)


def test_paste_a_copied_week_on_another_clients_week(app, live_server, coach_tab, practice):
    page = coach_tab.page
    with app.app_context():
        program = db.session.get(Program, practice["program"])
        bea = make_client(program, name="Bea Park", start_date=TODAY).id
    page.goto(f"{live_server.url}/clients/{practice['ana']}/calendar?week=1")
    row = coach_tab.start("copy a week, then paste it from another client's calendar")
    coach_tab.click(page.locator("#copy-week > summary"))
    coach_tab.click(page.get_by_role("button", name="Copy, to paste on any week"))
    expect(page.locator("#calendar-change")).to_contain_text("Week 1 copied")
    coach_tab.fill(page.get_by_label("Go to a client"), "Bea")
    coach_tab.press("Enter")
    expect(page.locator("h1")).to_have_text("Bea Park")
    bar = page.locator("#paste-bar")
    expect(bar.get_by_label("Paste Ana Lima")).to_have_value("1")
    assert axe_violations(page) == []
    coach_tab.click(bar.get_by_role("button", name="Paste, replacing"))
    expect(page.locator("#calendar-change")).to_contain_text("Copied 1 entry to Bea Park's Week 1.")
    expect(page.locator(f"#day-{TODAY + timedelta(days=2)}")).to_contain_text("Hill repeats")
    assert entries(app, bea) == [(TODAY + timedelta(days=2), "Hill repeats")]
    assert row.loads == 0 and coach_tab.focus_lost() == []


def test_book_a_package_for_a_client(app, live_server, coach_tab, practice):
    page = coach_tab.page
    with app.app_context():
        ana = db.session.get(Client, practice["ana"])
        coach_id = db.session.get(Program, ana.program_id).coach_id
        for count, total in ((5, 25000), (10, 45000)):
            db.session.add(
                Package(coach_id=coach_id, sessions_count=count, total_minor=total, currency="GBP")
            )
        db.session.commit()
    page.goto(f"{live_server.url}/clients/{practice['ana']}/sessions")
    row = coach_tab.start("book a package for a client")
    form = page.locator("#book-for")
    coach_tab.choose(form.get_by_label("Package"), label="10 × £450.00")
    coach_tab.confirm_next()
    coach_tab.click(form.get_by_role("button", name="Book"))
    expect(page.locator("#remaining-count")).to_have_text("10")
    expect(page.get_by_text("10 sessions booked, with payment due.")).to_be_visible()
    with app.app_context():
        assert db.session.scalars(sa.select(Booking.total_minor)).all() == [45000]
    done_within(coach_tab, row)
