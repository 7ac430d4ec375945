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


def _by_month(query) -> dict[str, int]:
    return {key: int(value or 0) for key, value in db.session.execute(query)}


def build(scope: Scope, currency: str, first: date, last: date) -> Report:
    keys = reports.months_between(first, last)
    period = Period(first, last)

    month_paid = month_of(LEDGER_WHEN)
    money = db.session.execute(
        sa.select(month_paid, sa.func.sum(PAID), sa.func.sum(REFUNDED))
        .where(revenue_rows(scope, currency, period))
        .group_by(month_paid)
    ).all()
    paid_by = {key: int(p or 0) for key, p, _ in money}
    refunded_by = {key: int(r or 0) for key, _, r in money}

    done = delivered_rows(scope, currency, period)
    month_done = month_of(CoachingSession.completed_at)
    sessions = db.session.execute(
        sa.select(
            month_done,
            sa.func.count(CoachingSession.id),
            sa.func.count(sa.distinct(CoachingSession.client_user_id)),
        )
        .where(done)
        .group_by(month_done)
    ).all()
    delivered = {key: int(n) for key, n, _ in sessions}
    active = {key: int(n) for key, _, n in sessions}
    active_total = db.session.scalar(
        sa.select(sa.func.count(sa.distinct(CoachingSession.client_user_id))).where(done)
    )

    month_booked = month_of(Booking.booked_at)
    plus_ones = _by_month(
        sa.select(month_booked, sa.func.count(Booking.id))
        .where(plus_one_rows(scope, currency, period))
        .group_by(month_booked)
    )

    rows = reports.monthly(keys, currency, paid_by, refunded_by, delivered, plus_ones, active)
    return Report(
        currency=currency,
        months=rows,
        total=reports.total(rows, currency),
        active_clients=int(active_total or 0),
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
    rows = db.session.execute(
        sa.select(
            CoachingSession.client_user_id,
            sa.func.count(CoachingSession.id),
            unplaced,
            sa.func.max(CoachingSession.scheduled_at),
        )
        .where(*scope.of(CoachingSession), CoachingSession.status == SessionStatus.REMAINING)
        .group_by(CoachingSession.client_user_id)
    ).all()
    renewing = set(
        db.session.scalars(
            sa.select(PlusOneEnrolment.client_user_id).where(
                *scope.of(PlusOneEnrolment),
                PlusOneEnrolment.enrolled.is_(True),
                PlusOneEnrolment.paused_until.is_(None),
            )
        )
    )
    return [
        user_id
        for user_id, remaining, waiting, last in rows
        if reports.runs_out_soon(int(remaining), int(waiting or 0), last, user_id in renewing, now)
    ]
