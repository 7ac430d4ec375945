"""Template filters and globals shared by every page."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from flask import Flask, g, url_for
from flask_wtf.csrf import generate_csrf

from webapp.rules.attention import AttentionReason
from webapp.rules.dates import EARLIEST, LATEST
from webapp.rules.invites import InvitationStatus, Method, State, is_movable, listed_under
from webapp.rules.payments import LEDGER_STATUS, MANUAL_METHODS, SubscriptionStatus
from webapp.rules.plusone import BookingKind, EnrolmentStatus, SessionStatus
from webapp.rules.programs import (
    BILLING_LABELS,
    BillingPeriod,
    ProgramAction,
    ProgramStatus,
    accepts_clients,
    is_editable,
    offers,
)
from webapp.rules.roles import Role
from webapp.services.amounts import money
from webapp.services.subscriptions import offer_for
from webapp.web.converters import MAX_ID


def billing_label(period: str) -> str:
    try:
        return BILLING_LABELS[BillingPeriod(period)]
    except ValueError:
        return period


# English names, as strftime's %a and %b give them (the app never changes the C locale); a
# table lookup is several times faster than strftime in a list that shows a date per row.
_DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")


def long_date(value: date | datetime | None, tz: str | None = None) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime) and tz:
        value = value.astimezone(ZoneInfo(tz))
    return f"{_DAYS[value.weekday()]} {value.day} {_MONTHS[value.month - 1]} {value.year}"


def short_date(value: date | None) -> str:
    if value is None:
        return ""
    return f"{value.day} {_MONTHS[value.month - 1]}"


def csrf_token() -> str:
    """The request's CSRF token: made once, then read back for each of a page's many forms."""
    token = g.get("csrf_token")
    return token if token is not None else generate_csrf()


# No id can be this, so it marks the one place in a built URL where a row's id goes.
_ID_MARKER = MAX_ID + 1


class RowUrl:
    """`url_for(endpoint, **values, <key>=id)` for each row of a list, built once per render.

    url_for takes tens of microseconds; a list of a hundred rows with a few links each spent
    milliseconds on it. The URL is built once with a marker for the id and split around it,
    so each row only joins three strings.
    """

    def __init__(self, endpoint: str, key: str, **values) -> None:
        built = url_for(endpoint, **{key: _ID_MARKER}, **values)
        marker = str(_ID_MARKER)
        if built.count(marker) != 1:
            raise ValueError(f"{endpoint}: cannot find where {key} goes in {built}")
        self._head, _marker, self._tail = built.partition(marker)

    def __call__(self, row_id: int) -> str:
        return f"{self._head}{int(row_id)}{self._tail}"


def init_templating(app: Flask) -> None:
    app.jinja_env.filters.update(
        money=money, billing_label=billing_label, long_date=long_date, short_date=short_date
    )
    app.jinja_env.globals.update(
        htmx_file="htmx-2.0.11.min.js",
        csrf_token=csrf_token,
        row_url=RowUrl,
        earliest_date=EARLIEST.isoformat(),
        latest_date=LATEST.isoformat(),
        # Stored states, so templates compare with the enums rather than spelt-out strings.
        State=State,
        Method=Method,
        ProgramStatus=ProgramStatus,
        SessionStatus=SessionStatus,
        BookingKind=BookingKind,
        EnrolmentStatus=EnrolmentStatus,
        Role=Role,
        InvitationStatus=InvitationStatus,
        ProgramAction=ProgramAction,
        SubscriptionStatus=SubscriptionStatus,
        AttentionReason=AttentionReason,
        # Rules a page asks: the decision stays in webapp.rules, the template shows the answer.
        is_movable=is_movable,
        listed_under=listed_under,
        is_editable=is_editable,
        offers=offers,
        accepts_clients=accepts_clients,
        manual_methods=MANUAL_METHODS,
        program_payment=offer_for,
        ledger_status=LEDGER_STATUS,
    )
    app.jinja_env.trim_blocks = True
    app.jinja_env.lstrip_blocks = True
