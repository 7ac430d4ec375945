"""Session reminders and change notices: when each is due, what it says, whom it concerns.

Pure: callers pass the session's start, the coach's offsets and `now` (aware datetimes).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from enum import StrEnum

from webapp.rules import RuleError
from webapp.rules.calendar import is_visible_to_client
from webapp.rules.dates import zone

DEFAULT_OFFSETS = (24 * 60, 2 * 60)  # minutes before the session: a day and two hours
MAX_OFFSET = 14 * 24 * 60  # two weeks
MAX_OFFSETS = 5
# Changes made within this long of the last one go out in one notice.
NOTICE_DELAY = timedelta(minutes=5)


class ReminderError(RuleError):
    pass


class MailKind(StrEnum):
    """Outbox rows that are more than a message. A reminder is composed by the relay when it
    falls due, from what holds then; a notice gathers a few minutes of changes while unsent."""

    REMINDER = "reminder"
    NOTICE = "notice"
    AGENDA = "agenda"
    DIGEST = "digest"


class SkipReason(StrEnum):
    STARTED = "the session had started"
    NOT_REMAINING = "the session is no longer remaining"
    UNPLACED = "the session is not on the calendar"
    REMINDERS_OFF = "the client turned reminders off"
    NO_ACCOUNT = "the client has no account"
    AGENDA_OFF = "the coach turned the agenda off"
    DAY_OVER = "the day it was for is over"
    DIGEST_OFF = "the client turned the digest off"
    NOTHING_NEW = "nothing new to tell"


_PART = re.compile(r"^(\d{1,4}(?:\.\d{1,2})?)\s*(h|hr|hrs|hour|hours|m|min|mins|minutes|d|days?)?$")
_UNIT_MINUTES = {"h": 60, "m": 1, "d": 24 * 60}


def parse_offsets(text: str | None) -> tuple[int, ...]:
    """`"48, 1"` (hours) or `"48h, 90m, 2d"` as minutes before the session, longest first.

    Empty means no reminders. Refused, with a message for the field: anything unreadable,
    negative, zero, over 14 days, more than five, or the same time twice.
    """
    parts = [part.strip().lower() for part in (text or "").split(",")]
    parts = [part for part in parts if part]
    if len(parts) > MAX_OFFSETS:
        raise ReminderError(f"At most {MAX_OFFSETS} reminder times.")
    minutes: list[int] = []
    for part in parts:
        if part.startswith("-"):
            raise ReminderError(f"“{part}” is negative: give times before the session.")
        found = _PART.match(part)
        if found is None:
            raise ReminderError(f"“{part}” is not a time: write hours (24) or 90m, 2d.")
        number, unit = found.groups()
        value = round(float(number) * _UNIT_MINUTES[(unit or "h")[0]])
        if value <= 0:
            raise ReminderError(f"“{part}” is no time before the session.")
        if value > MAX_OFFSET:
            raise ReminderError(f"“{part}” is over 14 days (336 hours) before the session.")
        if value in minutes:
            raise ReminderError(f"{offset_text(value)} is given twice: give each time once.")
        minutes.append(value)
    return tuple(sorted(minutes, reverse=True))


def offset_text(minutes: int) -> str:
    """How a reminder time reads: 24 h, 1 h 30 min, 45 min."""
    hours, rest = divmod(minutes, 60)
    if not hours:
        return f"{rest} min"
    return f"{hours} h {rest} min" if rest else f"{hours} h"


def offsets_field_text(minutes: tuple[int, ...]) -> str:
    """The offsets as the settings field shows them, read back by parse_offsets."""
    return ", ".join(str(m // 60) if m % 60 == 0 else f"{m}m" for m in minutes)


def stored_offsets(text: str | None) -> tuple[int, ...]:
    """The offsets kept on the coach's row ("1440,120"); unreadable text means the defaults."""
    if text is None:
        return DEFAULT_OFFSETS
    try:
        return tuple(int(part) for part in text.split(",") if part.strip())
    except ValueError:
        return DEFAULT_OFFSETS


def reminder_time(starts: datetime, offset: int, time_zone: str | None) -> datetime:
    """When the reminder `offset` minutes before the session is due. Whole days count on the
    client's own clock: "a day before" a Sunday 18:30 is Saturday 18:30 even when the clocks
    changed in between; the rest of the offset is counted in minutes."""
    days, minutes = divmod(offset, 24 * 60)
    local = starts.astimezone(zone(time_zone))
    wall = datetime.combine(local.date() - timedelta(days=days), local.time())
    # Through UTC, so a wall time that does not exist that day (spring forward) is normalised.
    earlier = wall.replace(tzinfo=zone(time_zone)).astimezone(UTC)
    return earlier - timedelta(minutes=minutes)


