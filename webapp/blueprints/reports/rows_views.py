"""The rows behind the other figures: sessions delivered, +1 bookings, active clients, and the
remaining sessions behind the prepaid liability. Each list is paged; its count and sum cover
every page and equal the figure that links to it."""

from __future__ import annotations

from webapp.blueprints.reports import bp
from webapp.blueprints.reports.asking import PAGE_SIZE, rows_page
from webapp.services import report_rows
from webapp.web.auth_session import coach_required


@bp.get("/reports/sessions")
@coach_required
def delivered():
    return rows_page(
        "reports/delivered.html",
        lambda ask, n: report_rows.delivered(ask.scope, ask.currency, ask.period, n, PAGE_SIZE),
    )


@bp.get("/reports/plus-ones")
@coach_required
def plus_ones():
    return rows_page(
        "reports/plus_ones.html",
        lambda ask, n: report_rows.plus_ones(ask.scope, ask.currency, ask.period, n, PAGE_SIZE),
    )


@bp.get("/reports/active-clients")
@coach_required
def active_clients():
    return rows_page(
        "reports/active_clients.html",
        lambda ask, n: report_rows.active(ask.scope, ask.currency, ask.period, n, PAGE_SIZE),
    )


@bp.get("/reports/remaining")
@coach_required
def remaining():
    return rows_page(
        "reports/remaining.html",
        lambda ask, n: report_rows.remaining(ask.scope, ask.currency, n, PAGE_SIZE),
    )
