"""Reading what the Needs attention page shows, in a fixed number of queries."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import NamedTuple

import sqlalchemy as sa
from sqlalchemy.engine import Row

from webapp.extensions import db
from webapp.models import Booking, Client, PlusOneEnrolment, Program, ProgramSubscription, User
from webapp.rules.attention import sessions_run_out
from webapp.rules.dates import today_in
from webapp.rules.invites import State
from webapp.rules.payments import SubscriptionStatus
from webapp.rules.plusone import PlusOneDecision
from webapp.services import zones
from webapp.services.coaching_sessions import (
    as_enrolment,
    as_package_booking,
    with_plus_one_standing,
)


def active_clients_of(
    coach: User, states: tuple[State, ...] = (State.ACTIVE,), *, renewal: bool = False
) -> Sequence[Row]:
    """The coach's active clients (or those in `states`) in name order, one query: (Client,
    their User or None, remaining sessions, last package Booking or None, PlusOneEnrolment
    or None), and with `renewal`, whether their program's renewal by card failed.

    Each calendar's time zone is remembered on the way, so `needs_training_ids` reads none.
    """
    query = (
        sa.select(Client, User)
        .join(Program, Program.id == Client.program_id)
        .outerjoin(User, User.id == Client.user_id)
        .where(Program.coach_id == coach.id, Client.state.in_(states))
        .order_by(Client.name, Client.id)
    )
    query = with_plus_one_standing(query, coach.id)
    if renewal:
        past_due = sa.exists().where(
            ProgramSubscription.coach_id == coach.id,
            ProgramSubscription.client_id == Client.id,
            ProgramSubscription.status == SubscriptionStatus.PAST_DUE,
        )
        query = query.add_columns(past_due.label("renewal_failed"))
    rows = db.session.execute(query).all()
    for row in rows:
        person = row.User
        zones.remember(row.Client.id, (person and person.time_zone) or coach.time_zone)
    return rows


class Standing(NamedTuple):
    """What decides whether a client's sessions have run out, read with the client's row."""

    client_id: int
    person_id: int | None
    time_zone: str | None
    remaining: int
    last: Booking | None
    enrolment: PlusOneEnrolment | None


def standings_of(rows: list[Row]) -> list[Standing]:
    """`active_clients_of` rows as standings."""
    return [
        Standing(
            client.id,
            person and person.id,
            person and person.time_zone,
            remaining,
            last,
            enrolment,
        )
        for client, person, remaining, last, enrolment, *_more in rows
    ]


def sessions_run_out_by_client(
    standings: list[Standing], now: datetime
) -> dict[int, PlusOneDecision]:
    """Why each client whose sessions ran out gets no +1 session, by client id; no queries.

    A person in two of the coach's programs counts once.
    """
    reasons, seen = {}, set()
    for s in standings:
        # Without an account nobody can book, so there is nothing to run out.
        if s.person_id is None or s.person_id in seen:
            continue
        seen.add(s.person_id)
        why = sessions_run_out(
            remaining=s.remaining,
            enrolment=as_enrolment(s.enrolment),
            last=as_package_booking(s.last) if s.last else None,
            # The client's own date decides whether a pause is still running.
            today=today_in(now, s.time_zone),
        )
        if why is not None:
            reasons[s.client_id] = why
    return reasons
