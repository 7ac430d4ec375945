"""Benchmark: render one client's week fragment with a year of training in their calendar.

    .venv/bin/python bench/calendar_week.py [--renders 300] [--per-day 3]

Seeds a throwaway SQLite database, logs in as the coach and times the htmx request for a
week in the middle of the year (the whole request: queries, template, response). Prints the
median; it should stay well under 50 ms.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.support.client import CsrfClient  # noqa: E402
from tests.support.factories import (  # noqa: E402
    PASSWORD,
    make_client,
    make_coach,
    make_program,
)
from webapp import create_app  # noqa: E402
from webapp.extensions import db  # noqa: E402
from webapp.models import CalendarEntry, EntryMove  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--renders", type=int, default=300)
    parser.add_argument("--per-day", type=int, default=3)
    args = parser.parse_args()

    folder = tempfile.mkdtemp(prefix="ondeck-bench-")
    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "bench",
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder}/bench.sqlite3",
            "MAIL_SERVER": "",
        }
    )
    app.test_client_class = CsrfClient
    start = date(2026, 1, 5)
    with app.app_context():
        db.create_all()
        coach = make_coach(email="coach@example.com")
        client_row = make_client(make_program(coach), start_date=start, horizon_days=None)
        entries = [
            CalendarEntry(
                client_id=client_row.id,
                on_date=start + timedelta(days=n),
                position=p,
                title=f"Session {n}.{p}",
                body="Warm-up 10 min\nMain set 5×5 at RPE 8\nCool-down",
            )
            for n in range(365)
            for p in range(args.per_day)
        ]
        db.session.add_all(entries)
        db.session.flush()
        db.session.add_all(
            EntryMove(entry_id=e.id, moved_by_id=coach.id, from_date=e.on_date, to_date=e.on_date)
            for e in entries[::5]
        )
        db.session.commit()
        client_id = client_row.id
        total = len(entries)

    http = app.test_client()
    http.login("coach@example.com", PASSWORD)
    url = f"/clients/{client_id}/calendar?week=26"
    for _ in range(10):  # warm the template cache and the connection pool
        assert http.hx_get(url).status_code == 200
    timings = []
    for _ in range(args.renders):
        began = time.perf_counter()
        response = http.hx_get(url)
        timings.append((time.perf_counter() - began) * 1000)
        assert response.status_code == 200 and b"Week 26" in response.data
    median = statistics.median(timings)
    p95 = statistics.quantiles(timings, n=20)[-1]
    print(
        f"week fragment, {total} entries in the calendar: median {median:.2f} ms, "
        f"p95 {p95:.2f} ms over {args.renders} renders"
    )


if __name__ == "__main__":
    main()
