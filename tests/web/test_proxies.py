"""Per-visitor limits behind a reverse proxy: the visitor's address comes from
X-Forwarded-For only when a trusted proxy put it there."""

import pytest
from flask import request

from webapp.rules.invites import PUBLIC_POST_LIMIT_PER_IP


def ask_for_reset_links(client, visitor: str, count: int) -> list[str]:
    """Each post names a different email, so only the per-address limit is reached."""
    return [
        client.post(
            "/password/forgot",
            data={"email": f"someone{n}@example.com"},
            headers={"X-Forwarded-For": visitor},
        ).get_data(as_text=True)
        for n in range(count)
    ]


class TestBehindOneTrustedProxy:
    @pytest.fixture
    def app_config(self, app_config):
        return {**app_config, "TRUSTED_PROXIES": 1}

    def test_two_visitors_behind_the_proxy_have_separate_limits(self, client):
        first = ask_for_reset_links(client, "203.0.113.1", PUBLIC_POST_LIMIT_PER_IP + 1)
        assert all("Check your email" in html for html in first[:-1])
        assert "Too many attempts" in first[-1]
        [second] = ask_for_reset_links(client, "203.0.113.2", 1)
        assert "Check your email" in second

    def test_the_app_sees_the_visitor_and_https_when_the_proxy_says_so(self, app):
        assert forwarded_request_as_seen(app) == ("203.0.113.9", "https")


class TestWithNoTrustedProxy:
    def test_a_spoofed_forwarded_address_does_not_give_a_fresh_limit(self, client):
        first = ask_for_reset_links(client, "203.0.113.1", PUBLIC_POST_LIMIT_PER_IP + 1)
        assert "Too many attempts" in first[-1]
        [spoofed] = ask_for_reset_links(client, "203.0.113.2", 1)
        assert "Too many attempts" in spoofed

    def test_the_forwarded_headers_are_ignored(self, app):
        assert forwarded_request_as_seen(app) == ("127.0.0.1", "http")


def forwarded_request_as_seen(app) -> tuple[str, str]:
    """The address and scheme a view sees for a request that says it was forwarded."""
    seen = []
    app.add_url_rule("/probe", "probe", lambda: seen.append(_address_and_scheme()) or "ok")
    app.test_client().get(
        "/probe", headers={"X-Forwarded-For": "203.0.113.9", "X-Forwarded-Proto": "https"}
    )
    [parts] = seen
    return parts


def _address_and_scheme() -> tuple[str, str]:
    return (request.remote_addr, request.scheme)
