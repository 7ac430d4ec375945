"""Database-side steps for packages, sessions and +1: booking, completing, undoing, reading.

The +1 decision itself is the pure rule `webapp.rules.plusone.decide`; this module gathers its
inputs under the right locks and writes what it decides, exactly once.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import aliased, contains_eager, selectinload
from sqlalchemy.orm.attributes import set_committed_value

from webapp.extensions import db
from webapp.models import (
    Booking,
    Client,
    CoachingSession,
    Package,
    PlusOneEnrolment,
    Program,
    User,
)
from webapp.rules import plusone
from webapp.rules.dates import today_in
from webapp.rules.invites import State
from webapp.rules.money import Money
from webapp.rules.plusone import BookingKind, SessionStatus
from webapp.services.amounts import format_money
from webapp.services.plus_one_mail import queue_plus_one_emails


def as_package_booking(booking: Booking) -> plusone.PackageBooking:
    return plusone.PackageBooking(
        sessions_count=booking.sessions_count,
        total=Money(booking.total_minor, booking.currency),
        rate=Money(booking.rate_minor, booking.currency),
        auto_renewal_allowed=booking.auto_renewal_allowed,
        booked_at=booking.booked_at,
    )


def as_enrolment(row: PlusOneEnrolment | None) -> plusone.Enrolment | None:
    return None if row is None else plusone.Enrolment(row.enrolled, row.paused_until)


def _pair(model, coach_id: int, client_user_id: int):
    return (model.coach_id == coach_id, model.client_user_id == client_user_id)


def enrolment_of(
    coach_id: int, client_user_id: int, *, for_update: bool = False
) -> PlusOneEnrolment | None:
    query = sa.select(PlusOneEnrolment).where(*_pair(PlusOneEnrolment, coach_id, client_user_id))
    if for_update:
        query = query.with_for_update()
    return db.session.scalar(query)


def _last_package(coach_id: int, client_user_id: int):
    return (
        sa.select(Booking)
        .where(*_pair(Booking, coach_id, client_user_id), Booking.kind == BookingKind.PACKAGE)
        .order_by(Booking.booked_at.desc(), Booking.id.desc())
        .limit(1)
    )


def _remaining(coach_id: int, client_user_id: int):
    return (
        sa.select(sa.func.count())
        .select_from(CoachingSession)
        .where(
            *_pair(CoachingSession, coach_id, client_user_id),
            CoachingSession.status == SessionStatus.REMAINING,
        )
    )


def count_remaining(coach_id: int, client_user_id: int) -> int:
    return db.session.scalar(_remaining(coach_id, client_user_id))


def remaining_and_last_package(coach_id: int, client_user_id: int) -> tuple[int, Booking | None]:
    """What the +1 decision reads, in one query: remaining sessions and the last package."""
    last_id = _last_package(coach_id, client_user_id).with_only_columns(Booking.id)
    one_row = sa.select(sa.literal(1).label("one")).subquery()
    remaining, last = db.session.execute(
        sa.select(_remaining(coach_id, client_user_id).scalar_subquery(), Booking)
        .select_from(one_row)
        .outerjoin(Booking, Booking.id == last_id.scalar_subquery())
    ).one()
    return remaining, last


# --- reading: one coach and many clients ----------------------------------------------------


def with_plus_one_standing(query: sa.Select, coach_id: int) -> sa.Select:
    """`query` over Client rows, plus three columns read in the same query: each client's
    remaining sessions with the coach, their last package booking and their +1 enrolment
    (None when missing), the same inputs `remaining_and_last_package` reads for one client."""
    # Correlated on the outer client's account: one statement for any number of clients.
    remaining = _remaining(coach_id, Client.user_id).correlate(Client).scalar_subquery()
    last_id = (
        _last_package(coach_id, Client.user_id)
        .with_only_columns(Booking.id)
        .correlate(Client)
        .scalar_subquery()
    )
    last = aliased(Booking)
    return (
        query.add_columns(remaining.label("remaining"), last, PlusOneEnrolment)
        .outerjoin(last, last.id == last_id)
        .outerjoin(PlusOneEnrolment, sa.and_(*_pair(PlusOneEnrolment, coach_id, Client.user_id)))
    )


# --- reading: one coach and one client ------------------------------------------------------


@dataclass
class Account:
    """Everything the sessions pages show about one client with one coach (constant queries)."""

    sessions: list[CoachingSession]
    bookings: list[Booking]
    enrolment: PlusOneEnrolment | None
    last: Booking | None
    readiness: plusone.PlusOneDecision
    status: plusone.EnrolmentStatus
    remaining: int = 0
    used: int = 0

    @property
    def rate(self) -> Money | None:
        return None if self.last is None else Money(self.last.rate_minor, self.last.currency)


def _session_order(session: CoachingSession):
    far = datetime.max.replace(tzinfo=ZoneInfo("UTC"))
    rank = {SessionStatus.REMAINING: 0, SessionStatus.COMPLETED: 1, SessionStatus.VOID: 2}[
        session.status
    ]
    if session.status == SessionStatus.REMAINING:
        return (rank, session.scheduled_at or far, session.id)
    stamp = session.completed_at or session.scheduled_at or far
    return (rank, -stamp.timestamp(), -session.id)


def account(coach_id: int, client_user_id: int, today: date) -> Account:
    sessions = db.session.scalars(
        sa.select(CoachingSession)
        .where(*_pair(CoachingSession, coach_id, client_user_id))
        .options(selectinload(CoachingSession.booking))
    ).all()
    bookings = db.session.scalars(
        sa.select(Booking)
        .where(*_pair(Booking, coach_id, client_user_id))
        .options(selectinload(Booking.package))
        .order_by(Booking.booked_at.desc(), Booking.id.desc())
    ).all()
    enrolment = enrolment_of(coach_id, client_user_id)
    last = next((b for b in bookings if b.kind == BookingKind.PACKAGE), None)
    remaining = sum(1 for s in sessions if s.status == SessionStatus.REMAINING)
    standing = as_enrolment(enrolment)
    readiness = plusone.outlook(
        remaining=remaining,
        enrolment=standing,
        last=as_package_booking(last) if last else None,
        today=today,
    )
    return Account(
        sessions=sorted(sessions, key=_session_order),
        bookings=list(bookings),
        enrolment=enrolment,
        last=last,
        readiness=readiness,
        status=plusone.enrolment_status(standing, today),
        remaining=remaining,
        used=sum(1 for s in sessions if s.status == SessionStatus.COMPLETED),
    )


# Built once, bound per request: building a statement and its cache key costs more than
# PostgreSQL takes to run this one, which every calendar page and day runs.
_PLACED_SESSIONS = (
    sa.select(CoachingSession, User.time_zone)
    .join(Booking, Booking.id == CoachingSession.booking_id)
    .join(User, User.id == CoachingSession.client_user_id)
    .where(
        CoachingSession.calendar_client_id.in_(sa.bindparam("client_ids", expanding=True)),
        CoachingSession.status != SessionStatus.VOID,
        CoachingSession.scheduled_at >= sa.bindparam("low"),
        CoachingSession.scheduled_at < sa.bindparam("high"),
    )
    .options(contains_eager(CoachingSession.booking))
    .order_by(CoachingSession.scheduled_at, CoachingSession.id)
)


def sessions_for_calendar(
    client_ids: list[int], start_date: date, end_date: date
) -> dict[int, dict[date, list[CoachingSession]]]:
    """Placed sessions on these clients' calendars, {client_id: {local date: [sessions]}}.

    One query, bookings included (each row shows its rate); dates are in each client's own time
    zone, as their calendar shows them. Void sessions are left out.
    """
    if not client_ids:
        return {}
    # A day's margin either side covers every time zone; exact local dates are checked below.
    low = datetime.combine(start_date - timedelta(days=1), datetime.min.time(), ZoneInfo("UTC"))
    high = datetime.combine(end_date + timedelta(days=2), datetime.min.time(), ZoneInfo("UTC"))
    rows = db.session.execute(
        _PLACED_SESSIONS, {"client_ids": client_ids, "low": low, "high": high}
    ).all()
    grouped: dict[int, dict[date, list[CoachingSession]]] = defaultdict(lambda: defaultdict(list))
    for session, time_zone in rows:
        day = session.scheduled_at.astimezone(ZoneInfo(time_zone or "UTC")).date()
        if start_date <= day <= end_date:
            grouped[session.calendar_client_id][day].append(session)
    return {cid: dict(days) for cid, days in grouped.items()}


def coaches_of(client_user_id: int) -> list[User]:
    """Coaches the client is active with, derived from their active Client rows."""
    return db.session.scalars(
        sa.select(User)
        .where(
            sa.exists().where(
                Client.program_id == Program.id,
                Program.coach_id == User.id,
                Client.user_id == client_user_id,
                Client.state == State.ACTIVE,
            )
        )
        .order_by(User.name, User.id)
    ).all()


def offered_packages(coach_id: int, client_user_id: int) -> list[Package]:
    return db.session.scalars(
        sa.select(Package)
        .where(
            Package.coach_id == coach_id,
            Package.archived_at.is_(None),
            sa.or_(Package.offered_to_id.is_(None), Package.offered_to_id == client_user_id),
        )
        .order_by(Package.offered_to_id.is_(None), Package.sessions_count, Package.id)
    ).all()


# --- writing --------------------------------------------------------------------------------


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
            .where(*_pair(Booking, coach_id, client_user_id), Booking.kind == BookingKind.PACKAGE)
        )
        plusone.check_may_enrol(has_package)
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


def place_session(session: CoachingSession, calendar: Client, scheduled_at: datetime) -> None:
    if session.status != SessionStatus.REMAINING:
        raise plusone.PlusOneError("Only a remaining session can be placed.")
    session.calendar_client_id = calendar.id
    session.scheduled_at = scheduled_at


@dataclass
class Completion:
    changed: bool
    decision: plusone.PlusOneDecision | None = None
    plus_one: CoachingSession | None = None
    status: SessionStatus = SessionStatus.COMPLETED

    @property
    def message(self) -> str:
        if not self.changed and self.status == SessionStatus.VOID:
            return "This session was voided, so it cannot be completed."
        if not self.changed:
            return "This session was already marked complete."
        if self.plus_one is not None:
            rate = format_money(self.decision.rate)
            return f"Session completed. +1 booked one more session at {rate}."
        return f"Session completed. No +1 booking: {self.decision.message}"


def complete_session(
    session: CoachingSession, *, coach: User, client_user: User, now: datetime
) -> Completion:
    """Mark complete and, if the +1 rule says so, book exactly one more session.

    The status change is a conditional update, so of many concurrent requests only one changes
    the row; only that one goes on to book. The caller has locked the session row (PostgreSQL);
    SQLite already holds the write lock for the whole transaction (BEGIN IMMEDIATE).
    """
    values = {"status": SessionStatus.COMPLETED, "completed_at": now, "completed_by_id": coach.id}
    changed = db.session.execute(
        sa.update(CoachingSession)
        .where(CoachingSession.id == session.id, CoachingSession.status == SessionStatus.REMAINING)
        .values(**values)
        .returning(CoachingSession.id)
        .execution_options(synchronize_session=False)
    ).all()
    if not changed:
        # The row was read under its lock, so its status is the one that refused the change.
        return Completion(changed=False, status=session.status)
    for name, value in values.items():
        set_committed_value(session, name, value)
    # Lock the enrolment before counting: two different last sessions completed at once then
    # count one after the other, so the second sees the first and +1 still fires once.
    enrolment = enrolment_of(coach.id, client_user.id, for_update=True)
    remaining, last = remaining_and_last_package(coach.id, client_user.id)
    decision = plusone.decide(
        remaining_after=remaining,
        enrolment=as_enrolment(enrolment),
        last=as_package_booking(last) if last else None,
        today=today_in(now, client_user.time_zone),
    )
    if not decision.books:
        return Completion(changed=True, decision=decision)
    plus_one = _book_plus_one(session, decision.rate, last, coach, client_user, now)
    return Completion(changed=True, decision=decision, plus_one=plus_one)


def _book_plus_one(
    completed: CoachingSession,
    rate: Money,
    last: Booking,
    coach: User,
    client_user: User,
    now: datetime,
) -> CoachingSession | None:
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
        return None
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
    queue_plus_one_emails(rate, last, slot, coach, client_user, session.calendar_client_id)
    return session


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
    changed = db.session.execute(
        sa.update(CoachingSession)
        .where(CoachingSession.id == session.id, CoachingSession.status == SessionStatus.COMPLETED)
        .values(status=SessionStatus.REMAINING, completed_at=None, completed_by_id=None)
        .execution_options(synchronize_session=False)
    ).rowcount
    db.session.refresh(session)
    if changed != 1:
        return Undo(changed=False)
    caused = db.session.scalar(
        sa.select(Booking).where(Booking.caused_by_session_id == session.id).with_for_update()
    )
    if caused is None:
        return Undo(changed=True)
    voided = db.session.execute(
        sa.update(CoachingSession)
        .where(
            CoachingSession.booking_id == caused.id,
            CoachingSession.status == SessionStatus.REMAINING,
        )
        .values(status=SessionStatus.VOID)
        .execution_options(synchronize_session=False)
    ).rowcount
    if not voided:
        return Undo(changed=True, kept=caused)
    caused.voided_at = now
    # Release the unique cause so completing this session again may book its +1 anew.
    caused.voided_cause_session_id = caused.caused_by_session_id
    caused.caused_by_session_id = None
    return Undo(changed=True, voided=caused)
