"""What a report page was asked for (the months, the currency, a program or a client), and
the page of a list of the rows behind a figure.

A program or client of another coach is not found (404), through the loaders; a bad range or
currency falls back to the default with a message.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from flask import abort, request
from flask_login import current_user

from webapp import clock
from webapp.rules.dates import in_range, today_in
from webapp.rules.money import CURRENCIES
from webapp.rules.reports import ReportError, month_key, months_between
from webapp.services import reports
from webapp.services.report_scope import Period, Scope
from webapp.web.converters import form_id
from webapp.web.htmx import render
from webapp.web.loaders import get_coach_person, get_own_program
from webapp.web.paging import ListRequest, Pager

DEFAULT_CURRENCY = "GBP"
PAGE_SIZE = 50  # rows a page of a list behind a figure


@dataclass(frozen=True)
class Asked:
    first: date
    last: date
    currency: str
    client: int | None = None  # the client's user id
    program: int | None = None
    error: str | None = None
    client_name: str = ""
    program_name: str = ""

    @property
    def scope(self) -> Scope:
        return Scope(current_user.id, client_user_id=self.client, program_id=self.program)

    @property
    def period(self) -> Period:
        return Period(self.first, self.last)

    @property
    def single_month(self) -> bool:
        return month_key(self.first) == month_key(self.last)

    def args(self, **more) -> dict:
        """The query string that asks for the same report (None values are left out)."""
        return {
            "from": month_key(self.first),
            "to": month_key(self.last),
            "currency": self.currency,
            "program": self.program,
            "client": self.client,
            **more,
        }


def _month(text: str | None) -> date | None:
    """`YYYY-MM` within the calendar's years, or None for anything else."""
    try:
        year, month = (int(part) for part in (text or "").split("-"))
        day = date(year, month, 1)
    except ValueError:
        return None
    return day if in_range(day) else None


def _id(name: str) -> int | None:
    """A filter's id; one that cannot be an id is not found, like another coach's."""
    text = request.args.get(name, "")
    if not text:
        return None
    return form_id(text) or abort(404)


def today() -> date:
    return today_in(clock.now(), current_user.time_zone)


def asked() -> Asked:
    """The range (`from`, `to`, or one `month`), currency, program and client asked for."""
    now = today().replace(day=1)
    default_first = date(now.year - 1, now.month, 1)
    if "month" in request.args:
        # A link to one month's rows: a month that is not one is not found.
        first = last = _month(request.args["month"]) or abort(404)
    else:
        last = _month(request.args.get("to")) or now
        first = _month(request.args.get("from")) or date(last.year - 1, last.month, 1)
    currency = request.args.get("currency", DEFAULT_CURRENCY)
    error = None
    if currency not in CURRENCIES:
        currency, error = DEFAULT_CURRENCY, "Choose a currency from the list."
    try:
        months_between(first, last)
    except ReportError as refused:
        error, first, last = str(refused), default_first, now
    client, program = _id("client"), _id("program")
    return Asked(
        first,
        last,
        currency,
        client=client,
        program=program,
        error=error,
        client_name=get_coach_person(client).name if client is not None else "",
        program_name=get_own_program(program).name if program is not None else "",
    )


def rows_page(template: str, fetch):
    """A list of the rows behind a figure: `fetch(asked, page number)` gives its Listing."""
    ask, number = asked(), ListRequest.from_args(request.args).page
    listing = fetch(ask, number)
    return render(
        template,
        ask=ask,
        listing=listing,
        pager=Pager(number, listing.total, PAGE_SIZE),
        people=reports.client_rows(current_user.id),
    )
