"""Session reminders as outbox rows: made, moved or cancelled in the same transaction as the
change to their session, so a reminder is never sent for a time the session no longer has.

Each reminder row is unique by (session, offset, start): moving a session moves its unsent
rows to the new time; a reminder already sent stays sent and is never made again for that
start. The relay composes a reminder when it falls due (webapp.services.reminder_mail).
"""

from __future__ import annotations

from datetime import datetime
from functools import cache

import sqlalchemy as sa

from webapp.extensions import db
from webapp.models import CoachingSession, OutboxMessage, User
from webapp.rules.plusone import SessionStatus
from webapp.rules.reminders import MailKind, due_times, stored_offsets
from webapp.services import tokens
from webapp.services.agenda import cancel_agendas, plan_agendas
from webapp.services.outbox import queue_email

PLACEHOLDER = "Composed when it is sent."


def reminder_key(session_id: int, offset: int, starts: datetime) -> str:
    return f"reminder:{session_id}:{offset}:{int(starts.timestamp())}"


@cache
def _rows_query() -> sa.Select:
    return (
        sa.select(OutboxMessage)
        .where(
            OutboxMessage.kind == MailKind.REMINDER,
            OutboxMessage.session_id == sa.bindparam("session_id"),
        )
        .order_by(OutboxMessage.id)
    )


def _rows_of(session_id: int) -> list[OutboxMessage]:
    return list(db.session.scalars(_rows_query(), {"session_id": session_id}))


def _waiting(row: OutboxMessage) -> bool:
    return row.sent_at is None and row.failed_at is None and row.skipped_at is None


def cancel(row: OutboxMessage, now: datetime, reason: str) -> None:
    """Never sent: its key is released, so the same time may be scheduled again later."""
    row.skipped_at, row.skip_reason, row.dedupe_key = now, reason, None


def schedule(session: CoachingSession, now: datetime, *, offsets: tuple[int, ...] | None = None):
    """Make the session's waiting reminders match it: one per offset still ahead of `now` for
    a remaining, placed session; none otherwise. Call with the session row locked."""
    if offsets is None:
        coach = db.session.get(User, session.coach_id)
        offsets = stored_offsets(coach.reminder_offsets if coach else None)
    rows = _rows_of(session.id)
    wanted: dict[int, datetime] = {}
    starts = session.scheduled_at
    if session.status == SessionStatus.REMAINING and starts is not None:
        time_zone = db.session.scalar(
            sa.select(User.time_zone).where(User.id == session.client_user_id)
        )
        wanted = due_times(starts, offsets, now, time_zone)
    taken = {row.dedupe_key for row in rows if not _waiting(row)}
    for row in rows:
        if not _waiting(row):
            continue
        offset = row.offset_minutes
        if offset not in wanted or starts is None:
            cancel(row, now, "cancelled: the session changed")
            continue
        key = reminder_key(session.id, offset, starts)
        if key in taken:  # sent for this very start already (moved away and back)
            cancel(row, now, "cancelled: already sent for this time")
        else:
            row.dedupe_key, row.next_attempt_at = key, wanted[offset]
            taken.add(key)
        del wanted[offset]
    assert starts is not None or not wanted
    for offset, due in wanted.items():
        key = reminder_key(session.id, offset, starts)  # type: ignore[arg-type]
        if key in taken:
            continue
        row = queue_email("", "Session reminder", PLACEHOLDER)
        row.kind, row.dedupe_key, row.session_id = MailKind.REMINDER, key, session.id
        row.offset_minutes, row.next_attempt_at = offset, due


def reschedule(now: datetime, *, coach: User | None = None, client: User | None = None) -> int:
    """After a coach changes their reminder times, or a client their time zone: every remaining
    placed session ahead of theirs follows. Returns how many sessions were looked at."""
    query = sa.select(CoachingSession).where(
        CoachingSession.status == SessionStatus.REMAINING, CoachingSession.scheduled_at > now
    )
    if coach is not None:
        query = query.where(CoachingSession.coach_id == coach.id)
    if client is not None:
        query = query.where(CoachingSession.client_user_id == client.id)
    sessions = db.session.scalars(query.with_for_update()).all()
    for session in sessions:
        schedule(session, now)
    return len(sessions)


def set_coach_reminders(coach: User, offsets: tuple[int, ...], agenda: bool, now: datetime):
    """The coach's reminder times (already checked by the rules) and their agenda choice;
    reminders still to come follow the new times at once."""
    coach.reminder_offsets = ",".join(str(offset) for offset in offsets)
    coach.agenda_email = agenda
    reschedule(now, coach=coach)
    if agenda:
        plan_agendas(now, coach)
    else:
        cancel_agendas(coach, now)


def unsubscriber(token: str) -> User | None:
    """The client whose one-click unsubscribe link this is, or None."""
    if not tokens.looks_like_token(token):
        return None
    return db.session.scalar(
        sa.select(User).where(User.unsubscribe_token_hash == tokens.hash_token(token))
    )
