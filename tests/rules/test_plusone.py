import re
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from webapp.rules.money import Money, MoneyError
from webapp.rules.plusone import (
    Enrolment,
    EnrolmentStatus,
    PackageBooking,
    PlusOneError,
    Reason,
    check_may_enrol,
    check_package,
    check_pause,
    decide,
    enrolment_status,
    last_package,
    local_slot,
    on_deck_slot,
    package_rate,
    plus_one_rate,
    readiness,
)

TODAY = date(2026, 3, 10)
GBP = "GBP"


def booking(sessions, total, *, day=1, auto=True):
    total_money = Money(total, GBP)
    return PackageBooking(
        sessions_count=sessions,
        total=total_money,
        rate=package_rate(sessions, total_money),
        auto_renewal_allowed=auto,
        booked_at=datetime(2026, 3, day, 12, tzinfo=UTC),
    )


ENROLLED = Enrolment(enrolled=True)


@pytest.mark.parametrize(
    ("sessions", "total", "rate"),
    [(5, 40000, 8000), (10, 70000, 7000), (3, 10000, 3333), (3, 20000, 6667), (1, 5000, 5000)],
)
def test_the_per_session_rate_is_total_over_sessions_rounded_half_up(sessions, total, rate):
    assert package_rate(sessions, Money(total, GBP)) == Money(rate, GBP)


@pytest.mark.parametrize(
    ("sessions", "message"),
    [(0, "at least one session"), (-3, "at least one session"), (501, "at most 500")],
)
def test_a_package_needs_a_sensible_number_of_sessions(sessions, message):
    with pytest.raises(PlusOneError, match=message):
        check_package(sessions, Money(40000, GBP))


def test_a_negative_total_is_refused():
    with pytest.raises(MoneyError, match="negative"):
        check_package(5, Money(-1, GBP))


def test_the_plus_one_rate_comes_from_the_last_package_booked_not_the_first():
    older, newer = booking(5, 40000, day=1), booking(10, 70000, day=3)
    assert last_package([newer, older]) is newer
    assert plus_one_rate(last_package([older, newer])) == Money(7000, GBP)
    assert plus_one_rate(last_package([])) is None


@pytest.mark.parametrize("count", [0])
def test_a_client_who_never_booked_a_package_may_not_enrol(count):
    with pytest.raises(PlusOneError, match="Book a package with this coach first"):
        check_may_enrol(count)


def test_one_package_booking_is_enough_to_enrol():
    check_may_enrol(1)


@pytest.mark.parametrize(
    ("remaining", "enrolment", "last", "reason", "rate"),
    [
        (0, ENROLLED, booking(5, 40000), Reason.BOOK, 8000),
        (0, ENROLLED, booking(10, 70000), Reason.BOOK, 7000),
        (1, ENROLLED, booking(5, 40000), Reason.SESSIONS_REMAIN, None),
        (4, ENROLLED, booking(5, 40000), Reason.SESSIONS_REMAIN, None),
        (0, None, booking(5, 40000), Reason.NOT_ENROLLED, None),
        (0, Enrolment(enrolled=False), booking(5, 40000), Reason.NOT_ENROLLED, None),
        (0, ENROLLED, None, Reason.NEVER_BOOKED, None),
        (0, Enrolment(True, TODAY + timedelta(days=1)), booking(5, 40000), Reason.PAUSED, None),
        (0, Enrolment(True, TODAY), booking(5, 40000), Reason.BOOK, 8000),
        (0, Enrolment(True, TODAY - timedelta(days=3)), booking(5, 40000), Reason.BOOK, 8000),
        (0, ENROLLED, booking(5, 40000, auto=False), Reason.NO_AUTO_RENEWAL, None),
    ],
)
def test_the_plus_one_decision(remaining, enrolment, last, reason, rate):
    decision = decide(remaining_after=remaining, enrolment=enrolment, last=last, today=TODAY)
    assert decision.reason is reason
    assert decision.books is (reason is Reason.BOOK)
    assert decision.rate == (Money(rate, GBP) if rate else None)
    assert decision.message


