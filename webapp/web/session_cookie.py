"""The signed session cookie, its signature checked once per distinct cookie.

Flask builds a signing serializer and checks the cookie's HMAC on every request, yet a person
sends the same cookie request after request until their session changes. This interface
builds the serializer once, and remembers (bounded) what each checked cookie held and when it
was signed: the next request with the very same bytes only has its age checked, as
itsdangerous would, and gets its own copy of the data (no two requests share a session dict).
A cookie never seen, or changed by one byte, is checked in full.
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict

from flask import Flask, Request
from flask.sessions import SecureCookieSession, SecureCookieSessionInterface
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer

# A checked cookie: its signed payload, when it was signed (seconds since the epoch), and its
# data when every value in it is a plain one (else None).
_Checked = OrderedDict[str, tuple[bytes, int, dict | None]]


class SessionCookies(SecureCookieSessionInterface):
    def __init__(self, entries: int = 2000) -> None:
        self.entries = entries
        # Per set of keys: a check made with a key since retired counts for nothing.
        self._by_keys: dict[tuple, tuple[URLSafeTimedSerializer | None, _Checked]] = {}
        self._lock = threading.Lock()

    def _for_keys(self, app: Flask) -> tuple[URLSafeTimedSerializer | None, _Checked]:
        keys = (app.secret_key, tuple(app.config["SECRET_KEY_FALLBACKS"] or ()))
        known = self._by_keys.get(keys)
        if known is None:
            with self._lock:
                self._by_keys.clear()  # keys change on a restart, or in tests; never back
                known = self._by_keys[keys] = (super().get_signing_serializer(app), OrderedDict())
        return known

    def get_signing_serializer(self, app: Flask) -> URLSafeTimedSerializer | None:
        return self._for_keys(app)[0]

    def open_session(self, app: Flask, request: Request) -> SecureCookieSession | None:
        serializer, checked = self._for_keys(app)
        if serializer is None:
            return None
        cookie = request.cookies.get(self.get_cookie_name(app))
        if not cookie:
            return self.session_class()
        max_age = int(app.permanent_session_lifetime.total_seconds())
        try:
            data = self._signed_data(serializer, checked, cookie, max_age)
        except BadSignature:
            return self.session_class()
        return self.session_class(data)

    def _signed_data(
        self, serializer: URLSafeTimedSerializer, checked: _Checked, cookie: str, max_age: int
    ) -> dict:
        with self._lock:
            known = checked.get(cookie)
            if known is not None:
                checked.move_to_end(cookie)
        if known is None:
            payload, signed_at = _unsign(serializer, cookie, max_age)
            known = (payload, signed_at, _flat(serializer.load_payload(payload)))
            with self._lock:
                checked[cookie] = known
                while len(checked) > self.entries:
                    checked.popitem(last=False)
        payload, signed_at, flat = known
        age = int(time.time()) - signed_at  # itsdangerous's own test, on its own clock
        if age > max_age or age < 0:
            raise BadSignature("the session cookie has expired")
        # A session of plain values is copied; one holding a list or a dict is decoded afresh,
        # so that no request can change what another will read.
        return dict(flat) if flat is not None else serializer.load_payload(payload)


def _unsign(serializer: URLSafeTimedSerializer, cookie: str, max_age: int) -> tuple[bytes, int]:
    """As `serializer.loads` checks: the current key, then each fallback (rotated) key."""
    refused: BadSignature = BadSignature("no signing key")
    for signer in serializer.iter_unsigners():
        try:
            payload, signed_at = signer.unsign(cookie, max_age=max_age, return_timestamp=True)
        except SignatureExpired:
            raise
        except BadSignature as error:
            refused = error
            continue
        return payload, int(signed_at.timestamp())
    raise refused


def _flat(data) -> dict | None:
    plain = (str, int, float, bool, type(None))
    return data if all(isinstance(v, plain) for v in data.values()) else None


def init_session_cookies(app: Flask) -> None:
    app.session_interface = SessionCookies()
