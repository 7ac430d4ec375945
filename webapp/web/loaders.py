"""One loader per object: each checks who may see the row and aborts 404 otherwise.

A coach reaches their own programs and the clients in them; a client reaches only their own
membership rows. Someone else's row is indistinguishable from a missing one.
"""

from __future__ import annotations

from datetime import date
from functools import cache

import sqlalchemy as sa
from flask import abort
from flask_login import current_user
from sqlalchemy.orm import aliased, joinedload

from webapp.extensions import db
from webapp.models import (
    Booking,
    CalendarEntry,
    Client,
    CoachingSession,
    Invitation,
    LedgerEntry,
    Package,
    PlusOneEnrolment,
    Program,
    User,
)
from webapp.rules.invites import State
from webapp.rules.roles import Role
from webapp.services import zones
from webapp.services.data_versions import note_program_coach
from webapp.services.payments import takes_cards


def _one_or_404(query, params: dict | None = None):
    row = db.session.scalar(query, params)
    if row is None:
        abort(404)
    return row


# The loaders every page runs build their statement once per shape and bind the ids per
# request: building a statement and its cache key costs more than PostgreSQL takes to run it.


@cache
def _own_program_query(*, for_update: bool) -> sa.Select:
    query = sa.select(Program).where(
        Program.id == sa.bindparam("program_id"), Program.coach_id == sa.bindparam("coach_id")
    )
    return query.with_for_update() if for_update else query


def get_own_program(program_id: int, *, for_update: bool = False) -> Program:
    """A program of the logged-in coach."""
    return _one_or_404(
        _own_program_query(for_update=for_update),
        {"program_id": program_id, "coach_id": current_user.id},
    )


def get_coach_client(client_id: int, *, for_update: bool = False) -> Client:
    """A client (pending, active or removed) in one of the logged-in coach's programs.

    Its calendar's time zone comes in the same query (see `webapp.services.zones`).
    """
    client, _zone = _one_coach_client(client_id, for_update=for_update)
    return client


def get_coach_entry(
    client_id: int, entry_id: int, *, for_update: bool = False
) -> tuple[Client, CalendarEntry]:
    """An entry of one of the logged-in coach's clients with that client, in one query.

    For a change the client row is locked (FOR UPDATE on PostgreSQL): changes to one calendar
    queue up.
    """
    client, entry = _one_coach_client(client_id, for_update=for_update, entry_id=entry_id)
    return client, entry


# The client's person. Made once: building a new alias for every query costs more than the query.
_person = aliased(User, name="person")


@cache
def _coach_client_query(*, with_entry: bool, for_update: bool) -> sa.Select:
    query = (
        sa.select(Client, _person.time_zone)
        .join(Program, Program.id == Client.program_id)
        .outerjoin(_person, _person.id == Client.user_id)
        .where(Client.id == sa.bindparam("client_id"), Program.coach_id == sa.bindparam("coach_id"))
    )
    if with_entry:
        query = query.add_columns(CalendarEntry).join(
            CalendarEntry,
            sa.and_(
                CalendarEntry.client_id == Client.id, CalendarEntry.id == sa.bindparam("entry_id")
            ),
        )
    return query.with_for_update(of=Client) if for_update else query


def _one_coach_client(client_id: int, *, for_update: bool, entry_id: int | None = None):
    ids = {"client_id": client_id, "coach_id": current_user.id}
    if entry_id is not None:
        ids["entry_id"] = entry_id
    query = _coach_client_query(with_entry=entry_id is not None, for_update=for_update)
    row = db.session.execute(query, ids).first()
    if row is None:
        abort(404)
    # Until they accept, a client's calendar runs in the (logged-in) coach's time zone.
    zones.remember(row[0].id, row[1] if row[1] is not None else current_user.time_zone)
    note_program_coach(row[0].program_id, current_user.id)  # checked by the query
    return row[0], row[-1]


def get_my_membership(client_id: int) -> Client:
    """The logged-in client's own active membership row (their calendar in one program)."""
    query = sa.select(Client).where(
        Client.id == client_id, Client.user_id == current_user.id, Client.state == State.ACTIVE
    )
    return _one_or_404(query)


def get_my_joining(client_id: int) -> Client:
    """The logged-in client's own membership, active or accepted and awaiting its first
    payment (the card page and the welcome page lead them on from there)."""
    query = sa.select(Client).where(
        Client.id == client_id,
        Client.user_id == current_user.id,
        (Client.state == State.ACTIVE)
        | ((Client.state == State.PENDING) & Client.awaiting_payment_since.is_not(None)),
    )
    return _one_or_404(query)


def get_coach_invitation(invitation_id: int, *, program_id: int) -> Invitation:
    """An invitation to one of the logged-in coach's programs (the program named in the URL)."""
    query = (
        sa.select(Invitation)
        .join(Program, Program.id == Invitation.program_id)
        .where(
            Invitation.id == invitation_id,
            Invitation.program_id == program_id,
            Program.coach_id == current_user.id,
        )
    )
    return _one_or_404(query)


