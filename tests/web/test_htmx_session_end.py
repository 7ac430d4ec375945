"""htmx requests after the session has ended: the whole browser goes to the log-in page."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest
import sqlalchemy as sa

from tests.security.world import build_world
from tests.support.factories import PASSWORD
from webapp.extensions import db
from webapp.models import User

# (role, method, request URL, the page the person was on) for each htmx action in scope.
ACTIONS = {
    "open a day": (
        "coach_x",
        "GET",
        "/clients/{client_id}/calendar/days/{day}/edit",
        "/clients/{client_id}/calendar",
    ),
    "mark complete": (
        "coach_x",
        "POST",
        "/clients/{client_id}/sessions/{session_id}/complete",
        "/clients/{client_id}/calendar?week=2",
    ),
    "a tab": ("coach_x", "GET", "/programs/{program_id}/pending", "/programs/{program_id}/active"),
    "move or remove": (
        "coach_x",
        "POST",
        "/clients/{client_id}/move",
        "/programs/{program_id}/active?page=1",
    ),
    "a client's mark done": (
        "client_a",
        "POST",
        "/my/calendar/{client_id}/entries/{entry_id}/log",
        "/my/calendar/{client_id}",
    ),
}


def logged_in(app, world, role):
    client = app.test_client()
    client.login(world.emails[role], PASSWORD)
    return client


def send(client, world, action, *, current_url: str | None):
    _role, method, template, _page = ACTIONS[action]
    url = template.format(**world.ids)
    headers = {} if current_url is None else {"HX-Current-URL": current_url}
    if method == "POST":
        return client.hx_post(
            url, data={"program_id": world.ids["other_program_id"]}, headers=headers
        )
    return client.hx_get(url, headers=headers)


def login_target(response) -> tuple[str, str | None]:
    """Where HX-Redirect sends the browser: the path, and its `next` (None without one)."""
    location = urlsplit(response.headers["HX-Redirect"])
    return location.path, parse_qs(location.query).get("next", [None])[0]


def assert_sent_to_login(response, next_page: str | None):
    body = response.get_data(as_text=True)
    assert response.status_code == 401
    assert "Log in" not in body and "<form" not in body, "the login page would be swapped in"
    assert login_target(response) == ("/login", next_page)


@pytest.mark.parametrize("action", ACTIONS)
def test_an_htmx_action_after_logging_out_in_another_tab_sends_the_browser_to_the_login_page(
    app, action
):
    world = build_world(app)
    role, _method, _url, page_template = ACTIONS[action]
    client = logged_in(app, world, role)
    client.logout()  # the other tab: both share the browser's cookie
    page = page_template.format(**world.ids)

    response = send(client, world, action, current_url="http://localhost" + page)

    assert_sent_to_login(response, page)


@pytest.mark.parametrize("action", ACTIONS)
def test_an_htmx_action_with_a_session_ended_on_another_device_sends_the_browser_to_login(
    app, action
):
    world = build_world(app)
    role, _method, _url, page_template = ACTIONS[action]
    client = logged_in(app, world, role)
    with app.app_context():  # logging out elsewhere makes this cookie's version stale
        db.session.execute(sa.update(User).values(session_version=User.session_version + 1))
        db.session.commit()
    page = page_template.format(**world.ids)

    response = send(client, world, action, current_url="http://localhost" + page)

    assert_sent_to_login(response, page)


@pytest.mark.parametrize(
    "current_url",
    [
        None,
        "https://evil.example/programs/1/active",
        "http://localhost.evil.example/programs/1/active",
        "//evil.example/x",
        "not a url at all",
    ],
)
def test_the_login_page_returns_only_to_a_page_of_this_site(app, current_url):
    world = build_world(app)
    client = logged_in(app, world, "coach_x")
    client.logout()

    response = send(client, world, "a tab", current_url=current_url)

    assert_sent_to_login(response, None)


def test_after_logging_in_from_an_ended_htmx_request_the_person_is_back_on_their_page(app):
    world = build_world(app)
    client = logged_in(app, world, "coach_x")
    client.logout()
    page = f"/programs/{world.ids['program_id']}/active"
    response = send(client, world, "a tab", current_url="http://localhost" + page)
    login_url = response.headers["HX-Redirect"]

    login_page = client.get(login_url).get_data(as_text=True)
    assert "Please log in to see that page." in login_page
    _path, next_page = login_target(response)
    back = client.post(
        "/login", data={"email": world.emails["coach_x"], "password": PASSWORD, "next": next_page}
    )

    assert back.headers["Location"] == page
    assert "X Program" in client.get(page).get_data(as_text=True)


def test_a_page_request_without_a_session_still_redirects_to_login_with_next(app):
    world = build_world(app)
    page = f"/programs/{world.ids['program_id']}/active"

    response = app.test_client().get(page)

    assert response.status_code == 302
    location = urlsplit(response.headers["Location"])
    assert (location.path, parse_qs(location.query)["next"]) == ("/login", [page])


def test_behind_a_tls_proxy_the_page_on_the_public_origin_is_returned_to(app):
    # The proxy speaks plain HTTP to the app; the browser's address is the public https one.
    app.config["PUBLIC_URL"] = "https://coach.example.com"
    world = build_world(app)
    client = logged_in(app, world, "coach_x")
    client.logout()
    page = f"/programs/{world.ids['program_id']}/active"

    response = send(client, world, "a tab", current_url="https://coach.example.com" + page)

    assert_sent_to_login(response, page)
