"""Feed rules: UTC instants, lasting UIDs, and a Last-Modified that moves only on change."""

from datetime import UTC, date, datetime, time, timedelta

import pytest

from webapp.rules.feed import changed_at, event_uid, starts_at

T0 = datetime(2026, 12, 1, 20, 0, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("on", "zone", "utc"),
    [
        (date(2026, 12, 5), "Europe/London", datetime(2026, 12, 5, 18, 30, tzinfo=UTC)),
        (date(2027, 7, 15), "Europe/London", datetime(2027, 7, 15, 17, 30, tzinfo=UTC)),
        (date(2026, 12, 5), "Pacific/Auckland", datetime(2026, 12, 5, 5, 30, tzinfo=UTC)),
        (date(2027, 7, 15), "America/New_York", datetime(2027, 7, 15, 22, 30, tzinfo=UTC)),
        (date(2026, 12, 5), "Not/A_Zone", datetime(2026, 12, 5, 18, 30, tzinfo=UTC)),
    ],
)
def test_an_evening_written_in_the_clients_zone_starts_at_its_utc_instant(on, zone, utc):
    assert starts_at(on, time(18, 30), zone) == utc


def test_a_uid_names_the_row_and_the_installation_and_no_host():
    assert event_uid("entry", 42, "9c6a2a00db88894b") == "entry-42-9c6a2a00db88894b@ondeck"


def test_an_unchanged_feed_keeps_its_last_modified():
    assert changed_at("v1", T0, "v1", T0 + timedelta(hours=3)) == T0


def test_a_first_or_changed_feed_is_modified_now_to_the_second():
    now = T0 + timedelta(minutes=5, microseconds=700)
    assert changed_at(None, None, "v1", now) == T0 + timedelta(minutes=5)
    assert changed_at("v1", T0, "v2", now) == T0 + timedelta(minutes=5)


def test_two_changes_within_a_second_get_different_seconds():
    first = changed_at(None, None, "v1", T0 + timedelta(microseconds=100))
    second = changed_at("v1", first, "v2", T0 + timedelta(microseconds=900))
    assert second == first + timedelta(seconds=1)
