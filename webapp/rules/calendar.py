"""Calendar rules: week/day numbering, what a client may see and log, shifting and copying.

Who writes and moves is who may reach the routes: the coach of the program, through the
loaders that find only their own clients.

Pure: callers pass `today` (already in the client's time zone) or `now` (aware UTC).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from webapp.rules import RuleError
from webapp.rules.dates import in_range, out_of_range_message
from webapp.rules.invites import State

HORIZON_CHOICES: tuple[int | None, ...] = (7, 14, 28, None)  # None: everything written
# With no horizon ("everything written") a client still needs this many written days ahead.
NEEDS_TRAINING_DEFAULT_DAYS = 7
MAX_SHIFT_DAYS = 366


class CalendarRuleError(RuleError):
    pass


class NotAllowed(CalendarRuleError):
    """The person may not do this to the entry (the server answers 403)."""


@dataclass(frozen=True)
class WeekDay:
    week: int
    day: int

    def __str__(self) -> str:
        return f"Week {self.week} Day {self.day}"


def week_day(on: date, start: date) -> WeekDay | None:
    """Week 1 Day 1 is the start date; a date before the start has no week number."""
    offset = (on - start).days
    if offset < 0:
        return None
    return WeekDay(offset // 7 + 1, offset % 7 + 1)


def week_dates(start: date, week: int) -> list[date]:
    """The seven dates of week `week` counted from `start` (week 0 and below lie before it)."""
    first = start + timedelta(days=7 * (week - 1))
    return [first + timedelta(days=n) for n in range(7)]


def week_of(on: date, start: date) -> int:
    """The week number holding `on`, also for dates before the start (0, -1, ...)."""
    return (on - start).days // 7 + 1


def last_visible_date(today: date, horizon_days: int | None) -> date | None:
    """The last date the client may see; None when the coach lets them see everything written."""
    if horizon_days is None:
        return None
    if horizon_days < 0:
        raise CalendarRuleError("A horizon cannot be negative.")
    return today + timedelta(days=horizon_days)


def is_beyond_horizon(on: date, *, today: date, horizon_days: int | None) -> bool:
    """A day after the last one the client may see yet (never, when they see everything)."""
    last = last_visible_date(today, horizon_days)
    return last is not None and on > last


def is_visible_to_client(on: date, *, start: date, today: date, horizon_days: int | None) -> bool:
    """From the start date up to today + horizon, both inclusive."""
    return on >= start and not is_beyond_horizon(on, today=today, horizon_days=horizon_days)


def may_log(*, is_own_membership: bool, membership_state: State, visible: bool) -> bool:
    """A client marks done and notes only visible entries of their own active membership."""
    return is_own_membership and membership_state is State.ACTIVE and visible


def ensure(allowed: bool, message: str = "You may not change this entry.") -> None:
    if not allowed:
        raise NotAllowed(message)


def shifted(on: date, days: int) -> date:
    """`on` moved by `days` (a client's holiday pushes training later)."""
    if not -MAX_SHIFT_DAYS <= days <= MAX_SHIFT_DAYS:
        raise CalendarRuleError(f"Shift by at most {MAX_SHIFT_DAYS} days either way.")
    moved = on + timedelta(days=days)
    if not in_range(moved):
        raise CalendarRuleError(f"That moves training off the calendar. {out_of_range_message()}")
    return moved


def shifted_moment(at: datetime, days: int, time_zone: str) -> datetime:
    """A placed session moved by `days` with the training: the same local time of day on the
    client's calendar (a clock change in between keeps 9:00 at 9:00), as aware UTC."""
    zone = ZoneInfo(time_zone)
    local = at.astimezone(zone).replace(tzinfo=None)
    moved = datetime.combine(shifted(local.date(), days), local.time())
    return moved.replace(tzinfo=zone).astimezone(UTC)


def ensure_other_week(source_id: int, source_week: int, target_id: int, target_week: int):
    """A week pasted onto itself would replace it with nothing: refuse it."""
    if source_id == target_id and source_week == target_week:
        raise CalendarRuleError("That is the week being copied: choose another week or client.")


def copy_mapping(
    source_start: date, source_week: int, target_start: date, target_week: int
) -> dict[date, date]:
    """Each date of the source week to the same day of the target week.

    Weeks count from each client's own start date, so "Week 3" of two clients who started on
    different days lands on different calendar dates.
    """
    if source_week < 1 or target_week < 1:
        raise CalendarRuleError("Weeks are numbered from 1.")
    source, target = week_dates(source_start, source_week), week_dates(target_start, target_week)
    if not all(in_range(on) for on in (*source, *target)):
        raise CalendarRuleError(f"That week is off the calendar. {out_of_range_message()}")
    return dict(zip(source, target, strict=True))


def needs_training_window(today: date, horizon_days: int | None) -> tuple[date, date]:
    """The days ahead that should be written: tomorrow up to today + horizon."""
    days = NEEDS_TRAINING_DEFAULT_DAYS if horizon_days is None else horizon_days
    return today + timedelta(days=1), today + timedelta(days=days)


def needs_training(written_days_ahead: int, horizon_days: int | None) -> bool:
    """Fewer written days ahead than the client may see: the coach should write more."""
    days = NEEDS_TRAINING_DEFAULT_DAYS if horizon_days is None else horizon_days
    return written_days_ahead < days
