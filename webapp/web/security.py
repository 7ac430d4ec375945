"""Response headers every page gets, and the one place that allows framing."""

from __future__ import annotations

from functools import wraps

from flask import Flask, g

CSP = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self' data:",
        "connect-src 'self'",
        "font-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors {ancestors}",
    ]
)


def allow_framing(view):
    """Mark a view (the embed widget) that other sites may show in an iframe."""

    @wraps(view)
    def wrapper(*args, **kwargs):
        g.allow_framing = True
        return view(*args, **kwargs)

    return wrapper


def init_security_headers(app: Flask) -> None:
    @app.after_request
    def add_headers(response):
        framable = g.get("allow_framing", False)
        headers = response.headers
        headers["Content-Security-Policy"] = CSP.format(ancestors="*" if framable else "'none'")
        if not framable:
            headers["X-Frame-Options"] = "DENY"
        headers["X-Content-Type-Options"] = "nosniff"
        headers["Referrer-Policy"] = "same-origin"
        headers["Cross-Origin-Opener-Policy"] = "same-origin"
        headers["Permissions-Policy"] = "camera=(), microphone=(), geolocation=()"
        response.vary.add("HX-Request")
        if app.config.get("SESSION_COOKIE_SECURE"):
            headers["Strict-Transport-Security"] = "max-age=31536000"
        if response.mimetype == "text/html":
            headers.setdefault("Cache-Control", "no-store")
        return response
