"""A refused CSRF token on an htmx request: a short notice in the page's notice area."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import sqlalchemy as sa

from tests.security.world import build_world
from tests.support.factories import PASSWORD
from webapp.extensions import db
from webapp.models import CoachingSession


def coach(app, world):
    client = app.test_client()
    client.login(world.emails["coach_x"], PASSWORD)
    return client


def complete_url(world) -> str:
    return f"/clients/{world.ids['client_id']}/sessions/{world.ids['session_id']}/complete"


def session_status(app, world) -> str:
    with app.app_context():
        return db.session.get(CoachingSession, world.ids["session_id"]).status


def test_an_htmx_post_with_a_stale_token_shows_a_notice_instead_of_an_error_page(app):
    world = build_world(app)
    client = coach(app, world)

    response = client.hx_post(
        complete_url(world), headers={"X-CSRFToken": "stale-token-from-an-old-page"}, csrf=False
    )

    body = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "<html" not in body and "<h1" not in body
    assert "This form has expired" in body and "Reload the page" in body
    assert response.headers["HX-Retarget"] == "#htmx-error"
    assert response.headers["HX-Reswap"] == "innerHTML"
    assert session_status(app, world) == "remaining"


def test_a_page_post_with_a_stale_token_still_gets_the_whole_error_page(app):
    world = build_world(app)
    client = coach(app, world)

    response = client.post(complete_url(world), data={}, csrf=False)

    body = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "<html" in body and "This form has expired" in body
    assert "HX-Retarget" not in response.headers


def test_an_htmx_post_refused_because_the_session_is_gone_sends_the_browser_to_login(app):
    world = build_world(app)
    client = coach(app, world)
    page = f"/clients/{world.ids['client_id']}/calendar"
    # A browser that dropped its session cookie has no token to match either.
    client.delete_cookie("session")

    response = client.hx_post(
        complete_url(world), headers={"HX-Current-URL": "http://localhost" + page}
    )

    location = urlsplit(response.headers["HX-Redirect"])
    assert response.status_code == 401
    assert (location.path, parse_qs(location.query)["next"]) == ("/login", [page])
    with app.app_context():
        assert (
            db.session.scalar(
                sa.select(CoachingSession.status).where(
                    CoachingSession.id == world.ids["session_id"]
                )
            )
            == "remaining"
        )
