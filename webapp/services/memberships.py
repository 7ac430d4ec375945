"""A client's programs, for their home page: active ones, and those paid by card they have
accepted and not yet paid."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import joinedload

from webapp.extensions import db
from webapp.models import Client, Program
from webapp.rules.invites import State


def memberships_of(user_id: int) -> list[tuple[Client, Program]]:
    """The client's active programs, newest first, each with its coach loaded; a program
    awaiting their first payment comes too (its card leads to the card page)."""
    rows = db.session.execute(
        sa.select(Client, Program)
        .join(Program, Program.id == Client.program_id)
        .options(joinedload(Program.coach))
        .where(
            Client.user_id == user_id,
            (Client.state == State.ACTIVE)
            | ((Client.state == State.PENDING) & Client.awaiting_payment_since.is_not(None)),
        )
        .order_by(Client.activated_at.desc(), Client.id)
    ).all()
    return [(client, program) for client, program in rows]
