"""A client's active programs, for their home page."""

from __future__ import annotations

import sqlalchemy as sa
from sqlalchemy.orm import joinedload

from webapp.extensions import db
from webapp.models import Client, Program
from webapp.rules.invites import State


def memberships_of(user_id: int) -> list[tuple[Client, Program]]:
    """The client's active programs, newest first, each with its coach loaded."""
    rows = db.session.execute(
        sa.select(Client, Program)
        .join(Program, Program.id == Client.program_id)
        .options(joinedload(Program.coach))
        .where(Client.user_id == user_id, Client.state == State.ACTIVE)
        .order_by(Client.activated_at.desc(), Client.id)
    ).all()
    return [(client, program) for client, program in rows]
