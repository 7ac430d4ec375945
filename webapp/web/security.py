"""Response headers every page gets, and the one place that allows framing."""

from __future__ import annotations

from functools import wraps
from urllib.parse import urlsplit

from flask import Flask, g

CSP = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'{stripe}",
        "style-src 'self'",
        "img-src 'self' data:",
        "connect-src 'self'{stripe_connect}",
        "frame-src {stripe_frames}",
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


def allow_stripe(view):
    """Mark a payment page: it may load Stripe.js from STRIPE_JS_URL's origin (and, for
    Stripe's own script, let it reach Stripe's API and show its frames). No other page may."""

    @wraps(view)
    def wrapper(*args, **kwargs):
        g.allow_stripe = True
        return view(*args, **kwargs)

    return wrapper


def _stripe_sources(app: Flask) -> dict[str, str]:
    if not g.get("allow_stripe", False):
        return {"stripe": "", "stripe_connect": "", "stripe_frames": "'none'"}
    parts = urlsplit(app.config.get("STRIPE_JS_URL") or "")
    origin = f"{parts.scheme}://{parts.netloc}"
    connect, frames = [origin], [origin]
    if parts.netloc == "js.stripe.com":
        connect.append("https://api.stripe.com")
        frames.append("https://hooks.stripe.com")
    return {
        "stripe": f" {origin}",
        "stripe_connect": " " + " ".join(connect),
        "stripe_frames": " ".join(frames),
    }


def init_security_headers(app: Flask) -> None:
    @app.after_request
    def add_headers(response):
        framable = g.get("allow_framing", False)
        headers = response.headers
        headers["Content-Security-Policy"] = CSP.format(
            ancestors="*" if framable else "'none'", **_stripe_sources(app)
        )
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
