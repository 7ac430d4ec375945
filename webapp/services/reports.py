"""A coach's reports, summed in SQL by month: a fixed handful of statements whatever the range
or the number of clients. The rules (buckets, liability, run-out) live in rules/reports."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

import sqlalchemy as sa

from webapp.extensions import db
from webapp.models.clients import Client
from webapp.models.packages import Booking, CoachingSession, PlusOneEnrolment
from webapp.models.programs import Program
from webapp.rules import reports
from webapp.rules.money import Money
from webapp.rules.plusone import SessionStatus
from webapp.rules.spreadsheet import Amount
from webapp.services.report_scope import (
    LEDGER_WHEN,
    PAID,
    REFUNDED,
    Period,
    Scope,
    delivered_rows,
    month_of,
    plus_one_rows,
    remaining_rows,
    revenue_rows,
)


@dataclass(frozen=True)
class Report:
    currency: str
    months: list[reports.MonthFigures]
    total: reports.MonthFigures
    active_clients: int  # distinct over the whole range
    liabilities: list[reports.Liability]

    @property
    def liability_total(self) -> int:
        return sum(row.owed.minor for row in self.liabilities)


def _part(name: str):
    return sa.literal_column(f"'{name}'")


def _distinct(column):
    return sa.func.count(sa.distinct(column))


def build(scope: Scope, currency: str, first: date, last: date) -> Report:
    keys = reports.months_between(first, last)
    period = Period(first, last)

    # Every figure by month in one statement: each part names itself in its first column.
    month_paid, month_done = month_of(LEDGER_WHEN), month_of(CoachingSession.completed_at)
    month_booked, done = month_of(Booking.booked_at), delivered_rows(scope, currency, period)
    zero: sa.ColumnElement[int] = sa.literal_column("0")
    who = CoachingSession.client_user_id
    parts = sa.union_all(
        sa.select(_part("money"), month_paid, sa.func.sum(PAID), sa.func.sum(REFUNDED))
        .where(revenue_rows(scope, currency, period))
        .group_by(month_paid),
        sa.select(_part("sessions"), month_done, sa.func.count(CoachingSession.id), _distinct(who))
        .where(done)
        .group_by(month_done),
        sa.select(_part("plus_ones"), month_booked, sa.func.count(Booking.id), zero)
        .where(plus_one_rows(scope, currency, period))
        .group_by(month_booked),
        sa.select(_part("active"), sa.literal_column("''"), _distinct(who), zero).where(done),
    )
    paid_by: dict[str, int] = {}
    refunded_by: dict[str, int] = {}
    delivered: dict[str, int] = {}
    active: dict[str, int] = {}
    plus_ones: dict[str, int] = {}
    active_total = 0
    for part, key, first_figure, second_figure in db.session.execute(parts):
        first_figure, second_figure = int(first_figure or 0), int(second_figure or 0)
        if part == "money":
            paid_by[key], refunded_by[key] = first_figure, second_figure
        elif part == "sessions":
            delivered[key], active[key] = first_figure, second_figure
        elif part == "plus_ones":
            plus_ones[key] = first_figure
        else:
            active_total = first_figure

    rows = reports.monthly(keys, currency, paid_by, refunded_by, delivered, plus_ones, active)
    return Report(
        currency=currency,
        months=rows,
        total=reports.total(rows, currency),
        active_clients=active_total,
        liabilities=liabilities(scope, currency),
    )


def liabilities(scope: Scope, currency: str) -> list[reports.Liability]:
    """Prepaid work owed as of now, per client: remaining sessions × their booking's rate."""
    rows = db.session.execute(
        sa.select(
            CoachingSession.client_user_id,
            Booking.rate_minor,
            sa.func.count(CoachingSession.id),
        )
        .where(remaining_rows(scope, currency))
        .group_by(CoachingSession.client_user_id, Booking.rate_minor)
        .order_by(CoachingSession.client_user_id)
    ).all()
    owed: dict[int, tuple[int, int]] = {}
    for user_id, rate, count in rows:
        amount = reports.liability(int(count), int(rate), currency).minor
        sessions, minor = owed.get(user_id, (0, 0))
        owed[user_id] = (sessions + int(count), minor + amount)
    return [
        reports.Liability(user_id, sessions, Money(minor, currency))
        for user_id, (sessions, minor) in owed.items()
    ]


def client_rows(coach_id: int) -> dict[int, tuple[int, str]]:
    """The coach's clients by user id: (their first Client row's id, name), in one query."""
    rows = db.session.execute(
        sa.select(Client.user_id, sa.func.min(Client.id), sa.func.min(Client.name))
        .join(Program, Program.id == Client.program_id)
        .where(Program.coach_id == coach_id, Client.user_id.is_not(None))
        .group_by(Client.user_id)
    ).all()
    return {uid: (int(cid), name) for uid, cid, name in rows if uid is not None}


MONTH_HEADER = [
    "month",
    "paid",
    "refunded",
    "revenue",
    "currency",
    "sessions_delivered",
    "plus_ones_booked",
    "active_clients",
]


def month_rows(report: Report) -> list[list[object]]:
    return [
        [
            row.month,
            Amount(row.paid.amount_text()),
            Amount(row.refunded.amount_text()),
            Amount(row.revenue.amount_text()),
            report.currency,
            row.sessions_delivered,
            row.plus_ones_booked,
            row.active_clients,
        ]
        for row in report.months
    ]


LIABILITY_HEADER = ["client", "sessions_left", "owed", "currency"]


def liability_rows(report: Report, names: dict[int, tuple[int, str]]) -> list[list[object]]:
    return [
        [
            names.get(row.client_user_id, (0, "Former client"))[1],
            row.remaining_sessions,
            Amount(row.owed.amount_text()),
            report.currency,
        ]
        for row in report.liabilities
    ]


def running_out(scope: Scope, now: datetime) -> list[int]:
    """Clients (user ids) whose placed sessions run out within 14 days with no +1 to renew."""
    unplaced = sa.func.sum(sa.case((CoachingSession.scheduled_at.is_(None), 1), else_=0))
    renewing = sa.exists().where(  # +1 on and not paused, read with each client's row
        PlusOneEnrolment.coach_id == scope.coach_id,
        PlusOneEnrolment.client_user_id == CoachingSession.client_user_id,
        PlusOneEnrolment.enrolled.is_(True),
        PlusOneEnrolment.paused_until.is_(None),
    )
    rows = db.session.execute(
        sa.select(
            CoachingSession.client_user_id,
            sa.func.count(CoachingSession.id),
            unplaced,
            sa.func.max(CoachingSession.scheduled_at),
            renewing,
        )
        .where(*scope.of(CoachingSession), CoachingSession.status == SessionStatus.REMAINING)
        .group_by(CoachingSession.client_user_id)
    ).all()
    return [
        user_id
        for user_id, remaining, waiting, last, renews in rows
        if reports.runs_out_soon(int(remaining), int(waiting or 0), last, bool(renews), now)
    ]
