"""Reports equal the ledger and sessions tables summed independently, in two currencies."""

from __future__ import annotations

import random
from collections import defaultdict
from datetime import UTC, date, datetime, timedelta

import pytest
import sqlalchemy as sa

from tests.support.queries import counted_queries
from webapp.extensions import db
from webapp.models import CoachingSession, User
from webapp.models.packages import Booking
from webapp.models.payments import LedgerEntry
from webapp.rules import reports as rules
from webapp.services import demo, reports
from webapp.services.report_scope import Scope

YEAR_START = datetime(2025, 1, 1, tzinfo=UTC)
T0 = datetime(2026, 12, 7, 9, 0, tzinfo=UTC)


def _people(coach_id: int, first: int, stop: int) -> list[User]:
    people = [
        User(
            email=f"report{n}@example.com",
            name=f"Report {n:04d}",
            role="client",
            time_zone="Europe/London",
            password_hash="-",
        )
        for n in range(first, stop)
    ]
    db.session.add_all(people)
    db.session.flush()
    return people


def _year(app, coach_id: int, clients: int, seed: int = 14) -> None:
    """A year of bookings, sessions and ledger rows, half in GBP and half in JPY."""
    pick = random.Random(seed)
    with app.app_context():
        for n, person in enumerate(_people(coach_id, 0, clients)):
            currency = "GBP" if n % 2 else "JPY"
            for _ in range(pick.randint(1, 4)):
                booked = YEAR_START + timedelta(minutes=pick.randint(0, 365 * 24 * 60 - 1))
                count = pick.randint(1, 10)
                rate = pick.randint(1, 9000)
                kind = pick.choice(["package", "plus_one"])
                booking = Booking(
                    coach_id=coach_id,
                    client_user_id=person.id,
                    kind=kind,
                    sessions_count=1 if kind == "plus_one" else count,
                    total_minor=rate * count,
                    rate_minor=rate,
                    currency=currency,
                    booked_at=booked,
                )
                db.session.add(booking)
                for _ in range(booking.sessions_count):
                    status = pick.choice(["remaining", "completed", "completed", "void"])
                    done = booked + timedelta(days=pick.randint(0, 200))
                    db.session.add(
                        CoachingSession(
                            booking=booking,
                            coach_id=coach_id,
                            client_user_id=person.id,
                            status=status,
                            completed_at=done if status == "completed" else None,
                        )
                    )
                for kind_ in pick.choices(["charge", "manual", "refund"], k=pick.randint(1, 3)):
                    db.session.add(
                        LedgerEntry(
                            coach_id=coach_id,
                            client_user_id=person.id,
                            kind=kind_,
                            status=pick.choice(["succeeded", "succeeded", "failed", "pending"]),
                            amount_minor=pick.randint(1, 10**6),
                            currency=currency,
                            created_at=booked,
                            settled_at=booked + timedelta(hours=pick.randint(0, 900)),
                        )
                    )
        db.session.commit()


def _independent(coach_id: int, currency: str):
    """The same figures the slow way: load every row and bucket it in Python."""
    paid: dict[str, int] = defaultdict(int)
    refunded: dict[str, int] = defaultdict(int)
    for row in db.session.scalars(sa.select(LedgerEntry).where(LedgerEntry.coach_id == coach_id)):
        if row.currency != currency or row.status != "succeeded":
            continue
        key = rules.month_key((row.settled_at or row.created_at).astimezone(UTC).date())
        (refunded if row.kind == "refund" else paid)[key] += row.amount_minor
    delivered: dict[str, int] = defaultdict(int)
    active: dict[str, set[int]] = defaultdict(set)
    owed: dict[int, int] = defaultdict(int)
    bookings = {b.id: b for b in db.session.scalars(sa.select(Booking))}
    plus: dict[str, int] = defaultdict(int)
    for b in bookings.values():
        if b.kind == "plus_one" and b.voided_at is None and b.currency == currency:
            plus[rules.month_key(b.booked_at.astimezone(UTC).date())] += 1
    for s in db.session.scalars(sa.select(CoachingSession)):
        booking = bookings[s.booking_id]
        if booking.currency != currency:
            continue
        if s.status == "completed":
            key = rules.month_key(s.completed_at.astimezone(UTC).date())
            delivered[key] += 1
            active[key].add(s.client_user_id)
        elif s.status == "remaining":
            owed[s.client_user_id] += booking.rate_minor
    return paid, refunded, delivered, active, plus, owed


