"""The one place views ask for the time, so tests can set it."""

from __future__ import annotations

from datetime import UTC, datetime


def now() -> datetime:
    """Aware UTC now. Views call this; rules take `now`/`today` as parameters."""
    return datetime.now(UTC)
