"""Booking packages and +1, placing, completing and undoing sessions.

The +1 decision itself is the pure rule `webapp.rules.plusone.decide`; this module gathers its
inputs under the right locks and writes what it decides, exactly once.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from functools import cache

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm.attributes import set_committed_value

from webapp.extensions import db
from webapp.models import Booking, CoachingSession, Package, PlusOneEnrolment, User
from webapp.rules import plusone
from webapp.rules.dates import today_in
from webapp.rules.money import Money
from webapp.rules.plusone import BookingKind, SessionStatus
from webapp.services.amounts import format_money
from webapp.services.changed_rows import changed_rows
from webapp.services.coaching_sessions import (
    as_enrolment,
    as_package_booking,
    enrolment_of,
    of_pair,
    remaining_last_package_and_enrolment,
)
from webapp.services.data_versions import COACHES_OPTION, bump_now
from webapp.services.pending_charges import queue_plus_one_charge
from webapp.services.placing import voided_off_calendar
from webapp.services.plus_one_mail import queue_plus_one_emails
from webapp.services.reminders import schedule


def book_package(package: Package, client_user: User, now: datetime) -> Booking:
    """Record a package booking and its sessions; the amount due is the package's total."""
    total = Money(package.total_minor, package.currency)
    rate = plusone.package_rate(package.sessions_count, total)
    booking = Booking(
        coach_id=package.coach_id,
        client_user_id=client_user.id,
        package_id=package.id,
        kind=BookingKind.PACKAGE,
        sessions_count=package.sessions_count,
        total_minor=total.minor,
        rate_minor=rate.minor,
        currency=package.currency,
        auto_renewal_allowed=not package.no_auto_renewal,
        booked_at=now,
    )
    db.session.add(booking)
    db.session.flush()
    db.session.add_all(
        CoachingSession(
            booking_id=booking.id,
            coach_id=package.coach_id,
            client_user_id=client_user.id,
            status=SessionStatus.REMAINING,
        )
        for _ in range(package.sessions_count)
    )
    return booking


def set_enrolment(
    coach_id: int, client_user_id: int, action: str, *, until: date | None, today: date
) -> PlusOneEnrolment:
    """Enrol, un-enrol, pause until a date or resume; raises PlusOneError when refused."""
    row = enrolment_of(coach_id, client_user_id, for_update=True)
    if action == "enrol":
        has_package = db.session.scalar(
            sa.select(sa.func.count())
            .select_from(Booking)
            .where(*of_pair(Booking, coach_id, client_user_id), Booking.kind == BookingKind.PACKAGE)
        )
        plusone.check_may_enrol(has_package or 0)
    elif action == "pause":
        until = plusone.check_pause(until, today, as_enrolment(row))
    if row is None:
        row = PlusOneEnrolment(coach_id=coach_id, client_user_id=client_user_id, enrolled=False)
        db.session.add(row)
    if action == "enrol":
        row.enrolled, row.paused_until = True, None
    elif action == "unenrol":
        row.enrolled, row.paused_until = False, None
    elif action == "pause":
        row.paused_until = until
    elif action == "resume":
        row.paused_until = None
    else:
        raise plusone.PlusOneError("Unknown +1 action.")
    return row


@dataclass
class Completion:
    changed: bool
    decision: plusone.PlusOneDecision | None = None
    plus_one: CoachingSession | None = None
    status: SessionStatus = SessionStatus.COMPLETED
    # The +1's pending card charge, to ask of Stripe once this transaction commits.
    charge_id: int | None = None

    @property
    def message(self) -> str:
        if not self.changed and self.status == SessionStatus.VOID:
            return "This session was voided, so it cannot be completed."
        if not self.changed:
            return "This session was already marked complete."
        decision = self.decision
        assert decision is not None  # every change is decided
        if self.plus_one is not None:
            assert decision.rate is not None  # a +1 was booked at a rate
            return (
                f"Session completed. +1 booked one more session at {format_money(decision.rate)}."
            )
        return f"Session completed. No +1 booking: {decision.message}"


@cache
def _completion() -> sa.Update:
    """Remaining to completed, if it still is: built once, as every completion runs it."""
    return (
        sa.update(CoachingSession)
        .where(
            CoachingSession.id == sa.bindparam("session_id"),
            CoachingSession.status == SessionStatus.REMAINING,
        )
        .values(
            status=SessionStatus.COMPLETED,
            completed_at=sa.bindparam("at"),
            completed_by_id=sa.bindparam("by"),
        )
        .returning(CoachingSession.id)
    )


