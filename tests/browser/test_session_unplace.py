"""Taking a placed session off the calendar from the sessions list, on a phone: the row says it
is not placed, the client's reminders for it are cancelled, and nothing scrolls sideways."""

from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

from playwright.sync_api import expect

from tests.support.a11y import axe_violations, sideways_overflow
from tests.support.browser import log_in
from tests.support.factories import place_booked_session
from tests.support.plusone import make_pair
from tests.support.queued import reminders
from tests.support.site import PHONE
from webapp.extensions import db
from webapp.services.reminders import schedule


def test_the_coach_takes_a_session_off_the_calendar_on_a_phone(app, live_server, watched_page):
    page = watched_page
    pair = make_pair(app)
    london = ZoneInfo("Europe/London")
    day = datetime.now(london).date() + timedelta(days=3)
    with app.app_context():
        session = place_booked_session(
            coach_id=pair.coach_id,
            client_user_id=pair.person_id,
            calendar_client_id=pair.client_id,
            at=datetime.combine(day, time(18, 30), london).astimezone(UTC),
        )
        schedule(session, datetime.now(UTC))
        db.session.commit()
        sid = session.id
    assert len(reminders(app)) == 2

    page.set_viewport_size(PHONE)
    log_in(page, live_server.url, pair.coach_email)
    page.goto(f"{live_server.url}/clients/{pair.client_id}/sessions")
    row = page.locator(f"#session-{sid}")
    expect(row).to_contain_text("18:30")
    assert sideways_overflow(page) <= 0
    assert axe_violations(page) == []
    row.get_by_role("button", name="Take off the calendar").click()
    expect(row).to_contain_text("Not placed yet")
    expect(row).to_contain_text("Session taken off the calendar.")
    expect(row.get_by_role("button", name="Place on calendar")).to_be_visible()
    assert sideways_overflow(page) <= 0
    assert all(r.skipped_at is not None for r in reminders(app))
