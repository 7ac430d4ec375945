"""One populated site per test module for page-by-page browser checks: the security world
(two coaches, their programs, clients, packages, tokens) with a written fortnight, served once,
and one logged-in browser tab per role, visited in sequence."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta

import pytest
import sqlalchemy as sa

from tests.security.world import World, build_world
from tests.support.browser import log_in
from tests.support.databases import empty_all_tables, test_config
from tests.support.factories import make_client
from tests.support.live import LiveServer
from webapp import clock, create_app
from webapp.extensions import db
from webapp.models import (
    Booking,
    CalendarEntry,
    Client,
    CoachingSession,
    Package,
    Program,
)
from webapp.services.outbox import queue_email

PHONE = {"width": 390, "height": 844}
SMALL_TABLET = {"width": 700, "height": 900}
LAPTOP = {"width": 1280, "height": 800}
WIDTHS = {"390": PHONE, "1280": LAPTOP}


@dataclass
class Site:
    url: str
    world: World
    tabs: dict  # role -> a logged-in Playwright page

    def fill(self, path: str) -> str:
        return self.url + path.format(**self.world.ids, **self.world.tokens)

    def visit(self, role: str, path: str, size: dict):
        tab = self.tabs[role]
        tab.set_viewport_size(size)
        tab.goto(self.fill(path))  # returns once the page has loaded
        # No page fetches anything once loaded, but should one come to, wait for htmx to be
        # done with it: quicker than "networkidle", which always waits half a second more.
        tab.wait_for_function("() => !document.querySelector('.htmx-request')")
        return tab


def _write_a_fortnight(app, world: World) -> None:
    """Entries of every length around client A's start, a second active client, a captured
    email with a long link in it, and sessions and packages in every state."""
    with app.app_context():
        client_a = db.session.get(Client, world.ids["client_id"])
        start: date = client_a.start_date
        titles = ["Squat 5×5", "Easy run 30 min", "Intervals 8×400 m at 5 k pace", "Mobility"]
        for n in range(1, 14):
            db.session.add(
                CalendarEntry(
                    client_id=client_a.id,
                    on_date=start + timedelta(days=n - 3),
                    title=titles[n % len(titles)],
                    body="Warm up 10 min, then the main set. Cool down and stretch." * (n % 3),
                )
            )
        db.session.commit()
        program = db.session.scalar(sa.select(Program).where(Program.id == world.ids["program_id"]))
        make_client(program, name="Bea Longname-Hyphenated", email="bea.longname@example.com")
        queue_email(
            "e@example.com",
            "Coach X invites you to X Program",
            "Accept here: http://127.0.0.1/invitation/" + "x" * 43 + "\n\nSee you soon.",
        )
        db.session.commit()
        _sessions_in_every_state(client_a, start)
        db.session.remove()


def _sessions_in_every_state(client_a: Client, start: date) -> None:
    """An archived package; a booking with a completed, a placed and a void session; a
    voided booking."""
    coach_id = db.session.get(Program, client_a.program_id).coach_id
    person_id = client_a.user_id
    db.session.add(
        Package(
            coach_id=coach_id,
            name="Old offer",
            sessions_count=10,
            total_minor=70000,
            currency="GBP",
            archived_at=clock.now(),
        )
    )
    terms = {"kind": "package", "total_minor": 24000, "rate_minor": 8000, "currency": "GBP"}
    booking = Booking(coach_id=coach_id, client_user_id=person_id, sessions_count=3, **terms)
    voided = Booking(
        coach_id=coach_id,
        client_user_id=person_id,
        sessions_count=3,
        voided_at=clock.now(),
        **terms,
    )
    db.session.add_all([booking, voided])
    db.session.flush()
    at = datetime.combine(start, time(9), tzinfo=UTC)
    for status, when in [("completed", at), ("remaining", at + timedelta(days=1)), ("void", None)]:
        db.session.add(
            CoachingSession(
                booking_id=booking.id,
                coach_id=coach_id,
                client_user_id=person_id,
                status=status,
                calendar_client_id=client_a.id if when else None,
                scheduled_at=when,
                completed_at=at if status == "completed" else None,
                completed_by_id=coach_id if status == "completed" else None,
            )
        )
    db.session.commit()


@pytest.fixture(scope="module")
def site(tmp_path_factory, postgres_cluster, browser):
    folder = tmp_path_factory.mktemp("site")
    url = postgres_cluster[0] if postgres_cluster else f"sqlite:///{folder / 'site.sqlite3'}"
    app = create_app(test_config(url))
    with app.app_context():
        empty_all_tables() if postgres_cluster else db.create_all()
    world = build_world(app)
    _write_a_fortnight(app, world)
    server = LiveServer(app).start()
    app.config["PUBLIC_URL"] = server.url
    contexts, tabs = [], {}
    for role in ("anonymous", "coach_x", "client_a"):
        context = browser.new_context(viewport=LAPTOP)
        contexts.append(context)
        tab = context.new_page()
        tab.set_default_timeout(10_000)
        if role != "anonymous":
            log_in(tab, server.url, world.emails[role])
            tab.wait_for_load_state()
        tabs[role] = tab
    yield Site(url=server.url, world=world, tabs=tabs)
    for context in contexts:
        context.close()
    server.stop()
    with app.app_context():
        db.session.remove()
        db.engine.dispose()
