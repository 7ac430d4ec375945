from datetime import date

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
