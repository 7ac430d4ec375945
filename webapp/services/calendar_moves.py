"""Moves the coach makes from where they are: putting a logged move or shift back (Undo),
shifting placed coaching sessions with the training, and clearing a week before a paste."""

from __future__ import annotations

from datetime import date, datetime
from typing import NamedTuple

import sqlalchemy as sa

from webapp.extensions import db
from webapp.models import CalendarEntry, Client, CoachingSession, EntryMove
from webapp.rules.calendar import shifted_moment, week_dates
from webapp.rules.plusone import SessionStatus, local_slot
from webapp.services.calendar_edits import move_entry
from webapp.services.calendar_reads import entries_between
from webapp.services.placing import place_session


class SessionMove(NamedTuple):
    session_id: int
    was: datetime
    now: datetime

    def token(self) -> str:
        """What an Undo form carries: the session, and where it was moved from and to."""
        return f"{self.session_id}@{self.was.isoformat()}@{self.now.isoformat()}"


def shift_sessions(
    client: Client, start: date, days: int, time_zone: str, *, mover_id: int, now: datetime
) -> list[SessionMove]:
    """Move the remaining coaching sessions placed on this calendar from `start` (the client's
    local date) on by `days`, at the same local time; their reminders follow and the client's
    change notice lists them, as when one session is moved."""
    first = local_slot(start, datetime.min.time(), time_zone)
    sessions = db.session.scalars(
        sa.select(CoachingSession).where(
            CoachingSession.calendar_client_id == client.id,
            CoachingSession.status == SessionStatus.REMAINING,
            CoachingSession.scheduled_at >= first,
        )
    ).all()
    moves = []
    for session in sessions:
        was = session.scheduled_at
        assert was is not None  # filtered above
        to = shifted_moment(was, days, time_zone)
        place_session(session, client, to, now=now, mover_id=mover_id)
        moves.append(SessionMove(session.id, was, to))
    return moves


def parse_session_moves(tokens: list[str]) -> list[SessionMove]:
    moves = []
    for token in tokens:
        try:
            session_id, was, now = token.split("@")
            moves.append(
                SessionMove(
                    int(session_id), datetime.fromisoformat(was), datetime.fromisoformat(now)
                )
            )
        except ValueError:
            continue  # not one this app wrote: nothing to put back
    return moves


def undo_moves(
    client: Client,
    move_id: int | None,
    sessions: list[SessionMove],
    *,
    mover_id: int,
    now: datetime,
) -> int | None:
    """Put back the entries of one logged move, or of the whole shift it was part of (one
    mover, one moment), and the sessions that shift moved. Each goes back only if it is still
    where the move left it, so a second Undo (a double click, a retry) changes nothing.
    Returns how many were put back, or None when the move is not one of this calendar's."""
    back = 0
    if move_id is not None:
        first = db.session.execute(
            sa.select(EntryMove)
            .join(CalendarEntry, CalendarEntry.id == EntryMove.entry_id)
            .where(EntryMove.id == move_id, CalendarEntry.client_id == client.id)
        ).scalar_one_or_none()
        if first is None:
            return None
        batch = db.session.execute(
            sa.select(EntryMove, CalendarEntry)
            .join(CalendarEntry, CalendarEntry.id == EntryMove.entry_id)
            .where(
                CalendarEntry.client_id == client.id,
                EntryMove.moved_by_id == first.moved_by_id,
                EntryMove.moved_at == first.moved_at,
            )
            .order_by(EntryMove.id)
        ).all()
        for move, entry in batch:
            if entry.on_date == move.to_date:
                back += move_entry(entry, move.from_date, mover_id=mover_id, now=now)
    return back + _sessions_back(client, sessions, mover_id=mover_id, now=now)


def _sessions_back(
    client: Client, moves: list[SessionMove], *, mover_id: int, now: datetime
) -> int:
    if not moves:
        return 0
    by_id = {m.session_id: m for m in moves}
    back = 0
    for session in db.session.scalars(
        sa.select(CoachingSession).where(
            CoachingSession.id.in_(list(by_id)), CoachingSession.calendar_client_id == client.id
        )
    ):
        move = by_id[session.id]
        if session.status == SessionStatus.REMAINING and session.scheduled_at == move.now:
            place_session(session, client, move.was, now=now, mover_id=mover_id)
            back += 1
    return back


def batch_move_id(client: Client, mover_id: int, at: datetime) -> int | None:
    """The first logged move of a shift made at `at`: what its Undo names."""
    return db.session.scalar(
        sa.select(sa.func.min(EntryMove.id))
        .join(CalendarEntry, CalendarEntry.id == EntryMove.entry_id)
        .where(
            CalendarEntry.client_id == client.id,
            EntryMove.moved_by_id == mover_id,
            EntryMove.moved_at == at,
        )
    )


def clear_week(client: Client, week: int) -> int:
    """Delete the entries of one week of this calendar (a paste that replaces it), as the
    coach's Delete does, so what hangs off each entry goes with it."""
    dates = week_dates(client.start_date, week)
    entries = entries_between(client.id, dates[0], dates[-1])
    for entry in entries:
        db.session.delete(entry)
    db.session.flush()
    return len(entries)
