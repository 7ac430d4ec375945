"""Every report figure links to the rows it sums, and those rows add up to exactly the figure:
for a generated year in two currencies, whole and filtered by program and by client."""

from __future__ import annotations

import csv
import html as entities
import io
import re
from datetime import UTC, date, datetime

import pytest
import sqlalchemy as sa

from tests.services.test_reports import _year, _year_more
from tests.support.factories import make_client, make_program
from tests.support.queries import counted_queries
from webapp.extensions import db
from webapp.models import Client, CoachingSession, Program, User
from webapp.services import reports
from webapp.services.report_scope import Scope

NOW = datetime(2026, 1, 10, 9, 0, tzinfo=UTC)
pytestmark = pytest.mark.usefixtures("frozen_clock")
YEAR = "from=2025-01&to=2025-12"


def _cells(page: str, row_id: str) -> list[tuple[str, str | None]]:
    """(text, link) of each cell of a table row."""
    row = re.search(rf'<tr id="{row_id}">(.*?)</tr>', page, re.S).group(1)
    found = []
    for cell in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S):
        link = re.search(r'href="([^"]+)"', cell)
        text = re.sub(r"<[^>]+>", "", cell).strip()
        found.append((text, entities.unescape(link.group(1)) if link else None))
    return found


def _text(page: str, element_id: str) -> str:
    return re.sub(r"<[^>]+>", "", re.search(rf'id="{element_id}">(.*?)</', page, re.S).group(1))


def _every_page(coach, url: str) -> list[str]:
    """The list's pages, followed by their Next links."""
    pages = [coach.get(url).get_data(as_text=True)]
    while nxt := re.search(r'href="([^"]+)" rel="next"', pages[-1]):
        pages.append(coach.get(entities.unescape(nxt.group(1))).get_data(as_text=True))
    return pages


def _rows(pages: list[str], prefix: str) -> list[str]:
    return [row for page in pages for row in re.findall(rf'<tr id="{prefix}-\d+">.*?</tr>', page)]


def _minor(rows: list[str]) -> int:
    return sum(int(re.search(r'data-minor="(-?\d+)"', row).group(1)) for row in rows)


def _check_links(app, coach, pair, currency: str, query: str, scope: Scope) -> None:
    page = coach.get(f"/reports?{YEAR}&currency={currency}{query}").get_data(as_text=True)
    with app.app_context():
        report = reports.build(scope, currency, date(2025, 1, 1), date(2025, 12, 1))
    for row in [*report.months, None]:
        cells = _cells(page, f"month-{row.month}" if row else "month-total")
        figures = row or report.total
        # Paid, refunded, revenue: the ledger rows of that month, which sum to each of them.
        ledger = _every_page(coach, cells[3][1])
        assert cells[1][1] == cells[2][1] == cells[3][1]
        assert _text(ledger[0], "list-paid") == cells[1][0]
        assert _text(ledger[0], "list-refunded") == cells[2][0]
        assert _text(ledger[0], "list-sum") == cells[3][0]
        assert _minor(_rows(ledger, "ledger")) == figures.revenue.minor
        # Sessions delivered, +1 booked, active clients: that many rows behind each.
        delivered = _rows(_every_page(coach, cells[4][1]), "session")
        assert len(delivered) == int(cells[4][0]) == figures.sessions_delivered
        plus = _rows(_every_page(coach, cells[5][1]), "booking")
        assert len(plus) == int(cells[5][0]) == figures.plus_ones_booked
        active = _rows(_every_page(coach, cells[6][1]), "active")
        expected = row.active_clients if row else report.active_clients
        assert len(active) == int(cells[6][0]) == expected
    # The liability: in total and per client, the remaining sessions behind it.
    owed = re.search(r'id="liability-total">.*?href="([^"]+)"', page, re.S).group(1)
    remaining = _every_page(coach, entities.unescape(owed))
    assert _minor(_rows(remaining, "session")) == report.liability_total
    for liability in report.liabilities:
        cells = _cells(page, f"liability-{liability.client_user_id}")
        theirs = _rows(_every_page(coach, cells[2][1]), "session")
        assert len(theirs) == int(cells[1][0]) == liability.remaining_sessions
        assert _minor(theirs) == liability.owed.minor