@pytest.mark.parametrize(
    ("enrolment", "last", "message"),
    [
        (ENROLLED, booking(5, 40000, auto=False), "Last package does not offer auto-renewal."),
        (Enrolment(True, date(2026, 4, 1)), booking(5, 40000), "paused until 1 Apr 2026"),
        (None, booking(5, 40000), "Not enrolled in +1."),
        (ENROLLED, None, "Never booked a package"),
    ],
)
def test_the_reason_is_worded_for_a_coach(enrolment, last, message):
    assert message in readiness(enrolment=enrolment, last=last, today=TODAY).message


def test_whatever_the_package_size_plus_one_books_one_session_at_its_rate():
    decision = decide(remaining_after=0, enrolment=ENROLLED, last=booking(20, 100000), today=TODAY)
    assert decision.books and decision.rate == Money(5000, GBP)


@pytest.mark.parametrize(
    ("until", "enrolment", "message"),
    [
        (None, ENROLLED, "Choose the date"),
        (TODAY, ENROLLED, "after today"),
        (TODAY - timedelta(days=1), ENROLLED, "after today"),
        (TODAY + timedelta(days=400), ENROLLED, "at most a year"),
        (TODAY + timedelta(days=7), Enrolment(False), "Enrol in +1 before pausing"),
        (TODAY + timedelta(days=7), None, "Enrol in +1 before pausing"),
    ],
)
def test_pausing_needs_an_enrolment_and_a_future_date(until, enrolment, message):
    with pytest.raises(PlusOneError, match=re.escape(message)):
        check_pause(until, TODAY, enrolment)


def test_a_pause_until_a_future_date_is_accepted():
    assert check_pause(TODAY + timedelta(days=7), TODAY, ENROLLED) == TODAY + timedelta(days=7)


LONDON = "Europe/London"


def london(*args):
    return datetime(*args, tzinfo=ZoneInfo(LONDON))


@pytest.mark.parametrize(
    ("completed", "now", "expected"),
    [
        # Tuesday 09:00 completed the same day: next Tuesday 09:00.
        (london(2026, 3, 3, 9), london(2026, 3, 3, 10), london(2026, 3, 10, 9)),
        # Completed late (three weeks on, a Thursday): the first Tuesday 09:00 after now.
        (london(2026, 3, 3, 9), london(2026, 3, 26, 15), london(2026, 3, 31, 9)),
        # Clocks go forward on 29 March: still 09:00 local, an hour earlier in UTC.
        (london(2026, 3, 24, 9), london(2026, 3, 24, 10), london(2026, 3, 31, 9)),
        # Marked complete before it took place: still the week after the session itself.
        (london(2026, 3, 10, 9), london(2026, 3, 9, 18), london(2026, 3, 17, 9)),
        # Exactly on the slot a week later is not "after now": the week after that.
        (london(2026, 3, 3, 9), london(2026, 3, 10, 9), london(2026, 3, 17, 9)),
    ],
)
def test_the_on_deck_slot_is_the_same_weekday_and_local_time_next_week(completed, now, expected):
    slot = on_deck_slot(completed.astimezone(UTC), now.astimezone(UTC), LONDON)
    assert slot == expected
    assert slot.tzinfo is not None
    local = slot.astimezone(ZoneInfo(LONDON))
    assert (local.weekday(), local.hour, local.minute) == (completed.weekday(), 9, 0)


def test_an_unplaced_session_gives_an_unscheduled_plus_one():
    assert on_deck_slot(None, datetime(2026, 3, 3, tzinfo=UTC), LONDON) is None


def test_a_local_date_and_time_becomes_aware_utc():
    slot = local_slot(date(2026, 7, 1), datetime(2026, 7, 1, 9, 30).time(), LONDON)
    assert slot == datetime(2026, 7, 1, 8, 30, tzinfo=UTC)


# --- properties -------------------------------------------------------------------------------

# A step is a package booking (size, total) or one completion.
steps = st.lists(
    st.one_of(
        st.tuples(st.just("book"), st.integers(1, 12), st.integers(0, 200_000)),
        st.tuples(st.just("complete"), st.just(0), st.just(0)),
    ),
    max_size=60,
)
enrolments = st.one_of(
    st.none(),
    st.builds(
        Enrolment,
        enrolled=st.booleans(),
        paused_until=st.one_of(st.none(), st.dates(date(2026, 1, 1), date(2026, 12, 31))),
    ),
)


