"""Rows and steps for package and +1 tests. Call the row makers inside an app context."""

from __future__ import annotations

from dataclasses import dataclass

import sqlalchemy as sa

from tests.support.factories import (
    PASSWORD,
    make_client,
    make_client_user,
    make_coach,
    make_program,
    saved,
)
from webapp.extensions import db
from webapp.models import Booking, CoachingSession, Package


@dataclass
class Pair:
    coach_id: int
    coach_email: str
    person_id: int
    person_email: str
    client_id: int  # the Client row (their calendar in the coach's program)
    program_id: int


def make_pair(app, *, n: int = 1, time_zone: str = "Europe/London") -> Pair:
    with app.app_context():
        coach = make_coach(email=f"coach{n}@example.com", name=f"Casey Coach {n}")
        person = make_client_user(
            email=f"dana{n}@example.com", name=f"Dana Client {n}", time_zone=time_zone
        )
        program = make_program(coach)
        row = make_client(program, user=person)
        return Pair(coach.id, coach.email, person.id, person.email, row.id, program.id)


def make_package(
    app,
    coach_id: int,
    sessions: int,
    total_minor: int,
    *,
    currency: str = "GBP",
    offered_to_id: int | None = None,
    no_auto_renewal: bool = False,
) -> int:
    with app.app_context():
        return saved(
            Package(
                coach_id=coach_id,
                sessions_count=sessions,
                total_minor=total_minor,
                currency=currency,
                offered_to_id=offered_to_id,
                no_auto_renewal=no_auto_renewal,
            )
        ).id


def logged_in(app, email: str):
    client = app.test_client()
    client.login(email, PASSWORD)
    return client


def remaining_ids(app, pair: Pair) -> list[int]:
    with app.app_context():
        return list(
            db.session.scalars(
                sa.select(CoachingSession.id)
                .where(
                    CoachingSession.client_user_id == pair.person_id,
                    CoachingSession.status == "remaining",
                )
                .order_by(CoachingSession.id)
            )
        )


def bookings(app, pair: Pair, kind: str | None = None) -> list[Booking]:
    with app.app_context():
        query = sa.select(Booking).where(Booking.client_user_id == pair.person_id)
        if kind:
            query = query.where(Booking.kind == kind)
        return list(db.session.scalars(query.order_by(Booking.id)))


def session_row(app, session_id: int) -> CoachingSession:
    with app.app_context():
        return db.session.get(CoachingSession, session_id)


def complete_url(pair: Pair, session_id: int) -> str:
    return f"/clients/{pair.client_id}/sessions/{session_id}/complete"


def undo_url(pair: Pair, session_id: int) -> str:
    return f"/clients/{pair.client_id}/sessions/{session_id}/undo"
