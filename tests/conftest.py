"""Fixtures: the app on SQLite or PostgreSQL, a CSRF-aware client, a real SMTP server.

Choose the database with `--db=postgresql` or ONDECK_TEST_DB=postgresql (default sqlite).
"""

from __future__ import annotations

import os
import tempfile
from datetime import datetime, timedelta

import pytest

from tests.support import postgres
from tests.support.client import CsrfClient
from tests.support.compiled_templates import share_compiled_templates
from tests.support.databases import build_schema, copy_schema, ready_for_a_test, test_config
from tests.support.factories import PASSWORD
from tests.support.parts import have_postgres, need
from tests.support.plusone import Pair, logged_in, make_pair
from tests.support.smtp import SmtpServer
from tests.support.stripe_server import have_localstripe
from tests.support.stripe_server import running as running_fake_stripe

pytest_plugins = ["tests.support.browser", "tests.support.minutes", "tests.support.site"]

os.environ.setdefault("ONDECK_INSTANCE_PATH", tempfile.mkdtemp(prefix="ondeck-instance-"))

from webapp import clock, create_app  # noqa: E402
from webapp.extensions import db  # noqa: E402


def pytest_addoption(parser):
    parser.addoption(
        "--db",
        default=os.environ.get("ONDECK_TEST_DB", "sqlite"),
        choices=("sqlite", "postgresql"),
        help="database the suite runs on",
    )
    parser.addoption(
        "--response-cache",
        default=os.environ.get("ONDECK_TEST_RESPONSE_CACHE", "memory"),
        choices=("memory", "off"),
        help="RESPONSE_CACHE for every app the tests make (the cache's own tests set it)",
    )


def pytest_report_header(config):
    return f"database: {config.getoption('--db')}"


@pytest.fixture(scope="session")
def db_backend(request) -> str:
    return request.config.getoption("--db")


@pytest.fixture(scope="session")
def postgres_cluster(db_backend):
    """(url, data_dir) of a throwaway cluster, made once per run when PostgreSQL is chosen."""
    if db_backend != "postgresql":
        yield None
        return
    need(have_postgres(), "PostgreSQL server binaries (initdb, pg_ctl) are not installed")
    with postgres.cluster() as started:
        build_schema(started[0])
        yield started


@pytest.fixture
def app_config(request, tmp_path, postgres_cluster) -> dict:
    """Override or extend in a test module to change settings before the app is made."""
    url = postgres_cluster[0] if postgres_cluster else f"sqlite:///{tmp_path / 'test.sqlite3'}"
    cache = request.config.getoption("--response-cache")
    if request.module.__name__.endswith(("test_response_cache", "test_cache_staleness")):
        cache = "memory"  # they test the cache itself, and switch it off where they compare
    if request.node.get_closest_marker("production_hashing"):
        return test_config(url, PASSWORD_HASH_METHOD="scrypt", RESPONSE_CACHE=cache)
    return test_config(url, RESPONSE_CACHE=cache)


@pytest.fixture(scope="session")
def sqlite_schema(tmp_path_factory, db_backend):
    """A SQLite file holding the empty schema, made once per run and copied for each test."""
    if db_backend != "sqlite":
        return None
    path = tmp_path_factory.mktemp("schema") / "schema.sqlite3"
    build_schema(f"sqlite:///{path}")
    return path


@pytest.fixture
def app(app_config, postgres_cluster, sqlite_schema):
    """The app on an empty schema: PostgreSQL's tables emptied, or a fresh copy of the
    SQLite schema file (a real file, so live servers and child processes share it)."""
    copied = copy_schema(sqlite_schema, app_config["SQLALCHEMY_DATABASE_URI"])
    application = create_app(app_config)
    application.test_client_class = CsrfClient
    share_compiled_templates(application)
    with application.app_context():
        ready_for_a_test(on_postgres=bool(postgres_cluster), copied=copied)
    yield application
    with application.app_context():
        db.session.remove()
        db.engine.dispose()


@pytest.fixture
def client(app) -> CsrfClient:
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


class AuthActions:
    """Log the `client` fixture in and out, as flaskr's tests do."""

    def __init__(self, client: CsrfClient):
        self._client = client

    def login(self, email: str, password: str = PASSWORD):
        return self._client.login(email, password)

    def logout(self):
        return self._client.logout()


@pytest.fixture
def auth(client) -> AuthActions:
    return AuthActions(client)


@pytest.fixture
def frozen_clock(request, monkeypatch):
    """The app's clock stopped at the test module's NOW; use with
    `pytestmark = pytest.mark.usefixtures("frozen_clock")`."""
    now = request.module.NOW
    monkeypatch.setattr(clock, "now", lambda: now)
    return now


class MovingClock:
    """The app's clock, stopped at a moment and moved on by hand."""

    def __init__(self, now: datetime):
        self.now = now

    def advance(self, **delta) -> None:
        self.now += timedelta(**delta)


@pytest.fixture
def time(request, monkeypatch) -> MovingClock:
    """The app's clock stopped at the test module's T0; `time.advance(minutes=5)` moves it."""
    moving = MovingClock(request.module.T0)
    monkeypatch.setattr(clock, "now", lambda: moving.now)
    return moving


@pytest.fixture
def pair(app) -> Pair:
    """A coach with a published program and one active client who has an account."""
    return make_pair(app)


@pytest.fixture
def coach(app, pair) -> CsrfClient:
    """A browser logged in as the pair's coach."""
    return logged_in(app, pair.coach_email)


@pytest.fixture
def smtp_server():
    server = SmtpServer()
    server.start()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def fake_stripe():
    """localstripe, a fake Stripe API, as its own process for the run (started on first use)."""
    need(have_localstripe(), "localstripe is not installed (make install-dev)")
    with running_fake_stripe() as fake:
        yield fake


@pytest.fixture(scope="session")
def base_url():
    # Replaces pytest-playwright's (which trips a pytest deprecation); tests use live_server.url.
    return None
