"""The rows behind each report figure, one page at a time, with their count and sum over every
page (in SQL): the ledger rows of a month's revenue, the sessions delivered, the +1 bookings,
the active clients and the remaining sessions behind the prepaid liability."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa

from webapp.extensions import db
from webapp.models.packages import Booking, CoachingSession
from webapp.models.payments import LedgerEntry
from webapp.models.programs import Program
from webapp.models.users import User
from webapp.rules.money import Money
from webapp.rules.spreadsheet import Amount
from webapp.services.report_scope import (
    PAID,
    REFUNDED,
    Period,
    Scope,
    delivered_rows,
    plus_one_rows,
    remaining_rows,
    revenue_rows,
)


@dataclass(frozen=True)
class Listing:
    rows: list[Any]
    total: int  # rows over every page
    sum_minor: int = 0  # what they add up to, where the figure is money
    refunded_minor: int = 0  # the ledger's refunds, which the revenue takes off

    @property
    def paid_minor(self) -> int:
        return self.sum_minor + self.refunded_minor


def _page(query, criteria, order, page: int, size: int) -> list[Any]:
    return list(
        db.session.execute(
            query.where(criteria).order_by(*order).limit(size).offset((page - 1) * size)
        )
    )


def ledger(scope: Scope, currency: str, period: Period, page: int, size: int) -> Listing:
    """The ledger rows a revenue figure sums (succeeded payments less refunds), with names."""
    criteria = revenue_rows(scope, currency, period)
    count, paid, refunded = db.session.execute(
        sa.select(sa.func.count(LedgerEntry.id), sa.func.sum(PAID), sa.func.sum(REFUNDED)).where(
            criteria
        )
    ).one()
    query = sa.select(LedgerEntry, User.name).join(User, User.id == LedgerEntry.client_user_id)
    order = (LedgerEntry.created_at, LedgerEntry.id)
    return Listing(
        _page(query, criteria, order, page, size),
        int(count),
        int(paid or 0) - int(refunded or 0),
        int(refunded or 0),
    )


def delivered(scope: Scope, currency: str, period: Period, page: int, size: int) -> Listing:
    """The sessions completed in the period, with their booking."""
    criteria = delivered_rows(scope, currency, period)
    count = db.session.scalar(sa.select(sa.func.count(CoachingSession.id)).where(criteria))
    query = sa.select(CoachingSession, Booking)
    order = (CoachingSession.completed_at, CoachingSession.id)
    return Listing(_page(query, criteria, order, page, size), int(count or 0))


def plus_ones(scope: Scope, currency: str, period: Period, page: int, size: int) -> Listing:
    """The +1 bookings made in the period; the sum is what they were booked at."""
    criteria = plus_one_rows(scope, currency, period)
    count, booked = db.session.execute(
        sa.select(sa.func.count(Booking.id), sa.func.sum(Booking.total_minor)).where(criteria)
    ).one()
    query = sa.select(Booking)
    order = (Booking.booked_at, Booking.id)
    return Listing(_page(query, criteria, order, page, size), int(count), int(booked or 0))


def active(scope: Scope, currency: str, period: Period, page: int, size: int) -> Listing:
    """The clients with a session delivered in the period, with how many each had."""
    criteria = delivered_rows(scope, currency, period)
    who = CoachingSession.client_user_id
    count = db.session.scalar(sa.select(sa.func.count(sa.distinct(who))).where(criteria))
    query = sa.select(who, sa.func.count(CoachingSession.id)).select_from(CoachingSession)
    rows = db.session.execute(
        query.where(criteria).group_by(who).order_by(who).limit(size).offset((page - 1) * size)
    )
    return Listing(list(rows), int(count or 0))


def remaining(scope: Scope, currency: str, page: int, size: int) -> Listing:
    """The sessions booked and not yet delivered; the sum is the prepaid liability."""
    criteria = remaining_rows(scope, currency)
    count, owed = db.session.execute(
        sa.select(sa.func.count(CoachingSession.id), sa.func.sum(Booking.rate_minor)).where(
            criteria
        )
    ).one()
    query = sa.select(CoachingSession, Booking)
    order = (CoachingSession.client_user_id, Booking.booked_at, CoachingSession.id)
    return Listing(_page(query, criteria, order, page, size), int(count), int(owed or 0))


def programs_of(coach_id: int) -> list[tuple[int, str]]:
    """The coach's programs (id, name), for the reports' program filter."""
    query = sa.select(Program.id, Program.name).where(Program.coach_id == coach_id)
    return [(pid, name) for pid, name in db.session.execute(query.order_by(Program.name))]


def ledger_csv(scope: Scope, currency: str | None, period: Period | None) -> Iterator[list[object]]:
    """Ledger rows for the CSV, oldest first: a revenue figure's rows when a month and a
    currency are given, else every row in the scope (any status, every currency). Read in
    batches as they are written out, so a long ledger never sits whole in memory."""
    query = (
        sa.select(LedgerEntry, User.name, User.email)
        .join(User, User.id == LedgerEntry.client_user_id)
        .order_by(LedgerEntry.created_at, LedgerEntry.id)
    )
    if currency is not None and period is not None:
        query = query.where(revenue_rows(scope, currency, period))
    else:
        query = query.where(*scope.of(LedgerEntry))
    return (
        [
            entry.id,
            entry.created_at.isoformat(),
            entry.settled_at.isoformat() if entry.settled_at else "",
            name,
            email,
            str(entry.kind),
            str(entry.status),
            Amount(Money(entry.amount_minor, entry.currency).amount_text()),
            entry.currency,
            str(entry.method or ""),
            entry.note,
        ]
        for entry, name, email in db.session.execute(query.execution_options(yield_per=500))
    )


LEDGER_HEADER = [
    "id",
    "created_at",
    "settled_at",
    "client",
    "email",
    "kind",
    "status",
    "amount",
    "currency",
    "method",
    "note",
]
