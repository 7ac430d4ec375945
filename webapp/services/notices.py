"""Change notices: one email telling a client what moved on the part of the calendar they see.

A change inside the client's horizon opens (or updates) the client's one waiting notice, an
outbox row due a few minutes after the latest change, so a holiday shift of ten entries, or
a session moved twice, is one email. Its text is written from the move logs (entry_moves,
session_moves) each time it is updated; when the relay claims it, the next change opens a
new one. A change outside the horizon sends nothing: the client cannot see that day yet.
"""

from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from flask import render_template
from sqlalchemy.exc import IntegrityError

from webapp.extensions import db
from webapp.models import (
    CalendarEntry,
    Client,
    EntryMove,
    OutboxMessage,
    Program,
    SessionMove,
    User,
)
from webapp.rules.dates import today_in, zone
from webapp.rules.invites import State
from webapp.rules.mail import mailbox
from webapp.rules.reminders import (
    Change,
    MailKind,
    Move,
    change_is_visible,
    net_changes,
    notice_due,
)
from webapp.services.outbox import queue_email
from webapp.services.reminder_mail import public_link

SUBJECT = "Changes to your calendar"


def log_session_move(
    session_id: int,
    calendar_client_id: int,
    before: datetime | None,
    after: datetime | None,
    *,
    mover_id: int | None,
    now: datetime,
) -> None:
    """Log a placed session's move (or its leaving the calendar) and tell its client."""
    if before == after:
        return
    db.session.add(
        SessionMove(
            session_id=session_id,
            calendar_client_id=calendar_client_id,
            moved_by_id=mover_id,
            moved_at=now,
            from_at=before,
            to_at=after,
        )
    )
    client = db.session.get(Client, calendar_client_id)
    if client is not None:
        note_changes(client, [before, after], now)


def note_changes(
    client: Client, moved: list[date | datetime | None], now: datetime
) -> OutboxMessage | None:
    """After moves were logged: open or update the client's notice, if they can see any of
    the days `moved` touches (dates, or session times)."""
    person = db.session.get(User, client.user_id) if client.user_id else None
    if person is None or client.state != State.ACTIVE:
        return None
    today = today_in(now, person.time_zone)
    if not _visible(client, moved, today, person.time_zone):
        return None
    db.session.flush()  # the caller's move logs, read below
    notice = _open_notice(client, person)
    notice.next_attempt_at = notice_due(now)
    changes = [
        change
        for change in net_changes(_moves_since(client, notice.created_at))
        if _visible(client, [change.before, change.after], today, person.time_zone)
    ]
    if not changes:
        notice.skipped_at, notice.skip_reason, notice.dedupe_key = now, "nothing changed", None
        return None
    context = {
        "client": person,
        "lines": [_line(change, person.time_zone) for change in changes],
        "calendar": public_link("calendar.my_calendar", client_id=client.id),
    }
    notice.body = render_template("emails/change_notice.txt", **context)
    notice.html_body = render_template("emails/change_notice.html", subject=SUBJECT, **context)
    return notice


def _open_notice(client: Client, person: User) -> OutboxMessage:
    """The client's waiting notice, made once even when two changes come at the same time."""
    key = f"notice:{client.id}"
    # Locked: of two changes at once, the second reads the first's moves once it commits.
    open_one = sa.select(OutboxMessage).where(OutboxMessage.dedupe_key == key).with_for_update()
    found = db.session.scalar(open_one)
    if found is not None:
        return found
    coach = db.session.execute(
        sa.select(User.name, User.email)
        .join(Program, Program.coach_id == User.id)
        .join(Client, Client.program_id == Program.id)
        .where(Client.id == client.id)
    ).first()
    try:
        with db.session.begin_nested():
            notice = queue_email(person.email, SUBJECT, "")
            notice.kind, notice.dedupe_key = MailKind.NOTICE, key
            if coach is not None:
                notice.reply_to = mailbox(coach.name, coach.email)
            db.session.flush()
            return notice
    except IntegrityError:
        # Another request opened it first and has committed: add to that one.
        found = db.session.scalar(open_one)
        assert found is not None
        return found


def _moves_since(client: Client, since: datetime) -> list[Move]:
    entries = db.session.execute(
        sa.select(EntryMove, CalendarEntry.title, CalendarEntry.at_time)
        .join(CalendarEntry, CalendarEntry.id == EntryMove.entry_id)
        .where(CalendarEntry.client_id == client.id, EntryMove.moved_at >= since)
        .order_by(EntryMove.id)
    ).all()
    moves = [
        Move(
            f"entry-{move.entry_id}",
            title + (f" ({at_time:%H:%M})" if at_time else ""),
            move.from_date,
            move.to_date,
            move.moved_at,
        )
        for move, title, at_time in entries
    ]
    sessions = db.session.scalars(
        sa.select(SessionMove)
        .where(SessionMove.calendar_client_id == client.id, SessionMove.moved_at >= since)
        .order_by(SessionMove.id)
    )
    moves += [
        Move(f"session-{m.session_id}", "Coaching session", m.from_at, m.to_at, m.moved_at)
        for m in sessions
    ]
    return moves


def _day(value: date | datetime | None, time_zone: str | None) -> date | None:
    if isinstance(value, datetime):
        return value.astimezone(zone(time_zone)).date()
    return value


def _visible(
    client: Client, moved: list[date | datetime | None], today: date, time_zone: str | None
) -> bool:
    return change_is_visible(
        [_day(value, time_zone) for value in moved],
        start=client.start_date,
        today=today,
        horizon_days=client.horizon_days,
    )


def _when(value: date | datetime | None, time_zone: str | None) -> str:
    if value is None:
        return "not on your calendar"
    if isinstance(value, datetime):
        local = value.astimezone(zone(time_zone))
        return f"{local:%A} {local.day} {local:%B %Y}, {local:%H:%M}"
    return f"{value:%A} {value.day} {value:%B %Y}"


def _line(change: Change, time_zone: str | None) -> str:
    before, after = _when(change.before, time_zone), _when(change.after, time_zone)
    if change.after is None:
        return f"{change.title}: {before}, now taken off your calendar"
    if change.before is None:
        return f"{change.title}: now {after}"
    return f"{change.title}: {before} → now {after}"
