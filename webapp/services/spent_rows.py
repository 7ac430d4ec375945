"""Housekeeping the relay runs: rows that no longer do anything, but hold an email address, a
name or a password hash, are deleted (links long spent, rate-limit windows long over)."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa

from webapp.extensions import db
from webapp.models import EmailChange, PasswordReset, RateLimitWindow, SignupRequest
from webapp.rules.credentials import spent_link_cutoff
from webapp.rules.ratelimit import LONGEST_PERIOD
from webapp.services.changed_rows import changed_rows


def delete_spent_rows(now: datetime) -> int:
    """Delete links spent before the cutoff and windows past every limit; how many went.
    The caller commits."""
    cutoff = spent_link_cutoff(now)
    deleted = 0
    for link in (SignupRequest, PasswordReset, EmailChange):
        spent = sa.or_(link.expires_at < cutoff, link.used_at < cutoff)
        deleted += changed_rows(db.session.execute(sa.delete(link).where(spent)))
    over = RateLimitWindow.window_start < now - LONGEST_PERIOD
    deleted += changed_rows(db.session.execute(sa.delete(RateLimitWindow).where(over)))
    return deleted
