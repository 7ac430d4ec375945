from datetime import UTC, date, datetime

import pytest

from webapp.rules.calendar import CalendarRuleError, copy_mapping, shifted
from webapp.rules.dates import (
    EARLIEST,
    LATEST,
    DateError,
    DateOutOfRange,
    parse_month,
    read_date,
    shift_month,
    today_in,
)


@pytest.mark.parametrize("text", ["2000-01-01", "2026-07-07", " 2100-12-31 "])
def test_a_date_inside_the_range_is_read(text):
    assert EARLIEST <= read_date(text) <= LATEST


@pytest.mark.parametrize(
    "text", ["0001-01-01", "1900-01-01", "1999-12-31", "2101-01-01", "9999-12-31"]
)
def test_a_date_outside_the_range_is_refused_with_the_range(text):
    with pytest.raises(DateOutOfRange, match="from 2000 to 2100"):
        read_date(text)


@pytest.mark.parametrize(
    "text", ["", None, "2026-02-30", "2026-13-01", "20260707", "10000-01-01", "x"]
)
def test_a_malformed_date_asks_for_a_date(text):
    with pytest.raises(DateError, match="Choose a date"):
        read_date(text)


def test_months_page_up_to_the_edges_and_stop():
    assert parse_month("2100-12") == date(2100, 12, 1)
    assert shift_month(date(2100, 12, 1), 1) is None
    assert shift_month(date(2000, 1, 1), -1) is None
    assert shift_month(date(2026, 12, 1), 1) == date(2027, 1, 1)
    assert parse_month("9999-12") is None
    assert parse_month("2026-00") is None


def test_shifting_or_copying_off_the_calendar_is_refused():
    with pytest.raises(CalendarRuleError, match="off the calendar"):
        shifted(date(2100, 12, 1), 60)
    with pytest.raises(CalendarRuleError, match="off the calendar"):
        copy_mapping(date(2026, 1, 5), 1, date(2100, 12, 1), 10)


@pytest.mark.parametrize(
    ("now", "tz", "today"),
    [
        (datetime(2026, 11, 22, 10, 0, tzinfo=UTC), "UTC", date(2026, 11, 22)),
        # Auckland is 13 hours ahead in November: already tomorrow there.
        (datetime(2026, 11, 22, 11, 0, tzinfo=UTC), "Pacific/Auckland", date(2026, 11, 23)),
        (datetime(2026, 11, 22, 10, 59, tzinfo=UTC), "Pacific/Auckland", date(2026, 11, 22)),
        # Behind UTC: still yesterday.
        (datetime(2026, 11, 22, 3, 0, tzinfo=UTC), "America/Los_Angeles", date(2026, 11, 21)),
        (datetime(2026, 11, 22, 3, 0, tzinfo=UTC), "Not/AZone", date(2026, 11, 22)),
    ],
)
def test_today_in_a_time_zone_is_the_date_there(now, tz, today):
    assert today_in(now, tz) == today


def test_today_in_a_time_zone_refuses_a_naive_now():
    with pytest.raises(ValueError):
        today_in(datetime(2026, 11, 22), "UTC")
