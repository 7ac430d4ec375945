from datetime import UTC, datetime, timedelta

import pytest

from webapp.rules.sessions import SessionLimits, duration_text, ended, should_record_seen

T0 = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)
LIMITS = SessionLimits(idle=timedelta(hours=12), max_age=timedelta(days=30))


def ends(*, logged_in_ago: timedelta, seen_ago: timedelta) -> str | None:
    now = T0 + timedelta(days=40)
    return ended(logged_in_at=now - logged_in_ago, seen_at=now - seen_ago, now=now, limits=LIMITS)


def test_a_session_seen_lately_and_young_enough_lasts():
    assert ends(logged_in_ago=timedelta(days=29), seen_ago=timedelta(hours=11)) is None


def test_a_session_idle_for_the_idle_limit_has_ended():
    why = ends(logged_in_ago=timedelta(days=1), seen_ago=timedelta(hours=12))
    assert why == "You were logged out after 12 hours without activity. Please log in again."


def test_a_session_as_old_as_the_maximum_has_ended_however_active():
    why = ends(logged_in_ago=timedelta(days=30), seen_ago=timedelta(0))
    assert why == "Sessions last at most 30 days. Please log in again."


@pytest.mark.parametrize(("logged_in_at", "seen_at"), [(None, T0), (T0, None), (None, None)])
def test_a_session_that_does_not_say_when_it_began_has_ended(logged_in_at, seen_at):
    assert ended(logged_in_at=logged_in_at, seen_at=seen_at, now=T0, limits=LIMITS)


def test_last_seen_is_rewritten_at_most_once_a_minute():
    assert not should_record_seen(T0, T0 + timedelta(seconds=59))
    assert should_record_seen(T0, T0 + timedelta(minutes=1))


@pytest.mark.parametrize(
    ("delta", "text"),
    [
        (timedelta(minutes=30), "30 minutes"),
        (timedelta(minutes=1), "1 minute"),
        (timedelta(hours=1), "1 hour"),
        (timedelta(hours=12), "12 hours"),
        (timedelta(days=1), "1 day"),
        (timedelta(days=30), "30 days"),
        (timedelta(minutes=90), "90 minutes"),
    ],
)
def test_durations_read_in_the_largest_whole_unit(delta, text):
    assert duration_text(delta) == text
