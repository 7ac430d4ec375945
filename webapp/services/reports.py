"""A coach's reports, summed in SQL by month: a fixed handful of statements whatever the range
or the number of clients. The rules (buckets, liability, run-out) live in rules/reports."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime

import sqlalchemy as sa

from webapp.extensions import db
from webapp.models.clients import Client
from webapp.models.packages import Booking, CoachingSession, PlusOneEnrolment
from webapp.models.payments import LedgerEntry
from webapp.models.programs import Program
from webapp.models.users import User
from webapp.rules import reports
from webapp.rules.money import Money
from webapp.rules.payments import LedgerKind, LedgerStatus
from webapp.rules.plusone import BookingKind, SessionStatus
from webapp.rules.spreadsheet import Amount


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


def _month(column):
    """`YYYY-MM` of a UTC timestamp column, in the database's own dialect."""
    if db.engine.dialect.name == "postgresql":
        # Literal arguments (not bound ones), so GROUP BY matches the selected expression.
        utc = sa.literal_column("'UTC'", sa.String)
        return sa.func.to_char(sa.func.timezone(utc, column), sa.literal_column("'YYYY-MM'"))
    return sa.func.strftime(sa.literal_column("'%Y-%m'"), column)


def _at(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, tzinfo=UTC)


def _by_month(query) -> dict[str, int]:
    return {key: int(value or 0) for key, value in db.session.execute(query)}


def build(
    coach_id: int, currency: str, first: date, last: date, client_user_id: int | None = None
) -> Report:
    keys = reports.months_between(first, last)
    start, end = (_at(day) for day in reports.range_bounds(first, last))

    def mine(model):
        conditions = [model.coach_id == coach_id]
        if client_user_id is not None:
            conditions.append(model.client_user_id == client_user_id)
        return conditions

    when = sa.func.coalesce(LedgerEntry.settled_at, LedgerEntry.created_at)
    refund = sa.case((LedgerEntry.kind == LedgerKind.REFUND, LedgerEntry.amount_minor), else_=0)
    paid = sa.case((LedgerEntry.kind != LedgerKind.REFUND, LedgerEntry.amount_minor), else_=0)
    money = db.session.execute(
        sa.select(_month(when), sa.func.sum(paid), sa.func.sum(refund))
        .where(
            *mine(LedgerEntry),
            LedgerEntry.currency == currency,
            LedgerEntry.status == LedgerStatus.SUCCEEDED,
            when >= start,
            when < end,
        )
        .group_by(_month(when))
    ).all()
    paid_by = {key: int(p or 0) for key, p, _ in money}
    refunded_by = {key: int(r or 0) for key, _, r in money}

    done = sa.and_(
        *mine(CoachingSession),
        CoachingSession.status == SessionStatus.COMPLETED,
        CoachingSession.completed_at >= start,
        CoachingSession.completed_at < end,
        CoachingSession.booking_id == Booking.id,
        Booking.currency == currency,
    )
    month_done = _month(CoachingSession.completed_at)
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

    month_booked = _month(Booking.booked_at)
    plus_ones = _by_month(
        sa.select(month_booked, sa.func.count(Booking.id))
        .where(
            *mine(Booking),
            Booking.kind == BookingKind.PLUS_ONE,
            Booking.voided_at.is_(None),
            Booking.currency == currency,
            Booking.booked_at >= start,
            Booking.booked_at < end,
        )
        .group_by(month_booked)
    )

    rows = reports.monthly(keys, currency, paid_by, refunded_by, delivered, plus_ones, active)
    return Report(
        currency=currency,
        months=rows,
        total=reports.total(rows, currency),
        active_clients=int(active_total or 0),
        liabilities=liabilities(coach_id, currency, client_user_id),
    )


def liabilities(
    coach_id: int, currency: str, client_user_id: int | None = None
) -> list[reports.Liability]:
    """Prepaid work owed as of now, per client: remaining sessions × their booking's rate."""
    conditions = [
        CoachingSession.coach_id == coach_id,
        CoachingSession.status == SessionStatus.REMAINING,
        Booking.currency == currency,
    ]
    if client_user_id is not None:
        conditions.append(CoachingSession.client_user_id == client_user_id)
    rows = db.session.execute(
        sa.select(
            CoachingSession.client_user_id,
            Booking.rate_minor,
            sa.func.count(CoachingSession.id),
        )
        .join(Booking, Booking.id == CoachingSession.booking_id)
        .where(*conditions)
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


def ledger_rows(coach_id: int, client_user_id: int | None = None) -> list[list[object]]:
    """Every ledger row of the coach, oldest first, with the client's name: for the CSV."""
    query = (
        sa.select(LedgerEntry, User.name, User.email)
        .join(User, User.id == LedgerEntry.client_user_id)
        .where(LedgerEntry.coach_id == coach_id)
        .order_by(LedgerEntry.created_at, LedgerEntry.id)
    )
    if client_user_id is not None:
        query = query.where(LedgerEntry.client_user_id == client_user_id)
    return [
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
        for entry, name, email in db.session.execute(query)
    ]


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


def running_out(coach_id: int, now: datetime) -> list[int]:
    """Clients (user ids) whose placed sessions run out within 14 days with no +1 to renew."""
    unplaced = sa.func.sum(sa.case((CoachingSession.scheduled_at.is_(None), 1), else_=0))
    rows = db.session.execute(
        sa.select(
            CoachingSession.client_user_id,
            sa.func.count(CoachingSession.id),
            unplaced,
            sa.func.max(CoachingSession.scheduled_at),
        )
        .where(
            CoachingSession.coach_id == coach_id,
            CoachingSession.status == SessionStatus.REMAINING,
        )
        .group_by(CoachingSession.client_user_id)
    ).all()
    renewing = set(
        db.session.scalars(
            sa.select(PlusOneEnrolment.client_user_id).where(
                PlusOneEnrolment.coach_id == coach_id,
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