def complete_session(
    session: CoachingSession, *, coach: User, client_user: User, now: datetime
) -> Completion:
    """Mark complete and, if the +1 rule says so, book exactly one more session.

    The status change is a conditional update, so of many concurrent requests only one changes
    the row; only that one goes on to book. The caller has locked the session row (PostgreSQL);
    SQLite already holds the write lock for the whole transaction (BEGIN IMMEDIATE).
    """
    values = {"status": SessionStatus.COMPLETED, "completed_at": now, "completed_by_id": coach.id}
    # On the session's connection, past the ORM's bulk-update machinery: the row in memory is
    # set below, and the coach's version is bumped below once the row has changed.
    changed = (
        db.session.connection()
        .execute(_completion(), {"session_id": session.id, "at": now, "by": coach.id})
        .all()
    )
    if not changed:
        # The row was read under its lock, so its status is the one that refused the change.
        return Completion(changed=False, status=session.status)
    for name, value in values.items():
        set_committed_value(session, name, value)
    schedule(session, now)  # a completed session has no more reminders
    # Lock before counting: two different last sessions completed at once then count one
    # after the other, so the second sees the first and +1 still fires once. The coach's data
    # version, which this write bumps anyway, is the lock: held until the commit.
    bump_now([coach.id])
    remaining, last, enrolment = remaining_last_package_and_enrolment(coach.id, client_user.id)
    decision = plusone.decide(
        remaining_after=remaining,
        enrolment=as_enrolment(enrolment),
        last=as_package_booking(last) if last else None,
        today=today_in(now, client_user.time_zone),
    )
    if not decision.books:
        return Completion(changed=True, decision=decision)
    # The rule books only with a last package, at its rate.
    assert decision.rate is not None and last is not None
    plus_one, charge_id = _book_plus_one(session, decision.rate, last, coach, client_user, now)
    return Completion(changed=True, decision=decision, plus_one=plus_one, charge_id=charge_id)


def _book_plus_one(
    completed: CoachingSession,
    rate: Money,
    last: Booking,
    coach: User,
    client_user: User,
    now: datetime,
) -> tuple[CoachingSession | None, int | None]:
    booking = Booking(
        coach_id=coach.id,
        client_user_id=client_user.id,
        package_id=None,
        kind=BookingKind.PLUS_ONE,
        sessions_count=1,
        total_minor=rate.minor,
        rate_minor=rate.minor,
        currency=rate.currency,
        auto_renewal_allowed=True,
        booked_at=now,
        caused_by_session_id=completed.id,
    )
    try:
        with db.session.begin_nested():
            db.session.add(booking)
            db.session.flush()
    except IntegrityError:
        # This completion already booked its +1 (the unique constraint says so): nothing more.
        return None, None
    slot = plusone.on_deck_slot(completed.scheduled_at, now, client_user.time_zone or "UTC")
    session = CoachingSession(
        booking=booking,
        coach_id=coach.id,
        client_user_id=client_user.id,
        status=SessionStatus.REMAINING,
        calendar_client_id=completed.calendar_client_id if slot else None,
        scheduled_at=slot,
    )
    db.session.add(session)
    db.session.flush()
    schedule(session, now)
    charge = queue_plus_one_charge(booking, now)
    if charge is not None:
        return session, charge.id  # its emails say what the card was charged
    queue_plus_one_emails(rate, last, slot, coach, client_user, session.calendar_client_id)
    return session, None


@dataclass
class Undo:
    changed: bool
    voided: Booking | None = None
    kept: Booking | None = None
    notes: list[str] = field(default_factory=list)

    @property
    def message(self) -> str:
        if not self.changed:
            return "This session is not marked complete, so there is nothing to undo."
        if self.voided is not None:
            rate = format_money(Money(self.voided.rate_minor, self.voided.currency))
            return (
                f"Completion undone. The +1 booking it caused (1 session at {rate}) was voided "
                "because that session was still unused."
            )
        if self.kept is not None:
            return (
                "Completion undone. The +1 session it caused was already completed, so that "
                "+1 booking stays."
            )
        return "Completion undone. The session is remaining again."


def undo_completion(session: CoachingSession, now: datetime) -> Undo:
    """completed -> remaining, voiding the +1 booking it caused if that session is unused."""
    changed = changed_rows(
        db.session.execute(
            sa.update(CoachingSession)
            .where(
                CoachingSession.id == session.id, CoachingSession.status == SessionStatus.COMPLETED
            )
            .values(status=SessionStatus.REMAINING, completed_at=None, completed_by_id=None)
            .execution_options(synchronize_session=False, **{COACHES_OPTION: (session.coach_id,)})
        )
    )
    db.session.refresh(session)
    if changed != 1:
        return Undo(changed=False)
    schedule(session, now)  # remaining again: its reminders ahead come back
    caused = db.session.scalar(
        sa.select(Booking).where(Booking.caused_by_session_id == session.id).with_for_update()
    )
    if caused is None:
        return Undo(changed=True)
    voided = changed_rows(
        db.session.execute(
            sa.update(CoachingSession)
            .where(
                CoachingSession.booking_id == caused.id,
                CoachingSession.status == SessionStatus.REMAINING,
            )
            .values(status=SessionStatus.VOID)
            .execution_options(synchronize_session=False, **{COACHES_OPTION: (caused.coach_id,)})
        )
    )
    if not voided:
        return Undo(changed=True, kept=caused)
    voided_off_calendar(caused.id, now)
    caused.voided_at = now
    # Release the unique cause so completing this session again may book its +1 anew.
    caused.voided_cause_session_id = caused.caused_by_session_id
    caused.caused_by_session_id = None
    return Undo(changed=True, voided=caused)
