"""Who needs the coach's attention: clients whose sessions have run out, and how far their
written training falls short.

Callers pass plain values and `today`; nothing here reads a clock or a database.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

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


class AttentionReason(StrEnum):
    """Why a client is on the list; the first of a client's reasons is the one to act on."""

    TRAINING_GAP = "training gap"
    SESSIONS_RUN_OUT = "sessions run out"
    PAYMENT_DUE = "payment due"
    RENEWAL_FAILED = "renewal failed"


def reasons(
    *, training_gap: bool, sessions_run_out: bool, payment_due: bool, renewal_failed: bool
) -> tuple[AttentionReason, ...]:
    """A client's reasons, most urgent for the coach's day first: training to write today,
    then a session to book, then money to collect."""
    flags = {
        AttentionReason.TRAINING_GAP: training_gap,
        AttentionReason.SESSIONS_RUN_OUT: sessions_run_out,
        AttentionReason.PAYMENT_DUE: payment_due,
        AttentionReason.RENEWAL_FAILED: renewal_failed,
    }
    return tuple(reason for reason, flagged in flags.items() if flagged)
