"""Every request of a bench write writes. A save that sends an entry the values it already holds
changes nothing, and a completed session answers "already completed": a run of either would
measure a request that writes nothing. So each save sends values of its own, and the small size
gets enough remaining sessions for a whole run of "mark complete".

PostgreSQL only, as the bench is, so the SQLite run of the suite starts a cluster of its own."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from bench import database, probe, seed, write_targets
from bench.pages import PAGES
from tests.support import postgres
from tests.support.parts import have_postgres, need
from webapp.extensions import db

SMALL = seed.Size(coaches=2)  # the bench's 1/100


@pytest.fixture(scope="module")
def bench_url(postgres_cluster):
    """A seeded bench database at the small size, topped up as `make bench` does."""
    if postgres_cluster:
        cluster_url = postgres_cluster[0]
        url = database.create(cluster_url, "bench_write_targets")
        yield _seeded(url)
        return
    need(have_postgres(), "PostgreSQL server binaries (initdb, pg_ctl) are not installed")
    with postgres.cluster() as (cluster_url, _data):
        yield _seeded(database.create(cluster_url, "bench_write_targets"))


def _seeded(url: str) -> str:
    database.migrate(url)
    seed.seed(database.plain(url), SMALL)
    return url


@pytest.fixture
def bench_app(bench_url, monkeypatch, tmp_path):
    """The app the bench probes, on that database."""
    monkeypatch.setenv("ONDECK_INSTANCE_PATH", str(tmp_path))
    app = probe.make_app(bench_url)
    yield app
    with app.app_context():
        db.engine.dispose()


def _page(name: str):
    return next(page for page in PAGES if page.name == name)


def _remaining(engine) -> int:
    with engine.connect() as conn:
        return conn.scalar(
            sa.text(
                "SELECT count(*) FROM coaching_sessions"
                " WHERE status = 'remaining' AND coach_id <= 20"
            )
        )


def test_the_small_size_gets_enough_remaining_sessions_for_a_whole_run(bench_url, bench_app):
    engine = sa.create_engine(bench_url)
    try:
        before = _remaining(engine)
        assert before < write_targets.REMAINING_SESSIONS  # what the seed alone gives
        added = write_targets.top_up(database.plain(bench_url))
        assert _remaining(engine) == before + added >= write_targets.REMAINING_SESSIONS
        assert write_targets.top_up(database.plain(bench_url)) == 0  # enough: nothing more
        with engine.connect() as conn:
            # Each added session is its booking's coach's and client's, on that client's calendar.
            strays = conn.scalar(
                sa.text(
                    """
                    SELECT count(*) FROM coaching_sessions s
                    JOIN bookings b ON b.id = s.booking_id
                    JOIN clients c ON c.id = s.calendar_client_id
                    JOIN programs p ON p.id = c.program_id
                    WHERE b.coach_id <> s.coach_id OR b.client_user_id <> s.client_user_id
                       OR c.user_id <> s.client_user_id OR p.coach_id <> s.coach_id
                    """
                )
            )
        assert strays == 0
    finally:
        engine.dispose()
    page = _page("mark complete")
    targets = probe.pick_targets(bench_app, page)
    assert len({path for _email, path in targets}) == write_targets.REMAINING_SESSIONS


def test_a_save_that_comes_back_to_an_entry_changes_it_each_time(bench_url, bench_app):
    page = _page("inline save of an entry")
    app = bench_app
    email, path = probe.pick_targets(app, page)[0]
    entry_id = int(path.rsplit("/", 1)[1])
    client = app.test_client()
    client.post("/login", data={"email": email, "password": seed.PASSWORD})
    engine = sa.create_engine(bench_url)
    try:
        titles = []
        for n in (1, 2, 3):
            answer = client.post(
                path,
                data=page.body_for(n),
                content_type="application/x-www-form-urlencoded",
                headers={"HX-Request": "true"},
            )
            assert f"Back squat 5x5 {n}" in answer.get_data(as_text=True)
            with engine.connect() as conn:
                titles.append(
                    conn.scalar(
                        sa.text("SELECT title FROM calendar_entries WHERE id = :id"),
                        {"id": entry_id},
                    )
                )
    finally:
        engine.dispose()
    assert titles == ["Back squat 5x5 1", "Back squat 5x5 2", "Back squat 5x5 3"]
