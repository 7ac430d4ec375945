"""What an erasure would remove and keep, counted for the page that asks to confirm it."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

import sqlalchemy as sa

from webapp.extensions import db
from webapp.models import (
    Booking,
    CalendarEntry,
    Client,
    CoachingSession,
    Invitation,
    LedgerEntry,
    OutboxMessage,
    Program,
    User,
)
from webapp.rules.erasure import account_goes
from webapp.rules.invites import State
from webapp.services.erasure import (
    active_clients,
    coach_rows_of,
    keep_until,
    memberships_elsewhere,
)
from webapp.services.erasure_rows import addresses_of
from webapp.services.erasure_stripe import live_subscriptions


@dataclass(frozen=True)
class Plan:
    name: str
    email: str
    programs: list[str]
    entries: int
    invitations: int
    mail_waiting: int
    mail_sent: int
    feed: bool
    subscription: bool
    bookings: int
    sessions: int
    ledger_rows: int
    account_goes: bool
    keep_until: date
    done: bool


def _count(model, *where) -> int:
    return int(db.session.scalar(sa.select(sa.func.count(model.id)).where(*where)) or 0)


def client_plan(coach_id: int, client: Client, now: datetime) -> Plan:
    rows = coach_rows_of(coach_id, client)
    ids = [row.id for row in rows]
    person_id = client.user_id or -1
    emails = addresses_of(db.session.get(User, client.user_id) if client.user_id else None, rows)
    to_them = sa.func.lower(OutboxMessage.recipient).in_(emails)
    mine = sa.select(Program.id).where(Program.coach_id == coach_id)

    def theirs(model) -> int:
        return _count(model, model.coach_id == coach_id, model.client_user_id == person_id)

    programs = sa.select(Program.name).where(Program.id.in_({row.program_id for row in rows}))
    return Plan(
        name=client.name,
        email=client.email,
        programs=sorted(db.session.scalars(programs)),
        entries=_count(CalendarEntry, CalendarEntry.client_id.in_(ids)),
        invitations=_count(
            Invitation,
            sa.or_(
                Invitation.client_id.in_(ids),
                Invitation.program_id.in_(mine) & sa.func.lower(Invitation.email).in_(emails),
            ),
        ),
        mail_waiting=_count(OutboxMessage, to_them, OutboxMessage.sent_at.is_(None)),
        mail_sent=_count(OutboxMessage, to_them, OutboxMessage.sent_at.is_not(None)),
        feed=any(row.feed_token_hash for row in rows),
        subscription=bool(live_subscriptions(ids)),
        bookings=theirs(Booking),
        sessions=theirs(CoachingSession),
        ledger_rows=theirs(LedgerEntry),
        account_goes=client.user_id is None
        or account_goes(memberships_elsewhere(client.user_id, coach_id)),
        keep_until=keep_until(now),
        done=all(row.erased_at for row in rows),
    )


@dataclass(frozen=True)
class Closing:
    active: int
    pending: int
    programs: int
    keep_until: date


def closing_plan(coach_id: int, now: datetime) -> Closing:
    mine = sa.select(Program.id).where(Program.coach_id == coach_id)
    return Closing(
        active=active_clients(coach_id),
        pending=_count(Client, Client.program_id.in_(mine), Client.state == State.PENDING),
        programs=_count(Program, Program.coach_id == coach_id),
        keep_until=keep_until(now),
    )
