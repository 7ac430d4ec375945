"""Reading calendars: a bounded date range per query, never one query per day or entry."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import cache
from typing import Protocol

import sqlalchemy as sa
from sqlalchemy.orm import aliased

from webapp.extensions import db
from webapp.models import CalendarEntry, Client, EntryMove, Program, User
from webapp.rules.calendar import (
    WeekDay,
    is_beyond_horizon,
    last_visible_date,
    needs_training,
    needs_training_window,
    week_day,
)
from webapp.rules.dates import today_in
from webapp.services import zones

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
    beyond_horizon: bool  # the client cannot see this day yet


def time_zone_of(client: Client) -> str:
    """The client's own time zone; before they accept, their coach's."""
    if zones.remembered(client.id) is None:
        _remember_time_zones([client])
    return zones.remembered(client.id) or "UTC"  # remembered just above if it was not


def client_today(client: Client, now: datetime) -> date:
    """The date it is at `now` on this client's calendar."""
    return today_in(now, time_zone_of(client))


def entries_between(client_id: int, first: date, last: date | None) -> list[CalendarEntry]:
    """Entries of one calendar from `first` to `last` (inclusive; None: no end), in day order."""
    query = sa.select(CalendarEntry).where(
        CalendarEntry.client_id == client_id, CalendarEntry.on_date >= first
    )
    if last is not None:
        query = query.where(CalendarEntry.on_date <= last)
    order = (CalendarEntry.on_date, CalendarEntry.position, CalendarEntry.id)
    return list(db.session.scalars(query.order_by(*order)))


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


Moves = dict[int, list[tuple[EntryMove, str]]]

# Built once, bound per request: building a statement and its cache key costs more than
# PostgreSQL takes to run this one.
_ENTRIES_AND_MOVES = (
    sa.select(CalendarEntry, EntryMove, User.name)
    .outerjoin(EntryMove, EntryMove.entry_id == CalendarEntry.id)
    .outerjoin(User, User.id == EntryMove.moved_by_id)
    .where(
        CalendarEntry.client_id == sa.bindparam("client_id"),
        CalendarEntry.on_date >= sa.bindparam("first"),
        CalendarEntry.on_date <= sa.bindparam("last"),
    )
    .order_by(
        CalendarEntry.on_date,
        CalendarEntry.position,
        CalendarEntry.id,
        EntryMove.moved_at.desc(),
        EntryMove.id.desc(),
    )
)


def entries_and_moves_between(
    client_id: int, first: date, last: date
) -> tuple[list[CalendarEntry], Moves]:
    """The coach's view of a date range: its entries in day order and each entry's moves,
    newest first, with the name of who moved it, in one query (an entry is rarely moved)."""
    rows = db.session.execute(
        _ENTRIES_AND_MOVES, {"client_id": client_id, "first": first, "last": last}
    ).all()
    entries: dict[int, CalendarEntry] = {}
    moves: Moves = defaultdict(list)
    for entry, move, name in rows:
        entries.setdefault(entry.id, entry)
        if move is not None:
            moves[entry.id].append((move, name))
    return list(entries.values()), moves


_MOVES_OF_ENTRY = (
    sa.select(EntryMove, User.name)
    .outerjoin(User, User.id == EntryMove.moved_by_id)
    .where(EntryMove.entry_id == sa.bindparam("entry_id"))
    .order_by(EntryMove.moved_at.desc(), EntryMove.id.desc())
)


def moves_of(entry_id: int) -> Moves:
    """One entry's moves as `entries_and_moves_between` gives them, for drawing it alone."""
    rows = db.session.execute(_MOVES_OF_ENTRY, {"entry_id": entry_id}).all()
    return {entry_id: [(move, name) for move, name in rows]}


def days(client: Client, dates: list[date], entries: list[CalendarEntry], today: date) -> list[Day]:
    by_date: dict[date, list[CalendarEntry]] = defaultdict(list)
    for entry in entries:
        by_date[entry.on_date].append(entry)
    return [
        Day(
            on,
            week_day(on, client.start_date),
            by_date.get(on, []),
            is_today=on == today,
            beyond_horizon=is_beyond_horizon(on, today=today, horizon_days=client.horizon_days),
        )
        for on in dates
    ]


