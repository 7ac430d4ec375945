"""Reading calendars: a bounded date range per query, never one query per day or entry."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.orm import aliased

from webapp import zones
from webapp.extensions import db
from webapp.models import CalendarEntry, Client, EntryMove, Program, User
from webapp.rules.calendar import (
    WeekDay,
    client_today,
    last_visible_date,
    needs_training,
    needs_training_window,
    week_day,
)

# Time zones span UTC-12 to UTC+14: every client's today lies within a day of the UTC date.
_EARLIEST_OFFSET = timedelta(hours=-12)
_LATEST_OFFSET = timedelta(hours=14)


@dataclass(frozen=True)
class Day:
    """One date of a calendar as a page shows it."""

    on: date
    label: WeekDay | None
    entries: list[CalendarEntry]
    is_today: bool


def time_zone_of(client: Client) -> str:
    """The client's own time zone; before they accept, their coach's."""
    known = zones.remembered(client.id)
    if known is not None:
        return known
    coach = aliased(User)
    query = (
        sa.select(sa.func.coalesce(User.time_zone, coach.time_zone))
        .select_from(Client)
        .join(Program, Program.id == Client.program_id)
        .join(coach, coach.id == Program.coach_id)
        .outerjoin(User, User.id == Client.user_id)
        .where(Client.id == client.id)
    )
    zones.remember(client.id, db.session.scalar(query))
    return zones.remembered(client.id)


def entries_between(client_id: int, first: date, last: date | None) -> list[CalendarEntry]:
    """Entries of one calendar from `first` to `last` (inclusive; None: no end), in day order."""
    query = sa.select(CalendarEntry).where(
        CalendarEntry.client_id == client_id, CalendarEntry.on_date >= first
    )
    if last is not None:
        query = query.where(CalendarEntry.on_date <= last)
    order = (CalendarEntry.on_date, CalendarEntry.position, CalendarEntry.id)
    return list(db.session.scalars(query.order_by(*order)))


def entries_on(client_id: int, on: date) -> list[CalendarEntry]:
    return entries_between(client_id, on, on)


def visible_range(client: Client, today: date) -> tuple[date, date | None]:
    """What a client may see: from their start date up to today + horizon (None: no end)."""
    return client.start_date, last_visible_date(today, client.horizon_days)


def visible_entries_between(
    client: Client, today: date, first: date, last: date | None
) -> list[CalendarEntry]:
    """Entries a client asked for, clipped in the query to what they may see."""
    start, last_visible = visible_range(client, today)
    first = max(first, start)
    if last_visible is not None:
        last = last_visible if last is None else min(last, last_visible)
    if last is not None and last < first:
        return []
    return entries_between(client.id, first, last)


def moves_for(entry_ids: list[int]) -> dict[int, list[tuple[EntryMove, str]]]:
    """Each entry's moves, newest first, with the name of who moved it: one query."""
    if not entry_ids:
        return {}
    rows = db.session.execute(
        sa.select(EntryMove, User.name)
        .join(User, User.id == EntryMove.moved_by_id)
        .where(EntryMove.entry_id.in_(entry_ids))
        .order_by(EntryMove.moved_at.desc(), EntryMove.id.desc())
    ).all()
    moves: dict[int, list[tuple[EntryMove, str]]] = defaultdict(list)
    for move, name in rows:
        moves[move.entry_id].append((move, name))
    return moves


def days(client: Client, dates: list[date], entries: list[CalendarEntry], today: date) -> list[Day]:
    by_date: dict[date, list[CalendarEntry]] = defaultdict(list)
    for entry in entries:
        by_date[entry.on_date].append(entry)
    return [
        Day(on, week_day(on, client.start_date), by_date.get(on, []), on == today) for on in dates
    ]


def needs_training_ids(clients: list[Client], now: datetime) -> set[int]:
    """Ids of the clients whose written days ahead are fewer than their horizon.

    One query for any number of clients: it fetches, per client, the distinct dates with
    entries in a window wide enough for every time zone, with the client's time zone
    (their coach's before they accept); each client's own window is then applied here.
    """
    if not clients:
        return set()
    earliest_today = (now + _EARLIEST_OFFSET).date()
    latest_today = (now + _LATEST_OFFSET).date()
    widest = max(needs_training_window(latest_today, c.horizon_days)[1] for c in clients)
    coach = aliased(User)
    rows = db.session.execute(
        sa.select(
            Client.id, sa.func.coalesce(User.time_zone, coach.time_zone), CalendarEntry.on_date
        )
        .select_from(Client)
        .join(Program, Program.id == Client.program_id)
        .join(coach, coach.id == Program.coach_id)
        .outerjoin(User, User.id == Client.user_id)
        .outerjoin(
            CalendarEntry,
            sa.and_(
                CalendarEntry.client_id == Client.id,
                CalendarEntry.on_date > earliest_today,
                CalendarEntry.on_date <= widest,
            ),
        )
        .where(Client.id.in_([c.id for c in clients]))
        .group_by(Client.id, User.time_zone, coach.time_zone, CalendarEntry.on_date)
    ).all()
    zones: dict[int, str] = {}
    written: dict[int, set[date]] = defaultdict(set)
    for client_id, tz, on in rows:
        zones[client_id] = tz
        if on is not None:
            written[client_id].add(on)
    flagged = set()
    for client in clients:
        today = client_today(now, zones.get(client.id))
        first, last = needs_training_window(today, client.horizon_days)
        ahead = sum(1 for on in written[client.id] if first <= on <= last)
        if needs_training(ahead, client.horizon_days):
            flagged.add(client.id)
    return flagged
