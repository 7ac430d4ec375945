"""A request that only reads ends its transaction without making psycopg forget the
statements it has prepared, so PostgreSQL plans a page's queries once per connection, not
once per request. A transaction that wrote still rolls back.

PostgreSQL only, so the SQLite run of the suite starts a cluster of its own for this module."""

from __future__ import annotations

import pytest
import sqlalchemy as sa

from tests.support import postgres
from tests.support.databases import build_schema
from tests.support.parts import have_postgres, need
from webapp.extensions import db
from webapp.models import Program


@pytest.fixture(scope="module")
def postgres_cluster(postgres_cluster):
    """The suite's cluster, or one for this module when the suite runs on SQLite."""
    if postgres_cluster:
        yield postgres_cluster
        return
    need(have_postgres(), "PostgreSQL server binaries (initdb, pg_ctl) are not installed")
    with postgres.cluster() as started:
        build_schema(started[0])
        yield started


@pytest.fixture
def app_config(app_config):
    # Every request runs the page's own queries, not one from the response cache.
    return {**app_config, "RESPONSE_CACHE": "off"}


def _prepared_on_the_pooled_connection() -> list[str]:
    """The statements prepared on the session of the connection the app's requests used
    (one request at a time: the pool hands the same connection back)."""
    return db.session.scalars(sa.text("SELECT statement FROM pg_prepared_statements")).all()


def test_the_queries_of_a_page_that_only_reads_stay_prepared_between_requests(app, coach, pair):
    assert app.config["SQLALCHEMY_DATABASE_URI"].startswith("postgresql")
    with app.app_context():
        name = db.session.get(Program, pair.program_id).name
    for _ in range(8):  # psycopg prepares a statement on its fifth use
        # A page read inside a transaction (it is not one of the response cache's).
        page = coach.get("/packages/")
        assert page.status_code == 200 and name in page.text

    with app.app_context():
        prepared = _prepared_on_the_pooled_connection()
    assert any("FROM clients JOIN programs" in statement for statement in prepared), prepared


def _program(pair, name: str) -> Program:
    return Program(
        coach_id=pair.coach_id,
        name=name,
        type="one_to_one",
        price_minor=1000,
        currency="GBP",
        billing_period="month",
        status="draft",
    )


def test_a_transaction_that_wrote_is_still_rolled_back(app, pair):
    with app.app_context():
        db.session.add(_program(pair, "Never saved"))
        db.session.flush()
        db.session.remove()  # ends the transaction the way a request's teardown does
        names = db.session.scalars(sa.select(Program.name)).all()
    assert "Never saved" not in names
    assert names  # the pair's program is there: the check reads the table it wrote to


def test_a_failed_transaction_is_rolled_back_and_the_connection_works_on(app, pair):
    with app.app_context():
        db.session.add(_program(pair, "Half written"))
        db.session.flush()
        with pytest.raises(sa.exc.DBAPIError):
            db.session.execute(sa.text("SELECT 1 / 0"))
        db.session.remove()
        names = db.session.scalars(sa.select(Program.name)).all()
    assert "Half written" not in names and names
