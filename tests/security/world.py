"""Two coaches, each with a program and an active client, for route-by-role checks."""

from __future__ import annotations

from dataclasses import dataclass, field

from tests.support.factories import make_client, make_client_user, make_coach, make_program
from webapp.extensions import db

ROLES = ("anonymous", "client_a", "client_b", "coach_x", "coach_y")


@dataclass
class World:
    """Ids of coach X's objects (the ones every URL points at) and who can log in."""

    emails: dict[str, str]
    ids: dict[str, int] = field(default_factory=dict)
    tokens: dict[str, str] = field(default_factory=dict)


def build_world(app) -> World:
    with app.app_context():
        coach_x = make_coach(email="x@example.com", name="Coach X")
        coach_y = make_coach(email="y@example.com", name="Coach Y")
        user_a = make_client_user(email="a@example.com", name="Client A")
        user_b = make_client_user(email="b@example.com", name="Client B")
        program_x = make_program(coach_x, name="X Program")
        program_y = make_program(coach_y, name="Y Program")
        client_a = make_client(program_x, user=user_a)
        make_client(program_y, user=user_b)
        world = World(
            emails={
                "client_a": user_a.email,
                "client_b": user_b.email,
                "coach_x": coach_x.email,
                "coach_y": coach_y.email,
            },
            ids={
                "program_id": program_x.id,
                "other_program_id": program_y.id,
                "client_id": client_a.id,
                "coach_id": coach_x.id,
            },
        )
        db.session.remove()
    return world