class ClientHorizon(Protocol):
    """A client's id and horizon: a Client, or a plain row of those columns."""

    id: int
    horizon_days: int | None


def needs_training_ids(clients: Sequence[ClientHorizon], now: datetime) -> set[int]:
    """Ids of the clients whose written days ahead are fewer than their horizon.

    At most two queries for any number of clients: their time zones, unless their loader
    already read them, and one row per client with written days. A client's today is one of two
    or three dates whatever their time zone, so the query counts the written days in the window
    of each such date; each client's own today then picks its count here.
    """
    if not clients:
        return set()
    known = zones.all_remembered()
    _remember_time_zones([c for c in clients if c.id not in known])
    time_zones = zones.all_remembered()
    first_today = (now + _EARLIEST_OFFSET).date()
    todays = [
        first_today + timedelta(days=n)
        for n in range(((now + _LATEST_OFFSET).date() - first_today).days + 1)
    ]
    by_horizon: dict[int | None, list[int]] = defaultdict(list)
    for client in clients:
        by_horizon[client.horizon_days].append(client.id)
    horizons = list(by_horizon)
    params: dict = {"client_ids": [c.id for c in clients], "after": first_today}
    for i, h in enumerate(horizons):
        if len(horizons) > 1:
            params[f"ids_{i}"] = by_horizon[h]
        for n, today in enumerate(todays):
            params[f"from_{n}_{i}"], params[f"to_{n}_{i}"] = needs_training_window(today, h)
    params["widest"] = max(value for key, value in params.items() if key.startswith("to_"))
    rows = db.session.execute(_written_days_query(len(todays), len(horizons)), params).all()
    written = {row[0]: row[1:] for row in rows}
    flagged = set()
    for client in clients:
        today = today_in(now, time_zones.get(client.id))
        ahead = written[client.id][todays.index(today)] if client.id in written else 0
        if needs_training(ahead, client.horizon_days):
            flagged.add(client.id)
    return flagged


@cache
def _written_days_query(todays: int, horizons: int) -> sa.Select:
    """Per client, the written days in the window of each candidate today (`from_<n>_<i>` to
    `to_<n>_<i>` for today n and horizon i); with several horizons, `ids_<i>` are the clients
    of horizon i.

    Built once per shape and bound per request: building this statement and its cache key
    costs more than PostgreSQL takes to run it.
    """

    def written_if_today_is(n: int):
        def of_horizon(i: int):
            in_window = CalendarEntry.on_date.between(
                sa.bindparam(f"from_{n}_{i}"), sa.bindparam(f"to_{n}_{i}")
            )
            # One horizon for everyone (the usual case) needs no test of who has it.
            if horizons == 1:
                return in_window
            ids: sa.BindParameter[list[int]] = sa.bindparam(f"ids_{i}", expanding=True)
            return sa.and_(CalendarEntry.client_id.in_(ids), in_window)

        in_window = sa.or_(*(of_horizon(i) for i in range(horizons)))
        return sa.func.count(sa.distinct(sa.case((in_window, CalendarEntry.on_date))))

    return (
        sa.select(CalendarEntry.client_id, *(written_if_today_is(n) for n in range(todays)))
        .where(
            CalendarEntry.client_id.in_(sa.bindparam("client_ids", expanding=True)),
            CalendarEntry.on_date > sa.bindparam("after"),
            CalendarEntry.on_date <= sa.bindparam("widest"),
        )
        .group_by(CalendarEntry.client_id)
    )


# Made once: building a new alias for every query costs more than the query.
_coach = aliased(User, name="coach")


def _remember_time_zones(clients: Sequence[ClientHorizon]) -> None:
    if not clients:
        return
    rows = db.session.execute(
        sa.select(Client.id, sa.func.coalesce(User.time_zone, _coach.time_zone))
        .join(Program, Program.id == Client.program_id)
        .join(_coach, _coach.id == Program.coach_id)
        .outerjoin(User, User.id == Client.user_id)
        .where(Client.id.in_([c.id for c in clients]))
    ).all()
    zones.remember_all(dict(rows))
