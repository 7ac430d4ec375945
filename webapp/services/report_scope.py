"""What a report covers (a coach, optionally one program or one client) and the row criteria
behind each figure. The figures (`services.reports`) and the lists they link to
(`services.report_rows`) use the same criteria, so a list always adds up to its figure."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime

import sqlalchemy as sa

from webapp.extensions import db
from webapp.models.clients import Client
from webapp.models.packages import Booking, CoachingSession
from webapp.models.payments import LedgerEntry
from webapp.rules import reports
from webapp.rules.payments import LedgerKind, LedgerStatus
from webapp.rules.plusone import BookingKind, SessionStatus


@dataclass(frozen=True)
class Scope:
    """A coach's rows, narrowed to one client (their user id) or to the people who are or
    were in one program (a booking or payment belongs to the person, not to a program)."""

    coach_id: int
    client_user_id: int | None = None
    program_id: int | None = None

    def of(self, model) -> list:
        conditions = [model.coach_id == self.coach_id]
        if self.client_user_id is not None:
            conditions.append(model.client_user_id == self.client_user_id)
        if self.program_id is not None:
            members = sa.select(Client.user_id).where(
                Client.program_id == self.program_id, Client.user_id.is_not(None)
            )
            conditions.append(model.client_user_id.in_(members))
        return conditions


@dataclass(frozen=True)
class Period:
    """Whole UTC months, `first`'s to `last`'s: [start, end)."""

    first: date
    last: date

    @property
    def bounds(self) -> tuple[datetime, datetime]:
        start, end = reports.range_bounds(self.first, self.last)
        return _at(start), _at(end)


def _at(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, tzinfo=UTC)


def month_of(column):
    """`YYYY-MM` of a UTC timestamp column, in the database's own dialect."""
    if db.engine.dialect.name == "postgresql":
        # Literal arguments (not bound ones), so GROUP BY matches the selected expression.
        utc = sa.literal_column("'UTC'", sa.String)
        return sa.func.to_char(sa.func.timezone(utc, column), sa.literal_column("'YYYY-MM'"))
    return sa.func.strftime(sa.literal_column("'%Y-%m'"), column)


# When a ledger row counts: when it settled, or when it was made if it never needed to.
LEDGER_WHEN = sa.func.coalesce(LedgerEntry.settled_at, LedgerEntry.created_at)
REFUNDED = sa.case((LedgerEntry.kind == LedgerKind.REFUND, LedgerEntry.amount_minor), else_=0)
PAID = sa.case((LedgerEntry.kind != LedgerKind.REFUND, LedgerEntry.amount_minor), else_=0)


def revenue_rows(scope: Scope, currency: str, period: Period) -> sa.ColumnElement[bool]:
    """The ledger rows a month's revenue sums: succeeded payments and refunds."""
    start, end = period.bounds
    return sa.and_(
        *scope.of(LedgerEntry),
        LedgerEntry.currency == currency,
        LedgerEntry.status == LedgerStatus.SUCCEEDED,
        LEDGER_WHEN >= start,
        LEDGER_WHEN < end,
    )


def delivered_rows(scope: Scope, currency: str, period: Period) -> sa.ColumnElement[bool]:
    """Sessions completed in the period, of bookings in the currency (joins Booking)."""
    start, end = period.bounds
    return sa.and_(
        *scope.of(CoachingSession),
        CoachingSession.status == SessionStatus.COMPLETED,
        CoachingSession.completed_at >= start,
        CoachingSession.completed_at < end,
        CoachingSession.booking_id == Booking.id,
        Booking.currency == currency,
    )


def plus_one_rows(scope: Scope, currency: str, period: Period) -> sa.ColumnElement[bool]:
    """+1 bookings made in the period and not voided."""
    start, end = period.bounds
    return sa.and_(
        *scope.of(Booking),
        Booking.kind == BookingKind.PLUS_ONE,
        Booking.voided_at.is_(None),
        Booking.currency == currency,
        Booking.booked_at >= start,
        Booking.booked_at < end,
    )


def remaining_rows(scope: Scope, currency: str) -> sa.ColumnElement[bool]:
    """Sessions booked and not yet delivered, as of now (joins Booking): the liability."""
    return sa.and_(
        *scope.of(CoachingSession),
        CoachingSession.status == SessionStatus.REMAINING,
        CoachingSession.booking_id == Booking.id,
        Booking.currency == currency,
    )
