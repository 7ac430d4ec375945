"""Each client's next remaining session with the coach, for "Mark next complete" on a list."""

from __future__ import annotations

from collections.abc import Iterable

import sqlalchemy as sa

from webapp.extensions import db
from webapp.models import CoachingSession
from webapp.rules.plusone import SessionStatus


def next_sessions(coach_id: int, person_ids: Iterable[int | None]) -> dict[int, CoachingSession]:
    """By person, their first remaining session with the coach (placed ones first, by when,
    then unplaced ones in booking order), in one query for any number of people."""
    wanted = sorted({p for p in person_ids if p is not None})
    if not wanted:
        return {}
    rows = db.session.scalars(
        sa.select(CoachingSession)
        .where(
            CoachingSession.coach_id == coach_id,
            CoachingSession.client_user_id.in_(wanted),
            CoachingSession.status == SessionStatus.REMAINING,
        )
        .order_by(
            CoachingSession.client_user_id,
            CoachingSession.scheduled_at.is_(None),
            CoachingSession.scheduled_at,
            CoachingSession.id,
        )
    )
    found: dict[int, CoachingSession] = {}
    for session in rows:
        found.setdefault(session.client_user_id, session)
    return found