def due_times(
    starts: datetime, offsets: tuple[int, ...], now: datetime, time_zone: str | None = None
) -> dict[int, datetime]:
    """{offset: when that reminder is due} for the reminders still ahead of `now`.

    A reminder whose time has already passed when the session is placed is not made: the
    coach has just put the session in front of the client.
    """
    due = {offset: reminder_time(starts, offset, time_zone) for offset in offsets}
    return {offset: at for offset, at in due.items() if at > now and starts > now}


@dataclass(frozen=True)
class SessionFacts:
    """What a reminder reads about its session when it falls due."""

    status_remaining: bool
    placed: bool
    starts: datetime | None
    reminders_off: bool
    has_account: bool


def skip_reason(facts: SessionFacts, now: datetime) -> SkipReason | None:
    """Why a due reminder must not go, or None when it goes."""
    if not facts.has_account:
        return SkipReason.NO_ACCOUNT
    if not facts.status_remaining:
        return SkipReason.NOT_REMAINING
    if not facts.placed or facts.starts is None:
        return SkipReason.UNPLACED
    if facts.starts <= now:
        return SkipReason.STARTED
    if facts.reminders_off:
        return SkipReason.REMINDERS_OFF
    return None


def position_text(ordinal: int, count: int) -> str:
    return f"session {ordinal} of {count}"


def next_text(remaining_after: int, plus_one_rate: str | None) -> str:
    """What comes after this session: more sessions, a +1 booking, or nothing."""
    if remaining_after > 0:
        noun = "session" if remaining_after == 1 else "sessions"
        return f"After this one you have {remaining_after} more {noun} booked."
    if plus_one_rate is not None:
        return f"This is your last session: +1 will book one more at {plus_one_rate}."
    return "No sessions left after this one."


# --- change notices ----------------------------------------------------------------------


@dataclass(frozen=True)
class Move:
    """One logged change of one item: an entry's date, or a session's time (None: unplaced)."""

    item: str  # e.g. "entry-5", "session-3"
    title: str
    before: datetime | date | None
    after: datetime | date | None
    at: datetime


@dataclass(frozen=True)
class Change:
    title: str
    before: datetime | date | None
    after: datetime | date | None


def net_changes(moves: list[Move]) -> list[Change]:
    """Each item once, from where it was before the first move to where it is after the last;
    an item moved back where it was is no change at all. Ordered by the first move."""
    first: dict[str, Move] = {}
    last: dict[str, Move] = {}
    for move in sorted(moves, key=lambda m: m.at):
        first.setdefault(move.item, move)
        last[move.item] = move
    return [
        Change(first[item].title, first[item].before, last[item].after)
        for item in first
        if first[item].before != last[item].after
    ]


def change_is_visible(
    days: list[date | None], *, start: date, today: date, horizon_days: int | None
) -> bool:
    """A change concerns the client when a day it leaves or reaches is one they can see."""
    return any(
        day is not None
        and is_visible_to_client(day, start=start, today=today, horizon_days=horizon_days)
        for day in days
    )


def notice_due(now: datetime) -> datetime:
    return now + NOTICE_DELAY


# --- the coach's morning agenda ------------------------------------------------------------

AGENDA_AT = time(7, 0)  # local time of the coach


def next_agenda(now: datetime, time_zone: str | None) -> tuple[date, datetime]:
    """The local date of the coach's next agenda and when it is due: today's at 07:00 if that
    is still ahead (or now, on the morning it is planned), else tomorrow's."""
    local = now.astimezone(zone(time_zone))
    day = local.date()
    if local.time() >= time(12, 0):  # too late for this morning's: the next one
        day += timedelta(days=1)
    due = datetime.combine(day, AGENDA_AT, tzinfo=zone(time_zone))
    return day, max(due, now)


def agenda_skip(*, enabled: bool, day: date, today: date) -> SkipReason | None:
    if not enabled:
        return SkipReason.AGENDA_OFF
    if day < today:
        return SkipReason.DAY_OVER
    return None


# --- the client's new-training digest ------------------------------------------------------

DIGEST_DELAY = timedelta(hours=1)  # a coach writing several days is told of in one email
DIGEST_LOOKBACK = timedelta(days=1)


def digest_slot(
    now: datetime, time_zone: str | None, *, today_taken: bool
) -> tuple[date, datetime]:
    """The local date (the digest's key: one a day) and due time of the digest that tells of
    training written now: an hour on, or the next morning when today's has gone already."""
    due = now + DIGEST_DELAY
    day = due.astimezone(zone(time_zone)).date()
    if today_taken:
        day += timedelta(days=1)
        due = max(due, datetime.combine(day, time(8, 0), tzinfo=zone(time_zone)))
    return day, due
