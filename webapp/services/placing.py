"""Placing, moving and taking sessions off a calendar: their reminders follow in the same
transaction, and a change the client can see is logged and noticed."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa

from webapp.extensions import db
from webapp.models import Client, CoachingSession
from webapp.rules import plusone
from webapp.rules.plusone import SessionStatus
from webapp.services.notices import log_session_move
from webapp.services.reminders import schedule


def place_session(
    session: CoachingSession,
    calendar: Client | None,
    scheduled_at: datetime | None,
    *,
    now: datetime,
    mover_id: int | None = None,
) -> None:
    """Place, move or (with None) unplace a remaining session; its reminders follow it and a
    move its client can see is noticed, in this same transaction."""
    if session.status != SessionStatus.REMAINING:
        raise plusone.PlusOneError("Only a remaining session can be placed.")
    before, was_on = session.scheduled_at, session.calendar_client_id
    session.calendar_client_id = calendar.id if calendar is not None else None
    session.scheduled_at = scheduled_at if calendar is not None else None
    schedule(session, now)
    if was_on is not None and before is not None:
        log_session_move(
            session.id, was_on, before, session.scheduled_at, mover_id=mover_id, now=now
        )


def voided_off_calendar(booking_id: int, now: datetime) -> None:
    """A voided session's reminders are cancelled, and its client told it left the calendar."""
    for gone in db.session.scalars(
        sa.select(CoachingSession)
        .where(CoachingSession.booking_id == booking_id)
        .execution_options(populate_existing=True)
    ):
        schedule(gone, now)
        if gone.calendar_client_id is not None and gone.scheduled_at is not None:
            log_session_move(
                gone.id, gone.calendar_client_id, gone.scheduled_at, None, mover_id=None, now=now
            )
