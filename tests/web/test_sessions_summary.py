"""The sessions summary fragment, refreshed by htmx, for clients who have booked nothing."""

from __future__ import annotations

from tests.support.factories import make_client
from tests.support.plusone import logged_in, make_pair
from webapp.extensions import db
from webapp.models import Program


def test_the_refreshed_summary_of_a_pending_client_without_an_account_says_they_cannot_book(app):
    pair = make_pair(app)
    with app.app_context():
        program = db.session.get(Program, pair.program_id)
        pending_id = make_client(program, name="Pat Pending", state="pending").id
    coach = logged_in(app, pair.coach_email)
    response = coach.hx_get(f"/clients/{pending_id}/sessions")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "<html" not in html
    assert "Pat Pending cannot book yet" in html


def test_the_refreshed_summary_of_a_client_with_no_package_shows_nothing_booked(app):
    pair = make_pair(app)
    coach = logged_in(app, pair.coach_email)
    response = coach.hx_get(f"/clients/{pair.client_id}/sessions")
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "<html" not in html
    assert 'id="remaining-count">0<' in html
    assert "No bookings yet" in html
