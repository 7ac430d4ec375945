"""Template filters and globals shared by every page."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from flask import Flask, g
from flask_wtf.csrf import generate_csrf

from webapp.rules.money import Money
from webapp.rules.programs import BILLING_LABELS, BillingPeriod


def money(minor: int, currency: str) -> str:
    return str(Money(int(minor), currency))


def billing_label(period: str) -> str:
    try:
        return BILLING_LABELS[BillingPeriod(period)]
    except ValueError:
        return period


def long_date(value: date | datetime | None, tz: str | None = None) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime) and tz:
        value = value.astimezone(ZoneInfo(tz))
    return f"{value:%a} {value.day} {value:%b %Y}"


def short_date(value: date | None) -> str:
    if value is None:
        return ""
    return f"{value.day} {value:%b}"


def csrf_token() -> str:
    """The request's CSRF token: made once, then read back for each of a page's many forms."""
    token = g.get("csrf_token")
    return token if token is not None else generate_csrf()


def init_templating(app: Flask) -> None:
    app.jinja_env.filters.update(
        money=money, billing_label=billing_label, long_date=long_date, short_date=short_date
    )
    app.jinja_env.globals.update(htmx_file="htmx-2.0.11.min.js", csrf_token=csrf_token)
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True
