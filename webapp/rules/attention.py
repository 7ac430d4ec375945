"""Who needs the coach's attention beyond their calendar: clients whose sessions have run out.

Callers pass plain values and `today`; nothing here reads a clock or a database.
"""

from __future__ import annotations

from datetime import date

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