def _check(app, coach_id: int, currency: str, first: date, last: date) -> None:
    with app.app_context():
        report = reports.build(Scope(coach_id), currency, first, last)
        paid, refunded, delivered, active, plus, owed = _independent(coach_id, currency)
    keys = rules.months_between(first, last)
    assert [row.month for row in report.months] == keys
    for row in report.months:
        assert row.paid.minor == paid.get(row.month, 0), row.month
        assert row.refunded.minor == refunded.get(row.month, 0), row.month
        assert row.revenue.minor == paid.get(row.month, 0) - refunded.get(row.month, 0)
        assert row.sessions_delivered == delivered.get(row.month, 0), row.month
        assert row.active_clients == len(active.get(row.month, set())), row.month
        assert row.plus_ones_booked == plus.get(row.month, 0), row.month
    assert {row.client_user_id: row.owed.minor for row in report.liabilities} == dict(owed)
    assert report.liability_total == sum(owed.values())


@pytest.mark.parametrize("currency", ["GBP", "JPY"])
def test_a_generated_year_sums_to_the_minor_unit(app, pair, currency):
    _year(app, pair.coach_id, clients=40)
    _check(app, pair.coach_id, currency, date(2025, 1, 1), date(2025, 12, 31))
    # A range wider than the data, into the next year (sessions completed then too).
    _check(app, pair.coach_id, currency, date(2024, 11, 1), date(2026, 8, 31))


def test_the_demo_data_sums_to_the_minor_unit(app, time):
    with app.app_context():
        demo.load("a demo password here", time.now)
        coach_id = db.session.scalar(sa.select(User.id).where(User.email == demo.COACH_EMAIL))
    today = time.now.date()
    _check(app, coach_id, "GBP", today - timedelta(days=400), today)


def test_the_queries_are_the_same_for_1_and_36_months_and_10_and_1000_clients(app, pair):
    def run(first: date, last: date) -> list[str]:
        with counted_queries(app) as statements, app.app_context():
            reports.build(Scope(pair.coach_id), "GBP", first, last)
        return statements

    _year(app, pair.coach_id, clients=10)
    one = run(date(2025, 3, 1), date(2025, 3, 31))
    many = run(date(2023, 1, 1), date(2025, 12, 31))
    assert len(one) == len(many)
    _year_more(app, pair.coach_id)
    assert len(run(date(2023, 1, 1), date(2025, 12, 31))) == len(one)


def _year_more(app, coach_id: int) -> None:
    with app.app_context():
        people = _people(coach_id, 1000, 1990)
        for person in people:
            booking = Booking(
                coach_id=coach_id,
                client_user_id=person.id,
                kind="package",
                sessions_count=2,
                total_minor=100,
                rate_minor=50,
                currency="GBP",
                booked_at=YEAR_START,
            )
            db.session.add(booking)
            db.session.add_all(
                CoachingSession(
                    booking=booking,
                    coach_id=coach_id,
                    client_user_id=person.id,
                    status=s,
                    completed_at=YEAR_START if s == "completed" else None,
                )
                for s in ("remaining", "completed")
            )
        db.session.commit()


def test_months_and_liability_rules():
    assert rules.months_between(date(2025, 11, 5), date(2026, 2, 1)) == [
        "2025-11",
        "2025-12",
        "2026-01",
        "2026-02",
    ]
    with pytest.raises(rules.ReportError):
        rules.months_between(date(2026, 2, 1), date(2026, 1, 1))
    with pytest.raises(rules.ReportError):
        rules.months_between(date(2000, 1, 1), date(2026, 1, 1))
    assert rules.liability(3, 3334, "GBP").minor == 10002
    with pytest.raises(rules.ReportError):
        rules.liability(-1, 100, "GBP")
    now = datetime(2026, 12, 1, tzinfo=UTC)
    soon = now + timedelta(days=13)
    assert rules.runs_out_soon(2, 0, soon, False, now)
    assert not rules.runs_out_soon(2, 0, soon, True, now)  # has +1
    assert not rules.runs_out_soon(2, 1, soon, False, now)  # one not placed yet
    assert not rules.runs_out_soon(2, 0, now + timedelta(days=15), False, now)
