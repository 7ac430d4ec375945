"""The session cookie's signature is checked once per distinct cookie, and a remembered check
never lets through what Flask's own check would refuse: a changed byte, an expired cookie."""

from __future__ import annotations

import itsdangerous
import pytest
from flask import request
from flask.sessions import SecureCookieSessionInterface

from webapp.web import session_cookie

PROGRAMS = "/programs/"


def sees_programs(client) -> bool:
    page = client.get(PROGRAMS)
    return page.status_code == 200 and "Programs" in page.text


def sent_to_log_in(client) -> bool:
    page = client.get(PROGRAMS)
    return page.status_code == 302 and page.headers["Location"].startswith("/login")


@pytest.fixture
def checks(monkeypatch):
    """How many times a cookie's signature has been checked."""
    counted: list[bytes] = []
    real = itsdangerous.Signer.verify_signature

    def counting(self, value, sig):
        counted.append(value)
        return real(self, value, sig)

    monkeypatch.setattr(itsdangerous.Signer, "verify_signature", counting)
    return counted


def test_the_same_cookie_is_checked_once_then_served_from_the_check(coach, checks):
    assert sees_programs(coach)  # a cookie Flask has just written: checked once here
    before = len(checks)
    for _ in range(3):
        assert sees_programs(coach)
    assert len(checks) == before


def test_a_cookie_changed_by_one_byte_after_it_was_seen_is_refused(coach):
    assert sees_programs(coach)
    cookie = coach.get_cookie("session").value
    payload, signature = cookie.rsplit(".", 1)
    # The first character: the last one's low bits are base64 padding, which decoding drops.
    flipped = ("A" if signature[0] != "A" else "B") + signature[1:]
    coach.set_cookie("session", f"{payload}.{flipped}")
    assert sent_to_log_in(coach)


def test_a_seen_cookie_past_the_session_lifetime_is_refused(app, coach, monkeypatch):
    assert sees_programs(coach)
    lifetime = app.permanent_session_lifetime.total_seconds()
    later = session_cookie.time.time() + lifetime + 60
    monkeypatch.setattr(session_cookie.time, "time", lambda: later)
    assert sent_to_log_in(coach)


def test_a_seen_cookie_is_good_while_its_key_is_a_fallback_and_refused_once_retired(app, coach):
    assert sees_programs(coach)
    old_key = app.secret_key
    app.config["SECRET_KEY_FALLBACKS"] = [old_key]
    app.secret_key = app.config["SECRET_KEY"] = old_key + "-rotated"
    assert sees_programs(coach)
    app.config["SECRET_KEY_FALLBACKS"] = []
    assert sent_to_log_in(coach)


def test_each_request_gets_its_own_session_even_from_a_remembered_cookie(app, coach):
    assert sees_programs(coach)
    cookie = coach.get_cookie("session").value
    interface = app.session_interface
    assert isinstance(interface, session_cookie.SessionCookies)
    with app.test_request_context(headers={"Cookie": f"session={cookie}"}):
        first = interface.open_session(app, request)
        first["copied_week"] = ["mutated"]
        second = interface.open_session(app, request)
        flasks_own = SecureCookieSessionInterface().open_session(app, request)
    assert "copied_week" not in second
    assert dict(second) == dict(flasks_own) and "_user_id" in second


def test_a_session_holding_a_list_is_never_shared_between_requests(app):
    interface = app.session_interface
    cookie = interface.get_signing_serializer(app).dumps({"copied_week": ["2026-03-02"]})
    with app.test_request_context(headers={"Cookie": f"session={cookie}"}):
        first = interface.open_session(app, request)
        first["copied_week"].append("changed in place")
        second = interface.open_session(app, request)
    assert second["copied_week"] == ["2026-03-02"]
