"""The one clock. Views, CLI commands and the outbox relay read it and pass `now` down;
services and rules take `now`/`today` as parameters, and column defaults read it too, so a
test that sets `clock.now` sets the time everywhere."""

from __future__ import annotations

from datetime import UTC, datetime


def now() -> datetime:
    """Aware UTC now."""
    return datetime.now(UTC)
