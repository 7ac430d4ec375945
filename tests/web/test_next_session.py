"""Mark next complete, in place on the Active tab and on Needs attention: the button names one
session, so a double click completes that one only, and the row comes back with the next."""

from __future__ import annotations

import re

from tests.support.plusone import make_package, remaining_ids, session_row
from webapp import clock
from webapp.extensions import db
from webapp.models import Package, User
from webapp.services.bookings import book_package


def booked(app, pair, sessions=2) -> list[int]:
    package_id = make_package(app, pair.coach_id, sessions, sessions * 5000)
    with app.app_context():
        book_package(
            db.session.get(Package, package_id), db.session.get(User, pair.person_id), clock.now()
        )
        db.session.commit()
    return remaining_ids(app, pair)


def next_button(html: str, client_id: int) -> str | None:
    block = re.search(rf'id="next-session-{client_id}".*?</div>', html, re.S)
    assert block, "no next-session block"
    found = re.search(r'hx-post="([^"]+/complete-next)"', block.group(0))
    return found.group(1) if found else None


def test_the_active_row_marks_the_next_session_complete_and_offers_the_one_after(app, pair, coach):
    first, second = booked(app, pair)
    html = coach.get(f"/programs/{pair.program_id}/active").get_data(as_text=True)
    url = next_button(html, pair.client_id)
    assert url == f"/clients/{pair.client_id}/sessions/{first}/complete-next"

    response = coach.hx_post(url)
    fragment = response.get_data(as_text=True)
    assert "<html" not in fragment
    assert "Session completed." in fragment
    assert next_button(fragment, pair.client_id).endswith(f"/sessions/{second}/complete-next")
    assert session_row(app, first).status == "completed"
    assert session_row(app, second).status == "remaining"
    assert "sessions-changed" in response.headers["HX-Trigger"]

    # The same button again (a double click, a retry): that session only, already done.
    again = coach.hx_post(url).get_data(as_text=True)
    assert "This session was already marked complete." in again
    assert session_row(app, second).status == "remaining"


def test_without_javascript_it_returns_to_the_list_it_came_from(app, pair, coach):
    first, _second = booked(app, pair)
    back = f"/programs/{pair.program_id}/active"
    response = coach.post(
        f"/clients/{pair.client_id}/sessions/{first}/complete-next", data={"next": back}
    )
    assert response.status_code == 303 and response.headers["Location"] == back
    assert session_row(app, first).status == "completed"


def test_needs_attention_offers_it_beside_write_training(app, pair, coach):
    first, _second = booked(app, pair)
    html = coach.get("/needs-attention").get_data(as_text=True)
    assert next_button(html, pair.client_id).endswith(f"/sessions/{first}/complete-next")


def test_a_client_with_no_session_left_has_no_button(app, pair, coach):
    html = coach.get(f"/programs/{pair.program_id}/active").get_data(as_text=True)
    assert next_button(html, pair.client_id) is None
