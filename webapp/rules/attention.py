"""Who needs the coach's attention: clients whose sessions have run out, and how far their
written training falls short.

Callers pass plain values and `today`; nothing here reads a clock or a database.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from webapp.rules.plusone import (
    Enrolment,
    PackageBooking,
    PlusOneDecision,
    PlusOneError,
    outlook,
)


def sessions_run_out(
    *,
    remaining: int,
    enrolment: Enrolment | None,
    last: PackageBooking | None,
    today: date,
) -> PlusOneDecision | None:
    """Why a client has no session left with the coach and +1 will not book one; None when
    they have a session left, or +1 has nothing to run out of because they never booked a
    package (a 1-2-1 program may be paid by the month, without packages).

    `today` is the client's own date, which decides whether a pause is still running.
    """
    if remaining < 0:
        raise PlusOneError("Remaining sessions cannot be negative.")
    if remaining > 0 or last is None:
        return None
    return outlook(remaining=remaining, enrolment=enrolment, last=last, today=today)


@dataclass(frozen=True)
class TrainingGap:
    """How much of the days a client should have written ahead is written, and the first gap."""

    written: int
    wanted: int
    next_gap: date | None


def training_gap(written_days: set[date], first: date, last: date) -> TrainingGap:
    """Of the days `first` to `last` (inclusive), how many are written and which is the first
    that is not ("3 of 7 days written, next gap Thu 3 Dec")."""
    if last < first:
        return TrainingGap(0, 0, None)
    days = [first + timedelta(days=n) for n in range((last - first).days + 1)]
    gaps = [on for on in days if on not in written_days]
    return TrainingGap(len(days) - len(gaps), len(days), gaps[0] if gaps else None)
