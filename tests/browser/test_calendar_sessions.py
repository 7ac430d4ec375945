"""Coaching sessions on the coach's calendar: complete inline, the +1 appears a week later."""

from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import expect

from tests.support.browser import log_in
from tests.support.factories import place_booked_session
from tests.support.plusone import make_pair
from webapp.extensions import db
from webapp.models import PlusOneEnrolment


@pytest.fixture
def page(watched_page):
    watched_page.on("dialog", lambda dialog: dialog.accept())  # "Undo this completion?"
    return watched_page


def test_coach_completes_the_last_session_from_the_calendar_and_sees_the_plus_one(
    app, live_server, page
):
    pair = make_pair(app)
    today = datetime.now(ZoneInfo("Europe/London")).date()
    with app.app_context():
        slot = datetime.combine(today, time(9, 30), ZoneInfo("Europe/London")).astimezone(UTC)
        session = place_booked_session(
            coach_id=pair.coach_id,
            client_user_id=pair.person_id,
            calendar_client_id=pair.client_id,
            at=slot,
            status="remaining",
        )
        db.session.add(
            PlusOneEnrolment(coach_id=pair.coach_id, client_user_id=pair.person_id, enrolled=True)
        )
        db.session.commit()
        sid = session.id

    log_in(page, live_server.url, pair.coach_email)
    page.wait_for_load_state()
    page.goto(f"{live_server.url}/clients/{pair.client_id}/calendar")

    row = page.locator(f"#day-{today.isoformat()} #session-{sid}")
    expect(row).to_contain_text("09:30")
    refetched = f"/clients/{pair.client_id}/calendar?week=1"
    with page.expect_response(lambda response: refetched in response.url):
        row.get_by_role("button", name="Mark complete").click()
    # The panel re-fetched itself and kept the row's notice.
    expect(page.locator(f"#session-{sid}-notice")).to_contain_text("+1 booked one more session")
    done = page.locator(f"#session-{sid}")
    expect(done).to_contain_text("Completed")
    expect(done.get_by_role("button", name="Undo completion")).to_be_visible()

    page.get_by_role("link", name="Next week").click()
    plus = page.locator(f"#day-{(today + timedelta(days=7)).isoformat()} .session-row")
    expect(plus).to_contain_text("+1 session")
    expect(plus).to_contain_text("09:30")

    page.get_by_role("link", name="Previous week").click()
    undone = page.locator(f"#session-{sid}")
    undone.get_by_role("button", name="Undo completion").click()
    expect(undone.get_by_role("button", name="Mark complete")).to_be_visible()
    page.get_by_role("link", name="Next week").click()
    expect(page.locator("#calendar-heading")).to_contain_text("Week 2")
    expect(page.locator(".session-row")).to_have_count(0)
