"""Packages and the +1 program: one session always on deck, booked at the last package's rate.

Callers pass plain values (counts, dates, Money) and `today`/`now`; nothing here reads a clock
or a database.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo

from webapp.rules import RuleError
from webapp.rules.money import Money, per_session_rate

MAX_SESSIONS_PER_PACKAGE = 500


class PlusOneError(RuleError):
    pass


class BookingKind(StrEnum):
    PACKAGE = "package"  # N sessions from a coach's package
    PLUS_ONE = "plus_one"  # the one session +1 books when the last is completed


class SessionStatus(StrEnum):
    REMAINING = "remaining"
    COMPLETED = "completed"
    VOID = "void"  # a +1 session undone with the completion that booked it


@dataclass(frozen=True)
class PackageBooking:
    """What the +1 rate comes from: one package booking as it was when booked."""

    sessions_count: int
    total: Money
    rate: Money
    auto_renewal_allowed: bool
    booked_at: datetime


@dataclass(frozen=True)
class Enrolment:
    enrolled: bool
    paused_until: date | None = None

    def paused_on(self, today: date) -> bool:
        # Paused until D: no +1 before D; it resumes on D itself.
        return self.paused_until is not None and today < self.paused_until


class EnrolmentStatus(StrEnum):
    """Where a client stands with +1, as the coach and the client read it."""

    NOT_ENROLLED = "not enrolled"
    PAUSED = "paused"
    ENROLLED = "enrolled"


class Reason(StrEnum):
    BOOK = "book"
    SESSIONS_REMAIN = "sessions_remain"
    NEVER_BOOKED = "never_booked"
    NOT_ENROLLED = "not_enrolled"
    PAUSED = "paused"
    NO_AUTO_RENEWAL = "no_auto_renewal"
    NOTHING_TO_COMPLETE = "nothing_to_complete"


@dataclass(frozen=True)
class PlusOneDecision:
    """Either "book one session at `rate`" or "nothing", always with the reason."""

    reason: Reason
    message: str
    rate: Money | None = None

    @property
    def books(self) -> bool:
        return self.reason is Reason.BOOK


def package_rate(sessions_count: int, total: Money) -> Money:
    """Per-session rate of a package of `sessions_count` sessions for `total`."""
    return per_session_rate(total, sessions_count)


def check_package(sessions_count: int, total: Money) -> Money:
    """The rate of a package a coach may offer, or PlusOneError saying what is wrong."""
    if sessions_count < 1:
        raise PlusOneError("A package needs at least one session.")
    if sessions_count > MAX_SESSIONS_PER_PACKAGE:
        raise PlusOneError(f"A package has at most {MAX_SESSIONS_PER_PACKAGE} sessions.")
    return package_rate(sessions_count, total)


def enrolment_status(enrolment: Enrolment | None, today: date) -> EnrolmentStatus:
    """Enrolled, paused on the client's `today`, or not enrolled at all."""
    if enrolment is None or not enrolment.enrolled:
        return EnrolmentStatus.NOT_ENROLLED
    if enrolment.paused_on(today):
        return EnrolmentStatus.PAUSED
    return EnrolmentStatus.ENROLLED


def plus_one_rate(last: PackageBooking | None) -> Money | None:
    """The +1 rate: the per-session rate of the last package booked, as it was booked."""
    return last.rate if last is not None else None


def check_may_enrol(package_bookings: int) -> None:
    """A client may enrol with a coach only after booking at least one package with them."""
    if package_bookings < 1:
        raise PlusOneError(
            "Book a package with this coach first: +1 keeps one session on deck at the rate "
            "of your last package, so it needs one to start from."
        )


def check_pause(until: date | None, today: date, enrolment: Enrolment | None) -> date:
    if enrolment is None or not enrolment.enrolled:
        raise PlusOneError("Enrol in +1 before pausing it.")
    if until is None:
        raise PlusOneError("Choose the date +1 should resume.")
    if until <= today:
        raise PlusOneError("Choose a date after today.")
    if until > today + timedelta(days=366):
        raise PlusOneError("Pause for at most a year.")
    return until


