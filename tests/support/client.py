"""A test client that sends the CSRF token the way the browser does."""

from __future__ import annotations

import re

from flask.testing import FlaskClient

TOKEN = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"|"X-CSRFToken": "([^"]+)"')


class CsrfClient(FlaskClient):
    _csrf: str | None = None
    _csrf_for: object = object()  # the session secret `_csrf` was fetched for

    def csrf_token(self) -> str:
        """The token a page would carry now: fetched again once the session's secret changes
        (logging in or out gives a new one), as a browser reads it from the next page."""
        secret = self._session_secret()
        if self._csrf is None or self._csrf_for != secret:
            html = super().get("/login", follow_redirects=True).get_data(as_text=True)
            match = TOKEN.search(html)
            assert match, "no CSRF token on the login page"
            self._csrf = match.group(1) or match.group(2)
            self._csrf_for = self._session_secret()
        return self._csrf

    def _session_secret(self) -> str | None:
        app = self.application
        cookie = self.get_cookie(app.config["SESSION_COOKIE_NAME"])
        if cookie is None:
            return None
        serializer = app.session_interface.get_signing_serializer(app)
        return serializer.loads(cookie.value).get("csrf_token")

    def post(self, *args, csrf: bool = True, **kwargs):
        if csrf:
            data = kwargs.get("data") or {}
            if isinstance(data, dict):
                kwargs["data"] = {"csrf_token": self.csrf_token(), **data}
        return super().post(*args, **kwargs)

    def hx_get(self, url: str, **kwargs):
        headers = {"HX-Request": "true", **kwargs.pop("headers", {})}
        return super().get(url, headers=headers, **kwargs)

    def hx_post(self, url: str, data=None, csrf: bool = True, **kwargs):
        """An htmx POST: the token travels in the X-CSRFToken header, not the form."""
        headers = {"HX-Request": "true", **kwargs.pop("headers", {})}
        if csrf:
            headers["X-CSRFToken"] = self.csrf_token()
        return super().post(url, data=data or {}, headers=headers, **kwargs)

    def login(self, email: str, password: str):
        response = self.post("/login", data={"email": email, "password": password})
        assert response.status_code in (302, 303), response.get_data(as_text=True)[:500]
        self.csrf_token()  # the page landed on carries the new session's token
        return response

    def logout(self):
        return self.post("/logout")
