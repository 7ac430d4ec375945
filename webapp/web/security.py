"""Response headers every page gets, and the one place that allows framing."""

from __future__ import annotations

from functools import cache, wraps
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


def _stripe_sources(stripe_js_url: str | None) -> dict[str, str]:
    if stripe_js_url is None:
        return {"stripe": "", "stripe_connect": "", "stripe_frames": "'none'"}
    parts = urlsplit(stripe_js_url)
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


@cache
def _headers(framable: bool, stripe_js_url: str | None, hsts: bool) -> tuple[tuple[str, str], ...]:
    """Every page's headers, built once for each of the few combinations there are."""
    csp = CSP.format(ancestors="*" if framable else "'none'", **_stripe_sources(stripe_js_url))
    headers = [("Content-Security-Policy", csp)]
    if not framable:
        headers.append(("X-Frame-Options", "DENY"))
    headers += [
        ("X-Content-Type-Options", "nosniff"),
        ("Referrer-Policy", "same-origin"),
        ("Cross-Origin-Opener-Policy", "same-origin"),
        ("Permissions-Policy", "camera=(), microphone=(), geolocation=()"),
    ]
    if hsts:
        headers.append(("Strict-Transport-Security", "max-age=31536000"))
    return tuple(headers)


def init_security_headers(app: Flask) -> None:
    @app.after_request
    def add_headers(response):
        stripe = (app.config.get("STRIPE_JS_URL") or "") if g.get("allow_stripe", False) else None
        hsts = bool(app.config.get("SESSION_COOKIE_SECURE"))
        headers = response.headers
        for name, value in _headers(g.get("allow_framing", False), stripe, hsts):
            headers[name] = value
        response.vary.add("HX-Request")
        if response.mimetype == "text/html":
            headers.setdefault("Cache-Control", "no-store")
        return response
