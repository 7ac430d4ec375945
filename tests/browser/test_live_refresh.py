"""Parts of a page that refresh themselves when something changes keep up with quick changes.

htmx takes up a swapped-in element (its triggers, its tabs) only once the swap settles. A change
announced in that gap used to be lost, so a coach who clicked quickly saw a stale count.
"""

from __future__ import annotations

from datetime import UTC, datetime

import sqlalchemy as sa
from playwright.sync_api import expect

from tests.support.browser import log_in
from tests.support.plusone import make_package, remaining_ids
from webapp.extensions import db
from webapp.models import CoachingSession, Package, User
from webapp.services.bookings import book_package

# Fires the next change in the task right after the first refresh lands: inside the gap.
CHANGE_AS_SOON_AS_THE_REFRESH_LANDS = """
() => {
  document.body.addEventListener("htmx:afterSwap", (event) => {
    if (event.detail.target.id !== "session-summary" || window.changedAgain) return;
    window.changedAgain = true;
    setTimeout(() => htmx.trigger(document.body, "sessions-changed"), 0);
  });
  htmx.trigger(document.body, "sessions-changed");
}
"""


def complete(app, session_id: int) -> None:
    with app.app_context():
        db.session.execute(
            sa.update(CoachingSession)
            .where(CoachingSession.id == session_id)
            .values(status="completed", completed_at=datetime.now(UTC))
        )
        db.session.commit()


def test_a_change_just_after_a_refresh_lands_still_reaches_the_count(
    app, live_server, watched_page, pair
):
    package_id = make_package(app, pair.coach_id, 3, 15000)
    with app.app_context():
        book_package(
            db.session.get(Package, package_id),
            db.session.get(User, pair.person_id),
            datetime.now(UTC),
        )
        db.session.commit()
    first, second, _ = remaining_ids(app, pair)
    page = watched_page
    log_in(page, live_server.url, pair.coach_email)
    page.goto(f"{live_server.url}/clients/{pair.client_id}/sessions")
    expect(page.locator("#used-count")).to_have_text("0")

    refreshes = []

    def first_refresh_sees_one_then_the_second_completes(route):
        refreshes.append(route.request.url)
        response = route.fetch()
        if len(refreshes) == 1:
            complete(app, second)  # the second change, once the first refresh has read
        route.fulfill(response=response)

    page.route("**/clients/*/sessions", first_refresh_sees_one_then_the_second_completes)
    complete(app, first)
    page.evaluate(CHANGE_AS_SOON_AS_THE_REFRESH_LANDS)

    expect(page.locator("#used-count")).to_have_text("2")
    expect(page.locator("#remaining-count")).to_have_text("1")
    assert len(refreshes) == 2
