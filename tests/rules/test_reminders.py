"""Reminder and notice rules: offsets typed by a coach, due times, skipping, wording."""

from datetime import UTC, date, datetime, timedelta

import pytest

from webapp.rules.reminders import (
    DEFAULT_OFFSETS,
    Change,
    Move,
    ReminderError,
    SessionFacts,
    SkipReason,
    change_is_visible,
    due_times,
    net_changes,
    next_text,
    offset_text,
    offsets_field_text,
    parse_offsets,
    position_text,
    reminder_time,
    skip_reason,
    stored_offsets,
)

NOW = datetime(2026, 12, 7, 9, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("typed", "minutes"),
    [
        ("24, 2", (1440, 120)),
        ("48, 1", (2880, 60)),
        ("1, 48", (2880, 60)),
        ("90m", (90,)),
        ("1.5", (90,)),
        ("2d, 30 min", (2880, 30)),
        ("336", (336 * 60,)),
        ("", ()),
        (" , ", ()),
    ],
)
def test_offsets_are_read_as_minutes_longest_first(typed, minutes):
    assert parse_offsets(typed) == minutes


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("-2", "negative"),
        ("24, -1", "negative"),
        ("337", "over 14 days"),
        ("15d", "over 14 days"),
        ("2, 2", "given twice"),
        ("120m, 2", "given twice"),
        ("0", "no time"),
        ("soon", "not a time"),
        ("1e3", "not a time"),
        ("1, 2, 3, 4, 5, 6", "At most 5"),
    ],
)
def test_bad_offsets_are_refused_with_a_reason(typed, message):
    with pytest.raises(ReminderError, match=message):
        parse_offsets(typed)


def test_offsets_round_trip_through_the_settings_field():
    for minutes in [(1440, 120), (2880, 60), (90,), ()]:
        assert parse_offsets(offsets_field_text(minutes)) == minutes
    assert stored_offsets("1440,120") == DEFAULT_OFFSETS == (1440, 120)
    assert stored_offsets("") == ()
    assert stored_offsets("x") == DEFAULT_OFFSETS
    assert offset_text(90) == "1 h 30 min" and offset_text(45) == "45 min"


def test_due_times_are_before_the_session_and_only_those_still_ahead():
    starts = NOW + timedelta(hours=5)
    assert due_times(starts, (1440, 120), NOW) == {120: starts - timedelta(hours=2)}
    later = NOW + timedelta(days=3)
    assert due_times(later, (1440, 120), NOW) == {
        1440: later - timedelta(days=1),
        120: later - timedelta(hours=2),
    }
    assert due_times(NOW - timedelta(hours=1), (120,), NOW) == {}


def facts(**given) -> SessionFacts:
    values = {
        "status_remaining": True,
        "placed": True,
        "starts": NOW + timedelta(hours=2),
        "reminders_off": False,
        "has_account": True,
    }
    return SessionFacts(**{**values, **given})


@pytest.mark.parametrize(
    ("given", "reason"),
    [
        ({}, None),
        ({"starts": NOW}, SkipReason.STARTED),
        ({"starts": NOW - timedelta(minutes=1)}, SkipReason.STARTED),
        ({"status_remaining": False}, SkipReason.NOT_REMAINING),
        ({"placed": False}, SkipReason.UNPLACED),
        ({"reminders_off": True}, SkipReason.REMINDERS_OFF),
        ({"has_account": False}, SkipReason.NO_ACCOUNT),
    ],
)
def test_a_due_reminder_is_skipped_when_its_session_no_longer_calls_for_it(given, reason):
    assert skip_reason(facts(**given), NOW) == reason


def test_what_the_reminder_says_comes_next():
    assert position_text(4, 5) == "session 4 of 5"
    assert next_text(2, None) == "After this one you have 2 more sessions booked."
    assert next_text(1, "£50.00") == "After this one you have 1 more session booked."
    assert next_text(0, "£50.00") == "This is your last session: +1 will book one more at £50.00."
    assert next_text(0, None) == "No sessions left after this one."


def test_changes_are_netted_per_item_from_first_before_to_last_after():
    d = date(2026, 12, 10)
    moves = [
        Move("entry-1", "Squats", d, d + timedelta(days=1), NOW),
        Move("session-2", "Coaching session", NOW, NOW + timedelta(days=1), NOW),
        Move("entry-1", "Squats", d + timedelta(days=1), d + timedelta(days=2), NOW),
        Move("entry-3", "Run", d, d + timedelta(days=1), NOW),
        Move("entry-3", "Run", d + timedelta(days=1), d, NOW),  # back where it was
    ]
    assert net_changes(moves) == [
        Change("Squats", d, d + timedelta(days=2)),
        Change("Coaching session", NOW, NOW + timedelta(days=1)),
    ]


@pytest.mark.parametrize(
    ("days", "visible"),
    [
        ([date(2026, 12, 8), date(2026, 12, 30)], True),  # leaves a day they see
        ([date(2026, 12, 30), date(2026, 12, 14)], True),  # reaches the last day they see
        ([date(2026, 12, 30), date(2027, 1, 6)], False),  # beyond the horizon both ways
        ([date(2026, 11, 1), None], False),  # before their calendar starts
        ([None, None], False),
    ],
)
def test_a_change_concerns_the_client_only_inside_what_they_see(days, visible):
    seen = change_is_visible(days, start=date(2026, 12, 1), today=date(2026, 12, 7), horizon_days=7)
    assert seen is visible


def test_a_client_who_sees_everything_written_is_told_of_any_change_after_their_start():
    far = [date(2027, 6, 1), date(2027, 6, 8)]
    assert change_is_visible(far, start=date(2026, 12, 1), today=NOW.date(), horizon_days=None)


LONDON = "Europe/London"


@pytest.mark.parametrize(
    ("starts_utc", "offset", "due_utc"),
    [
        # Sunday 28 March 2027 18:30 BST; the clocks went forward at 01:00 that morning.
        (
            datetime(2027, 3, 28, 17, 30, tzinfo=UTC),
            1440,
            datetime(2027, 3, 27, 18, 30, tzinfo=UTC),
        ),
        (datetime(2027, 3, 28, 17, 30, tzinfo=UTC), 120, datetime(2027, 3, 28, 15, 30, tzinfo=UTC)),
        # Sunday 31 October 2027 18:30 GMT; the clocks went back that morning.
        (
            datetime(2027, 10, 31, 18, 30, tzinfo=UTC),
            1440,
            datetime(2027, 10, 30, 17, 30, tzinfo=UTC),
        ),
        # A day and a half: Saturday 18:30 (GMT, before the change), less 12 hours.
        (datetime(2027, 3, 28, 17, 30, tzinfo=UTC), 2160, datetime(2027, 3, 27, 6, 30, tzinfo=UTC)),
    ],
)
def test_whole_days_before_count_on_the_clients_clock_across_a_change_of_clock(
    starts_utc, offset, due_utc
):
    assert reminder_time(starts_utc, offset, LONDON) == due_utc
    assert due_times(starts_utc, (offset,), NOW, LONDON) == {offset: due_utc}


def test_a_day_before_a_time_the_clocks_skip_falls_on_the_hour_after():
    # Monday 29 March 2027 01:30 BST: a day before is 01:30 on Sunday, which London skipped.
    starts = datetime(2027, 3, 29, 0, 30, tzinfo=UTC)
    assert reminder_time(starts, 1440, LONDON) == datetime(2027, 3, 28, 1, 30, tzinfo=UTC)
