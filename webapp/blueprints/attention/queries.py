"""Reading what the Needs attention page shows, in a fixed number of queries."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.engine import Row

from webapp import zones
from webapp.blueprints.sessions.workflows import with_plus_one_standing
from webapp.extensions import db
from webapp.models import Client, Program, User


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
        zones.remember(client.id, person.time_zone if person else coach.time_zone)
    return rows
