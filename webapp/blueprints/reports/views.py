"""The coach's reports: money and sessions by month, prepaid liability as of today."""

from __future__ import annotations

from collections.abc import Iterable

from flask import Response
from flask_login import current_user

from webapp import clock
from webapp.blueprints.reports import bp
from webapp.blueprints.reports.asking import asked, today
from webapp.rules.money import CURRENCIES
from webapp.rules.spreadsheet import csv_text
from webapp.services import report_rows, reports
from webapp.web.auth_session import coach_required
from webapp.web.htmx import render
from webapp.web.response_cache import cached


@bp.get("/reports")
@coach_required
@cached
def index():
    ask = asked()
    return render(
        "reports/index.html",
        report=reports.build(ask.scope, ask.currency, ask.first, ask.last),
        people=reports.client_rows(current_user.id),
        programs=report_rows.programs_of(current_user.id),
        running_out=reports.running_out(ask.scope, clock.now()),
        ask=ask,
        currencies=sorted(CURRENCIES),
    )


def csv_response(filename: str, header: list[str], rows: Iterable[list[object]]) -> Response:
    response = Response(csv_text(header, rows), mimetype="text/csv")
    response.charset = "utf-8"
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@bp.get("/reports/months.csv")
@coach_required
def months_csv():
    ask = asked()
    report = reports.build(ask.scope, ask.currency, ask.first, ask.last)
    name = f"ondeck-months-{ask.first:%Y-%m}-to-{ask.last:%Y-%m}-{ask.currency}.csv"
    return csv_response(name, reports.MONTH_HEADER, reports.month_rows(report))


@bp.get("/reports/liability.csv")
@coach_required
def liability_csv():
    ask = asked()
    report = reports.build(ask.scope, ask.currency, ask.first, ask.last)
    rows = reports.liability_rows(report, reports.client_rows(current_user.id))
    name = f"ondeck-liability-{today()}-{ask.currency}.csv"
    return csv_response(name, reports.LIABILITY_HEADER, rows)
