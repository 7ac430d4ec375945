"""The dates a calendar may hold, and reading a date or a month someone typed or linked.

Python's dates end at year 9999 and a week or a month added to the last one overflows; the
app's paging, shifting and +1 placement all add days. Bounding every date that comes in to
this range keeps that arithmetic far from the edge.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from webapp.rules import RuleError

EARLIEST = date(2000, 1, 1)
LATEST = date(2100, 12, 31)

_ISO_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})")
_ISO_MONTH = re.compile(r"(\d{4})-(\d{2})")


class DateError(RuleError):
    pass


class DateOutOfRange(DateError):
    pass


def out_of_range_message() -> str:
    return f"Choose a date from {EARLIEST.year} to {LATEST.year}."


def in_range(on: date) -> bool:
    return EARLIEST <= on <= LATEST


def check_date(on: date) -> date:
    if not in_range(on):
        raise DateOutOfRange(out_of_range_message())
    return on


def read_date(text: str | None) -> date:
    """A YYYY-MM-DD inside the calendar's range; a DateError says what is wrong otherwise."""
    match = _ISO_DATE.fullmatch((text or "").strip())
    if not match:
        raise DateError("Choose a date.")
    try:
        on = date(*(int(part) for part in match.groups()))
    except ValueError:
        raise DateError("Choose a date.") from None
    return check_date(on)


def parse_date(text: str | None) -> date | None:
    """A YYYY-MM-DD inside the calendar's range, or None (malformed, impossible or too far)."""
    try:
        return read_date(text)
    except DateError:
        return None


def parse_month(text: str | None) -> date | None:
    """A YYYY-MM as the first of that month, inside the range, or None."""
    match = _ISO_MONTH.fullmatch((text or "").strip())
    if not match:
        return None
    year, month = (int(part) for part in match.groups())
    if not 1 <= month <= 12:
        return None
    first = date(year, month, 1)
    return first if EARLIEST <= first <= LATEST else None


def shift_month(month: date, by: int) -> date | None:
    """The first of the month `by` months on, or None when that leaves the range."""
    index = month.year * 12 + month.month - 1 + by
    year, zero_based = divmod(index, 12)
    if not EARLIEST.year <= year <= LATEST.year:
        return None
    return date(year, zero_based + 1, 1)


def zone(name: str | None) -> ZoneInfo:
    """The named time zone; UTC when the name is empty or unknown."""
    try:
        return ZoneInfo(name or "UTC")
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


def today_in(now: datetime, time_zone: str | None) -> date:
    """The calendar date it is at `now` (aware) in `time_zone`: a person's own today."""
    if now.tzinfo is None:
        raise ValueError("now must be an aware datetime")
    return now.astimezone(zone(time_zone)).date()
