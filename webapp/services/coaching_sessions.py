"""Reading packages, sessions and +1: what a client has on deck, the sessions on a calendar,
a client's coaches and standing. The writing side is webapp.services.bookings."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import cache
from zoneinfo import ZoneInfo

import sqlalchemy as sa
from sqlalchemy.orm import QueryableAttribute, aliased, contains_eager, joinedload, lazyload

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
from webapp.rules.invites import State
from webapp.rules.money import Money
from webapp.rules.plusone import BookingKind, SessionStatus

# A client's account id, or the column holding it when one query reads many clients, or a
# parameter bound to it when a statement is built once for every pair.
AccountId = int | QueryableAttribute[int | None] | sa.BindParameter[int]
# A coach's id, or a parameter bound to it when a statement is built once for every coach.
CoachId = int | sa.BindParameter[int]


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


def of_pair(model, coach_id: CoachId, client_user_id: AccountId):
    return (model.coach_id == coach_id, model.client_user_id == client_user_id)


def enrolment_of(
    coach_id: int, client_user_id: int, *, for_update: bool = False
) -> PlusOneEnrolment | None:
    query = sa.select(PlusOneEnrolment).where(*of_pair(PlusOneEnrolment, coach_id, client_user_id))
    if for_update:
        query = query.with_for_update()
    return db.session.scalar(query)


def _last_package(coach_id: CoachId, client_user_id: AccountId):
    return (
        sa.select(Booking)
        .where(*of_pair(Booking, coach_id, client_user_id), Booking.kind == BookingKind.PACKAGE)
        .order_by(Booking.booked_at.desc(), Booking.id.desc())
        .limit(1)
    )


def _remaining(coach_id: CoachId, client_user_id: AccountId):
    return (
        sa.select(sa.func.count())
        .select_from(CoachingSession)
        .where(
            *of_pair(CoachingSession, coach_id, client_user_id),
            CoachingSession.status == SessionStatus.REMAINING,
        )
    )


# The +1 decision reads these on every completion: built once, the pair bound per call.
_COACH: sa.BindParameter[int] = sa.bindparam("coach_id", type_=sa.Integer)
_CLIENT: sa.BindParameter[int] = sa.bindparam("client_user_id", type_=sa.Integer)


@cache
def _decision_inputs_query() -> sa.Select:
    last_id = _last_package(_COACH, _CLIENT).with_only_columns(Booking.id)
    one_row = sa.select(sa.literal(1).label("one")).subquery()
    return (
        sa.select(_remaining(_COACH, _CLIENT).scalar_subquery(), Booking, PlusOneEnrolment)
        .select_from(one_row)
        .outerjoin(Booking, Booking.id == last_id.scalar_subquery())
        .outerjoin(PlusOneEnrolment, sa.and_(*of_pair(PlusOneEnrolment, _COACH, _CLIENT)))
    )


def remaining_last_package_and_enrolment(
    coach_id: int, client_user_id: int
) -> tuple[int, Booking | None, PlusOneEnrolment | None]:
    """The +1 decision's inputs in one query: remaining sessions, the last package and the
    enrolment (None where there is none)."""
    pair = {"coach_id": coach_id, "client_user_id": client_user_id}
    remaining, last, enrolment = db.session.execute(_decision_inputs_query(), pair).one()
    return remaining, last, enrolment


# --- reading: one coach and many clients ----------------------------------------------------


def with_plus_one_standing(query: sa.Select, coach_id: CoachId) -> sa.Select:
    """`query` over Client rows, plus three columns read in the same query: each client's
    remaining sessions with the coach, their last package booking and their +1 enrolment
    (None when missing): what `remaining_last_package_and_enrolment` reads for one client."""
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
        .outerjoin(PlusOneEnrolment, sa.and_(*of_pair(PlusOneEnrolment, coach_id, Client.user_id)))
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

    def bookings_with_void(self) -> list[tuple[Booking, int]]:
        """Each booking with how many of its sessions are void, for the statement."""
        void: dict[int, int] = defaultdict(int)
        for s in self.sessions:
            if s.status == SessionStatus.VOID:
                void[s.booking_id] += 1
        return [(b, void[b.id]) for b in self.bookings]

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


_UNREAD: object = object()


def account(
    coach_id: int, client_user_id: int, today: date, *, enrolment: object = _UNREAD
) -> Account:
    """`enrolment`: the pair's +1 enrolment (or None) when the caller read it already."""
    # The bookings first, with their packages: each session's booking is one of them, so it
    # comes from the session's identity map rather than another query.
    bookings = db.session.scalars(
        sa.select(Booking)
        .where(*of_pair(Booking, coach_id, client_user_id))
        .options(joinedload(Booking.package))
        .order_by(Booking.booked_at.desc(), Booking.id.desc())
    ).all()
    sessions = db.session.scalars(
        sa.select(CoachingSession)
        .where(*of_pair(CoachingSession, coach_id, client_user_id))
        .options(lazyload(CoachingSession.booking))
    ).all()
    if enrolment is _UNREAD:
        enrolment = enrolment_of(coach_id, client_user_id)
    assert enrolment is None or isinstance(enrolment, PlusOneEnrolment)
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
        # The query reads sessions placed on these calendars only.
        assert session.scheduled_at is not None and session.calendar_client_id is not None
        day = session.scheduled_at.astimezone(ZoneInfo(time_zone or "UTC")).date()
        if start_date <= day <= end_date:
            grouped[session.calendar_client_id][day].append(session)
    return {cid: dict(days) for cid, days in grouped.items()}


def coaches_of(client_user_id: int) -> Sequence[User]:
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


def offered_packages(coach_id: int, client_user_id: int) -> Sequence[Package]:
    return db.session.scalars(
        sa.select(Package)
        .where(
            Package.coach_id == coach_id,
            Package.archived_at.is_(None),
            sa.or_(Package.offered_to_id.is_(None), Package.offered_to_id == client_user_id),
        )
        .order_by(Package.offered_to_id.is_(None), Package.sessions_count, Package.id)
    ).all()
