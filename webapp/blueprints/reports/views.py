"""The coach's reports: money and sessions by month, prepaid liability as of today."""

from __future__ import annotations

from datetime import date

from flask import request
from flask_login import current_user

from webapp import clock
from webapp.blueprints.reports import bp
from webapp.rules.dates import today_in
from webapp.rules.money import CURRENCIES
from webapp.rules.reports import ReportError, months_between
from webapp.services import reports
from webapp.web.auth_session import coach_required
from webapp.web.htmx import render


def _month(text: str | None, default: date) -> date:
    """`YYYY-MM` from the query string; anything else falls back to the default."""
    try:
        year, month = (int(part) for part in (text or "").split("-"))
        return date(year, month, 1)
    except ValueError:
        return default


def _asked(today: date):
    """The range, currency and client asked for; a bad one falls back with a message."""
    last = _month(request.args.get("to"), today.replace(day=1))
    first = _month(request.args.get("from"), date(last.year - 1, last.month, 1))
    currency = request.args.get("currency", "GBP")
    client = request.args.get("client", type=int)
    error = None
    if currency not in CURRENCIES:
        currency, error = "GBP", "Choose a currency from the list."
    try:
        months_between(first, last)
    except ReportError as refused:
        error = str(refused)
        first, last = date(today.year - 1, today.month, 1), today.replace(day=1)
    return first, last, currency, client, error


@bp.get("/reports")
@coach_required
def index():
    today = today_in(clock.now(), current_user.time_zone)
    first, last, currency, client, error = _asked(today)
    return render(
        "reports/index.html",
        report=reports.build(current_user.id, currency, first, last, client),
        people=reports.client_rows(current_user.id),
        first=first,
        last=last,
        client=client,
        currencies=sorted(CURRENCIES),
        error=error,
    )
