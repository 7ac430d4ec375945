from datetime import UTC, date, datetime, timedelta

import pytest
from flask import url_for

from webapp.web.converters import MAX_ID
from webapp.web.templating import RowUrl, long_date, short_date


class TestRowUrl:
    @pytest.mark.parametrize("row_id", [1, 7, 70, 2026, MAX_ID])
    def test_it_gives_the_url_for_of_each_rows_id(self, app, row_id):
        with app.test_request_context():
            remove = RowUrl("clients.remove", "client_id")
            revoke = RowUrl("clients.revoke", "invitation_id", program_id=7)
            assert remove(row_id) == url_for("clients.remove", client_id=row_id)
            assert revoke(row_id) == url_for("clients.revoke", program_id=7, invitation_id=row_id)

    def test_an_id_the_route_does_not_take_goes_in_the_query_as_with_url_for(self, app):
        with app.test_request_context():
            assert RowUrl("programs.index", "client_id")(5) == url_for(
                "programs.index", client_id=5
            )


class TestDates:
    def test_long_and_short_dates_read_as_strftime_writes_them(self):
        for n in range(0, 800, 3):
            day = date(2026, 1, 1) + timedelta(days=n)
            assert long_date(day) == f"{day:%a} {day.day} {day:%b %Y}"
            assert short_date(day) == f"{day.day} {day:%b}"

    def test_a_moment_is_dated_in_the_given_time_zone(self):
        moment = datetime(2026, 3, 5, 23, 30, tzinfo=UTC)
        assert long_date(moment) == "Thu 5 Mar 2026"
        assert long_date(moment, "Pacific/Auckland") == "Fri 6 Mar 2026"
