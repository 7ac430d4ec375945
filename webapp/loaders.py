"""One loader per object: each checks who may see the row and aborts 404 otherwise.

A coach reaches their own programs and the clients in them; a client reaches only their own
membership rows. Someone else's row is indistinguishable from a missing one.
"""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa
from flask import abort
from flask_login import current_user

from webapp.extensions import db
from webapp.models import (
    CalendarEntry,
    Client,
    CoachingSession,
    Invitation,
    Package,
    Program,
    User,
)


def _one_or_404(query):
    row = db.session.scalar(query)
    if row is None:
        abort(404)
    return row


def get_own_program(program_id: int, *, for_update: bool = False) -> Program:
    """A program of the logged-in coach."""
    query = sa.select(Program).where(Program.id == program_id, Program.coach_id == current_user.id)
    if for_update:
        query = query.with_for_update()
    return _one_or_404(query)


def get_coach_client(client_id: int, *, for_update: bool = False) -> Client:
    """A client (pending, active or removed) in one of the logged-in coach's programs."""
    query = (
        sa.select(Client)
        .join(Program, Program.id == Client.program_id)
        .where(Client.id == client_id, Program.coach_id == current_user.id)
    )
    if for_update:
        query = query.with_for_update(of=Client)
    return _one_or_404(query)


def get_my_membership(client_id: int) -> Client:
    """The logged-in client's own active membership row (their calendar in one program)."""
    query = sa.select(Client).where(
        Client.id == client_id, Client.user_id == current_user.id, Client.state == "active"
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


def get_client_session(client: Client, session_id: int, *, for_update: bool = False):
    """A session between the logged-in coach and the person of `client` (a loaded Client row).

    Locked with FOR UPDATE on PostgreSQL when asked, so concurrent completions queue up.
    """
    if client.user_id is None:
        abort(404)
    query = sa.select(CoachingSession).where(
        CoachingSession.id == session_id,
        CoachingSession.coach_id == current_user.id,
        CoachingSession.client_user_id == client.user_id,
    )
    if for_update:
        query = query.with_for_update()
    return _one_or_404(query)


def get_my_coach(coach_id: int) -> User:
    """A coach the logged-in client is active with (in at least one of their programs)."""
    query = sa.select(User).where(
        User.id == coach_id,
        User.role == "coach",
        sa.exists().where(
            Client.program_id == Program.id,
            Program.coach_id == User.id,
            Client.user_id == current_user.id,
            Client.state == "active",
        ),
    )
    return _one_or_404(query)


def get_offered_package(coach: User, package_id: int) -> Package:
    """A live package `coach` offers the logged-in client: a public one or one made for them."""
    query = sa.select(Package).where(
        Package.id == package_id,
        Package.coach_id == coach.id,
        Package.archived_at.is_(None),
        sa.or_(Package.offered_to_id.is_(None), Package.offered_to_id == current_user.id),
    )
    return _one_or_404(query)


def get_coach_entry(client_id: int, entry_id: int) -> CalendarEntry:
    """An entry of one of the logged-in coach's clients, reached through that client's URL."""
    query = (
        sa.select(CalendarEntry)
        .join(Client, Client.id == CalendarEntry.client_id)
        .join(Program, Program.id == Client.program_id)
        .where(
            CalendarEntry.id == entry_id,
            CalendarEntry.client_id == client_id,
            Program.coach_id == current_user.id,
        )
    )
    return _one_or_404(query)


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
