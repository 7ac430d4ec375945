"""Rows for tests, made directly in the database. Call inside an app context."""

from __future__ import annotations

import itertools
from datetime import date, datetime
from functools import cache

from flask import current_app
from werkzeug.security import generate_password_hash

from webapp import clock
from webapp.extensions import db
from webapp.models import Booking, Client, CoachingSession, Program, User
from webapp.rules.plusone import BookingKind
from webapp.rules.roles import Role

PASSWORD = "correct horse battery"
_serial = itertools.count(1)


def saved(obj):
    """Commit and reload, so the object's values stay readable after its context closes."""
    # Only this test context's session: rows the test made stay readable after later commits.
    db.session().expire_on_commit = False
    db.session.add(obj)
    db.session.commit()
    db.session.refresh(obj)
    return obj


def _password_hash() -> str:
    # Every test user shares PASSWORD, hashed the way the app under test hashes.
    return _hashed(current_app.config["PASSWORD_HASH_METHOD"])


@cache
def _hashed(method: str) -> str:
    return generate_password_hash(PASSWORD, method=method)


def make_user(
    role: str,
    *,
    email: str | None = None,
    name: str | None = None,
    time_zone: str = "Europe/London",
) -> User:
    n = next(_serial)
    user = User(
        email=email or f"{role}{n}@example.com",
        name=name or f"{role.title()} {n}",
        role=role,
        time_zone=time_zone,
        password_hash=_password_hash(),
    )
    return saved(user)


def make_coach(**kwargs) -> User:
    return make_user(Role.COACH, **kwargs)


def make_client_user(**kwargs) -> User:
    return make_user(Role.CLIENT, **kwargs)


def make_program(
    coach: User,
    *,
    name: str = "1-2-1 Coaching",
    status: str = "published",
    price_minor: int = 20000,
    currency: str = "GBP",
) -> Program:
    program = Program(
        coach_id=coach.id,
        name=name,
        type="one_to_one",
        price_minor=price_minor,
        currency=currency,
        billing_period="month",
        description="Personal coaching",
        welcome_message="Welcome!",
        waiver="I am fit to train.",
        status=status,
        published_at=clock.now() if status != "draft" else None,
    )
    return saved(program)


def make_client(
    program: Program,
    *,
    user: User | None = None,
    name: str | None = None,
    email: str | None = None,
    state: str = "active",
    method: str = "manual",
    start_date: date | None = None,
    horizon_days: int | None = 7,
) -> Client:
    n = next(_serial)
    client = Client(
        program_id=program.id,
        user_id=user.id if user else None,
        name=name or (user.name if user else f"Client {n}"),
        email=email or (user.email if user else f"client{n}@example.com"),
        state=state,
        method=method,
        start_date=start_date or date.today(),
        horizon_days=horizon_days,
        activated_at=clock.now() if state == "active" else None,
    )
    return saved(client)


def place_booked_session(
    *, coach_id: int, client_user_id: int, calendar_client_id: int, at: datetime, **extra
) -> CoachingSession:
    """A one-session package (£50) the client booked with the coach, its session placed at `at`
    on their calendar. Added and flushed, for the caller to commit."""
    booking = Booking(
        coach_id=coach_id,
        client_user_id=client_user_id,
        kind=BookingKind.PACKAGE,
        sessions_count=1,
        total_minor=5000,
        rate_minor=5000,
        currency="GBP",
    )
    db.session.add(booking)
    db.session.flush()
    session = CoachingSession(
        booking_id=booking.id,
        coach_id=coach_id,
        client_user_id=client_user_id,
        calendar_client_id=calendar_client_id,
        scheduled_at=at,
        **extra,
    )
    db.session.add(session)
    db.session.flush()
    return session
