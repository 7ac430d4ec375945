"""Reading what the Needs attention page shows, in a fixed number of queries."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.engine import Row

from webapp import zones
from webapp.blueprints.sessions.workflows import (
    as_enrolment,
    as_package_booking,
    local_today,
    with_plus_one_standing,
)
from webapp.extensions import db
from webapp.models import Client, Program, User
from webapp.rules.attention import sessions_run_out
from webapp.rules.plusone import PlusOneDecision


def active_clients_of(coach: User) -> list[Row]:
    """The coach's active clients in name order, one query: (Client, their User or None,
    remaining sessions, last package Booking or None, PlusOneEnrolment or None).

    Each calendar's time zone is remembered on the way, so `needs_training_ids` reads none.
    """
    query = (
        sa.select(Client, User)
        .join(Program, Program.id == Client.program_id)
        .outerjoin(User, User.id == Client.user_id)
        .where(Program.coach_id == coach.id, Client.state == "active")
        .order_by(Client.name, Client.id)
    )
    rows = db.session.execute(with_plus_one_standing(query, coach.id)).all()
    for client, person, *_standing in rows:
        zones.remember(client.id, (person and person.time_zone) or coach.time_zone)
    return rows


def sessions_run_out_by_client(rows: list[Row], now: datetime) -> dict[int, PlusOneDecision]:
    """Why each client whose sessions ran out gets no +1 session, by Client id; no queries.

    `rows` are (Client, User or None, remaining, last package, enrolment), as
    `active_clients_of` reads them. A person in two of the coach's programs counts once.
    """
    reasons, seen = {}, set()
    for client, person, remaining, last, enrolment in rows:
        # Without an account nobody can book, so there is nothing to run out.
        if person is None or person.id in seen:
            continue
        seen.add(person.id)
        why = sessions_run_out(
            remaining=remaining,
            enrolment=as_enrolment(enrolment),
            last=as_package_booking(last) if last else None,
            today=local_today(person, now),
        )
        if why is not None:
            reasons[client.id] = why
    return reasons