def _in_programs(app, pair) -> int:
    """Every generated person a client row, in pairs: one pair in a second program, the next in the
    pair's, so each program has both currencies. Returns the second program's id."""
    with app.app_context():
        coach = db.session.get(User, pair.coach_id)
        second = make_program(coach, name="Group strength")
        first = db.session.get(Program, pair.program_id)
        people = db.session.scalars(sa.select(User).where(User.email.like("report%"))).all()
        for n, person in enumerate(sorted(people, key=lambda p: p.id)):
            make_client(second if n // 2 % 2 == 0 else first, user=person)
        return second.id


@pytest.mark.parametrize("currency", ["GBP", "JPY"])
def test_each_figure_links_to_rows_that_add_up_to_it(app, pair, coach, currency):
    _year(app, pair.coach_id, clients=24)
    _in_programs(app, pair)
    _check_links(app, coach, pair, currency, "", Scope(pair.coach_id))


def test_filtered_figures_link_to_rows_that_add_up_to_them(app, pair, coach):
    _year(app, pair.coach_id, clients=24)
    second = _in_programs(app, pair)
    with app.app_context():
        someone = db.session.scalar(sa.select(User.id).where(User.email == "report3@example.com"))
    _check_links(app, coach, pair, "GBP", f"&program={second}", Scope(pair.coach_id, None, second))
    _check_links(app, coach, pair, "JPY", f"&client={someone}", Scope(pair.coach_id, someone))


def test_a_program_filter_keeps_to_the_people_in_that_program(app, pair, coach):
    _year(app, pair.coach_id, clients=16)
    second = _in_programs(app, pair)
    with app.app_context():
        whole = reports.build(Scope(pair.coach_id), "GBP", date(2025, 1, 1), date(2025, 12, 1))
        parts = [
            reports.build(
                Scope(pair.coach_id, None, pid), "GBP", date(2025, 1, 1), date(2025, 12, 1)
            )
            for pid in (pair.program_id, second)
        ]
    # Everyone is in exactly one of the two programs: the parts add up to the whole.
    assert sum(p.total.revenue.minor for p in parts) == whole.total.revenue.minor
    assert sum(p.liability_total for p in parts) == whole.liability_total
    assert all(0 < p.total.revenue.minor < whole.total.revenue.minor for p in parts)
    page = coach.get(f"/reports?{YEAR}&program={second}").get_data(as_text=True)
    assert "the clients of the program <strong>Group strength</strong>" in page
    assert f'<option value="{second}" selected>Group strength</option>' in page


def test_the_ledger_csv_of_a_month_has_the_rows_of_its_revenue(app, pair, coach):
    _year(app, pair.coach_id, clients=12)
    with app.app_context():
        report = reports.build(Scope(pair.coach_id), "GBP", date(2025, 1, 1), date(2025, 12, 1))
    page = coach.get(f"/reports?{YEAR}&currency=GBP").get_data(as_text=True)
    for row in report.months:
        ledger = coach.get(_cells(page, f"month-{row.month}")[3][1]).get_data(as_text=True)
        url = entities.unescape(re.search(r'id="ledger-csv" href="([^"]+)"', ledger).group(1))
        body = coach.get(url).get_data().decode("utf-8-sig")
        lines = list(csv.DictReader(io.StringIO(body)))
        cents = sum(
            round(float(r["amount"]) * 100) * (-1 if r["kind"] == "refund" else 1) for r in lines
        )
        assert cents == row.revenue.minor, row.month
        assert {r["status"] for r in lines} <= {"succeeded"}


def test_a_bad_month_in_a_link_is_not_found(app, pair, coach):
    for path in ("/reports/ledger", "/reports/sessions", "/reports/plus-ones"):
        page = coach.get(f"{path}?month=2026-13")
        assert page.status_code == 404
        assert "Not found" in page.get_data(as_text=True) or "not found" in page.get_data(
            as_text=True
        )


def test_filtered_views_run_the_same_queries_for_1_and_36_months_and_10_and_1000_clients(
    app, pair, coach
):
    _year(app, pair.coach_id, clients=10)
    second = _in_programs(app, pair)
    scopes = (f"program={second}", f"client={pair.person_id}")
    lists = ("ledger", "sessions", "plus-ones", "active-clients", "remaining")

    def count(path: str) -> int:
        with counted_queries(app) as statements:
            coach.get(path)
        return len(statements)

    def counts() -> list[int]:
        found = []
        for scope in scopes:
            found.append(count(f"/reports?from=2025-03&to=2025-03&{scope}"))
            found.append(count(f"/reports?from=2023-01&to=2025-12&{scope}"))
        for path in lists:
            found.append(count(f"/reports/{path}?month=2025-03&program={second}"))
            found.append(count(f"/reports/{path}?from=2023-01&to=2025-12&program={second}&page=2"))
        return found

    few = counts()
    assert few[0:2] == [few[0]] * 2 and few[2:4] == [few[2]] * 2
    assert all(few[i] == few[i + 1] for i in range(4, len(few), 2))
    # 990 more clients, with bookings and sessions, all in the filtered program.
    _year_more(app, pair.coach_id)
    with app.app_context():
        db.session.add_all(
            Client(
                program_id=second,
                user_id=uid,
                name=f"More {uid}",
                email=f"more{uid}@example.com",
                state="active",
                method="link",
                start_date=date(2025, 1, 1),
            )
            for uid in db.session.scalars(sa.select(User.id).where(User.name.like("Report 1%")))
        )
        db.session.commit()
    assert counts() == few


def test_the_csv_downloads_and_running_out_follow_the_filters(app, pair, coach):
    _year(app, pair.coach_id, clients=16)
    second = _in_programs(app, pair)
    scope = Scope(pair.coach_id, None, second)
    with app.app_context():
        report = reports.build(scope, "JPY", date(2025, 1, 1), date(2025, 12, 1))
    page = coach.get(f"/reports?{YEAR}&currency=JPY&program={second}").get_data(as_text=True)
    links = dict(re.findall(r'<a href="([^"]+)">(by month|prepaid liability|the ledger)</a>', page))
    assert all(f"program={second}" in link for link in links)

    def read(url: str) -> list[dict[str, str]]:
        body = coach.get(entities.unescape(url)).get_data().decode("utf-8-sig")
        return list(csv.DictReader(io.StringIO(body)))

    by_month, owed, ledger = (read(link) for link in links)
    assert [int(r["revenue"]) for r in by_month] == [m.revenue.minor for m in report.months]
    assert sum(int(r["owed"]) for r in owed) == report.liability_total
    with app.app_context():
        members = set(
            db.session.scalars(
                sa.select(User.email).where(
                    User.id.in_(sa.select(Client.user_id).where(Client.program_id == second))
                )
            )
        )
    assert ledger and {r["email"] for r in ledger} <= members
    # Running out: only the filtered program's clients are listed.
    with app.app_context():
        for row in db.session.scalars(
            sa.select(CoachingSession).where(CoachingSession.status == "remaining")
        ):
            row.scheduled_at = NOW
        db.session.commit()
        theirs = reports.running_out(scope, NOW)
        everyone = reports.running_out(Scope(pair.coach_id), NOW)
    assert theirs and set(theirs) < set(everyone)
    page = coach.get(f"/reports?{YEAR}&program={second}").get_data(as_text=True)
    assert sorted(map(int, re.findall(r'<li id="running-out-(\d+)">', page))) == sorted(theirs)
