"""The coach's reports: money and sessions by month, prepaid liability as of today."""

from __future__ import annotations

from datetime import date

from flask import Response, request
from flask_login import current_user

from webapp import clock
from webapp.blueprints.reports import bp
from webapp.rules.dates import today_in
from webapp.rules.money import CURRENCIES
from webapp.rules.reports import ReportError, months_between
from webapp.rules.spreadsheet import csv_text
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
        running_out=reports.running_out(current_user.id, clock.now()),
        first=first,
        last=last,
        client=client,
        currencies=sorted(CURRENCIES),
        error=error,
    )


def _csv(filename: str, header: list[str], rows: list[list[object]]) -> Response:
    response = Response(csv_text(header, rows), mimetype="text/csv")
    response.charset = "utf-8"
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@bp.get("/reports/months.csv")
@coach_required
def months_csv():
    today = today_in(clock.now(), current_user.time_zone)
    first, last, currency, client, _ = _asked(today)
    report = reports.build(current_user.id, currency, first, last, client)
    name = f"ondeck-months-{first:%Y-%m}-to-{last:%Y-%m}-{currency}.csv"
    return _csv(name, reports.MONTH_HEADER, reports.month_rows(report))


@bp.get("/reports/liability.csv")
@coach_required
def liability_csv():
    today = today_in(clock.now(), current_user.time_zone)
    first, last, currency, client, _ = _asked(today)
    report = reports.build(current_user.id, currency, first, last, client)
    rows = reports.liability_rows(report, reports.client_rows(current_user.id))
    return _csv(f"ondeck-liability-{today}-{currency}.csv", reports.LIABILITY_HEADER, rows)


@bp.get("/reports/ledger.csv")
@coach_required
def ledger_csv():
    rows = reports.ledger_rows(current_user.id, request.args.get("client", type=int))
    return _csv("ondeck-ledger.csv", reports.LEDGER_HEADER, rows)
