"""Helpers shared by the invite tests: a coach with a program, reading tokens from the outbox."""

from __future__ import annotations

import re

import sqlalchemy as sa

from tests.support.factories import make_coach, make_program
from webapp.extensions import db
from webapp.models import Client, Invitation, OutboxMessage, User

LINK = re.compile(r"https?://\S+/invitation/([A-Za-z0-9_-]+)")


def coach_with_program(app, email="coach@example.com", **program_options):
    with app.app_context():
        coach = make_coach(email=email, name="Casey Coach")
        program = make_program(coach, **program_options)
    return coach, program


def last_invitation_token(app, recipient: str) -> str:
    with app.app_context():
        body = db.session.scalars(
            sa.select(OutboxMessage.body)
            .where(OutboxMessage.recipient == recipient)
            .order_by(OutboxMessage.id.desc())
        ).first()
    assert body, f"no email to {recipient}"
    return LINK.search(body).group(1)


def clients_in(app, program_id: int) -> list[Client]:
    with app.app_context():
        return db.session.scalars(
            sa.select(Client).where(Client.program_id == program_id).order_by(Client.id)
        ).all()


def invitations(app) -> list[Invitation]:
    with app.app_context():
        return db.session.scalars(sa.select(Invitation).order_by(Invitation.id)).all()


def snapshot(app) -> dict:
    """Everything an invite step could write, to prove a refused step wrote nothing."""
    with app.app_context():
        rows = {}
        for model in (Client, Invitation, OutboxMessage):
            rows[model.__tablename__] = [
                {c.name: getattr(r, c.key) for c in model.__table__.columns}
                for r in db.session.scalars(sa.select(model).order_by(model.id))
            ]
        rows["users"] = db.session.scalars(sa.select(User.email).order_by(User.id)).all()
        return rows