def get_own_package(package_id: int, *, for_update: bool = False) -> Package:
    """A package of the logged-in coach (public or custom)."""
    query = sa.select(Package).where(Package.id == package_id, Package.coach_id == current_user.id)
    if for_update:
        query = query.with_for_update()
    return _one_or_404(query)


@cache
def _client_session_query() -> sa.Select:
    return (
        sa.select(Client, CoachingSession, User)
        .join(Program, Program.id == Client.program_id)
        .join(User, User.id == Client.user_id)
        .join(
            CoachingSession,
            (CoachingSession.client_user_id == Client.user_id)
            & (CoachingSession.coach_id == Program.coach_id),
        )
        .where(
            Client.id == sa.bindparam("client_id"),
            Program.coach_id == sa.bindparam("coach_id"),
            CoachingSession.id == sa.bindparam("session_id"),
        )
        .options(joinedload(CoachingSession.booking))
        .with_for_update(of=CoachingSession)
    )


def get_client_session(client_id: int, session_id: int) -> tuple[Client, CoachingSession, User]:
    """A session between the logged-in coach and the person of one of their clients, with that
    client and person, in one query. The session row is locked (FOR UPDATE on PostgreSQL), so
    concurrent changes queue up; its booking comes along for the response."""
    ids = {"client_id": client_id, "coach_id": current_user.id, "session_id": session_id}
    row = db.session.execute(_client_session_query(), ids).first()
    if row is None:
        abort(404)
    return row[0], row[1], row[2]


def _my_coach_where(coach_id: int) -> tuple:
    return (
        User.id == coach_id,
        User.role == Role.COACH,
        sa.exists().where(
            Client.program_id == Program.id,
            Program.coach_id == User.id,
            Client.user_id == current_user.id,
            Client.state == State.ACTIVE,
        ),
    )


def get_my_coach(coach_id: int) -> User:
    """A coach the logged-in client is active with (in at least one of their programs)."""
    return _one_or_404(sa.select(User).where(*_my_coach_where(coach_id)))


def get_my_coach_standing(coach_id: int) -> tuple[User, PlusOneEnrolment | None, bool]:
    """`get_my_coach`, with the client's +1 enrolment with them and whether the coach takes
    cards (has a Stripe account), read in the same query: the coach's page shows all three."""
    query = (
        sa.select(User, PlusOneEnrolment, takes_cards(User.id))
        .outerjoin(
            PlusOneEnrolment,
            sa.and_(
                PlusOneEnrolment.coach_id == User.id,
                PlusOneEnrolment.client_user_id == current_user.id,
            ),
        )
        .where(*_my_coach_where(coach_id))
    )
    row = db.session.execute(query).first()
    if row is None:
        abort(404)
    coach, enrolment, cards = row
    return coach, enrolment, bool(cards)


def get_offered_package(coach: User, package_id: int) -> Package:
    """A live package `coach` offers the logged-in client: a public one or one made for them."""
    query = sa.select(Package).where(
        Package.id == package_id,
        Package.coach_id == coach.id,
        Package.archived_at.is_(None),
        sa.or_(Package.offered_to_id.is_(None), Package.offered_to_id == current_user.id),
    )
    return _one_or_404(query)


def get_my_booking(coach: User, booking_id: int) -> Booking:
    """A booking of the logged-in client's with `coach`."""
    query = sa.select(Booking).where(
        Booking.id == booking_id,
        Booking.coach_id == coach.id,
        Booking.client_user_id == current_user.id,
    )
    return _one_or_404(query)


def get_client_booking(client: Client, booking_id: int) -> Booking:
    """A booking of the coach's client (`client` from `get_coach_client`); 404 otherwise."""
    query = sa.select(Booking).where(
        Booking.id == booking_id,
        Booking.coach_id == current_user.id,
        Booking.client_user_id == client.user_id,
    )
    return _one_or_404(query)


def get_my_payment(coach: User, entry_id: int, *, for_update: bool = False) -> LedgerEntry:
    """A ledger row of the logged-in client's with `coach`."""
    query = sa.select(LedgerEntry).where(
        LedgerEntry.id == entry_id,
        LedgerEntry.coach_id == coach.id,
        LedgerEntry.client_user_id == current_user.id,
    )
    return _one_or_404(query.with_for_update() if for_update else query)


def get_my_visible_entry(
    membership: Client, entry_id: int, first: date, last: date | None
) -> CalendarEntry:
    """An entry of the client's own calendar dated inside what they may see (first..last)."""
    query = sa.select(CalendarEntry).where(
        CalendarEntry.id == entry_id,
        CalendarEntry.client_id == membership.id,
        CalendarEntry.on_date >= first,
    )
    if last is not None:
        query = query.where(CalendarEntry.on_date <= last)
    return _one_or_404(query)


def get_coach_person(user_id: int) -> User:
    """The person (account) of a client in one of the logged-in coach's programs, in any state."""
    query = sa.select(User).where(
        User.id == user_id,
        sa.exists().where(
            Client.user_id == User.id,
            Client.program_id == Program.id,
            Program.coach_id == current_user.id,
        ),
    )
    return _one_or_404(query)
