"""Writing calendars: entries, moves (each logged), shifts, copies and the private feed."""

from __future__ import annotations

from datetime import date, datetime, time

import sqlalchemy as sa

from webapp.extensions import db
from webapp.models import CalendarEntry, Client, EntryMove
from webapp.rules.calendar import copy_mapping, shifted
from webapp.services import tokens
from webapp.services.calendar_reads import entries_between
from webapp.services.digest import note_new_training
from webapp.services.notices import note_changes


def _next_position(client_id: int, on: date) -> int:
    highest = db.session.scalar(
        sa.select(sa.func.max(CalendarEntry.position)).where(
            CalendarEntry.client_id == client_id, CalendarEntry.on_date == on
        )
    )
    return 0 if highest is None else highest + 1


def add_entry(
    client: Client, on: date, title: str, body: str, at_time: time | None, *, now: datetime
):
    entry = CalendarEntry(
        client_id=client.id,
        on_date=on,
        position=_next_position(client.id, on),
        title=title,
        body=body,
        at_time=at_time,
    )
    db.session.add(entry)
    note_new_training(client, [on], now)
    return entry


def move_entry(entry: CalendarEntry, to: date, *, mover_id: int, now: datetime) -> bool:
    """Move one entry to another date, last in that day's order, and log the move."""
    if to == entry.on_date:
        return False
    db.session.add(
        EntryMove(
            entry_id=entry.id,
            moved_by_id=mover_id,
            moved_at=now,
            from_date=entry.on_date,
            to_date=to,
        )
    )
    before = entry.on_date
    entry.position = _next_position(entry.client_id, to)
    entry.on_date = to
    client = db.session.get(Client, entry.client_id)
    if client is not None:
        note_changes(client, [before, to], now)
    return True


def reorder(entry: CalendarEntry, direction: int) -> None:
    """Swap the entry with its neighbour above (-1) or below (+1) on the same day."""
    day = entries_between(entry.client_id, entry.on_date, entry.on_date)
    for position, item in enumerate(day):
        item.position = position  # normalise: older rows may share a position
    index = day.index(entry)
    other = index + direction
    if 0 <= other < len(day):
        day[index].position, day[other].position = day[other].position, day[index].position


def shift_from(client: Client, start: date, days: int, *, mover_id: int, now: datetime) -> int:
    """Move every entry dated `start` or later by `days`, logging each move. Returns how many."""
    entries = list(
        db.session.scalars(
            sa.select(CalendarEntry).where(
                CalendarEntry.client_id == client.id, CalendarEntry.on_date >= start
            )
        )
    )
    if days == 0:
        return 0
    moves = []
    touched: list[date | datetime | None] = []
    for entry in entries:
        to = shifted(entry.on_date, days)
        moves.append(
            {
                "entry_id": entry.id,
                "moved_by_id": mover_id,
                "moved_at": now,
                "from_date": entry.on_date,
                "to_date": to,
            }
        )
        touched += [entry.on_date, to]
        entry.on_date = to
    if moves:
        db.session.execute(sa.insert(EntryMove), moves)
        note_changes(client, touched, now)
    return len(entries)


def copy_week(
    source: Client, source_week: int, target: Client, target_week: int, *, now: datetime
) -> int:
    """Copy the training (not done marks or notes) of one week onto another client's week."""
    mapping = copy_mapping(source.start_date, source_week, target.start_date, target_week)
    first, last = min(mapping), max(mapping)
    entries = entries_between(source.id, first, last)
    positions: dict[date, int] = {}
    target_first, target_last = min(mapping.values()), max(mapping.values())
    for row in db.session.execute(
        sa.select(CalendarEntry.on_date, sa.func.max(CalendarEntry.position))
        .where(
            CalendarEntry.client_id == target.id,
            CalendarEntry.on_date.between(target_first, target_last),
        )
        .group_by(CalendarEntry.on_date)
    ):
        positions[row[0]] = row[1] + 1
    for entry in entries:
        to = mapping[entry.on_date]
        position = positions.get(to, 0)
        positions[to] = position + 1
        db.session.add(
            CalendarEntry(
                client_id=target.id,
                on_date=to,
                position=position,
                title=entry.title,
                body=entry.body,
                at_time=entry.at_time,
            )
        )
    if entries:
        note_new_training(target, [mapping[entry.on_date] for entry in entries], now)
    return len(entries)


def feed_token(client: Client) -> str | None:
    if not client.feed_salt:
        return None
    return tokens.derived_token("feed", client.feed_salt)


def regenerate_feed(client: Client) -> str:
    """A new secret feed URL; the old one stops working at once."""
    client.feed_salt = tokens.new_salt()
    token = tokens.derived_token("feed", client.feed_salt)
    client.feed_token_hash = tokens.hash_token(token)
    return token
