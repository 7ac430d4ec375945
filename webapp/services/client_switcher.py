"""The top bar's client switcher: a coach's clients by name, and finding one from what was typed."""

from __future__ import annotations

from typing import NamedTuple

import sqlalchemy as sa

from webapp.extensions import db
from webapp.models import Client, Program
from webapp.rules.invites import State


class Named(NamedTuple):
    id: int
    label: str  # the name, with the program's when two clients share it


def coach_clients(coach_id: int) -> list[Named]:
    """The coach's pending and active clients in name order, one query."""
    rows = db.session.execute(
        sa.select(Client.id, Client.name, Program.name)
        .join(Program, Program.id == Client.program_id)
        .where(Program.coach_id == coach_id, Client.state.in_((State.PENDING, State.ACTIVE)))
        .order_by(Client.name, Client.id)
    ).all()
    names = [name.casefold() for _id, name, _program in rows]
    return [
        Named(cid, f"{name} ({program})" if names.count(name.casefold()) > 1 else name)
        for cid, name, program in rows
    ]


def find_clients(coach_id: int, typed: str) -> list[Named]:
    """The client whose label is what was typed; else every client whose label contains it."""
    wanted = " ".join(typed.split()).casefold()
    clients = coach_clients(coach_id)
    exact = [c for c in clients if c.label.casefold() == wanted]
    return exact or [c for c in clients if wanted in c.label.casefold()]
