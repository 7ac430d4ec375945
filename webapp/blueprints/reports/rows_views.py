"""The rows behind the other figures: sessions delivered, +1 bookings, active clients, and the
remaining sessions behind the prepaid liability. Each list is paged; its count and sum cover
every page and equal the figure that links to it."""

from __future__ import annotations

from flask_login import current_user

from webapp.blueprints.reports import bp
from webapp.blueprints.reports.asking import asked, page
from webapp.services import report_rows, reports
from webapp.web.auth_session import coach_required
from webapp.web.htmx import render
from webapp.web.paging import Pager

PAGE_SIZE = 50


def _rows(template: str, fetch):
    ask, number = asked(), page()
    listing = fetch(ask, number)
    return render(
        template,
        ask=ask,
        listing=listing,
        pager=Pager(number, listing.total, PAGE_SIZE),
        people=reports.client_rows(current_user.id),
    )


@bp.get("/reports/sessions")
@coach_required
def delivered():
    return _rows(
        "reports/delivered.html",
        lambda ask, n: report_rows.delivered(ask.scope, ask.currency, ask.period, n, PAGE_SIZE),
    )


@bp.get("/reports/plus-ones")
@coach_required
def plus_ones():
    return _rows(
        "reports/plus_ones.html",
        lambda ask, n: report_rows.plus_ones(ask.scope, ask.currency, ask.period, n, PAGE_SIZE),
    )


@bp.get("/reports/active-clients")
@coach_required
def active_clients():
    return _rows(
        "reports/active_clients.html",
        lambda ask, n: report_rows.active(ask.scope, ask.currency, ask.period, n, PAGE_SIZE),
    )


@bp.get("/reports/remaining")
@coach_required
def remaining():
    return _rows(
        "reports/remaining.html",
        lambda ask, n: report_rows.remaining(ask.scope, ask.currency, n, PAGE_SIZE),
    )
