"""What a data export holds: which tables, which of their rows (a coach's, or a client's own),
and which columns never leave the database. Shared by the export and the import, so the two
cannot disagree on the format.

Secrets stay behind: password hashes, token hashes and the salts tokens are derived from,
Stripe keys. A table that is not exported is named in LEFT_OUT with the reason.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time
from enum import Enum

import sqlalchemy as sa

from webapp.models import (
    Booking,
    CalendarEntry,
    Client,
    CoachingSession,
    EntryMove,
    Invitation,
    LedgerEntry,
    Package,
    PlusOneEnrolment,
    Program,
    ProgramSubscription,
    SavedCard,
    SessionMove,
    User,
    WebhookEvent,
)

FORMAT = "ondeck-export"
VERSION = 1
DATA_FILE = "data.json"

# Columns never exported, beyond every *_hash, *_salt and *_sealed column: the running
# installation's own state, which a new one makes afresh.
KEPT_BACK = {
    "users": {"session_version"},
    "clients": {"feed_version", "feed_changed_at"},
}
SECRET_SUFFIXES = ("_hash", "_salt", "_sealed")

# Tables no export holds, and why.
LEFT_OUT = {
    "payment_accounts": "Stripe keys: secrets; connect Stripe again after moving",
    "password_resets": "single-use links: secrets, and short-lived",
    "email_changes": "single-use links: secrets, and short-lived",
    "signup_requests": "not yet an account",
    "outbox_messages": "mail queued or sent; reminders are scheduled again on import",
    "rate_limit_windows": "counters of the running installation",
    "data_versions": "the running installation's cache keys; a new one starts its own",
}

# Columns holding an id of another table without a foreign key.
PLAIN_REFERENCES = {
    ("bookings", "caused_by_session_id"): "coaching_sessions",
    ("bookings", "voided_cause_session_id"): "coaching_sessions",
}


# What an export says of a secret instead of the secret: a program's join link is new after an
# import, made only for the programs that had one.
STAND_INS = {"programs": ("join_link",)}


def stand_ins(table: sa.Table) -> list[sa.ColumnElement]:
    if table.name == "programs":
        return [table.c.join_salt.is_not(None).label("join_link")]
    return []


def exported_columns(table: sa.Table) -> list[sa.Column]:
    hidden = KEPT_BACK.get(table.name, set())
    return [
        column
        for column in table.columns
        if column.name not in hidden and not column.name.endswith(SECRET_SUFFIXES)
    ]


def referenced_table(table: sa.Table, column: sa.Column) -> str | None:
    """The table whose id this column holds, if any."""
    for key in column.foreign_keys:
        return key.column.table.name
    return PLAIN_REFERENCES.get((table.name, column.name))


def encoded(value: object) -> object:
    """A column's value as JSON: dates and times in ISO 8601 (UTC for instants)."""
    if isinstance(value, datetime | date | time):
        return value.isoformat()
    if isinstance(value, Enum):
        return value.value
    return value


@dataclass(frozen=True)
class Part:
    """One table of an export and the condition that picks its rows."""

    table: sa.Table
    where: sa.ColumnElement[bool]


def _programs_of(coach_id: int):
    return sa.select(Program.id).where(Program.coach_id == coach_id)


def _clients_of(coach_id: int):
    return sa.select(Client.id).where(Client.program_id.in_(_programs_of(coach_id)))


def coach_parts(coach_id: int) -> list[Part]:
    """Every row a coach owns, parents before children; users first (the coach and every
    person the other rows name)."""
    entries = sa.select(CalendarEntry.id).where(CalendarEntry.client_id.in_(_clients_of(coach_id)))
    sessions = sa.select(CoachingSession.id).where(CoachingSession.coach_id == coach_id)
    owned = [
        Part(Program.__table__, Program.coach_id == coach_id),
        Part(Client.__table__, Client.program_id.in_(_programs_of(coach_id))),
        Part(Invitation.__table__, Invitation.program_id.in_(_programs_of(coach_id))),
        Part(CalendarEntry.__table__, CalendarEntry.client_id.in_(_clients_of(coach_id))),
        Part(EntryMove.__table__, EntryMove.entry_id.in_(entries)),
        Part(Package.__table__, Package.coach_id == coach_id),
        Part(Booking.__table__, Booking.coach_id == coach_id),
        Part(CoachingSession.__table__, CoachingSession.coach_id == coach_id),
        Part(SessionMove.__table__, SessionMove.session_id.in_(sessions)),
        Part(PlusOneEnrolment.__table__, PlusOneEnrolment.coach_id == coach_id),
        Part(LedgerEntry.__table__, LedgerEntry.coach_id == coach_id),
        Part(SavedCard.__table__, SavedCard.coach_id == coach_id),
        Part(ProgramSubscription.__table__, ProgramSubscription.coach_id == coach_id),
        Part(WebhookEvent.__table__, WebhookEvent.coach_id == coach_id),
    ]
    people = [sa.select(sa.literal(coach_id))]
    for part in owned:
        for column in part.table.columns:
            if referenced_table(part.table, column) == "users":
                people.append(sa.select(column).where(part.where, column.is_not(None)))
    users = Part(User.__table__, User.id.in_(sa.union(*people)))
    return [users, *owned]


def client_parts(user_id: int, visible: sa.ColumnElement[bool]) -> list[Part]:
    """A client's own rows with every coach: their calendars (the entries `visible` picks,
    what they may see), training logs, bookings, sessions and payments, and the programs and
    packages those name."""
    booked = sa.select(Booking.package_id).where(
        Booking.client_user_id == user_id, Booking.package_id.is_not(None)
    )
    return [
        Part(User.__table__, User.id == user_id),
        Part(
            Program.__table__,
            Program.id.in_(sa.select(Client.program_id).where(Client.user_id == user_id)),
        ),
        Part(Client.__table__, Client.user_id == user_id),
        Part(CalendarEntry.__table__, visible),
        Part(Package.__table__, sa.or_(Package.id.in_(booked), Package.offered_to_id == user_id)),
        Part(Booking.__table__, Booking.client_user_id == user_id),
        Part(CoachingSession.__table__, CoachingSession.client_user_id == user_id),
        Part(PlusOneEnrolment.__table__, PlusOneEnrolment.client_user_id == user_id),
        Part(LedgerEntry.__table__, LedgerEntry.client_user_id == user_id),
        Part(SavedCard.__table__, SavedCard.client_user_id == user_id),
        Part(ProgramSubscription.__table__, ProgramSubscription.client_user_id == user_id),
    ]


def coaches_of(user_id: int):
    """The coaches a client's rows name: their names only."""
    coach_ids = sa.union(
        sa.select(Program.coach_id)
        .join(Client, Client.program_id == Program.id)
        .where(Client.user_id == user_id),
        sa.select(Booking.coach_id).where(Booking.client_user_id == user_id),
        sa.select(LedgerEntry.coach_id).where(LedgerEntry.client_user_id == user_id),
    )
    return sa.select(User.id, User.name).where(User.id.in_(coach_ids)).order_by(User.id)
