"""Planning the coach's morning agenda: one outbox row per coach and day, unique by its key,
due at 07:00 in the coach's time zone. The relay plans before each round, so the next
morning's row exists without any other process; the agenda itself is composed when due
(webapp.services.agenda_mail)."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError

from webapp.extensions import db
from webapp.models import OutboxMessage, User
from webapp.rules.reminders import MailKind, next_agenda
from webapp.rules.roles import Role
from webapp.services.outbox import queue_email


def agenda_key(coach_id: int, day) -> str:
    return f"agenda:{coach_id}:{day.isoformat()}"


def plan_agendas(now: datetime, coach: User | None = None) -> int:
    """Make the next agenda row of every coach who wants one (or of `coach`); how many made.
    Safe to run from several relays at once: a key already taken is left alone."""
    query = sa.select(User.id, User.time_zone).where(
        User.role == Role.COACH, User.agenda_email.is_(True)
    )
    if coach is not None:
        query = query.where(User.id == coach.id)
    wanted = {}
    for coach_id, time_zone in db.session.execute(query):
        day, due = next_agenda(now, time_zone)
        wanted[agenda_key(coach_id, day)] = due
    if not wanted:
        return 0
    taken = set(
        db.session.scalars(
            sa.select(OutboxMessage.dedupe_key).where(OutboxMessage.dedupe_key.in_(list(wanted)))
        )
    )
    made = 0
    for key, due in wanted.items():
        if key in taken:
            continue
        try:
            with db.session.begin_nested():
                row = queue_email("", "Your agenda", "Composed when it is sent.", not_before=due)
                row.kind, row.dedupe_key = MailKind.AGENDA, key
                db.session.flush()
            made += 1
        except IntegrityError:
            pass  # another relay planned it a moment ago
    return made


def cancel_agendas(coach: User, now: datetime) -> None:
    """The coach turned the agenda off: the planned one is not sent."""
    db.session.execute(
        sa.update(OutboxMessage)
        .where(
            OutboxMessage.kind == MailKind.AGENDA,
            OutboxMessage.dedupe_key.like(f"agenda:{coach.id}:%"),
            OutboxMessage.sent_at.is_(None),
            OutboxMessage.skipped_at.is_(None),
        )
        .values(skipped_at=now, skip_reason="cancelled: the coach turned the agenda off")
    )