def decide(
    *,
    remaining_after: int,
    enrolment: Enrolment | None,
    last: PackageBooking | None,
    today: date,
) -> PlusOneDecision:
    """After a session is completed: book one +1 session, or nothing and why.

    `remaining_after` is the client's remaining sessions with this coach once the completed
    session no longer counts.
    """
    if remaining_after < 0:
        raise PlusOneError("Remaining sessions cannot be negative.")
    if remaining_after > 0:
        noun = "session remains" if remaining_after == 1 else "sessions remain"
        return PlusOneDecision(Reason.SESSIONS_REMAIN, f"{remaining_after} {noun}.")
    return readiness(enrolment=enrolment, last=last, today=today)


def readiness(
    *, enrolment: Enrolment | None, last: PackageBooking | None, today: date
) -> PlusOneDecision:
    """What +1 would do once the client has no remaining session (shown to coach and client)."""
    if last is None:
        return PlusOneDecision(Reason.NEVER_BOOKED, "Never booked a package with this coach.")
    if enrolment is None or not enrolment.enrolled:
        return PlusOneDecision(Reason.NOT_ENROLLED, "Not enrolled in +1.")
    if enrolment.paused_on(today):
        until = enrolment.paused_until
        assert until is not None  # paused_on(today) says there is one
        return PlusOneDecision(Reason.PAUSED, f"+1 is paused until {until.day} {until:%b %Y}.")
    if not last.auto_renewal_allowed:
        return PlusOneDecision(Reason.NO_AUTO_RENEWAL, "Last package does not offer auto-renewal.")
    return PlusOneDecision(
        Reason.BOOK,
        "Book one session at the per-session rate of the last package.",
        rate=plus_one_rate(last),
    )


def outlook(
    *, remaining: int, enrolment: Enrolment | None, last: PackageBooking | None, today: date
) -> PlusOneDecision:
    """What +1 will do for a client as things stand (shown to the coach).

    Like `readiness`, except that +1 books only when a session is completed: a client who
    enrolled or resumed after their last session was completed has none left to complete,
    so nothing will book.
    """
    why = readiness(enrolment=enrolment, last=last, today=today)
    if why.books and remaining == 0:
        return PlusOneDecision(
            Reason.NOTHING_TO_COMPLETE,
            "Enrolled in +1, but no session is left to complete, so +1 will not book one.",
        )
    return why


def on_deck_slot(
    completed_at_slot: datetime | None, now: datetime, time_zone: str
) -> datetime | None:
    """Where the +1 session goes: same weekday and local time as the session just completed.

    The first such slot after both `now` and the completed session (so at least next week), in
    the client's time zone, so the wall-clock time survives daylight-saving changes. None when
    the completed session was never placed.
    """
    if completed_at_slot is None:
        return None
    zone = ZoneInfo(time_zone)
    local = completed_at_slot.astimezone(zone)
    after = max(now, completed_at_slot)
    day = local.date()
    while True:
        day += timedelta(days=7)
        candidate = _local_to_utc(day, local, zone)
        if candidate > after:
            return candidate


def _local_to_utc(day: date, wall: datetime, zone: ZoneInfo) -> datetime:
    naive = datetime.combine(day, wall.time().replace(tzinfo=None))
    # Round-trip through UTC so a wall time that does not exist (spring forward) is normalised.
    return naive.replace(tzinfo=zone).astimezone(ZoneInfo("UTC"))


def local_slot(on_date: date, at_time, time_zone: str) -> datetime:
    """A client's local date and time as an aware UTC datetime."""
    naive = datetime.combine(on_date, at_time)
    return naive.replace(tzinfo=ZoneInfo(time_zone)).astimezone(ZoneInfo("UTC"))
