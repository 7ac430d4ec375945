"""Database-backed rate limits shared by every worker; the decision is webapp.rules.ratelimit."""

from __future__ import annotations

from datetime import datetime, timedelta

import sqlalchemy as sa

from webapp.extensions import db
from webapp.models import RateLimitWindow
from webapp.rules import ratelimit


def _load(key: str) -> RateLimitWindow | None:
    return db.session.get(RateLimitWindow, key)


def window(key: str) -> ratelimit.Window | None:
    row = _load(key)
    return ratelimit.Window(row.window_start, row.count) if row else None


def hit(key: str, now: datetime, *, limit: int, period: timedelta) -> ratelimit.Decision:
    """Count one attempt against `key` at `now` and commit the counter on its own."""
    row = _load(key)
    window = ratelimit.Window(row.window_start, row.count) if row else None
    decision = ratelimit.hit(window, now, limit=limit, period=period)
    try:
        if row is None:
            db.session.execute(
                sa.insert(RateLimitWindow).values(
                    key=key, window_start=decision.window.start, count=decision.window.count
                )
            )
        else:
            row.window_start, row.count = decision.window.start, decision.window.count
        db.session.commit()
    except sa.exc.IntegrityError:
        # Another request created the window first; counting it once is enough.
        db.session.rollback()
    return decision


def reset(key: str) -> None:
    """Forget the counter, committed on its own like `hit`: a success that commits nothing
    else (a log-in) must still clear it."""
    db.session.execute(sa.delete(RateLimitWindow).where(RateLimitWindow.key == key))
    db.session.commit()
