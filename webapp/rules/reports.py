"""The money rules of a coach's reports: month buckets, revenue, prepaid liability, run-out.

Pure: the caller passes the rows (already summed per month in SQL) and `now`.
Months are calendar months in UTC, written `YYYY-MM`, the same key the SQL groups by.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from webapp.rules import RuleError
from webapp.rules.money import Money

# Clients whose remaining sessions run out within this many days (with no +1) are listed.
RUN_OUT_DAYS = 14
# The longest range a report covers, so a typed-in range cannot ask for centuries.
MAX_MONTHS = 120


class ReportError(RuleError):
    pass


def month_key(day: date) -> str:
    return f"{day.year:04d}-{day.month:02d}"


def months_between(first: date, last: date) -> list[str]:
    """Every month from `first`'s to `last`'s, both included, as `YYYY-MM` keys."""
    if last < first:
        raise ReportError("The range ends before it starts.")
    count = (last.year - first.year) * 12 + last.month - first.month + 1
    if count > MAX_MONTHS:
        raise ReportError(f"A report covers at most {MAX_MONTHS} months.")
    year, month = first.year, first.month
    keys = []
    for _ in range(count):
        keys.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return keys


def range_bounds(first: date, last: date) -> tuple[date, date]:
    """The first day of `first`'s month and the first day after `last`'s month (exclusive)."""
    months_between(first, last)
    start = first.replace(day=1)
    end = date(last.year + 1, 1, 1) if last.month == 12 else date(last.year, last.month + 1, 1)
    return start, end


@dataclass(frozen=True)
class MonthFigures:
    month: str
    paid: Money  # charges and manual payments that succeeded
    refunded: Money
    sessions_delivered: int
    plus_ones_booked: int
    active_clients: int

    @property
    def revenue(self) -> Money:
        """Revenue recorded, less refunds."""
        return Money(self.paid.minor - self.refunded.minor, self.paid.currency)


def monthly(
    months: Iterable[str],
    currency: str,
    paid: Mapping[str, int],
    refunded: Mapping[str, int],
    delivered: Mapping[str, int],
    plus_ones: Mapping[str, int],
    active: Mapping[str, int],
) -> list[MonthFigures]:
    """One row per month of the range, zero where the SQL found nothing for that month."""
    return [
        MonthFigures(
            month=key,
            paid=Money(int(paid.get(key, 0)), currency),
            refunded=Money(int(refunded.get(key, 0)), currency),
            sessions_delivered=int(delivered.get(key, 0)),
            plus_ones_booked=int(plus_ones.get(key, 0)),
            active_clients=int(active.get(key, 0)),
        )
        for key in months
    ]


def total(rows: Iterable[MonthFigures], currency: str) -> MonthFigures:
    rows = list(rows)
    return MonthFigures(
        month="total",
        paid=Money(sum(row.paid.minor for row in rows), currency),
        refunded=Money(sum(row.refunded.minor for row in rows), currency),
        sessions_delivered=sum(row.sessions_delivered for row in rows),
        plus_ones_booked=sum(row.plus_ones_booked for row in rows),
        # Not a sum: a client active in two months is one client. The caller counts it in SQL.
        active_clients=0,
    )


@dataclass(frozen=True)
class Liability:
    client_user_id: int
    remaining_sessions: int
    owed: Money  # the sum, per booking, of remaining sessions × that booking's rate


def liability(remaining: int, rate_minor: int, currency: str) -> Money:
    """Prepaid work still owed for one booking: remaining sessions × its per-session rate.

    The rate is already a whole number of minor units (a booking stores it rounded, and the
    last session absorbs the remainder), so no rounding happens here; negative inputs are
    refused rather than netted against other bookings.
    """
    if remaining < 0 or rate_minor < 0:
        raise ReportError("Remaining sessions and rates are never negative.")
    return Money(remaining * rate_minor, currency)


def runs_out_soon(
    remaining: int,
    unplaced: int,
    last_scheduled: datetime | None,
    plus_one: bool,
    now: datetime,
) -> bool:
    """A client runs out within RUN_OUT_DAYS when they have sessions left, no +1, every
    remaining session is placed on the calendar, and the last of them falls in the window."""
    if plus_one or remaining <= 0 or unplaced > 0 or last_scheduled is None:
        return False
    return last_scheduled <= now + timedelta(days=RUN_OUT_DAYS)
