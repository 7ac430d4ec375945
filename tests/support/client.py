"""A test client that sends the CSRF token the way the browser does."""

from __future__ import annotations

import re

from flask.testing import FlaskClient

TOKEN = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"|"X-CSRFToken": "([^"]+)"')


class CsrfClient(FlaskClient):
    _csrf: str | None = None

    def csrf_token(self) -> str:
        if self._csrf is None:
            html = super().get("/login", follow_redirects=True).get_data(as_text=True)
            match = TOKEN.search(html)
            assert match, "no CSRF token on the login page"
            self._csrf = match.group(1) or match.group(2)
        return self._csrf

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
        return response

    def logout(self):
        return self.post("/logout")