@settings(max_examples=300, deadline=None)
@given(steps=steps, enrolment=enrolments, auto=st.booleans())
def test_remaining_never_goes_negative_and_plus_one_never_books_while_sessions_remain(
    steps, enrolment, auto
):
    remaining, history = 0, []
    for day, (step, size, total) in enumerate(steps, start=1):
        if step == "book":
            stamp = datetime(2026, 1, 1, tzinfo=UTC) + timedelta(hours=day)
            rate = package_rate(size, Money(total, GBP))
            history.append(PackageBooking(size, Money(total, GBP), rate, auto, stamp))
            remaining += size
            continue
        if remaining == 0:
            continue  # nothing to complete: the workflow's conditional update changes nothing
        remaining -= 1
        decision = decide(
            remaining_after=remaining, enrolment=enrolment, last=last_package(history), today=TODAY
        )
        if remaining > 0:
            assert not decision.books
        if decision.books:
            assert decision.rate == history[-1].rate
            remaining += 1  # exactly one session
        assert remaining >= 0


@given(remaining=st.integers(1, 10_000), enrolment=enrolments, auto=st.booleans())
def test_plus_one_never_books_when_any_session_remains(remaining, enrolment, auto):
    decision = decide(
        remaining_after=remaining,
        enrolment=enrolment,
        last=booking(5, 40000, auto=auto),
        today=TODAY,
    )
    assert not decision.books and decision.reason is Reason.SESSIONS_REMAIN


@given(sessions=st.integers(1, 500), total=st.integers(0, 10**12))
def test_the_rate_is_within_half_a_minor_unit_of_the_exact_share(sessions, total):
    rate = package_rate(sessions, Money(total, GBP)).minor
    assert abs(rate * sessions - total) * 2 <= sessions


def test_negative_remaining_is_a_programming_error():
    with pytest.raises(PlusOneError):
        decide(remaining_after=-1, enrolment=ENROLLED, last=booking(5, 40000), today=TODAY)


@given(
    completed=st.datetimes(datetime(2025, 1, 1), datetime(2027, 12, 31), timezones=st.just(UTC)),
    lag=st.timedeltas(timedelta(days=-6), timedelta(days=120)),
    zone=st.sampled_from(["Europe/London", "America/New_York", "Asia/Tokyo", "UTC"]),
)
def test_the_on_deck_slot_is_after_now_a_week_on_and_keeps_the_wall_clock(completed, lag, zone):
    now = completed + lag
    slot = on_deck_slot(completed, now, zone)
    assert slot > now and slot >= completed + timedelta(days=6, hours=22)
    before, after = completed.astimezone(ZoneInfo(zone)), slot.astimezone(ZoneInfo(zone))
    assert after.weekday() == before.weekday()
    # The same wall-clock time, unless that time does not exist that day (clocks went forward).
    same_wall = (after.hour, after.minute) == (before.hour, before.minute)
    assert same_wall or abs(slot - completed - (after.date() - before.date())) <= timedelta(hours=1)
    # The first such slot: a week earlier would not have been after both now and the session.
    assert slot - timedelta(days=7) <= max(now, completed) + timedelta(hours=1)


@pytest.mark.parametrize(
    ("enrolment", "status"),
    [
        (None, EnrolmentStatus.NOT_ENROLLED),
        (Enrolment(enrolled=False), EnrolmentStatus.NOT_ENROLLED),
        (
            Enrolment(enrolled=False, paused_until=TODAY + timedelta(days=3)),
            EnrolmentStatus.NOT_ENROLLED,
        ),
        (Enrolment(enrolled=True), EnrolmentStatus.ENROLLED),
        (Enrolment(enrolled=True, paused_until=TODAY + timedelta(days=1)), EnrolmentStatus.PAUSED),
        # A pause ends on its date: enrolled again that day.
        (Enrolment(enrolled=True, paused_until=TODAY), EnrolmentStatus.ENROLLED),
    ],
)
def test_the_enrolment_status_reads_the_pause_on_the_clients_today(enrolment, status):
    assert enrolment_status(enrolment, TODAY) is status
