"""A database outage while requests run: the 503 page, never a 500, nothing half-written."""

from __future__ import annotations

import threading
import time

import pytest
import sqlalchemy as sa

from tests.reliability.support import sqlite_locked
from tests.support.factories import PASSWORD, make_coach
from tests.support.http import Browser
from tests.support.postgres import restart
from webapp.extensions import db
from webapp.models import Program

pytestmark = pytest.mark.slow

WRITERS = 3
PROGRAM = {"price": "12.34", "currency": "GBP", "billing_period": "month"}


@pytest.fixture
def take_database_down(app, postgres_cluster):
    """PostgreSQL restarts in place; SQLite is locked by another process for a while."""
    if postgres_cluster:
        return lambda: restart(postgres_cluster[1])

    # Requests wait for a lock this long before giving up (production waits 30 s).
    with app.app_context():
        sa.event.listen(
            db.engine, "connect", lambda conn, _: conn.execute("PRAGMA busy_timeout=200")
        )
        db.engine.dispose()

    def lock_for_a_while():
        with sqlite_locked(app.config["SQLALCHEMY_DATABASE_URI"]):
            time.sleep(1.5)

    return lock_for_a_while


class Writer(threading.Thread):
    """A coach creating programs as fast as the server answers, each with a unique name."""

    def __init__(self, url: str, number: int):
        super().__init__(daemon=True)
        self.browser = Browser(url, follow_redirects=False)
        self.number = number
        self.results: list[tuple[str, object]] = []
        self.stop = threading.Event()
        self.after_outage = threading.Event()
        self.ok_after_outage = 0

    def log_in(self) -> None:
        page = self.browser.submit("/login", {"email": "coach@example.com", "password": PASSWORD})
        assert page.status in (302, 303), page.html[:300]
        self.token = self.browser.token("/programs/new")

    def run(self) -> None:
        while not self.stop.is_set():
            name = f"Writer {self.number} program {len(self.results)}"
            page = self.browser.post("/programs/new", {"name": name, **PROGRAM}, self.token)
            self.results.append((name, page))
            if self.after_outage.is_set() and page.status in (302, 303):
                self.ok_after_outage += 1


def test_requests_during_a_database_outage_get_the_503_page_and_write_all_or_nothing(
    app, live_server, take_database_down
):
    with app.app_context():
        coach_id = make_coach(email="coach@example.com").id
        db.session.commit()
    writers = [Writer(live_server.url, n) for n in range(WRITERS)]
    # All log in before any writes: on SQLite a log-in would otherwise queue behind the
    # writers for the shortened lock wait and be refused before the outage began.
    for writer in writers:
        writer.log_in()
    try:
        for writer in writers:
            writer.start()
        deadline = time.monotonic() + 30
        while any(len(w.results) < 3 for w in writers) and time.monotonic() < deadline:
            time.sleep(0.05)
        take_database_down()
        for writer in writers:
            writer.after_outage.set()
        while any(w.ok_after_outage < 3 for w in writers) and time.monotonic() < deadline:
            time.sleep(0.05)
    finally:
        for writer in writers:
            writer.stop.set()
        for writer in writers:
            if writer.is_alive():
                writer.join(timeout=15)

    results = [result for writer in writers for result in writer.results]
    statuses = {page.status for _, page in results}
    assert statuses <= {302, 303, 503}, [p.html[:300] for _, p in results if p.status >= 500]
    unavailable = [page for _, page in results if page.status == 503]
    assert unavailable, "the outage hit no request"
    for page in unavailable:
        assert "Temporarily unavailable" in page.html and "Traceback" not in page.html
        assert page.headers["Retry-After"] == "5"
    assert all(w.ok_after_outage >= 3 for w in writers), "the app recovered after the outage"

    created = {name for name, page in results if page.status in (302, 303)}
    with app.app_context():
        stored = db.session.execute(
            sa.select(Program.name, Program.coach_id, Program.price_minor, Program.currency)
        ).all()
    names = [row.name for row in stored]
    assert created <= set(names), "every program the coach was told about was saved"
    # A request answered 503 wrote nothing; the only exception the database protocol allows
    # is a commit whose reply was lost, and that row is whole like any other.
    assert len(names) == len(set(names)) and set(names) <= {name for name, _ in results}
    assert all(row[1:] == (coach_id, 1234, "GBP") for row in stored)

    page = Browser(live_server.url).get("/login")
    assert page.status == 200 and "Log in" in page.html
