"""Every route × every role: who gets what, CSRF on every POST, headers on every response."""

from __future__ import annotations

import pytest

from tests.security.matrix import CSRF_EXEMPT, DESTRUCTIVE, MATRIX
from tests.security.world import ROLES, build_world
from tests.support.factories import PASSWORD

IGNORED_METHODS = {"HEAD", "OPTIONS"}
LOGOUT = ("auth.logout", "POST")  # ends the role's shared session: always checked last


def routes(app) -> set[tuple[str, str]]:
    return {
        (rule.endpoint, method)
        for rule in app.url_map.iter_rules()
        if rule.endpoint != "static"
        for method in rule.methods - IGNORED_METHODS
    }


def outcome(response) -> str:
    status = response.status_code
    location = response.headers.get("Location", "")
    if status in (301, 302, 303) and "/login" in location:
        return "login"
    if status == 404:
        return "404"
    if status == 403:
        return "403"
    if status < 400 or status == 422:
        return "ok"
    return str(status)


def logged_in_client(app, world, role):
    """A new client with a fresh session; logging in once per role keeps the run fast."""
    client = app.test_client()
    if role == "anonymous":
        return client
    cookie = world.cookies.get(role)
    if cookie is None:
        client.login(world.emails[role], PASSWORD)
        world.cookies[role] = client.get_cookie("session").value
    else:
        client.set_cookie("session", cookie)
    return client


def test_every_route_is_in_the_matrix(app):
    missing = sorted(routes(app) - set(MATRIX))
    stale = sorted(set(MATRIX) - routes(app))
    assert missing == [], f"add these routes to tests/security/matrix.py: {missing}"
    assert stale == [], f"these matrix rows name no route: {stale}"


@pytest.mark.parametrize("role", ROLES)
def test_each_role_gets_what_the_matrix_says(app, role):
    world = build_world(app)
    failures = []
    for (endpoint, method), (template, expected) in sorted(
        MATRIX.items(), key=lambda item: (item[0] == LOGOUT, item[0] in DESTRUCTIVE, item[0])
    ):
        # A fresh session per request: a logout or a POST must not change the next check.
        client = logged_in_client(app, world, role)
        url = template.format(**world.ids, **world.tokens)
        response = client.post(url, data={}) if method == "POST" else client.get(url)
        got = outcome(response)
        assert response.status_code < 500, f"{method} {url} as {role}: server error"
        if got != expected.get(role, "404"):
            failures.append(
                f"{method} {url} ({endpoint}) as {role}: "
                f"expected {expected.get(role)}, got {got} ({response.status_code})"
            )
    assert failures == []


def test_every_post_route_refuses_a_request_without_a_csrf_token(app):
    world = build_world(app)
    for (endpoint, method), (template, expected) in sorted(MATRIX.items()):
        if method != "POST" or (endpoint, method) in CSRF_EXEMPT:
            continue
        role = next(
            (r for r in ("coach_x", "client_a", "anonymous") if expected.get(r) == "ok"), "coach_x"
        )
        client = logged_in_client(app, world, role)
        url = template.format(**world.ids, **world.tokens)
        response = client.post(url, data={}, csrf=False)
        assert response.status_code == 400, f"POST {url} ({endpoint}) accepted without CSRF"
        assert "This form has expired" in response.get_data(as_text=True), endpoint


def test_security_headers_on_pages_fragments_and_errors(app):
    world = build_world(app)
    client = logged_in_client(app, world, "coach_x")
    responses = {
        "page": client.get("/programs/"),
        "fragment": client.hx_get(f"/programs/{world.ids['program_id']}"),
        "404": client.get("/no/such/page"),
        "csrf error": client.post("/programs/new", data={}, csrf=False),
    }
    for kind, response in responses.items():
        csp = response.headers.get("Content-Security-Policy", "")
        assert "script-src 'self'" in csp and "frame-ancestors 'none'" in csp, kind
        assert "unsafe-inline" not in csp and "unsafe-eval" not in csp, kind
        assert response.headers["X-Content-Type-Options"] == "nosniff", kind
        assert response.headers.get("X-Frame-Options") == "DENY", kind


def test_session_cookie_is_http_only_and_same_site(app):
    world = build_world(app)
    client = app.test_client()
    response = client.post("/login", data={"email": world.emails["coach_x"], "password": PASSWORD})
    cookie = next(h for h in response.headers.getlist("Set-Cookie") if h.startswith("session="))
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_an_id_no_column_can_hold_is_a_404_not_a_server_error(app):
    world = build_world(app)
    client = logged_in_client(app, world, "coach_x")
    huge = "9" * 30
    for response in (
        client.get(f"/programs/{huge}"),
        client.post(f"/programs/{huge}/publish", data={}),
    ):
        assert response.status_code == 404
        assert "There is nothing here" in response.get_data(as_text=True)
