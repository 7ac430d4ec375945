"""The reports page: figures by month, a chart with a text alternative, liability per client."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa

from tests.services.test_reports import _year, _year_more
from tests.support.queries import counted_queries
from webapp.extensions import db
from webapp.models import CoachingSession
from webapp.models.packages import Booking
from webapp.models.payments import LedgerEntry

NOW = datetime(2026, 1, 10, 9, 0, tzinfo=UTC)
pytestmark = pytest.mark.usefixtures("frozen_clock")


def _seed(app, pair):
    with app.app_context():
        booking = Booking(
            coach_id=pair.coach_id,
            client_user_id=pair.person_id,
            kind="package",
            sessions_count=3,
            total_minor=10000,
            rate_minor=3333,
            currency="GBP",
            booked_at=datetime(2025, 11, 3, tzinfo=UTC),
        )
        db.session.add(booking)
        db.session.add_all(
            CoachingSession(
                booking=booking,
                coach_id=pair.coach_id,
                client_user_id=pair.person_id,
                status=status,
                completed_at=datetime(2025, 12, 4, tzinfo=UTC) if status == "completed" else None,
            )
            for status in ("completed", "remaining", "remaining")
        )
        db.session.add_all(
            [
                LedgerEntry(
                    coach_id=pair.coach_id,
                    client_user_id=pair.person_id,
                    kind="manual",
                    status="succeeded",
                    amount_minor=10000,
                    currency="GBP",
                    created_at=datetime(2025, 11, 3, tzinfo=UTC),
                ),
                LedgerEntry(
                    coach_id=pair.coach_id,
                    client_user_id=pair.person_id,
                    kind="refund",
                    status="succeeded",
                    amount_minor=1500,
                    currency="GBP",
                    created_at=datetime(2025, 12, 20, tzinfo=UTC),
                ),
            ]
        )
        db.session.commit()


def _row(html: str, row_id: str) -> list[str]:
    row = re.search(rf'<tr id="{row_id}">(.*?)</tr>', html, re.S).group(1)
    return [
        re.sub(r"<[^>]+>", "", cell).strip()
        for cell in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)
    ]


def test_the_coach_sees_each_month_and_the_liability(app, pair, coach):
    _seed(app, pair)
    html = coach.get("/reports?from=2025-11&to=2026-01&currency=GBP").get_data(as_text=True)
    assert _row(html, "month-2025-11") == ["2025-11", "£100.00", "£0.00", "£100.00", "0", "0", "0"]
    assert _row(html, "month-2025-12") == ["2025-12", "£0.00", "£15.00", "-£15.00", "1", "0", "1"]
    assert _row(html, "month-total")[1:4] == ["£100.00", "£15.00", "£85.00"]
    assert "£66.66" in re.search(r'id="liability-total">(.*?)</p>', html, re.S).group(1)
    assert _row(html, f"liability-{pair.person_id}") == ["Dana Client 1", "2", "£66.66"]
    assert f'href="/clients/{pair.client_id}/sessions"' in html
    # The chart carries its figures as text for screen readers and print.
    assert '<svg id="revenue-chart" role="img"' in html
    assert "2025-12: -£15.00" in html


def test_bad_input_gets_a_message_not_an_error(app, pair, coach):
    page = coach.get("/reports?from=2026-05&to=2025-01&currency=XXX")
    html = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "The range ends before it starts." in html
    assert "<h1>Reports</h1>" in coach.get("/reports?from=nonsense&to=9999-12").get_data(
        as_text=True
    )
    for query in ("client=abc", "program=-1", "client=" + "9" * 30):
        page = coach.get(f"/reports?{query}")
        assert page.status_code == 404 and "<h1>Reports</h1>" not in page.get_data(as_text=True), (
            query
        )


def test_another_coachs_client_or_program_is_not_found(app, pair, coach):
    from tests.support.plusone import make_pair

    other = make_pair(app, n=2)
    _seed(app, other)
    for query in (f"client={other.person_id}", f"program={other.program_id}"):
        for path in ("/reports", "/reports/months.csv", "/reports/ledger", "/reports/remaining"):
            page = coach.get(f"{path}?from=2025-11&to=2026-01&{query}")
            assert page.status_code == 404, (path, query)
            assert "Dana Client 2" not in page.get_data(as_text=True)


def test_the_page_runs_the_same_queries_for_1_and_36_months_and_10_and_1000_clients(
    app, pair, coach
):
    def count(query: str) -> int:
        with counted_queries(app) as statements:
            coach.get("/reports?" + query)
        return len(statements)

    _year(app, pair.coach_id, clients=10)
    one = count("from=2025-03&to=2025-03")
    assert count("from=2023-01&to=2025-12") == one
    _year_more(app, pair.coach_id)
    assert count("from=2023-01&to=2025-12") == one <= 6


def test_a_client_whose_last_placed_session_is_within_14_days_is_listed(app, pair, coach):
    _seed(app, pair)
    html = coach.get("/reports").get_data(as_text=True)
    assert f'id="running-out-{pair.person_id}"' not in html  # two sessions not placed yet
    with app.app_context():
        for row in db.session.scalars(
            sa.select(CoachingSession).where(CoachingSession.status == "remaining")
        ):
            row.scheduled_at = NOW + timedelta(days=10)
        db.session.commit()
    html = coach.get("/reports").get_data(as_text=True)
    assert (
        f'<li id="running-out-{pair.person_id}">'
        f'<a href="/clients/{pair.client_id}/sessions">Dana Client 1</a></li>' in html
    )
