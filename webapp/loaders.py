"""One loader per object: each checks who may see the row and aborts 404 otherwise.

A coach reaches their own programs and the clients in them; a client reaches only their own
membership rows. Someone else's row is indistinguishable from a missing one.
"""

from __future__ import annotations

import sqlalchemy as sa
from flask import abort
from flask_login import current_user

from webapp.extensions import db
from webapp.models import Client, Invitation, Program


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
