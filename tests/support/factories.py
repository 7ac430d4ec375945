"""Rows for tests, made directly in the database. Call inside an app context."""

from __future__ import annotations

import itertools
from datetime import date
from functools import cache

from werkzeug.security import generate_password_hash

from webapp import clock
from webapp.extensions import db
from webapp.models import Client, Program, User
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


@cache
def _password_hash() -> str:
    # Hashing once keeps tests fast; every test user shares PASSWORD.
    return generate_password_hash(PASSWORD, method="scrypt")


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
