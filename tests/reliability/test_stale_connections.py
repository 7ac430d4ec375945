"""A pooled connection the server has ended (a restart, an idle timeout, an administrator) is
replaced before a request uses it, so the request succeeds instead of answering 503.

PostgreSQL only (SQLite has no server to end a connection), so the SQLite run of the suite
starts a cluster of its own for this module."""

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
def pooled_on_postgres(app):
    assert app.config["SQLALCHEMY_DATABASE_URI"].startswith("postgresql")
    return app


def _end_every_other_session() -> None:
    """As an administrator would: from a connection outside the app's pool.

    pg_terminate_backend only signals the backend unless given a timeout, and a backend still
    on its way out has not yet told its socket (about one time in twenty on a busy machine).
    A server that restarted or timed a session out has finished ending it, so wait for that.
    """
    with sa.create_engine(db.engine.url, poolclass=sa.pool.NullPool).connect() as admin:
        admin.execute(
            sa.text(
                "SELECT pg_terminate_backend(pid, 10000) FROM pg_stat_activity"
                " WHERE datname = current_database() AND pid <> pg_backend_pid()"
                " AND backend_type = 'client backend'"
            )
        )


def test_a_page_after_the_server_ended_the_pooled_connection_is_served(
    pooled_on_postgres, coach, pair
):
    with pooled_on_postgres.app_context():
        name = db.session.get(Program, pair.program_id).name
    first = coach.get("/programs/")
    assert first.status_code == 200 and name in first.text
    with pooled_on_postgres.app_context():
        _end_every_other_session()

    again = coach.get("/programs/")
    assert again.status_code == 200, again.text[:300]
    assert name in again.text


def test_a_save_after_the_server_ended_the_pooled_connection_is_written(
    pooled_on_postgres, coach, pair
):
    assert coach.get("/programs/").status_code == 200
    with pooled_on_postgres.app_context():
        _end_every_other_session()

    program = {"name": "After the restart", "price": "10", "currency": "GBP"}
    saved = coach.post("/programs/new", data={**program, "billing_period": "month"})
    assert saved.status_code in (302, 303), saved.text[:300]
    with pooled_on_postgres.app_context():
        names = db.session.scalars(sa.text("SELECT name FROM programs")).all()
    assert "After the restart" in names


def test_the_relay_keeps_running_when_the_server_ends_its_connection_between_rounds(
    pooled_on_postgres, runner, monkeypatch
):
    """The status line leaves a read open; ending that connection must not stop the relay."""
    from webapp import cli
    from webapp.services.outbox import queue_email

    rounds: list[str] = []
    real_status_line = cli._status_line

    def status_then_end_the_connection() -> str:
        line = real_status_line()
        rounds.append(line)
        _end_every_other_session()
        return line

    monkeypatch.setattr(cli, "_status_line", status_then_end_the_connection)
    monkeypatch.setattr(cli, "_stop_on_sigterm", lambda: lambda: len(rounds) >= 2)
    monkeypatch.setattr(cli, "_sleep_unless", lambda stopping, seconds: None)
    with pooled_on_postgres.app_context():
        queue_email("first@example.com", "First", "Body")
        db.session.commit()

    def queue_the_second(*args, **kwargs):
        if rounds and len(rounds) == 1:
            queue_email("second@example.com", "Second", "Body")
            db.session.commit()
        return real_send_due(*args, **kwargs)

    real_send_due = cli.outbox.send_due
    monkeypatch.setattr(cli.outbox, "send_due", queue_the_second)
    result = runner.invoke(args=["outbox", "send", "--watch", "--interval", "0"])

    assert result.exception is None, result.output
    assert rounds == [
        "outbox: waiting 0, sent 1, failed 0, oldest waiting none",
        "outbox: waiting 0, sent 2, failed 0, oldest waiting none",
    ]
