from datetime import date

import pytest

from webapp.rules.calendar import (
    CalendarRuleError,
    NotAllowed,
    WeekDay,
    copy_mapping,
    ensure,
    is_beyond_horizon,
    is_visible_to_client,
    last_visible_date,
    may_log,
    needs_training,
    needs_training_window,
    shifted,
    week_dates,
    week_day,
    week_of,
)
from webapp.rules.invites import State

START = date(2026, 3, 4)  # a Wednesday


@pytest.mark.parametrize(
    ("on", "expected"),
    [
        (date(2026, 3, 4), WeekDay(1, 1)),
        (date(2026, 3, 10), WeekDay(1, 7)),
        (date(2026, 3, 11), WeekDay(2, 1)),
        (date(2026, 3, 25), WeekDay(4, 1)),
        (date(2027, 3, 4), WeekDay(53, 2)),
        (date(2026, 3, 3), None),
        (date(2025, 1, 1), None),
    ],
)
def test_week_and_day_count_from_the_start_date(on, expected):
    assert week_day(on, START) == expected


def test_week_day_reads_as_a_label():
    assert str(WeekDay(1, 1)) == "Week 1 Day 1"


def test_week_dates_begin_on_the_start_weekday():
    assert week_dates(START, 2) == [date(2026, 3, d) for d in range(11, 18)]
    assert week_dates(START, 0)[0] == date(2026, 2, 25)
    assert week_of(date(2026, 3, 3), START) == 0
    assert week_of(date(2026, 3, 18), START) == 3


@pytest.mark.parametrize(
    ("horizon", "last"),
    [(0, date(2026, 11, 22)), (7, date(2026, 11, 29)), (28, date(2026, 12, 20)), (None, None)],
)
def test_last_visible_date_is_today_plus_horizon(horizon, last):
    assert last_visible_date(date(2026, 11, 22), horizon) == last


def test_a_negative_horizon_is_refused():
    with pytest.raises(CalendarRuleError):
        last_visible_date(date(2026, 11, 22), -1)


TODAY = date(2026, 11, 22)


@pytest.mark.parametrize(
    ("on", "start", "horizon", "visible"),
    [
        (date(2026, 11, 28), date(2026, 11, 1), 7, True),  # horizon - 1
        (date(2026, 11, 29), date(2026, 11, 1), 7, True),  # horizon
        (date(2026, 11, 30), date(2026, 11, 1), 7, False),  # horizon + 1
        (date(2026, 11, 22), date(2026, 11, 1), 0, True),  # today with no days ahead
        (date(2026, 11, 23), date(2026, 11, 1), 0, False),
        (date(2026, 10, 31), date(2026, 11, 1), 7, False),  # before the start date
        (date(2026, 11, 1), date(2026, 11, 1), 7, True),
        (date(2030, 1, 1), date(2026, 11, 1), None, True),  # everything written
        (date(2026, 10, 31), date(2026, 11, 1), None, False),
        (date(2026, 12, 1), date(2026, 12, 1), 14, True),  # start in the future, inside horizon
    ],
)
def test_a_client_sees_from_the_start_date_to_today_plus_horizon(on, start, horizon, visible):
    assert is_visible_to_client(on, start=start, today=TODAY, horizon_days=horizon) is visible


@pytest.mark.parametrize(
    ("on", "horizon", "beyond"),
    [
        (date(2026, 11, 29), 7, False),  # the last day they see
        (date(2026, 11, 30), 7, True),
        (date(2026, 11, 22), 0, False),
        (date(2026, 11, 23), 0, True),
        (date(2030, 1, 1), None, False),  # everything written
        (date(2026, 10, 1), 7, False),  # past days are not ahead of the horizon
    ],
)
def test_a_day_after_today_plus_horizon_is_beyond_it(on, horizon, beyond):
    assert is_beyond_horizon(on, today=TODAY, horizon_days=horizon) is beyond


@pytest.mark.parametrize(
    ("own", "state", "visible", "allowed"),
    [
        (True, State.ACTIVE, True, True),
        (False, State.ACTIVE, True, False),
        (True, State.PENDING, True, False),
        (True, State.REMOVED, True, False),
        (True, State.ACTIVE, False, False),
    ],
)
def test_a_client_logs_only_visible_entries_of_their_own_active_membership(
    own, state, visible, allowed
):
    assert may_log(is_own_membership=own, membership_state=state, visible=visible) is allowed


def test_ensure_raises_not_allowed():
    ensure(True)
    with pytest.raises(NotAllowed):
        ensure(False)


@pytest.mark.parametrize(
    ("on", "days", "expected"),
    [
        (date(2026, 11, 22), 7, date(2026, 11, 29)),
        (date(2026, 12, 30), 3, date(2027, 1, 2)),
        (date(2028, 2, 28), 1, date(2028, 2, 29)),
        (date(2026, 11, 22), -2, date(2026, 11, 20)),
        (date(2026, 11, 22), 0, date(2026, 11, 22)),
    ],
)
def test_shift_moves_a_date_by_n_days(on, days, expected):
    assert shifted(on, days) == expected


def test_an_absurd_shift_is_refused():
    with pytest.raises(CalendarRuleError):
        shifted(date(2026, 11, 22), 400)


def test_copy_maps_week_n_to_week_n_of_another_clients_own_start():
    mapping = copy_mapping(date(2026, 3, 2), 3, date(2026, 3, 5), 3)
    assert mapping[date(2026, 3, 16)] == date(2026, 3, 19)  # Week 3 Day 1 -> Week 3 Day 1
    assert mapping[date(2026, 3, 22)] == date(2026, 3, 25)  # Week 3 Day 7 -> Week 3 Day 7
    assert len(mapping) == 7


def test_copy_maps_to_another_week_of_the_same_client():
    mapping = copy_mapping(START, 1, START, 3)
    assert mapping[START] == date(2026, 3, 18)


def test_copy_refuses_weeks_before_the_start():
    with pytest.raises(CalendarRuleError):
        copy_mapping(START, 0, START, 1)


@pytest.mark.parametrize(
    ("written", "horizon", "flag"),
    [
        (6, 7, True),
        (7, 7, False),
        (0, 0, False),
        (13, 14, True),
        (28, 28, False),
        (6, None, True),
        (7, None, False),
    ],
)
def test_needs_training_when_written_days_ahead_are_fewer_than_the_horizon(written, horizon, flag):
    assert needs_training(written, horizon) is flag


def test_needs_training_counts_from_tomorrow_to_the_horizon():
    assert needs_training_window(TODAY, 7) == (date(2026, 11, 23), date(2026, 11, 29))
    assert needs_training_window(TODAY, None) == (date(2026, 11, 23), date(2026, 11, 29))
