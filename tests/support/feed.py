"""Calendar feeds for parser tests: clients in three time zones with training either side of
each change of clock, and the UTC instants those entries must have, worked out with zoneinfo."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from tests.support.factories import (
    make_client,
    make_client_user,
    make_coach,
    make_program,
    place_booked_session,
)
from webapp.extensions import db
from webapp.models import Booking, CalendarEntry, CoachingSession
from webapp.services.calendar_edits import regenerate_feed

# The days the clocks change in 2027: (clocks go forward, clocks go back).
CLOCK_CHANGES = {
    "Europe/London": (date(2027, 3, 28), date(2027, 10, 31)),
    "America/New_York": (date(2027, 3, 14), date(2027, 11, 7)),
    "Pacific/Auckland": (date(2027, 9, 26), date(2027, 4, 4)),
}
WINTER_DAY = date(2026, 12, 5)  # northern winter, southern summer
SUMMER_DAY = date(2027, 7, 15)  # northern summer, southern winter
TIMES = (time(6, 15), time(18, 30))
SESSION_TIME = time(9, 30)
FEED_START = date(2026, 11, 1)
LONDON_ENTRY_WRITTEN = datetime(2026, 11, 20, 9, 15, 7, tzinfo=UTC)


def timed_days(zone: str) -> list[date]:
    """The winter and summer days, and the day before and after each change of clock."""
    days = [WINTER_DAY, SUMMER_DAY]
    for change in CLOCK_CHANGES[zone]:
        days += [change - timedelta(days=1), change + timedelta(days=1)]
    return days


def all_day_days(zone: str) -> list[date]:
    return [WINTER_DAY, *CLOCK_CHANGES[zone]]


def utc_instant(on: date, at: time, zone: str) -> datetime:
    return datetime.combine(on, at, tzinfo=ZoneInfo(zone)).astimezone(UTC)


@dataclass
class Subscribed:
    feed_path: str
    client_id: int
    # What each event must be, by its title: a UTC instant for timed ones, a date for all-day.
    expected: dict[str, datetime | date]


def subscribed_client(app, zone: str, *, with_sessions: bool = True) -> Subscribed:
    """An active client in `zone` who sees everything written, with training on every day of
    the table, a coaching session placed on the timed days, and a feed URL."""
    with app.app_context():
        coach = make_coach()
        program = make_program(coach)
        user = make_client_user(time_zone=zone)
        client = make_client(program, user=user, start_date=FEED_START)
        client.horizon_days = None  # on insert, None would take the column's default
        expected: dict[str, datetime | date] = {}
        for on in timed_days(zone):
            for at in TIMES:
                title = f"Run {on} {at:%H:%M}"
                db.session.add(
                    CalendarEntry(client_id=client.id, on_date=on, title=title, at_time=at)
                )
                expected[title] = utc_instant(on, at, zone)
        for on in all_day_days(zone):
            title = f"Rest {on}"
            db.session.add(CalendarEntry(client_id=client.id, on_date=on, title=title))
            expected[title] = on
        if with_sessions:
            booking = Booking(
                coach_id=coach.id,
                client_user_id=user.id,
                kind="package",
                sessions_count=len(timed_days(zone)),
                total_minor=10000,
                rate_minor=10000 // len(timed_days(zone)),
                currency="GBP",
            )
            db.session.add(booking)
            db.session.flush()
            for on in timed_days(zone):
                db.session.add(
                    CoachingSession(
                        booking_id=booking.id,
                        coach_id=coach.id,
                        client_user_id=user.id,
                        calendar_client_id=client.id,
                        scheduled_at=utc_instant(on, SESSION_TIME, zone),
                    )
                )
        token = regenerate_feed(client)
        db.session.commit()
        return Subscribed(f"/feeds/{token}.ics", client.id, expected)


def session_instants(zone: str) -> list[datetime]:
    return sorted(utc_instant(on, SESSION_TIME, zone) for on in timed_days(zone))


def london_member(app) -> dict:
    """A London client seeing a week ahead, with one timed entry last changed on 20 Nov."""
    with app.app_context():
        coach = make_coach(email="coach@example.com")
        program = make_program(coach)
        user = make_client_user(email="a@example.com", time_zone="Europe/London")
        row = make_client(program, user=user, start_date=date(2026, 11, 16), horizon_days=7)
        entry = CalendarEntry(
            client_id=row.id,
            on_date=date(2026, 11, 24),
            title="Tempo run",
            at_time=time(18, 30),
            updated_at=LONDON_ENTRY_WRITTEN,
        )
        db.session.add(entry)
        token = regenerate_feed(row)
        db.session.commit()
        return {
            "coach": coach.id,
            "client": row.id,
            "user": user.id,
            "entry": entry.id,
            "path": f"/feeds/{token}.ics",
        }


def placed_session(member: dict, *, on: date) -> CoachingSession:
    """A one-session booking of the member's, its session placed at 09:30 London time."""
    return place_booked_session(
        coach_id=member["coach"],
        client_user_id=member["user"],
        calendar_client_id=member["client"],
        at=utc_instant(on, time(9, 30), "Europe/London"),
    )
