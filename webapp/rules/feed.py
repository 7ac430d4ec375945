"""Calendar feed rules: when an event starts, what names it for ever, when the feed changed.

Pure: callers pass the installation's id and `now` (aware UTC).
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta

from webapp.rules.dates import zone

EVENT_LENGTH = timedelta(hours=1)


def starts_at(on: date, at: time, time_zone: str | None) -> datetime:
    """The UTC instant of a time written for a date in the client's zone.

    Feeds carry UTC: calendar apps disagree on how to read a VTIMEZONE (some take only the
    first date of each RDATE line and put winter an hour out), but they all read `...Z` alike.
    """
    return datetime.combine(on, at, tzinfo=zone(time_zone)).astimezone(UTC)


def event_uid(kind: str, row_id: int, installation: str) -> str:
    """An event's UID: the row's own id plus this installation's id, never a host name, so
    moving the app to another address keeps every subscriber's events (no duplicates), and two
    installations never share a UID."""
    return f"{kind}-{row_id}-{installation}@ondeck"


def changed_at(
    previous_version: str | None, previous_at: datetime | None, version: str, now: datetime
) -> datetime:
    """When the feed last changed, to the second (HTTP dates have no finer grain).

    A new version always gets a later second than the one before, so a calendar app asking
    "modified since <the old Last-Modified>?" learns of two changes made within one second.
    """
    if previous_at is not None and previous_version == version:
        return previous_at
    at = now.astimezone(UTC).replace(microsecond=0)
    if previous_at is not None and at <= previous_at:
        at = previous_at + timedelta(seconds=1)
    return at
