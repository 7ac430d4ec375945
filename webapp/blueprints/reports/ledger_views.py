"""The ledger rows behind a revenue figure, paged, and the ledger as CSV."""

from __future__ import annotations

from flask import request

from webapp.blueprints.reports import bp
from webapp.blueprints.reports.asking import PAGE_SIZE, asked, rows_page
from webapp.blueprints.reports.views import csv_response
from webapp.services import report_rows
from webapp.web.auth_session import coach_required


@bp.get("/reports/ledger")
@coach_required
def ledger():
    return rows_page(
        "reports/ledger.html",
        lambda ask, n: report_rows.ledger(ask.scope, ask.currency, ask.period, n, PAGE_SIZE),
    )


@bp.get("/reports/ledger.csv")
@coach_required
def ledger_csv():
    """A revenue figure's rows when a month or range is asked; otherwise every ledger row."""
    ask = asked()
    ranged = any(key in request.args for key in ("month", "from", "to"))
    rows = report_rows.ledger_csv(
        ask.scope, ask.currency if ranged else None, ask.period if ranged else None
    )
    name = f"ondeck-ledger-{ask.first:%Y-%m}-to-{ask.last:%Y-%m}-{ask.currency}.csv"
    return csv_response(name if ranged else "ondeck-ledger.csv", report_rows.LEDGER_HEADER, rows)
