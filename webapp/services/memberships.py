"""The logged-in client's active programs, for their home page."""

from __future__ import annotations

import sqlalchemy as sa
from flask_login import current_user
from sqlalchemy.orm import joinedload

from webapp.extensions import db
from webapp.models import Client, Program
from webapp.rules.invites import State


def my_memberships() -> list[tuple[Client, Program]]:
    if not current_user.is_authenticated or not current_user.is_client:
        return []
    rows = db.session.execute(
        sa.select(Client, Program)
        .join(Program, Program.id == Client.program_id)
        .options(joinedload(Program.coach))
        .where(Client.user_id == current_user.id, Client.state == State.ACTIVE)
        .order_by(Client.activated_at.desc(), Client.id)
    ).all()
    return [(client, program) for client, program in rows]
