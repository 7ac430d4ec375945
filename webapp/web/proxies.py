"""The visitor's address and scheme behind trusted reverse proxies."""

from __future__ import annotations

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix


def init_proxies(app: Flask) -> None:
    """Read X-Forwarded-For/-Proto from the configured number of proxies, and only then:
    with none trusted, anyone could name any address and dodge per-address limits."""
    trusted = int(app.config.get("TRUSTED_PROXIES", 0))
    if trusted > 0:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=trusted, x_proto=trusted)
