"""Needs attention says exactly why: how many of the days ahead are written and the first gap,
for pending clients too, in the page and in the top bar's dropdown; the switcher finds clients."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta

import pytest

from tests.support.factories import PASSWORD, make_client, make_coach, make_program
from webapp.extensions import db
from webapp.models import CalendarEntry
from webapp.rules.attention import TrainingGap, training_gap

NOW = datetime(2026, 12, 1, 12, tzinfo=UTC)  # Tue 1 Dec 2026 in London
TODAY = NOW.date()

pytestmark = pytest.mark.usefixtures("frozen_clock")


@pytest.mark.parametrize(
    ("written", "expected"),
    [
        (set(), TrainingGap(0, 7, date(2026, 12, 2))),
        ({date(2026, 12, 2), date(2026, 12, 4)}, TrainingGap(2, 7, date(2026, 12, 3))),
        ({date(2026, 12, 2) + timedelta(days=n) for n in range(7)}, TrainingGap(7, 7, None)),
        ({date(2026, 11, 30), date(2026, 12, 20)}, TrainingGap(0, 7, date(2026, 12, 2))),
    ],
)
def test_the_gap_counts_written_days_of_the_window_and_names_the_first_unwritten(written, expected):
    assert training_gap(written, date(2026, 12, 2), date(2026, 12, 8)) == expected


@pytest.fixture
def coach_browser(app):
    with app.app_context():
        coach = make_coach(email="coach@example.com")
        program = make_program(coach)
        ana = make_client(program, name="Ana Lima", start_date=TODAY)
        pat = make_client(program, name="Pat Pending", state="pending", start_date=TODAY)
        db.session.add_all(
            CalendarEntry(client_id=ana.id, on_date=TODAY + timedelta(days=n), title="Run")
            for n in (1, 2, 4)
        )
        db.session.commit()
        ids = {"ana": ana.id, "pat": pat.id}
    browser = app.test_client()
    browser.login("coach@example.com", PASSWORD)
    return browser, ids


def test_the_page_gives_each_client_written_days_and_next_gap_pending_included(coach_browser):
    browser, ids = coach_browser
    html = browser.get("/needs-attention").get_data(as_text=True)
    reasons = dict(
        re.findall(r'id="needs-training-(\d+)">.*?class="hint training-gap">(.*?)</p>', html, re.S)
    )
    assert reasons == {
        str(ids["ana"]): "3 of 7 days written, next gap Fri 4 Dec",
        str(ids["pat"]): "0 of 7 days written, next gap Wed 2 Dec",
    }
    assert re.search(rf'id="needs-training-{ids["pat"]}">.*?badge-pending">Pending', html, re.S)
    # Write training opens the first gap's day.
    assert f"/clients/{ids['ana']}/calendar?open=2026-12-04" in html


def test_the_top_bar_menu_is_the_count_and_the_list_as_a_fragment(coach_browser):
    browser, ids = coach_browser
    response = browser.get("/needs-attention", headers={"HX-Request": "true"})
    html = response.get_data(as_text=True)
    assert "<html" not in html
    assert re.search(r'hx-swap-oob="innerHTML:#attention-count">2<', html)
    assert f'id="attention-menu-{ids["ana"]}"' in html
    assert "3 of 7 days written, next gap Fri 4 Dec" in html
    assert "HX-Request" in response.headers["Vary"]


class TestSwitcher:
    def test_a_unique_name_goes_straight_to_the_calendar(self, coach_browser):
        browser, ids = coach_browser
        response = browser.get("/clients/go?q=ana")
        assert response.status_code == 303
        assert response.headers["Location"].endswith(f"/clients/{ids['ana']}/calendar")

    def test_several_matches_are_listed_and_none_is_said(self, app, coach_browser):
        browser, ids = coach_browser
        html = browser.get("/clients/go?q=a").get_data(as_text=True)
        assert "Ana Lima" in html and "Pat Pending" in html
        html = browser.get("/clients/go?q=zed").get_data(as_text=True)
        assert "No client's name contains “zed”." in html

    def test_the_names_are_only_the_coachs_own(self, app, coach_browser):
        browser, _ids = coach_browser
        with app.app_context():
            make_client(make_program(make_coach()), name="Olly Other")
        html = browser.get("/clients/names", headers={"HX-Request": "true"}).get_data(as_text=True)
        assert re.findall(r'<option value="(.*?)">', html) == ["Ana Lima", "Pat Pending"]
        html = browser.get("/clients/go?q=olly").get_data(as_text=True)
        assert "No client's name contains “olly”." in html
