from __future__ import annotations

from datetime import date, datetime

import sqlalchemy as sa
from sqlalchemy.orm import Mapped, mapped_column, relationship

from webapp.extensions import db
from webapp.models.types import UTCDateTime, now_default, stored_enum
from webapp.rules.plusone import BookingKind, SessionStatus


class Package(db.Model):
    """A coach's offer of N sessions for a total price; custom when offered to one client."""

    __tablename__ = "packages"
    __table_args__ = (
        sa.CheckConstraint("sessions_count > 0", name="sessions_positive"),
        sa.CheckConstraint("total_minor >= 0", name="total_not_negative"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    coach_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"), index=True)
    name: Mapped[str] = mapped_column(sa.String(120), default="")
    sessions_count: Mapped[int]
    total_minor: Mapped[int] = mapped_column(sa.BigInteger)
    currency: Mapped[str] = mapped_column(sa.String(3))
    offered_to_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"), index=True)
    no_auto_renewal: Mapped[bool] = mapped_column(default=False)
    archived_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now_default)


class Booking(db.Model):
    """One purchase: a package booking (N sessions) or a +1 booking (1 session)."""

    __tablename__ = "bookings"
    __table_args__ = (
        sa.CheckConstraint("kind IN ('package', 'plus_one')", name="kind"),
        sa.CheckConstraint("sessions_count > 0", name="sessions_positive"),
        sa.Index("ix_bookings_coach_client", "coach_id", "client_user_id", "booked_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    coach_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"))
    client_user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"), index=True)
    package_id: Mapped[int | None] = mapped_column(sa.ForeignKey("packages.id"))
    kind: Mapped[BookingKind] = mapped_column(stored_enum(BookingKind, 10))
    sessions_count: Mapped[int]
    total_minor: Mapped[int] = mapped_column(sa.BigInteger)
    rate_minor: Mapped[int] = mapped_column(sa.BigInteger)
    currency: Mapped[str] = mapped_column(sa.String(3))
    auto_renewal_allowed: Mapped[bool] = mapped_column(default=True)
    booked_at: Mapped[datetime] = mapped_column(UTCDateTime, default=now_default)
    # Exactly once: a +1 booking names the completed session that caused it, uniquely.
    # (No foreign key: sessions already point at bookings, and a cycle complicates migrations.)
    caused_by_session_id: Mapped[int | None] = mapped_column(unique=True)
    voided_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    # A voided +1 booking releases caused_by_session_id (so completing that session again may
    # book anew) and keeps the cause here for the history.
    voided_cause_session_id: Mapped[int | None] = mapped_column()

    package: Mapped[Package | None] = relationship(lazy="raise")


class CoachingSession(db.Model):
    """One paid coached session created by a booking; remaining until completed or void."""

    __tablename__ = "coaching_sessions"
    __table_args__ = (
        sa.CheckConstraint("status IN ('remaining', 'completed', 'void')", name="status"),
        sa.Index("ix_coaching_sessions_coach_client", "coach_id", "client_user_id", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    booking_id: Mapped[int] = mapped_column(sa.ForeignKey("bookings.id"), index=True)
    coach_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"))
    client_user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"))
    status: Mapped[SessionStatus] = mapped_column(
        stored_enum(SessionStatus, 10), default=SessionStatus.REMAINING
    )
    # Placement on a calendar (a client row of one of the coach's programs).
    calendar_client_id: Mapped[int | None] = mapped_column(sa.ForeignKey("clients.id"), index=True)
    scheduled_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    completed_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    completed_by_id: Mapped[int | None] = mapped_column(sa.ForeignKey("users.id"))
    # The last change (placed, moved, completed): the DTSTAMP of its event in the client's feed.
    updated_at: Mapped[datetime] = mapped_column(
        UTCDateTime, default=now_default, onupdate=now_default
    )

    booking: Mapped[Booking] = relationship(lazy="raise", foreign_keys=[booking_id])


class PlusOneEnrolment(db.Model):
    """A client's +1 auto-renewal enrolment with one coach."""

    __tablename__ = "plus_one_enrolments"
    __table_args__ = (sa.UniqueConstraint("coach_id", "client_user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    coach_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"))
    client_user_id: Mapped[int] = mapped_column(sa.ForeignKey("users.id"))
    enrolled: Mapped[bool] = mapped_column(default=False)
    paused_until: Mapped[date | None] = mapped_column(sa.Date)
    updated_at: Mapped[datetime] = mapped_column(
        UTCDateTime, default=now_default, onupdate=now_default
    )
