"""When a logged-in session ends: after a spell without activity, and after a maximum age
however active it is, so a forgotten or stolen browser does not stay in for ever."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

# Last-seen is rewritten at most this often, so not every request sends a new cookie.
SEEN_RESOLUTION = timedelta(minutes=1)


@dataclass(frozen=True)
class SessionLimits:
    idle: timedelta
    max_age: timedelta


def ended(
    *,
    logged_in_at: datetime | None,
    seen_at: datetime | None,
    now: datetime,
    limits: SessionLimits,
) -> str | None:
    """Why the session has ended (a message for the log-in page), or None while it lasts.
    A session that does not say when it began has ended: its age cannot be checked."""
    if logged_in_at is None or seen_at is None or now - logged_in_at >= limits.max_age:
        return f"Sessions last at most {duration_text(limits.max_age)}. Please log in again."
    if now - seen_at >= limits.idle:
        return (
            f"You were logged out after {duration_text(limits.idle)} without activity. "
            "Please log in again."
        )
    return None


def should_record_seen(seen_at: datetime, now: datetime) -> bool:
    return now - seen_at >= SEEN_RESOLUTION


def duration_text(delta: timedelta) -> str:
    minutes = int(delta.total_seconds() // 60)
    for unit, size in (("day", 24 * 60), ("hour", 60), ("minute", 1)):
        if minutes >= size and minutes % size == 0:
            count = minutes // size
            return f"{count} {unit}" if count == 1 else f"{count} {unit}s"
    return f"{minutes} minutes"
