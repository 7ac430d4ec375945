"""Plain HTTP with cookies and CSRF tokens, as a browser without JavaScript sends it.

For tests against a real server (gunicorn, or the live server thread), where the Flask test
client cannot reach.
"""

from __future__ import annotations

import http.cookiejar
import re
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass

CSRF = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


@dataclass
class Page:
    status: int
    url: str
    headers: object
    html: str

    @property
    def location(self) -> str:
        return urllib.parse.urlparse(self.headers.get("Location") or self.url).path


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


class Browser:
    def __init__(
        self,
        base: str,
        follow_redirects: bool = True,
        timeout: float = 10,
        headers: dict | None = None,
    ):
        self.base = base
        self.timeout = timeout
        self.jar = http.cookiejar.CookieJar()
        handlers = [urllib.request.HTTPCookieProcessor(self.jar)]
        if not follow_redirects:
            handlers.append(_NoRedirect())
        self.opener = urllib.request.build_opener(*handlers)
        if headers:
            self.opener.addheaders = list(headers.items())

    def cookies(self) -> list[http.cookiejar.Cookie]:
        return list(self.jar)

    def open(self, path: str, body: bytes | None = None) -> Page:
        try:
            with self.opener.open(self.base + path, body, timeout=self.timeout) as r:
                return Page(r.status, r.url, r.headers, r.read().decode())
        except urllib.error.HTTPError as error:
            with error:
                return Page(error.code, error.url, error.headers, error.read().decode())

    def get(self, path: str) -> Page:
        return self.open(path)

    def token(self, form_path: str) -> str:
        page = self.get(form_path)
        match = CSRF.search(page.html)
        assert match, f"no CSRF token on {form_path} ({page.status}): {page.html[:300]}"
        return match.group(1)

    def post(self, path: str, data: dict, token: str) -> Page:
        body = urllib.parse.urlencode({"csrf_token": token, **data}).encode()
        return self.open(path, body)

    def submit(self, form_path: str, data: dict, action: str | None = None) -> Page:
        """Load the page holding the form, then post it with that page's CSRF token."""
        return self.post(action or form_path, data, self.token(form_path))
