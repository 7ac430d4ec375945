"""The end of the retention period: once an erased client's (or a closed account's) financial
records have been kept for FINANCIAL_RETENTION_YEARS, the relay's housekeeping deletes them.
What is left of the person is a placeholder row that names no one."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa

from webapp.extensions import db
from webapp.models import (
    Booking,
    CoachingSession,
    LedgerEntry,
    OutboxMessage,
    Package,
    ProgramSubscription,
    SessionMove,
    User,
)
from webapp.services.changed_rows import changed_rows


def purge_expired(now: datetime) -> int:
    """Delete the bookings, sessions, ledger rows and subscriptions of every erased person
    whose records were due to be kept only until before today; how many people. The caller
    commits."""
    due = sa.select(User.id).where(
        User.erased_at.is_not(None),
        User.retain_until.is_not(None),
        User.retain_until < now.date(),
    )
    people = list(db.session.scalars(due))
    if not people:
        return 0

    def theirs(model):
        return sa.or_(model.client_user_id.in_(people), model.coach_id.in_(people))

    sessions = sa.select(CoachingSession.id).where(theirs(CoachingSession))
    db.session.execute(sa.delete(SessionMove).where(SessionMove.session_id.in_(sessions)))
    db.session.execute(
        sa.update(OutboxMessage)
        .where(OutboxMessage.session_id.in_(sessions))
        .values(session_id=None)
    )
    db.session.execute(sa.delete(CoachingSession).where(theirs(CoachingSession)))
    # Refunds first: each names the charge it returns money from.
    db.session.execute(
        sa.delete(LedgerEntry).where(theirs(LedgerEntry), LedgerEntry.refund_of_id.is_not(None))
    )
    db.session.execute(sa.delete(LedgerEntry).where(theirs(LedgerEntry)))
    db.session.execute(sa.delete(Booking).where(theirs(Booking)))
    db.session.execute(sa.delete(ProgramSubscription).where(theirs(ProgramSubscription)))
    db.session.execute(
        sa.delete(Package).where(
            sa.or_(Package.offered_to_id.in_(people), Package.coach_id.in_(people))
        )
    )
    done = db.session.execute(sa.update(User).where(User.id.in_(people)).values(retain_until=None))
    return changed_rows(done)
