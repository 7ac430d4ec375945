"""Fixed-window rate limiting as a pure step: the caller stores the window."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

# No limit counts over a longer period, so an older window counts nothing and may be deleted.
LONGEST_PERIOD = timedelta(days=1)


@dataclass(frozen=True)
class Window:
    start: datetime
    count: int


@dataclass(frozen=True)
class Decision:
    allowed: bool
    window: Window
    retry_after: timedelta


def hit(window: Window | None, now: datetime, *, limit: int, period: timedelta) -> Decision:
    """Count one attempt; the (limit + 1)th within `period` of the window start is refused."""
    if window is None or now - window.start >= period:
        window = Window(start=now, count=0)
    if window.count >= limit:
        return Decision(False, window, window.start + period - now)
    return Decision(True, Window(window.start, window.count + 1), timedelta(0))


def is_blocked(window: Window | None, now: datetime, *, limit: int, period: timedelta) -> bool:
    """Whether the next attempt would be refused, without counting it."""
    if window is None or now - window.start >= period:
        return False
    return window.count >= limit
